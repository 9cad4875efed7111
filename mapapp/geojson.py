"""Reading the dataset's GeoJSON files (RFC 7946): routes as LineStrings, regions as Polygons."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from shapely.geometry import Polygon
from shapely.validation import explain_validity

from .csvfile import decode
from .errors import Problems

Position = tuple[float, float]


def read_features(path: Path, problems: Problems) -> tuple[str, list[dict[str, Any]]]:
    """The text and the features of a FeatureCollection; problems are recorded, not raised."""
    name = path.name
    text = decode(path, problems, name)
    if text is None:
        return "", []
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(name, exc.lineno, None, f"is not valid JSON: {exc.msg} (column {exc.colno})",
                     "a GeoJSON FeatureCollection")
        return text, []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.add(name, 1, "type", "is not a FeatureCollection", '"type": "FeatureCollection"')
        return text, []
    if "crs" in doc:
        problems.add(name, line_of(text, '"crs"'), "crs", "a crs member is not allowed",
                     "RFC 7946 GeoJSON: WGS84 lon/lat and no crs")
    features = doc.get("features")
    if not isinstance(features, list):
        problems.add(name, 1, "features", "is missing or not a list", "a list of Features")
        return text, []
    return text, features


def line_of(text: str, needle: str, start_line: int = 1) -> int:
    """The line on which `needle` first appears (at or after start_line), else start_line."""
    lines = text.splitlines()
    for number in range(start_line, len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return start_line


def feature_line(text: str, feature: dict[str, Any], index: int) -> int:
    props = feature.get("properties") if isinstance(feature, dict) else None
    fid = props.get("id") if isinstance(props, dict) else None
    if isinstance(fid, str) and fid:
        return line_of(text, json.dumps(fid, ensure_ascii=False))
    return line_of(text, '"Feature"') if index == 0 else 1


def positions(value: Any, report, field: str) -> list[Position] | None:
    """A list of [lon, lat] positions, checked for shape and range."""
    if not isinstance(value, list) or not value:
        report(field, "is not a list of positions", "[[lon, lat], ...]")
        return None
    out: list[Position] = []
    for i, pos in enumerate(value):
        if (not isinstance(pos, list) or len(pos) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in pos[:2])):
            report(f"{field}[{i}]", f"{json.dumps(pos)} is not a position", "[lon, lat] numbers")
            return None
        lon, lat = float(pos[0]), float(pos[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            report(f"{field}[{i}]", f"{json.dumps(pos)} is out of range", "lon -180..180, lat -90..90")
            return None
        out.append((lon, lat))
    return out


def polygon_rings(geometry: Any, report) -> list[list[Position]] | None:
    """The rings of a valid Polygon: closed, at least four positions, not self-intersecting."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        got = geometry.get("type") if isinstance(geometry, dict) else geometry
        report("geometry.type", f"{got!r} is not a Polygon", "Polygon")
        return None
    rings_raw = geometry.get("coordinates")
    if not isinstance(rings_raw, list) or not rings_raw:
        report("geometry.coordinates", "is not a list of rings", "[[[lon, lat], ...]]")
        return None
    rings: list[list[Position]] = []
    for r, ring_raw in enumerate(rings_raw):
        ring = positions(ring_raw, report, f"geometry.coordinates[{r}]")
        if ring is None:
            return None
        if len(ring) < 4 or ring[0] != ring[-1]:
            report(f"geometry.coordinates[{r}]", "ring is not closed",
                   "at least 4 positions, the last equal to the first")
            return None
        rings.append(ring)
    polygon = Polygon(rings[0], rings[1:])
    if not polygon.is_valid:
        report("geometry.coordinates", f"polygon is invalid: {explain_validity(polygon)}",
               "a simple ring that does not cross itself")
        return None
    return rings
