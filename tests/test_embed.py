"""Embedding as a teacher does it: the Share dialog's snippet pasted into another site's page, inside
a sandboxed (opaque-origin) iframe, with no cookies, storage or top navigation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import LiveServer, PageWatch
from playwright.sync_api import expect

from mapapp import create_app

pytestmark = pytest.mark.browser
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def map_server():
    server = LiveServer(create_app({"DATA_DIR": str(MINI)}))
    yield server
    server.stop()


class HostSite:
    """Another origin (another port) serving one HTML page that the test writes."""

    def __init__(self) -> None:
        self.html = b""
        self.server = LiveServer(self._app)
        self.url = self.server.url + "/school.html"

    def _app(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [self.html]

    def show(self, body: str) -> str:
        self.html = f"<!doctype html><html lang='en'><head><title>School</title></head><body>{body}</body></html>".encode()
        return self.url


@pytest.fixture(scope="module")
def school():
    site = HostSite()
    yield site
    site.server.stop()


def snippet_from_share_dialog(watch: PageWatch, map_url: str, lang: str = "hu") -> str:
    watch.open(f"{map_url}/?date=1956-10-25")
    page = watch.page
    page.click("#share-open")
    expect(page.locator("#share-dialog")).to_be_visible()
    assert page.input_value("#share-date") == "1956-10-25"
    page.select_option("#share-lang", lang)
    page.uncheck("#share-dialog input[name=controls][value=legend]")
    code = page.input_value("#share-code")
    assert ("lang=hu" in code) == (lang == "hu")
    assert "date=1956-10-25" in code and "controls=slider%2Clist" in code
    assert 'title="' in code
    expect(page.locator("#share-preview")).to_have_attribute("src", re.compile(r"/embed\?date=1956-10-25"))
    return code


def test_share_dialog_builds_link_snippet_and_preview(watch, map_server) -> None:
    watch.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=map_server.url)
    snippet_from_share_dialog(watch, map_server.url)
    page = watch.page
    page.click("#share-dialog [data-copy=share-link]")
    expect(page.locator(".share-copied")).not_to_be_empty()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.input_value("#share-link")
    assert copied.startswith(f"{map_server.url}/?date=1956-10-25") and "controls" not in copied
    page.keyboard.press("Escape")
    expect(page.locator("#share-dialog")).to_be_hidden()
    assert page.evaluate("() => document.activeElement.id") == "share-open"
    assert watch.errors == []


def test_snippet_works_in_a_sandboxed_cross_origin_iframe(watch, map_server, school, browser) -> None:
    code = snippet_from_share_dialog(watch, map_server.url)
    sandboxed = code.replace("<iframe ", '<iframe sandbox="allow-scripts" ')
    host = PageWatch(browser)
    try:
        host.page.goto(school.show(sandboxed))
        frame = host.page.frame_locator("iframe")
        expect(frame.locator("html")).to_have_attribute("lang", "hu")
        expect(frame.locator(".ds-date")).to_have_text("1956. október 25.")
        expect(frame.locator("#event-list li")).to_have_count(1)
        expect(frame.locator(".ds-legend")).to_be_hidden()
        frame.locator("#event-list li button").first.click()
        expect(frame.locator("#event-details h2")).to_have_text("Sortűz a Kossuth téren")
        frame.locator(".ds-next").click()
        expect(frame.locator(".ds-date")).to_have_text("1956. október 26.")
        full = frame.locator(".open-full a")
        expect(full).to_have_attribute("href", re.compile(r"date=1956-10-26.*lang=hu"))
        assert "controls" not in full.get_attribute("href")
        assert host.errors == [], host.errors
        assert host.dialogs == [] and host.outside == []
    finally:
        host.close()


def test_snippet_pasted_into_a_plain_page_is_responsive(watch, map_server, school, browser) -> None:
    code = snippet_from_share_dialog(watch, map_server.url, lang="en")
    for width in (375, 1200):
        host = PageWatch(browser, viewport=(width, 900))
        try:
            host.page.goto(school.show(f"<main>{code}</main>"))
            box = host.page.locator("iframe").bounding_box()
            assert box["width"] <= width and box["width"] >= min(width, 1100) - 20
            expect(host.page.frame_locator("iframe").locator("#event-list li")).to_have_count(1)
        finally:
            host.close()
