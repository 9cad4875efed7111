"""Shared helpers for real-browser tests: Debian's chromium, and tiles answered locally."""
from __future__ import annotations

import os
import shutil
import zlib
import struct

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
