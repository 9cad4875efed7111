"""Every setting declared once: name, default and help. Read from config, then MAPAPP_* env."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(PROJECT_ROOT / "geodata"), "Folder holding the dataset (sites.csv, events.csv ...)."),
    Setting("STATIC_DIR", str(PROJECT_ROOT / "static"), "Folder with JS, CSS and vendored Leaflet."),
    Setting("TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "Tile URL template; 'none' for a map with no tiles."),
    Setting("TILES_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
            "Attribution HTML shown for the tiles (set by the operator, not by data)."),
    Setting("TILES_MAX_ZOOM", 19, "Highest zoom the tile provider serves."),
    Setting("FRAME_ANCESTORS", "*", "Who may frame /embed (CSP frame-ancestors); other pages: 'self' only."),
    Setting("PUBLIC_URL", "", "The map's public address, e.g. https://map.example.org/ (the print "
            "view's QR code links there); empty: the address the request came to."),
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


def resolve(config: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, overridden by MAPAPP_<NAME> environment variables, overridden by `config`."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    values = dict(DEFAULTS)
    for setting in SETTINGS:
        raw = env.get(f"MAPAPP_{setting.name}")
        if raw is not None:
            values[setting.name] = type(setting.default)(raw)
    values.update(config or {})
    return values
