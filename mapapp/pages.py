"""Pages built once and served as cached bytes, each with its ETag and CSP script hashes."""
from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


@dataclass(frozen=True)
class BuiltPage:
    body: bytes
    etag: str
    script_hashes: tuple[str, ...]


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


def built(html: str) -> BuiltPage:
    body = html.encode("utf-8")
    return BuiltPage(body=body, etag=hashlib.sha256(body).hexdigest()[:32],
                     script_hashes=script_hashes(html))


class PageCache:
    """Builds each page variant on first use, once, and keeps its bytes.

    Keys include the request's host when PUBLIC_URL is unset, so the number of variants is capped:
    a client inventing Host headers evicts old variants instead of growing memory.
    """

    def __init__(self, max_entries: int = 512) -> None:
        self._pages: dict[tuple, BuiltPage] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: tuple, build: Callable[[], str]) -> BuiltPage:
        page = self._pages.get(key)
        if page is None:
            with self._lock:
                page = self._pages.get(key)
                if page is None:
                    page = built(build())
                    if len(self._pages) >= self.max_entries:
                        self._pages.pop(next(iter(self._pages)))
                    self._pages[key] = page
        return page

    def __len__(self) -> int:
        return len(self._pages)
