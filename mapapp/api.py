"""GeoJSON API: sites, routes, and the events the map shows for a day and mode.

Every answer is built once per (route, language, date, mode) and kept as bytes in the page cache,
compressed, with an ETag (304 to a client that has it); nginx may keep it a few seconds
(PROXY_CACHE_SECONDS), browsers revalidate.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, json, request

from .fields import parse_date
from .payload import event_feature, route_feature, site_feature
from .records import LANGS, Dataset
from .timeline import MODES, clamp, events_shown

bp = Blueprint("api", __name__, url_prefix="/api")


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str, expected: str):
        super().__init__(message)
        self.parameter, self.message, self.expected = parameter, message, expected


@bp.errorhandler(BadParameter)
def bad_parameter(exc: BadParameter) -> Response:
    return _json({"error": f"{exc.parameter}: {exc.message}", "parameter": exc.parameter,
                  "expected": exc.expected}, status=400, mimetype="application/json")


@bp.after_request
def public(response: Response) -> Response:
    """Public read-only data: any page may fetch it, including a sandboxed (opaque-origin) iframe."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _json(doc: dict[str, Any], status: int = 200, mimetype: str = "application/geo+json") -> Response:
    return Response(json.dumps(doc, ensure_ascii=False), status=status, mimetype=mimetype)


def cached(key: tuple[Hashable, ...], build: Callable[[], dict[str, Any]],
           mimetype: str = "application/geo+json") -> Response:
    """An answer from the page cache (built once per key: `build` runs on the first request)."""
    from .views import serve_cached
    return serve_cached(("api", key), lambda: json.dumps(build(), ensure_ascii=False), mimetype)


def choice_param(name: str, options: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in options:
        raise BadParameter(name, f"{value!r} is not allowed", f"one of {', '.join(options)}")
    return value


def _dataset() -> Dataset:
    return current_app.extensions["mapapp.dataset"]


@bp.get("/sites.geojson")
def sites() -> Response:
    lang = choice_param("lang", LANGS, "en")
    return cached(("sites", lang), lambda: {
        "type": "FeatureCollection", "features": [site_feature(s, lang) for s in _dataset().sites.values()]})


@bp.get("/routes.geojson")
def routes() -> Response:
    lang = choice_param("lang", LANGS, "en")
    return cached(("routes", lang), lambda: {
        "type": "FeatureCollection", "features": [route_feature(r, lang) for r in _dataset().routes.values()]})


@bp.get("/events.geojson")
def events() -> Response:
    data = _dataset()
    lang = choice_param("lang", LANGS, "en")
    mode = choice_param("mode", MODES, "day")
    raw = request.args.get("date")
    if raw is None:
        return cached(("events", lang), lambda: {
            "type": "FeatureCollection", "features": [event_feature(e, data, lang) for e in data.events]})
    day = day_param(raw)
    shown = clamp(day, data)
    meta = {"date": shown.isoformat(), "mode": mode, "clamped": shown != day}
    return cached(("events", lang, mode, shown, shown != day), lambda: {
        "type": "FeatureCollection", **meta,
        "features": [event_feature(e, data, lang) for e in events_shown(data, shown, mode)]})


def day_param(raw: str) -> date:
    problems: list[str] = []
    day = parse_date(raw, problems.append)
    if day is None:
        raise BadParameter("date", problems[0], "a date YYYY-MM-DD, e.g. 1956-10-23")
    return day
