"""What every part of the bench shares: paths, logging, small servers, and the report model.

A part returns a Section: its tables (every row states its target and PASS/FAIL), the checks that
go into the summary, and notes. run.py puts the sections of one run into bench/results/latest.md.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"          # npm packages (folium's CDN files, lighthouse); git-ignored
RESULTS = BENCH / "results"       # latest.md; git-ignored
# servers the bench starts listen on 127.0.0.1 in this range (BENCH_PORTS=8500-8599 to pick another)
_LOW, _HIGH = (int(x) for x in os.environ.get("BENCH_PORTS", "8200-8299").split("-"))
PORTS = range(_LOW, _HIGH + 1)
for _path in (str(ROOT), str(ROOT / "tests"), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)


# Every page the slider bench measures is cross-origin isolated, so that performance.now() has
# Chromium's fine resolution (5 us) instead of 100 us; steps take 0.3-3 ms. The headers are added
# by the bench's servers (IsolatedApp for ours), the same for every page.
ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


class IsolatedApp:
    """A WSGI app whose responses carry the ISOLATION headers (in place of its own, if any)."""

    def __init__(self, app: Any):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            kept = [(k, v) for k, v in headers if k.lower() not in {name.lower() for name in ISOLATION}]
            return start_response(status, [*kept, *ISOLATION.items()], *rest)
        return self.app(environ, start)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port(exclude: tuple[int, ...] = ()) -> int:
    """A port of PORTS that nothing listens on (for servers that take a port number: nginx,
    gunicorn); `exclude`: ports already promised to a server that has not bound them yet."""
    for port in PORTS:
        if port in exclude:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)


class ThreadServer:
    """A WSGI app (werkzeug) or a static folder on 127.0.0.1 at a free port, in a daemon thread."""

    def __init__(self, app: Any = None, folder: Path | None = None, isolated: bool = False):
        if app is not None:
            from werkzeug.serving import make_server
            self.server: Any = make_server("127.0.0.1", 0, IsolatedApp(app) if isolated else app, threaded=True)
        else:
            handler = partial(_IsolatedHandler if isolated else _QuietHandler, directory=str(folder))
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


class _IsolatedHandler(_QuietHandler):
    def end_headers(self) -> None:
        for name, value in ISOLATION.items():
            self.send_header(name, value)
        super().end_headers()


# ---------------------------------------------------------------- report model

@dataclass
class Check:
    """One target: what was measured, the value, the target, and whether it is met.
    ok is None when the measurement could not be made (the reason is in `value`)."""
    what: str
    value: str
    target: str
    ok: bool | None

    @property
    def result(self) -> str:
        return "PASS" if self.ok else "FAIL" if self.ok is False else "NOT MEASURED"


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)       # Markdown: tables and text
    checks: list[Check] = field(default_factory=list)    # for the summary
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> list[str]:
        out = [f"## {self.title}", "", *self.lines]
        if self.notes:
            out += ["", *[f"- {note}" for note in self.notes]]
        return [*out, ""]


def table(header: list[str], rows: list[list[Any]], align: str | None = None) -> list[str]:
    """A Markdown table; align is one letter per column, l or r (default: first l, rest r)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |",
            *["| " + " | ".join(str(c) for c in row) + " |" for row in rows]]


def not_measured(title: str, reason: str, targets: list[tuple[str, str]]) -> Section:
    """A section whose measurement could not run: each of its targets as NOT MEASURED."""
    checks = [Check(what, reason, target, None) for what, target in targets]
    rows = [[c.what, c.value, c.target, c.result] for c in checks]
    return Section(title, table(["measurement", "value", "target", "result"], rows, "llll"), checks)


def machine() -> str:
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} (1 / 5 / 15 min)"


def git_state() -> str:
    head = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip() or "?"
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")
