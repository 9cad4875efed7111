"""The map's data as one script file per language, content-hashed and cached for good.

The map and the embed, on every day and in every mode, load the same file: a plain script that
sets `Budapest1956.pageData` (a script, not JSON to fetch, so that it also works opened from
file:// in the export, where Chromium blocks fetch() of local files). It holds the day slider's
data (`slider`, payload.page_payload) and the lessons (`lessons`, lessonviews.page_data, or null).
Its name carries a hash of its bytes, `/data/map.en.0a1b2c3d4e5f.js`, so it is sent with
`Cache-Control: immutable`: another day's page then costs only its own small HTML.

Built once per app and language, on first use, and compressed then.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, url_for

from .assets import IMMUTABLE
from .compression import Encoded, encoded, respond
from .records import LANGS, Dataset

bp = Blueprint("pagedata", __name__)

MIMETYPE = "application/javascript"
HASH_CHARS = 12


@dataclass(frozen=True)
class DataFile:
    name: str        # map.en.0a1b2c3d4e5f.js
    entity: Encoded


def script(lang: str, doc: dict[str, Any]) -> bytes:
    """The file's text: one assignment of JSON.parse('...'), which browsers parse about twice as
    fast as the same data written as a JavaScript object literal. The JSON goes into a
    single-quoted string: backslashes and quotes escaped, and U+2028/2029, which end a line in
    older parsers."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (f"/* Budapest 1956: the map's data ({lang}), made from the dataset by mapapp. */\n"
            f"(window.Budapest1956 = window.Budapest1956 || {{}}).pageData = JSON.parse('{text}');\n").encode()


def build(data: Dataset, lang: str, server: bool) -> DataFile:
    """The data file of one language. `server`: lessons link to the worksheet and the walk
    (not in the static export, which has neither). Needs an app context (lesson links)."""
    from .lessonviews import page_data as lesson_data
    from .payload import page_payload
    doc = {"slider": page_payload(data, lang),
           "lessons": lesson_data(data, lang, server) if data.lessons else None}
    body = script(lang, doc)
    entity = encoded(body, MIMETYPE, memo=True)
    return DataFile(f"map.{lang}.{entity.etag[:HASH_CHARS]}.js", entity)


def warm(app: Flask) -> None:
    """Build and compress every language's data file now (gunicorn's master, before it forks):
    the workers share the compressed bytes (compression.compress keeps them by content), and no
    reader waits the half second brotli takes for a big dataset."""
    with app.test_request_context("/"):
        for lang in LANGS:
            build(app.extensions["mapapp.dataset"], lang, server=True)


_lock = threading.Lock()


def data_file(lang: str) -> DataFile:
    """This app's data file for `lang`, built on first use."""
    files: dict[str, DataFile] = current_app.extensions.setdefault("mapapp.pagedata", {})
    with _lock:
        if lang not in files:
            files[lang] = build(current_app.extensions["mapapp.dataset"], lang, server=True)
        return files[lang]


def data_url(lang: str) -> str:
    return url_for("pagedata.page_data", name=data_file(lang).name)


@bp.get("/data/<name>")
def page_data(name: str) -> Response:
    """The data file; an old name (the dataset was reloaded since the page was sent) is sent on
    to the current file, so a page that a cache kept a moment longer still finds its data."""
    parts = name.split(".")
    if len(parts) != 4 or parts[0] != "map" or parts[1] not in LANGS or parts[3] != "js":
        abort(404)
    current = data_file(parts[1])
    if name != current.name:
        response = Response(status=307, headers={"Location": url_for("pagedata.page_data", name=current.name)})
        response.headers["Cache-Control"] = "no-cache"
        return response
    return respond(current.entity, MIMETYPE, IMMUTABLE)
