"""Load a dataset folder once, validate everything, and return typed records or one DataError."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from .checks import check_dataset, route_length_km
from .csvfile import Row, decode, read_rows
from .errors import Problems
from .fields import FieldReader, parse_date
from .geojson import feature_line, polygon_rings, positions, read_features
from .lessons import LESSONS_FILE, read_lessons
from .records import CATEGORIES, SOURCE_KINDS, Claim, Dataset, Event, Region, Route, Site, Source, Text

SITE_COLUMNS = ("id", "name_en", "name_hu", "name_1956", "name_today", "lat", "lon")
SITE_OPTIONAL = ("region", "precision", "precision_note", "coord_source")
EVENT_COLUMNS = ("id", "date_start", "category", "title_en", "title_hu", "summary_en",
                 "summary_hu", "sources")
EVENT_OPTIONAL = ("date_end", "time", "site_id", "route_id")
SOURCE_COLUMNS = ("id", "title", "publisher", "year", "url", "accessed")
SOURCE_OPTIONAL = ("author", "kind")
CLAIM_COLUMNS = ("id", "event_id", "measure_en", "measure_hu", "value_en", "value_hu", "source_id")
CLAIM_OPTIONAL = ("note_en", "note_hu")
PRECISIONS = ("exact", "approximate", "area")


def load_dataset(folder: str | Path) -> Dataset:
    """Read and validate every file of a dataset folder; raise DataError listing all problems."""
    folder = Path(folder)
    problems = Problems()
    if not folder.is_dir():
        problems.add(str(folder), None, None, "is not a folder",
                     "a dataset folder with sites.csv, events.csv, sources.csv")
        problems.raise_if_any()
    meta = _read_meta(folder / "dataset.json", problems)
    regions = read_regions(folder / "regions.geojson", problems)
    sites = _read_sites(folder / "sites.csv", problems, require_region=bool(regions))
    sources = _read_sources(folder / "sources.csv", problems)
    routes = _read_routes(folder / "routes.geojson", problems)
    claims = _read_claims(folder / "claims.csv", problems)
    events = _read_events(folder / "events.csv", problems, claims)
    if not events and not problems:
        problems.add("events.csv", None, None, "has no events", "at least one dated event")
    problems.raise_if_any()
    dataset = Dataset(
        sites=sites, sources=sources, routes=routes, regions=regions,
        events=tuple(sorted(events, key=Event.sort_key)),
        title=_meta_text(meta, folder.name),
        declared_range=_meta_range(meta, problems),
        **_meta_view(meta, problems),
    )
    check_dataset(dataset, claims, problems)
    lessons = read_lessons(folder / LESSONS_FILE, dataset, problems)
    problems.raise_if_any()
    return replace(dataset, lessons=lessons)


def _unique(rows_ids: list[tuple[int, str]], file: str, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for line, ident in rows_ids:
        if ident and ident in seen:
            problems.add(file, line, "id", f"{ident!r} is used again (first on line {seen[ident]})", "a unique id")
        seen.setdefault(ident, line)


def _read_sites(path: Path, problems: Problems, require_region: bool) -> dict[str, Site]:
    rows = read_rows(path, SITE_COLUMNS + (("region",) if require_region else ()),
                     SITE_OPTIONAL, problems)
    sites: dict[str, Site] = {}
    _unique([(r.line, r.values.get("id", "")) for r in rows], path.name, problems)
    for row in rows:
        f = FieldReader(problems, path.name, row.line, row.values)
        geocoded = not needs_geocoding(row.values)
        if not geocoded:
            f.problem("lat", "is empty, and so is lon: not geocoded yet",
                      "coordinates: run `mapapp geocode DIR`, or fill in lat and lon")
        ident = f.ident("id")
        name = Text(f.text("name_en"), f.text("name_hu"))
        name_1956, name_today = f.text("name_1956"), f.text("name_today")
        lat = f.number("lat", -90, 90, "a latitude in degrees") if geocoded else None
        lon = f.number("lon", -180, 180, "a longitude in degrees") if geocoded else None
        region = f.text("region", required=require_region and geocoded)
        precision = f.choice("precision", PRECISIONS) if f.raw("precision") else "exact"
        precision_note = f.raw("precision_note")
        if precision in ("approximate", "area") and not precision_note:
            f.problem("precision_note", "is empty", f"why the position is {precision}")
        if ident and lat is not None and lon is not None:
            sites.setdefault(ident, Site(
                id=ident, name=name, name_1956=name_1956, name_today=name_today, lat=lat, lon=lon,
                region=region, precision=precision, precision_note=precision_note,
                coord_source=f.raw("coord_source"), line=row.line,
            ))
    return sites


def needs_geocoding(values: dict[str, str]) -> bool:
    """A site row whose lat and lon are both empty waits for `mapapp geocode`."""
    return not values.get("lat", "").strip() and not values.get("lon", "").strip()


def _read_sources(path: Path, problems: Problems) -> dict[str, Source]:
    rows = read_rows(path, SOURCE_COLUMNS, SOURCE_OPTIONAL, problems)
    _unique([(r.line, r.values.get("id", "")) for r in rows], path.name, problems)
    sources: dict[str, Source] = {}
    with_kinds = bool(rows) and "kind" in rows[0].values
    for row in rows:
        f = FieldReader(problems, path.name, row.line, row.values)
        ident, title, author = f.ident("id"), f.text("title"), f.raw("author")
        publisher = f.text("publisher", required=bool(f.raw("url")))
        url, accessed = f.url("url", required=False), f.date("accessed")
        # a work cannot be published after it was read; the clock is never consulted
        latest = accessed.year if accessed else 9999
        year = f.integer("year", 1000, latest, undated_ok=True) if f.raw("year") else None
        kind = f.choice("kind", SOURCE_KINDS) if with_kinds else ""
        if ident and accessed:
            sources.setdefault(ident, Source(
                id=ident, title=title, author=author, publisher=publisher, year=year, url=url,
                accessed=accessed, kind=kind, line=row.line))
    return sources


def _read_claims(path: Path, problems: Problems) -> list[Claim]:
    if not path.exists():
        return []
    rows = read_rows(path, CLAIM_COLUMNS, CLAIM_OPTIONAL, problems)
    _unique([(r.line, r.values.get("id", "")) for r in rows], path.name, problems)
    claims = []
    for row in rows:
        f = FieldReader(problems, path.name, row.line, row.values)
        claims.append(Claim(
            id=f.ident("id"), event_id=f.ident("event_id"),
            measure=Text(f.text("measure_en"), f.text("measure_hu")),
            value=Text(f.text("value_en"), f.text("value_hu")),
            source_id=f.ident("source_id"),
            note=Text(f.raw("note_en"), f.raw("note_hu")), line=row.line,
        ))
    return claims


def _read_events(path: Path, problems: Problems, claims: list[Claim]) -> list[Event]:
    rows: list[Row] = read_rows(path, EVENT_COLUMNS, EVENT_OPTIONAL, problems)
    _unique([(r.line, r.values.get("id", "")) for r in rows], path.name, problems)
    by_event: dict[str, list[Claim]] = {}
    for claim in claims:
        by_event.setdefault(claim.event_id, []).append(claim)
    events: list[Event] = []
    for row in rows:
        f = FieldReader(problems, path.name, row.line, row.values)
        start, end = f.date_span("date_start", "date_end")
        category = f.choice("category", CATEGORIES)
        site_id, route_id = f.ident("site_id", required=False), f.ident("route_id", required=False)
        # a malformed id is already reported; only two truly empty columns are a missing place
        if not f.raw("site_id") and not f.raw("route_id") and category != "international":
            f.problem("site_id", "is empty and so is route_id", "a site id or a route id")
        ident = f.ident("id")
        if start is None:
            continue
        events.append(Event(
            id=ident, date_start=start, date_end=end or start,
            time=f.time("time"), site_id=site_id, route_id=route_id, category=category,
            title=Text(f.text("title_en"), f.text("title_hu")),
            summary=Text(f.text("summary_en"), f.text("summary_hu")),
            source_ids=f.id_list("sources"), claims=tuple(by_event.get(ident, ())), line=row.line,
        ))
    return events


def _read_routes(path: Path, problems: Problems) -> dict[str, Route]:
    if not path.exists():
        return {}
    text, features = read_features(path, problems)
    routes: dict[str, Route] = {}
    for index, feature in enumerate(features):
        line = feature_line(text, feature, index)
        props = feature.get("properties") if isinstance(feature, dict) else None
        values = {k: _as_text(v) for k, v in props.items()} if isinstance(props, dict) else {}
        f = FieldReader(problems, path.name, line, values)
        if not isinstance(props, dict):
            f.problem(f"features[{index}].properties", "is missing", "an object with id, name_en ...")
            continue
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
            got = geometry.get("type") if isinstance(geometry, dict) else geometry
            f.problem("geometry.type", f"{got!r} is not a LineString", "LineString")
            continue
        coords = positions(geometry.get("coordinates"), f.problem, "geometry.coordinates")
        if coords is not None and len(coords) < 2:
            f.problem("geometry.coordinates", "has fewer than two positions", "a line of 2 or more positions")
            coords = None
        start, end = f.date_span("date_start", "date_end")
        ident = f.ident("id")
        name, category = Text(f.text("name_en"), f.text("name_hu")), f.choice("category", CATEGORIES)
        site_ids = _id_tuple(props.get("sites"), f, "sites")
        tolerance = f.number("tolerance_m", 0, 100_000, "metres") if "tolerance_m" in props else 2000.0
        source_ids = _id_tuple(props.get("sources"), f, "sources")
        if ident in routes:
            f.problem("id", f"{ident!r} is used again (first on line {routes[ident].line})", "a unique id")
        elif ident and coords and start and tolerance is not None:
            routes[ident] = Route(
                id=ident, name=name, date_start=start, date_end=end or start, category=category,
                coords=tuple(coords), site_ids=site_ids, tolerance_m=tolerance, source_ids=source_ids,
                length_km=route_length_km(coords), line=line,
            )
    return routes


def _as_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return value if isinstance(value, str) else ""


def _id_tuple(value: Any, f: FieldReader, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        f.problem(field, "is not a list of ids", '["id", ...]')
        return ()
    return FieldReader(f.problems, f.file, f.line, {field: ";".join(value)}).id_list(field, required=False)


def read_regions(path: Path, problems: Problems) -> dict[str, Region]:
    if not path.exists():
        return {}
    text, features = read_features(path, problems)
    regions: dict[str, Region] = {}
    for index, feature in enumerate(features):
        line = feature_line(text, feature, index)
        props = feature.get("properties") if isinstance(feature, dict) else {}
        f = FieldReader(problems, path.name, line,
                        {k: _as_text(v) for k, v in (props or {}).items()})
        rings = polygon_rings(feature.get("geometry") if isinstance(feature, dict) else None, f.problem)
        ident = f.ident("id")
        name = Text(f.text("name_en"), f.text("name_hu"))
        if ident and rings:
            regions[ident] = Region(ident, name, tuple(tuple(r) for r in rings))
    return regions


def _read_meta(path: Path, problems: Problems) -> dict[str, Any]:
    if not path.exists():
        return {}
    text = decode(path, problems, path.name)
    if text is None:
        return {}
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(path.name, exc.lineno, None, f"is not valid JSON: {exc.msg}", "a JSON object")
        return {}
    if not isinstance(meta, dict):
        problems.add(path.name, 1, None, "is not a JSON object", '{"title": {...}, "first_day": ...}')
        return {}
    return meta


def _meta_text(meta: dict[str, Any], fallback: str) -> Text:
    title = meta.get("title")
    if isinstance(title, dict):
        return Text(str(title.get("en") or fallback), str(title.get("hu") or title.get("en") or fallback))
    return Text(fallback, fallback)


def _meta_range(meta: dict[str, Any], problems: Problems) -> tuple[date | None, date | None]:
    out: list[date | None] = []
    for key in ("first_day", "last_day"):
        value = meta.get(key)
        if value is None:
            out.append(None)
            continue
        out.append(parse_date(str(value), lambda msg, key=key: problems.add(
            "dataset.json", None, key, msg, "a date YYYY-MM-DD")))
    return out[0], out[1]


def _meta_view(meta: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The map's opening view from dataset.json: center [lat, lon] and zoom."""
    view: dict[str, Any] = {}
    center, zoom = meta.get("center"), meta.get("zoom")
    if center is not None:
        if (isinstance(center, list) and len(center) == 2
                and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in center)
                and -90 <= center[0] <= 90 and -180 <= center[1] <= 180):
            view["center"] = (float(center[0]), float(center[1]))
        else:
            problems.add("dataset.json", None, "center", f"{json.dumps(center)} is not a position",
                         "[lat, lon] in degrees")
    if zoom is not None:
        if isinstance(zoom, int) and not isinstance(zoom, bool) and 1 <= zoom <= 19:
            view["zoom"] = zoom
        else:
            problems.add("dataset.json", None, "zoom", f"{json.dumps(zoom)} is not a zoom level",
                         "a whole number from 1 to 19")
    return view
