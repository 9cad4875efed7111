"""Pages (and API answers) built once and kept as bytes, compressed, with ETag and CSP script hashes."""
from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from .compression import Encoded, encoded

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BuiltPage:
    entity: Encoded                 # the bytes, and their brotli and gzip copies
    script_hashes: tuple[str, ...]
    mimetype: str = "text/html"

    @property
    def body(self) -> bytes:
        return self.entity.body

    @property
    def etag(self) -> str:
        return self.entity.etag

    @property
    def size(self) -> int:
        """Bytes this page holds in the cache, every stored encoding counted."""
        return self.entity.size


def script_hashes(html: str) -> tuple[str, ...]:
    """CSP source expressions ('sha256-...') for every inline script that runs in `html`."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        tag = match.group(0)[: match.group(0).index(">") + 1].lower()
        if 'type="application/json"' in tag or "type='application/json'" in tag:
            continue
        digest = hashlib.sha256(match.group(1).encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return tuple(dict.fromkeys(hashes))


def built(text: str, mimetype: str = "text/html") -> BuiltPage:
    """A page (or an API answer: `mimetype`) as bytes, compressed once, here."""
    hashes = script_hashes(text) if mimetype == "text/html" else ()
    return BuiltPage(entity=encoded(text.encode("utf-8"), mimetype), script_hashes=hashes, mimetype=mimetype)


class PageCache:
    """Builds each page variant on first use, once, and keeps its bytes, up to `max_bytes` in all.

    Keys are a page's canonical state (see mapstate.py) and, without PUBLIC_URL, the trusted
    host it was asked for. Least recently used pages leave first, so no request pattern can grow
    memory past the bound; a page bigger than the whole bound is served but not kept.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._pages: OrderedDict[Hashable, BuiltPage] = OrderedDict()
        self._lock = threading.Lock()  # guards _pages and _bytes; held only for dict updates
        self._build_lock = threading.Lock()  # one build at a time: a burst of misses builds once
        self._bytes = 0
        self.max_bytes = max_bytes

    def get(self, key: Hashable, build: Callable[[], str], mimetype: str = "text/html") -> BuiltPage:
        page = self._lookup(key)
        if page is not None:
            return page
        with self._build_lock:
            page = self._lookup(key)
            if page is None:
                page = built(build(), mimetype)
                self._store(key, page)
        return page

    def _lookup(self, key: Hashable) -> BuiltPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def _store(self, key: Hashable, page: BuiltPage) -> None:
        if page.size > self.max_bytes:
            return
        with self._lock:
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= dropped.size

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._pages)
