"""The walking tour: `/walk` (a page for the walk itself), `/print/walk` (A4) and
`/api/walk.geojson` (the route as a LineString), all from the same parameters:

    lang=en|hu   lesson=ID (that lesson's sites; default every site)   start=SITE (default bme)
    radius=KM    only the places within KM of the start, as the crow flies (default 2 for the
                 whole map, which makes a walk of about 5 km; no limit for a lesson)

A bad parameter is a 400 naming it: JSON for the API, an HTML page otherwise. The order itself
comes from mapapp/walk.py; every distance is as the crow flies.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from geopy.distance import geodesic

from .api import BadParameter, bad_parameter, cached, choice_param
from .lessonviews import find_lesson
from .mapbuild import DEFAULT_CENTER, LEAFLET_DIR, tile_options
from .payload import date_range_label
from .printview import place_names
from .records import LANGS, Dataset, Lesson, Site
from .strings import ui
from .views import common, dataset, serve
from .walk import DEFAULT_START, WALKING_KMH, Walk, in_area, lesson_site_ids, plan_walk, walk_area, walk_sites

bp = Blueprint("walk", __name__)
bp.register_error_handler(BadParameter, bad_parameter)  # the API's JSON 400, naming the parameter

DEFAULT_RADIUS_KM = 2.0
MAX_RADIUS_KM = 50.0
LEG_COLOR = "#0b5cad"
RADIUS_CHOICES = (1.0, 1.5, 2.0, 3.0, 5.0, 10.0, MAX_RADIUS_KM)


@dataclass(frozen=True)
class WalkRequest:
    lang: str
    lesson: Lesson | None
    start: Site
    radius_km: float | None


@dataclass(frozen=True)
class PlannedWalk:
    request: WalkRequest
    walk: Walk
    farther: int  # sites of the walk's set beyond the radius
    outside: int  # sites of the lesson outside Budapest


def walk_request(data: Dataset) -> WalkRequest:
    """The walk's parameters, each checked; BadParameter names the first bad one."""
    lang = choice_param("lang", LANGS, "en")
    area = walk_area(data)
    lesson = None
    if "lesson" in request.args:
        raw = request.args["lesson"]
        lesson = find_lesson(raw)
        if lesson is None:
            known = ", ".join(x.id for x in data.lessons) or "none: this map has no lessons"
            raise BadParameter("lesson", f"{raw!r} is not a lesson of this map", f"one of {known}")
    inside = [s for s in data.sites.values() if in_area(s, area)]
    if not inside:
        raise BadParameter("start", "this map has no site in Budapest", "a map with places in Budapest")
    default = DEFAULT_START if DEFAULT_START in {s.id for s in inside} else inside[0].id
    raw_start = request.args.get("start", default)
    start = data.sites.get(raw_start)
    if start is None:
        raise BadParameter("start", f"unknown site {raw_start!r}", f"a site id from /api/sites.geojson, e.g. {default}")
    if not in_area(start, area):
        raise BadParameter("start", f"{raw_start!r} ({start.name.en}) lies outside Budapest",
                           f"a site in Budapest, e.g. {default}")
    radius = None if lesson else DEFAULT_RADIUS_KM
    if "radius" in request.args:
        radius = radius_param(request.args["radius"])
    return WalkRequest(lang=lang, lesson=lesson, start=start, radius_km=radius)


def radius_param(raw: str) -> float:
    expected = f"a distance in km from 0.1 to {MAX_RADIUS_KM:g}, e.g. {DEFAULT_RADIUS_KM:g}"
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter("radius", f"{raw!r} is not a number", expected) from None
    if not math.isfinite(value) or not 0.1 <= value <= MAX_RADIUS_KM:
        raise BadParameter("radius", f"{raw!r} is out of range", expected)
    return round(value, 1)


def plan_request(data: Dataset, req: WalkRequest) -> PlannedWalk:
    area = walk_area(data)
    sites = walk_sites(data, req.lesson, area)
    outside = len(lesson_site_ids(data, req.lesson)) - len(sites) if req.lesson else 0
    if req.lesson and not sites:
        raise BadParameter("lesson", f"{req.lesson.id!r} has no stop in Budapest", "a lesson with places in Budapest")
    near = sites
    if req.radius_km is not None:
        origin = (req.start.lat, req.start.lon)
        near = [s for s in sites if geodesic(origin, (s.lat, s.lon)).km <= req.radius_km]
    walk = plan_walk(near, req.start, area)
    if len(walk.site_ids) < 2:
        parameter = "radius" if req.radius_km is not None else "start"
        raise BadParameter(parameter, f"the walk from {req.start.id!r} has no second stop",
                           "a larger radius, or another start")
    farther = len([s for s in sites if s.id != req.start.id]) - (len(walk.site_ids) - 1)
    return PlannedWalk(req, walk, farther=farther, outside=outside)


def km_text(km: float, lang: str) -> str:
    text = f"{km:.1f}"
    return text.replace(".", ",") if lang == "hu" else text


def walk_stops(data: Dataset, planned: PlannedWalk) -> list[dict[str, Any]]:
    """Each stop: the site, its names then and now, the leg that leads there, and what happened
    there (the lesson's events at this place, or all of them)."""
    req, walk, lang = planned.request, planned.walk, planned.request.lang
    lesson_events = {s.event_id for s in req.lesson.stops} if req.lesson else set()
    lesson_numbers: dict[str, list[int]] = {}
    if req.lesson:
        for number, stop in enumerate(req.lesson.stops, start=1):
            event = next((e for e in data.events if e.id == stop.event_id), None)
            site_id = stop.site_id or (event.site_id if event else "")
            lesson_numbers.setdefault(site_id, []).append(number)
    stops, walked = [], 0.0
    for index, site_id in enumerate(walk.site_ids):
        site = data.sites[site_id]
        here = [e for e in data.events if e.site_id == site_id]
        shown = [e for e in here if e.id in lesson_events] if req.lesson else here
        leg = walk.legs_km[index - 1] if index else None
        walked += leg or 0.0
        stops.append({
            "number": index + 1, "id": site_id, "name": site.name.get(lang), "site": site,
            "names": place_names(site, lang), "leg": km_text(leg, lang) if leg is not None else None,
            "walked": km_text(walked, lang),
            "events": [{"when": date_range_label(e.date_start, e.date_end, lang), "title": e.title.get(lang)}
                       for e in shown],
            "more": len(here) - len(shown), "lesson_stops": lesson_numbers.get(site_id, []),
        })
    return stops


def map_data(stops: list[dict[str, Any]], data: Dataset) -> dict[str, Any]:
    """Numbered stops joined by straight legs, in the format the print map script draws."""
    config = current_app.config
    path = [[stop["site"].lat, stop["site"].lon] for stop in stops]
    return {"places": [{"lat": s["site"].lat, "lon": s["site"].lon, "labels": [s["number"]], "color": LEG_COLOR}
                       for s in stops],
            "faded": [], "routes": [{"latlngs": path, "color": LEG_COLOR, "dashed": False, "past": False,
                                     "labels": []}],
            "center": list(data.center or DEFAULT_CENTER), "zoom": data.zoom or 13,
            "tiles": tile_options(config["TILES_URL"], config["TILES_ATTRIBUTION"], config["TILES_MAX_ZOOM"])}


def query(req: WalkRequest, lang: str | None = None) -> dict[str, Any]:
    """The request's parameters as a link repeats them (defaults left out)."""
    args: dict[str, Any] = {"lang": lang or req.lang}
    if req.lesson:
        args["lesson"] = req.lesson.id
    if req.start.id != DEFAULT_START:
        args["start"] = req.start.id
    if req.radius_km is not None and not (req.lesson is None and req.radius_km == DEFAULT_RADIUS_KM):
        args["radius"] = f"{req.radius_km:g}"
    return args


def build_walk_page(req: WalkRequest, printed: bool) -> str:
    data = dataset()
    planned = plan_request(data, req)
    stops = walk_stops(data, planned)
    lang = req.lang
    t = ui(lang)
    ctx = common(lang)
    title = t["walkLessonTitle"].format(title=req.lesson.title.get(lang)) if req.lesson else t["walkTitle"]
    summary = t["walkSummary"].format(stops=len(stops), km=km_text(planned.walk.total_km, lang),
                                      minutes=planned.walk.minutes)
    area = walk_area(data)
    endpoint = "walk.printed" if printed else "walk.page"
    return render_template(
        "walk.html", printed=printed, title=title, summary=summary, stops=stops, planned=planned,
        radius=km_text(req.radius_km, lang).removesuffix(",0").removesuffix(".0") if req.radius_km else "",
        speed=km_text(WALKING_KMH, lang), map_data=map_data(stops, data), leaflet=LEAFLET_DIR,
        lessons=[(x.id, x.title.get(lang)) for x in data.lessons],
        start_sites=sorted(((s.id, s.name.get(lang)) for s in data.sites.values() if in_area(s, area)),
                           key=lambda pair: pair[1].lower()),
        radius_choices=[(f"{r:g}", km_text(r, lang).removesuffix(",0").removesuffix(".0")) for r in RADIUS_CHOICES],
        chosen={"lesson": req.lesson.id if req.lesson else "", "start": req.start.id,
                "radius": f"{req.radius_km:g}" if req.radius_km else ""},
        links={"map": url_for("pages.index", lang=lang),
               "other_lang": url_for(endpoint, **query(req, ctx["other_lang"])),
               "print": url_for("walk.printed", **query(req)), "screen": url_for("walk.page", **query(req)),
               "geojson": url_for("walk.geojson", **query(req)),
               "worksheet": url_for("lessons.worksheet", lesson_id=req.lesson.id, lang=lang) if req.lesson else None,
               "lesson_map": url_for("pages.index", lesson=req.lesson.id, stop=1, lang=lang) if req.lesson else None},
        **ctx)


def page_or_400(printed: bool) -> ResponseReturnValue:
    """The page from the cache; a walk that cannot be planned (raised while building, and then not
    cached) is the parameters' fault, so it is a 400 too."""
    try:
        req = walk_request(dataset())
        key = ("walk-print" if printed else "walk", req.lang, req.lesson.id if req.lesson else "",
               req.start.id, req.radius_km)
        return serve(key, lambda: build_walk_page(req, printed))
    except BadParameter as exc:
        abort(400, description=f"The walk's parameter {exc.parameter} is not understood: "
                               f"{exc.message} (expected {exc.expected}).")


@bp.get("/walk")
def page() -> ResponseReturnValue:
    return page_or_400(printed=False)


@bp.get("/print/walk")
def printed() -> ResponseReturnValue:
    return page_or_400(printed=True)


@bp.get("/api/walk.geojson")
def geojson() -> Response:
    data = dataset()
    req = walk_request(data)
    key = ("walk", req.lang, req.lesson.id if req.lesson else "", req.start.id, req.radius_km)
    response = cached(key, lambda: walk_feature(data, req))
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def walk_feature(data: Dataset, req: WalkRequest) -> dict[str, Any]:
    planned = plan_request(data, req)
    walk, lang = planned.walk, req.lang
    sites = [data.sites[i] for i in walk.site_ids]
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[s.lon, s.lat] for s in sites]},
        "properties": {
            "length_km": round(walk.total_km, 2), "sites": list(walk.site_ids),
            "names": [s.name.get(lang) for s in sites], "legs_km": [round(x, 2) for x in walk.legs_km],
            "walking_minutes": walk.minutes, "walking_kmh": WALKING_KMH, "distances": "as the crow flies",
            "start": req.start.id, "lesson": req.lesson.id if req.lesson else None, "radius_km": req.radius_km,
        },
    }
