"""oEmbed 1.0 provider: paste a link to the map into a CMS and get the iframe back.

The page's state (day, mode, language, layers, controls, view, tiles) travels from the linked URL
into the iframe's src through mapstate.canonical_state, the same reading the page itself uses.
Sizes follow the spec: never wider than maxwidth nor taller than maxheight.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, Response, abort, json, request
from markupsafe import escape

from .api import BadParameter, bad_parameter
from .mapstate import canonical_state
from .views import absolute, dataset, public_base, with_state

bp = Blueprint("oembed", __name__)

DEFAULT_SIZE = (960, 640)
SIZE = re.compile(r"[0-9]{1,5}")  # ASCII digits only: int() would take '²' and 4,300 digits badly


def _size(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not SIZE.fullmatch(raw) or int(raw) < 1:
        raise BadParameter(name, f"{raw[:20]!r} is not a size in pixels", "a whole number from 1 to 99999")
    return int(raw)


def fit(max_width: int | None, max_height: int | None) -> tuple[int, int]:
    """The default size scaled down, keeping its shape, to fit the consumer's maxima (at least 1 px)."""
    width, height = DEFAULT_SIZE
    scale = min(1.0, (max_width or width) / width, (max_height or height) / height)
    return max(1, int(width * scale)), max(1, int(height * scale))


def our_page(url: str) -> dict[str, str] | None:
    """The query parameters of a URL of our map or embed page; None for any other URL."""
    parts = urlsplit(url)
    base = urlsplit(public_base())
    if (parts.scheme not in ("http", "https") or parts.username is not None
            or (parts.hostname, parts.port) != (base.hostname, base.port)):
        return None
    if parts.path not in (base.path, base.path + "embed"):
        return None
    return dict(parse_qsl(parts.query))


@bp.get("/oembed")
def oembed() -> Response:
    fmt = request.args.get("format", "json")
    if fmt != "json":
        abort(501, description="Only format=json is provided.")
    try:
        url = request.args.get("url")
        if not url:
            raise BadParameter("url", "is missing", "the address of a page of this map")
        width, height = fit(_size("maxwidth"), _size("maxheight"))
        try:
            params = our_page(url)
        except ValueError:  # urlsplit and .port refuse '[::1', a port of 99999 ...
            raise BadParameter("url", "is not a valid address", "the address of a page of this map") from None
    except BadParameter as exc:
        response = bad_parameter(exc)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    if params is None:
        abort(404, description="That URL is not a page of this map.")
    state = canonical_state(params, dataset())
    lang = dict(state).get("lang", "en")
    title = dataset().title.get(lang)
    src = with_state(absolute("pages.embed"), state)
    html = (f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" height="{height}" '
            f'style="border:0;max-width:100%" loading="lazy" allowfullscreen></iframe>')
    body = {"version": "1.0", "type": "rich", "provider_name": "Budapest 1956",
            "provider_url": public_base(), "title": title, "html": html,
            "width": width, "height": height, "cache_age": 86400}
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
