"""After every step, in both modes and with both renderers, the event list and the markers are
exactly the API's events for that day: the list is the map's text alternative, and a step only
touches what changes, so every path through the steps is walked (forward, back, jumps, a mode
change, a category switched off and on). Also the public methods a lesson panel calls."""
from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_support import LiveServer
from playwright.sync_api import expect

from mapapp import create_app

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures"
FIRST, LAST = date(1956, 10, 22), date(1956, 11, 30)
DAYS = [(FIRST + timedelta(days=k)).isoformat() for k in range((LAST - FIRST).days + 1)]
CANVAS_EVENTS = 2100     # above static/js/dayslider's CANVAS_FROM (2,000): markers on a canvas

# What the page shows: list ids in order, the ids of items faded as earlier days, and the markers
# (Leaflet layers of events, so SVG and canvas count alike) with the ids of those drawn as past.
# A marker whose event is not shown stays on the map, hidden: not drawn (canvas), its path out of
# the DOM (SVG), not hit, and without an event (`wrong` lists any marker that breaks this).
SHOWN = """() => {
  const s = Budapest1956.current, markers = [], pastMarkers = [], wrong = [];
  s.map.eachLayer((m) => {
    if (!(m instanceof L.CircleMarker)) return;
    const svgShown = m._path ? m._path.isConnected : !m._hidden;
    if ((m.eventIndex === undefined) !== Boolean(m._hidden) || svgShown === Boolean(m._hidden)) wrong.push(m.eventIndex);
    if (m.eventIndex === undefined) return;
    const id = s.events[m.eventIndex].id;
    markers.push(id);
    const path = m.getElement && m.getElement();
    if (path ? path.classList.contains('is-past') : m.options.radius === 5) pastMarkers.push(id);
  });
  const items = [...document.querySelectorAll('#event-list li')];
  return {
    list: items.map((li) => li.dataset.eventId),
    pastItems: items.filter((li) => li.classList.contains('is-past')).map((li) => li.dataset.eventId),
    markers: markers.sort(), pastMarkers: pastMarkers.sort(), wrong,
    date: document.querySelector('.ds-date').textContent,
  };
}"""


class Expected:
    """The API's answer for every day and mode, fetched once."""

    def __init__(self, server: LiveServer, layers: str = ""):
        self.answers: dict[tuple[str, str], list[dict]] = {}
        for day in DAYS:
            for mode in ("day", "cumulative"):
                doc = server.api(f"/api/events.geojson?date={day}&mode={mode}")
                self.answers[day, mode] = doc["features"]

    def check(self, shown: dict, day: str, mode: str, off: set[str] = frozenset()) -> None:
        features = [f for f in self.answers[day, mode] if f["properties"]["category"] not in off]
        ids = [f["properties"]["id"] for f in features]
        points = sorted(f["properties"]["id"] for f in features
                        if f["geometry"] and f["geometry"]["type"] == "Point")
        past = [f["properties"]["id"] for f in features
                if mode == "cumulative" and (f["properties"]["date_end"] or f["properties"]["date_start"]) < day]
        where = f"{day} {mode}"
        assert shown["list"] == ids, where
        assert shown["markers"] == points, where
        assert sorted(shown["pastItems"]) == sorted(past), where
        assert shown["pastMarkers"] == sorted(p for p in past if p in points), where
        assert shown["wrong"] == [], f"{where}: markers hidden but with an event, or shown without one"


def walk(page, expected: Expected, mode: str) -> None:
    """Every day forward with the arrow key, every day back, then End and Home."""
    page.focus(".ds-range")
    expected.check(page.evaluate(SHOWN), DAYS[0], mode)
    for day in DAYS[1:]:
        page.keyboard.press("ArrowRight")
        expected.check(page.evaluate(SHOWN), day, mode)
    for day in reversed(DAYS[:-1]):
        page.keyboard.press("ArrowLeft")
        expected.check(page.evaluate(SHOWN), day, mode)
    page.keyboard.press("End")
    expected.check(page.evaluate(SHOWN), DAYS[-1], mode)
    page.keyboard.press("Home")
    expected.check(page.evaluate(SHOWN), DAYS[0], mode)


@pytest.fixture(scope="module")
def mini_server():
    server = LiveServer(create_app({"DATA_DIR": str(FIXTURES / "mini")}))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def canvas_server(tmp_path_factory):
    """The mini fixture's sites and sources with CANVAS_EVENTS events spread over its days."""
    folder = tmp_path_factory.mktemp("canvas")
    shutil.copytree(FIXTURES / "mini", folder, dirs_exist_ok=True)
    claims = folder / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    sites = ["bme", "bem_statue", "parliament", "stalin_statue", "radio_building"]
    categories = ["demonstration", "fighting", "politics", "soviet", "workers"]
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date_start", "date_end", "time", "site_id", "route_id", "category",
                         "title_en", "title_hu", "summary_en", "summary_hu", "sources"])
        for k in range(CANVAS_EVENTS):
            start = (k * 7) % len(DAYS)
            end = min(len(DAYS) - 1, start + k % 3)
            writer.writerow([f"c{k:04d}", DAYS[start], DAYS[end] if end != start else "", "",
                             sites[k % len(sites)], "", categories[k % len(categories)],
                             f"Event {k}", f"Esemény {k}", "A generated event.", "Egy generált esemény.", "s1;s2"])
    server = LiveServer(create_app({"DATA_DIR": str(folder)}))
    yield server
    server.stop()


@pytest.mark.parametrize("mode", ["day", "cumulative"])
def test_every_step_shows_exactly_the_days_events_svg(watch, mini_server, mode: str) -> None:
    watch.open(f"{mini_server.url}/?date={DAYS[0]}&mode={mode}&tiles=none")
    assert watch.page.evaluate("() => Budapest1956.current.renderer instanceof L.SVG")
    walk(watch.page, Expected(mini_server), mode)
    assert watch.errors == []


@pytest.mark.parametrize("mode", ["day", "cumulative"])
def test_every_step_shows_exactly_the_days_events_canvas(watch, canvas_server, mode: str) -> None:
    watch.open(f"{canvas_server.url}/?date={DAYS[0]}&mode={mode}&tiles=none")
    assert watch.page.evaluate("() => Budapest1956.current.renderer instanceof L.Canvas")
    walk(watch.page, Expected(canvas_server), mode)
    assert watch.errors == []


def test_mode_switch_categories_and_jumps_keep_list_and_markers_exact(watch, canvas_server) -> None:
    expected = Expected(canvas_server)
    page = watch.page
    watch.open(f"{canvas_server.url}/?date=1956-10-30&mode=day&tiles=none")
    expected.check(page.evaluate(SHOWN), "1956-10-30", "day")
    page.click("label[for='day-controls-mode-cumulative']")
    expected.check(page.evaluate(SHOWN), "1956-10-30", "cumulative")
    page.uncheck("#legend-fighting")
    expected.check(page.evaluate(SHOWN), "1956-10-30", "cumulative", {"fighting"})
    page.evaluate("() => Budapest1956.current.show(3, 'cumulative', { follow: true })")
    expected.check(page.evaluate(SHOWN), DAYS[3], "cumulative", {"fighting"})
    page.click("label[for='day-controls-mode-day']")
    expected.check(page.evaluate(SHOWN), DAYS[3], "day", {"fighting"})
    page.evaluate("() => Budapest1956.current.show(25, 'day', { follow: true })")
    expected.check(page.evaluate(SHOWN), DAYS[25], "day", {"fighting"})
    page.check("#legend-fighting")
    expected.check(page.evaluate(SHOWN), DAYS[25], "day")
    assert watch.errors == []


# every shown marker is where the map puts its place now (hidden markers skip a zoom's projection
# and catch up when they are shown)
POSITIONS = """() => {
  const s = Budapest1956.current, off = [];
  s.map.eachLayer((m) => {
    if (m.eventIndex === undefined) return;
    const want = s.map.latLngToLayerPoint(m.getLatLng());
    if (Math.abs(m._point.x - want.x) > 0.5 || Math.abs(m._point.y - want.y) > 0.5) off.push(s.events[m.eventIndex].id);
  });
  return off;
}"""


@pytest.mark.parametrize("server_name", ["mini_server", "canvas_server"])
def test_markers_hidden_during_a_zoom_are_in_place_when_shown(watch, request, server_name: str) -> None:
    server = request.getfixturevalue(server_name)
    expected = Expected(server)
    page = watch.page
    watch.open(f"{server.url}/?date={DAYS[0]}&mode=day&tiles=none")
    page.wait_for_timeout(600)  # the idle time that makes every marker, hidden
    page.evaluate("() => { Budapest1956.current.map.setView([47.5, 19.06], 11, { animate: false }); }")
    for day in (3, 4, 12):
        page.evaluate(f"() => {{ Budapest1956.current.show({day}, 'day'); }}")
        expected.check(page.evaluate(SHOWN), DAYS[day], "day")
        assert page.evaluate(POSITIONS) == [], DAYS[day]
    page.evaluate("() => { Budapest1956.current.map.setView([47.49, 19.05], 14, { animate: false }); }")
    page.evaluate("() => { Budapest1956.current.show(3, 'cumulative'); }")
    expected.check(page.evaluate(SHOWN), DAYS[3], "cumulative")
    assert page.evaluate(POSITIONS) == []
    assert watch.errors == []


def test_a_selected_event_keeps_its_look_across_steps(watch, canvas_server) -> None:
    """The selection look survives steps, and leaving the selection restores the shared look."""
    page = watch.page
    watch.open(f"{canvas_server.url}/?date=1956-10-22&mode=cumulative&tiles=none")
    page.click("#event-list li[data-event-id='c0000'] button")
    radius = "(id) => { const s = Budapest1956.current; return s.markerOf[s.events.findIndex((e) => e.id === id)].options.radius; }"
    assert page.evaluate(radius, "c0000") == 11
    page.focus(".ds-range")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(radius, "c0000") == 11, "still selected, now of an earlier day"
    assert page.locator("#event-list li.is-selected").count() == 1
    page.click("#event-details .details-close")
    assert page.evaluate(radius, "c0000") == 5, "an earlier day's look again"
    assert watch.errors == []


# ---- the public methods a lesson panel calls (static/js/lessons) ----

def test_go_to_date_open_event_and_fly_to(watch, mini_server) -> None:
    page = watch.page
    watch.open(f"{mini_server.url}/?date=1956-10-22&mode=cumulative&tiles=none")
    assert page.evaluate("() => Budapest1956.current.goToDate('1956-10-25')") is True
    expect(page.locator(".ds-date")).to_have_text("25 October 1956")
    assert page.is_checked("#day-controls-mode-cumulative"), "the mode is kept"
    assert page.evaluate("() => Budapest1956.current.goToDate('1957-01-01')") is False
    expect(page.locator(".ds-date")).to_have_text("25 October 1956")

    page.focus(".ds-range")
    assert page.evaluate("() => Budapest1956.current.openEvent('e23c')") is True
    expect(page.locator("#event-details h2")).to_have_text("Siege of the Radio")
    assert page.locator("#event-list li.is-selected").get_attribute("data-event-id") == "e23c"
    assert page.evaluate("() => document.activeElement.classList.contains('ds-range')"), "focus stays"
    assert page.evaluate("() => Budapest1956.current.openEvent('no-such-event')") is False

    page.evaluate("() => Budapest1956.current.flyTo({ center: [48.2082, 16.3738], zoom: 9 })")
    page.wait_for_function("""() => { const map = Budapest1956.current.map;
        return map.getZoom() === 9 && map.getCenter().distanceTo([48.2082, 16.3738]) < 1000; }""")
    page.evaluate("() => Budapest1956.current.flyTo({ bounds: [[47.49, 19.03], [47.52, 19.08]] })")
    page.wait_for_function("() => Budapest1956.current.map.getBounds().contains([47.5147, 19.038])")
    page.evaluate("() => Budapest1956.current.closeDetails()")
    expect(page.locator("#event-details")).to_be_hidden()
    assert page.locator("#event-list li.is-selected").count() == 0
    assert watch.errors == []


def test_fly_to_jumps_under_reduced_motion(watch, mini_server) -> None:
    page = watch.page
    page.emulate_media(reduced_motion="reduce")
    watch.open(f"{mini_server.url}/?date=1956-10-22&tiles=none")
    page.evaluate("() => { window.__anim = 0; Budapest1956.current.map.on('zoomanim', () => { window.__anim += 1; }); }")
    page.evaluate("() => Budapest1956.current.flyTo({ center: [48.2082, 16.3738], zoom: 9 })")
    assert page.evaluate("() => Budapest1956.current.map.getCenter().distanceTo([48.2082, 16.3738])") < 1
    assert page.evaluate("() => window.__anim") == 0


# ---- markers go straight onto the map; the marker group still gives each its tooltip and click ----

MARKER_POINT = """() => {
  const s = Budapest1956.current;
  let found = null;
  s.map.eachLayer((m) => { if (!found && m.eventIndex !== undefined) found = m; });
  const p = s.map.latLngToContainerPoint(found.getLatLng());
  const box = s.map.getContainer().getBoundingClientRect();
  return { x: box.left + p.x, y: box.top + p.y, title: s.events[found.eventIndex].title,
           id: s.events[found.eventIndex].id };
}"""


@pytest.mark.parametrize("server_name", ["mini_server", "canvas_server"])
def test_marker_tooltip_and_click(watch, request, server_name: str) -> None:
    server = request.getfixturevalue(server_name)
    page = watch.page
    watch.open(f"{server.url}/?date=1956-10-23&tiles=none")
    page.evaluate("() => { Budapest1956.current.map.setView([47.5, 19.06], 12, { animate: false }); }")
    point = page.evaluate(MARKER_POINT)
    page.mouse.move(point["x"], point["y"])
    expect(page.locator(".leaflet-tooltip")).to_be_visible()
    titles = page.evaluate("""(p) => { const s = Budapest1956.current, out = [];
        s.map.eachLayer((m) => { if (m.eventIndex !== undefined && s.map.latLngToContainerPoint(m.getLatLng())
            .distanceTo(s.map.mouseEventToContainerPoint({ clientX: p.x, clientY: p.y })) < 9) out.push(s.events[m.eventIndex].title); });
        return out; }""", point)
    assert page.text_content(".leaflet-tooltip") in titles, "the tooltip names an event under the mouse"
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#event-details")).to_be_visible()
    selected = page.locator("#event-list li.is-selected")
    expect(selected).to_have_count(1)
    assert page.text_content("#event-details h2") == page.text_content("#event-list li.is-selected .event-title")
    assert watch.errors == []
