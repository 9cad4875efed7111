"""The static assets under content-hashed names, read and compressed once at start-up.

Every file of STATIC_DIR that a page loads (JS, CSS, images, fonts) is served under a name that
carries a hash of its bytes: `js/dayslider.js` is `js/dayslider.0a1b2c3d4e5f.js`. A change to a
file changes its URL, so browsers may keep every such URL for good (`immutable`) and no version
number has to be kept by hand. A stylesheet's `url(...)` references to other assets are rewritten
to their hashed names before the stylesheet is hashed, so a changed image changes the
stylesheet's URL too. Other files (a vendored package's LICENSE) keep their names.

The app serves these names (`/static/<name>`, the endpoint `static`: `serve_static`), `mapapp
collect-static` writes them (with .gz and .br copies) for nginx, and `mapapp export` writes the ones
its pages use. Templates get URLs from `asset()`; Python code from `asset_path()` / `asset_url()`.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import Response, abort, current_app, url_for
from jinja2 import pass_context

from .compression import Encoded, encoded, respond

HASHED_SUFFIXES = (".js", ".css", ".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2")
HASH_CHARS = 12                   # nginx's immutable rule (deploy/nginx.conf) matches exactly this
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
TYPES = {".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml"}

@dataclass(frozen=True)
class Asset:
    name: str        # as in STATIC_DIR: js/dayslider.js
    served: str      # as served: js/dayslider.0a1b2c3d4e5f.js (the same name when not hashed)
    mimetype: str
    entity: Encoded

    @property
    def immutable(self) -> bool:
        return self.served != self.name


def hashed_name(name: str, body: bytes) -> str:
    path = PurePosixPath(name)
    digest = hashlib.sha256(body).hexdigest()[:HASH_CHARS]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def mimetype_of(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class Assets:
    """The manifest of one STATIC_DIR: name -> Asset, and served name -> Asset."""

    def __init__(self, static_dir: Path):
        self.static_dir = static_dir
        files = {p.relative_to(static_dir).as_posix(): p.read_bytes()
                 for p in sorted(static_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}
        self.by_name: dict[str, Asset] = {}
        # stylesheets last: their url() references need the other files' hashed names
        for name in sorted(files, key=lambda n: (n.endswith(".css"), n)):
            body = files[name]
            if name.endswith(".css"):
                body = self._rewrite_css(name, body)
            served = hashed_name(name, body) if name.lower().endswith(HASHED_SUFFIXES) else name
            mimetype = mimetype_of(name)
            self.by_name[name] = Asset(name, served, mimetype, encoded(body, mimetype, memo=True))
        self.by_served = {asset.served: asset for asset in self.by_name.values()}

    def _rewrite_css(self, name: str, body: bytes) -> bytes:
        """url(images/layers.png) -> url(images/layers.0a1b2c3d4e5f.png), for files of this folder."""
        folder = PurePosixPath(name).parent

        def swap(match: re.Match[str]) -> str:
            quote, ref = match.group(1), match.group(2)
            if ref.startswith(("data:", "http:", "https:", "/", "#")):
                return match.group(0)
            path = ref.partition("?")[0]
            target = _normalise(folder / path)
            asset = self.by_name.get(target) if target else None
            if asset is None:
                return match.group(0)
            new = PurePosixPath(path).with_name(PurePosixPath(asset.served).name).as_posix()
            return f"url({quote}{new}{quote})"

        return CSS_URL.sub(swap, body.decode("utf-8")).encode("utf-8")

    def path(self, name: str) -> str:
        """The served name of an asset (relative to the static base); KeyError names it."""
        try:
            return self.by_name[name].served
        except KeyError:
            raise KeyError(f"{name!r} is not a file of {self.static_dir}") from None

    def files(self) -> dict[str, bytes]:
        """served name -> bytes, every asset."""
        return {asset.served: asset.entity.body for asset in self.by_name.values()}


def _normalise(path: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


_loaded: dict[tuple[str, tuple[tuple[str, int, int], ...]], Assets] = {}


def load_assets(static_dir: Path) -> Assets:
    """The Assets of a folder; a process reads and compresses the same unchanged folder once."""
    stamp = tuple((p.as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in sorted(static_dir.rglob("*")) if p.is_file())
    key = (str(static_dir.resolve()), stamp)
    if key not in _loaded:
        _loaded.clear()  # one STATIC_DIR at a time is the usual case; a changed folder replaces it
        _loaded[key] = Assets(static_dir)
    return _loaded[key]


def assets() -> Assets:
    return current_app.extensions["mapapp.assets"]


def asset_path(name: str) -> str:
    """`js/dayslider.js` -> `js/dayslider.0a1b2c3d4e5f.js`: what to put after a static base."""
    return assets().path(name)


def asset_url(name: str) -> str:
    """The asset's URL on this server: /static/js/dayslider.0a1b2c3d4e5f.js."""
    return url_for("static", filename=asset_path(name))


@pass_context
def asset(context: dict, name: str) -> str:
    """Template global: the page's asset base (`/static/` or the export's `static/`) + served name."""
    return f"{context['asset_base']}{asset_path(name)}"


def serve_static(filename: str) -> Response:
    """An asset by its served name: hashed names are immutable, the others revalidate."""
    found = assets().by_served.get(filename)
    if found is None:
        abort(404)
    return respond(found.entity, found.mimetype, IMMUTABLE if found.immutable else REVALIDATE)
