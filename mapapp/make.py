"""/make: a teacher's spreadsheet becomes a map in the browser, with nothing to install and
nothing kept on the server.

    GET  /make                       the upload form, the columns and the templates (EN/HU: ?lang=)
    POST /make  file=<spreadsheet>   200 application/zip: the website, as `mapapp export` writes it
                 format=dataset      200 application/zip: the dataset folder, for `mapapp serve`
                 format=preview      200 text/html: the real map, inline, with two download buttons
                 (a spreadsheet with problems: 422, the page listing them by row and column;
                  over MAX_CONTENT_LENGTH: 413, a page explaining the limit)
    GET  /make/template.<xlsx|ods|csv>   the templates in examples/

Stateless: the preview page carries the uploaded file back inside itself (base64, in the hidden
field `sheet` of its download form), so a download posts the same bytes again and is checked again;
between requests the server holds nothing. Each request works in a temporary folder that is
removed before the answer leaves. The preview is the map page's own parts (build_map, the same
static JS) in this page, so its one inline script is allowed by its hash like the map's.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from .builder import Upload, build_dataset, folder_files, geocoder_url, site_files, zip_files
from .errors import Problem
from .geodata import load_dataset
from .importer import COLUMN_NAMES, REQUIRED, slug
from .mapbuild import MapOptions, build_map, render_map
from .pages import script_hashes
from .records import CATEGORIES, LANGS
from .security import harden
from .settings import PROJECT_ROOT
from .strings import ui
from .timeline import format_day
from .views import LANG_NAMES, dataset, serve

bp = Blueprint("make", __name__)

EXAMPLES_DIR = PROJECT_ROOT / "examples"
TEMPLATES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "ods": "application/vnd.oasis.opendocument.spreadsheet", "csv": "text/csv"}
FORMATS = ("site", "dataset", "preview")
ACCEPT = ".xlsx,.ods,.csv,.tsv,.txt," + ",".join(TEMPLATES.values())
MAX_TITLE = 120
# words the interface texts keep out of translation (and out of the spelling check)
TERMS = {"csv": "CSV", "utf": "UTF-8", "xlsx": ".xlsx", "ods": ".ods", "calc": "LibreOffice Calc",
         "excel": "Excel", "lat": "lat", "lon": "lon", "zip": "zip", "index": "index.html",
         "serve": "mapapp serve --data FOLDER", "osm": "openstreetmap.org", "dotcsv": ".csv"}


def form_lang() -> str:
    lang = request.values.get("lang", "en")
    return lang if lang in LANGS else "en"


def number(value: int, lang: str) -> str:
    """5,000 in English; 5000 and 12 000 in Hungarian."""
    text = f"{value:,}"
    return text if lang == "en" else (text.replace(",", "\u00a0") if value >= 10_000 else str(value))


def size_text(limit: int, lang: str) -> str:
    """2 MB, 1.5 MB (1,5 MB in Hungarian), 300 KB."""
    if limit < 1024 * 1024:
        return f"{round(limit / 1024)} KB"
    return f"{round(limit / (1024 * 1024), 1):g} MB".replace(".", "," if lang == "hu" else ".")


def context(lang: str, **extra: Any) -> dict[str, Any]:
    config = current_app.config
    other = "hu" if lang == "en" else "en"
    return {
        "lang": lang, "t": ui(lang), "asset_base": url_for("static", filename=""),
        "site_title": dataset().title.get(lang), "other_lang": other, "other_lang_name": LANG_NAMES[other],
        "terms": TERMS, "accept": ACCEPT,
        "links": {"map": url_for("pages.index", lang=lang), "make": url_for("make.page", lang=lang),
                  "other_lang": url_for("make.page", lang=other),
                  "templates": {kind: url_for("make.template", kind=kind) for kind in TEMPLATES}},
        "limits": {"size": size_text(int(config["MAX_CONTENT_LENGTH"]), lang),
                   "bytes": int(config["MAX_CONTENT_LENGTH"]),
                   "rows": number(int(config["MAKE_MAX_ROWS"]), lang)},
        "geocoder": geocoder_url(config) is not None,
        "columns": [{"name": name, "hu": COLUMN_NAMES[name][0], "required": name in REQUIRED}
                    for name in COLUMN_NAMES],
        "categories": ", ".join(CATEGORIES),
        "form": {"title": "", "anywhere": False}, **extra,
    }


def html(body: str, status: int = 200) -> Response:
    """An HTML answer under our CSP (inline scripts allowed by hash only); never cached."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return harden(response, script_hashes(body), tiles_url=current_app.config["TILES_URL"])


@bp.get("/make")
def page() -> Response:
    lang = form_lang()
    return serve(("make", lang), lambda: render_template("make.html", **context(lang)))


@bp.get("/make/template.<kind>")
def template(kind: str) -> Response:
    path = EXAMPLES_DIR / f"template.{kind}"
    if kind not in TEMPLATES or not path.is_file():
        abort(404)
    return harden(send_file(path, mimetype=TEMPLATES[kind], as_attachment=True,
                            download_name=f"template.{kind}"))


class TooLarge(Exception):
    pass


def read_upload(limit: int) -> Upload | None:
    """The spreadsheet of this POST: a file field, or the preview's hidden copy; None if neither."""
    form = request.form
    title = " ".join(form.get("title", "").split())[:MAX_TITLE]
    anywhere = form.get("anywhere") == "1"
    upload: FileStorage | None = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.stream.read(limit + 1)
        name = upload.filename
    elif form.get("sheet"):
        try:
            data = base64.b64decode(form["sheet"], validate=True)
        except (binascii.Error, ValueError):
            abort(400, "the field sheet is not base64")
        name = form.get("name", "")
    else:
        return None
    if len(data) > limit:
        raise TooLarge()
    name = Path(name.replace("\\", "/")).name or "spreadsheet"
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)[:200]
    return Upload(name=name, data=data, title=title or Path(name).stem, anywhere=anywhere)


@bp.post("/make")
def make() -> Response:
    config = current_app.config
    limit = int(config["MAX_CONTENT_LENGTH"])
    # the preview's download form sends the file back as base64 (4/3 of its size) in a text field
    request.max_content_length = request.max_form_memory_size = limit * 4 // 3 + 64 * 1024
    lang = request.args.get("lang", "en")  # the form's action carries it: known even when the body is too large
    lang = lang if lang in LANGS else "en"
    try:
        lang = form_lang()
        upload = read_upload(limit)
    except (RequestEntityTooLarge, TooLarge):
        return html(render_template("make.html", **context(lang, too_big=True)), 413)
    kind = request.form.get("format", "site")
    if kind not in FORMATS:
        abort(400, f"format must be one of {', '.join(FORMATS)}")
    if upload is None:
        return html(render_template("make.html", **context(lang, no_file=True)), 400)
    deadline = time.monotonic() + float(config["MAKE_TIME_LIMIT"])
    regions = Path(config["DATA_DIR"]) / "regions.geojson"
    with tempfile.TemporaryDirectory(prefix="mapapp-make-") as tmp:
        folder = Path(tmp) / "data"
        outcome = build_dataset(upload, folder, config, regions if regions.is_file() else None, deadline)
        if outcome.problems:
            read_as = outcome.table.describe() if outcome.table else None
            return problems_page(lang, upload, outcome.problems.items, read_as)
        root = slug(upload.title) or "my-map"
        if kind == "dataset":
            return zip_answer(zip_files(folder_files(folder), root), f"{root}-data.zip")
        if kind == "site":
            return zip_answer(zip_files(site_files(folder, config), root), f"{root}-site.zip")
        return preview_page(lang, upload, folder)


def typed_form(upload: Upload) -> dict[str, Any]:
    """The form's own fields as the teacher filled them (the title may be empty: the file's name)."""
    return {"title": " ".join(request.form.get("title", "").split())[:MAX_TITLE], "anywhere": upload.anywhere}


def problems_page(lang: str, upload: Upload, problems: list[Problem], read_as: str | None) -> Response:
    codes = {p.code for p in problems if p.code}
    body = render_template("make.html", **context(
        lang, upload_name=upload.name, problems=problems, read_as=read_as, codes=codes, form=typed_form(upload)))
    return html(body, 422)


def zip_answer(data: bytes, name: str) -> Response:
    response = send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return harden(response)


def preview_page(lang: str, upload: Upload, folder: Path) -> Response:
    config = current_app.config
    data = load_dataset(folder)
    options = MapOptions(lang=lang, asset_base=url_for("static", filename=""), tiles_url=config["TILES_URL"],
                         tiles_attribution=config["TILES_ATTRIBUTION"],
                         tiles_max_zoom=int(config["TILES_MAX_ZOOM"]), sources_url=None)
    rendered = render_map(build_map(data, options))
    summary = {"events": number(len(data.events), lang), "places": number(len(data.sites), lang),
               "first": format_day(data.first_day, lang), "last": format_day(data.last_day, lang)}
    body = render_template("make_preview.html", **context(
        lang, rendered=rendered, map_title=data.title.get(lang), summary=summary, upload_name=upload.name,
        sheet=base64.b64encode(upload.data).decode("ascii"), form=typed_form(upload)))
    return html(body)
