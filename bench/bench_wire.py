"""Bytes on the wire: a cold `/`, then another day's URL in the same browser (warm cache).

Chromium's own network events (CDP Network domain) are counted, so the HTTP cache works as for a
reader: Playwright's page.route() is not used, since it switches the cache off. Tile requests are
blocked with Network.setBlockedURLs and counted apart. Bytes are what crossed the wire
(encodedDataLength: headers and body as sent, compressed if it was); KB = 1,000 bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from common import Check, Section, table

VIEWPORT = {"width": 1280, "height": 800}
TILE_PATTERNS = ["*tile.openstreetmap.org*", "*tiles.test*"]
QUIET_MS = 1500
COLD_TARGET = 130_000
DAY_TARGET = 12_000
DAY_REVALIDATIONS = 1
OTHER_DAY = "/?date=1956-10-25"


@dataclass
class Load:
    """What one navigation moved."""
    requests: int = 0
    network: int = 0          # answered over the network with a body (2xx)
    revalidated: int = 0      # 304 Not Modified
    cached: int = 0           # from the memory or disk cache, no request sent
    blocked: int = 0          # tiles
    bytes: int = 0
    by_url: dict[str, int] = field(default_factory=dict)


class Recorder:
    """Collects one navigation's network events from a CDP session."""

    def __init__(self, cdp: Any):
        self.cdp = cdp
        self.reset()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def reset(self) -> None:
        self.urls: dict[str, str] = {}
        self.status: dict[str, int] = {}
        self.cache: set[str] = set()
        self.sizes: dict[str, int] = {}
        self.blocked: set[str] = set()

    def _sent(self, e: dict[str, Any]) -> None:
        if not e["request"]["url"].startswith(("data:", "blob:")):
            self.urls[e["requestId"]] = e["request"]["url"]

    def _response(self, e: dict[str, Any]) -> None:
        self.status[e["requestId"]] = e["response"]["status"]
        if e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache"):
            self.cache.add(e["requestId"])

    def _from_cache(self, e: dict[str, Any]) -> None:
        self.cache.add(e["requestId"])

    def _finished(self, e: dict[str, Any]) -> None:
        self.sizes[e["requestId"]] = int(e["encodedDataLength"])

    def _failed(self, e: dict[str, Any]) -> None:
        if e.get("blockedReason"):
            self.blocked.add(e["requestId"])

    def summary(self) -> Load:
        load = Load(blocked=len(self.blocked))
        for rid, url in self.urls.items():
            if rid in self.blocked:
                continue
            load.requests += 1
            size = self.sizes.get(rid, 0)
            if rid in self.cache:
                load.cached += 1
                size = 0
            elif self.status.get(rid) == 304:
                load.revalidated += 1
            else:
                load.network += 1
            load.bytes += size
            path = urlsplit(url).path or "/"
            load.by_url[path] = load.by_url.get(path, 0) + size
        return load


def navigate(page: Any, recorder: Recorder, url: str) -> Load:
    recorder.reset()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(QUIET_MS)
    return recorder.summary()


def measure(browser: Any, app_url: str) -> Section:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setBlockedURLs", {"urls": TILE_PATTERNS})
        recorder = Recorder(cdp)
        cold = navigate(page, recorder, app_url + "/")
        day = navigate(page, recorder, app_url + OTHER_DAY)
    finally:
        context.close()
    checks = [
        Check("cold `/`: bytes transferred", f"{cold.bytes / 1000:.1f} KB in {cold.requests} requests",
              f"≤ {COLD_TARGET / 1000:.0f} KB", cold.bytes <= COLD_TARGET),
        Check(f"another day's URL (`{OTHER_DAY}`, warm cache)",
              f"{day.bytes / 1000:.1f} KB, {day.revalidated} revalidated",
              f"≤ {DAY_TARGET / 1000:.0f} KB, ≤ {DAY_REVALIDATIONS} revalidation",
              day.bytes <= DAY_TARGET and day.revalidated <= DAY_REVALIDATIONS),
    ]
    rows = []
    for load, check in ((cold, checks[0]), (day, checks[1])):
        rows.append([check.what, load.requests, load.network, load.revalidated, load.cached,
                     f"{load.bytes:,}", check.target, check.result])
    lines = ["Tile requests blocked (not counted): "
             f"{cold.blocked} on the cold load, {day.blocked} on the other day.", "",
             *table(["load", "requests", "200 from network", "304", "from cache, no request", "bytes",
                     "target", "result"], rows, "lrrrrrll")]
    biggest = sorted(cold.by_url.items(), key=lambda x: -x[1])[:8]
    notes = ["cold `/`, bytes per resource: " + ", ".join(f"`{u}` {b:,}" for u, b in biggest),
             "another day: " + ", ".join(f"`{u}` {b:,}" for u, b in sorted(day.by_url.items(), key=lambda x: -x[1])[:6])]
    return Section("Bytes on the wire (Chromium, CDP network events)", lines, checks, notes)
