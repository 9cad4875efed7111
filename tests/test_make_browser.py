"""/make in a real browser: a teacher uploads a workbook, sees the map it makes, downloads the
site and opens it from the disk; without JavaScript the form still works."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from browser_support import LiveServer
from conftest import PROJECT

from mapapp import create_app

pytestmark = pytest.mark.browser

SHEETS = PROJECT / "tests" / "fixtures" / "sheets"


@pytest.fixture(scope="module")
def server():
    server = LiveServer(create_app({"DATA_DIR": str(PROJECT / "tests" / "fixtures" / "mini")}))
    yield server
    server.stop()


def test_upload_a_workbook_preview_the_map_and_open_the_downloaded_site(watch, server, tmp_path: Path) -> None:
    page = watch.page
    page.goto(f"{server.url}/?lang=hu")
    page.click("a:text-is(\"Saját térkép\")")
    page.set_input_files("#make-file", str(SHEETS / "events.ods"))
    page.fill("#make-title", "Osztálytérkép")
    page.click("button[value=preview]")
    page.wait_for_selector(".ds-range", state="attached")
    assert page.locator("h1").inner_text() == "Előnézet: Osztálytérkép"
    assert page.locator(".ds-date").inner_text() == "1956. október 23."
    assert len(watch.list_ids()) == 4 and page.locator(".event-marker").count() == 4
    page.locator("#event-list button").nth(2).click()
    assert "Rádió ostroma" in page.locator("#event-details").inner_text()
    with page.expect_download() as download:
        page.click("button[value=site]")
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    assert archive.name == "osztalyterkep-site.zip"
    zipfile.ZipFile(archive).extractall(tmp_path)
    page.goto((tmp_path / "osztalyterkep" / "index.hu.html").as_uri())
    page.wait_for_selector(".ds-range", state="attached")
    assert page.locator(".site-title").inner_text() == "Osztálytérkép" and len(watch.list_ids()) == 4
    assert watch.errors == [] and watch.dialogs == []
    assert [url for url in watch.outside if not url.startswith("file:")] == [], "nothing but tiles from outside"


def test_without_javascript_the_form_still_sends_and_shows_the_problems(browser, server) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/make")
        page.set_input_files("#make-file", str(SHEETS / "lo-default.csv"))
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("button[value=preview]")
        assert answer.value.status == 422
        page.wait_for_selector(".make-problem-table")
        first = page.locator(".make-problem-table tbody tr").first.locator("td").all_inner_texts()
        assert first[:3] == ["2", "C place", "'Pet?fi' has '?' in place of a letter: the letters were lost when "
                                             "the file was saved"]
        assert "How to save the file as UTF-8" in page.locator(".make-advice").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_axe_finds_nothing_serious_on_the_form_the_problems_and_the_preview(watch, server, lang: str) -> None:
    from test_a11y import AXE_JS, assert_no_serious_violations
    axe = AXE_JS.read_text(encoding="utf-8")
    page = watch.page
    page.goto(f"{server.url}/make?lang={lang}")
    assert_no_serious_violations(page, axe, f"/make?lang={lang}")
    page.set_input_files("#make-file", str(SHEETS / "excel-utf8-us-dates.csv"))
    page.click("button[value=preview]")
    page.wait_for_selector(".make-problem-table")
    assert_no_serious_violations(page, axe, f"the problems page ({lang})")
    page.set_input_files("#make-file", str(PROJECT / "examples" / "template.ods"))
    page.click("button[value=preview]")
    page.wait_for_selector("#event-list li")
    assert_no_serious_violations(page, axe, f"the preview ({lang})")
