"""Every setting declared once: name, default and help. Read from config, then MAPAPP_* env.

`resolve()` is the one reader: `create_app` and every CLI command call it, so `MAPAPP_DATA_DIR`
means the same to `mapapp check` as to gunicorn.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """A folder shipped with the app (`static`, `geodata`).

    A checkout (or an editable install) uses its own top-level folder, so edits show at once; an
    installed wheel carries a copy inside the package (pyproject.toml maps it there), found with
    importlib.resources.
    """
    checkout = PROJECT_ROOT / name
    if (PROJECT_ROOT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return Path(str(resources.files("mapapp") / name))


class SettingError(ValueError):
    """A setting has a value the app cannot run with; the message names it and what to do."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    production: bool = False  # the README's Production section asks to set it


def _hosts(raw: str) -> list[str]:
    return [h.strip() for h in raw.split(",") if h.strip()]


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(bundled("geodata")), "Folder holding the dataset (sites.csv, events.csv ...)."),
    Setting("STATIC_DIR", str(bundled("static")), "Folder with JS, CSS and vendored Leaflet."),
    Setting("TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "Tile URL template; 'none' for a map with no tiles."),
    Setting("TILES_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
            "Attribution HTML shown for the tiles (set by the operator, not by data)."),
    Setting("TILES_MAX_ZOOM", 19, "Highest zoom the tile provider serves."),
    Setting("FRAME_ANCESTORS", "*", "Who may frame /embed (CSP frame-ancestors); other pages: 'self' only."),
    Setting("PUBLIC_URL", "", "The map's public address, e.g. https://map.example.org/. Every absolute "
            "URL (QR codes, oEmbed, Share) is built from it and never from the request's Host, and its "
            "host is trusted. Empty: the address the request came to (trusted hosts only).",
            production=True),
    Setting("TRUSTED_HOSTS", ["localhost", "127.0.0.1"],
            "Host names this server answers to, comma-separated ('.example.org' takes its subdomains); "
            "any other Host gets 400. PUBLIC_URL's host is added. '*': any host (only with PUBLIC_URL).",
            production=True),
    Setting("PROXY_COUNT", 0, "Number of reverse proxies in front (1 behind deploy/nginx.conf) whose "
            "X-Forwarded-For/-Proto/-Host/-Port are trusted (werkzeug's ProxyFix), so URLs are https "
            "behind TLS. 0: those headers are ignored. Bind the app where only the proxy reaches it.",
            production=True),
    Setting("PAGE_CACHE_BYTES", 64 * 1024 * 1024,
            "Bytes of built pages kept per process (least recently used pages go first)."),
    Setting("PROXY_CACHE_SECONDS", 5, "Seconds a caching proxy in front (deploy/nginx.conf) may answer a "
            "page or API request from its own cache (X-Accel-Expires; browsers still revalidate every "
            "time). A reload of the dataset shows within this time. 0: the proxy does not cache them."),
    Setting("NOMINATIM_URL", "https://nominatim.openstreetmap.org",
            "Nominatim server used by `mapapp geocode` and `mapapp import`."),
    Setting("USER_AGENT", "budapest1956-mapapp (set MAPAPP_USER_AGENT to your contact)",
            "User-Agent sent to Nominatim; must identify you."),
    Setting("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, "Largest spreadsheet /make accepts, in bytes (Flask's "
            "request limit; larger: 413)."),
    Setting("MAKE_MAX_ROWS", 5000, "Rows of events a spreadsheet uploaded to /make may have."),
    Setting("MAKE_TIME_LIMIT", 20.0, "Seconds /make may spend reading, checking and geocoding one upload."),
    Setting("MAKE_GEOCODER_URL", "", "This site's own Nominatim server, for /make uploads with places "
            "without lat/lon; empty: none (uploads are never sent to the public Nominatim server)."),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def _from_env(setting: Setting, raw: str) -> Any:
    if isinstance(setting.default, list):
        return _hosts(raw)
    if isinstance(setting.default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingError(f"MAPAPP_{setting.name}: {raw!r} is not a whole number") from None
    return raw


def resolve(config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, overridden by MAPAPP_<NAME> environment variables, overridden by `config`."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    values = dict(DEFAULTS)
    for setting in SETTINGS:
        raw = env.get(f"MAPAPP_{setting.name}")
        if raw is not None:
            values[setting.name] = _from_env(setting, raw)
    values.update(config or {})
    if isinstance(values["TRUSTED_HOSTS"], str):
        values["TRUSTED_HOSTS"] = _hosts(values["TRUSTED_HOSTS"])
    values["PUBLIC_URL"] = _public_url(values["PUBLIC_URL"])
    return values


def _public_url(value: str) -> str:
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingError(f"PUBLIC_URL: {value!r} is not a web address "
                           "(expected e.g. https://map.example.org/)")
    return value if value.endswith("/") else value + "/"


def trusted_hosts(settings: Mapping[str, Any]) -> list[str] | None:
    """Flask's TRUSTED_HOSTS: the configured names plus PUBLIC_URL's host; None means any host,
    which is allowed only when PUBLIC_URL keeps the Host header out of every page."""
    hosts = list(settings["TRUSTED_HOSTS"])
    public = urlsplit(settings["PUBLIC_URL"]).hostname if settings["PUBLIC_URL"] else None
    if "*" in hosts:
        if not public:
            raise SettingError("TRUSTED_HOSTS is '*' but PUBLIC_URL is empty: any Host header would "
                               "reach the pages. Set PUBLIC_URL, or list the host names.")
        return None
    if not hosts and not public:
        raise SettingError("TRUSTED_HOSTS and PUBLIC_URL are both empty: set PUBLIC_URL to the map's "
                           "address, or list the host names it answers to.")
    return hosts + ([public] if public and public not in hosts else [])
