"""`make bench`: every measurement of issue 11 in one run, one report.

Parts (all by default, or --parts slider,wire,lighthouse,throughput):
* slider     -- step and load: ours, folium Timeline and TimestampedGeoJson, the floor (bench_slider);
* wire       -- bytes and requests of a cold `/` and of another day's URL (bench_wire);
* lighthouse -- mobile and desktop performance of `/` and `/embed` (bench_lighthouse);
* throughput -- wrk through nginx in front of gunicorn, against nginx serving the export
                (bench_throughput).
wire, lighthouse and throughput share one production stack (bench/stack.py) on the --data dataset.
The report -- a summary of every target with PASS/FAIL, then each part's tables and notes -- goes
to bench/results/latest.md and to stdout.
"""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import common  # noqa: F401  (sys.path: the project and tests/)
from browser_support import CHROMIUM_ARGS, chromium_path
from common import RESULTS, ROOT, Check, Section, git_state, log, machine, not_measured, table

PARTS = ("slider", "wire", "lighthouse", "throughput")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    import bench_slider
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS),
                        type=lambda s: [p for p in s.split(",") if p.strip()])
    parser.add_argument("--data", type=Path, default=ROOT / "geodata",
                        help="dataset served by the production stack (wire, lighthouse, throughput)")
    parser.add_argument("--lh-runs", type=int, default=3, help="Lighthouse runs per page and form factor")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="duration of each wrk run")
    bench_slider.add_arguments(parser)
    args = parser.parse_args(argv)
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"--parts: unknown {', '.join(sorted(unknown))} (expected some of {', '.join(PARTS)})")
    args.steps = max(1, min(args.steps, 29))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    started, at_start = time.perf_counter(), machine()
    sections: list[Section] = []
    executable = chromium_path()
    if executable is None:
        log("chromium not found (/usr/bin/chromium or $CHROMIUM): run `make system-deps`")
        return 2
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        version = browser.version
        try:
            if "slider" in args.parts:
                import bench_slider
                (work / "slider").mkdir()
                sections.append(bench_slider.measure(browser, args, work / "slider"))
            stack_parts = [part for part in args.parts if part != "slider"]
            if stack_parts:
                sections += stack_sections(browser, args, work / "stack", stack_parts)
        finally:
            browser.close()
    text = report(sections, args, version, at_start, time.perf_counter() - started)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def stack_sections(browser: object, args: argparse.Namespace, work: Path, parts: list[str]) -> list[Section]:
    import bench_lighthouse
    import bench_throughput
    import bench_wire
    from stack import Stack, missing_tools
    missing = missing_tools()
    if missing:
        reason = f"not installed: {', '.join(missing)} (make bench installs them)"
        return [not_measured(f"{part} (production stack)", reason, [(part, "see issue 11")]) for part in parts]
    work.mkdir()
    out = []
    with Stack(args.data, work) as stack:
        if "wire" in parts:
            out.append(bench_wire.measure(browser, stack.app_url))
        if "lighthouse" in parts:
            problem = bench_lighthouse.ensure()
            out.append(not_measured("Lighthouse performance", problem,
                                    [(f"Lighthouse mobile performance, `{p}`", f"≥ {bench_lighthouse.TARGET}")
                                     for p in bench_lighthouse.PAGES])
                       if problem else bench_lighthouse.measure(stack.app_url, args.lh_runs, work))
        if "throughput" in parts:
            out.append(bench_throughput.measure(stack.app_url, stack.export_url, args.wrk_seconds))
    return out


def report(sections: list[Section], args: argparse.Namespace, chromium: str, at_start: str,
           elapsed: float) -> str:
    checks: list[Check] = [c for s in sections for c in s.checks]
    passed = sum(1 for c in checks if c.ok)
    lines = ["# Budapest 1956 bench (issue 11)", "",
             f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s; chromium {chromium}; "
             f"{git_state()}; parts: {', '.join(args.parts)}.",
             f"Machine at the start: {at_start}; at the end: {machine()}. The machine may be shared: "
             "compare the ratios within this run, not absolute times across runs.", "",
             "## Summary", "", f"{passed} of {len(checks)} targets met.", "",
             *table(["measurement", "value", "target", "result"],
                    [[c.what, c.value, c.target, c.result] for c in checks], "llll"), ""]
    for section in sections:
        lines += section.markdown()
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
