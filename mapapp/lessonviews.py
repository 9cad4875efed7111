"""Lessons on the map, in the API and on paper.

- The map page gets the lessons of its language in the language's data file (`page_data`, in
  pagedata.py's `Budapest1956.pageData.lessons`); static/js/lessons.js builds the Lessons control
  and the lesson panel from it and steps the day slider through the stops. The static export
  writes the same file (a plain script), so lessons work from file:// with no fetch.
- `/api/lessons.json?lang=en|hu`: every lesson with its stops (event_id, question, notes).
- `/print/lesson/<id>?lang=en|hu`: the A4 worksheet: title, introduction, a numbered map, each stop
  with its date, place, summary, contested figures and the question with room to write; then,
  after a page break, the teacher's page with the notes; a QR code opens the lesson online.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from shapely.geometry import LineString

from .api import BadParameter, bad_parameter, cached, choice_param
from .mapbuild import DEFAULT_CENTER, LEAFLET_DIR, tile_options
from .payload import date_range_label
from .printview import event_entry, place_names, qr_svg
from .records import LANGS, Dataset, Event, Lesson, LessonStop, Site
from .strings import CATEGORY_COLORS, ui
from .timeline import format_day
from .views import common, dataset, public_base, serve
from .walk import in_area, walk_area, walk_sites

bp = Blueprint("lessons", __name__)
bp.register_error_handler(BadParameter, bad_parameter)  # the API's JSON 400, naming the parameter

DEFAULT_ZOOM = 16
SITE_COLOR = "#0b5cad"  # a stop on a site (no event): the page's accent colour
# interface keys the lesson script needs (strings.py MESSAGES)
PAGE_STRINGS = ("lessons", "lessonsHelp", "lessonStops", "lessonStopOf", "question",
                "previous", "next", "leaveLesson", "lessonAbout", "worksheet", "walkLesson", "lessonLeft",
                "lessonNoPlace", "badParam", "lessonStopClamped")


def lesson_url(base: str, lesson_id: str, stop: int, lang: str) -> str:
    """The online map opened at a lesson's stop: what the worksheet's QR code opens."""
    query = urlencode({"lesson": lesson_id, "stop": stop, "lang": lang})
    return f"{base}{'&' if '?' in base else '?'}{query}"


def ages_label(lesson: Lesson, lang: str) -> str:
    low, high = lesson.ages
    return ui(lang)["lessonAges"].format(low=low, high=high)


class StopView:
    """What the map, the API and the worksheet say about one stop, in one language."""

    def __init__(self, data: Dataset, stop: LessonStop, number: int, lang: str):
        self.stop, self.number, self.lang = stop, number, lang
        self.event: Event | None = next((e for e in data.events if e.id == stop.event_id), None)
        site_id = stop.site_id or (self.event.site_id if self.event else "")
        self.site: Site | None = data.sites.get(site_id)
        self.route = data.routes.get(self.event.route_id) if self.event else None

    @property
    def title(self) -> str:
        if self.event:
            return self.event.title.get(self.lang)
        return self.site.name.get(self.lang) if self.site else ""

    @property
    def when(self) -> str:
        if self.event:
            return date_range_label(self.event.date_start, self.event.date_end, self.lang)
        return format_day(self.stop.day, self.lang) if self.stop.day else ""

    @property
    def place(self) -> str:
        if self.site:
            return self.site.name.get(self.lang)
        return self.route.name.get(self.lang) if self.route else ""

    def view(self) -> dict[str, Any] | None:
        """Where the map flies: the site (at the stop's zoom), or the whole route."""
        if self.site:
            return {"center": [self.site.lat, self.site.lon], "zoom": self.stop.zoom or DEFAULT_ZOOM}
        if self.route:
            lats = [lat for _, lat in self.route.coords]
            lons = [lon for lon, _ in self.route.coords]
            return {"bounds": [[min(lats), min(lons)], [max(lats), max(lons)]]}
        return None

    def page(self) -> dict[str, Any]:
        return {
            "event": self.stop.event_id or None, "site": self.site.id if self.site else None,
            "date": self.stop.day.isoformat() if self.stop.day else None,
            "title": self.title, "when": self.when, "place": self.place if self.event else "",  # a site is the title
            "names": place_names(self.site, self.lang) if self.site and not self.event else "",
            "question": self.stop.question.get(self.lang), "view": self.view(),
        }


def stop_views(data: Dataset, lesson: Lesson, lang: str) -> list[StopView]:
    return [StopView(data, stop, n, lang) for n, stop in enumerate(lesson.stops, start=1)]


def walkable(data: Dataset, lesson: Lesson) -> bool:
    """Whether /walk?lesson=ID has a walk: some of the lesson's places are in Budapest."""
    return bool(walk_sites(data, lesson, walk_area(data)))


def page_data(data: Dataset, lang: str, server: bool) -> dict[str, Any]:
    """The map page's lesson data: lessons and the texts the script shows. `server`: links to the
    worksheet and the walk exist (not in the static export)."""
    t = ui(lang)
    return {
        "strings": {key: t[key] for key in PAGE_STRINGS},
        "lessons": [{
            "id": lesson.id, "title": lesson.title.get(lang), "intro": lesson.intro.get(lang),
            "ages": ages_label(lesson, lang),
            "worksheet": url_for("lessons.worksheet", lesson_id=lesson.id, lang=lang) if server else None,
            "walk": url_for("walk.page", lesson=lesson.id, lang=lang) if server and walkable(data, lesson) else None,
            "stops": [view.page() for view in stop_views(data, lesson, lang)],
        } for lesson in data.lessons],
    }


@bp.get("/api/lessons.json")
def api_lessons() -> Response:
    lang = choice_param("lang", LANGS, "en")
    response = cached(("lessons", lang), lambda: {"lessons": api_lessons_doc(lang)}, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # public read-only data, as the GeoJSON API
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def api_lessons_doc(lang: str) -> list[dict[str, Any]]:
    data = dataset()
    lessons = []
    for lesson in data.lessons:
        lessons.append({
            "id": lesson.id, "title": lesson.title.get(lang), "intro": lesson.intro.get(lang),
            "age": list(lesson.ages),
            "stops": [{
                "number": view.number, "event_id": view.stop.event_id or None,
                "site_id": view.site.id if view.site else None,
                "date": view.stop.day.isoformat() if view.stop.day else None,
                "title": view.title, "question": view.stop.question.get(lang),
                "notes": view.stop.notes.get(lang) or None, "zoom": view.stop.zoom,
            } for view in stop_views(data, lesson, lang)],
        })
    return lessons


# ---- the worksheet ------------------------------------------------------------------------------

def worksheet_stop(view: StopView, data: Dataset, lang: str) -> dict[str, Any]:
    """A stop on paper: the event as the day's handout prints it, or the site with its names."""
    if view.event:
        entry = event_entry(view.number, view.event, data, lang)
        for src in entry["sources"]:  # the claims table shares these entries
            record = data.sources[src["id"]]
            if not record.author and not record.publisher:  # "2026" alone says nothing on paper
                src["by"] = ", ".join(x for x in (record.title, src["by"]) if x)
    else:
        entry = {"number": view.number, "title": view.title, "summary": "", "time": "", "claims": [],
                 "sources": [], "category": None, "when": view.when, "place": view.place,
                 "names": place_names(view.site, lang), "site": view.site, "route_id": ""}
    route_note = ""
    if view.route:
        route_note = ui(lang)["wsRouteLength"].format(name=view.route.name.get(lang),
                                                     km=f"{view.route.length_km:.0f}")
    precision = ""
    if view.site and view.site.precision_note:  # some questions ask why a place is only approximate
        t = ui(lang)
        label = t["precisionArea"] if view.site.precision == "area" else t["precisionApproximate"]
        precision = f"{label} {view.site.precision_note}"
    return {**entry, "question": view.stop.question.get(lang), "notes": view.stop.notes.get(lang),
            "route_note": route_note, "precision": precision}


def worksheet_map(stops: list[dict[str, Any]], data: Dataset) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The numbered map in the format static/js/print.js draws (as the day's handout), and the
    stops left off it. When some stops lie in Budapest and others far away, the map shows Budapest,
    where a single page could not tell the city's stops apart otherwise; the caption names the rest."""
    area = walk_area(data)
    marks: list[tuple[dict[str, Any], str, bool]] = []  # (stop, site or route id, in Budapest)
    for item in stops:
        site: Site | None = item["site"]
        if site:
            marks.append((item, site.id, in_area(site, area)))
        elif item["route_id"] in data.routes:
            route = data.routes[item["route_id"]]
            inside = area is None or area.covers(LineString(route.coords))
            marks.append((item, route.id, inside))
    city_only = sum(1 for _, _, inside in marks if inside) >= 2 and not all(inside for _, _, inside in marks)
    places: dict[str, dict[str, Any]] = {}
    routes: dict[str, dict[str, Any]] = {}
    left_off: list[dict[str, Any]] = []
    for item, ident, inside in marks:
        if city_only and not inside:
            left_off.append(item)
            continue
        color = CATEGORY_COLORS.get(item["category"] or "", SITE_COLOR)
        if item["site"]:
            site = item["site"]
            places.setdefault(ident, {"lat": site.lat, "lon": site.lon, "labels": [], "color": color})
            places[ident]["labels"].append(item["number"])
        else:
            route = data.routes[ident]
            routes.setdefault(ident, {
                "latlngs": [[round(lat, 6), round(lon, 6)] for lon, lat in route.coords],
                "color": color, "dashed": route.category == "soviet", "past": False, "labels": []})
            routes[ident]["labels"].append(item["number"])
    config = current_app.config
    return {"places": list(places.values()), "faded": [], "routes": list(routes.values()),
            "center": list(data.center or DEFAULT_CENTER), "zoom": data.zoom or 13,
            "tiles": tile_options(config["TILES_URL"], config["TILES_ATTRIBUTION"], config["TILES_MAX_ZOOM"]),
            }, left_off


def build_worksheet(lesson: Lesson, lang: str, online_base: str) -> str:
    data = dataset()
    stops = [worksheet_stop(view, data, lang) for view in stop_views(data, lesson, lang)]
    online = lesson_url(online_base, lesson.id, 1, lang)
    ctx = common(lang)
    map_data, left_off = worksheet_map(stops, data)
    off_map = "; ".join(f"{item['number']} ({item['place']})" for item in left_off)
    return render_template(
        "worksheet.html", lesson=lesson, title=lesson.title.get(lang), intro=lesson.intro.get(lang),
        ages=ages_label(lesson, lang), stops=stops, map_data=map_data,
        off_map=ui(lang)["wsOffMap"].format(stops=off_map) if off_map else "",
        online_url=online, qr=qr_svg(online), leaflet=LEAFLET_DIR,
        links={"map": url_for("pages.index", lesson=lesson.id, stop=1, lang=lang),
               "other_lang": url_for("lessons.worksheet", lesson_id=lesson.id, lang=ctx["other_lang"]),
               "walk": url_for("walk.page", lesson=lesson.id, lang=lang) if walkable(data, lesson) else None},
        **ctx)


def find_lesson(lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in dataset().lessons if lesson.id == lesson_id), None)


@bp.get("/print/lesson/<lesson_id>")
def worksheet(lesson_id: str) -> ResponseReturnValue:
    try:
        lang = choice_param("lang", LANGS, "en")
    except BadParameter as exc:
        abort(400, description=f"The worksheet's parameter {exc.parameter} is not understood: "
                               f"{exc.message} (expected {exc.expected}).")
    lesson = find_lesson(lesson_id)
    if lesson is None:
        known = ", ".join(lesson.id for lesson in dataset().lessons) or "none in this dataset"
        abort(404, description=f"There is no lesson {lesson_id!r} (lessons: {known}).")
    online_base = public_base()
    return serve(("worksheet", lesson.id, lang, online_base), lambda: build_worksheet(lesson, lang, online_base))
