"""Cross-record checks with shapely and geopy: references, regions, routes, dates, coordinates."""
from __future__ import annotations

from collections.abc import Sequence

from geopy.distance import geodesic
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import nearest_points

from .errors import Problems
from .records import RELIABLE_KINDS, Claim, Dataset, Region

SAME_PLACE_METRES = 1.0
GRID = 10_000  # cells of 1e-4 degree (about 8-11 m): only neighbouring cells can hold the same place


def route_length_km(coords: Sequence[tuple[float, float]]) -> float:
    """Geodesic length (WGS84 ellipsoid) of a [lon, lat] line, in kilometres."""
    return sum(geodesic((a[1], a[0]), (b[1], b[0])).km for a, b in zip(coords, coords[1:]))


def region_polygon(region: Region) -> Polygon:
    return Polygon(region.rings[0], region.rings[1:])


def region_polygons(regions: dict[str, Region]) -> dict[str, Polygon]:
    return {rid: region_polygon(r) for rid, r in regions.items()}


def containing_region(lat: float, lon: float, polygons: dict[str, Polygon]) -> str | None:
    """The smallest region covering the point: regions may nest (Budapest inside Pest county)."""
    point = Point(lon, lat)
    hits = sorted((p.area, rid) for rid, p in polygons.items() if p.covers(point))
    return hits[0][1] if hits else None


def placement_problem(lat: float, lon: float, polygons: dict[str, Polygon],
                      region: str | None = None) -> tuple[str, str] | None:
    """(field, message) when the point is not inside `region` (or any region); names a swap."""
    chosen = {region: polygons[region]} if region in polygons else polygons
    if not chosen or containing_region(lat, lon, chosen):
        return None
    if containing_region(lon, lat, chosen):
        return "lat", f"lat {lat} and lon {lon} look swapped"
    where = f"region {region!r}" if region in polygons else "every region of the dataset"
    return "region", f"({lat}, {lon}) lies outside {where}"


def check_dataset(dataset: Dataset, claims: list[Claim], problems: Problems) -> None:
    """Add a problem for every broken reference, misplaced site, stray route or out-of-range date."""
    _check_references(dataset, claims, problems)
    _check_sites(dataset, problems)
    _check_routes(dataset, problems)
    _check_dates(dataset, problems)


def _check_references(dataset: Dataset, claims: list[Claim], problems: Problems) -> None:
    events = {e.id for e in dataset.events}
    kinds_declared = any(s.kind for s in dataset.sources.values())
    for e in dataset.events:
        cited = [dataset.sources[sid] for sid in e.source_ids if sid in dataset.sources]
        if kinds_declared and cited and not any(s.kind in RELIABLE_KINDS for s in cited):
            problems.add("events.csv", e.line, "sources",
                         f"none of {', '.join(s.id for s in cited)} is a chronology, scholarship, archive "
                         "or institute", "at least one source of kind " + ", ".join(RELIABLE_KINDS))
        if e.site_id and e.site_id not in dataset.sites:
            problems.add("events.csv", e.line, "site_id", f"unknown site {e.site_id!r}", "an id from sites.csv")
        if e.route_id and e.route_id not in dataset.routes:
            problems.add("events.csv", e.line, "route_id", f"unknown route {e.route_id!r}",
                         "an id from routes.geojson")
        for sid in e.source_ids:
            if sid not in dataset.sources:
                problems.add("events.csv", e.line, "sources", f"unknown source {sid!r}", "ids from sources.csv")
    for c in claims:
        if c.event_id and c.event_id not in events:
            problems.add("claims.csv", c.line, "event_id", f"unknown event {c.event_id!r}", "an id from events.csv")
        if c.source_id and c.source_id not in dataset.sources:
            problems.add("claims.csv", c.line, "source_id", f"unknown source {c.source_id!r}",
                         "an id from sources.csv")
    for r in dataset.routes.values():
        for sid in r.site_ids:
            if sid not in dataset.sites:
                problems.add("routes.geojson", r.line, "sites", f"unknown site {sid!r}", "ids from sites.csv")
        for sid in r.source_ids:
            if sid not in dataset.sources:
                problems.add("routes.geojson", r.line, "sources", f"unknown source {sid!r}", "ids from sources.csv")


def _check_sites(dataset: Dataset, problems: Problems) -> None:
    polygons = region_polygons(dataset.regions)
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for site in dataset.sites.values():
        if polygons:
            if site.region not in polygons:
                problems.add("sites.csv", site.line, "region", f"unknown region {site.region!r}",
                             f"one of {', '.join(sorted(polygons))}")
            elif found := placement_problem(site.lat, site.lon, polygons, site.region):
                problems.add("sites.csv", site.line, *found,
                             f"a point inside {dataset.regions[site.region].name.en}")
        other = _same_place(grid, site.lat, site.lon)
        if other:
            problems.add("sites.csv", site.line, "lat", f"same coordinates as site {other!r}",
                         "one site per place: reuse that id")
        cell = (round(site.lat * GRID), round(site.lon * GRID))
        grid.setdefault(cell, []).append((site.lat, site.lon, site.id))


def _same_place(grid: dict, lat: float, lon: float) -> str | None:
    """Id of an earlier site within SAME_PLACE_METRES, looking only at the 3x3 neighbouring cells."""
    row, col = round(lat * GRID), round(lon * GRID)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            for other_lat, other_lon, other in grid.get((row + dr, col + dc), ()):
                if geodesic((other_lat, other_lon), (lat, lon)).meters < SAME_PLACE_METRES:
                    return other
    return None


def _check_routes(dataset: Dataset, problems: Problems) -> None:
    area = None
    if dataset.regions:
        from shapely.ops import unary_union
        area = unary_union([region_polygon(r) for r in dataset.regions.values()]).buffer(0.02)
    for route in dataset.routes.values():
        line = LineString(route.coords)
        if area is not None and not area.covers(line):
            problems.add("routes.geojson", route.line, "geometry.coordinates",
                         f"route {route.id!r} leaves the dataset's regions", "a line inside regions.geojson")
        for sid in route.site_ids:
            site = dataset.sites.get(sid)
            if site is None:
                continue
            near = nearest_points(line, Point(site.lon, site.lat))[0]
            metres = geodesic((site.lat, site.lon), (near.y, near.x)).meters
            if metres > route.tolerance_m:
                problems.add("routes.geojson", route.line, "sites",
                             f"route {route.id!r} passes {metres:,.0f} m from site {sid!r}",
                             f"within tolerance_m = {route.tolerance_m:,.0f} m")


def _check_dates(dataset: Dataset, problems: Problems) -> None:
    _check_time_order(dataset, problems)
    first, last = dataset.declared_range
    if first is None and last is None:
        return
    for e in dataset.events:
        for field, day in (("date_start", e.date_start), ("date_end", e.date_end)):
            if (first and day < first) or (last and day > last):
                problems.add("events.csv", e.line, field, f"{day} is outside the dataset's range",
                             f"a date from {first} to {last} (dataset.json)")


def _check_time_order(dataset: Dataset, problems: Problems) -> None:
    """Within a day the file order is the list order, so timed events must not go back in time."""
    latest: dict = {}
    for e in sorted(dataset.events, key=lambda e: e.line):
        if not e.time:
            continue
        before = latest.get(e.date_start)
        if before and e.time < before[0]:
            problems.add("events.csv", e.line, "time",
                         f"{e.time} comes after {before[0]} (line {before[1]}) on the same day",
                         "each day's events in time order")
        else:
            latest[e.date_start] = (e.time, e.line)
