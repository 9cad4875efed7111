"""`mapapp import`: a teacher's CSV becomes a dataset that loads and serves; every bad input is
named by row and column before anything is written (the other formats: tests/test_sheets.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT, read_csv
from nominatim_stub import place

from mapapp import create_app, csvfile
from mapapp.cli import main
from mapapp.geodata import load_dataset

EXAMPLE = PROJECT / "examples" / "pest-1848.csv"
HEADER = "date,end_date,place,title,description,source,lat,lon,category"
GOOD = "1848-03-15,,Pilvax café,Morning meeting,They meet.,https://example.org/pilvax,47.49374,19.05448,politics"


def run_import(runner, csv_path: Path, out: Path, *extra: str):
    return runner.invoke(main, ["import", str(csv_path), "--out", str(out), *extra])


def write(tmp_path: Path, text: str | bytes, name: str = "teacher.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_example_becomes_a_dataset_that_loads_and_serves(tmp_path, runner, nominatim) -> None:
    out = tmp_path / "pest"
    result = run_import(runner, EXAMPLE, out, "--title", "Pest, March 1848",
                        "--nominatim-url", nominatim.url)
    assert result.exit_code == 0, result.output
    assert nominatim.requests == [], "every row has coordinates or shares a place that has them"
    data = load_dataset(out)
    assert (len(data.events), len(data.sites), len(data.sources)) == (10, 7, 6)
    assert data.title.en == "Pest, March 1848"
    first = data.events[0]
    assert first.title.en == first.title.hu == "A plan for the next morning", "one language shown in both"
    city_hall = [e for e in data.events if e.site_id == "pest-city-hall"]
    assert len(city_hall) == 2 and city_hall[1].date_end.isoformat() == "1848-03-19"
    citation = next(s for s in data.sources.values() if not s.url)
    assert citation.title.startswith("István Deák: The Lawful Revolution") and citation.year == 1979
    assert runner.invoke(main, ["check", str(out)]).exit_code == 0
    client = create_app({"DATA_DIR": str(out), "TESTING": True}).test_client()
    assert client.get("/").status_code == 200
    assert len(client.get("/api/events.geojson?date=1848-03-15").get_json()["features"]) == 8


def test_rows_without_coordinates_are_geocoded_once_per_place(tmp_path, runner, nominatim) -> None:
    csv_path = write(tmp_path, "\n".join([
        HEADER,
        "1848-03-15,,Nemzeti Múzeum,Rally,Crowd.,https://example.org/a,,,demonstration",
        "1848-03-16,,nemzeti  múzeum,Again,Crowd again.,https://example.org/a,,,",
        GOOD]) + "\n")
    nominatim.answers["Nemzeti Múzeum"] = [place(47.4911, 19.0611, "Magyar Nemzeti Múzeum", 77)]
    result = run_import(runner, csv_path, tmp_path / "out", "--nominatim-url", nominatim.url,
                        "--user-agent", "teacher (t@example.org)")
    assert result.exit_code == 0, result.output
    assert nominatim.queries() == ["Nemzeti Múzeum"]
    assert nominatim.requests[0].params["bounded"] == "1"
    data = load_dataset(tmp_path / "out")
    assert len(data.sites) == 2 and data.sites["nemzeti-muzeum"].region == "budapest"
    assert data.events[1].category == "politics", "empty category: the documented default"


def test_failed_geocoding_leaves_a_dataset_that_says_what_to_run(tmp_path, runner, nominatim) -> None:
    csv_path = write(tmp_path, f"{HEADER}\n1848-03-15,,Nowhere,T,D.,https://example.org/,,,\n")
    nominatim.answers["Nowhere"] = 500
    result = run_import(runner, csv_path, tmp_path / "out", "--nominatim-url", nominatim.url)
    assert result.exit_code == 1
    assert "sites.csv:2: lat: is empty, and so is lon: not geocoded yet" in result.output
    nominatim.answers["Nowhere"] = [place(47.5, 19.05)]
    again = runner.invoke(main, ["geocode", str(tmp_path / "out"), "--nominatim-url", nominatim.url])
    assert again.exit_code == 0, again.output
    load_dataset(tmp_path / "out")


def test_a_non_empty_out_folder_needs_force(tmp_path, runner) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("old", encoding="utf-8")
    (out / "geocode-cache.json").write_text('{"entries": {}}', encoding="utf-8")
    csv_path = write(tmp_path, f"{HEADER}\n{GOOD}\n")
    refused = run_import(runner, csv_path, out)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv", "geocode-cache.json"]
    assert run_import(runner, csv_path, out, "--force").exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert "claims.csv" not in names and "geocode-cache.json" in names
    assert not [n for n in names if n.endswith(".tmp")]


ROW = "1848-03-15,,Pilvax café,Title,Text.,https://example.org/,{lat},{lon},"


@pytest.mark.parametrize("content,expected", [
    (("\ufeff" + f"{HEADER}\n{GOOD}\n").encode("utf-8"), None),
    (f"{HEADER}\n{GOOD.replace('café', 'kávéház')}\n".encode("cp1252"), None),  # the same letters in cp1250
    (f"{HEADER}\n{GOOD}\n".encode("utf-16"), None),
    (HEADER + "\n" + ROW.format(lat='"47,49"', lon="19.05") + "\n", None),  # a decimal comma, quoted
    (f"{HEADER}\n{GOOD}\n1848-03-15,Pilvax,only four\n",
     "teacher.csv, row 3: has 3 values, the header row 9 (separated by commas)"),
    (f"{HEADER.replace(',source', '')}\n1848-03-15,,P,T,D,1,2,politics\n", "teacher.csv, row 1, column source: is missing"),
    (f"{HEADER},title\n{GOOD},again\n", "teacher.csv, row 1, column J (title): is the same column as D (title)"),
    ("", "teacher.csv: is empty"),
    ("\n\n", "teacher.csv: is empty"),
    (f"{HEADER}\n", "teacher.csv: has no rows"),
    (f"{HEADER}\n{GOOD}\x00\n", "teacher.csv, row 2: contains a NUL byte"),
    (f"{HEADER},notes\n{GOOD},x\n", "teacher.csv, row 1, column J (notes): is not a column this map knows"),
    (f"{HEADER}\n{GOOD.replace('1848-03-15', '1848-02-30')}\n",
     "teacher.csv, row 2, column A (date): '1848-02-30' is not a date that exists"),
    (f"{HEADER}\n{GOOD.replace('1848-03-15', '1848')}\n", "teacher.csv, row 2, column A (date): '1848' is a year only"),
    (f"{HEADER}\n{GOOD.replace('1848-03-15', '15/03/1848')}\n",
     "teacher.csv, row 2, column A (date): '15/03/1848' is written with slashes"),
    (f"{HEADER}\n{GOOD.replace(',,', ',1848-03-14,', 1)}\n",
     "teacher.csv, row 2, column B (end_date): 1848-03-14 is before date 1848-03-15"),
    (f"{HEADER}\n{ROW.format(lat='97.5', lon='19.05')}\n", "teacher.csv, row 2, column G (lat): 97.5 is out of range"),
    (f"{HEADER}\n{ROW.format(lat='47.49', lon='190')}\n", "teacher.csv, row 2, column H (lon): 190 is out of range"),
    (f"{HEADER}\n{ROW.format(lat='NaN', lon='19.05')}\n", "teacher.csv, row 2, column G (lat): 'NaN' is not a finite number"),
    (f"{HEADER}\n{ROW.format(lat='47.49', lon='inf')}\n", "teacher.csv, row 2, column H (lon): 'inf' is not a finite number"),
    (f"{HEADER}\n{ROW.format(lat='47.49', lon='')}\n", "teacher.csv, row 2, column H (lon): is empty"),
    (f"{HEADER}\n{ROW.format(lat='19.05448', lon='47.49374')}\n",
     "teacher.csv, row 2, column G (lat): lat 19.05448 and lon 47.49374 look swapped"),
    (f"{HEADER}\n{ROW.format(lat='48.8566', lon='2.3522')}\n",
     "teacher.csv, row 2, column G (lat): (48.8566, 2.3522) lies outside every region of the dataset"),
    (f"{HEADER}\n{GOOD.replace('https://example.org/pilvax', 'javascript:alert(1)')}\n",
     "teacher.csv, row 2, column F (source): 'javascript:alert(1)' is not a web address"),
    (f"{HEADER}\n{GOOD.replace('https://example.org/pilvax', 'JavaScript: alert(1)')}\n",
     "teacher.csv, row 2, column F (source): 'JavaScript: alert(1)' contains spaces"),
    (HEADER + "\n" + GOOD.replace("https://example.org/pilvax", '"data:text/html,<b>x</b>"') + "\n",
     "teacher.csv, row 2, column F (source): 'data:text/html"),
    (f"{HEADER}\n{GOOD.replace('politics', 'party')}\n",
     "teacher.csv, row 2, column I (category): 'party' is not allowed"),
    (f"{HEADER}\n{GOOD.replace('Morning meeting', '')}\n", "teacher.csv, row 2, column D (title): is empty"),
    (f"{HEADER}\n{GOOD}\n{GOOD.replace('47.49374', '47.5')}\n",
     "teacher.csv, row 3, column G (lat): 'Pilvax café' was placed elsewhere on row 2"),
])
def test_bad_input_is_named_and_nothing_is_written(tmp_path, runner, content, expected) -> None:
    out = tmp_path / "out"
    result = run_import(runner, write(tmp_path, content), out, "--offline")
    if expected is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert "Nothing was written" in result.output and not out.exists()


def test_oversized_file_is_refused(tmp_path, runner) -> None:
    rows = "\n".join([GOOD] * (csvfile.MAX_BYTES // len(GOOD) + 2))
    result = run_import(runner, write(tmp_path, f"{HEADER}\n{rows}\n"), tmp_path / "out")
    assert result.exit_code == 1
    assert "teacher.csv: is 5," in result.output and "bytes, over the limit of 5,242,880" in result.output


def test_every_bad_row_is_reported_not_just_the_first(tmp_path, runner) -> None:
    bad = [GOOD.replace("1848-03-15", "1848-13-01"), GOOD.replace("politics", "x"),
           ROW.format(lat="abc", lon="19")]
    result = run_import(runner, write(tmp_path, "\n".join([HEADER, *bad]) + "\n"), tmp_path / "out")
    for line, column in ((2, "A (date)"), (3, "I (category)"), (4, "G (lat)")):
        assert f"teacher.csv, row {line}, column {column}:" in result.output


def test_formula_text_is_neutralised_and_hostile_text_kept(tmp_path, runner) -> None:
    hostile = "<img src=x onerror=alert(1)> ${alert(1)} `x` \u202eevil"
    csv_path = write(tmp_path, "\n".join([
        HEADER,
        f'1848-03-15,,@Pilvax,"=HYPERLINK(""http://evil.example"")","{hostile}",'
        '"-2+3 Deák: The Lawful Revolution, 1979",47.49374,19.05448,',
    ]) + "\n")
    out = tmp_path / "out"
    result = run_import(runner, csv_path, out, "--offline")
    assert result.exit_code == 0, result.output
    events = read_csv(out / "events.csv")[1]
    assert events[0]["title_en"] == "'=HYPERLINK(\"http://evil.example\")"
    assert events[0]["summary_en"] == hostile, "hostile text is data: kept as it is"
    assert read_csv(out / "sites.csv")[1][0]["name_en"] == "'@Pilvax"
    source = read_csv(out / "sources.csv")[1][0]
    assert source["title"].startswith("'-2+3 Deák") and source["url"] == "" and source["year"] == "1979"
    assert read_csv(out / "sites.csv")[1][0]["lat"] == "47.49374", "numbers are not touched"


def test_regions_none_accepts_places_anywhere(tmp_path, runner) -> None:
    csv_path = write(tmp_path, f"{HEADER}\n{ROW.format(lat='48.8566', lon='2.3522')}\n")
    result = run_import(runner, csv_path, tmp_path / "out", "--regions", "none")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "regions.geojson").exists()
    meta = json.loads((tmp_path / "out" / "dataset.json").read_text(encoding="utf-8"))
    assert meta["center"] == [48.8566, 2.3522]
