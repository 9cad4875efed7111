"""The state a map or embed URL asks for (day, mode, language, layers, controls, view, tiles).

The page's JS reads the same parameters (static/js/urlstate) and explains a bad one on the page;
here only the valid ones are kept, normalised, in one fixed order. That canonical state keys the
page cache (many spellings, one page) and travels in the oEmbed discovery link, so an embed opens
exactly what the linked page shows.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from .fields import DATE_PATTERN
from .records import CATEGORIES, LANGS, Dataset
from .timeline import MODES, clamp

PARAMETERS = ("date", "mode", "lang", "layers", "controls", "center", "zoom", "tiles")
CONTROLS = ("slider", "list", "legend")
NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{1,12})?")
ZOOM = re.compile(r"\d{1,2}")

State = tuple[tuple[str, str], ...]


def _day(raw: str, data: Dataset) -> str | None:
    if not DATE_PATTERN.fullmatch(raw):
        return None
    try:
        return clamp(date.fromisoformat(raw), data).isoformat()
    except ValueError:
        return None


def _layers(raw: str) -> str | None:
    wanted = {part.strip() for part in raw.split(",")}
    known = [c for c in CATEGORIES if c in wanted]
    return ",".join(known) if known else None


def _controls(raw: str) -> str | None:
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    if any(part != "none" and part not in CONTROLS for part in wanted):
        return None
    shown = [c for c in CONTROLS if c in wanted]
    return ",".join(shown) if shown else "none"


def _center(raw: str) -> str | None:
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 2 or not all(NUMBER.fullmatch(p) for p in parts):
        return None
    lat, lon = float(parts[0]), float(parts[1])
    return f"{parts[0]},{parts[1]}" if abs(lat) <= 90 and abs(lon) <= 180 else None


def _choice(options: tuple[str, ...]):
    return lambda raw: raw if raw in options else None


def canonical_state(args: Mapping[str, str], data: Dataset) -> State:
    """The valid parameters of `args`, normalised: a date is clamped to the map's days, layers and
    controls come in legend order, `tiles` is kept only when it turns tiles off."""
    readers = {
        "date": lambda raw: _day(raw, data), "mode": _choice(MODES), "lang": _choice(LANGS),
        "layers": _layers, "controls": _controls, "center": _center,
        "zoom": lambda raw: raw if ZOOM.fullmatch(raw) and 1 <= int(raw) <= 19 else None,
        "tiles": lambda raw: "none" if raw == "none" else None,
    }
    state = []
    for name in PARAMETERS:
        raw = args.get(name)
        value = readers[name](raw) if raw is not None else None
        if value is not None:
            state.append((name, value))
    return tuple(state)


def state_day(state: State, data: Dataset) -> date:
    """The day a state opens on: its date, else the map's first day."""
    value = dict(state).get("date")
    return date.fromisoformat(value) if value else data.first_day
