"""`mapapp collect-static DIR`: the assets as a web server serves them from disk (deploy/nginx.conf).

Every file of STATIC_DIR, and beside each text asset its gzip copy (`NAME.gz`, for nginx's
gzip_static), written as a whole like an export. A file's modification time is derived from its
bytes, so every machine that collects the same release sends the same Last-Modified and ETag
(nginx builds its ETag from mtime and size).
"""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from .export import marker

COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".txt")
EPOCH = 946_684_800  # 2000-01-01: stable times sit between 2000 and 2008
MARKER = ".mapapp-export.json"


def collected_files(static_dir: Path) -> dict[str, bytes]:
    """name -> bytes for every asset and its precompressed copy, with the marker."""
    files: dict[str, bytes] = {}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        name, body = path.relative_to(static_dir).as_posix(), path.read_bytes()
        files[name] = body
        if path.suffix in COMPRESSIBLE:
            packed = gzip.compress(body, compresslevel=9, mtime=0)
            if len(packed) < len(body):
                files[name + ".gz"] = packed
    files[MARKER] = marker(files, "mapapp collect-static")
    return files


def stable_mtime(body: bytes) -> float:
    """A modification time that depends only on the bytes."""
    return EPOCH + int.from_bytes(hashlib.sha256(body).digest()[:4], "big") % (8 * 365 * 86400)
