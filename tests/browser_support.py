"""Shared helpers for real-browser tests: Debian's chromium, tiles answered locally, the app
served on 127.0.0.1 (LiveServer) and a page that records errors and dialogs (PageWatch)."""
from __future__ import annotations

import json
import os
import shutil
import struct
import threading
import urllib.request
import zlib
from urllib.parse import urlsplit

from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TILE_HOST_MARKERS = ("tile.openstreetmap.org", "tiles.test")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


TILE_PNG = _png(256, 256, (236, 240, 236))


def is_tile_request(url: str) -> bool:
    return any(marker in url for marker in TILE_HOST_MARKERS)


def serve_tiles_locally(page) -> None:
    """Answer every tile request with a plain local PNG so no test needs the network."""
    page.route(lambda url: is_tile_request(url),
               lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG))


class LiveServer:
    """The app on 127.0.0.1 at a free port, in a thread, stopped by the fixture."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def api(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path) as response:
            return json.load(response)

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


class PageWatch:
    """A page that records console errors, page errors, dialogs and every request's host."""

    def __init__(self, browser, viewport=(1280, 800), **context_options):
        """`context_options` go to browser.new_context (e.g. has_touch=True, is_mobile=True)."""
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        serve_tiles_locally(self.page)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", self._request)

    def _request(self, request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "about:")) or host == "127.0.0.1" or is_tile_request(request.url):
            return
        self.outside.append(request.url)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(".ds-range", state="attached")

    def list_ids(self) -> list[str]:
        return self.page.eval_on_selector_all("#event-list li", "els => els.map(e => e.dataset.eventId)")

    def close(self) -> None:
        self.context.close()
