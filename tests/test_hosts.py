"""The app among other machines: Host headers, PUBLIC_URL, a proxy's X-Forwarded-*, the headers
every response carries, the page head a link preview reads, /healthz, and requests that are
broken in ways a browser never sends."""
from __future__ import annotations

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES
from werkzeug.test import run_wsgi_app

from mapapp import SettingError, create_app
from mapapp.assets import asset_url
from mapapp.settings import resolve

PAGES = ["/", "/embed", "/sources", "/print?date=1956-10-25", "/?date=1956-10-25&lang=hu"]
ABSOLUTE = re.compile(r"https?://[^\s\"'<>]+")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def our_urls(html: str) -> set[str]:
    """Absolute URLs in a page that are ours (oEmbed, Share, QR): not the sources', tiles' or specs'."""
    sources = {row["url"] for row in csv.DictReader((FIXTURES / "mini" / "sources.csv").open(encoding="utf-8"))}
    return {u for u in ABSOLUTE.findall(html) if u not in sources
            and not u.startswith(("https://www.openstreetmap.org", "https://tile.openstreetmap", "http://www.w3.org"))}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "localhost.evil.example", "[::1]"])
@pytest.mark.parametrize("path", ["/", "/print?date=1956-10-23", "/api/sites.geojson", "/oembed?url=x"])
def test_an_untrusted_host_is_400_and_not_echoed(client, host: str, path: str) -> None:
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert b"evil" not in response.data and b"::1" not in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if path.startswith(("/api", "/oembed")):
        assert response.is_json and response.headers["Access-Control-Allow-Origin"] == "*"
    else:
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_with_public_url_no_request_host_reaches_a_page(data_dir) -> None:
    client = create_app({"DATA_DIR": str(data_dir), "PUBLIC_URL": "https://map.example.org/1956"}).test_client()
    for host in ("localhost", "127.0.0.1:5000", "map.example.org"):
        for path in [*PAGES, "/oembed?url=https%3A%2F%2Fmap.example.org%2F1956%2F%3Fdate%3D1956-10-25"]:
            response = client.get(path, headers={"Host": host, "X-Forwarded-Host": "evil.example"})
            assert response.status_code == 200, (host, path)
            html = response.get_data(as_text=True)
            assert "localhost" not in html and "127.0.0.1" not in html and "evil" not in html
            assert all(u.startswith("https://map.example.org/1956/") for u in our_urls(html)), our_urls(html)
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_trusted_hosts_setting_and_the_public_hosts(data_dir) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "TRUSTED_HOSTS": "map.example.org, .school.example"})
    client = app.test_client()
    assert client.get("/", headers={"Host": "map.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "www.school.example"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400
    any_host = create_app({"DATA_DIR": str(data_dir), "TRUSTED_HOSTS": "*",
                           "PUBLIC_URL": "https://map.example.org/"}).test_client()
    response = any_host.get("/", headers={"Host": "whatever.example"})
    assert response.status_code == 200 and b"whatever" not in response.data
    with pytest.raises(SettingError, match="PUBLIC_URL"):
        create_app({"DATA_DIR": str(data_dir), "TRUSTED_HOSTS": "*"})
    with pytest.raises(SettingError, match="PUBLIC_URL"):
        create_app({"DATA_DIR": str(data_dir), "TRUSTED_HOSTS": ""})
    with pytest.raises(SettingError, match="not a web address"):
        create_app({"DATA_DIR": str(data_dir), "PUBLIC_URL": "map.example.org"})
    from_env = resolve(environ={"MAPAPP_TRUSTED_HOSTS": "a.example, b.example", "MAPAPP_PROXY_COUNT": "1"})
    assert from_env["TRUSTED_HOSTS"] == ["a.example", "b.example"] and from_env["PROXY_COUNT"] == 1
    with pytest.raises(SettingError, match="MAPAPP_PROXY_COUNT"):
        resolve(environ={"MAPAPP_PROXY_COUNT": "yes"})


def test_forwarded_headers_are_trusted_only_with_proxy_count(data_dir) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost", "X-Forwarded-For": "203.0.113.9"}
    direct = create_app({"DATA_DIR": str(data_dir)}).test_client().get("/", headers=forwarded)
    link = soup(direct).select_one('link[type="application/json+oembed"]')["href"]
    assert link.startswith("http://localhost/oembed?"), "X-Forwarded-* ignored without PROXY_COUNT"
    behind = create_app({"DATA_DIR": str(data_dir), "PROXY_COUNT": 1}).test_client()
    link = soup(behind.get("/", headers=forwarded)).select_one('link[type="application/json+oembed"]')["href"]
    assert link.startswith("https://localhost/oembed?url=https%3A%2F%2Flocalhost%2F")
    assert behind.get("/", headers={**forwarded, "X-Forwarded-Host": "evil.example"}).status_code == 400


def test_a_redirect_does_not_carry_the_host(client) -> None:
    response = client.get("/api//sites.geojson")
    assert response.status_code == 308 and response.headers["Location"] == "/api/sites.geojson"
    assert client.get("/print?date=1999-01-01").headers["Location"].startswith("/print?")


@pytest.mark.parametrize("path", ["asset:favicon.svg", "asset:js/dom.js", "/static/js/dom.js", "/data/map.en.x.js",
                                  "/oembed?url=http://localhost/", "/oembed?url=http://evil.example/", "/api/nowhere",
                                  "/healthz", "/api/events.geojson?date=x", "/nowhere", "/"])
def test_nosniff_on_every_response(client, path: str) -> None:
    if path.startswith("asset:"):
        with client.application.test_request_context():
            path = asset_url(path.removeprefix("asset:"))
    assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [*PAGES, "/nowhere"])
def test_pages_send_permissions_and_opener_policies(client, path: str) -> None:
    headers = client.get(path).headers
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path,json_body", [("/", False), ("/sources", False), ("/api/sites.geojson", True),
                                            ("/oembed", True), ("/healthz", False)])
def test_405_names_the_allowed_methods(client, path: str, json_body: bool) -> None:
    response = client.post(path)
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    if json_body:
        assert response.is_json and response.headers["Access-Control-Allow-Origin"] == "*"


def test_api_errors_carry_cors(client) -> None:
    for response in (client.get("/api/nowhere"), client.post("/api/sites.geojson"),
                     client.get("/api/events.geojson?date=x")):
        assert response.headers["Access-Control-Allow-Origin"] == "*" and response.is_json


def test_healthz_reports_the_dataset_without_building_a_page(app, client) -> None:
    from mapapp import __version__
    response = client.get("/healthz")
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert body["status"] == "ok" and body["version"] == __version__
    data = app.extensions["mapapp.dataset"]
    assert body["dataset"]["events"] == len(data.events) and body["dataset"]["sites"] == len(data.sites)
    assert len(app.extensions["mapapp.pages"]) == 0 and "mapapp.maps" not in app.extensions


@pytest.mark.parametrize("query", [b"lang=\xe9", b"date=\xff\xfe&lang=hu", b"url=\xc3\x28"])
@pytest.mark.parametrize("path", ["/nowhere", "/api/nowhere", "/oembed", "/print", "/"])
def test_non_utf8_query_bytes_never_crash_the_error_handler(app, path: str, query: bytes) -> None:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query.decode("latin-1"),
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO()}
    _body, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    assert int(status.split()[0]) < 500, (path, status)
    assert dict(headers)["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path,lang,day", [
    ("/", "en", "22 October 1956"), ("/?date=1956-10-25&lang=hu", "hu", "1956. október 25."),
    ("/embed?date=1956-11-04", "en", "4 November 1956"), ("/print?date=1956-10-25&lang=hu", "hu", "1956. október 25."),
    ("/sources", "en", None), ("/sources?lang=hu", "hu", None),
])
def test_head_has_one_charset_and_a_description_naming_the_day(client, path: str, lang: str, day) -> None:
    page = soup(client.get(path))
    assert len(page.find_all("meta", charset=True)) == 1
    assert page.find("meta", attrs={"http-equiv": re.compile("content-type", re.I)}) is None
    description = page.find("meta", attrs={"name": "description"})["content"]
    title = page.find("meta", property="og:title")["content"]
    assert page.find("meta", property="og:description")["content"] == description
    assert page.find("meta", property="og:locale")["content"] == ("hu_HU" if lang == "hu" else "en_GB")
    assert ("Mini minta" if lang == "hu" else "Mini fixture") in title
    if day:
        assert day in description and day in title
    assert (" a " in description or "forrás" in description) if lang == "hu" else " the " in description


def test_cache_holds_one_page_per_state_and_stays_bounded(data_dir) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "PAGE_CACHE_BYTES": 200_000})
    client = app.test_client()
    for n in range(40):
        assert client.get(f"/?date=1956-10-{22 + n % 9}&zoom={1 + n % 19}").status_code == 200
    cache = app.extensions["mapapp.pages"]
    assert cache.bytes <= 200_000 and 0 < len(cache) < 40
    assert len(app.extensions["mapapp.maps"]) == 1


def test_every_process_sends_the_same_etag_for_the_same_page(data_dir) -> None:
    """Machines behind a load balancer are interchangeable: same dataset and settings, same bytes."""
    config = {"DATA_DIR": str(data_dir), "PUBLIC_URL": "https://map.example.org/"}
    one, two = create_app(config).test_client(), create_app(config).test_client()
    for path in ["/?date=1956-10-25&lang=hu", "/embed?date=1956-11-04&controls=none", "/sources",
                 "/print?date=1956-10-23&mode=cumulative", "/oembed?url=https%3A%2F%2Fmap.example.org%2F"]:
        first, second = one.get(path, headers={"Host": "localhost"}), two.get(path, headers={"Host": "127.0.0.1"})
        assert first.status_code == 200 and first.data == second.data, path
        assert first.headers.get("ETag") == second.headers.get("ETag"), path
