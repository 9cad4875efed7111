"""The print view: parameters, content, QR code and headers (Flask client), and the A4 PDF that
chromium prints from it."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date

import pytest
from browser_support import LiveServer, PageWatch
from bs4 import BeautifulSoup
from conftest import FIXTURES, set_cell
from playwright.sync_api import expect

from mapapp import create_app
from mapapp.assets import asset_url
from mapapp.printview import day_url, qr_svg


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def api_ids(client, day: str, mode: str) -> list[str]:
    doc = client.get(f"/api/events.geojson?date={day}&mode={mode}").get_json()
    return [f["properties"]["id"] for f in doc["features"]]


@pytest.mark.parametrize("day, lang, label", [
    ("1956-10-23", "en", "23 October 1956"),
    ("1956-10-23", "hu", "1956. október 23."),
    ("1956-11-04", "en", "4 November 1956"),
])
def test_day_page_lists_the_days_events_in_the_page_language(client, day: str, lang: str, label: str) -> None:
    response = client.get(f"/print?date={day}&lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = soup(response)
    assert page.html["lang"] == lang
    assert page.select_one(".print-date time").text == label and label in page.title.text
    shown = [li["data-event-id"] for li in page.select(".print-event")]
    assert shown == api_ids(client, day, "day")
    numbers = [li.select_one(".print-num").text for li in page.select(".print-event")]
    assert numbers == [str(n) for n in range(1, len(shown) + 1)]


def test_cumulative_page_lists_earlier_events_briefly(client) -> None:
    page = soup(client.get("/print?date=1956-10-24&mode=cumulative"))
    assert [li["data-event-id"] for li in page.select(".print-event")] == api_ids(client, "1956-10-24", "day")
    earlier = len(api_ids(client, "1956-10-24", "cumulative")) - len(api_ids(client, "1956-10-24", "day"))
    assert earlier > 0 and len(page.select(".print-earlier li")) == earlier
    assert "Up to this day" in page.select_one(".print-mode").text


def test_event_has_place_then_and_now_summary_sources_and_claims(client) -> None:
    page = soup(client.get("/print?date=1956-10-25"))
    event = page.select_one(".print-event[data-event-id='e25']")
    assert event.select_one(".print-event-title").text.strip().endswith("Kossuth tér volley")
    assert "25 October 1956, 11:00" in event.select_one(".print-meta").text
    assert "Parliament" in event.select_one(".print-place").text
    assert event.select_one(".print-summary").text.strip()
    sources = event.select(".print-sources li")
    assert len(sources) == 2
    for li in sources:
        url = li.select_one("a.print-url")
        assert url["href"].startswith("https://") and url.text.startswith("https://"), "URL written out"
        assert re.search(r"\b(19|20)\d\d\b", li.text), "with the year"
    table = event.select_one(".print-claims")
    assert all(th.text.strip() for th in table.find_all("th")) and table.caption.text.strip()
    assert [th.text for th in table.select("tbody th")] == ["dead"], "figures grouped by measure"
    rows = [tr for tr in table.select("tbody tr") if tr.td]
    assert len(rows) == 2 and "up to 800" in rows[1].text
    assert all(re.search(r"\[\d\]", row.select("td")[-1].text) for row in rows), "each figure names its source"


def test_map_data_is_json_and_no_script_runs_inline(client) -> None:
    response = client.get("/print?date=1956-10-23")
    page = soup(response)
    inline = [s for s in page.find_all("script") if not s.get("src")]
    assert [s.get("type") for s in inline] == ["application/json"]
    data = json.loads(inline[0].string)
    assert sum(len(p["labels"]) for p in data["places"]) == len(page.select(".print-event"))
    srcs = [s["src"] for s in page.find_all("script", src=True)]
    with client.application.test_request_context():
        assert srcs == [asset_url("vendor/leaflet-1.9.4/leaflet.js"), asset_url("js/print.js")]
        assert asset_url("css/print.css") in [link["href"] for link in page.find_all("link")]
    for url in srcs + [link["href"] for link in page.find_all("link")]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("query, parameter, expected", [
    ("date=1956-13-45", "date", "YYYY-MM-DD"),
    ("date=yesterday", "date", "YYYY-MM-DD"),
    ("date=1956-10-23&mode=week", "mode", "day, cumulative"),
    ("date=1956-10-23&lang=fr", "lang", "en, hu"),
])
def test_bad_parameters_are_a_400_page_that_explains(client, query: str, parameter: str, expected: str) -> None:
    response = client.get(f"/print?{query}")
    assert response.status_code == 400 and response.mimetype == "text/html"
    text = soup(response).select_one("main").text
    assert f"parameter {parameter}" in text and expected in text


def test_date_outside_the_map_goes_to_the_nearest_day(client) -> None:
    response = client.get("/print?date=1957-03-15&mode=cumulative&lang=hu")
    assert response.status_code == 302
    assert response.headers["Location"] == "/print?date=1956-11-30&mode=cumulative&lang=hu"
    assert client.get("/print").status_code == 200, "no date: the first day"


def qr_in(response) -> str:
    return str(soup(response).select_one(".print-qr svg"))


def test_qr_code_opens_the_same_day_online(client) -> None:
    response = client.get("/print?date=1956-10-25&mode=cumulative&lang=hu")
    online = "http://localhost/?date=1956-10-25&mode=cumulative&lang=hu"
    assert soup(response).select_one(".print-qr a")["href"] == online
    expected = BeautifulSoup(qr_svg(online), "html.parser").svg
    assert qr_in(response) == str(expected), "segno's own drawing of the URL"


def test_qr_code_uses_public_url_setting(data_dir) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "PUBLIC_URL": "https://map.example.org/1956/"})
    response = app.test_client().get("/print?date=1956-10-23")
    online = "https://map.example.org/1956/?date=1956-10-23&mode=day&lang=en"
    assert qr_in(response) == str(BeautifulSoup(qr_svg(online), "html.parser").svg)
    assert day_url("https://x.example/?a=1", date(1956, 10, 23), "day", "en") == \
        "https://x.example/?a=1&date=1956-10-23&mode=day&lang=en"


def test_qr_code_follows_a_trusted_host_when_no_public_url(client) -> None:
    """Without PUBLIC_URL each trusted host gets its own cached page; any other Host is refused, so
    no request can plant its Host in a handout."""
    other = client.get("/print?date=1956-10-23", headers={"Host": "127.0.0.1:5000"})
    ours = client.get("/print?date=1956-10-23")
    assert soup(other).select_one(".print-qr a")["href"].startswith("http://127.0.0.1:5000/")
    assert soup(ours).select_one(".print-qr a")["href"].startswith("http://localhost/")
    evil = client.get("/print?date=1956-10-23", headers={"Host": "evil.example"})
    assert evil.status_code == 400 and b"evil" not in evil.data


def test_headers_cache_and_304(client, app) -> None:
    first = client.get("/print?date=1956-10-23")
    csp = first.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'self'" in csp
    assert "img-src 'self' data: https://tile.openstreetmap.org" in csp
    assert first.headers["X-Frame-Options"] == "SAMEORIGIN" and first.headers["ETag"]
    before = len(app.extensions["mapapp.pages"])
    again = client.get("/print?date=1956-10-23&unused=1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(app.extensions["mapapp.pages"]) == before
    assert client.get("/print?date=1956-10-23&lang=hu").headers["ETag"] != first.headers["ETag"]


HOSTILE = '<img src=x onerror="alert(1)"> {{ 7*7 }} </script><script>alert(1)</script>'


def test_hostile_text_is_printed_literally(data_dir) -> None:
    set_cell(data_dir / "events.csv", 7, "title_en", HOSTILE)
    set_cell(data_dir / "events.csv", 7, "summary_en", HOSTILE)
    set_cell(data_dir / "sources.csv", 2, "publisher", HOSTILE)
    set_cell(data_dir / "sources.csv", 2, "url", 'https://example.org/?q="><img/src=x>&x=</script>')
    response = create_app({"DATA_DIR": str(data_dir)}).test_client().get("/print?date=1956-10-25")
    page = soup(response)
    event = page.select_one(".print-event[data-event-id='e25']")
    assert event.select_one(".print-summary").text == HOSTILE
    assert HOSTILE in event.select_one(".print-event-title").text and HOSTILE in event.select_one(".print-sources").text
    assert page.find("img") is None and len(page.find_all("script")) == 3, "no element came from the data"
    assert json.loads(page.select_one("#print-data").string)["places"], "the JSON block is intact"


def test_map_page_has_a_print_link_and_the_embed_has_none(client) -> None:
    link = soup(client.get("/?lang=hu")).select_one("a#print-link")
    assert link["href"] == "/print?lang=hu" and link.text == "A nap nyomtatása"
    assert soup(client.get("/embed")).select_one("#print-link") is None


# ---- in a real browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def print_server():
    server = LiveServer(create_app({"DATA_DIR": str(FIXTURES / "mini")}))
    yield server
    server.stop()


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of each page of a PDF as chromium writes it."""
    assert pdf.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) == len(re.findall(rb"/Type\s*/Page\b", pdf))
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["date=1956-10-25", "date=1956-10-24&mode=cumulative&lang=hu"])
def test_print_to_pdf_is_a_few_a4_portrait_pages(browser, print_server, query: str) -> None:
    watch = PageWatch(browser)
    try:
        page = watch.page
        page.goto(f"{print_server.url}/print?{query}")
        page.wait_for_selector("html[data-map-ready='true']")
        labels = page.eval_on_selector_all(".print-marker-label", "els => els.map(e => e.textContent)")
        numbers = sorted(int(n) for text in labels for n in re.split(r"[,–]\s*", text))
        assert numbers == list(range(1, page.locator(".print-event").count() + 1)), labels
        assert page.is_visible("#print-button")
        pages = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
        assert 1 <= len(pages) <= 3, pages
        assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in pages), "A4 portrait"
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()


@pytest.mark.browser
def test_print_link_follows_the_slider(browser, print_server) -> None:
    watch = PageWatch(browser)
    try:
        watch.open(f"{print_server.url}/?date=1956-10-23")
        link = watch.page.locator("#print-link")
        assert link.get_attribute("href") == "/print?date=1956-10-23&mode=day&lang=en"
        watch.page.click("label[for='day-controls-mode-cumulative']")
        watch.page.click(".ds-next")
        # the step leaves the hrefs to a timer (at most 120 ms) or to anything that can use a link
        expect(link).to_have_attribute("href", "/print?date=1956-10-24&mode=cumulative&lang=en")
        before, after = watch.page.evaluate("""() => {
            const s = Budapest1956.current, a = document.getElementById('print-link');
            s.show(s.day - 1, s.mode);
            const before = a.getAttribute('href');
            a.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
            return [before, a.getAttribute('href')]; }""")
        assert before.startswith("/print?date=1956-10-24") and after.startswith("/print?date=1956-10-23"), \
            "written when a pointer comes over the link"
        watch.page.click(".ds-next")
        link.click()
        watch.page.wait_for_selector("html[data-map-ready='true']")
        assert watch.page.text_content(".print-date time") == "24 October 1956"
        assert watch.errors == []
    finally:
        watch.close()


@pytest.mark.browser
def test_printed_qr_code_scans_to_the_days_url(browser, print_server, tmp_path) -> None:
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        message = "zbarimg and pdftoppm (zbar-tools, poppler-utils) read the printed QR code: run `make test`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    watch = PageWatch(browser)
    try:
        watch.page.goto(f"{print_server.url}/print?date=1956-10-25&lang=hu")
        watch.page.wait_for_selector("html[data-map-ready='true']")
        (tmp_path / "out.pdf").write_bytes(watch.page.pdf(prefer_css_page_size=True))
    finally:
        watch.close()
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(tmp_path / "out.pdf"),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(image)], check=False, capture_output=True, text=True).stdout
    assert scanned.strip() == f"{print_server.url}/?date=1956-10-25&mode=day&lang=hu"
