"""`mapapp export`: the static folder has every file, only relative links, and works from file://
and from a plain static host, with tiles blocked."""
from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import is_tile_request, serve_tiles_locally
from bs4 import BeautifulSoup
from conftest import FIXTURES, data_file_src, read_data_file

from mapapp import create_app
from mapapp.assets import asset_path
from mapapp.cli import main
from mapapp.export import MARKER, export_site

PAGES = ["index.html", "index.hu.html", "embed.html", "embed.hu.html", "sources.html", "sources.hu.html"]
DATA = [f"data/{name}{lang}.geojson" for name in ("sites", "routes", "events") for lang in ("", ".hu")]
ASSETS = ["js/dayslider.js", "css/app.css", "favicon.svg", "vendor/leaflet-1.9.4/leaflet.js",
          "vendor/leaflet-1.9.4/leaflet.css", "vendor/leaflet-1.9.4/images/layers.png"]


def export(runner, out: Path, *args: str):
    return runner.invoke(main, ["export", str(out), *args], catch_exceptions=False)


@pytest.fixture
def exported(runner, data_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    result = export(runner, out, "--data", str(data_dir))
    assert result.exit_code == 0, result.output
    return out


def test_folder_has_pages_data_and_assets(exported: Path, app) -> None:
    with app.test_request_context():
        assets = [f"static/{asset_path(name)}" for name in ASSETS]
        layers = asset_path(ASSETS[5]).removeprefix("vendor/leaflet-1.9.4/")
    assert "static/js/dayslider.js" not in assets, "the server's content-hashed names"
    for name in PAGES + DATA + assets + [MARKER, "static/vendor/leaflet-1.9.4/LICENSE"]:
        assert (exported / name).is_file(), name
    leaflet_css = (exported / assets[4]).read_text()
    assert f"url({layers})" in leaflet_css, "the stylesheet names the image by its hashed name"
    for lang in ("en", "hu"):
        source = data_file_src((exported / f"index{'' if lang == 'en' else '.hu'}.html").read_text())
        assert source.startswith(f"data/map.{lang}.")
        assert read_data_file((exported / source).read_bytes())["slider"]["lang"] == lang
    marker = json.loads((exported / MARKER).read_text())
    listed = {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()}
    assert set(marker["files"]) | {MARKER} == listed, "the marker lists exactly what was written"
    data = app.extensions["mapapp.dataset"]
    events = json.loads((exported / "data/events.geojson").read_text())
    assert len(events["features"]) == len(data.events)
    assert len(json.loads((exported / "data/sites.hu.geojson").read_text())["features"]) == len(data.sites)
    assert json.loads((exported / "data/routes.geojson").read_text())["type"] == "FeatureCollection"


@pytest.mark.parametrize("name", PAGES)
def test_every_link_is_relative_and_every_asset_is_there(exported: Path, name: str) -> None:
    html = (exported / name).read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assets = [t["src"] for t in page.find_all("script", src=True)]
    assets += [t["href"] for t in page.find_all("link", href=True)]
    assert assets
    for url in assets:
        assert not urlsplit(url).scheme and not url.startswith("/"), url
        assert (exported / url).is_file(), url
    for a in page.find_all("a", href=True):
        parts = urlsplit(a["href"])
        if parts.scheme:
            assert parts.scheme == "https" or parts.scheme == "http", a["href"]
        elif parts.path:
            assert not parts.path.startswith("/") and (exported / parts.path).is_file(), a["href"]
    assert "/static/" not in html and "cdn." not in html and "localhost" not in html
    assert page.select_one("#print-link") is None, "no print view in a static copy"


@pytest.mark.parametrize("name", PAGES)
def test_each_page_carries_its_csp_as_a_meta_tag(exported: Path, name: str) -> None:
    """A static host sends no CSP header, so the page brings its own (all but frame-ancestors,
    which a <meta> cannot carry), before any script; its hashes allow exactly the inline scripts."""
    import base64
    import hashlib
    page = BeautifulSoup((exported / name).read_text(encoding="utf-8"), "html.parser")
    metas = page.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1
    policy = metas[0]["content"]
    assert "frame-ancestors" not in policy and "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    head = [tag for tag in page.head.find_all(True)]
    assert head.index(metas[0]) < min((head.index(t) for t in page.head.find_all("script")), default=len(head))
    assert len(page.find_all("meta", charset=True)) == 1
    for script in page.find_all("script"):
        if not script.get("src"):
            digest = base64.b64encode(hashlib.sha256(script.string.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy


def test_pages_link_each_other_in_their_language(exported: Path) -> None:
    page = BeautifulSoup((exported / "index.hu.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "hu"
    hrefs = {a["href"] for a in page.select(".site-nav a")}
    assert hrefs == {"sources.hu.html", "index.html"}
    embed = BeautifulSoup((exported / "embed.html").read_text(encoding="utf-8"), "html.parser")
    assert embed.select_one(".open-full a")["href"] == "index.html"
    sources = BeautifulSoup((exported / "sources.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a["href"].startswith("index.html?date=") for a in sources.find_all("a", href=True))


def test_export_is_byte_identical_when_repeated(runner, exported: Path, data_dir: Path) -> None:
    before = {p: p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    assert export(runner, exported, "--data", str(data_dir)).exit_code == 0, "a previous export is replaced"
    after = {p: p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    assert before == after
    assert sorted(p.name for p in exported.parent.iterdir()) == ["data", "site"], "no temporary folder left"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_never_deletes_a_file_it_did_not_write(runner, data_dir: Path, tmp_path: Path, force) -> None:
    out = tmp_path / "work"
    out.mkdir()
    (out / "essay.txt").write_text("mine")
    result = export(runner, out, "--data", str(data_dir), *force)
    assert result.exit_code == 2 and "is not a previous export: essay.txt" in result.output
    assert [p.name for p in out.iterdir()] == ["essay.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "work"], "nothing half-written"


def test_files_added_to_an_export_are_named_and_kept(runner, exported: Path, data_dir: Path) -> None:
    (exported / "worksheet.pdf").write_bytes(b"%PDF-1.4")
    (exported / "static" / "notes.txt").write_text("plan")
    for force in ([], ["--force"]):
        result = export(runner, exported, "--data", str(data_dir), *force)
        assert result.exit_code == 2
        assert "holds files the export did not write: static/notes.txt, worksheet.pdf" in result.output
    assert (exported / "worksheet.pdf").read_bytes() == b"%PDF-1.4"
    assert (exported / "static" / "notes.txt").read_text() == "plan" and (exported / "index.html").is_file()


def test_changed_files_of_an_export_are_replaced_only_with_force(runner, exported: Path, data_dir: Path) -> None:
    original = (exported / "index.html").read_bytes()
    (exported / "index.html").write_text("edited by hand")
    result = export(runner, exported, "--data", str(data_dir))
    assert result.exit_code == 2 and "changed since: index.html" in result.output and "--force" in result.output
    assert (exported / "index.html").read_text() == "edited by hand"
    assert export(runner, exported, "--data", str(data_dir), "--force").exit_code == 0
    assert (exported / "index.html").read_bytes() == original


def test_a_symlinked_outdir_keeps_its_link(runner, exported: Path, data_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "current"
    link.symlink_to(exported, target_is_directory=True)
    result = export(runner, link, "--data", str(data_dir))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (link / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "data", "site"]


def test_refuses_a_folder_holding_the_data_even_with_force(runner, data_dir: Path) -> None:
    result = export(runner, data_dir.parent, "--data", str(data_dir), "--force")
    assert result.exit_code == 2 and "holds" in result.output
    assert (data_dir / "events.csv").is_file()


def test_base_url_must_be_a_web_address(runner, data_dir: Path, tmp_path: Path) -> None:
    result = export(runner, tmp_path / "x", "--data", str(data_dir), "--base-url", "school.example")
    assert result.exit_code == 2 and "--base-url" in result.output
    assert export(runner, tmp_path / "y", "--data", str(data_dir),
                  "--base-url", "https://school.example/1956").exit_code == 0
    assert json.loads((tmp_path / "y" / MARKER).read_text())["base_url"] == "https://school.example/1956/"


def test_a_failed_build_leaves_the_previous_export(app, exported: Path, monkeypatch) -> None:
    before = (exported / "index.html").read_bytes()
    monkeypatch.setattr("mapapp.export.build_data", lambda app: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        export_site(app, exported)
    assert (exported / "index.html").read_bytes() == before
    assert sorted(p.name for p in exported.parent.iterdir()) == ["data", "site"]


# ---- in a real browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def static_copy(tmp_path_factory) -> tuple[Path, dict]:
    """The mini dataset exported once, and the ids the API gives for each tested day."""
    app = create_app({"DATA_DIR": str(FIXTURES / "mini")})
    out = tmp_path_factory.mktemp("static") / "site"
    export_site(app, out)
    client = app.test_client()
    expected = {day: [f["properties"]["id"] for f in
                      client.get(f"/api/events.geojson?date={day}&mode=day").get_json()["features"]]
                for day in ("1956-10-23", "1956-10-24", "1956-10-25")}
    return out, expected


class Offline:
    """A page with no network at all: tiles are refused, and any other request is recorded."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.route(lambda url: is_tile_request(url), lambda route: route.abort())
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: r.url.startswith(("file:", "data:")) or is_tile_request(r.url)
                     or self.outside.append(r.url))

    def ids(self) -> list[str]:
        return self.page.eval_on_selector_all("#event-list li", "els => els.map(e => e.dataset.eventId)")


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index.html", "embed.html"])
def test_static_copy_works_from_file_url_with_no_network(browser, static_copy, name: str) -> None:
    out, expected = static_copy
    w = Offline(browser)
    try:
        w.page.goto((out / name).as_uri() + "?date=1956-10-23")
        w.page.wait_for_selector(".ds-range")
        assert w.page.text_content(".ds-date") == "23 October 1956"
        assert w.ids() == expected["1956-10-23"]
        assert w.page.locator("#event-list li").count() == len(expected["1956-10-23"])
        w.page.click(".ds-next")
        assert w.ids() == expected["1956-10-24"]
        w.page.focus(".ds-range")
        w.page.keyboard.press("ArrowRight")
        assert w.page.text_content(".ds-date") == "25 October 1956"
        assert w.ids() == expected["1956-10-25"]
        w.page.click("#event-list li[data-event-id='e25'] button")
        details = w.page.locator("#event-details")
        assert details.is_visible() and details.locator("h2").text_content() == "Kossuth tér volley"
        assert "up to 800" in details.text_content(), "the contested figures"
        if name == "index.html":  # no public address to share from a folder: no Share button
            assert w.page.locator("#share-open").count() == 0
        assert w.errors == [] and w.outside == []
    finally:
        w.context.close()


@pytest.mark.browser
def test_hungarian_static_page_from_file_url(browser, static_copy) -> None:
    out, _ = static_copy
    w = Offline(browser)
    try:
        w.page.goto((out / "index.hu.html").as_uri() + "?date=1956-10-23")
        w.page.wait_for_selector(".ds-range")
        assert w.page.text_content(".ds-date") == "1956. október 23."
        w.page.click(".site-nav a[hreflang='en']")
        w.page.wait_for_selector(".ds-range")
        assert urlsplit(w.page.url).path.endswith("/index.html")
        assert w.page.text_content(".ds-date").endswith("October 1956")
        assert w.errors == [] and w.outside == []
    finally:
        w.context.close()


@pytest.mark.browser
def test_static_host_sends_tiles_the_sites_origin_as_referrer(browser, static_copy) -> None:
    """A tile server (OpenStreetMap's policy) wants a Referer; the layer's referrerPolicy sends the
    page's origin, and nothing more, from any static host."""
    out, expected = static_copy
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context()
    referrers: list[str | None] = []
    try:
        page = context.new_page()
        serve_tiles_locally(page)
        page.on("request", lambda r: is_tile_request(r.url) and referrers.append(r.headers.get("referer")))
        page.goto(f"{origin}/index.html?date=1956-10-25")
        page.wait_for_selector(".leaflet-tile-loaded")
        assert page.eval_on_selector_all("#event-list li", "els => els.length") == len(expected["1956-10-25"])
        assert referrers and set(referrers) == {f"{origin}/"}, referrers
    finally:
        context.close()
        server.shutdown()
