"""From an uploaded spreadsheet to a dataset folder, and from that folder to the zips /make offers.

Everything happens in a folder the caller removes at once (make.py uses a TemporaryDirectory):
nothing of an upload outlives its request. Places without coordinates are looked up only by the
site's own geocoder (setting MAKE_GEOCODER_URL), never by the public Nominatim server, with the
same rules as `mapapp geocode`: one request a second (per server process, uploads wait for each
other) and every answer cached, here in memory, so the next upload does not ask again.
"""
from __future__ import annotations

import io
import json
import logging
import threading
import time
import zipfile
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.exc import GeocoderTimedOut

from .errors import DataError, Problems
from .geocode import CACHE_NAME, Lookup, NominatimClient, geocode_folder
from .importer import REQUIRED, Plan, column_name, plan_table, write_meta, write_plan
from .sheets import Table, read_table
from .workbook import Limits

log = logging.getLogger(__name__)

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
CACHE_ENTRIES = 5000


@dataclass(frozen=True)
class Upload:
    """One spreadsheet as it came, and the choices made with it."""

    name: str
    data: bytes
    title: str
    anywhere: bool = False  # no region check: places may lie anywhere on Earth


@dataclass
class Outcome:
    table: Table | None
    plan: Plan | None
    problems: Problems


def geocoder_url(config: dict[str, Any]) -> str | None:
    """The site's own geocoder, or None: unset, or the public Nominatim server (never for uploads)."""
    url = (config.get("MAKE_GEOCODER_URL") or "").strip()
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if host == PUBLIC_NOMINATIM or host.endswith("." + PUBLIC_NOMINATIM):
        log.warning("MAKE_GEOCODER_URL is the public Nominatim server: uploads are not geocoded")
        return None
    return url


def build_dataset(upload: Upload, folder: Path, config: dict[str, Any], regions: Path | None,
                  deadline: float) -> Outcome:
    """Read, check and write the upload's dataset into `folder`; problems name rows and columns."""
    problems = Problems()
    limits = Limits(max_rows=int(config["MAKE_MAX_ROWS"]), deadline=deadline)
    table = read_table(upload.name, upload.data, problems, column_name, REQUIRED, limits)
    geocoder = geocoder_url(config)
    plan = plan_table(table, None if upload.anywhere else regions, upload.title, problems,
                      need_coordinates=geocoder is None)
    if problems or table is None:
        return Outcome(table, None, problems)
    write_plan(plan, folder)
    missing = [site for site in plan.sites.values() if site["lat"] == ""]
    if missing and geocoder:
        _geocode(folder, plan, table, problems, geocoder, str(config["USER_AGENT"]), deadline)
        if problems:
            return Outcome(table, None, problems)
        write_meta(folder, plan.title)
    return Outcome(table, plan, problems)


class DeadlineClient(NominatimClient):
    """A Nominatim client that stops asking when the upload's time is up."""

    def __init__(self, url: str, user_agent: str, deadline: float):
        super().__init__(url, user_agent, timeout=max(1.0, min(10.0, deadline - time.monotonic())))
        self.deadline = deadline

    def search(self, query: str, bounds: tuple[float, float, float, float] | None) -> list[Any]:
        if time.monotonic() + self.min_delay > self.deadline:
            raise GeocoderTimedOut("the time this site gives one upload ran out")
        return super().search(query, bounds)


class MemoryCache:
    """The answers of this process's geocoder, newest last, kept across uploads (bounded)."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()  # also makes uploads geocode one after another

    def seed(self, folder: Path) -> None:
        (folder / CACHE_NAME).write_text(json.dumps({"entries": dict(self.entries)}), encoding="utf-8")

    def take(self, folder: Path) -> None:
        path = folder / CACHE_NAME
        if path.exists():
            for key, entry in json.loads(path.read_text(encoding="utf-8"))["entries"].items():
                self.entries.pop(key, None)
                self.entries[key] = asdict(Lookup(**entry))
        while len(self.entries) > CACHE_ENTRIES:
            self.entries.popitem(last=False)


GEOCODE_CACHE = MemoryCache()


def _geocode(folder: Path, plan: Plan, table: Table, problems: Problems, url: str, user_agent: str,
             deadline: float) -> None:
    sites = list(plan.sites.values())  # sites.csv holds them in this order, from line 2
    with GEOCODE_CACHE.lock:
        GEOCODE_CACHE.seed(folder)
        try:
            client = DeadlineClient(url, user_agent, deadline)
            report = geocode_folder(folder, client)
        except (DataError, ValueError) as exc:
            log.warning("the site's geocoder could not be used: %s", exc)
            report = None
        finally:
            GEOCODE_CACHE.take(folder)
    if report is None:
        for site in sites:
            if site["lat"] == "":
                table.problem(problems, site["first_row"], "place", f"{site['name_en']!r} has no lat and lon",
                              "lat and lon in at least one row of this place", code="no-coordinates")
        return
    for problem in report.problems:
        site = sites[(problem.line or 2) - 2]
        table.problem(problems, site["first_row"], "place", f"no lat and lon, and {problem.message}",
                      "lat and lon in at least one row of this place", code="no-coordinates")


def zip_files(files: dict[str, bytes], root: str) -> bytes:
    """A zip archive of `files` inside one folder `root`, so unpacking makes one folder."""
    buffer = io.BytesIO()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def folder_files(folder: Path) -> dict[str, bytes]:
    """The dataset's files, without the geocoder's cache (it holds this server's answers)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != CACHE_NAME}


def site_files(folder: Path, config: dict[str, Any]) -> dict[str, bytes]:
    """The static site of the dataset in `folder`, as `mapapp export` writes it (export.site_files)."""
    from . import create_app
    from .export import site_files as export_files
    keep = ("STATIC_DIR", "TILES_URL", "TILES_ATTRIBUTION", "TILES_MAX_ZOOM")
    app = create_app({"DATA_DIR": str(folder), "PUBLIC_URL": "", **{k: config[k] for k in keep}})
    return export_files(app)
