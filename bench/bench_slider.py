"""Benchmark: our day slider against folium's Timeline and TimestampedGeoJson, in one run.

For N synthetic events (random points in Budapest, seeded, 30 days, some spanning 2-3 days)
three pages show the same points as SVG circle markers:

* ours        -- mapapp.create_app on a synthetic dataset folder, served by werkzeug in a thread;
                 a step sets the `.ds-range` value and dispatches `input`.
* Timeline    -- folium.plugins.Timeline + TimelineSlider (1956 dates as negative ms timestamps);
                 a step calls the slider's own `setTime(ms)` (what its range input calls).
* TimestampedGeoJson -- folium.plugins.TimestampedGeoJson with the dates moved forward 100 years
                 (it cannot show 1956), period P1D; a step calls
                 `map.timeDimension.setCurrentTimeIndex(i)`.

Measured per page: load (navigation start to the first day's markers existing in the DOM,
median of --loads cold loads), one slider step (median of --steps forward steps, in "day" and
"cumulative" mode), and the bytes of JS+CSS the page loads. A step is timed inside the page:
synchronous script time (performance.now() around the call) and time to the next frame
(two requestAnimationFrame after the call). The peers' CDN assets are served from npm packages
cached in bench/.cache/ through Playwright's page.route; nothing goes to the internet.

Usage: python3 bench/bench_slider.py [--sizes 50,1000,10000] [--steps 15] [--loads 5] [--seed 1956]
Writes the Markdown report to stdout and to bench/results/latest.md.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import logging
import mimetypes
import random
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import folium  # noqa: E402
from browser_support import CHROMIUM_ARGS, TILE_PNG, chromium_path, is_tile_request  # noqa: E402
from folium import plugins  # noqa: E402
from folium.utilities import JsCode  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from mapapp import create_app  # noqa: E402
from mapapp.records import CATEGORIES  # noqa: E402

CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
FIRST_DAY = date(1956, 10, 22)
DAYS = 30
PEER_YEAR_SHIFT = 100          # 1956 -> 2056: same leap-year calendar, after 1970
SITE_POOL = 300                # the app's start-up check compares every pair of sites (see README)
CENTER = (47.4975, 19.0700)
ZOOM = 12
VIEWPORT = {"width": 1280, "height": 800}
# Markers are counted as Leaflet layers, not DOM nodes, so SVG and canvas pages count alike.
MARKERS = """(() => {
  if (typeof L === 'undefined') return 0;
  let n = 0;
  for (const key of Object.keys(window)) {
    const value = window[key];
    if (value instanceof L.Map) value.eachLayer((layer) => { if (layer instanceof L.CircleMarker) n += 1; });
  }
  return n;
})()"""
# Every page draws with the renderer ours picks at that size (static/js/dayslider: CANVAS_FROM).
CANVAS_FROM = 2000
CIRCLE_STYLE = {"radius": 8, "color": "#fff", "weight": 2, "fillColor": "#c0392b",
                "fillOpacity": 0.95, "opacity": 1}
LOAD_TIMEOUT_MS = 120_000

TARGETS = """\
Targets:
1. our step (script time) under 16 ms at 10,000 events, in both "day" and "cumulative" mode;
2. our load and step below both peers' at every N;
3. our JS+CSS at most 1/4 of folium's default page (a plain `folium.Map()`)."""


# ---------------------------------------------------------------- synthetic events

@dataclass(frozen=True)
class SynthEvent:
    ident: str
    site: int
    lat: float
    lon: float
    start: int          # day index, 0 = 22 October 1956
    end: int
    category: str


def make_events(n: int, seed: int) -> list[SynthEvent]:
    """n events over DAYS days; every day has at least one start; ~20% span 2-3 days."""
    rng = random.Random(seed)
    pool = [(round(rng.uniform(47.44, 47.55), 6), round(rng.uniform(18.99, 19.15), 6))
            for _ in range(min(n, SITE_POOL))]
    events = []
    for i in range(n):
        start = i if i < DAYS else rng.randrange(DAYS)
        span = rng.choices((1, 2, 3), weights=(80, 12, 8))[0]
        site = i % len(pool)
        lat, lon = pool[site]
        events.append(SynthEvent(f"e{i:05d}", site, lat, lon, start, min(DAYS - 1, start + span - 1),
                                 rng.choice(CATEGORIES)))
    return events


def shown_count(events: list[SynthEvent], day: int, mode: str) -> int:
    """How many markers a page should show on a day (one marker per event)."""
    if mode == "day":
        return sum(1 for e in events if e.start <= day <= e.end)
    return sum(1 for e in events if e.start <= day)


def iso(day: int) -> str:
    return (FIRST_DAY + timedelta(days=day)).isoformat()


def day_ms(day: int, year_shift: int = 0) -> int:
    d = FIRST_DAY + timedelta(days=day)
    moment = datetime(d.year + year_shift, d.month, d.day, tzinfo=UTC)
    return int(moment.timestamp() * 1000)


# ---------------------------------------------------------------- our dataset and server

def write_dataset(events: list[SynthEvent], folder: Path) -> None:
    """sites.csv, events.csv, sources.csv and dataset.json in the format of geodata/FORMAT.md."""
    sites = {e.site: (e.lat, e.lon) for e in events}
    _write_csv(folder / "sites.csv",
               ["id", "name_en", "name_hu", "name_1956", "name_today", "lat", "lon", "region",
                "precision", "precision_note", "coord_source"],
               [[f"s{i:04d}", f"Site {i}", f"Helyszín {i}", f"Site {i} (1956)", f"Site {i}",
                 lat, lon, "budapest", "exact", "", "synthetic"] for i, (lat, lon) in sorted(sites.items())])
    _write_csv(folder / "events.csv",
               ["id", "date_start", "date_end", "time", "site_id", "route_id", "category", "title_en",
                "title_hu", "summary_en", "summary_hu", "sources"],
               [[e.ident, iso(e.start), iso(e.end) if e.end != e.start else "", "", f"s{e.site:04d}", "",
                 e.category, f"Event {e.ident}", f"Esemény {e.ident}", "A synthetic event.",
                 "Egy szintetikus esemény.", "src1"] for e in events])
    _write_csv(folder / "sources.csv", ["id", "title", "author", "publisher", "year", "url", "accessed"],
               [["src1", "Synthetic source", "", "Benchmark", 2026, "https://example.org/", "2026-01-01"]])
    meta = {"title": {"en": "Benchmark", "hu": "Benchmark"}, "first_day": iso(0),
            "last_day": iso(DAYS - 1), "center": list(CENTER), "zoom": ZOOM}
    (folder / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


class ThreadServer:
    """A WSGI app or a static folder on 127.0.0.1 at a free port, in a daemon thread."""

    def __init__(self, app: Any = None, folder: Path | None = None):
        if app is not None:
            self.server = make_server("127.0.0.1", 0, app, threaded=True)
        else:
            handler = partial(_QuietHandler, directory=str(folder))
            self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


# ---------------------------------------------------------------- folium pages

def circle_js() -> JsCode:
    return JsCode("function (feature, latlng) { return L.circleMarker(latlng, %s); }"
                  % json.dumps(CIRCLE_STYLE))


def timeline_page(events: list[SynthEvent], cumulative: bool) -> tuple[folium.Map, str]:
    """Timeline features last from their first day's midnight to the end of their last day."""
    last = DAYS - 1
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                 "properties": {"id": e.ident, "start": day_ms(e.start),
                                "end": day_ms((last if cumulative else e.end) + 1) - 1}}
                for e in events]
    fmap = folium.Map(location=list(CENTER), zoom_start=ZOOM, tiles=None,
                      prefer_canvas=len(events) > CANVAS_FROM)
    timeline = plugins.Timeline({"type": "FeatureCollection", "features": features},
                                point_to_layer=circle_js()).add_to(fmap)
    slider = plugins.TimelineSlider(auto_play=False, date_options="YYYY-MM-DD")
    slider.add_timelines(timeline).add_to(fmap)
    return fmap, slider.get_name()


def tsgj_page(events: list[SynthEvent], cumulative: bool) -> tuple[folium.Map, str]:
    """TimestampedGeoJson: one time per day of the event; "day" mode via a 23 h duration."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                 "properties": {"times": [_shifted_iso(d) for d in range(e.start, e.end + 1)],
                                "icon": "circle", "iconstyle": CIRCLE_STYLE}}
                for e in events]
    fmap = folium.Map(location=list(CENTER), zoom_start=ZOOM, tiles=None,
                      prefer_canvas=len(events) > CANVAS_FROM)
    plugins.TimestampedGeoJson({"type": "FeatureCollection", "features": features}, period="P1D",
                               duration=None if cumulative else "PT23H", auto_play=False,
                               add_last_point=False, date_options="YYYY-MM-DD").add_to(fmap)
    return fmap, fmap.get_name()


def _shifted_iso(day: int) -> str:
    d = FIRST_DAY + timedelta(days=day)
    return f"{d.year + PEER_YEAR_SHIFT}-{d.month:02d}-{d.day:02d}T00:00:00Z"


# ---------------------------------------------------------------- CDN assets from npm

# cdnjs / code.jquery.com / netdna URL prefix -> (npm spec, path inside the package)
CDN_ALIASES: dict[str, tuple[str, str]] = {
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": ("moment@2.18.1", "min/moment.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    # 1.10.2 is not on npm; 1.10.4 is the nearest, and it ships no minified bundle
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js": ("jquery-ui@1.10.4", "jquery-ui.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css": ("highlight.js@8.4.0", "styles/default.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        ("drmonty-leaflet-awesome-markers@2.0.2", "js/leaflet.awesome-markers.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        ("drmonty-leaflet-awesome-markers@2.0.2", "css/leaflet.awesome-markers.css"),
}
SUBSTITUTES = {  # aliases above that are not the exact file the CDN serves
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css",
}
JSDELIVR_NPM = re.compile(r"^https://cdn\.jsdelivr\.net/npm/((?:@[^/]+/)?[^/@]+@[^/]+)/(.+)$")


class AssetCache:
    """npm packages packed with `npm pack` into bench/.cache/ and unpacked there once."""

    def __init__(self, root: Path = CACHE):
        self.root = root
        self.substituted: dict[str, str] = {}
        self.unmapped: set[str] = set()

    def package_dir(self, spec: str) -> Path | None:
        folder = self.root / "npm" / spec.replace("/", "__")
        if folder.is_dir():
            return folder
        tgz_dir = self.root / "tgz"
        tgz_dir.mkdir(parents=True, exist_ok=True)
        tgz = tgz_dir / (spec.lstrip("@").replace("/", "-").replace("@", "-") + ".tgz")
        if not tgz.exists():
            done = subprocess.run(["npm", "pack", spec, "--pack-destination", str(tgz_dir), "--json"],
                                  check=False, capture_output=True, text=True, timeout=300)
            try:
                tgz = tgz_dir / json.loads(done.stdout)[0]["filename"]
            except (ValueError, LookupError, TypeError):
                log(f"npm pack {spec} failed: {done.stderr.strip()[-300:]}")
                return None
        tmp = folder.with_name(folder.name + ".part")
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        (tmp / "package").rename(folder)
        tmp.rmdir()
        return folder

    def lookup(self, url: str) -> bytes | None:
        """The bytes answering a CDN URL, or None (then the caller answers an empty 200)."""
        url = url.split("?")[0].split("#")[0]
        target = CDN_ALIASES.get(url)
        if target is None:
            match = JSDELIVR_NPM.match(url)
            if not match:
                return None
            target = (match.group(1), match.group(2))
        spec, path = target
        folder = self.package_dir(spec)
        if folder is None:
            return None
        for candidate in (path, path.replace(".min.", ".")):
            file = folder / candidate
            if file.is_file():
                if candidate != path or url in SUBSTITUTES:
                    self.substituted[url] = f"{spec}/{candidate}"
                return file.read_bytes()
        return None

    def serve(self, route: Any) -> None:
        url = route.request.url
        if is_tile_request(url):
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
            return
        body = self.lookup(url)
        if body is None:
            self.unmapped.add(url)
            body = b""
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        route.fulfill(status=200, content_type=content_type, body=body,
                      headers={"Access-Control-Allow-Origin": "*"})


# ---------------------------------------------------------------- browser measurements

FIRST_DRAWN_SCRIPT = """
(() => {
  const want = %d;
  const check = () => {
    if (%s === want) window.__benchDrawn = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""

WAIT_DRAWN_JS = """
(timeout) => new Promise((resolve, reject) => {
  const poll = () => {
    if (window.__benchDrawn !== undefined) resolve(window.__benchDrawn);
    else if (performance.now() > timeout) reject(new Error('first day not drawn: ' +
        %s + ' markers'));
    else setTimeout(poll, 10);
  };
  poll();
})
""" % MARKERS

STEP_JS = """
async ([kind, name, arg]) => {
  let act;
  if (kind === 'ours') {
    const range = document.querySelector('.ds-range');
    act = () => { range.value = String(arg); range.dispatchEvent(new Event('input')); };
  } else if (kind === 'timeline') {
    act = () => window[name].setTime(arg);
  } else {
    const td = window[name].timeDimension;
    const index = td.getAvailableTimes().indexOf(arg);
    act = () => td.setCurrentTimeIndex(index);
  }
  const t0 = performance.now();
  act();
  const t1 = performance.now();
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const t2 = performance.now();
  return [t1 - t0, t2 - t0, %s];
}
""" % MARKERS


@dataclass
class PageSpec:
    """One page to measure: how to open it, how to step it, what it should show."""
    label: str
    kind: str                      # ours | timeline | tsgj
    url: str
    name: str = ""                 # the JS global to step (slider or map)
    routed: bool = False           # answer CDN requests from the npm cache


@dataclass
class Loaded:
    load_ms: float
    js_css_bytes: tuple[int, int]     # (as received, gzipped)
    outside: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, browser: Browser, assets: AssetCache):
        self.browser = browser
        self.assets = assets
        self.notes: list[str] = []

    def open(self, spec: PageSpec, expect_first: int) -> tuple[Page, Loaded]:
        """A fresh context (cold cache); returns the page once the first day's markers exist."""
        context = self.browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.add_init_script(FIRST_DRAWN_SCRIPT % (expect_first, MARKERS))
        responses: list[Any] = []
        outside: list[str] = []
        page.on("response", lambda r: responses.append(r))
        page.on("request", lambda r: _is_outside(r.url) and outside.append(r.url))
        if spec.routed:
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), self.assets.serve)
        page.goto(spec.url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        load_ms = page.evaluate(WAIT_DRAWN_JS, LOAD_TIMEOUT_MS)
        page.wait_for_load_state("load")
        return page, Loaded(load_ms, _js_css_bytes(responses), outside if not spec.routed else [])

    def measure_load(self, spec: PageSpec, expect_first: int, loads: int) -> Loaded:
        results = []
        for _ in range(loads):
            page, loaded = self.open(spec, expect_first)
            page.context.close()
            results.append(loaded)
        if results[0].outside:
            self.notes.append(f"{spec.label}: requests left 127.0.0.1: {results[0].outside[:3]}")
        return Loaded(statistics.median(r.load_ms for r in results), results[0].js_css_bytes)

    def measure_steps(self, spec: PageSpec, events: list[SynthEvent], mode: str,
                      steps: int) -> tuple[float, float]:
        """Median (script ms, frame ms) of `steps` forward steps from the first day."""
        page, _ = self.open(spec, shown_count(events, 0, mode))
        try:
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
            script, frame = [], []
            for day in range(1, steps + 1):
                arg = self._step_arg(spec, day)
                s, f, count = page.evaluate(STEP_JS, [spec.kind, spec.name, arg])
                script.append(s)
                frame.append(f)
                want = shown_count(events, day, mode)
                if count != want:
                    self.notes.append(f"N={len(events)} {spec.label} {mode} day {day}: "
                                      f"{count} markers, expected {want}")
            return statistics.median(script), statistics.median(frame)
        finally:
            page.context.close()

    @staticmethod
    def _step_arg(spec: PageSpec, day: int) -> int:
        if spec.kind == "ours":
            return day
        if spec.kind == "timeline":
            return day_ms(day) + 12 * 3600 * 1000
        return day_ms(day, PEER_YEAR_SHIFT)


def _is_outside(url: str) -> bool:
    return not url.startswith(("data:", "about:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"


def _js_css_bytes(responses: list[Any]) -> tuple[int, int]:
    """Sum of the .js/.css response bodies: as received, and each gzipped (-6) for reference."""
    raw = zipped = 0
    for response in responses:
        if urlsplit(response.url).path.endswith((".js", ".css")):
            try:
                body = response.body()
            except Exception:  # a body that is gone (redirect, aborted) counts as nothing
                continue
            raw += len(body)
            zipped += len(gzip.compress(body, 6)) if body else 0
    return raw, zipped


# ---------------------------------------------------------------- one size, all pages

@dataclass
class Row:
    n: int
    page: str
    load_ms: float
    step_day: tuple[float, float]
    step_cum: tuple[float, float]
    kb: float
    kb_gzip: float


def run_size(bench: Bench, n: int, args: argparse.Namespace, work: Path) -> list[Row]:
    events = make_events(n, args.seed)
    first = shown_count(events, 0, "day")
    rows = [run_ours(bench, events, first, args, work / f"ours-{n}")]
    static_dir = work / f"peers-{n}"
    static_dir.mkdir()
    names: dict[tuple[str, str], str] = {}
    for kind, build in (("timeline", timeline_page), ("tsgj", tsgj_page)):
        for mode in ("day", "cumulative"):
            fmap, names[kind, mode] = build(events, mode == "cumulative")
            fmap.save(str(static_dir / f"{kind}-{mode}.html"))
    server = ThreadServer(folder=static_dir)
    try:
        for kind, label in (("timeline", "folium Timeline"), ("tsgj", "folium TimestampedGeoJson")):
            spec = {mode: PageSpec(label, kind, f"{server.url}/{kind}-{mode}.html",
                                 names[kind, mode], True)
                    for mode in ("day", "cumulative")}
            loaded = bench.measure_load(spec["day"], first, args.loads)
            rows.append(Row(n, label, loaded.load_ms,
                            bench.measure_steps(spec["day"], events, "day", args.steps),
                            bench.measure_steps(spec["cumulative"], events, "cumulative", args.steps),
                            *(b / 1024 for b in loaded.js_css_bytes)))
            log(f"  N={n} {label}: load {loaded.load_ms:.0f} ms")
    finally:
        server.stop()
    return rows


def run_ours(bench: Bench, events: list[SynthEvent], first: int, args: argparse.Namespace,
             folder: Path) -> Row:
    folder.mkdir()
    write_dataset(events, folder)
    started = time.perf_counter()
    app = create_app({"DATA_DIR": str(folder), "TILES_URL": "none"})
    log(f"  N={len(events)} ours: create_app {time.perf_counter() - started:.1f} s")
    server = ThreadServer(app=app)
    try:
        base = f"{server.url}/?date={iso(0)}"
        started = time.perf_counter()
        urllib.request.urlopen(base).read()          # build the cached page before timing
        log(f"  N={len(events)} ours: first page build {time.perf_counter() - started:.1f} s")
        day = PageSpec("ours", "ours", f"{base}&mode=day")
        cumulative = PageSpec("ours", "ours", f"{base}&mode=cumulative")
        loaded = bench.measure_load(day, first, args.loads)
        row = Row(len(events), "**ours**", loaded.load_ms,
                  bench.measure_steps(day, events, "day", args.steps),
                  bench.measure_steps(cumulative, events, "cumulative", args.steps),
                  *(b / 1024 for b in loaded.js_css_bytes))
        log(f"  N={len(events)} ours: load {loaded.load_ms:.0f} ms")
        return row
    finally:
        server.stop()


def folium_default_kb(bench: Bench, work: Path) -> tuple[float, float]:
    """JS+CSS bytes of a plain folium.Map() with its default CDN assets (tiles answered locally)."""
    folder = work / "default"
    folder.mkdir()
    folium.Map().save(str(folder / "index.html"))
    server = ThreadServer(folder=folder)
    try:
        context = bench.browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        responses: list[Any] = []
        page.on("response", lambda r: responses.append(r))
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), bench.assets.serve)
        page.goto(f"{server.url}/index.html", wait_until="load")
        page.wait_for_timeout(300)
        raw, zipped = _js_css_bytes(responses)
        context.close()
        return raw / 1024, zipped / 1024
    finally:
        server.stop()


# ---------------------------------------------------------------- report

def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}" if peer > 0 else "—"


def report(rows: list[Row], default_kb: tuple[float, float], bench: Bench, args: argparse.Namespace,
           elapsed: float) -> str:
    lines = ["# Day slider benchmark: ours vs folium Timeline and TimestampedGeoJson", "",
             f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, chromium "
             f"{bench.browser.version}, {DAYS} days, seed {args.seed}, median of {args.steps} steps "
             f"and {args.loads} cold loads, {elapsed:.0f} s in all; {script_version()}.", "", TARGETS, "",
             "Step cells: `script / frame` ms (script = synchronous time of the step call; frame = to "
             "the second requestAnimationFrame after it, so at least one frame interval). "
             "Ratio cells compare ours with that row's peer (below 1 = ours is faster/smaller); "
             "step ratios use script time.", "",
             "| N | page | load ms | step ms (day) | step ms (cumulative) | JS+CSS KB | "
             "ours/peer load | ours/peer step (day) | ours/peer step (cum.) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sorted({r.n for r in rows}):
        group = [r for r in rows if r.n == n]
        ours = group[0]
        for r in group:
            peer = r is not ours
            lines.append(
                f"| {n:,} | {r.page} | {r.load_ms:.0f} | {r.step_day[0]:.1f} / {r.step_day[1]:.1f} | "
                f"{r.step_cum[0]:.1f} / {r.step_cum[1]:.1f} | {r.kb:.0f} | "
                f"{ratio(ours.load_ms, r.load_ms) if peer else ''} | "
                f"{ratio(ours.step_day[0], r.step_day[0]) if peer else ''} | "
                f"{ratio(ours.step_cum[0], r.step_cum[0]) if peer else ''} |")
    ours = rows[0]
    lines += ["", f"folium default page (`folium.Map()`): {default_kb[0]:.0f} KB JS+CSS as received; "
              f"ours {ours.kb:.0f} KB = {ours.kb / default_kb[0]:.2f} of it. For reference, each file "
              f"gzipped: default {default_kb[1]:.0f} KB, ours {ours.kb_gzip:.0f} KB = "
              f"{ours.kb_gzip / default_kb[1]:.2f} (our server sends them uncompressed).",
              "", "## Targets", ""]
    lines += check_targets(rows, ours.kb / default_kb[0])
    lines += ["", "## Notes", ""]
    notes = list(bench.notes) or ["after every step every page showed exactly the expected number "
                                  "of markers for that day and mode"]
    for url, used in sorted(bench.assets.substituted.items()):
        notes.append(f"substituted: {url} -> npm {used}")
    for url in sorted(bench.assets.unmapped):
        notes.append(f"not mappable to an npm package, answered with an empty 200: {url}")
    notes.append("per step ours does more than the peers: it also updates the event list (one <li> per "
                 "shown event), gives each marker a tooltip and a click handler, and rewrites the URL "
                 "(history.replaceState); the peers only swap circle markers")
    notes.append(f"peers' dates are shifted by {PEER_YEAR_SHIFT} years for TimestampedGeoJson; "
                 f"events share a pool of at most {SITE_POOL} sites (markers are still one per event)")
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def script_version() -> str:
    """Which slider script was measured (the file name keeps its version while it is edited)."""
    path = ROOT / "static" / "js" / "dayslider-1.0.0.js"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "missing"
    return f"static/js/dayslider-1.0.0.js sha256 {digest}"


def check_targets(rows: list[Row], kb_fraction: float) -> list[str]:
    out = []
    largest = next(r for r in rows if r.page == "**ours**" and r.n == max(x.n for x in rows))
    ok = largest.step_day[0] < 16 and largest.step_cum[0] < 16
    out.append(f"- {'PASS' if ok else 'FAIL'}: our step at N={largest.n:,}: day "
               f"{largest.step_day[0]:.1f} ms, cumulative {largest.step_cum[0]:.1f} ms (script; "
               f"frame {largest.step_day[1]:.1f} / {largest.step_cum[1]:.1f} ms)"
               + ("" if largest.n >= 10_000 else " (10,000 was not run)"))
    for n in sorted({r.n for r in rows}):
        group = [r for r in rows if r.n == n]
        ours, peers = group[0], group[1:]
        fails = [f"{p.page} {what}" for p in peers for what, mine, theirs in (
            ("load", ours.load_ms, p.load_ms), ("step day", ours.step_day[0], p.step_day[0]),
            ("step cumulative", ours.step_cum[0], p.step_cum[0])) if mine >= theirs]
        out.append(f"- {'PASS' if not fails else 'FAIL'}: N={n:,} ours below both peers"
                   + (f" (not below: {', '.join(fails)})" if fails else ""))
    out.append(f"- {'PASS' if kb_fraction <= 0.25 else 'FAIL'}: JS+CSS {kb_fraction:.2f} of folium's "
               f"default page (target ≤ 0.25)")
    return out


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,1000,10000",
                        type=lambda s: [int(x) for x in s.split(",") if x.strip()])
    parser.add_argument("--steps", type=int, default=15, help=f"steps per mode (at most {DAYS - 1})")
    parser.add_argument("--loads", type=int, default=5, help="cold loads per page (median)")
    parser.add_argument("--seed", type=int, default=1956)
    args = parser.parse_args(argv)
    args.steps = max(1, min(args.steps, DAYS - 1))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    executable = chromium_path()
    if executable is None:
        log("chromium not found (/usr/bin/chromium or $CHROMIUM)")
        return 2
    started = time.perf_counter()
    assets = AssetCache()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-slider-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        bench = Bench(browser, assets)
        default_kb = folium_default_kb(bench, Path(tmp))
        for n in args.sizes:
            log(f"N={n}")
            rows += run_size(bench, n, args, Path(tmp))
        text = report(rows, default_kb, bench, args, time.perf_counter() - started)
        browser.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
