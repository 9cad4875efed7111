"""The pages the slider bench compares, all showing the same seeded synthetic events.

* ours     -- a dataset folder (geodata/FORMAT.md) for mapapp.create_app;
* Timeline -- folium.plugins.Timeline + TimelineSlider (1956 dates as negative ms timestamps);
* TimestampedGeoJson -- folium.plugins.TimestampedGeoJson, dates moved forward 100 years (it
              cannot show 1956), period P1D;
* floor    -- a hand-written plain Leaflet page: every marker made at load, a step adds and
              removes the changed ones through a per-day index; no list, no URL, no fading.

Every page draws circle markers with the renderer ours picks at that size (SVG up to CANVAS_FROM
events, canvas above). folium's CDN files come from npm packages cached in bench/.cache/.
"""
from __future__ import annotations

import csv
import json
import mimetypes
import random
import re
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
from browser_support import TILE_PNG, is_tile_request
from common import CACHE, ROOT, log
from folium import plugins
from folium.utilities import JsCode

from mapapp.records import CATEGORIES

CORP = {"Cross-Origin-Resource-Policy": "cross-origin"}   # see common.ISOLATION
LEAFLET_DIR = ROOT / "static" / "vendor" / "leaflet-1.9.4"
FIRST_DAY = date(1956, 10, 22)
DAYS = 30
PEER_YEAR_SHIFT = 100          # 1956 -> 2056: same leap-year calendar, after 1970
SITE_POOL = 300                # the app's start-up check compares every pair of sites (see README)
CENTER = (47.4975, 19.0700)
ZOOM = 12
CANVAS_FROM = 2000             # static/js/dayslider: SVG up to this many events, canvas above
CIRCLE_STYLE = {"radius": 8, "color": "#fff", "weight": 2, "fillColor": "#c0392b",
                "fillOpacity": 0.95, "opacity": 1}
PAST_STYLE = {"radius": 5, "weight": 1, "fillOpacity": 0.35, "opacity": 0.5}   # ours' earlier days


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


FLOOR_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floor: plain Leaflet</title>
<link rel="stylesheet" href="leaflet/leaflet.css">
<style>html, body, #map { height: 100%%; margin: 0; }</style>
<script src="leaflet/leaflet.js"></script>
</head><body><div id="map"></div>
<script>
var FLOOR_OPTIONS = %s;
var FLOOR_EVENTS = %s;
</script>
<script src="floor.js"></script>
</body></html>
"""

# The floor: what a hand-written page needs to show the same markers. All markers are made at
# load; a step adds and removes the changed ones, found through a per-day index. No list, no
# URL, no fading of earlier days: the cheapest way plain Leaflet shows each day's set. With
# `fade` (a reference, cumulative mode only) it also gives earlier days ours' past look with
# setStyle, as a hand-written page would.
FLOOR_JS = """\
(function () {
  'use strict';
  var o = FLOOR_OPTIONS, events = FLOOR_EVENTS, n = events.length;
  var map = L.map('map').setView(o.center, o.zoom);
  window.floorMap = map;
  var renderer = o.canvas ? L.canvas({ padding: 0.2 }) : L.svg({ padding: 0.2 });
  var style = Object.assign({ renderer: renderer }, o.style);
  var markers = events.map(function (e) { return L.circleMarker([e[0], e[1]], style); });
  var past = Object.assign({}, o.style, o.pastStyle), current = o.style;
  var activeOn = [], startsOn = [], endsOn = [];
  for (var d = 0; d < o.days; d++) { activeOn.push([]); startsOn.push([]); endsOn.push([]); }
  events.forEach(function (e, i) {
    startsOn[e[2]].push(i);
    endsOn[e[3]].push(i);
    for (var d = e[2]; d <= e[3]; d++) activeOn[d].push(i);
  });
  var shown = new Uint8Array(n), seen = new Uint32Array(n), gen = 0, day = -1;
  function show(next) {
    var i, k, list;
    if (o.mode === 'day') {
      gen += 1;
      list = activeOn[next];
      for (k = 0; k < list.length; k++) {
        i = list[k]; seen[i] = gen;
        if (!shown[i]) { map.addLayer(markers[i]); shown[i] = 1; }
      }
      if (day >= 0) {
        list = activeOn[day];
        for (k = 0; k < list.length; k++) {
          i = list[k];
          if (seen[i] !== gen && shown[i]) { map.removeLayer(markers[i]); shown[i] = 0; }
        }
      }
    } else {
      for (d = day + 1; d <= next; d++) startsOn[d].forEach(function (j) { map.addLayer(markers[j]); });
      for (d = day; d > next; d--) startsOn[d].forEach(function (j) { map.removeLayer(markers[j]); });
      if (o.fade) {
        // earlier days faded: forward, the events that ended on day..next-1 take the past look;
        // back, those ending on next..day-1 that are still shown look current again
        for (d = Math.max(day, 0); d < next; d++) endsOn[d].forEach(function (j) { markers[j].setStyle(past); });
        for (d = next; d < day; d++) endsOn[d].forEach(function (j) { if (events[j][2] <= next) markers[j].setStyle(current); });
      }
    }
    day = next;
  }
  window.floor = { show: show };
  show(0);
})();
"""


def floor_page(events: list[SynthEvent], cumulative: bool, folder: Path, fade: bool = False) -> str:
    """Write the floor page for one mode into folder (Leaflet copied beside it); its file name."""
    leaflet = folder / "leaflet"
    if not leaflet.is_dir():
        leaflet.mkdir()
        for name in ("leaflet.js", "leaflet.css"):
            (leaflet / name).write_bytes((LEAFLET_DIR / name).read_bytes())
        (folder / "floor.js").write_text(FLOOR_JS, encoding="utf-8")
    mode = "cumulative" if cumulative else "day"
    options = {"center": list(CENTER), "zoom": ZOOM, "canvas": len(events) > CANVAS_FROM,
               "style": CIRCLE_STYLE, "days": DAYS, "mode": mode, "fade": fade, "pastStyle": PAST_STYLE}
    points = [[e.lat, e.lon, e.start, e.end] for e in events]
    name = f"floor-{mode}{'-fade' if fade else ''}.html"
    (folder / name).write_text(FLOOR_HTML % (json.dumps(options), json.dumps(points, separators=(",", ":"))),
                               encoding="utf-8")
    return name


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
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG, headers=CORP)
            return
        body = self.lookup(url)
        if body is None:
            self.unmapped.add(url)
            body = b""
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        route.fulfill(status=200, content_type=content_type, body=body,
                      headers={"Access-Control-Allow-Origin": "*", **CORP})
