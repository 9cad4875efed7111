"""The loader: a valid dataset loads; every kind of bad input names file, line and field."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import read_csv, set_cell, write_csv

from mapapp.errors import DataError
from mapapp.geodata import load_dataset


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    return [str(p) for p in info.value.problems]


def test_valid_dataset_loads_typed_records(data_dir: Path) -> None:
    data = load_dataset(data_dir)
    assert len(data.sites) == 7 and len(data.events) == 8 and len(data.sources) == 2
    assert data.first_day == date(1956, 10, 22) and data.last_day == date(1956, 11, 30)
    assert [e.id for e in data.events][:2] == ["e22", "e23a"], "events sorted by date and time"
    radio = next(e for e in data.events if e.id == "e23c")
    assert radio.date_end == date(1956, 10, 24)
    kossuth = next(e for e in data.events if e.id == "e25")
    assert [c.value.en for c in kossuth.claims] == ["about 100", "up to 800"]
    assert 70 < data.routes["west"].length_km < 80


@pytest.mark.parametrize("file,line,column,value,expected", [
    ("events.csv", 3, "date_start", "1956-02-30", "events.csv:3: date_start: '1956-02-30' is not a date that exists"),
    ("events.csv", 3, "date_start", "1956", "events.csv:3: date_start: '1956' is a year only"),
    ("events.csv", 4, "date_end", "1956-10-01", "events.csv:4: date_end: 1956-10-01 is before date_start"),
    ("events.csv", 2, "time", "25:00", "events.csv:2: time: '25:00' is not a time"),
    ("events.csv", 2, "site_id", "nowhere", "events.csv:2: site_id: unknown site 'nowhere'"),
    ("events.csv", 2, "sources", "s1;nosuch", "events.csv:2: sources: unknown source 'nosuch'"),
    ("events.csv", 2, "category", "party", "events.csv:2: category: 'party' is not allowed"),
    ("events.csv", 5, "title_hu", "", "events.csv:5: title_hu: is empty"),
    ("events.csv", 5, "summary_hu", "  ", "events.csv:5: summary_hu: is empty"),
    ("events.csv", 3, "id", "e22", "events.csv:3: id: 'e22' is used again (first on line 2)"),
    ("events.csv", 2, "date_start", "1956-12-24", "events.csv:2: date_start: 1956-12-24 is outside the dataset's range"),
    ("sites.csv", 2, "lat", "97.5", "sites.csv:2: lat: 97.5 is out of range"),
    ("sites.csv", 2, "lat", "47,48137", "sites.csv:2: lat: '47,48137' uses a decimal comma"),
    ("sites.csv", 2, "lon", "nan", "sites.csv:2: lon: 'nan' is not a finite number"),
    ("sites.csv", 3, "lat", "19.03800", "sites.csv:3: region: (19.038, 19.038) lies outside region 'budapest'"),
    ("sites.csv", 2, "region", "vienna", "sites.csv:2: region: (47.48137, 19.05577) lies outside region 'vienna'"),
    ("sites.csv", 3, "id", "bme", "sites.csv:3: id: 'bme' is used again"),
    ("sites.csv", 4, "name_hu", "", "sites.csv:4: name_hu: is empty"),
    ("sources.csv", 2, "url", "javascript:alert(1)", "sources.csv:2: url: 'javascript:alert(1)' is not a web address"),
    ("sources.csv", 2, "accessed", "yesterday", "sources.csv:2: accessed: 'yesterday' is not a date"),
    ("claims.csv", 2, "event_id", "nope", "claims.csv:2: event_id: unknown event 'nope'"),
])
def test_bad_value_names_file_line_and_field(data_dir: Path, file: str, line: int, column: str,
                                             value: str, expected: str) -> None:
    set_cell(data_dir / file, line, column, value)
    assert any(p.startswith(expected) for p in problems_of(data_dir)), problems_of(data_dir)


def test_swapped_coordinates_are_named_as_swapped(data_dir: Path) -> None:
    set_cell(data_dir / "sites.csv", 3, "lat", "19.03800")
    set_cell(data_dir / "sites.csv", 3, "lon", "47.51470")
    assert "sites.csv:3: lat: lat 19.038 and lon 47.5147 look swapped" in " ".join(problems_of(data_dir))


def test_missing_column_is_reported_on_the_header_line(data_dir: Path) -> None:
    header, rows = read_csv(data_dir / "events.csv")
    header.remove("summary_hu")
    write_csv(data_dir / "events.csv", header, [{k: r[k] for k in header} for r in rows])
    assert "events.csv:1: summary_hu: column is missing" in problems_of(data_dir)[0]


def test_every_problem_is_reported_not_just_the_first(data_dir: Path) -> None:
    set_cell(data_dir / "events.csv", 2, "date_start", "1956-13-01")
    set_cell(data_dir / "sites.csv", 2, "lat", "x")
    problems = problems_of(data_dir)
    assert any(p.startswith("events.csv:2: date_start") for p in problems)
    assert any(p.startswith("sites.csv:2: lat") for p in problems)


def test_same_coordinates_for_two_sites_are_refused(data_dir: Path) -> None:
    set_cell(data_dir / "sites.csv", 3, "lat", "47.48137")
    set_cell(data_dir / "sites.csv", 3, "lon", "19.05577")
    assert any(p.startswith("sites.csv:3: lat: same coordinates as site 'bme'") for p in problems_of(data_dir))


def test_ragged_row_is_reported(data_dir: Path) -> None:
    path = data_dir / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + "s3,Only three,fields\n", encoding="utf-8")
    assert any(p.startswith("sources.csv:4: has 3 fields") for p in problems_of(data_dir))


def test_non_utf8_file_gets_a_hint(data_dir: Path) -> None:
    path = data_dir / "sites.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace").replace(b"?", b"\xe9"))
    assert any("is not UTF-8" in p and "Save as CSV UTF-8" in p for p in problems_of(data_dir))


@pytest.mark.parametrize("mutate,expected", [
    (lambda doc: "{ not json", "routes.geojson:1: is not valid JSON"),
    (lambda doc: {**doc, "crs": {"type": "name"}}, "routes.geojson:"),
    (lambda doc: _geometry(doc, {"type": "Point", "coordinates": [19, 47]}), "geometry.type: 'Point' is not a LineString"),
    (lambda doc: _geometry(doc, {"type": "LineString", "coordinates": [[17.05, 47.72]]}), "geometry.coordinates: has fewer than two positions"),
    (lambda doc: _geometry(doc, {"type": "LineString", "coordinates": [[17.05, 47.72], [200, 47]]}), "geometry.coordinates[1]: [200, 47] is out of range"),
    (lambda doc: _geometry(doc, {"type": "LineString", "coordinates": [[17.05, 47.72], [2.35, 48.85]]}), "leaves the dataset's regions"),
    (lambda doc: _props(doc, sites=["andau_bridge", "bme"]), "passes"),
])
def test_bad_geojson_is_reported(data_dir: Path, mutate, expected: str) -> None:
    path = data_dir / "routes.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = mutate(doc)
    path.write_text(out if isinstance(out, str) else json.dumps(out, indent=1), encoding="utf-8")
    problems = problems_of(data_dir)
    assert any(expected in p and p.startswith("routes.geojson") for p in problems), problems


def _geometry(doc: dict, geometry: dict) -> dict:
    doc["features"][0]["geometry"] = geometry
    return doc


def _props(doc: dict, **props) -> dict:
    doc["features"][0]["properties"].update(props)
    return doc


@pytest.mark.parametrize("ring,expected", [
    ([[19, 47], [19.1, 47], [19.1, 47.1]], "ring is not closed"),
    ([[19, 47], [19.1, 47.1], [19.1, 47], [19, 47.1], [19, 47]], "polygon is invalid: Self-intersection"),
])
def test_bad_region_polygons_are_reported(data_dir: Path, ring, expected: str) -> None:
    path = data_dir / "regions.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["geometry"]["coordinates"] = [ring]
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    assert any(expected in p and p.startswith("regions.geojson:") for p in problems_of(data_dir))


def test_missing_folder_is_a_data_error(tmp_path: Path) -> None:
    assert "is not a folder" in problems_of(tmp_path / "nope")[0]


@pytest.mark.parametrize("content,expected", [
    (lambda text: b"", "sources.csv: is empty"),
    (lambda text: b"\n \n", "sources.csv: is empty"),
    (lambda text: text.replace(b"Wikipedia", b"Wiki\x00pedia"), "sources.csv:3: contains a NUL byte"),
    (lambda text: text.decode().encode("utf-16"), "sources.csv:1: is UTF-16 text"),
    (lambda text: text.replace(b"accessed", b"title", 1), "sources.csv:1: title: column appears twice"),
    (lambda text: text + b"x" * 5 * 1024 * 1024, "sources.csv: is 5,"),
])
def test_unreadable_csv_is_named(data_dir: Path, content, expected: str) -> None:
    path = data_dir / "sources.csv"
    path.write_bytes(content(path.read_bytes()))
    assert any(p.startswith(expected) for p in problems_of(data_dir)), problems_of(data_dir)


def test_utf8_with_bom_is_accepted(data_dir: Path) -> None:
    for name in ("sites.csv", "events.csv", "sources.csv", "claims.csv"):
        path = data_dir / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_dataset(data_dir).sites) == 7


@pytest.mark.parametrize("value", ["inf", "-Infinity", "NaN"])
def test_infinite_or_nan_coordinates_are_refused(data_dir: Path, value: str) -> None:
    set_cell(data_dir / "sites.csv", 2, "lon", value)
    assert any(p.startswith(f"sites.csv:2: lon: {value!r} is not a finite number") for p in problems_of(data_dir))


def test_a_citation_without_link_is_a_source(data_dir: Path) -> None:
    set_cell(data_dir / "sources.csv", 2, "url", "")
    set_cell(data_dir / "sources.csv", 2, "publisher", "")
    assert load_dataset(data_dir).sources["s1"].url == ""
    set_cell(data_dir / "sources.csv", 3, "publisher", "")
    assert problems_of(data_dir) == ["sources.csv:3: publisher: is empty (expected some text)"]


@pytest.mark.parametrize("mutate,expected", [
    (lambda text: text[:-40], "regions.geojson: is not valid JSON"),
    (lambda text: json.dumps({**json.loads(text), "crs": {"type": "name"}}),
     "regions.geojson:1: crs: a crs member is not allowed"),
    (lambda text: json.dumps(_region_geometry(json.loads(text), {"type": "LineString", "coordinates": [[19, 47], [19.1, 47]]})),
     "geometry.type: 'LineString' is not a Polygon"),
    (lambda text: json.dumps({"type": "Feature"}), "regions.geojson:1: type: is not a FeatureCollection"),
])
def test_bad_regions_file_is_reported(data_dir: Path, mutate, expected: str) -> None:
    path = data_dir / "regions.geojson"
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    problems = problems_of(data_dir)
    assert any(p.startswith("regions.geojson") and expected.split(":", 1)[-1].strip() in p for p in problems), problems


def _region_geometry(doc: dict, geometry: dict) -> dict:
    doc["features"][0]["geometry"] = geometry
    return doc


def add_kinds(data_dir: Path, kinds: dict[str, str]) -> None:
    header, rows = read_csv(data_dir / "sources.csv")
    for row in rows:
        row["kind"] = kinds.get(row["id"], "")
    write_csv(data_dir / "sources.csv", [*header, "kind"], rows)


def test_source_kinds_are_read_and_shown(data_dir: Path) -> None:
    add_kinds(data_dir, {"s1": "scholarship", "s2": "chronology"})
    data = load_dataset(data_dir)
    assert data.sources["s1"].kind == "scholarship" and data.sources["s2"].kind == "chronology"


@pytest.mark.parametrize("kinds,expected", [
    ({"s1": "novel", "s2": "wiki"}, "sources.csv:2: kind: 'novel' is not allowed"),
    ({"s1": "", "s2": "wiki"}, "sources.csv:2: kind: '' is not allowed"),
    ({"s1": "encyclopedia", "s2": "wiki"}, "events.csv:2: sources: none of s1, s2 is a chronology, scholarship"),
])
def test_source_kind_problems(data_dir: Path, kinds: dict[str, str], expected: str) -> None:
    add_kinds(data_dir, kinds)
    assert any(p.startswith(expected) for p in problems_of(data_dir)), problems_of(data_dir)


def test_without_a_kind_column_no_kind_is_required(data_dir: Path) -> None:
    assert all(s.kind == "" for s in load_dataset(data_dir).sources.values())


def test_an_undated_source_has_no_year(data_dir: Path) -> None:
    set_cell(data_dir / "sources.csv", 2, "year", "")
    assert load_dataset(data_dir).sources["s1"].year is None


@pytest.mark.parametrize("year,accessed,expected", [
    ("2027", "2026-11-23", "sources.csv:2: year: '2027' is not a year (expected a year from 1000 to 2026"),
    ("956", "2026-11-23", "sources.csv:2: year: '956' is not a year"),
    ("n.d.", "2026-11-23", "sources.csv:2: year: 'n.d.' is not a year"),
])
def test_a_year_after_the_access_is_refused(data_dir: Path, year: str, accessed: str, expected: str) -> None:
    set_cell(data_dir / "sources.csv", 2, "year", year)
    set_cell(data_dir / "sources.csv", 2, "accessed", accessed)
    assert any(p.startswith(expected) for p in problems_of(data_dir)), problems_of(data_dir)
