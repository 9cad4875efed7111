"""A teacher's spreadsheet (one row per event) to a dataset folder in our format.

Columns: date, place, title, description, source; optional end_date, lat, lon, category,
title_hu, description_hu; each may be headed in English or in Hungarian (`COLUMN_NAMES`). The file
may be an .xlsx or .ods workbook or a CSV/TSV in any dialect spreadsheet programs write
(`sheets.read_table`). Rows are validated with the same readers as the dataset itself, and every
problem is reported by row and column before anything is written.

Decisions (README, "Your own map from a spreadsheet"):
- one site per place (same text, ignoring case and spacing); its coordinates come from any row
  of that place, else from Nominatim (`geocode.py`), or, where no geocoder may be asked (the
  /make page), the place is a problem;
- `title`/`description` are shown in both languages unless `title_hu`/`description_hu` are given;
- `source` is an http(s) link or a citation; a citation becomes a source without a link, its
  year is the last year written in it (else the import year); a link's publisher is its host.
"""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from geopy.distance import geodesic

from . import folders
from .checks import containing_region, placement_problem, region_polygons
from .csvfile import MAX_BYTES, read_rows, write_rows, write_text_atomic
from .errors import Problems
from .fields import url_problem
from .geodata import SITE_COLUMNS, SITE_OPTIONAL, read_regions
from .records import CATEGORIES
from .sheetfields import SheetFields
from .sheets import Table, read_table
from .workbook import Limits

REQUIRED = ("date", "place", "title", "description", "source")
OPTIONAL = ("end_date", "lat", "lon", "category", "title_hu", "description_hu")
# Column -> the Hungarian header documented for it, then other names accepted for it.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("dátum", "start_date", "kezdet"),
    "end_date": ("befejezés", "end", "vége", "befejezés_dátuma"),
    "place": ("hely", "helyszín", "location"),
    "title": ("cím", "title_en", "cím_en"),
    "description": ("leírás", "description_en", "leírás_en"),
    "source": ("forrás", "url"),
    "lat": ("szélesség", "latitude", "földrajzi_szélesség"),
    "lon": ("hosszúság", "lng", "longitude", "földrajzi_hosszúság"),
    "category": ("kategória", "típus"),
    "title_hu": ("cím_hu",),
    "description_hu": ("leírás_hu",),
}
DEFAULT_CATEGORY = "politics"
SAME_PLACE_KM = 0.2
LINKISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:\S*|www\.\S*|\s*(?:javascript|data|vbscript|file)\s*:.*)$",
                     re.IGNORECASE | re.DOTALL)
EVENT_HEADER = ["id", "date_start", "date_end", "site_id", "category", "title_en", "title_hu",
                "summary_en", "summary_hu", "sources"]
SOURCE_HEADER = ["id", "title", "author", "publisher", "year", "url", "accessed"]
STALE_FILES = ("claims.csv", "routes.geojson")
DATASET_FILES = ("sites.csv", "events.csv", "sources.csv", "dataset.json", "regions.geojson")


@dataclass
class Plan:
    """The dataset to write, as rows keyed by the column names of geodata/FORMAT.md."""

    title: str
    sites: dict[str, dict[str, Any]] = field(default_factory=dict)  # by normalised place
    events: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # by source text
    regions_text: str = ""


def slug(text: str, limit: int = 50) -> str:
    """An id from free text: accents dropped, lower-case a-z0-9 joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def unique(base: str, taken: set[str], fallback: str) -> str:
    ident, n = base or fallback, 2
    while ident in taken:
        ident, n = f"{base or fallback}-{n}", n + 1
    taken.add(ident)
    return ident


def _header_key(text: str, plain: bool = False) -> str:
    key = re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFC", text).casefold().strip())
    if plain:
        key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return key


HEADER_KEYS = {_header_key(alias, plain): name for name, others in COLUMN_NAMES.items()
               for alias in (name, *others) for plain in (False, True)}


def column_name(header: str) -> str | None:
    """Our column for a header as written: 'Dátum', 'datum', 'End date' ... or None."""
    return HEADER_KEYS.get(_header_key(header)) or HEADER_KEYS.get(_header_key(header, plain=True))


def read_spreadsheet(path: Path, problems: Problems, limits: Limits | None = None,
                     max_bytes: int = MAX_BYTES) -> Table | None:
    """The file at `path` as a Table (any format), or None after recording why not."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.add(path.name, None, None, f"is {size:,} bytes, over the limit of {max_bytes:,}",
                         f"at most {max_bytes // (1024 * 1024)} MB: split the file", rows=True)
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.add(path.name, None, None, f"cannot be read: {exc.strerror}", "an existing file", rows=True)
        return None
    return read_table(path.name, data, problems, column_name, REQUIRED, limits)


def plan_import(path: Path, regions_path: Path | None, title: str | None,
                problems: Problems, today: date | None = None) -> Plan:
    """Read and check the teacher's spreadsheet; problems are added, never raised."""
    table = read_spreadsheet(path, problems)
    return plan_table(table, regions_path, title or path.stem, problems, today)


def plan_table(table: Table | None, regions_path: Path | None, title: str, problems: Problems,
               today: date | None = None, need_coordinates: bool = False) -> Plan:
    """The dataset for a spreadsheet's rows; `need_coordinates`: a place without lat/lon in any
    of its rows is a problem (nothing may look it up)."""
    today = today or date.today()
    plan = Plan(title=title)
    if regions_path and not regions_path.is_file():
        problems.add(str(regions_path), None, None, "is not a file" if regions_path.exists() else "does not exist",
                     "a regions.geojson file, or --regions none")
    regions = read_regions(regions_path, problems) if regions_path and regions_path.is_file() else {}
    if regions_path and regions:
        plan.regions_text = regions_path.read_text(encoding="utf-8-sig")
    polygons = region_polygons(regions)
    if table is None:
        return plan
    ids: dict[str, set[str]] = {"site": set(), "event": set(), "source": set()}
    for row in table.rows:
        f = SheetFields(problems, table, row)
        start, end = f.date_span("date", "end_date")
        place, title_text, text = f.text("place"), f.text("title"), f.text("description")
        category = f.choice("category", CATEGORIES) if f.raw("category") else DEFAULT_CATEGORY
        source_id = _source(f, plan, ids["source"], today)
        site_id = _site(f, place, plan, ids["site"], polygons) if place else ""
        if not (start and site_id and source_id and title_text and text and category):
            continue
        plan.events.append({
            "id": unique(f"{start.isoformat()}-{slug(title_text, 40)}".strip("-"), ids["event"], "event"),
            "date_start": start.isoformat(), "date_end": end.isoformat() if end else "",
            "site_id": site_id, "category": category,
            "title_en": title_text, "title_hu": f.raw("title_hu") or title_text,
            "summary_en": text, "summary_hu": f.raw("description_hu") or text,
            "sources": source_id,
        })
    if need_coordinates:
        for site in plan.sites.values():
            if site["lat"] == "":
                table.problem(problems, site["first_row"], "place",
                              f"{site['name_en']!r} has no lat and lon in any row",
                              "lat and lon in at least one row of this place (this site looks up no place names)",
                              code="no-coordinates")
    if not table.rows and not problems:
        table.problem(problems, None, None, "has no rows", "one row per event under the header")
    return plan


def _site(f: SheetFields, place: str, plan: Plan, taken: set[str], polygons: dict) -> str:
    """The id of the row's place (one site per place); coordinates are checked against regions."""
    lat = lon = None
    if f.raw("lat") or f.raw("lon"):
        lat = f.number("lat", -90, 90, "a latitude in degrees")
        lon = f.number("lon", -180, 180, "a longitude in degrees")
        if lat is None or lon is None:
            return ""
        if found := placement_problem(lat, lon, polygons):
            column = "lat" if found[0] == "region" else found[0]  # the sheet has no region column
            f.problem(column, found[1], f"a point inside one of: {', '.join(sorted(polygons))}")
            return ""
    key = " ".join(place.split()).casefold()
    site = plan.sites.get(key)
    if site is None:
        site = plan.sites[key] = {
            "id": unique(slug(place), taken, "site"), "name_en": place, "name_hu": place,
            "name_1956": place, "name_today": place, "lat": "", "lon": "", "region": "",
            "precision": "", "precision_note": "", "coord_source": "", "coords_line": 0,
            "first_row": f.line,
        }
    if lat is not None and lon is not None:
        if site["lat"] == "":
            site.update(lat=repr(lat), lon=repr(lon), precision="exact",
                        region=containing_region(lat, lon, polygons) or "",
                        coord_source=f"{where(f)}, row {f.line}", coords_line=f.line)
        elif geodesic((lat, lon), (float(site["lat"]), float(site["lon"]))).km > SAME_PLACE_KM:
            f.problem("lat", f"{place!r} was placed elsewhere on row {site['coords_line']}",
                      "the same coordinates for the same place, or another place name")
            return ""
    return site["id"]


def where(f: SheetFields) -> str:
    """The file (and sheet) a row comes from, as coord_source names it."""
    return f"{f.file}, sheet {f.table.sheet}" if f.table.sheet else f.file


def _source(f: SheetFields, plan: Plan, taken: set[str], today: date) -> str:
    """The id of the row's source: an http(s) link, or a citation kept as a source without link."""
    value = f.text("source")
    if not value:
        return ""
    if value in plan.sources:
        return plan.sources[value]["id"]
    if LINKISH.match(value):
        problem = url_problem(value)
        if problem:
            f.problem("source", problem, "an http:// or https:// address, or a citation (author, title, year)")
            return ""
        parts = urlsplit(value)
        host = parts.hostname or ""
        shown = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ") or host
        record = {"title": shown, "author": "", "publisher": host.removeprefix("www."),
                  "year": "", "url": value}  # the page's own date is unknown here: undated
    else:
        years = [int(y) for y in re.findall(r"\b(1\d{3}|20\d{2})\b", value) if int(y) <= today.year]
        shown = value
        record = {"title": value, "author": "", "publisher": "", "year": str(years[-1]) if years else "",
                  "url": ""}
    record["id"] = unique(slug(shown, 60), taken, "source")
    record["accessed"] = today.isoformat()
    plan.sources[value] = record
    return record["id"]


def out_folder_problem(out: Path, force: bool) -> str | None:
    """Why the import must not write into `out`, or None."""
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    if out.is_dir() and any(out.iterdir()) and not force:
        return f"{out} is not empty: choose a new folder, or add --force to replace its dataset files"
    return None


def write_plan(plan: Plan, out: Path) -> None:
    """Write the dataset as a whole: a new folder beside `out`, then one atomic swap (folders.py).

    A kill at any moment leaves the old dataset or the new one. Files of `out` that the import
    does not write (geocode-cache.json, a teacher's notes) are copied into the new folder first;
    claims.csv and routes.geojson are not (they would not fit the new events), nor an old
    regions.geojson when the import has none.
    """
    target = folders.real_target(out)
    folders.clean_leftovers(target)
    work = folders.new_folder(target)
    try:
        _carry_over(target, work)
        if plan.regions_text:
            write_text_atomic(work / "regions.geojson", plan.regions_text)
        write_rows(work / "sources.csv", SOURCE_HEADER, plan.sources.values())
        write_rows(work / "events.csv", EVENT_HEADER, plan.events)
        site_columns = list(SITE_COLUMNS) + [c for c in SITE_OPTIONAL if c != "region" or plan.regions_text]
        write_rows(work / "sites.csv", site_columns,
                   [{c: s[c] for c in site_columns} for s in plan.sites.values()])
        write_meta(work, plan.title)
        old = folders.swap_in(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)


def _carry_over(target: Path, work: Path) -> None:
    """Copy what the import keeps from the old folder (everything but the dataset's own files)."""
    if not target.is_dir():
        return
    for entry in target.iterdir():
        if entry.name in DATASET_FILES or entry.name in STALE_FILES:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, work / entry.name, symlinks=True)
        elif entry.is_file() or entry.is_symlink():
            shutil.copy2(entry, work / entry.name, follow_symlinks=False)


def write_meta(out: Path, title: str) -> None:
    """dataset.json: the title, and a view centred on the sites that have coordinates."""
    meta: dict[str, Any] = {"title": {"en": title, "hu": title}}
    rows = read_rows(out / "sites.csv", SITE_COLUMNS, SITE_OPTIONAL)
    points = [(float(r.values["lat"]), float(r.values["lon"])) for r in rows
              if r.values.get("lat") and r.values.get("lon")]
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        span = max(max(lats) - min(lats), max(lons) - min(lons))
        meta["center"] = [round((max(lats) + min(lats)) / 2, 5), round((max(lons) + min(lons)) / 2, 5)]
        meta["zoom"] = next((z for limit, z in ((0.01, 16), (0.03, 15), (0.06, 14), (0.12, 13),
                                                (0.3, 12), (1.0, 10), (4.0, 8)) if span <= limit), 6)
    write_text_atomic(out / "dataset.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
