"""/make: the upload contract (200 site zip, 200 dataset zip, 422 problems, 413 too large), the
pages in English and Hungarian under our CSP, statelessness, and geocoding only by the site's own
server. The real-browser test is in tests/test_make_browser.py."""
from __future__ import annotations

import base64
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PROJECT, data_file_src
from nominatim_stub import place
from sheetfiles import HEADER, ROW, xlsx, xlsx_parts, zip_of

from mapapp import create_app
from mapapp.assets import asset_path
from mapapp.builder import GEOCODE_CACHE
from mapapp.geodata import load_dataset

SHEETS = PROJECT / "tests" / "fixtures" / "sheets"
TEMPLATE = PROJECT / "examples" / "template.xlsx"


def post(client, data: bytes, name: str = "class.xlsx", url: str = "/make", **fields):
    return client.post(url, data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def unzip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def no_inline_script(page: BeautifulSoup) -> bool:
    return all(s.get("src") for s in page.find_all("script"))


# ---- the contract ----

def test_a_spreadsheet_becomes_the_static_site_as_export_writes_it(client, tmp_path: Path) -> None:
    response = post(client, TEMPLATE.read_bytes(), "template.xlsx", title="Our class map")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == "attachment; filename=our-class-map-site.zip"
    assert response.headers["Cache-Control"] == "no-store"
    files = unzip(response)
    names = {name.removeprefix("our-class-map/") for name in files}
    with client.application.test_request_context():
        leaflet, dayslider = asset_path("vendor/leaflet-1.9.4/leaflet.js"), asset_path("js/dayslider.js")
    assert {"index.html", "index.hu.html", "embed.html", "sources.html", "data/events.geojson",
            f"static/{leaflet}", ".mapapp-export.json"} <= names
    assert all(name.startswith("our-class-map/") for name in files)
    index = files["our-class-map/index.html"].decode()
    data = files["our-class-map/" + data_file_src(index)].decode()
    assert "Our class map" in index and "The marches meet at the Bem statue" in data
    assert f'src="static/{dayslider}"' in index, "relative links: works from file:// and any host"
    assert "/make" not in index, "a static copy has no server to make maps with"


def test_format_dataset_gives_the_folder_mapapp_serve_takes(client, tmp_path: Path) -> None:
    response = post(client, TEMPLATE.read_bytes(), "template.xlsx", format="dataset")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["template/dataset.json", "template/events.csv",
                                              "template/regions.geojson", "template/sites.csv",
                                              "template/sources.csv"]
        archive.extractall(tmp_path)
    data = load_dataset(tmp_path / "template")
    assert len(data.events) == 2 and data.title.en == "template"
    served = create_app({"DATA_DIR": str(tmp_path / "template"), "TESTING": True}).test_client()
    assert served.get("/").status_code == 200


@pytest.mark.parametrize("name", ["events.ods", "excel-hu-ansi.csv", "excel-hu-unicode.txt"])
def test_every_format_uploads(client, name: str) -> None:
    response = post(client, (SHEETS / name).read_bytes(), name, format="dataset")
    assert response.status_code == 200, soup(response).get_text(" ", strip=True)[:500]


def test_problems_are_a_422_page_listing_them_by_row_and_column(client) -> None:
    rows = [HEADER, ROW, ["1956-11-31", None, "Radio", "T", "D", "https://example.org/", 47.49, 19.06, "party"]]
    response = post(client, xlsx(rows), "class.xlsx", format="preview", title="Mine")
    assert response.status_code == 422 and response.mimetype == "text/html"
    page = soup(response)
    assert page.find(id="make-problems-title").get_text() == "class.xlsx"
    cells = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
             for tr in page.select(".make-problem-table tbody tr")]
    assert cells == [
        ["Events", "3", "A date", "'1956-11-31' is not a date that exists",
         "a date such as 1956-10-23 or 1956. 10. 23., or a cell formatted as a date"],
        ["Events", "3", "I category", "'party' is not allowed",
         "one of demonstration, fighting, politics, soviet, workers, refugees, international"],
    ]
    assert page.find("input", {"name": "title"})["value"] == "Mine", "what the teacher typed stays"
    assert no_inline_script(page)


def test_too_large_is_413_with_a_page_explaining_the_limit(app, client) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 2 * 1024 * 1024
    for size in (limit + 1, 3 * limit):
        response = post(client, b"x" * size, "class.csv", url="/make?lang=hu", lang="hu")
        assert response.status_code == 413 and response.mimetype == "text/html"
        assert "legfeljebb 2 MB" in soup(response).find(class_="make-alert").get_text()
    assert post(client, b"date,place\n" + b"x" * (limit - 20), "class.csv").status_code == 422


def test_the_upload_limit_is_a_setting(data_dir: Path) -> None:
    client = create_app({"DATA_DIR": str(data_dir), "MAX_CONTENT_LENGTH": 5000, "TESTING": True}).test_client()
    assert post(client, b"x" * 5001, "class.csv").status_code == 413
    assert soup(client.get("/make")).find(id="make-limits").get_text().startswith("At most 5 KB and 5,000 rows.")


def test_a_zip_bomb_upload_is_refused(client) -> None:
    bomb = zip_of(xlsx_parts(b"<worksheet>" + b" " * (40 * 1024 * 1024) + b"</worksheet>"), level=9)
    assert len(bomb) < 100_000
    response = post(client, bomb, "bomb.xlsx")
    assert response.status_code == 422
    assert "would unpack to 41," in soup(response).select_one(".make-problem-table").get_text()


def test_rows_and_time_limits_are_settings(data_dir: Path) -> None:
    rows = [HEADER] + [[*ROW[:2], f"Place {i}", *ROW[3:]] for i in range(4)]
    app = create_app({"DATA_DIR": str(data_dir), "MAKE_MAX_ROWS": 3, "TESTING": True})
    text = soup(post(app.test_client(), xlsx(rows))).select_one(".make-problem-table").get_text(" ", strip=True)
    assert "is beyond the limit of 3 rows" in text
    app = create_app({"DATA_DIR": str(data_dir), "MAKE_TIME_LIMIT": -1, "TESTING": True})
    response = post(app.test_client(), xlsx([HEADER] + [ROW] * 250))
    assert response.status_code == 422 and "took longer to read than this site allows" in response.get_data(True)


def test_no_file_and_a_bad_format(client) -> None:
    assert client.post("/make", data={"format": "preview"}).status_code == 400
    assert post(client, TEMPLATE.read_bytes(), format="pdf").status_code == 400


# ---- the preview, and the downloads that post the same file again ----

def test_preview_is_the_real_map_with_the_file_carried_back_for_the_downloads(client) -> None:
    data = TEMPLATE.read_bytes()
    response = post(client, data, "template.xlsx", format="preview", lang="hu", anywhere="1")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = soup(response)
    assert page.html["lang"] == "hu" and page.h1.get_text() == "Előnézet: template"
    assert page.select_one(".map-pane .folium-map") and page.find(id="event-list") is not None
    inline = [s for s in page.find_all("script") if not s.get("src")]
    assert len(inline) == 1 and "Budapest1956.daySlider" in inline[0].string
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and re.search(r"script-src 'self' 'sha256-[^']+'; ", csp)
    form = page.select_one("form.make-downloads")
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    assert base64.b64decode(fields["sheet"]) == data
    assert fields["name"] == "template.xlsx" and fields["anywhere"] == "1" and fields["lang"] == "hu"
    assert [b["value"] for b in form.find_all("button")] == ["site", "dataset"]
    again = client.post("/make", data={**fields, "format": "dataset"}, content_type="multipart/form-data")
    assert again.status_code == 200 and again.mimetype == "application/zip"


def test_a_repost_of_a_file_near_the_limit_fits(data_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "MAX_CONTENT_LENGTH": 300_000, "TESTING": True})
    client = app.test_client()
    rows = [HEADER] + [[*ROW[:2], f"Place {i}", "T", "x" * 200, *ROW[5:]] for i in range(900)]
    data = ",".join(HEADER).encode() + b"\n" + b"\n".join(
        ",".join(str(v) if v is not None else "" for v in row).encode() for row in rows[1:])
    assert 200_000 < len(data) <= 300_000
    response = client.post("/make", data={"sheet": base64.b64encode(data).decode(), "name": "big.csv",
                                          "format": "dataset"}, content_type="multipart/form-data")
    assert response.status_code == 200
    too_big = base64.b64encode(data + b"x" * 100_000).decode()
    assert client.post("/make", data={"sheet": too_big, "name": "big.csv"},
                       content_type="multipart/form-data").status_code == 413


# ---- safety ----

def test_text_from_the_file_is_shown_escaped(client) -> None:
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    rows = [HEADER, [*ROW[:3], hostile, *ROW[4:]], ["1956-13-01", *ROW[1:8], hostile]]
    bad = post(client, xlsx(rows, title="<b>Sheet<b>"), "<img src=x onerror=alert(3)>.xlsx", format="preview")
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<img src=x" not in body and "<script>alert" not in body
    assert "&lt;img src=x onerror=alert(3)&gt;.xlsx" in body and "&lt;b&gt;Sheet&lt;b&gt;" in body
    assert "&#39;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#39; is not allowed" in body
    good = post(client, xlsx([HEADER, [*ROW[:3], hostile, *ROW[4:]]]), "class.xlsx", format="preview")
    page = soup(good)
    assert good.status_code == 200 and not page.find("img") and len(page.find_all("script", src=False)) == 1
    assert "\\u003cimg src=x" in page.find("script", src=False).string, "data reaches the page as JSON"


def test_nothing_is_left_on_the_server(client, monkeypatch) -> None:
    made: list[str] = []
    original = tempfile.TemporaryDirectory

    def recording(*args, **kwargs):
        folder = original(*args, **kwargs)
        made.append(folder.name)
        return folder

    monkeypatch.setattr(tempfile, "TemporaryDirectory", recording)
    for fields in ({}, {"format": "dataset"}, {"format": "preview"}):
        assert post(client, TEMPLATE.read_bytes(), **fields).status_code == 200
    assert post(client, xlsx([HEADER, ["bad", *ROW[1:]]])).status_code == 422
    assert len(made) == 4 and not any(Path(name).exists() for name in made)


def test_pages_in_both_languages_work_under_the_csp_with_no_inline_script(client) -> None:
    for lang, title, check in (("en", "Make your own map from a spreadsheet", "Check and preview"),
                               ("hu", "Saját térkép készítése táblázatból", "Ellenőrzés és előnézet")):
        response = client.get(f"/make?lang={lang}")
        page = soup(response)
        assert response.status_code == 200 and page.html["lang"] == lang and page.h1.get_text() == title
        assert no_inline_script(page) and "'sha256-" not in response.headers["Content-Security-Policy"]
        form = page.select_one("form.make-form")
        assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
        assert form.find("input", {"type": "file"})["name"] == "file"
        assert form.find("button")["name"] == "format" and form.find("button").get_text() == check
        assert [a.get_text() for a in page.select(".make-help a")] == ["template.xlsx", "template.ods",
                                                                       "template.csv"]
        hint = form.get_text(" ", strip=True)
        assert ("does not look up place names" if lang == "en" else "nem keres helyneveket") in hint


def test_templates_are_served(client) -> None:
    for kind in ("xlsx", "ods", "csv"):
        response = client.get(f"/make/template.{kind}")
        assert response.status_code == 200
        assert response.data == (PROJECT / "examples" / f"template.{kind}").read_bytes()
        assert response.headers["Content-Disposition"] == f"attachment; filename=template.{kind}"
    assert client.get("/make/template.exe").status_code == 404


def test_the_map_links_to_make_in_its_language(client) -> None:
    for lang, text in (("en", "Make a map"), ("hu", "Saját térkép")):
        link = soup(client.get(f"/?lang={lang}")).find("a", href=f"/make?lang={lang}")
        assert link is not None and link.get_text() == text


# ---- geocoding: never the public Nominatim, the site's own server under the usual rules ----

NO_COORDINATES = [HEADER, ["1956-10-23", None, "Corvin köz", "T", "D", "https://example.org/", None, None, None],
                  ["1956-10-24", None, "Corvin köz", "T2", "D", "https://example.org/", None, None, None]]


def test_without_a_geocoder_places_need_coordinates(client, nominatim) -> None:
    response = post(client, xlsx(NO_COORDINATES))
    assert response.status_code == 422
    text = soup(response).select_one(".make-problem-table").get_text(" ", strip=True)
    assert "'Corvin köz' has no lat and lon in any row" in text
    assert nominatim.requests == []


def test_the_public_nominatim_is_never_asked_for_an_upload(data_dir: Path, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr("mapapp.geocode.NominatimClient.search", lambda self, q, b: asked.append(q) or [])
    app = create_app({"DATA_DIR": str(data_dir), "MAKE_GEOCODER_URL": "https://nominatim.openstreetmap.org/",
                      "TESTING": True})
    assert post(app.test_client(), xlsx(NO_COORDINATES)).status_code == 422
    assert asked == []


def test_the_sites_own_geocoder_fills_places_once_and_remembers(data_dir: Path, nominatim) -> None:
    GEOCODE_CACHE.entries.clear()
    nominatim.answers["Corvin köz"] = [place(47.4861, 19.0714, "Corvin köz", 5)]
    app = create_app({"DATA_DIR": str(data_dir), "MAKE_GEOCODER_URL": nominatim.url, "TESTING": True})
    client = app.test_client()
    assert "looked up by its name on this site's own map server" in soup(client.get("/make")).get_text()
    for _ in range(2):
        response = post(client, xlsx(NO_COORDINATES), format="dataset")
        assert response.status_code == 200
        sites = unzip(response)["class/sites.csv"].decode()
        assert "47.4861,19.0714" in sites
    assert nominatim.queries() == ["Corvin köz"], "one place asked once; the second upload used the cache"
    nominatim.answers["Nowhere"] = []
    rows = [HEADER, ["1956-10-23", None, "Nowhere", "T", "D", "https://example.org/", None, None, None]]
    text = soup(post(client, xlsx(rows))).select_one(".make-problem-table").get_text(" ", strip=True)
    assert "Nowhere" in text and "found nothing" in text
