"""Fill missing site coordinates from place names with Nominatim (geopy), politely and durably.

Polite: one request per second at most, an identifying User-Agent, results bounded to the
dataset's regions. Durable: every answer goes to `geocode-cache.json` in the dataset at once
(atomically), so a killed run loses nothing and the next run asks only what is still open.
Errors (timeouts, 429, 5xx) are stored as `error` and asked again next time, never as `no_match`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderRateLimited, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from shapely.geometry import Point

from .checks import containing_region, region_polygons
from .csvfile import read_rows, write_rows, write_text_atomic
from .errors import DataError, Problem, Problems
from .geodata import SITE_COLUMNS, SITE_OPTIONAL, needs_geocoding, read_regions

CACHE_NAME = "geocode-cache.json"
MIN_DELAY_SECONDS = 1.0
MAX_ERRORS_IN_A_ROW = 3
STATUSES = ("ok", "no_match", "error")
RATE_LIMITED = "rate limited (429)"


@dataclass
class Lookup:
    """One cached answer: what was asked, where, what came back and when."""

    query: str
    region: str
    status: str
    lat: float | None = None
    lon: float | None = None
    display_name: str = ""
    osm: str = ""
    provider: str = ""
    time: str = ""
    message: str = ""

    @property
    def key(self) -> str:
        return cache_key(self.query, self.region)


def cache_key(query: str, region: str) -> str:
    return f"{query} [in {region}]" if region else query


class GeocodeCache:
    """The dataset's geocode-cache.json: {"entries": {key: Lookup}}; saved atomically."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, Lookup] = {}
        if path.exists():
            self._load()

    def _load(self) -> None:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            for key, item in doc["entries"].items():
                lookup = Lookup(**item)
                if lookup.status in STATUSES:
                    self.entries[key] = lookup
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DataError([Problem(self.path.name, None, None, f"cannot be read: {exc}",
                                     "the file mapapp geocode writes; delete it to start afresh")]) from exc

    def latest(self) -> datetime | None:
        """When the last request recorded here was made (to keep the limit across runs)."""
        times = []
        for lookup in self.entries.values():
            try:
                times.append(datetime.fromisoformat(lookup.time))
            except (TypeError, ValueError):
                continue
        return max(times, default=None)

    def get(self, query: str, region: str) -> Lookup | None:
        return self.entries.get(cache_key(query, region))

    def put(self, lookup: Lookup) -> None:
        self.entries[lookup.key] = lookup
        doc = {"entries": {k: asdict(v) for k, v in sorted(self.entries.items())}}
        write_text_atomic(self.path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def nominatim_endpoint(url: str) -> tuple[str, str]:
    """geopy's (domain, scheme) from a base URL such as https://nominatim.example.org/sub."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) address of a Nominatim server")
    path = parts.path.rstrip("/")
    path = path[: -len("/search")] if path.endswith("/search") else path
    return parts.netloc + path, parts.scheme


class NominatimClient:
    """geopy's Nominatim behind a RateLimiter that lets errors through (no silent 'no match')."""

    def __init__(self, url: str, user_agent: str, timeout: float = 10.0,
                 min_delay: float = MIN_DELAY_SECONDS):
        domain, scheme = nominatim_endpoint(url)
        self.min_delay = min_delay
        self.previous: datetime | None = None
        self.provider = f"nominatim {scheme}://{domain}"
        # urllib, not requests: requests' adapter retries timeouts at once, which would break the limit
        geocoder = Nominatim(domain=domain, scheme=scheme, user_agent=user_agent, timeout=timeout,
                             adapter_factory=URLLibAdapter)
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, max_retries=0,
                                    swallow_exceptions=False)

    def search(self, query: str, bounds: tuple[float, float, float, float] | None) -> list[Any]:
        """Up to five candidates; `bounds` (min lon, min lat, max lon, max lat) restricts them."""
        if self.previous is not None:  # a run that follows another at once still waits
            wait = self.min_delay - (datetime.now(UTC) - self.previous).total_seconds()
            time.sleep(max(0.0, min(wait, self.min_delay)))
            self.previous = None
        options: dict[str, Any] = {"exactly_one": False, "limit": 5}
        if bounds:
            options.update(viewbox=[(bounds[1], bounds[0]), (bounds[3], bounds[2])], bounded=True)
        return self._geocode(query, **options) or []


@dataclass
class GeocodeReport:
    """What a run did: counts by outcome and a problem for every site still without coordinates."""

    asked: int = 0
    from_cache: int = 0
    filled: int = 0
    problems: list[Problem] = field(default_factory=list)


def geocode_folder(folder: Path, client: NominatimClient | None,
                   progress: Callable[[str], None] = lambda line: None) -> GeocodeReport:
    """Give every site of `folder`/sites.csv with empty lat and lon its coordinates.

    `client=None` is offline: only cached answers are used. sites.csv is rewritten once, at the
    end and atomically; the cache after every answer. Raises DataError if sites.csv or
    regions.geojson cannot be read.
    """
    folder = Path(folder)
    problems = Problems()
    regions = read_regions(folder / "regions.geojson", problems)
    polygons = region_polygons(regions)
    sites_path = folder / "sites.csv"
    rows = read_rows(sites_path, SITE_COLUMNS, SITE_OPTIONAL, problems)
    problems.raise_if_any()
    cache = GeocodeCache(folder / CACHE_NAME)
    if client is not None:
        client.previous = cache.latest()
    report = GeocodeReport()
    todo = [row for row in rows if needs_geocoding(row.values)]
    errors_in_a_row, stopped = 0, ""
    for number, row in enumerate(todo, 1):
        values = row.values
        query = values.get("name_today") or values.get("name_en") or values.get("name_1956") or ""
        region = values.get("region", "") if polygons else ""  # the area the answer must lie in

        def problem(message: str, expected: str, field_name: str = "lat",
                    line: int = row.line, label: str = f"[{number}/{len(todo)}] {query}") -> None:
            report.problems.append(Problem("sites.csv", line, field_name, message, expected))
            progress(f"{label}: {message}")

        if not query:
            problem("is empty, and so is every name", "a name to look up", "name_today")
            continue
        if region and region not in polygons:
            problem(f"unknown region {region!r}", f"one of {', '.join(sorted(polygons))}", "region")
            continue
        lookup = cache.get(query, region)
        cached = lookup is not None and lookup.status != "error"
        if not cached and (client is None or stopped):
            why = f"last attempt failed ({lookup.message})" if lookup else "not in the cache"
            if client is None:
                problem(f"{query!r} is not geocoded: {why}", "a run of `mapapp geocode` without --offline")
            else:
                problem(f"{query!r} was not asked: {stopped}", "a later run of `mapapp geocode`")
            continue
        if not cached:
            assert client is not None  # no client means every uncached name was reported above
            lookup = _ask(client, query, region, polygons)
            cache.put(lookup)
            report.asked += 1
            errors_in_a_row = errors_in_a_row + 1 if lookup.status == "error" else 0
            if lookup.message.startswith(RATE_LIMITED):
                stopped = "the server asked us to slow down (429): try again later"
            elif errors_in_a_row >= MAX_ERRORS_IN_A_ROW:
                stopped = f"{errors_in_a_row} errors in a row: the server seems unavailable"
        else:
            report.from_cache += 1
        assert lookup is not None
        if lookup.status != "ok":
            kind = "found nothing" if lookup.status == "no_match" else "failed"
            problem(f"{query!r}: Nominatim {kind}: {lookup.message}" if lookup.message
                    else f"{query!r}: Nominatim {kind}",
                    "a place name OpenStreetMap knows, or lat and lon filled in by hand")
            continue
        where = _fill(values, lookup, polygons)
        if where:
            problem(where, "a point inside the dataset's regions")
            continue
        report.filled += 1
        progress(f"[{number}/{len(todo)}] {query}: {lookup.lat}, {lookup.lon}"
                 + (" (cache)" if cached else ""))
    if report.filled:
        header = list(rows[0].values)
        header += [c for c in ("region", "precision", "precision_note", "coord_source")
                   if c not in header and (c != "region" or polygons)]
        write_rows(sites_path, header, [{c: r.values.get(c, "") for c in header} for r in rows])
    return report


def _ask(client: NominatimClient, query: str, region: str, polygons: dict) -> Lookup:
    """One request; the first candidate inside the region wins, errors become status 'error'."""
    chosen = {region: polygons[region]} if region else polygons
    bounds = _bounds(chosen)
    base: dict[str, Any] = {"query": query, "region": region, "provider": client.provider}
    try:
        candidates = client.search(query, bounds)
    except GeocoderRateLimited as exc:
        return Lookup(status="error", message=f"{RATE_LIMITED}: {exc}", time=_now(), **base)
    except GeopyError as exc:
        return Lookup(status="error", message=f"{type(exc).__name__}: {exc}", time=_now(), **base)
    base["time"] = _now()  # when the answer came: the next run counts its delay from here
    for place in candidates:
        if not chosen or containing_region(place.latitude, place.longitude, chosen):
            raw = place.raw if isinstance(place.raw, dict) else {}
            osm = f"{raw.get('osm_type', '')} {raw.get('osm_id', '')}".strip()
            return Lookup(status="ok", lat=round(place.latitude, 6), lon=round(place.longitude, 6),
                          display_name=place.address or "", osm=osm, **base)
    message = f"{len(candidates)} result(s), none inside the region" if candidates else ""
    return Lookup(status="no_match", message=message, **base)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _bounds(polygons: dict) -> tuple[float, float, float, float] | None:
    if not polygons:
        return None
    boxes = [p.bounds for p in polygons.values()]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _fill(values: dict[str, str], lookup: Lookup, polygons: dict) -> str:
    """Write the answer into a site row; returns why not when the point is outside its region."""
    assert lookup.lat is not None and lookup.lon is not None
    region = values.get("region", "")
    if polygons:
        if region and not polygons[region].covers(Point(lookup.lon, lookup.lat)):
            return f"({lookup.lat}, {lookup.lon}) from the cache lies outside region {region!r}"
        region = region or containing_region(lookup.lat, lookup.lon, polygons) or ""
        if not region:
            return f"({lookup.lat}, {lookup.lon}) from the cache lies outside every region"
        values["region"] = region
    values["lat"], values["lon"] = repr(lookup.lat), repr(lookup.lon)
    if not values.get("precision"):
        values["precision"] = "approximate"
        values["precision_note"] = (values.get("precision_note") or
                                    f"geocoded from the name {lookup.query!r}; check it on the map")
    if not values.get("coord_source"):
        values["coord_source"] = (f"OpenStreetMap {lookup.osm} via Nominatim" if lookup.osm
                                  else f"Nominatim: {lookup.display_name}")
    return ""
