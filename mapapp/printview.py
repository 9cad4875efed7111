"""Print view: one day of the map as an A4 handout (map, events, sources, contested figures, QR).

`/print?date=YYYY-MM-DD&mode=day|cumulative&lang=en|hu`, validated like the API; each variant is
built once and served as cached bytes through views.serve (ETag, CSP). The small map is drawn by
static/js/print.js from one `<script type="application/json">` block; everything else is
plain HTML from the template, so the handout reads well even before the map has loaded.
"""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import unquote, urlencode

import segno
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .api import BadParameter, choice_param, day_param
from .fields import url_problem
from .mapbuild import DEFAULT_CENTER, LEAFLET_DIR, tile_options
from .payload import date_range_label
from .records import LANGS, Dataset, Event, Site, Source
from .strings import CATEGORY_COLORS, categories, ui
from .timeline import MODES, clamp, events_shown, format_day, is_shown, routes_shown
from .views import common, dataset, page_meta, public_base, serve

bp = Blueprint("print", __name__)

def day_url(base: str, day: date, mode: str, lang: str) -> str:
    """The online map's address for a day: what the QR code opens."""
    query = urlencode({"date": day.isoformat(), "mode": mode, "lang": lang})
    return f"{base}{'&' if '?' in base else '?'}{query}"


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (no size attributes: the print CSS sets the size)."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", dark="#000", light="#fff")


def readable_url(url: str) -> str:
    """A URL as a person types it from paper: percent-escapes of non-ASCII letters decoded."""
    try:
        text = unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url
    return url if url_problem(text) else text


def source_entry(source: Source, lang: str) -> dict[str, Any]:
    t = ui(lang)
    year = str(source.year) if source.year else t["undated"]
    return {"id": source.id, "title": source.title,
            "by": ", ".join(x for x in (source.author, source.publisher, year) if x),
            "kind": t[f"kind_{source.kind}"] if source.kind else "",
            "url": source.url, "url_text": readable_url(source.url)}


def place_names(site: Site | None, lang: str) -> str:
    """'(in 1956: ...; today: ...)', as the map's details panel says it."""
    if site is None:
        return ""
    t = ui(lang)
    if site.name_1956 == site.name_today:
        return t["placeSame"].format(name=site.name_1956)
    return t["placeRenamed"].format(then=site.name_1956, now=site.name_today)


def event_entry(number: int, event: Event, data: Dataset, lang: str) -> dict[str, Any]:
    """One event of the handout: its place then and now, and its sources numbered so the
    contested figures can point at them ([1], [2] ...)."""
    site = data.sites.get(event.site_id)
    route = data.routes.get(event.route_id)
    source_ids = list(dict.fromkeys([*event.source_ids, *(c.source_id for c in event.claims)]))
    sources = [source_entry(data.sources[s], lang) for s in source_ids]
    position = {s: i + 1 for i, s in enumerate(source_ids)}
    return {
        "number": number, "id": event.id, "title": event.title.get(lang),
        "summary": event.summary.get(lang), "time": event.time, "category": event.category,
        "when": date_range_label(event.date_start, event.date_end, lang),
        "place": site.name.get(lang) if site else route.name.get(lang) if route else "",
        "names": place_names(site, lang), "site": site, "route_id": event.route_id, "sources": sources,
        "claims": claim_groups(event, lang, sources, position),
    }


def claim_groups(event: Event, lang: str, sources: list[dict[str, Any]],
                 position: dict[str, int]) -> list[dict[str, Any]]:
    """Contested figures grouped by what they measure (in first-seen order), each with its source."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in event.claims:
        groups.setdefault(c.measure.get(lang), []).append({
            "value": c.value.get(lang), "note": c.note.get(lang), "ref": position[c.source_id],
            "source": sources[position[c.source_id] - 1]})
    return [{"measure": measure, "claims": claims} for measure, claims in groups.items()]


def map_data(data: Dataset, day: date, mode: str, current: list[dict[str, Any]],
             earlier: list[Event], tiles: dict[str, Any] | None) -> dict[str, Any]:
    """What the print map draws: numbered places for the day, faded ones before it, routes."""
    places: dict[str, dict[str, Any]] = {}
    for item in current:
        site = item["site"]
        if site:
            place = places.setdefault(site.id, {"lat": site.lat, "lon": site.lon, "labels": [],
                                                "color": CATEGORY_COLORS[item["category"]]})
            place["labels"].append(item["number"])
    faded = {e.site_id: data.sites[e.site_id] for e in earlier if e.site_id in data.sites}
    routes = []
    for route in routes_shown(data, day, mode):
        routes.append({
            "latlngs": [[round(lat, 6), round(lon, 6)] for lon, lat in route.coords],
            "color": CATEGORY_COLORS[route.category], "dashed": route.category == "soviet",
            "past": not is_shown(route.date_start, route.date_end, day, "day"),
            "labels": [i["number"] for i in current if i["route_id"] == route.id],
        })
    return {
        "places": list(places.values()),
        "faded": [{"lat": s.lat, "lon": s.lon} for sid, s in faded.items() if sid not in places],
        "routes": routes, "center": list(data.center or DEFAULT_CENTER), "zoom": data.zoom or 13,
        "tiles": tiles,
    }


def build_print_page(day: date, mode: str, lang: str, online_base: str) -> str:
    data = dataset()
    shown = events_shown(data, day, mode)
    today = [e for e in shown if is_shown(e.date_start, e.date_end, day, "day")]
    earlier = [e for e in shown if e not in today]
    current = [event_entry(n, e, data, lang) for n, e in enumerate(today, start=1)]
    online = day_url(online_base, day, mode, lang)
    labels = {c["id"]: c["label"] for c in categories(lang)}
    ctx = common(lang)
    config = current_app.config
    tiles = tile_options(config["TILES_URL"], config["TILES_ATTRIBUTION"], config["TILES_MAX_ZOOM"])
    return render_template(
        "print.html", day=day, day_label=format_day(day, lang), mode=mode, events=current,
        earlier=[{"when": format_day(e.date_start, lang), "title": e.title.get(lang)} for e in earlier],
        category_labels=labels, map_data=map_data(data, day, mode, current, earlier, tiles),
        online_url=online, qr=qr_svg(online), leaflet=LEAFLET_DIR,
        meta=page_meta(lang, "metaPrint", day),
        links={"map": url_for("pages.index", date=day.isoformat(), mode=mode, lang=lang),
               "other_lang": url_for("print.page", date=day.isoformat(), mode=mode,
                                     lang=ctx["other_lang"])},
        **ctx)


@bp.get("/print")
def page() -> ResponseReturnValue:
    data = dataset()
    try:
        lang = choice_param("lang", LANGS, "en")
        mode = choice_param("mode", MODES, "day")
        asked = day_param(request.args["date"]) if "date" in request.args else data.first_day
    except BadParameter as exc:
        abort(400, description=f"The print view's parameter {exc.parameter} is not understood: "
                               f"{exc.message} (expected {exc.expected}).")
    day = clamp(asked, data)
    if day != asked:  # one canonical URL (and one cached page) per day of the map
        return redirect(url_for("print.page", date=day.isoformat(), mode=mode, lang=lang))
    online_base = public_base()
    return serve(("print", day.isoformat(), mode, lang, online_base),
                 lambda: build_print_page(day, mode, lang, online_base))
