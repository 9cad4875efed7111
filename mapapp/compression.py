"""Response bodies compressed once, and sent in the encoding the client accepts.

An `Encoded` body holds its bytes as they are and, for text worth compressing, its brotli and
gzip copies, made when the body is built (a page on first use, an asset at start-up), never per
request. `respond()` picks the best encoding the request accepts (brotli, then gzip, else the
bytes as they are), answers 304 to a matching If-None-Match, and says `Vary: Accept-Encoding`.
Each encoding has its own strong ETag ("HASH", "HASH-br", "HASH-gzip"), so a cache in between
never mixes them up.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

import brotli
from flask import Response, request

# text/*, JavaScript, JSON, GeoJSON, SVG: worth compressing; images and fonts are compressed already
COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "application/geo+json",
                      "image/svg+xml", "application/manifest+json")
MIN_SIZE = 256            # smaller bodies gain less than the encoding's own overhead
# brotli's best quality (11) costs about 1 ms per KB: fine once per asset, too slow for a large
# API answer built while its first readers wait (250 ms for 250 KB); above this size quality 5
# makes it 15 % bigger in 3 ms
BEST_QUALITY_UP_TO = 64 * 1024
ENCODINGS = ("br", "gzip")  # in order of preference
MEMO_ENTRIES = 512


def compressible(mimetype: str) -> bool:
    return mimetype.startswith(COMPRESSIBLE_TYPES)


@dataclass(frozen=True)
class Encoded:
    """One body in every encoding it may be sent in; `etag` is the hash of the bytes as they are."""

    body: bytes
    etag: str
    variants: Mapping[str, bytes] = field(default_factory=dict)  # 'br' / 'gzip' -> compressed bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(v) for v in self.variants.values())

    def tag(self, encoding: str | None) -> str:
        return f"{self.etag}-{encoding}" if encoding else self.etag

    def tags(self) -> list[str]:
        return [self.tag(None), *(self.tag(e) for e in self.variants)]


_memo: dict[str, dict[str, bytes]] = {}
_memo_lock = threading.Lock()


def compress(body: bytes) -> dict[str, bytes]:
    """brotli (quality 11) and gzip (level 9) copies that are smaller than `body`.

    Memoised by content for the life of the process: every app a process creates (tests create
    many; a reload creates one more) compresses the same asset once."""
    digest = hashlib.sha256(body).hexdigest()
    with _memo_lock:
        done = _memo.get(digest)
    if done is not None:
        return done
    out = {}
    for encoding, packed in (("br", brotli.compress(body, quality=11)),
                             ("gzip", gzip.compress(body, compresslevel=9, mtime=0))):
        if len(packed) < len(body):
            out[encoding] = packed
    with _memo_lock:
        if len(_memo) >= MEMO_ENTRIES:
            _memo.pop(next(iter(_memo)))
        _memo[digest] = out
    return out


def encoded(body: bytes, mimetype: str, memo: bool = False) -> Encoded:
    """`body` with its compressed copies (none for small or already compressed bodies).

    `memo`: an asset or a data file, compressed as small as brotli can, and the copies kept for the
    process (many apps share them); pages and API answers live in their app's page cache instead."""
    etag = hashlib.sha256(body).hexdigest()[:32]
    if len(body) < MIN_SIZE or not compressible(mimetype):
        return Encoded(body, etag)
    if memo:
        return Encoded(body, etag, compress(body))
    quality = 11 if len(body) <= BEST_QUALITY_UP_TO else 5
    variants = {"br": brotli.compress(body, quality=quality), "gzip": gzip.compress(body, compresslevel=9, mtime=0)}
    return Encoded(body, etag, {k: v for k, v in variants.items() if len(v) < len(body)})


def chosen_encoding(entity: Encoded) -> str | None:
    """The best of the entity's encodings that this request accepts (q > 0), or None."""
    accepted = request.accept_encodings
    for encoding in ENCODINGS:
        if encoding in entity.variants and accepted[encoding] > 0:
            return encoding
    return None


def respond(entity: Encoded, mimetype: str, cache_control: str, status: int = 200,
            headers: Mapping[str, str] | None = None) -> Response:
    """The entity in the best accepted encoding, or 304 when the client holds it already.

    `headers` come first, in order (nginx reads X-Accel-Expires before Cache-Control)."""
    response = Response(status=status, mimetype=mimetype)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    matched = next((tag for tag in entity.tags() if request.if_none_match.contains(tag)), None)
    if matched is not None:
        response.status_code = 304
        response.set_etag(matched)
    else:
        encoding = chosen_encoding(entity)
        response.set_data(entity.variants[encoding] if encoding else entity.body)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.set_etag(entity.tag(encoding))
    response.headers["Cache-Control"] = cache_control
    if entity.variants:
        response.vary.add("Accept-Encoding")
    return response
