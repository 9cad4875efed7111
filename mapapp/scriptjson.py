"""JSON that is safe inside a <script> block *and* inside a branca template.

branca renders an element's script output, wraps it in a new Jinja template and renders that
again, so data text such as `{{ 7*7 }}` would run on the server. This serialiser escapes every
character that could start HTML (`<`, `>`, `&`, `'`) or a Jinja tag (`{{`, `{%`, `{#`) as a JSON
\\u escape; the browser decodes them back to the same text.
"""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def script_json(value: Any) -> Markup:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escaped in _HTML.items():
        text = text.replace(char, escaped)
    # '{{', '{%' and '{#' can only occur inside JSON strings (an object key is always a string).
    text = text.replace("{{", "{\\u007b").replace("{%", "\\u007b%").replace("{#", "\\u007b#")
    # U+2028/2029 end a line in older JavaScript parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
