"""Where a slider step spends its time: Chromium's sampling profiler over a run of steps.

Builds the same pages as bench_slider.py (ours, folium Timeline, the plain-Leaflet floor) for one
N, steps each one forward through `--steps` days under the CDP Profiler (sampling every 100 us)
and prints, per page and mode, the functions with the most time: inclusive (the function and
what it calls) and self. Only the synchronous step is profiled; the frame after it is not (its
canvas redraw, style and layout run outside the step's call stack).

Usage: python3 bench/profile_step.py [--n 10000] [--steps 20] [--pages ours,timeline,floor]
"""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_slider as bs
import slider_pages as sp
from common import ThreadServer
from playwright.sync_api import sync_playwright

# All steps run inside one call, each followed by two frames, so the profile holds steps only.
RUN_STEPS_JS = """
async ([kind, name, args]) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const range = document.querySelector('.ds-range');
  const act = {
    ours: (a) => { range.value = String(a); range.dispatchEvent(new Event('input')); },
    floor: (a) => window.floor.show(a),
    timeline: (a) => window[name].setTime(a),
  }[kind];
  const times = [];
  for (const a of args) {
    await frame();
    const t0 = performance.now();
    (function benchStep() { act(a); })();
    times.push(performance.now() - t0);
  }
  await frame();
  return times;
}
"""


def aggregate(profile: dict[str, Any], root_name: str) -> tuple[float, dict[str, float], dict[str, float]]:
    """(time under root_name, inclusive ms per function, self ms per function) below root_name."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent: dict[int, int] = {}
    for node in profile["nodes"]:
        for child in node.get("children", []):
            parent[child] = node["id"]

    def label(node: dict[str, Any]) -> str:
        frame = node["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        url = frame["url"].rsplit("/", 1)[-1].split("?")[0]
        return f"{name} {url}:{frame['lineNumber'] + 1}" if url else name

    samples, deltas = profile["samples"], profile["timeDeltas"]
    inclusive: dict[str, float] = defaultdict(float)
    own: dict[str, float] = defaultdict(float)
    total = 0.0
    for k, node_id in enumerate(samples):
        ms = (deltas[k + 1] if k + 1 < len(deltas) else 0) / 1000
        chain, cursor = [], node_id
        while cursor in nodes:
            chain.append(nodes[cursor])
            cursor = parent.get(cursor, -1)
        names = [n["callFrame"]["functionName"] for n in chain]
        if root_name not in names:
            continue
        chain = chain[:names.index(root_name) + 1]
        total += ms
        own[label(chain[0])] += ms
        for entry in {label(n) for n in chain}:
            inclusive[entry] += ms
    return total, inclusive, own


def profile_page(browser: Any, bench: bs.Bench, spec: bs.PageSpec, events: list[sp.SynthEvent],
                 mode: str, steps: int, interval: int = 100) -> tuple[list[float], tuple[float, dict[str, float], dict[str, float]]]:
    page, _, _ = bench.open(spec, sp.shown_count(events, 0, mode))
    try:
        page.wait_for_timeout(bs.SETTLE_MS)
        if spec.kind == "ours":
            print("prebuilt:", page.evaluate("() => Budapest1956.current.prebuilt"))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": interval})
        cdp.send("Profiler.start")
        args = [spec.step_arg(day) for day in range(1, steps + 1)]
        times = page.evaluate(RUN_STEPS_JS, [spec.kind, spec.name, args])
        profile = cdp.send("Profiler.stop")["profile"]
        return times, aggregate(profile, "benchStep")
    finally:
        page.context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pages", default="ours,timeline,floor")
    parser.add_argument("--modes", default="day,cumulative")
    parser.add_argument("--seed", type=int, default=1956)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    pages = args.pages.split(",")
    events = sp.make_events(args.n, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=bs.chromium_path(), args=bs.CHROMIUM_ARGS)
        bench = bs.Bench(browser, sp.AssetCache())
        specs: dict[tuple[str, str], bs.PageSpec] = {}
        servers = []
        if "ours" in pages:
            folder = work / "ours"
            folder.mkdir()
            sp.write_dataset(events, folder)
            server = ThreadServer(app=bs.create_app({"DATA_DIR": str(folder), "TILES_URL": "none"}), isolated=True)
            servers.append(server)
            base = f"{server.url}/?date={sp.iso(0)}"
            bs.urllib.request.urlopen(base).read()
            for mode in ("day", "cumulative"):
                specs["ours", mode] = bs.PageSpec("ours", f"{base}&mode={mode}")
        static = work / "static"
        static.mkdir()
        for mode in ("day", "cumulative"):
            if "timeline" in pages:
                fmap, name = sp.timeline_page(events, mode == "cumulative")
                fmap.save(str(static / f"timeline-{mode}.html"))
                specs["timeline", mode] = bs.PageSpec("timeline", f"timeline-{mode}.html", name, True)
            if "floor" in pages:
                specs["floor", mode] = bs.PageSpec("floor", sp.floor_page(events, mode == "cumulative", static), "floor")
        server = ThreadServer(folder=static, isolated=True)
        servers.append(server)
        for spec in specs.values():
            if spec.kind != "ours":
                spec.url = f"{server.url}/{spec.url}"
        try:
            for kind in pages:
                for mode in args.modes.split(","):
                    times, (total, inclusive, own) = profile_page(browser, bench, specs[kind, mode], events,
                                                                  mode, args.steps)
                    print("\nsteps (ms): " + " ".join(f"{t:.1f}" for t in times))
                    times.sort()
                    print(f"\n## {kind}, {mode} mode, N={args.n:,}: {len(times)} steps, median "
                          f"{times[len(times) // 2]:.2f} ms (performance.now); profiled {total:.1f} ms "
                          f"= {total / len(times):.2f} ms/step\n")
                    print("| function | inclusive ms/step | self ms/step |")
                    print("|---|---:|---:|")
                    for fn, ms in sorted(inclusive.items(), key=lambda x: -x[1])[:args.top]:
                        print(f"| `{fn}` | {ms / len(times):.3f} | {own.get(fn, 0) / len(times):.3f} |")
        finally:
            for server in servers:
                server.stop()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
