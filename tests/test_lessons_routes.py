"""Every lesson and walk route through the Flask test client: the map's lesson data, the lessons API,
the worksheet, the walking tour (page, print, GeoJSON) and their 400s, and the static export."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, data_file_src, page_data, read_data_file

from mapapp import create_app
from mapapp.assets import asset_path, asset_url
from mapapp.export import export_site
from mapapp.printview import qr_svg

LESSONS = FIXTURES / "lessons" / "lessons.json"


@pytest.fixture
def lesson_dir(data_dir: Path) -> Path:
    shutil.copy(LESSONS, data_dir / "lessons.json")
    return data_dir


@pytest.fixture
def lesson_client(lesson_dir: Path):
    return create_app({"DATA_DIR": str(lesson_dir)}).test_client()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def lesson_data(client, response) -> dict:
    """The lessons of a map page: in the language's data file (pagedata.py)."""
    return page_data(client, response.data)["lessons"]


# ---- the map page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/embed", "/?lang=hu", "/embed?lang=hu"])
def test_map_pages_carry_the_lessons_as_json(lesson_client, path: str) -> None:
    response = lesson_client.get(path)
    page = soup(response)
    data = lesson_data(lesson_client, response)
    hu = "lang=hu" in path
    assert [lesson["id"] for lesson in data["lessons"]] == ["mini-oct23", "mini-west"]
    first = data["lessons"][0]
    assert first["title"] == ("Mini: október 23." if hu else "Mini: 23 October")
    assert first["ages"] == ("12–18 éveseknek" if hu else "Ages 12–18")
    assert data["strings"]["previous"] == ("Előző" if hu else "Previous")
    assert data["strings"]["next"] == ("Következő" if hu else "Next")
    stop = first["stops"][0]
    assert stop["event"] == "e22" and stop["date"] == "1956-10-22" and stop["view"]["zoom"] == 16
    assert stop["view"]["center"] == [47.48137, 19.05577]
    assert first["stops"][3]["date"] == "1956-10-24", "the stop's own day of a two-day event"
    site_stop = first["stops"][4]
    assert site_stop["event"] is None and site_stop["site"] == "stalin_statue"
    assert site_stop["names"] == ("(1956-ban: Sztálin tér; ma: Ötvenhatosok tere)" if hu
                                  else "(in 1956: Sztálin tér; today: Ötvenhatosok tere)")
    route_stop = data["lessons"][1]["stops"][1]
    assert route_stop["event"] == "e20" and set(route_stop["view"]) == {"bounds"}
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    with lesson_client.application.test_request_context():
        assert asset_url("js/lessons.js") in scripts
    assert page.select_one("#lessons") is not None
    embed = path.startswith("/embed")
    assert (page.select_one("#lessons").get("data-links") == "none") == embed, "the embed links nowhere else"
    if not embed:
        assert first["worksheet"] == f"/print/lesson/mini-oct23?lang={'hu' if hu else 'en'}"
        assert first["walk"] == f"/walk?lesson=mini-oct23&lang={'hu' if hu else 'en'}"
        assert page.select_one(".site-nav a[href^='/walk']") is not None
    for url in scripts + [link["href"] for link in page.find_all("link", href=True) if "oembed" not in link["href"]]:
        if url.startswith("/"):
            assert lesson_client.get(url).status_code == 200, url


def test_a_map_without_lessons_has_no_lesson_control(client) -> None:
    page = soup(client.get("/"))
    assert page.select_one("#lessons") is None
    assert not any("/js/lessons." in s["src"] for s in page.find_all("script", src=True))
    assert page_data(client, client.get("/").data)["lessons"] is None


def test_lesson_json_is_not_an_unhashed_script(lesson_client) -> None:
    response = lesson_client.get("/")
    csp = response.headers["Content-Security-Policy"]
    page = soup(response)
    inline = [s for s in page.find_all("script") if not s.get("src")]
    assert [s.get("type") for s in inline] == [None] and "pageData" in inline[0].string
    assert csp.count("sha256-") == 1, "only the map's own script is allowed by hash"


HOSTILE = '</script><script>alert(1)</script> {{ 7*7 }} <img src=x onerror=alert(2)>'


def test_hostile_lesson_text_stays_text(lesson_dir: Path) -> None:
    doc = json.loads(LESSONS.read_text(encoding="utf-8"))
    doc["lessons"][0]["title"]["en"] = HOSTILE
    doc["lessons"][0]["stops"][0]["question"]["en"] = HOSTILE
    doc["lessons"][0]["stops"][0]["notes"]["en"] = HOSTILE
    (lesson_dir / "lessons.json").write_text(json.dumps(doc), encoding="utf-8")
    client = create_app({"DATA_DIR": str(lesson_dir)}).test_client()
    response = client.get("/")
    page = soup(response)
    assert lesson_data(client, response)["lessons"][0]["stops"][0]["question"] == HOSTILE
    assert page.find("img") is None and len(page.find_all("script", src=False)) == 1
    sheet = soup(client.get("/print/lesson/mini-oct23"))
    assert sheet.find("img") is None and HOSTILE in sheet.select_one(".ws-title").text
    assert HOSTILE in sheet.select_one("#stop-1 .ws-question").text
    assert HOSTILE in sheet.select_one("#note-1 .ws-note-answer").text
    assert json.loads(sheet.select_one("#print-data").string)["places"]


# ---- the lessons API ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hu"])
def test_api_lessons(lesson_client, lang: str) -> None:
    response = lesson_client.get(f"/api/lessons.json?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    lessons = response.get_json()["lessons"]
    assert [x["id"] for x in lessons] == ["mini-oct23", "mini-west"]
    stops = lessons[0]["stops"]
    assert [s["event_id"] for s in stops] == ["e22", "e23a", "e23d", "e23c", None]
    assert stops[0]["question"] == ("Mit írtak a diákok?" if lang == "hu" else "What did the students write?")
    assert stops[0]["notes"] == ("Tizenhat pontot." if lang == "hu" else "Sixteen points.")
    assert stops[1]["notes"] is None and stops[4]["site_id"] == "stalin_statue"
    assert [s["number"] for s in stops] == [1, 2, 3, 4, 5] and lessons[0]["age"] == [12, 18]


def test_api_lessons_bad_lang_is_400_naming_it(lesson_client) -> None:
    response = lesson_client.get("/api/lessons.json?lang=fr")
    assert response.status_code == 400 and response.get_json()["parameter"] == "lang"


def test_api_lessons_of_a_map_without_lessons(client) -> None:
    assert client.get("/api/lessons.json").get_json() == {"lessons": []}


# ---- the worksheet --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hu"])
def test_worksheet_has_every_stop_then_the_teachers_page(lesson_client, lang: str) -> None:
    response = lesson_client.get(f"/print/lesson/mini-oct23?lang={lang}")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == lang
    assert page.select_one(".ws-title").text == ("Mini: október 23." if lang == "hu" else "Mini: 23 October")
    assert page.select_one(".ws-intro").text.startswith("Kövesd" if lang == "hu" else "Follow")
    stops = page.select(".ws-stop")
    assert len(stops) == 5
    radio = stops[3]
    assert radio.select_one(".print-meta").text.strip() == (
        "1956. október 23–24., 20:00" if lang == "hu" else "23–24 October 1956, 20:00")
    assert "Bródy Sándor utca 5-7" in radio.select_one(".print-place").text
    assert radio.select_one(".print-summary").text.strip()
    for stop in stops:
        assert stop.select_one(".ws-question").text.strip() and len(stop.select(".ws-lines span")) == 3
    statue = stops[4]
    assert "Ötvenhatosok tere" in statue.select_one(".print-place").text and statue.select_one(".print-summary") is None
    assert "The plinth was removed" in statue.select_one(".ws-precision").text, "why the place is approximate"
    assert radio.select_one(".ws-precision") is None
    teacher = page.select_one(".ws-teacher")
    assert teacher.find_previous("ol", class_="ws-stops") is not None, "the teacher's page comes last"
    notes = [li.select_one(".ws-note-answer").text for li in teacher.select(".ws-note")]
    assert notes[0] == ("Tizenhat pontot." if lang == "hu" else "Sixteen points.")
    assert notes[1] == ("Ehhez a kérdéshez nincs megjegyzés." if lang == "hu" else "No notes for this question.")
    data = json.loads(page.select_one("#print-data").string)
    assert sorted(n for p in data["places"] for n in p["labels"]) == [1, 2, 3, 4, 5]
    online = f"http://localhost/?lesson=mini-oct23&stop=1&lang={lang}"
    assert page.select_one(".print-qr a")["href"] == online
    assert str(page.select_one(".print-qr svg")) == str(BeautifulSoup(qr_svg(online), "html.parser").svg)


def test_worksheet_claims_and_route_length(lesson_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(lesson_dir)})
    page = soup(app.test_client().get("/print/lesson/mini-west"))
    table = page.select_one("#stop-1 .print-claims")
    assert [td.text for td in table.select("tbody td:first-child")] == ["about 100", "up to 800"]
    km = app.extensions["mapapp.dataset"].routes["west"].length_km
    assert 70 < km < 80
    assert page.select_one("#note-2 .ws-note-route").text == f"On the map: Road west, {km:.0f} km as drawn."
    data = json.loads(page.select_one("#print-data").string)
    assert [r["labels"] for r in data["routes"]] == [[2]], "the route stop is drawn with its number"


def test_worksheet_qr_code_uses_public_url(lesson_dir: Path) -> None:
    app = create_app({"DATA_DIR": str(lesson_dir), "PUBLIC_URL": "https://map.example.org/1956/"})
    page = soup(app.test_client().get("/print/lesson/mini-west?lang=hu"))
    assert page.select_one(".print-qr a")["href"] == "https://map.example.org/1956/?lesson=mini-west&stop=1&lang=hu"


def test_worksheet_unknown_lesson_is_404_and_bad_lang_400(lesson_client) -> None:
    missing = lesson_client.get("/print/lesson/nope")
    assert missing.status_code == 404 and "mini-oct23" in soup(missing).select_one("main").text
    bad = lesson_client.get("/print/lesson/mini-oct23?lang=fr")
    assert bad.status_code == 400 and "parameter lang" in soup(bad).select_one("main").text


def test_worksheet_is_cached_with_headers(lesson_client) -> None:
    first = lesson_client.get("/print/lesson/mini-oct23")
    assert "'unsafe-inline'" not in first.headers["Content-Security-Policy"] and first.headers["ETag"]
    again = lesson_client.get("/print/lesson/mini-oct23", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# ---- the walking tour -----------------------------------------------------------------------------

def test_walk_page_lists_the_stops_in_the_planned_order(lesson_client) -> None:
    feature = lesson_client.get("/api/walk.geojson").get_json()
    page = soup(lesson_client.get("/walk"))
    ids = [li["data-site-id"] for li in page.select(".walk-stop")]
    assert ids == feature["properties"]["sites"] and ids[0] == "bme"
    assert "stalin_statue" not in ids, "farther than 2 km from the start by default"
    assert "andau_bridge" not in ids and "vienna" not in ids, "only Budapest"
    assert "as the crow flies" in page.select_one(".walk-crow").text and "4.5 km/h" in page.select_one(".walk-crow").text
    legs = [li.select_one(".walk-leg").text for li in page.select(".walk-stop")]
    assert legs[0].strip() == "Start" and all("as the crow flies" in leg for leg in legs[1:])
    radio = page.select_one(".walk-stop[data-site-id='radio_building']")
    assert [li.text for li in radio.select(".walk-events li")] == ["23–24 October 1956: Siege of the Radio"]
    total = page.select_one(".walk-total").text
    assert f"{feature['properties']['length_km']:.1f} km" in total
    assert f"{feature['properties']['walking_minutes']} minutes" in total


def test_walk_of_a_lesson_from_a_chosen_start(lesson_client) -> None:
    feature = lesson_client.get("/api/walk.geojson?lesson=mini-oct23&start=parliament&lang=hu").get_json()
    props = feature["properties"]
    assert props["sites"][0] == "parliament" and props["lesson"] == "mini-oct23"
    assert sorted(props["sites"]) == ["bem_statue", "bme", "parliament", "radio_building", "stalin_statue"]
    coords = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "LineString" and len(coords) == len(props["sites"])
    assert props["length_km"] == pytest.approx(sum(props["legs_km"]), abs=0.02)
    assert props["names"][0] == "Országház" and props["distances"] == "as the crow flies"
    page = soup(lesson_client.get("/walk?lesson=mini-oct23&start=parliament&lang=hu"))
    assert [li["data-site-id"] for li in page.select(".walk-stop")] == props["sites"]
    assert "légvonalban" in page.select_one(".walk-crow").text
    parliament = page.select_one(".walk-stop[data-site-id='parliament']")
    assert parliament.select_one(".walk-lesson-stops").text.endswith("3")
    assert [li.text for li in parliament.select(".walk-events li")] == ["1956. október 23.: Tömeg az Országháznál"]
    assert parliament.select_one(".walk-more").text.startswith("és még 2 esemény")


def test_print_walk_is_the_same_walk_on_a4(lesson_client) -> None:
    screen = soup(lesson_client.get("/walk?radius=5"))
    paper = soup(lesson_client.get("/print/walk?radius=5"))
    assert [li["data-site-id"] for li in paper.select(".walk-stop")] == \
        [li["data-site-id"] for li in screen.select(".walk-stop")]
    with lesson_client.application.test_request_context():
        assert asset_url("js/print.js") in str(paper.find_all("script", src=True))
    assert paper.select_one(".walk-form") is None
    data = json.loads(paper.select_one("#print-data").string)
    assert [p["labels"] for p in data["places"]] == [[n] for n in range(1, len(data["places"]) + 1)]
    assert len(data["routes"][0]["latlngs"]) == len(data["places"]), "one straight leg between each two stops"


@pytest.mark.parametrize("query, parameter", [
    ("lesson=nope", "lesson"),
    ("lesson=mini-oct23&start=nowhere", "start"),
    ("start=andau_bridge", "start"),
    ("start=vienna", "start"),
    ("radius=far", "radius"),
    ("radius=0", "radius"),
    ("radius=1e9", "radius"),
    ("radius=0.1", "radius"),
    ("lang=fr", "lang"),
])
def test_bad_walk_parameters_are_400_naming_them(lesson_client, query: str, parameter: str) -> None:
    api = lesson_client.get(f"/api/walk.geojson?{query}")
    assert api.status_code == 400 and api.mimetype == "application/json"
    assert api.get_json()["parameter"] == parameter and api.get_json()["error"].startswith(f"{parameter}: ")
    for path in ("/walk", "/print/walk"):
        page = lesson_client.get(f"{path}?{query}")
        assert page.status_code == 400 and page.mimetype == "text/html"
        assert f"parameter {parameter}" in soup(page).select_one("main").text


def test_a_lesson_without_budapest_stops_has_no_walk(lesson_dir: Path) -> None:
    doc = json.loads(LESSONS.read_text(encoding="utf-8"))
    doc["lessons"][1]["stops"] = [doc["lessons"][1]["stops"][2]]  # the Andau bridge only
    (lesson_dir / "lessons.json").write_text(json.dumps(doc), encoding="utf-8")
    client = create_app({"DATA_DIR": str(lesson_dir)}).test_client()
    response = client.get("/api/walk.geojson?lesson=mini-west")
    assert response.status_code == 400 and response.get_json()["parameter"] == "lesson"
    west = lesson_data(client, client.get("/"))["lessons"][1]
    assert west["walk"] is None and west["worksheet"], "no link to a walk that cannot be planned"


# ---- the static export ----------------------------------------------------------------------------

def test_export_carries_the_lessons_in_the_page(lesson_dir: Path, tmp_path: Path) -> None:
    app = create_app({"DATA_DIR": str(lesson_dir)})
    out = tmp_path / "site"
    export_site(app, out)
    for name in ("index.html", "index.hu.html", "embed.html"):
        html = (out / name).read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        data = read_data_file((out / data_file_src(html)).read_bytes())["lessons"]
        assert [x["id"] for x in data["lessons"]] == ["mini-oct23", "mini-west"]
        assert all(x["worksheet"] is None and x["walk"] is None for x in data["lessons"]), "no server, no print"
        with app.test_request_context():
            assert (out / "static" / asset_path("js/lessons.js")).is_file()
            assert (out / "static" / asset_path("css/lessons.css")).is_file()
        assert page.select_one(".site-nav a[href*='walk']") is None
    assert json.loads((out / "data/lessons.hu.json").read_text(encoding="utf-8"))["lessons"][0]["title"] == "Mini: október 23."
