"""Page routes: the map, the embed view and the sources list, each served as cached bytes."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for

from .mapbuild import MapOptions, build_map, render_map
from .records import LANGS, Dataset
from .security import harden
from .strings import categories, ui
from .timeline import format_day

bp = Blueprint("pages", __name__)

CSS_VERSION = "1.0.0"
LANG_NAMES = {"en": "English", "hu": "Magyar"}


def dataset() -> Dataset:
    return current_app.extensions["mapapp.dataset"]


def page_lang() -> str:
    """The `lang` parameter when it names a language we have; otherwise English (the page says so)."""
    lang = request.args.get("lang", "en")
    return lang if lang in LANGS else "en"


def common(lang: str, asset_base: str | None = None) -> dict:
    other = "hu" if lang == "en" else "en"
    return {
        "lang": lang, "t": ui(lang), "asset_base": asset_base or url_for("static", filename=""),
        "site_title": dataset().title.get(lang),
        "css_version": CSS_VERSION, "other_lang": other, "other_lang_name": LANG_NAMES[other],
    }


def serve(key: tuple, build, frame_ancestors: str = "'self'") -> Response:
    """Serve a cached page; 304 when the client already has these bytes."""
    page = current_app.extensions["mapapp.pages"].get(key, build)
    if request.if_none_match.contains(page.etag):
        response = Response(status=304)
    else:
        response = Response(page.body, mimetype="text/html")
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Encoding")
    return harden(response, page.script_hashes, frame_ancestors, current_app.config["TILES_URL"])


def public_base() -> str:
    """The map's public address: the PUBLIC_URL setting, else the address this request came to."""
    base = current_app.config["PUBLIC_URL"] or request.url_root
    return base if base.endswith("/") else base + "/"


def map_links(lang: str) -> dict[str, str]:
    other = "hu" if lang == "en" else "en"
    base = public_base()
    page_url = base + url_for("pages.index").lstrip("/")
    return {"sources": url_for("pages.sources", lang=lang),
            "other_lang": url_for("pages.index", lang=other),
            "full": url_for("pages.index", lang=lang),
            "print": url_for("print.page", lang=lang),
            "make": url_for("make.page", lang=lang),
            "map_abs": page_url,
            "embed_abs": base + url_for("pages.embed").lstrip("/"),
            "oembed": base + url_for("oembed.oembed", url=page_url).lstrip("/")}


def build_map_page(lang: str, embed: bool, links: dict[str, str] | None = None,
                   asset_base: str | None = None) -> str:
    """The map or embed page; `links` and `asset_base` default to this server's URLs (the static
    export passes relative ones, see export.py)."""
    config = current_app.config
    links = links or map_links(lang)
    asset_base = asset_base or url_for("static", filename="")
    options = MapOptions(
        lang=lang, asset_base=asset_base, tiles_url=config["TILES_URL"],
        tiles_attribution=config["TILES_ATTRIBUTION"], tiles_max_zoom=int(config["TILES_MAX_ZOOM"]),
        sources_url=links["sources"],
    )
    rendered = render_map(build_map(dataset(), options))
    return render_template("map.html", rendered=rendered, embed=embed, links=links,
                           categories=categories(lang), **common(lang, asset_base))


@bp.get("/")
def index() -> Response:
    lang = page_lang()
    return serve(("map", lang, public_base()), lambda: build_map_page(lang, embed=False))


@bp.get("/embed")
def embed() -> Response:
    lang = page_lang()
    return serve(("embed", lang, public_base()), lambda: build_map_page(lang, embed=True),
                 frame_ancestors=current_app.config["FRAME_ANCESTORS"])


def build_sources_page(lang: str, links: dict[str, str] | None = None,
                       asset_base: str | None = None) -> str:
    data = dataset()
    citing: dict[str, list[dict[str, Any]]] = {sid: [] for sid in data.sources}
    for event in data.events:
        for sid in event.source_ids:
            citing[sid].append({"id": event.id, "date_start": event.date_start,
                                "date_label": format_day(event.date_start, lang),
                                "title": event.title.get(lang)})
    ordered = sorted(data.sources.values(), key=lambda s: (s.publisher.lower(), s.title.lower()))
    items = [{"source": s, "events": citing[s.id]} for s in ordered]
    other = "hu" if lang == "en" else "en"
    links = links or {"map": url_for("pages.index", lang=lang),
                      "other_lang": url_for("pages.sources", lang=other)}
    return render_template("sources.html", sources=items, links=links, **common(lang, asset_base))


@bp.get("/sources")
def sources() -> Response:
    lang = page_lang()
    return serve(("sources", lang), lambda: build_sources_page(lang))
