"""Page routes: the map, the embed view and the sources list, each served as cached bytes."""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from .compression import respond
from .mapbuild import MapOptions, RenderedMap, build_map, render_map
from .mapstate import State, canonical_state, state_day
from .pagedata import data_url
from .pages import BuiltPage
from .records import LANGS, Dataset
from .security import harden
from .strings import categories, ui
from .timeline import format_day

bp = Blueprint("pages", __name__)

LANG_NAMES = {"en": "English", "hu": "Magyar"}
OG_LOCALES = {"en": "en_GB", "hu": "hu_HU"}


def dataset() -> Dataset:
    return current_app.extensions["mapapp.dataset"]


def page_lang() -> str:
    """The `lang` parameter when it names a language we have; otherwise English (the page says so)."""
    lang = request.args.get("lang", "en")
    return lang if lang in LANGS else "en"


def static_base() -> str:
    """Where this server's pages find their assets (the served names come from assets.py)."""
    return url_for("static", filename="")


def common(lang: str, base: str | None = None) -> dict:
    other = "hu" if lang == "en" else "en"
    return {
        "lang": lang, "t": ui(lang), "asset_base": base or static_base(),
        "site_title": dataset().title.get(lang),
        "other_lang": other, "other_lang_name": LANG_NAMES[other],
    }


def page_meta(lang: str, message: str, day: date | None = None) -> dict[str, str]:
    """Meta description and Open Graph title/description, naming the day (link previews in an LMS)."""
    title = dataset().title.get(lang)
    day_label = format_day(day, lang) if day else ""
    return {"title": f"{title} – {day_label}" if day_label else title,
            "description": ui(lang)[message].format(title=title, day=day_label),
            "locale": OG_LOCALES[lang]}


def proxy_cache_headers() -> dict[str, str]:
    """How long nginx may answer this page or API request from its own cache (PROXY_CACHE_SECONDS,
    X-Accel-Expires, which nginx reads and removes). Browsers get `no-cache` and revalidate."""
    seconds = int(current_app.config["PROXY_CACHE_SECONDS"])
    return {"X-Accel-Expires": str(seconds)} if seconds > 0 else {}


def _send(page: BuiltPage) -> Response:
    return respond(page.entity, page.mimetype, "no-cache", headers=proxy_cache_headers())


def serve_cached(key: Hashable, build: Callable[[], str], mimetype: str) -> Response:
    """An API answer from the page cache, compressed as the client accepts; 304 when the client
    already has these bytes."""
    return _send(current_app.extensions["mapapp.pages"].get(key, build, mimetype))


def serve(key: Hashable, build: Callable[[], str], frame_ancestors: str = "'self'") -> Response:
    """A page from the page cache, as serve_cached, with its security headers (the CSP allows its
    inline scripts by hash)."""
    page = current_app.extensions["mapapp.pages"].get(key, build)
    return harden(_send(page), page.script_hashes, frame_ancestors, current_app.config["TILES_URL"])


def public_base() -> str:
    """The map's public address: PUBLIC_URL, else the (trusted) address this request came to."""
    base = current_app.config["PUBLIC_URL"] or request.url_root
    return base if base.endswith("/") else base + "/"


def absolute(endpoint: str) -> str:
    """The public address of a route: PUBLIC_URL (or the request's root) plus the route's path
    below the app's root, so an app mounted under a prefix is not given the prefix twice."""
    path = url_for(endpoint)
    root = request.script_root
    return public_base() + (path[len(root):] if root and path.startswith(root) else path).lstrip("/")


def with_state(url: str, state: State) -> str:
    return f"{url}?{urlencode(state)}" if state else url


def map_links(lang: str, state: State = (), embed: bool = False) -> dict[str, str]:
    """Links of a map or embed page; the oEmbed discovery link carries the page's own state."""
    other = "hu" if lang == "en" else "en"
    map_abs, embed_abs = absolute("pages.index"), absolute("pages.embed")
    this_page = with_state(embed_abs if embed else map_abs, state)
    return {"sources": url_for("pages.sources", lang=lang),
            "other_lang": url_for("pages.index", lang=other),
            "full": url_for("pages.index", lang=lang),
            "print": url_for("print.page", lang=lang),
            "make": url_for("make.page", lang=lang),
            "map_abs": map_abs,
            "embed_abs": embed_abs,
            "oembed": absolute("oembed.oembed") + "?" + urlencode({"url": this_page, "format": "json"})}


_render_lock = threading.Lock()


def rendered_map(options: MapOptions) -> RenderedMap:
    """The folium part of a map page, rendered once per language and asset base; the per-state
    page around it is a cheap template render (so a new state never rebuilds the map)."""
    maps: dict[MapOptions, RenderedMap] = current_app.extensions.setdefault("mapapp.maps", {})
    with _render_lock:
        if options not in maps:
            maps[options] = render_map(build_map(dataset(), options))
        return maps[options]


def build_map_page(lang: str, embed: bool, links: dict[str, str] | None = None,
                   asset_base: str | None = None, state: State = (), page_data: str | None = None) -> str:
    """The map or embed page; `links`, `asset_base` and the data file's URL `page_data` default
    to this server's URLs (the static export passes relative ones, see export.py)."""
    config = current_app.config
    links = links or map_links(lang, state, embed)
    base = asset_base or static_base()
    options = MapOptions(
        lang=lang, asset_base=base, tiles_url=config["TILES_URL"],
        tiles_attribution=config["TILES_ATTRIBUTION"], tiles_max_zoom=int(config["TILES_MAX_ZOOM"]),
        sources_url=links["sources"], data_url=page_data or data_url(lang),
    )
    day = state_day(state, dataset())
    return render_template("map.html", rendered=rendered_map(options), embed=embed, links=links,
                           categories=categories(lang), meta=page_meta(lang, "metaMap", day),
                           has_lessons=bool(dataset().lessons), **common(lang, base))


def map_state() -> tuple[str, State]:
    state = canonical_state(request.args, dataset())
    return dict(state).get("lang", "en"), state


@bp.get("/")
def index() -> Response:
    lang, state = map_state()
    return serve(("map", public_base(), state), lambda: build_map_page(lang, embed=False, state=state))


@bp.get("/embed")
def embed() -> Response:
    lang, state = map_state()
    return serve(("embed", public_base(), state), lambda: build_map_page(lang, embed=True, state=state),
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
    return render_template("sources.html", sources=items, links=links, meta=page_meta(lang, "metaSources"),
                           **common(lang, asset_base))


@bp.get("/sources")
def sources() -> Response:
    lang = page_lang()
    return serve(("sources", lang), lambda: build_sources_page(lang))
