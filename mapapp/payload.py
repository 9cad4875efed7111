"""The dataset as plain JSON-ready dicts: the page's data for the day slider, and GeoJSON for the API."""
from __future__ import annotations

from datetime import date
from typing import Any

from .records import SOURCE_KINDS, Claim, Dataset, Event, Route, Site, Source
from .strings import categories, ui
from .timeline import days, format_day

# The interface texts the day slider's scripts show (static/js: t.NAME in controls, details,
# urlstate, dayslider; tests/test_assets.py reads the scripts to keep this list whole), and the
# source kinds' labels (t[`kind_${kind}`]).
SLIDER_STRINGS = ("allSources", "badParam", "claimSource", "claimValue", "claimsHeading", "clamped", "close",
                  "dayLabel", "fitDay", "legend", "modeCumulative", "modeDay", "modeLegend", "nextDay", "pause",
                  "placeRenamed", "placeSame", "play", "precisionApproximate", "precisionArea", "previousDay",
                  "routeTooltip", "sources", "undated", *(f"kind_{kind}" for kind in SOURCE_KINDS))


def date_range_label(start: date, end: date, lang: str) -> str:
    """'4–9 November 1956', '28 October – 6 November 1956'; '1956. november 4–9.' in Hungarian."""
    if start == end:
        return format_day(start, lang)
    if start.year != end.year:
        return f"{format_day(start, lang)} – {format_day(end, lang)}"
    if lang == "hu":
        head = format_day(start, lang)[:-1]
        tail = f"{end.day}." if start.month == end.month else format_day(end, lang).split(" ", 1)[1]
        return f"{head}–{tail}" if start.month == end.month else f"{head}. – {tail}"
    end_text = format_day(end, lang)
    if start.month == end.month:
        return f"{start.day}–{end_text}"
    return f"{format_day(start, lang).rsplit(' ', 1)[0]} – {end_text}"


def page_payload(dataset: Dataset, lang: str) -> dict[str, Any]:
    """Everything the day slider needs, in one language; days are indexes into `days`."""
    day_list = days(dataset)
    index = {d: i for i, d in enumerate(day_list)}
    return {
        "lang": lang,
        "days": [d.isoformat() for d in day_list],
        "dayLabels": [format_day(d, lang) for d in day_list],
        "categories": categories(lang),
        "strings": {key: ui(lang)[key] for key in SLIDER_STRINGS},
        "sites": {s.id: _site(s, lang) for s in dataset.sites.values()},
        "sources": {s.id: _source(s) for s in dataset.sources.values()},  # kind labels: strings.kind_*
        "routes": [{
            "id": r.id, "name": r.name.get(lang), "category": r.category,
            "start": index[r.date_start], "end": index[r.date_end],
            "latlngs": [[round(lat, 6), round(lon, 6)] for lon, lat in r.coords],
            "lengthKm": round(r.length_km),
        } for r in dataset.routes.values()],
        "events": [{
            "id": e.id, "start": index[e.date_start], "end": index[e.date_end], "time": e.time,
            "site": e.site_id, "route": e.route_id, "category": e.category,
            "title": e.title.get(lang), "summary": e.summary.get(lang), "sources": list(e.source_ids),
            "dateRange": date_range_label(e.date_start, e.date_end, lang),
            "claims": [_claim(c, lang) for c in e.claims],
        } for e in dataset.events],
    }


def _site(site: Site, lang: str) -> dict[str, Any]:
    return {"name": site.name.get(lang), "name1956": site.name_1956, "nameToday": site.name_today,
            "lat": site.lat, "lon": site.lon, "precision": site.precision,
            "precisionNote": site.precision_note}


def _source(source: Source) -> dict[str, Any]:
    return {"title": source.title, "author": source.author, "publisher": source.publisher,
            "year": source.year, "url": source.url, "kind": source.kind or None}


def _claim(claim: Claim, lang: str) -> dict[str, Any]:
    return {"measure": claim.measure.get(lang), "value": claim.value.get(lang),
            "source": claim.source_id, "note": claim.note.get(lang)}


def site_feature(site: Site, lang: str) -> dict[str, Any]:
    return {"type": "Feature", "id": site.id,
            "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
            "properties": {"id": site.id, "name": site.name.get(lang), "name_en": site.name.en,
                           "name_hu": site.name.hu, "name_1956": site.name_1956,
                           "name_today": site.name_today, "region": site.region,
                           "precision": site.precision, "precision_note": site.precision_note}}


def route_feature(route: Route, lang: str) -> dict[str, Any]:
    return {"type": "Feature", "id": route.id,
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in route.coords]},
            "properties": {"id": route.id, "name": route.name.get(lang), "category": route.category,
                           "date_start": route.date_start.isoformat(),
                           "date_end": route.date_end.isoformat(),
                           "length_km": round(route.length_km, 1), "sites": list(route.site_ids),
                           "sources": list(route.source_ids)}}


def event_feature(event: Event, dataset: Dataset, lang: str) -> dict[str, Any]:
    site = dataset.sites.get(event.site_id)
    route = dataset.routes.get(event.route_id)
    geometry = ({"type": "Point", "coordinates": [site.lon, site.lat]} if site else
                {"type": "LineString", "coordinates": [list(c) for c in route.coords]} if route else None)
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": {
        "id": event.id, "title": event.title.get(lang), "summary": event.summary.get(lang),
        "date_start": event.date_start.isoformat(), "date_end": event.date_end.isoformat(),
        "time": event.time or None, "category": event.category,
        "site_id": event.site_id or None, "route_id": event.route_id or None,
        "place": site.name.get(lang) if site else route.name.get(lang) if route else None,
        "sources": [{"id": s, **_source(dataset.sources[s])} for s in event.source_ids],
        "claims": [{**_claim(c, lang), "source": {"id": c.source_id, **_source(dataset.sources[c.source_id])}}
                   for c in event.claims],
    }}
