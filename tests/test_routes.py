"""Every route through Flask's test client: good and bad parameters, headers, cached bytes."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import set_cell

from mapapp import create_app
from mapapp.assets import asset_url
from mapapp.errors import DataError


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def test_map_page_has_map_controls_and_list(client) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.select_one(".folium-map") and page.select_one("#event-list")
    assert page.select_one("#day-controls") and page.select_one("#event-details")
    assert page.select_one("header.site-header")


def test_every_asset_is_ours_and_every_inline_script_is_hashed(client) -> None:
    response = client.get("/")
    page = soup(response)
    urls = [tag.get("src") for tag in page.find_all("script") if tag.get("src")]
    urls += [tag.get("href") for tag in page.find_all("link") if tag.get("rel") != ["alternate"]]
    assert urls and all(u.startswith(("/static/", "/data/map.en.")) for u in urls), urls
    with client.application.test_request_context():
        assert asset_url("vendor/leaflet-1.9.4/leaflet.js") in urls
    assert not any(name in response.get_data(as_text=True) for name in ("jquery", "bootstrap", "cdn."))
    for url in urls:
        assert client.get(url).status_code == 200, url
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'self'" in csp
    import base64
    import hashlib
    for tag in page.find_all("script"):
        if not tag.get("src"):
            digest = base64.b64encode(hashlib.sha256(tag.string.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp


def test_page_is_cached_bytes_with_etag_and_304(client, app) -> None:
    first = client.get("/?date=1956-10-23&mode=day")
    second = client.get("/?mode=day&unused=1&date=1956-10-23&zoom=99")
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    assert len(app.extensions["mapapp.pages"]) == 1, "one build for one state, however it is spelled"
    other = client.get("/?date=1956-11-04&mode=cumulative")
    assert other.headers["ETag"] != first.headers["ETag"] and len(app.extensions["mapapp.pages"]) == 2
    assert len(app.extensions["mapapp.maps"]) == 1, "the folium map is rendered once for every state"
    again = client.get("/?date=1956-10-23&mode=day", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_page_build_is_deterministic_across_apps(data_dir) -> None:
    one = create_app({"DATA_DIR": str(data_dir)}).test_client().get("/")
    two = create_app({"DATA_DIR": str(data_dir)}).test_client().get("/")
    assert one.headers["ETag"] == two.headers["ETag"], "same ETag in every worker process"


def test_tile_layer_is_configured_once(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert html.count('"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"') == 1


def test_no_tiles_setting_gives_a_map_without_tiles(data_dir) -> None:
    response = create_app({"DATA_DIR": str(data_dir), "TILES_URL": "none"}).test_client().get("/")
    assert '"tiles": null' in response.get_data(as_text=True)
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]


def test_hungarian_page(client) -> None:
    response = client.get("/?lang=hu")
    page = soup(response)
    assert page.html["lang"] == "hu"
    assert "1956. október 22." in response.get_data(as_text=True) or "1956. okt\\u00f3ber 22." in response.get_data(as_text=True)


def test_unknown_lang_falls_back_to_english(client) -> None:
    assert soup(client.get("/?lang=xx")).html["lang"] == "en"


def test_embed_has_no_chrome_and_may_be_framed(client) -> None:
    response = client.get("/embed?date=1956-10-25")
    page = soup(response)
    assert response.status_code == 200
    assert page.select_one("header.site-header") is None
    assert "is-embed" in page.body["class"]
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert page.select_one(".open-full a")["target"] == "_blank"


def test_sources_page_lists_sources_with_citing_events(client) -> None:
    page = soup(client.get("/sources"))
    items = page.select("li.source")
    assert len(items) == 2
    britannica = page.select_one("#source-s1")
    assert britannica.a["href"].startswith("https://www.britannica.com/")
    assert "Sixteen points" in britannica.get_text()


@pytest.mark.parametrize("lang,undated,kind", [("en", "n.d.", "scholarship"), ("hu", "é. n.", "szakirodalom")])
def test_sources_page_shows_kind_and_undated(data_dir, lang: str, undated: str, kind: str) -> None:
    from test_geodata import add_kinds
    add_kinds(data_dir, {"s1": "scholarship", "s2": "chronology"})
    set_cell(data_dir / "sources.csv", 2, "year", "")
    client = create_app({"DATA_DIR": str(data_dir)}).test_client()
    item = soup(client.get(f"/sources?lang={lang}")).select_one("#source-s1")
    assert undated in item.select_one(".source-by").get_text()
    assert item.select_one(".source-kind").get_text() == kind


def test_unknown_page_is_404_html(client) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("query,expected_ids", [
    ("date=1956-10-22", ["e22"]),
    ("date=1956-10-23&mode=day", ["e23a", "e23d", "e23c", "e23b"]),
    ("date=1956-10-24", ["e23c"]),
    ("date=1956-10-24&mode=cumulative", ["e22", "e23a", "e23d", "e23c", "e23b"]),
    ("date=1956-11-04", ["e11"]),
    ("date=1956-11-21", ["e20"]),
    ("date=1956-09-01", ["e22"]),
])
def test_events_for_a_day_and_mode(client, query: str, expected_ids: list[str]) -> None:
    response = client.get(f"/api/events.geojson?{query}")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    doc = response.get_json(force=True)
    assert [f["properties"]["id"] for f in doc["features"]] == expected_ids


def test_event_feature_properties(client) -> None:
    doc = client.get("/api/events.geojson?date=1956-10-25&lang=hu").get_json(force=True)
    (feature,) = doc["features"]
    props = feature["properties"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [19.0456, 47.5071]}
    assert props["title"] == "Sortűz a Kossuth téren" and props["site_id"] == "parliament"
    assert props["date_start"] == props["date_end"] == "1956-10-25"
    assert [s["id"] for s in props["sources"]] == ["s1", "s2"]
    assert [(c["value"], c["source"]["id"]) for c in props["claims"]] == [("mintegy 100", "s1"), ("akár 800", "s2")]


def test_clamped_date_is_reported(client) -> None:
    doc = client.get("/api/events.geojson?date=1957-01-01").get_json(force=True)
    assert doc["date"] == "1956-11-30" and doc["clamped"] is True


def test_route_event_has_the_route_geometry(client) -> None:
    doc = client.get("/api/events.geojson?date=1956-11-20").get_json(force=True)
    assert doc["features"][0]["geometry"]["type"] == "LineString"


@pytest.mark.parametrize("path,parameter", [
    ("/api/events.geojson?date=1956-02-30", "date"),
    ("/api/events.geojson?date=23-10-1956", "date"),
    ("/api/events.geojson?date=1956", "date"),
    ("/api/events.geojson?date=1956-10-23&mode=week", "mode"),
    ("/api/events.geojson?lang=de", "lang"),
    ("/api/sites.geojson?lang=de", "lang"),
    ("/api/routes.geojson?lang=<script>", "lang"),
])
def test_bad_api_parameter_is_400_naming_it(client, path: str, parameter: str) -> None:
    response = client.get(path)
    assert response.status_code == 400 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["parameter"] == parameter and body["expected"]
    assert body["error"].startswith(f"{parameter}: ")


def test_sites_and_routes_geojson(client) -> None:
    sites = client.get("/api/sites.geojson").get_json(force=True)
    assert len(sites["features"]) == 7
    radio = next(f for f in sites["features"] if f["id"] == "radio_building")
    assert radio["geometry"]["coordinates"] == [19.0629, 47.4922]
    assert radio["properties"]["name_1956"] == "Bródy Sándor utca 5-7"
    routes = client.get("/api/routes.geojson").get_json(force=True)
    assert routes["features"][0]["properties"]["length_km"] == pytest.approx(74.5, abs=0.5)


def test_unknown_api_path_is_json_404(client) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_broken_data_refuses_to_start(data_dir) -> None:
    set_cell(data_dir / "events.csv", 2, "date_start", "1956-02-30")
    with pytest.raises(DataError, match=r"events.csv:2: date_start"):
        create_app({"DATA_DIR": str(data_dir)})


def test_cli_check_ok_and_bad(runner, data_dir) -> None:
    from mapapp.cli import main
    ok = runner.invoke(main, ["check", str(data_dir)])
    assert ok.exit_code == 0 and "8 events" in ok.output
    set_cell(data_dir / "sites.csv", 2, "lat", "97")
    set_cell(data_dir / "events.csv", 3, "date_start", "1956-02-30")
    bad = runner.invoke(main, ["check", str(data_dir)])
    assert bad.exit_code == 1
    assert "sites.csv:2: lat: 97 is out of range" in bad.output
    assert "events.csv:3: date_start: '1956-02-30' is not a date that exists" in bad.output
    assert "Traceback" not in bad.output


def test_cli_serve_refuses_bad_data(runner, data_dir) -> None:
    from mapapp.cli import main
    set_cell(data_dir / "sites.csv", 2, "lat", "97")
    result = runner.invoke(main, ["serve", "--data", str(data_dir), "--port", "0"])
    assert result.exit_code == 1 and "sites.csv:2: lat" in result.output


def test_oembed_discovery_link_on_map_and_embed(client) -> None:
    for path in ("/", "/embed"):
        link = soup(client.get(path)).select_one('link[rel="alternate"][type="application/json+oembed"]')
        assert link["href"] == f"http://localhost/oembed?url=http%3A%2F%2Flocalhost{path.replace('/', '%2F')}&format=json"


def test_oembed_returns_a_rich_iframe_within_the_maxima(client) -> None:
    response = client.get("/oembed", query_string={
        "url": "http://localhost/?date=1956-10-25&lang=hu&controls=slider&evil=1", "maxwidth": 500,
        "maxheight": 400})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["version"] == "1.0" and body["type"] == "rich" and body["provider_name"] == "Budapest 1956"
    assert body["width"] <= 500 and body["height"] <= 400 and body["title"]
    iframe = BeautifulSoup(body["html"], "html.parser").iframe
    assert iframe["src"] == "http://localhost/embed?date=1956-10-25&lang=hu&controls=slider"
    assert iframe["title"] and int(iframe["width"]) == body["width"]


@pytest.mark.parametrize("query,status", [
    ({"url": "https://example.org/"}, 404),
    ({"url": "http://localhost/sources"}, 404),
    ({"url": "javascript:alert(1)"}, 404),
    ({"url": "http://localhost/", "format": "xml"}, 501),
    ({"url": "http://localhost/", "format": "yaml"}, 501),
    ({}, 400),
    ({"url": "http://localhost/", "maxwidth": "wide"}, 400),
])
def test_oembed_refuses_what_is_not_ours(client, query, status: int) -> None:
    assert client.get("/oembed", query_string=query).status_code == status


def test_share_dialog_is_on_the_map_page_only(client) -> None:
    page = soup(client.get("/"))
    dialog = page.select_one("dialog#share-dialog")
    assert dialog["data-embed-url"] == "http://localhost/embed"
    assert len(dialog.select('input[name="layers"]')) == 7
    assert soup(client.get("/embed")).select_one("#share-dialog") is None


def test_error_pages_carry_the_security_headers(client) -> None:
    response = client.get("/nowhere")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_page_cache_is_bounded_in_bytes_least_recently_used_first() -> None:
    from mapapp.pages import PageCache, built
    one = built("x" * 1000).size  # the bytes and their compressed copies
    cache = PageCache(max_bytes=3 * one)
    builds: list[int] = []
    for n in range(10):
        cache.get(("map", n), lambda n=n: builds.append(n) or "x" * 1000)
        cache.get(("map", 0), lambda: builds.append(0) or "x" * 1000)  # kept: used again each time
    assert cache.bytes <= 3 * one and len(cache) == 3
    assert builds.count(0) == 1, "the page in use is never the one dropped"
    cache.get(("huge",), lambda: "y" * 5000)
    assert cache.bytes <= 3 * one and ("huge",) not in cache._pages, "served, but not kept"
