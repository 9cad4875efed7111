"""Lessons in a real browser (Debian's chromium): the deep link opens a stop, Next and Previous step
through the lesson and keep the address in step, Escape leaves, the keyboard and a screen reader's
live region work, at 375 px, in a sandboxed iframe and in the static export from file://. Then the
worksheet and the walk printed to PDF: A4 pages, the teacher's page last, a QR code that scans."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import LiveServer, PageWatch, is_tile_request
from conftest import FIXTURES
from playwright.sync_api import expect
from test_a11y import assert_no_serious_violations, axe_source  # noqa: F401  (fixture)
from test_embed import HostSite
from test_print import pdf_pages

from mapapp import create_app
from mapapp.export import export_site

pytestmark = pytest.mark.browser
LESSONS = FIXTURES / "lessons" / "lessons.json"


@pytest.fixture(scope="module")
def lesson_data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lessons") / "data"
    shutil.copytree(FIXTURES / "mini", folder)
    shutil.copy(LESSONS, folder / "lessons.json")
    return folder


@pytest.fixture(scope="module")
def server(lesson_data_dir: Path):
    live = LiveServer(create_app({"DATA_DIR": str(lesson_data_dir)}))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def school():
    site = HostSite()
    yield site
    site.server.stop()


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def map_center(page) -> tuple[float, float]:
    return tuple(page.evaluate("() => { const c = Budapest1956.current.map.getCenter(); return [c.lat, c.lng]; }"))


def wait_for_stop(page_or_frame, n: int, total: int = 5, lang: str = "en") -> None:
    text = f"Stop {n} of {total}" if lang == "en" else f"{n}. állomás (összesen {total})"
    expect(page_or_frame.locator("#lesson-panel .lesson-progress")).to_have_text(text)


def test_deep_link_opens_the_stop_and_next_steps_on(watch, server) -> None:
    page = watch.page
    watch.open(f"{server.url}/?lesson=mini-oct23&stop=2")
    wait_for_stop(page, 2)
    panel = page.locator("#lesson-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".lesson-title")).to_have_text("Mini: 23 October")
    expect(panel.locator(".lesson-question")).to_have_text("Question: Who gathered at the Bem statue?")
    expect(page.locator(".ds-date")).to_have_text("23 October 1956")
    expect(page.locator("#event-details h2")).to_have_text("Rally at the Bem statue")
    expect(page.locator("#event-list li[data-event-id='e23a']")).to_have_class(re.compile("is-selected"))
    page.wait_for_function("() => { const c = Budapest1956.current.map.getCenter();"
                           " return Math.abs(c.lat - 47.5147) < 0.002 && Math.abs(c.lng - 19.038) < 0.002; }")
    expect(page.locator("#lesson-live")).to_contain_text("Stop 2 of 5. Rally at the Bem statue.")

    page.get_by_role("button", name="Next", exact=True).click()
    wait_for_stop(page, 3)
    expect(page.locator("#event-details h2")).to_have_text("Crowd at Parliament")
    page.wait_for_function("() => location.search.includes('stop=3')")
    assert query(page.url)["lesson"] == "mini-oct23"
    page.get_by_role("button", name="Next", exact=True).click()
    wait_for_stop(page, 4)
    expect(page.locator(".ds-date")).to_have_text("24 October 1956")  # the stop names the second day
    expect(page.locator("#event-details h2")).to_have_text("Siege of the Radio")
    page.get_by_role("button", name="Previous", exact=True).click()
    wait_for_stop(page, 3)
    page.wait_for_function("() => location.search.includes('stop=3') && location.search.includes('date=1956-10-23')")
    assert watch.errors == [] and watch.outside == [] and watch.dialogs == []


def test_a_copied_link_returns_to_the_stop(watch, server, browser) -> None:
    watch.open(f"{server.url}/?lesson=mini-oct23&stop=1")
    watch.page.get_by_role("button", name="Next", exact=True).click()
    watch.page.get_by_role("button", name="Next", exact=True).click()
    watch.page.wait_for_function("() => location.search.includes('stop=3')")
    copied = watch.page.url
    other = PageWatch(browser)
    try:
        other.open(copied)
        wait_for_stop(other.page, 3)
        expect(other.page.locator("#event-details h2")).to_have_text("Crowd at Parliament")
        assert other.errors == []
    finally:
        other.close()


def test_site_stop_and_route_stop(watch, server) -> None:
    page = watch.page
    watch.open(f"{server.url}/?lesson=mini-oct23&stop=5")
    wait_for_stop(page, 5)
    expect(page.locator("#lesson-panel .lesson-stop-where")).to_contain_text("today: Ötvenhatosok tere")
    expect(page.locator("#event-details")).to_be_hidden()
    expect(page.get_by_role("button", name="Next", exact=True)).to_have_attribute("aria-disabled", "true")
    page.wait_for_function("() => Budapest1956.current.map.getZoom() === 17")
    watch.open(f"{server.url}/?lesson=mini-west&stop=2")
    wait_for_stop(page, 2, total=3)
    expect(page.locator("#event-details h2")).to_have_text("Road west")
    page.wait_for_function("() => Budapest1956.current.map.getBounds().contains([[47.72, 17.05], [48.2082, 16.3738]])")
    assert watch.errors == []


def test_lessons_control_keyboard_and_escape(watch, server) -> None:
    page = watch.page
    watch.open(f"{server.url}/?date=1956-11-04")
    toggle = page.get_by_role("button", name="Lessons", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    choice = page.locator(".lesson-choice[data-lesson-id='mini-west']")
    expect(choice).to_contain_text("Ages 14–18 · 3 stops")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.lessonId") == "mini-west"
    page.keyboard.press("Enter")
    wait_for_stop(page, 1, total=3)
    assert page.evaluate("() => document.activeElement.id") == "lesson-panel", "focus moves to the lesson"
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".ds-date")).to_have_text("25 October 1956")
    page.get_by_role("button", name="Next", exact=True).focus()
    page.keyboard.press("Enter")
    wait_for_stop(page, 2, total=3)
    assert page.evaluate("() => document.activeElement.classList.contains('lesson-next')"), "focus stays on Next"
    expect(page.locator("#lesson-live")).to_contain_text("Stop 2 of 3. Road west. Question: How long is the road west?")
    page.keyboard.press("Escape")
    expect(page.locator("#lesson-panel")).to_be_hidden()
    page.wait_for_function("() => !location.search.includes('lesson=')")
    assert page.evaluate("() => document.activeElement.id") == "lessons-open"
    expect(page.locator("#lesson-live")).to_have_text("You have left the lesson.")
    assert watch.errors == []


def test_hungarian_buttons_and_language_link_keep_the_stop(watch, server) -> None:
    page = watch.page
    watch.open(f"{server.url}/?lang=hu&lesson=mini-oct23&stop=1")
    wait_for_stop(page, 1, lang="hu")
    expect(page.get_by_role("button", name="Előző", exact=True)).to_have_attribute("aria-disabled", "true")
    page.get_by_role("button", name="Következő", exact=True).click()
    wait_for_stop(page, 2, lang="hu")
    expect(page.locator("#event-details h2")).to_have_text("Tüntetés a Bem-szobornál")
    english = page.locator(".site-nav a[hreflang='en']")
    expect(english).to_have_attribute("href", re.compile(r"lesson=mini-oct23.*stop=2|stop=2.*lesson=mini-oct23"))
    english.click()
    wait_for_stop(page, 2)
    expect(page.locator("#lesson-panel .lesson-question")).to_have_text("Question: Who gathered at the Bem statue?")
    assert watch.errors == []


def test_bad_lesson_parameters_are_explained(watch, server) -> None:
    page = watch.page
    watch.open(f"{server.url}/?lesson=nope")
    expect(page.locator("#status")).to_contain_text("lesson=“nope” is not understood (expected mini-oct23, mini-west)")
    expect(page.locator("#lesson-panel")).to_be_hidden()
    watch.open(f"{server.url}/?lesson=mini-oct23&stop=99")
    wait_for_stop(page, 5)
    expect(page.locator("#status")).to_contain_text("stop=“99” is not a stop of this lesson (1–5); showing stop 5.")
    assert watch.errors == []


def test_phone_width(browser, server) -> None:
    watch = PageWatch(browser, viewport=(375, 740), has_touch=True, is_mobile=True)
    try:
        page = watch.page
        watch.open(f"{server.url}/?lesson=mini-oct23&stop=1")
        wait_for_stop(page, 1)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        map_box = page.locator(".map-pane").bounding_box()
        assert map_box["height"] <= 0.41 * 740, "the map makes room for the question"
        page.get_by_role("button", name="Next", exact=True).tap()
        wait_for_stop(page, 2)
        assert page.get_by_role("button", name="Next", exact=True).bounding_box()["width"] >= 44
        assert watch.errors == []
    finally:
        watch.close()


def test_axe_with_a_lesson_open(watch, server, axe_source) -> None:  # noqa: F811
    watch.open(f"{server.url}/?lesson=mini-oct23&stop=2&lang=hu")
    wait_for_stop(watch.page, 2, lang="hu")
    watch.page.click("#lessons-open")
    assert_no_serious_violations(watch.page, axe_source, "the map with a lesson open")


def test_lesson_in_a_sandboxed_iframe(browser, server, school) -> None:
    host = PageWatch(browser)
    try:
        host.page.goto(school.show(
            f'<iframe sandbox="allow-scripts" title="map" width="900" height="700" '
            f'src="{server.url}/embed?lesson=mini-oct23&stop=2&lang=hu"></iframe>'))
        frame = host.page.frame_locator("iframe")
        wait_for_stop(frame, 2, lang="hu")
        expect(frame.locator("#event-details h2")).to_have_text("Tüntetés a Bem-szobornál")
        frame.get_by_role("button", name="Következő", exact=True).click()
        wait_for_stop(frame, 3, lang="hu")
        expect(frame.locator("#event-details h2")).to_have_text("Tömeg az Országháznál")
        expect(frame.locator(".open-full a")).to_have_attribute("href", re.compile(r"stop=3"))
        assert frame.locator("#lesson-panel .lesson-links a").count() == 0, "no worksheet link in the embed"
        assert host.errors == [] and host.dialogs == [] and host.outside == []
    finally:
        host.close()


def test_lesson_in_the_static_export_from_file(browser, lesson_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(create_app({"DATA_DIR": str(lesson_data_dir)}), out)
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    outside: list[str] = []
    try:
        page = context.new_page()
        page.route(lambda url: is_tile_request(url), lambda route: route.abort())
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: r.url.startswith(("file:", "data:")) or is_tile_request(r.url)
                or outside.append(r.url))
        page.goto((out / "index.html").as_uri() + "?lesson=mini-oct23&stop=2")
        wait_for_stop(page, 2)
        expect(page.locator("#event-details h2")).to_have_text("Rally at the Bem statue")
        page.get_by_role("button", name="Next", exact=True).click()
        wait_for_stop(page, 3)
        page.wait_for_function("() => location.search.includes('stop=3')")
        page.goto((out / "embed.hu.html").as_uri() + "?lesson=mini-west&stop=1")
        wait_for_stop(page, 1, total=3, lang="hu")
        assert errors == [] and outside == []
    finally:
        context.close()


# ---- on paper -------------------------------------------------------------------------------------

def need(*tools: str) -> None:
    if all(shutil.which(t) for t in tools):
        return
    message = f"{', '.join(tools)} (poppler-utils, zbar-tools) read the printed pages: run `make test`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def print_pdf(browser, url: str, path: Path) -> list[tuple[float, float]]:
    watch = PageWatch(browser)
    try:
        watch.page.goto(url)
        watch.page.wait_for_selector("html[data-map-ready='true']")
        pdf = watch.page.pdf(prefer_css_page_size=True, print_background=True)
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()
    path.write_bytes(pdf)
    return pdf_pages(pdf)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_worksheet_pdf_students_pages_then_teachers_page_and_qr(browser, server, tmp_path: Path, lang: str) -> None:
    need("pdftotext", "pdftoppm", "zbarimg")
    pdf = tmp_path / "sheet.pdf"
    pages = print_pdf(browser, f"{server.url}/print/lesson/mini-oct23?lang={lang}", pdf)
    assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in pages), "A4 portrait"
    texts = page_texts(pdf)
    assert len(texts) == len(pages) and 2 <= len(pages) <= 4, len(pages)
    teacher = "Teacher's page" if lang == "en" else "Tanári lap"
    first_teacher = next(i for i, t in enumerate(texts) if teacher in t)
    assert first_teacher >= 1 and texts[first_teacher].lstrip().startswith(teacher), "a page of its own"
    students = "".join(texts[:first_teacher])
    assert ("Sixteen points." if lang == "en" else "Tizenhat pontot.") not in students, "answers on the teacher's page only"
    assert ("Sixteen points." if lang == "en" else "Tizenhat pontot.") in "".join(texts[first_teacher:])
    for n in range(1, 6):
        assert re.search(rf"(Question|Kérdés) {n}\.", students), n
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(next(tmp_path.glob("p*.png")))],
                             capture_output=True, text=True, check=False).stdout.strip()
    assert scanned == f"{server.url}/?lesson=mini-oct23&stop=1&lang={lang}"


def test_walk_pdf_and_screen_map(browser, server, tmp_path: Path) -> None:
    need("pdftotext")
    pdf = tmp_path / "walk.pdf"
    pages = print_pdf(browser, f"{server.url}/print/walk?lesson=mini-oct23&lang=hu", pdf)
    assert 1 <= len(pages) <= 3
    text = "".join(page_texts(pdf))
    assert "légvonalban" in text and "Összesen" in text
    watch = PageWatch(browser, viewport=(375, 800))
    try:
        watch.page.goto(f"{server.url}/walk?lesson=mini-oct23")
        watch.page.wait_for_selector("html[data-map-ready='true']")
        labels = watch.page.eval_on_selector_all(".print-marker-label", "els => els.map(e => e.textContent)")
        assert labels == [str(n) for n in range(1, 6)]
        assert watch.page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() >= 1
        assert watch.page.evaluate("() => document.documentElement.scrollWidth") <= 375
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()
