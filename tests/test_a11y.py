"""Everyone can use it: axe-core finds no serious or critical problem on any page, the keyboard
alone reaches every control and shows where it is, the slider speaks the date, the event list
stands in for the map, the page works on a phone and on a projector, and play respects
prefers-reduced-motion.

axe-core is vendored from npm by scripts/vendor.sh axe-core (tests only, never served). Our pages
forbid inline and eval'd script (CSP), so axe goes in through page.evaluate, which CSP does not
block."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import LiveServer, PageWatch
from playwright.sync_api import expect

from mapapp import create_app

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).parent.parent
AXE_VERSION = "4.14.1"  # the default of scripts/vendor.sh axe-core
AXE_JS = PROJECT / "tests" / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
BLOCKING = ("serious", "critical")
# The share preview iframe is the embed page, checked on its own; with iframes on, axe would wait
# for an answer from inside the frame.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'], iframes: false});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


@pytest.fixture(scope="module")
def live_server():
    server = LiveServer(create_app({"DATA_DIR": str(PROJECT / "tests" / "fixtures" / "mini")}))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(PROJECT)} is missing: run scripts/vendor.sh axe-core {AXE_VERSION}")
    return AXE_JS.read_text(encoding="utf-8")


def assert_no_serious_violations(page, axe_source: str, where: str) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    found = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
    lines = []
    for v in found:
        lines.append(f"{v['impact']} {v['id']}: {v['help']}")
        lines += [f"    {n['target']}\n      {n['summary']}".replace("\n", "\n      ") for n in v["nodes"][:8]]
    assert not found, f"axe-core on {where}:\n" + "\n".join(lines)


def goto(page, url: str) -> None:
    """Open a page that has no day slider (sources, print, error) and wait until it is drawn."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.locator("#print-map").count():
        page.wait_for_selector("html[data-map-ready='true']")


# ---- axe-core on every page ----

@pytest.mark.parametrize("path", [
    "/?date=1956-10-23",
    "/?date=1956-10-23&lang=hu",
    "/?date=1956-11-04&mode=cumulative",  # earlier days faded: their text must stay readable
    "/embed?date=1956-10-23",
    "/embed?date=1956-11-04&mode=cumulative&lang=hu",
])
def test_axe_map_and_embed(watch, live_server, axe_source, path: str) -> None:
    watch.open(live_server.url + path)
    watch.page.wait_for_selector("#event-list li")
    assert_no_serious_violations(watch.page, axe_source, path)


@pytest.mark.parametrize("path", [
    "/sources",
    "/sources?lang=hu",
    "/print?date=1956-10-25",
    "/print?date=1956-11-04&mode=cumulative&lang=hu",
    "/no-such-page",
])
def test_axe_sources_print_and_error_pages(watch, live_server, axe_source, path: str) -> None:
    goto(watch.page, live_server.url + path)
    assert_no_serious_violations(watch.page, axe_source, path)


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_axe_with_event_details_open(watch, live_server, axe_source, lang: str) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-25&lang={lang}")
    watch.page.click("#event-list li[data-event-id='e25'] button")
    expect(watch.page.locator("#event-details table.claims")).to_have_count(1)
    assert_no_serious_violations(watch.page, axe_source, f"the details of e25 ({lang})")


def test_axe_share_dialog_and_its_keyboard_use(watch, live_server, axe_source) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-25")
    page = watch.page
    opener = page.locator("#share-open")
    if opener.count() == 0:
        pytest.skip("the Share dialog is not on the map page yet (no button #share-open)")
    expect(opener).to_be_visible()
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#share-dialog")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => document.getElementById('share-dialog').contains(document.activeElement)"), \
        "opening the dialog moves the focus into it"
    assert_no_serious_violations(page, axe_source, "the Share dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("() => document.activeElement.id") == "share-open", "closing gives the focus back"


# ---- keyboard ----

FOCUSED = """(kinds) => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const item = e.closest('[data-event-id]');
  return {
    key: e.id || (item && 'event:' + item.dataset.eventId) || e.className || e.tagName + ':' + e.textContent,
    describe: e.outerHTML.slice(0, 120),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    shadow: s.boxShadow !== 'none',
    kinds: Object.entries(kinds).filter(([, q]) => e.matches(q)).map(([k]) => k),
  };
}"""
KINDS = {
    "skip link": ".skip-link", "slider": ".ds-range", "previous day": ".ds-prev", "next day": ".ds-next",
    "play": ".ds-play", "mode radio": ".ds-modes input[type=radio]", "zoom to day": ".ds-fit",
    "list button": "#event-list .event-button", "legend checkbox": ".ds-legend input[type=checkbox]",
}


def tab_through(page, limit: int = 120) -> list[dict]:
    """Press Tab from the top of the page until the focus comes round again."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED, KINDS)
        if info is None:
            continue
        if seen and info["key"] == seen[0]["key"]:
            return seen
        seen.append(info)
    raise AssertionError(f"Tab never came back round after {limit} presses")


def test_tab_reaches_every_control_and_focus_is_visible(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-23")
    page = watch.page
    stops = tab_through(page)
    assert "skip link" in stops[0]["kinds"], "the skip link comes first"
    reached = {kind for stop in stops for kind in stop["kinds"]}
    assert set(KINDS) <= reached, f"never reached: {set(KINDS) - reached}"
    events = {stop["key"].removeprefix("event:") for stop in stops if "list button" in stop["kinds"]}
    assert events == set(watch.list_ids())
    legend = {stop["key"] for stop in stops if "legend checkbox" in stop["kinds"]}
    assert legend == set(page.eval_on_selector_all(".ds-legend input", "els => els.map(e => e.id)"))
    invisible = [stop["describe"] for stop in stops if not (stop["outline"] or stop["shadow"])]
    assert invisible == [], "focus must show (outline or box-shadow)"


def test_keyboard_runs_the_skip_link_list_details_modes_and_play(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-23")
    page = watch.page
    focused = "() => document.activeElement.closest('[data-event-id]')?.dataset.eventId || document.activeElement.className"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    page.keyboard.press("Tab")
    first = watch.list_ids()[0]
    assert page.evaluate(focused) == first, "after the skip link, Tab lands on the first event"
    page.keyboard.press("Enter")
    details = page.locator("#event-details")
    expect(details).to_be_visible()
    assert page.evaluate("() => document.activeElement.id") == "event-details"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "details-close"
    page.keyboard.press("Enter")
    expect(details).to_be_hidden()
    assert page.evaluate(focused) == first, "closing the details gives the focus back to the event"

    page.focus("#day-controls-mode-day")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#day-controls-mode-cumulative")
    expect(page).to_have_url(re.compile(r"mode=cumulative"))
    page.focus(".ds-play")
    page.keyboard.press("Space")
    expect(page.locator(".ds-play")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(page.locator(".ds-play")).to_have_attribute("aria-pressed", "false")


@pytest.mark.parametrize("lang, name, today, tomorrow", [
    ("en", "Day", "25 October 1956", "26 October 1956"),
    ("hu", "Nap", "1956. október 25.", "1956. október 26."),
])
def test_slider_announces_the_date_in_words(watch, live_server, lang, name, today, tomorrow) -> None:
    watch.open(f"{live_server.url}/?date=1956-10-25&lang={lang}")
    slider = watch.page.get_by_role("slider", name=name, exact=True)
    expect(slider).to_have_attribute("aria-valuetext", today)
    slider.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", tomorrow)
    watch.page.click(".ds-prev")
    expect(slider).to_have_attribute("aria-valuetext", today)
    assert watch.page.get_attribute(".ds-date", "aria-hidden") == "true", "the date is not read twice"


def test_event_list_is_the_text_alternative_of_the_map(watch, live_server) -> None:
    watch.open(f"{live_server.url}/?date=1956-11-04&mode=cumulative")
    page = watch.page
    on_map = page.evaluate("""() => { const s = Budapest1956.current, ids = [];
        s.map.eachLayer((m) => { if (m.eventIndex !== undefined) ids.push(s.events[m.eventIndex].id); });
        return ids; }""")
    assert on_map and set(on_map) <= set(watch.list_ids()), "every marker has its event in the list"
    button = page.get_by_role("button", name=re.compile("Kossuth tér volley"))
    expect(button).to_have_accessible_name(re.compile(r"25 October 1956.*Kossuth tér volley.*Parliament"))


# ---- phone and projector ----

@pytest.mark.parametrize("path, event, title", [
    ("/?date=1956-10-25", "e25", "Kossuth tér volley"),
    ("/?date=1956-10-25&lang=hu", "e25", "Sortűz a Kossuth téren"),
    ("/embed?date=1956-10-23", "e23c", "Siege of the Radio"),
])
def test_phone_width(browser, live_server, path: str, event: str, title: str) -> None:
    w = PageWatch(browser, viewport=(375, 740), has_touch=True, is_mobile=True)
    page = w.page
    try:
        w.open(live_server.url + path)
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 375, "no sideways scrolling"
        box = page.locator(".map-pane .folium-map").bounding_box()
        assert box["height"] >= 250 and box["width"] >= 360 and box["y"] < 740 / 2, box
        for selector in (".ds-range", ".ds-play", ".ds-modes", "#event-list li:last-child button", ".ds-legend"):
            target = page.locator(selector)
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, (selector, box)
            assert box["y"] >= 0 and box["y"] + box["height"] <= 740, (selector, box)
        page.tap(f"#event-list li[data-event-id='{event}'] button")
        details = page.locator("#event-details")
        expect(details.locator("h2")).to_have_text(title)
        expect(details).to_be_in_viewport()
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 375, "details fit the width"
        assert w.errors == []
    finally:
        w.close()


@pytest.mark.parametrize("path", ["/sources", "/print?date=1956-10-25", "/no-such-page"])
def test_phone_width_other_pages(browser, live_server, path: str) -> None:
    w = PageWatch(browser, viewport=(375, 740), has_touch=True, is_mobile=True)
    try:
        goto(w.page, live_server.url + path)
        assert w.page.evaluate("() => document.scrollingElement.scrollWidth") <= 375
    finally:
        w.close()


def test_projector_1920x1080(browser, live_server) -> None:
    w = PageWatch(browser, viewport=(1920, 1080))
    page = w.page
    try:
        w.open(f"{live_server.url}/?date=1956-10-23")
        box = page.locator(".map-pane .folium-map").bounding_box()
        assert box["width"] >= 0.7 * 1920 and box["height"] >= 0.85 * 1080, box
        size = "(q) => parseFloat(getComputedStyle(document.querySelector(q)).fontSize)"
        assert page.evaluate(size, "html") >= 16 and page.evaluate(size, "body") >= 16
        assert page.evaluate(size, ".event-title") >= 16
        assert page.evaluate(size, ".ds-date") >= 32, "the date reads from the back of the room"
        assert page.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]") \
            == [1920, 1080], "the page itself does not scroll; the side panel does"
    finally:
        w.close()


# ---- prefers-reduced-motion ----

SPY = """() => {
  window.__intervals = [];
  const setInterval = window.setInterval;
  window.setInterval = (fn, ms, ...rest) => { window.__intervals.push(ms); return setInterval(fn, ms, ...rest); };
  const map = Budapest1956.current.map;
  window.__moves = [];
  window.__zoomAnimations = 0;
  map.on('zoomanim', () => { window.__zoomAnimations += 1; });
  for (const name of ['setView', 'fitBounds', 'flyTo', 'flyToBounds', 'panTo', 'panBy', 'setZoom']) {
    const original = map[name];
    map[name] = function (...args) {
      const options = args.find((a, i) => i > 0 && a && typeof a === 'object' && !Array.isArray(a) && !('lat' in a));
      window.__moves.push({name, animate: options ? options.animate : undefined});
      return original.apply(this, args);
    };
  }
}"""
AWAY = "() => Budapest1956.current.map.setView([46.0, 18.0], 7, {animate: false})"


@pytest.mark.parametrize("motion, factor", [("no-preference", 1), ("reduce", 2)])
def test_play_and_map_moves_respect_reduced_motion(watch, live_server, motion: str, factor: int) -> None:
    page = watch.page
    page.emulate_media(reduced_motion=motion)
    watch.open(f"{live_server.url}/?date=1956-10-23")
    page.evaluate(SPY)
    page.click(".ds-play")
    page.click(".ds-play")
    assert page.evaluate("() => window.__intervals") == [1500 * factor], "reduced motion plays at half speed"
    if motion != "reduce":
        return
    page.evaluate(AWAY)
    page.click(".ds-fit")  # fit the day
    page.evaluate(AWAY)
    page.click("#event-list li[data-event-id='e23a'] button")  # a marker out of view
    page.evaluate(AWAY)
    page.focus(".ds-range")
    page.keyboard.press("ArrowRight")  # the next day's places come into view
    page.evaluate("() => Budapest1956.current.show(29, 'day')")  # 20 November: a route
    page.evaluate(AWAY)
    page.click("#event-list li[data-event-id='e20'] button")  # a route out of view
    moves = page.evaluate("() => window.__moves")
    assert {m["name"] for m in moves} >= {"fitBounds", "setView"}, moves
    animated = [m for m in moves if m["animate"] is not False]
    assert animated == [], "with reduced motion the map jumps, it never glides"
    assert page.evaluate("() => window.__zoomAnimations") == 0
