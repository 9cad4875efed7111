"""`mapapp collect-static DIR`: the assets as a web server serves them from disk (deploy/nginx.conf).

Every file of STATIC_DIR under the name the app serves it by (content-hashed, assets.py), and beside
each text asset its compressed copies, made once here: `NAME.gz` for nginx's gzip_static and
`NAME.br` for brotli_static (when nginx has the brotli module). Written as a whole like an export.
A file's modification time is derived from its bytes, so every machine that collects the same
release sends the same Last-Modified and ETag (nginx builds its ETag from mtime and size).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .assets import Assets
from .export import marker

EPOCH = 946_684_800  # 2000-01-01: stable times sit between 2000 and 2008
MARKER = ".mapapp-export.json"
SUFFIXES = {"gzip": ".gz", "br": ".br"}


def collected_files(static_dir: Path) -> dict[str, bytes]:
    """served name -> bytes for every asset and its precompressed copies, with the marker."""
    files: dict[str, bytes] = {}
    for asset in Assets(static_dir).by_name.values():
        files[asset.served] = asset.entity.body
        for encoding, packed in asset.entity.variants.items():
            files[asset.served + SUFFIXES[encoding]] = packed
    files[MARKER] = marker(dict(sorted(files.items())), "mapapp collect-static")
    return files


def stable_mtime(body: bytes) -> float:
    """A modification time that depends only on the bytes."""
    return EPOCH + int.from_bytes(hashlib.sha256(body).digest()[:4], "big") % (8 * 365 * 86400)
