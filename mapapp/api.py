"""GeoJSON API: sites, routes, and the events the map shows for a day and mode."""
from __future__ import annotations

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
    return _json({"type": "FeatureCollection",
                  "features": [site_feature(s, lang) for s in _dataset().sites.values()]})


@bp.get("/routes.geojson")
def routes() -> Response:
    lang = choice_param("lang", LANGS, "en")
    return _json({"type": "FeatureCollection",
                  "features": [route_feature(r, lang) for r in _dataset().routes.values()]})


@bp.get("/events.geojson")
def events() -> Response:
    data = _dataset()
    lang = choice_param("lang", LANGS, "en")
    mode = choice_param("mode", MODES, "day")
    raw = request.args.get("date")
    if raw is None:
        chosen = list(data.events)
        meta: dict[str, Any] = {}
    else:
        day = day_param(raw)
        shown = clamp(day, data)
        chosen = events_shown(data, shown, mode)
        meta = {"date": shown.isoformat(), "mode": mode, "clamped": shown != day}
    return _json({"type": "FeatureCollection", **meta,
                  "features": [event_feature(e, data, lang) for e in chosen]})


def day_param(raw: str) -> date:
    problems: list[str] = []
    day = parse_date(raw, problems.append)
    if day is None:
        raise BadParameter("date", problems[0], "a date YYYY-MM-DD, e.g. 1956-10-23")
    return day
