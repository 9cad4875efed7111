"""Lighthouse performance, mobile and desktop, on `/` and `/embed`.

npm's `lighthouse`, pinned to VERSION and installed under bench/.cache/lighthouse on first use
(Lighthouse 12 runs on Node 18+; 13 needs Node 22), drives Debian's chromium (CHROME_PATH).
Tiles are blocked. Each page and form factor runs --lh-runs times; the median score counts.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from browser_support import chromium_path
from common import CACHE, Check, Section, free_port, log, run, table

VERSION = "12.8.2"
HOME = CACHE / "lighthouse"
CLI = HOME / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = ("/", "/embed")
TARGET = 90
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
           "total-blocking-time": "TBT", "speed-index": "SI", "cumulative-layout-shift": "CLS"}


def ensure() -> str | None:
    """Install the pinned Lighthouse if needed; None when it is ready, else why it is not."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "node and npm are not installed"
    if chromium_path() is None:
        return "chromium is not installed"
    installed = HOME / "node_modules" / "lighthouse" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == VERSION:
        return None
    HOME.mkdir(parents=True, exist_ok=True)
    log(f"lighthouse: npm install lighthouse@{VERSION} into {HOME}")
    done = run(["npm", "install", "--prefix", str(HOME), "--no-audit", "--no-fund", "--loglevel=error",
                f"lighthouse@{VERSION}"], timeout=900)
    if done.returncode or not CLI.exists():
        return f"npm install lighthouse@{VERSION} failed: {done.stderr.strip()[-300:]}"
    return None


@dataclass
class Result:
    score: float
    metrics: dict[str, str]
    warnings: list[str]
    errored: list[str]


def run_once(url: str, desktop: bool, work: Path) -> Result:
    out = work / "lighthouse.json"
    cmd = ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=performance", f"--port={free_port()}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
           "--blocked-url-patterns=*tile.openstreetmap.org*"]
    if desktop:
        cmd.append("--preset=desktop")
    done = run(cmd, env=dict(os.environ, CHROME_PATH=chromium_path() or ""), timeout=300)
    if done.returncode or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr.strip()[-400:]}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    audits = report["audits"]
    return Result(score=100 * (report["categories"]["performance"]["score"] or 0),
                  metrics={short: audits[key].get("displayValue", "") for key, short in METRICS.items()
                           if key in audits},
                  warnings=list(report.get("runWarnings", [])),
                  errored=[key for key, a in audits.items() if a.get("scoreDisplayMode") == "error"])


def measure(app_url: str, runs: int, work: Path) -> Section:
    rows, checks, notes = [], [], []
    warned: set[str] = set()
    errored: set[str] = set()
    for form in ("mobile", "desktop"):
        for path in PAGES:
            results = []
            for _ in range(runs + 2):           # a run Lighthouse itself fails is tried again
                try:
                    results.append(run_once(app_url + path, form == "desktop", work))
                except (RuntimeError, OSError, ValueError, KeyError) as exc:
                    notes.append(f"{form} `{path}`: {exc} (run again)")
                if len(results) == runs:
                    break
            if not results:
                check = Check(f"Lighthouse {form} performance, `{path}`", "no run finished",
                              f"≥ {TARGET}", None)
            else:
                scores = sorted(r.score for r in results)
                median = statistics.median(scores)
                middle = min(results, key=lambda r: abs(r.score - median))
                check = Check(f"Lighthouse {form} performance, `{path}`",
                              f"{median:.0f} (runs: {', '.join(f'{s:.0f}' for s in scores)}); "
                              + ", ".join(f"{k} {v}" for k, v in middle.metrics.items()),
                              f"≥ {TARGET}" + ("" if form == "mobile" else " (reference only)"),
                              median >= TARGET)
                for r in results:
                    warned.update(r.warnings)
                    errored.update(r.errored)
            if form == "mobile":
                checks.append(check)
            rows.append([check.what, check.value, check.target, check.result])
            log(f"lighthouse: {check.what}: {check.value}")
    notes += [f"run warning: {w}" for w in sorted(warned)]
    if errored:
        notes.append("audits that errored inside Lighthouse: " + ", ".join(sorted(errored)))
    installed = json.loads((HOME / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    browser = run([chromium_path() or "chromium", "--version"]).stdout.strip()
    lines = [f"Lighthouse {installed} (npm, pinned to {VERSION}), {browser}, median of {runs} "
             f"run(s) each; tiles blocked.", "",
             *table(["measurement", "score and metrics", "target", "result"], rows, "llll")]
    return Section("Lighthouse performance", lines, checks, notes)
