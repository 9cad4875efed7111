"""Fast on school Wi-Fi (issue 11): content-hashed assets cached for good, everything compressed
once, the map's data in one cached file per language, no script that blocks the first paint, and
API answers kept as bytes with their ETag."""
from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, data_file_src, page_data, read_data_file, set_cell

from mapapp import compression, create_app
from mapapp.assets import IMMUTABLE, asset_path, asset_url
from mapapp.settings import bundled

HASHED = re.compile(r"\.[0-9a-f]{12}\.(?:js|css|svg|png)$")
SCRIPTS = ("dom", "eventlist", "controls", "details", "urlstate", "dayslider", "share", "lessons", "walk", "make",
           "print")
STYLES = ("app", "lessons", "make", "print", "worksheet")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def page_assets(page: BeautifulSoup) -> list[str]:
    urls = [t["src"] for t in page.find_all("script", src=True)]
    return urls + [t["href"] for t in page.find_all("link", href=True) if t.get("rel") != ["alternate"]]


@pytest.fixture
def lesson_client(data_dir: Path):
    shutil.copy(FIXTURES / "lessons" / "lessons.json", data_dir / "lessons.json")
    return create_app({"DATA_DIR": str(data_dir)}).test_client()


# ---- caching for good ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/embed", "/?lang=hu", "/sources", "/print?date=1956-10-23", "/make", "/walk",
                                  "/print/walk", "/print/lesson/mini-oct23", "/nowhere"])
def test_every_asset_a_page_loads_has_a_hashed_url_cached_for_good(lesson_client, path: str) -> None:
    page = soup(lesson_client.get(path))
    urls = page_assets(page)
    assert urls
    for url in urls:
        assert HASHED.search(url), f"{path}: {url} has no content hash"
        response = lesson_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        assert response.headers["ETag"], url


def test_every_script_and_stylesheet_and_leaflet_and_the_favicon_is_hashed(app) -> None:
    names = [f"js/{n}.js" for n in SCRIPTS] + [f"css/{n}.css" for n in STYLES] + [
        "vendor/leaflet-1.9.4/leaflet.js", "vendor/leaflet-1.9.4/leaflet.css", "favicon.svg",
        "vendor/leaflet-1.9.4/images/layers.png"]
    with app.test_request_context():
        for name in names:
            served = asset_path(name)
            assert served != name and HASHED.search(served), name
            body = (bundled("static") / name).read_bytes()
            if not name.endswith(".css"):
                assert app.test_client().get(asset_url(name)).data == body, name
        with pytest.raises(KeyError, match=r"nope\.js"):
            asset_path("js/nope.js")
    assert not list((bundled("static") / "js").glob("*-1.0.0.js")), "no hand-kept version in a name"


def test_a_changed_file_gets_a_new_url_and_the_old_one_is_gone(data_dir: Path, tmp_path: Path) -> None:
    static = tmp_path / "static"
    shutil.copytree(bundled("static"), static)
    before = create_app({"DATA_DIR": str(data_dir), "STATIC_DIR": str(static)})
    with before.test_request_context():
        old_js, old_css, old_png = (asset_url("js/controls.js"), asset_url("vendor/leaflet-1.9.4/leaflet.css"),
                                    asset_url("vendor/leaflet-1.9.4/images/layers.png"))
    with (static / "js" / "controls.js").open("a") as handle:
        handle.write("\n/* changed */\n")
    (static / "vendor/leaflet-1.9.4/images/layers.png").write_bytes(b"\x89PNG not the same image")
    after = create_app({"DATA_DIR": str(data_dir), "STATIC_DIR": str(static)})
    with after.test_request_context():
        new_js, new_css, new_png = (asset_url("js/controls.js"), asset_url("vendor/leaflet-1.9.4/leaflet.css"),
                                    asset_url("vendor/leaflet-1.9.4/images/layers.png"))
        assert asset_url("js/dayslider.js") in soup(after.test_client().get("/")).decode()
    assert new_js != old_js and new_png != old_png
    assert new_css != old_css, "the stylesheet names the image by its hash, so it changes too"
    client = after.test_client()
    assert client.get(old_js).status_code == 404 and client.get(new_js).data.endswith(b"/* changed */\n")
    assert new_png.rsplit("/", 1)[1] in client.get(new_css).get_data(as_text=True)
    assert new_js in client.get("/").get_data(as_text=True)


def test_stylesheets_name_their_images_by_hash(client) -> None:
    with client.application.test_request_context():
        css = client.get(asset_url("vendor/leaflet-1.9.4/leaflet.css")).get_data(as_text=True)
    refs = [ref for ref in re.findall(r"url\(([^)]+)\)", css) if not ref.startswith(("data:", "#"))]
    assert len(refs) == 3 and all(HASHED.search(ref) for ref in refs), refs
    for ref in refs:
        assert client.get(f"/static/vendor/leaflet-1.9.4/{ref}").status_code == 200, ref


def test_files_without_a_hash_revalidate_and_unknown_names_are_404(client) -> None:
    licence = client.get("/static/vendor/leaflet-1.9.4/LICENSE")
    assert licence.status_code == 200 and licence.headers["Cache-Control"] == "no-cache"
    for path in ("/static/js/dayslider.js", "/static/js/dayslider-1.0.0.js", "/static/../mapapp/settings.py",
                 "/static/.mapapp-export.json"):
        assert client.get(path).status_code == 404, path


# ---- compression, once -----------------------------------------------------------------------------

@pytest.mark.parametrize("accept, encoding", [
    ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None), ("", None)])
def test_pages_api_and_assets_are_sent_in_the_best_accepted_encoding(client, accept: str, encoding: str | None) -> None:
    with client.application.test_request_context():
        js = asset_url("js/dayslider.js")
    data = data_file_src(client.get("/").data)
    for path in ("/", "/sources", "/api/events.geojson?date=1956-10-23", "/api/sites.geojson", js, data):
        plain = client.get(path).data
        response = client.get(path, headers={"Accept-Encoding": accept})
        assert response.headers.get("Content-Encoding") == encoding, path
        assert "Accept-Encoding" in response.headers["Vary"], path
        body = response.data
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        assert body == plain, path
        etag = response.headers["ETag"].strip('"')
        assert etag.endswith(f"-{encoding}") if encoding else "-" not in etag, "one ETag per encoding"
        assert client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_compression_happens_once_never_per_request(client, monkeypatch) -> None:
    calls: list[int] = []
    real = brotli.compress
    monkeypatch.setattr(compression.brotli, "compress", lambda body, **kw: calls.append(len(body)) or real(body, **kw))
    monkeypatch.setattr(compression, "_memo", {})
    headers = {"Accept-Encoding": "br"}
    for _ in range(3):
        html = client.get("/?date=1956-10-24").data
        client.get("/api/events.geojson?date=1956-10-24&mode=cumulative", headers=headers)
    assert len(calls) == 3, "the page, its data file and the API answer, once each (the assets at start-up)"
    page = client.application.extensions["mapapp.pages"]
    assert all(set(p.entity.variants) == {"br", "gzip"} for p in page._pages.values()), "kept compressed"
    with client.application.test_request_context():
        for _ in range(3):
            client.get(asset_url("vendor/leaflet-1.9.4/leaflet.js"), headers=headers)
        client.get(data_file_src(html), headers=headers)
    assert len(calls) == 3, "assets are compressed at start-up, the data file when first built"


# ---- the data leaves the HTML ----------------------------------------------------------------------

def test_every_day_mode_and_the_embed_share_one_data_file_per_language(lesson_client) -> None:
    en = {data_file_src(lesson_client.get(p).data) for p in
          ("/", "/embed", "/?date=1956-10-25", "/?date=1956-10-24&mode=cumulative", "/embed?date=1956-10-23&layers=fighting")}
    hu = {data_file_src(lesson_client.get(p).data) for p in ("/?lang=hu", "/embed?lang=hu&date=1956-10-25")}
    assert len(en) == 1 and len(hu) == 1 and en != hu
    url = en.pop()
    response = lesson_client.get(url)
    assert response.headers["Cache-Control"] == IMMUTABLE and response.mimetype == "application/javascript"
    data = read_data_file(response.data)
    events = lesson_client.application.extensions["mapapp.dataset"].events
    assert data["slider"]["lang"] == "en" and [e["id"] for e in data["slider"]["events"]] == [e.id for e in events]
    assert [x["id"] for x in data["lessons"]["lessons"]] == ["mini-oct23", "mini-west"]
    page = lesson_client.get("/?date=1956-10-25")
    assert len(page.data) < 12_000 and b"pageData.slider" in page.data and b"Bem statue" not in page.data, \
        "another day's page is its own small HTML"


def test_a_reloaded_dataset_gets_a_new_data_file_and_old_names_lead_to_it(data_dir: Path) -> None:
    before = create_app({"DATA_DIR": str(data_dir)}).test_client()
    old = data_file_src(before.get("/").data)
    set_cell(data_dir / "events.csv", 2, "title_en", "A changed title")
    after = create_app({"DATA_DIR": str(data_dir)}).test_client()
    new = data_file_src(after.get("/").data)
    assert new != old and "A changed title" in after.get(new).get_data(as_text=True)
    moved = after.get(old)
    assert moved.status_code == 307 and moved.headers["Location"] == new and moved.headers["Cache-Control"] == "no-cache"
    for bad in ("/data/map.fr.0123456789ab.js", "/data/other.js", "/data/map.en.js"):
        assert after.get(bad).status_code == 404, bad


def test_the_export_writes_the_same_data_file_without_server_links(data_dir: Path, tmp_path: Path) -> None:
    from mapapp.export import export_site
    shutil.copy(FIXTURES / "lessons" / "lessons.json", data_dir / "lessons.json")
    app = create_app({"DATA_DIR": str(data_dir)})
    export_site(app, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    data = read_data_file((tmp_path / "site" / data_file_src(html)).read_bytes())
    served = page_data(app.test_client(), app.test_client().get("/").data)
    assert data["slider"] == served["slider"]
    assert served["lessons"]["lessons"][0]["worksheet"] and data["lessons"]["lessons"][0]["worksheet"] is None


# ---- no render-blocking script ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/embed", "/?lang=hu", "/print?date=1956-10-23", "/walk", "/print/walk",
                                  "/print/lesson/mini-oct23", "/make"])
def test_no_script_blocks_the_first_paint(lesson_client, path: str) -> None:
    response = lesson_client.get(path)
    page = soup(response)
    external = page.find_all("script", src=True)
    assert external and all(tag.has_attr("defer") for tag in external), [str(t) for t in external]
    for tag in page.find_all("script", src=False):
        if tag.get("type") == "application/json":
            continue
        code = tag.string.strip()
        assert code.startswith("document.addEventListener('DOMContentLoaded', function () {"), code[:80]
        import base64
        import hashlib
        digest = base64.b64encode(hashlib.sha256(tag.string.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


def test_the_map_scripts_run_in_order_data_after_the_slider(client) -> None:
    page = soup(client.get("/"))
    srcs = [t["src"] for t in page.find_all("script", src=True)]
    order = [next(i for i, s in enumerate(srcs) if part in s) for part in
             ("leaflet.", "/js/dom.", "/js/dayslider.", "/data/map.en.", "/js/share.")]
    assert order == sorted(order), srcs


# ---- the API, cached ------------------------------------------------------------------------------

def test_api_answers_are_built_once_per_state_and_revalidate(client, app) -> None:
    pages = app.extensions["mapapp.pages"]
    first = client.get("/api/events.geojson?date=1956-10-23&mode=cumulative&lang=hu")
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["X-Accel-Expires"] == "5"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    count = len(pages)
    again = client.get("/api/events.geojson?lang=hu&mode=cumulative&date=1956-10-23")
    assert again.data == first.data and len(pages) == count, "the same bytes, not built again"
    assert client.get("/api/events.geojson?date=1956-10-23&mode=cumulative&lang=hu",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    clamped = client.get("/api/events.geojson?date=1900-01-01").get_json()
    assert clamped["clamped"] is True and client.get("/api/events.geojson?date=1956-10-22").get_json()["clamped"] is False
    for path in ("/api/sites.geojson", "/api/routes.geojson?lang=hu", "/api/events.geojson"):
        response = client.get(path)
        assert response.headers["ETag"] and response.headers["X-Accel-Expires"] == "5", path
    bad = client.get("/api/events.geojson?date=x")
    assert bad.status_code == 400 and "X-Accel-Expires" not in bad.headers, "errors are not for a cache"


def test_no_proxy_cache_header_when_switched_off(data_dir: Path) -> None:
    client = create_app({"DATA_DIR": str(data_dir), "PROXY_CACHE_SECONDS": 0}).test_client()
    for path in ("/", "/api/sites.geojson"):
        response = client.get(path)
        assert "X-Accel-Expires" not in response.headers and response.headers["Cache-Control"] == "no-cache"


def test_the_data_file_carries_every_text_the_slider_scripts_show(client) -> None:
    """payload.SLIDER_STRINGS is the part of the interface texts the page needs; a name a script
    uses (t.NAME) that is not in it would show as `undefined`."""
    used: set[str] = set()
    for name in ("controls", "details", "urlstate", "dayslider", "eventlist", "dom"):
        code = (bundled("static") / "js" / f"{name}.js").read_text()
        used |= set(re.findall(r"\bt\.([A-Za-z_]\w*)", code))
    strings = page_data(client, client.get("/").data)["slider"]["strings"]
    assert used and used <= set(strings), sorted(used - set(strings))
    assert {"kind_press", "kind_scholarship"} <= set(strings)
    assert "wsTeacher" not in strings, "not the worksheet's texts"
