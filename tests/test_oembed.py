"""oEmbed as consumers read it: pyembed 1.3.3 (its AutoDiscoverer and consumer, never the
oembed.com provider list) against the app on 127.0.0.1; the iframe it gets is opened in Chromium
and must show the linked state. Then the spec's size and format rules, and odd input that must
never answer 500."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from browser_support import LiveServer, PageWatch
from bs4 import BeautifulSoup
from conftest import FIXTURES
from playwright.sync_api import expect
from pyembed.core import PyEmbed
from pyembed.core.consumer import get_first_oembed_response
from pyembed.core.discovery import AutoDiscoverer

from mapapp import create_app


def pyembed_discover(page_url: str) -> list[str]:
    """The oEmbed URLs pyembed finds in the page's discovery links."""
    return list(AutoDiscoverer().get_oembed_urls(page_url))


def pyembed_fetch(oembed_url: str, max_width: int | None = None, max_height: int | None = None) -> dict:
    """The oEmbed response pyembed reads from one of those URLs, as a dict."""
    response = get_first_oembed_response([oembed_url], max_width=max_width, max_height=max_height)
    return {"type": response.type, "html": response.html, "width": response.width,
            "height": response.height, "title": response.title}


def pyembed_html(page_url: str, max_width: int | None = None, max_height: int | None = None) -> str:
    """What a site using pyembed puts into its page for a pasted link."""
    return PyEmbed(discoverer=AutoDiscoverer()).embed(page_url, max_width=max_width, max_height=max_height)


@pytest.fixture(scope="module")
def server():
    live = LiveServer(create_app({"DATA_DIR": str(FIXTURES / "mini")}))
    yield live
    live.stop()


LINKED = [
    ("/?date=1956-10-25&lang=hu&mode=cumulative",
     {"date": "1956-10-25", "mode": "cumulative", "lang": "hu"}),
    ("/embed?date=1956-10-25&layers=fighting&controls=none",
     {"date": "1956-10-25", "layers": "fighting", "controls": "none"}),
    ("/?controls=list,slider&layers=soviet,fighting,nonsense&date=1956-10-24&tiles=none&zoom=14",
     {"date": "1956-10-24", "layers": "fighting,soviet", "controls": "slider,list", "zoom": "14",
      "tiles": "none"}),
    ("/?date=1999-01-01&lang=xx&mode=weekly", {"date": "1956-11-30"}),  # bad values dropped, date clamped
]


@pytest.mark.parametrize("path,state", LINKED)
def test_pyembed_discovery_carries_the_linked_state(server, path: str, state: dict) -> None:
    urls = pyembed_discover(server.url + path)
    assert len(urls) == 1
    discovered = dict(parse_qsl(urlsplit(urls[0]).query))
    assert discovered["format"] == "json"
    assert dict(parse_qsl(urlsplit(discovered["url"]).query)) == state
    body = pyembed_fetch(urls[0], max_width=480, max_height=400)
    assert body["type"] == "rich" and body["width"] <= 480 and body["height"] <= 400
    iframe = BeautifulSoup(body["html"], "html.parser").iframe
    src = urlsplit(iframe["src"])
    assert src.path == "/embed" and dict(parse_qsl(src.query)) == state
    assert body["title"] == ("Mini minta" if state.get("lang") == "hu" else "Mini fixture")


@pytest.mark.browser
def test_the_discovered_embed_opens_the_linked_day(server, browser) -> None:
    html = pyembed_html(server.url + "/?date=1956-10-25&lang=hu&mode=cumulative", max_width=600)
    src = BeautifulSoup(html, "html.parser").iframe["src"]
    watch = PageWatch(browser)
    try:
        watch.open(src)
        page = watch.page
        expect(page.locator(".ds-date")).to_have_text("1956. október 25.")
        assert page.locator("html").get_attribute("lang") == "hu"
        assert page.is_checked("input[value=cumulative]")
        one_day = pyembed_html(server.url + "/embed?date=1956-10-25&controls=none")
        watch.open(BeautifulSoup(one_day, "html.parser").iframe["src"])
        expect(page.locator(".ds-date")).to_have_text("25 October 1956")
        assert "hide-panel" in page.locator("body").get_attribute("class")
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()


@pytest.mark.parametrize("max_width,max_height", [
    (1, 1), (1, None), (None, 1), (100, 100), (120, 90), (199, 149), (300, None), (None, 120),
    (5000, 5000), (99999, 1), (1, 99999), (961, 641),
])
def test_size_never_exceeds_the_maxima(client, max_width, max_height) -> None:
    query = {"url": "http://localhost/?date=1956-10-25"}
    query |= {"maxwidth": max_width} if max_width else {}
    query |= {"maxheight": max_height} if max_height else {}
    body = client.get("/oembed", query_string=query).get_json()
    assert 1 <= body["width"] <= (max_width or 960) and 1 <= body["height"] <= (max_height or 640)
    iframe = BeautifulSoup(body["html"], "html.parser").iframe
    assert (int(iframe["width"]), int(iframe["height"])) == (body["width"], body["height"])


@pytest.mark.parametrize("fmt", ["xml", "yaml", "", "JSON", "json ", "xml+json"])
def test_any_format_but_json_is_501(client, fmt: str) -> None:
    response = client.get("/oembed", query_string={"url": "http://localhost/", "format": fmt})
    assert response.status_code == 501 and response.get_json()["status"] == 501
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("value", ["²", "١٠٠", "１００", "1" + "0" * 400, "0", "00", "-5", "1.5", " 100", "",
                                   "1e3", "100000", "NaN"])
@pytest.mark.parametrize("name", ["maxwidth", "maxheight"])
def test_odd_sizes_are_400(client, name: str, value: str) -> None:
    response = client.get("/oembed", query_string={"url": "http://localhost/", name: value})
    assert response.status_code == 400, response.data
    body = response.get_json()
    assert body["parameter"] == name and len(response.data) < 500
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", [
    "http://[::1/", "http://localhost:99999/", "http://localhost:abc/", "http://[::1]:80/", "//localhost/",
    "%", "http://", "http:///", "localhost/", "http://localhost/%ff", "http://user@localhost/",
    "http://local host/", "\x00", "http://localhost:0/",
])
def test_malformed_urls_are_400_or_404(client, url: str) -> None:
    response = client.get("/oembed", query_string={"url": url})
    assert response.status_code in (400, 404), (url, response.status_code)
    assert response.is_json and response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_url_of_another_host_is_404_and_ours_with_odd_params_is_200(client) -> None:
    assert client.get("/oembed", query_string={"url": "http://evil.example/"}).status_code == 404
    body = client.get("/oembed", query_string={"url": "http://localhost/?zoom=99&center=nan,1&layers=&date=%ff"}).get_json()
    assert BeautifulSoup(body["html"], "html.parser").iframe["src"] == "http://localhost/embed"
