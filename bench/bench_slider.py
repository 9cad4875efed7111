"""Slider step and page load: ours against folium's Timeline and TimestampedGeoJson and the floor.

The pages (bench/slider_pages.py) show the same N seeded synthetic events with the same
renderer. Measured in Debian's chromium, in one run:

* load: navigation start to the first day's markers existing as Leaflet layers, median of
  --loads cold loads (a fresh browser context each), the pages taken in turn;
* step: one day forward. Ours is stepped as a reader does (the range input's value set and an
  `input` event dispatched), Timeline through its slider's setTime(ms) (what its range input
  calls), TimestampedGeoJson through setCurrentTimeIndex(i), the floor through its show(day).
  Timed inside the page: script = from the call to its return (the synchronous handler),
  frame = to the second requestAnimationFrame after it. The four pages of a mode are open
  side by side and stepped in turn, day after day, --rounds times from the first day, so that
  noise from a shared machine falls on all of them alike; medians of rounds x --steps steps.
  Every page first gets SETTLE_MS of quiet time after load.

After every step the page's marker count is checked against the expected count.
Usage: python3 bench/bench_slider.py [--sizes 50,1000,10000] [--steps 15] [--rounds 3] [--loads 5]
(run.py runs it as part of `make bench`).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import logging
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import common  # noqa: F401  (sys.path: the project, tests/ and bench/)
from browser_support import CHROMIUM_ARGS, chromium_path
from common import ROOT, Check, Section, ThreadServer, log, table
from playwright.sync_api import Browser, Page, sync_playwright
from slider_pages import (
    DAYS,
    PEER_YEAR_SHIFT,
    AssetCache,
    SynthEvent,
    day_ms,
    floor_page,
    iso,
    make_events,
    shown_count,
    timeline_page,
    tsgj_page,
    write_dataset,
)

from mapapp import create_app

VIEWPORT = {"width": 1280, "height": 800}
LOAD_TIMEOUT_MS = 120_000
# Every page gets the same quiet time after load before its steps, as a reader would (ours uses
# idle time to make its markers and list items ahead of the first step).
SETTLE_MS = 1000
KINDS = ("ours", "timeline", "tsgj", "floor", "fading")
LABELS = {"ours": "ours", "timeline": "folium Timeline", "tsgj": "folium TimestampedGeoJson",
          "floor": "floor (plain Leaflet)", "fading": "floor with fading (reference)"}
STEP_TARGET_SIZES = (1_000, 10_000)   # the targets; other sizes are for reference
LOAD_TARGET_SIZES = (10_000,)
FLOOR_FACTOR = 1.5

# Markers are counted as Leaflet layers, not DOM nodes, so SVG and canvas pages count alike. Ours
# keeps every marker it has made on the map and hides those whose event is not shown (not drawn,
# not hit: static/js/dayslider's EventMarker, `_hidden`); a hidden marker is not a shown one.
MARKERS = """(() => {
  if (typeof L === 'undefined') return 0;
  let n = 0;
  for (const key of Object.keys(window)) {
    const value = window[key];
    if (value instanceof L.Map) value.eachLayer((layer) => { if (layer instanceof L.CircleMarker && !layer._hidden) n += 1; });
  }
  return n;
})()"""

# Runs in the page only: an init script also runs in every subframe (ours' share dialog holds an
# empty preview iframe), where the check, finding no map, would ask for an animation frame every
# frame for good and keep that page's renderer drawing, so its steps would wait for the next vsync.
FIRST_DRAWN_SCRIPT = """
(() => {
  if (window !== window.top) return;
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

# [kind, global name, step argument, timed]: an untimed step goes back to the first day.
STEP_JS = """
async ([kind, name, arg, timed]) => {
  let act;
  if (kind === 'ours') {
    const range = document.querySelector('.ds-range');
    act = () => { range.value = String(arg); range.dispatchEvent(new Event('input')); };
  } else if (kind === 'floor' || kind === 'fading') {
    act = () => window.floor.show(arg);
  } else if (kind === 'timeline') {
    act = () => window[name].setTime(arg);
  } else {
    const td = window[name].timeDimension;
    const index = td.getAvailableTimes().indexOf(arg);
    act = () => td.setCurrentTimeIndex(index);
  }
  const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  if (!timed) { act(); await frames(); await frames(); return [0, 0, %s]; }
  const t0 = performance.now();
  act();
  const t1 = performance.now();
  await frames();
  const t2 = performance.now();
  return [t1 - t0, t2 - t0, %s];
}
""" % (MARKERS, MARKERS)


@dataclass
class PageSpec:
    """One page to measure: how to open it and how to step it."""
    kind: str                      # ours | timeline | tsgj | floor
    url: str
    name: str = ""                 # the JS global to step (slider or map)
    routed: bool = False           # answer CDN requests from the npm cache

    def step_arg(self, day: int) -> int:
        if self.kind in ("ours", "floor", "fading"):
            return day
        if self.kind == "timeline":
            return day_ms(day) + 12 * 3600 * 1000
        return day_ms(day, PEER_YEAR_SHIFT)


@dataclass
class Measured:
    """Medians for one page at one N."""
    load_ms: float = 0.0
    kb: float = 0.0                                  # JS+CSS as received
    kb_gzip: float = 0.0                             # the same, each file gzipped (-6)
    step: dict[str, tuple[float, float]] = field(default_factory=dict)   # mode -> (script, frame)


class Bench:
    def __init__(self, browser: Browser, assets: AssetCache):
        self.browser = browser
        self.assets = assets
        self.notes: list[str] = []

    def open(self, spec: PageSpec, expect_first: int) -> tuple[Page, float, tuple[int, int]]:
        """A fresh context (cold cache): the page once the first day's markers exist, the load
        time, and the JS+CSS bytes."""
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
        if not page.evaluate("() => self.crossOriginIsolated"):
            self.notes.append(f"{LABELS[spec.kind]} was not cross-origin isolated: its times have 0.1 ms steps")
        if outside and not spec.routed:
            self.notes.append(f"{LABELS[spec.kind]}: requests left 127.0.0.1: {outside[:3]}")
        return page, load_ms, _js_css_bytes(responses)

    def measure_loads(self, specs: dict[str, PageSpec], expect_first: int, loads: int,
                      out: dict[str, Measured]) -> None:
        """Median load of each page; the pages take turns, so noise falls on all of them."""
        times: dict[str, list[float]] = {kind: [] for kind in specs}
        for _ in range(loads):
            for kind, spec in specs.items():
                page, load_ms, (raw, zipped) = self.open(spec, expect_first)
                page.context.close()
                times[kind].append(load_ms)
                out[kind].kb, out[kind].kb_gzip = raw / 1024, zipped / 1024
        for kind, values in times.items():
            out[kind].load_ms = statistics.median(values)

    def measure_steps(self, specs: dict[str, PageSpec], events: list[SynthEvent], mode: str,
                      steps: int, rounds: int, out: dict[str, Measured]) -> None:
        """Median (script, frame) ms of rounds x steps forward steps, the pages side by side."""
        first = shown_count(events, 0, mode)
        pages = {kind: self.open(spec, first)[0] for kind, spec in specs.items()}
        script: dict[str, list[float]] = {kind: [] for kind in specs}
        frame: dict[str, list[float]] = {kind: [] for kind in specs}
        try:
            next(iter(pages.values())).wait_for_timeout(SETTLE_MS)
            order = list(specs)
            for round_ in range(rounds):
                if round_:
                    for kind, page in pages.items():
                        page.evaluate(STEP_JS, [kind, specs[kind].name, specs[kind].step_arg(0), False])
                for day in range(1, steps + 1):
                    order = order[1:] + order[:1]          # nobody always steps first
                    for kind in order:
                        spec = specs[kind]
                        s, f, count = pages[kind].evaluate(STEP_JS, [kind, spec.name, spec.step_arg(day), True])
                        script[kind].append(s)
                        frame[kind].append(f)
                        want = shown_count(events, day, mode)
                        if count != want:
                            self.notes.append(f"N={len(events):,} {LABELS[kind]} {mode} day {day}: "
                                              f"{count} markers, expected {want}")
        finally:
            for page in pages.values():
                page.context.close()
        for kind in specs:
            out[kind].step[mode] = (statistics.median(script[kind]), statistics.median(frame[kind]))


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

def run_size(bench: Bench, n: int, args: argparse.Namespace, work: Path) -> dict[str, Measured]:
    events = make_events(n, args.seed)
    ours_dir, static_dir = work / f"ours-{n}", work / f"peers-{n}"
    ours_dir.mkdir()
    static_dir.mkdir()
    write_dataset(events, ours_dir)
    started = time.perf_counter()
    app = create_app({"DATA_DIR": str(ours_dir), "TILES_URL": "none"})
    log(f"  N={n:,}: create_app {time.perf_counter() - started:.1f} s")
    files: dict[tuple[str, str], tuple[str, str]] = {}
    for mode in ("day", "cumulative"):
        for kind, build in (("timeline", timeline_page), ("tsgj", tsgj_page)):
            fmap, name = build(events, mode == "cumulative")
            fmap.save(str(static_dir / f"{kind}-{mode}.html"))
            files[kind, mode] = (f"{kind}-{mode}.html", name)
        files["floor", mode] = (floor_page(events, mode == "cumulative", static_dir), "floor")
        files["fading", mode] = (floor_page(events, mode == "cumulative", static_dir, fade=True), "floor")
    ours, peers = ThreadServer(app=app, isolated=True), ThreadServer(folder=static_dir, isolated=True)
    try:
        urllib.request.urlopen(f"{ours.url}/?date={iso(0)}").read()   # the page cache, built once

        def specs(mode: str) -> dict[str, PageSpec]:
            out = {"ours": PageSpec("ours", f"{ours.url}/?date={iso(0)}&mode={mode}")}
            for kind in KINDS[1:]:
                file, name = files[kind, mode]
                out[kind] = PageSpec(kind, f"{peers.url}/{file}", name, routed=kind in ("timeline", "tsgj"))
            return out

        measured = {kind: Measured() for kind in KINDS}
        bench.measure_loads(specs("day"), shown_count(events, 0, "day"), args.loads, measured)
        log(f"  N={n:,}: loads " + ", ".join(f"{k} {m.load_ms:.0f} ms" for k, m in measured.items()))
        for mode in ("day", "cumulative"):
            bench.measure_steps(specs(mode), events, mode, args.steps, args.rounds, measured)
            log(f"  N={n:,} {mode}: steps " + ", ".join(f"{k} {m.step[mode][0]:.2f} ms" for k, m in measured.items()))
        return measured
    finally:
        ours.stop()
        peers.stop()


# ---------------------------------------------------------------- report

def section(results: dict[int, dict[str, Measured]], bench: Bench, args: argparse.Namespace,
            elapsed: float) -> Section:
    rows, checks = [], []
    for n, m in sorted(results.items()):
        ours, timeline, floor, fading = m["ours"], m["timeline"], m["floor"], m["fading"]
        required = n in LOAD_TARGET_SIZES
        ok = ours.load_ms <= timeline.load_ms
        target = "ours ≤ Timeline" + ("" if required else " (reference only)")
        rows.append([f"{n:,}", "load", *(f"{m[k].load_ms:.0f}" for k in KINDS),
                     _ratio(ours.load_ms, timeline.load_ms), _ratio(ours.load_ms, floor.load_ms),
                     _ratio(ours.load_ms, fading.load_ms), target, _result(ok)])
        if required:
            checks.append(Check(f"load at {n:,} events", f"{ours.load_ms:.0f} ms vs Timeline "
                                f"{timeline.load_ms:.0f} ms", "ours ≤ Timeline", ok))
        for mode in ("day", "cumulative"):
            mine, theirs, base = ours.step[mode][0], timeline.step[mode][0], floor.step[mode][0]
            ok = mine <= theirs and mine <= FLOOR_FACTOR * base
            required = n in STEP_TARGET_SIZES
            target = f"ours ≤ Timeline and ≤ {FLOOR_FACTOR}× floor" + ("" if required else " (reference only)")
            rows.append([f"{n:,}", f"step, {mode}", *(_step(m[k].step[mode]) for k in KINDS),
                         _ratio(mine, theirs), _ratio(mine, base), _ratio(mine, fading.step[mode][0]),
                         target, _result(ok)])
            if required:
                checks.append(Check(f"slider step ({mode} mode) at {n:,} events",
                                    f"{mine:.2f} ms; Timeline {theirs:.2f}, floor {base:.2f} ({mine / base:.2f}×)",
                                    f"≤ Timeline, ≤ {FLOOR_FACTOR}× floor", ok))
    header = ["N", "measure", "ours", "Timeline", "TimestampedGeoJson", "floor", "floor with fading",
              "ours/Timeline", "ours/floor", "ours/floor with fading", "target", "result"]
    lines = [f"{DAYS} days, seed {args.seed}; loads: median of {args.loads} cold loads; steps: median "
             f"of {args.rounds} × {args.steps} forward steps, the pages side by side; {elapsed:.0f} s; "
             f"{script_version()}.", "",
             "Load in ms. Step cells: `script / frame` ms (script = the synchronous step, from the "
             "input event to the handler's return; frame = to the second requestAnimationFrame "
             "after it, so at least one frame interval). Ratios use script time.", "",
             "The floor shows each day's markers and nothing else; \"floor with fading\" is the same "
             "page that in cumulative mode also gives earlier days' markers ours' past look with "
             "setStyle (in day mode it is the floor again, a measure of the noise). The targets are "
             "against the floor.", "",
             *table(header, rows, "rlrrrrrrrrll"), "",
             "JS+CSS as received, KB (each file gzipped): " + ", ".join(
                 f"{LABELS[k]} {results[max(results)][k].kb:.0f} ({results[max(results)][k].kb_gzip:.0f})"
                 for k in KINDS) + "."]
    notes = list(dict.fromkeys(bench.notes)) or ["after every step every page showed exactly the expected number of "
                                  "markers for that day and mode"]
    for url, used in sorted(bench.assets.substituted.items()):
        notes.append(f"substituted: {url} -> npm {used}")
    for url in sorted(bench.assets.unmapped):
        notes.append(f"not mappable to an npm package, answered with an empty 200: {url}")
    notes.append("per step ours does more than the others: it also keeps the event list (one <li> per "
                 "shown event, in order), fades earlier days in cumulative mode (markers and items), "
                 "updates the date and the slider's aria-valuetext, and rewrites the URL and the "
                 "state-keeping links (history.replaceState and the hrefs at most every 120 ms, in a timer, "
                 "or the hrefs at once when something can use a link); the others only swap circle markers")
    notes.append(f"peers' dates are shifted by {PEER_YEAR_SHIFT} years for TimestampedGeoJson; "
                 f"events share a pool of at most 300 sites (markers are still one per event)")
    return Section("Slider step and page load", lines, checks, notes)


def _step(value: tuple[float, float]) -> str:
    return f"{value[0]:.2f} / {value[1]:.1f}"


def _ratio(ours: float, other: float) -> str:
    return f"{ours / other:.2f}" if other > 0 else "—"


def _result(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def script_version() -> str:
    """Which slider scripts were measured (the file names keep their version while edited)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        digest.update(path.read_bytes())
    return f"static/js sha256 {digest.hexdigest()[:12]}"


def measure(browser: Browser, args: argparse.Namespace, work: Path) -> Section:
    """The whole slider part of a run, in a browser the caller owns."""
    started = time.perf_counter()
    bench = Bench(browser, AssetCache())
    results = {}
    for n in args.sizes:
        log(f"slider: N={n:,}")
        results[n] = run_size(bench, n, args, work)
    return section(results, bench, args, time.perf_counter() - started)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", default="50,1000,10000",
                        type=lambda s: [int(x) for x in s.split(",") if x.strip()])
    parser.add_argument("--steps", type=int, default=15, help=f"steps per round (at most {DAYS - 1})")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of steps from the first day")
    parser.add_argument("--loads", type=int, default=5, help="cold loads per page (median)")
    parser.add_argument("--seed", type=int, default=1956)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    args.steps = max(1, min(args.steps, DAYS - 1))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    executable = chromium_path()
    if executable is None:
        log("chromium not found (/usr/bin/chromium or $CHROMIUM)")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-slider-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            print("\n".join(measure(browser, args, Path(tmp)).markdown()))
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
