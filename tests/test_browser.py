"""What a person sees and clicks, in Debian's chromium driven by Playwright. Tiles are answered
locally; no request may leave 127.0.0.1. With CI=true a missing browser fails instead of skipping."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import LiveServer, PageWatch, is_tile_request
from playwright.sync_api import expect

from mapapp import create_app

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(create_app({"DATA_DIR": str(PROJECT / "tests" / "fixtures" / "mini")}))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shipped_server():
    server = LiveServer(create_app({"DATA_DIR": str(PROJECT / "geodata")}))
    yield server
    server.stop()


def api_ids(server: LiveServer, day: str, mode: str) -> list[str]:
    doc = server.api(f"/api/events.geojson?date={day}&mode={mode}")
    return [f["properties"]["id"] for f in doc["features"]]


@pytest.mark.parametrize("day", ["1956-10-22", "1956-10-23", "1956-10-24", "1956-11-04", "1956-11-21"])
@pytest.mark.parametrize("mode", ["day", "cumulative"])
def test_list_matches_api_on_each_day_and_mode(watch, live_server, day: str, mode: str) -> None:
    watch.open(f"{live_server.url}/?date={day}&mode={mode}")
    expected = api_ids(live_server, day, mode)
    assert expected, "the fixture has events on each tested day"
    assert sorted(watch.list_ids()) == sorted(expected)
    assert watch.page.locator(".event-marker").count() == sum(1 for _ in expected) - _route_events(expected)
    assert watch.errors == [] and watch.outside == [] and watch.dialogs == []


@pytest.mark.parametrize("day", ["1956-10-22", "1956-10-23", "1956-10-25", "1956-11-04", "1956-11-21"])
@pytest.mark.parametrize("mode", ["day", "cumulative"])
def test_shipped_map_list_and_markers_match_api(watch, shipped_server, day: str, mode: str) -> None:
    watch.open(f"{shipped_server.url}/?date={day}&mode={mode}")
    doc = shipped_server.api(f"/api/events.geojson?date={day}&mode={mode}")
    ids = [f["properties"]["id"] for f in doc["features"]]
    points = [f for f in doc["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]
    assert watch.list_ids() == ids, "same events, same order"
    assert watch.page.locator(".event-marker").count() == len(points)
    assert watch.errors == [] and watch.outside == [] and watch.dialogs == []


def _route_events(ids: list[str]) -> int:
    return sum(1 for i in ids if i == "e20")


def test_arrow_keys_step_one_day_and_update_url(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-22")
    page = watch.page
    assert page.text_content(".ds-date") == "22 October 1956"
    page.focus(".ds-range")
    page.keyboard.press("ArrowRight")
    assert page.text_content(".ds-date") == "23 October 1956"
    assert page.get_attribute(".ds-range", "aria-valuetext") == "23 October 1956"
    expect(page).to_have_url(re.compile(r"date=1956-10-23"))
    assert sorted(watch.list_ids()) == sorted(api_ids(live_server, "1956-10-23", "day"))
    page.keyboard.press("ArrowLeft")
    assert watch.list_ids() == ["e22"]
    page.keyboard.press("End")
    assert page.text_content(".ds-date") == "30 November 1956"
    page.keyboard.press("Home")
    assert page.text_content(".ds-date") == "22 October 1956"
    assert watch.errors == []


def test_copied_link_reopens_the_same_state(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-23")
    watch.page.click("label[for='day-controls-mode-cumulative']")
    watch.page.click(".ds-next")
    expect(watch.page).to_have_url(re.compile(r"date=1956-10-24.*mode=cumulative|mode=cumulative.*date=1956-10-24"))
    url = watch.page.url
    other = PageWatch(watch.context.browser)
    try:
        other.open(url)
        assert other.page.text_content(".ds-date") == "24 October 1956"
        assert other.page.is_checked("#day-controls-mode-cumulative")
        assert sorted(other.list_ids()) == sorted(api_ids(live_server, "1956-10-24", "cumulative"))
    finally:
        other.close()


def test_cumulative_mode_fades_earlier_days(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-25&mode=cumulative")
    past = watch.page.eval_on_selector_all("#event-list li.is-past", "els => els.map(e => e.dataset.eventId)")
    assert "e22" in past and "e25" not in past


def test_clicking_item_opens_details_and_marker_selects_item(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-25")
    page = watch.page
    page.click("#event-list li[data-event-id='e25'] button")
    details = page.locator("#event-details")
    assert details.is_visible()
    assert details.locator("h2").text_content() == "Kossuth tér volley"
    assert "25 October 1956, 11:00" in details.text_content()
    assert "Parliament" in details.text_content()
    links = details.locator(".details-sources a")
    assert links.count() == 2 and links.first.get_attribute("href").startswith("https://")
    rows = details.locator("table.claims tbody tr")
    assert rows.count() == 2 and "up to 800" in rows.nth(1).text_content()
    page.click("#event-details .details-close")
    assert not details.is_visible()
    page.locator(".event-marker").first.click(force=True)
    assert page.locator("#event-list li.is-selected").count() == 1
    assert details.is_visible()


def test_malformed_and_outside_dates_are_reported_on_the_page(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-13-45&mode=week")
    status = watch.page.locator("#status")
    assert status.is_visible()
    assert "1956-13-45" in status.text_content() and "week" in status.text_content()
    assert watch.page.text_content(".ds-date") == "22 October 1956"
    watch.open(f"{live_server.url}/?date=1957-03-15")
    assert "30 November 1956" in watch.page.text_content("#status")
    assert watch.page.text_content(".ds-date") == "30 November 1956"


def test_map_stays_usable_when_tiles_fail(browser, live_server) -> None:
    w = PageWatch(browser)
    try:
        w.page.unroute("**/*")
        w.page.route(lambda url: is_tile_request(url), lambda route: route.abort())
        w.page.on("console", lambda m: None)
        w.open(f"{live_server.url}/?date=1956-10-23")
        assert len(w.list_ids()) == 4 and w.page.locator(".event-marker").count() == 4
        w.page.click(".ds-next")
        assert w.list_ids() == ["e23c"]
    finally:
        w.close()


def test_play_button_steps_days(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-22")
    watch.page.click(".ds-play")
    assert watch.page.get_attribute(".ds-play", "aria-pressed") == "true"
    expect(watch.page.locator(".ds-date")).not_to_have_text("22 October 1956", timeout=5000)
    watch.page.click(".ds-play")
    assert watch.page.get_attribute(".ds-play", "aria-pressed") == "false"


def test_category_switch_hides_markers_and_items(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-23")
    watch.page.uncheck("#legend-demonstration")
    assert watch.list_ids() == ["e23c"]
    watch.page.check("#legend-demonstration")
    assert len(watch.list_ids()) == 4


def test_embed_parameters_layers_controls_view_and_no_tiles(watch, live_server) -> None:
    tiles: list[str] = []
    watch.page.on("request", lambda r: is_tile_request(r.url) and tiles.append(r.url))
    watch.open(f"{live_server.url}/embed?date=1956-10-23&layers=fighting&controls=slider,list"
               "&center=47.5,19.05&zoom=15&tiles=none")
    page = watch.page
    assert watch.list_ids() == ["e23c"]
    assert page.is_visible(".ds-range") and page.is_visible("#event-list")
    assert not page.is_visible(".ds-legend")
    assert page.evaluate("() => document.querySelector('.leaflet-control-zoom') !== null")
    assert page.evaluate("() => Budapest1956.current.map.getZoom()") == 15
    assert tiles == [], "tiles=none makes no tile request"
    assert page.locator("#status").is_hidden()


def test_bad_embed_parameters_are_explained(watch, live_server) -> None:
    watch.open(f"{live_server.url}/embed?layers=cats&controls=all&center=north&zoom=40&tiles=sat&lang=fr")
    status = watch.page.text_content("#status")
    for name in ("layers=", "controls=", "center=", "zoom=", "tiles=", "lang="):
        assert name in status, name
    assert len(watch.list_ids()) == 1, "bad values are ignored, the map still works"
