"""The geocoder against a stand-in Nominatim on 127.0.0.1: cache statuses, retries, offline
mode, the one-request-per-second limit, region restriction and a crash in the middle."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import read_csv, set_cell
from nominatim_stub import place

from mapapp.cli import main
from mapapp.errors import DataError
from mapapp.geocode import CACHE_NAME, NominatimClient, geocode_folder, nominatim_endpoint
from mapapp.geodata import load_dataset

PARLIAMENT = "Kossuth Lajos tér 1-3"      # sites.csv line 4, region budapest
RADIO = "Bródy Sándor utca 5-7"           # sites.csv line 6, region budapest
BEM = "Bem József tér"                    # sites.csv line 3, region budapest


def blank(folder: Path, *lines: int) -> None:
    """Empty lat, lon and coord_source of these sites.csv lines: they now need geocoding."""
    for line in lines:
        for column in ("lat", "lon", "coord_source", "precision", "precision_note"):
            set_cell(folder / "sites.csv", line, column, "")


def site(folder: Path, line: int) -> dict[str, str]:
    return read_csv(folder / "sites.csv")[1][line - 2]


def cache(folder: Path) -> dict[str, dict]:
    return json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))["entries"]


def client(stub, timeout: float = 5.0, min_delay: float = 0.0) -> NominatimClient:
    return NominatimClient(stub.url, "mapapp-tests (tests@example.org)", timeout=timeout, min_delay=min_delay)


def test_found_and_not_found_are_cached_with_status_provider_and_time(data_dir, nominatim) -> None:
    blank(data_dir, 4, 6)
    nominatim.answers[PARLIAMENT] = [place(47.50712, 19.04563, "Országház", osm_id=4242)]
    report = geocode_folder(data_dir, client(nominatim))
    assert report.asked == 2 and report.filled == 1
    row = site(data_dir, 4)
    assert (row["lat"], row["lon"], row["region"]) == ("47.50712", "19.04563", "budapest")
    assert row["coord_source"] == "OpenStreetMap way 4242 via Nominatim"
    assert row["precision"] == "approximate" and PARLIAMENT in row["precision_note"]
    entries = cache(data_dir)
    ok, miss = entries[f"{PARLIAMENT} [in budapest]"], entries[f"{RADIO} [in budapest]"]
    assert ok["status"] == "ok" and ok["lat"] == 47.50712 and ok["provider"] == f"nominatim {nominatim.url}"
    assert miss["status"] == "no_match" and miss["lat"] is None and miss["time"].startswith("20")
    assert [str(p) for p in report.problems] == [
        f"sites.csv:6: lat: {RADIO!r}: Nominatim found nothing (expected a place name OpenStreetMap "
        "knows, or lat and lon filled in by hand)"]
    assert nominatim.requests[0].user_agent == "mapapp-tests (tests@example.org)"
    second = geocode_folder(data_dir, client(nominatim))
    assert len(nominatim.requests) == 2, "a cached 'no match' is not asked again"
    assert second.asked == 0 and second.from_cache == 1


@pytest.mark.parametrize("answer,message", [
    (500, "500"),
    (503, "503"),
    (("slow", 1.5, []), "GeocoderTimedOut"),
])
def test_errors_are_stored_as_error_and_asked_again_next_run(data_dir, nominatim, answer, message) -> None:
    blank(data_dir, 4)
    before = (data_dir / "sites.csv").read_bytes()
    nominatim.answers[PARLIAMENT] = answer
    report = geocode_folder(data_dir, client(nominatim, timeout=0.5))
    entry = cache(data_dir)[f"{PARLIAMENT} [in budapest]"]
    assert entry["status"] == "error" and message in entry["message"]
    assert len(nominatim.requests) == 1, "no silent retry within the run"
    assert "failed" in str(report.problems[0])
    assert (data_dir / "sites.csv").read_bytes() == before
    nominatim.answers[PARLIAMENT] = [place(47.50712, 19.04563)]
    again = geocode_folder(data_dir, client(nominatim))
    assert again.asked == 1 and again.filled == 1 and not again.problems
    assert len(nominatim.requests) == 2
    assert cache(data_dir)[f"{PARLIAMENT} [in budapest]"]["status"] == "ok"
    load_dataset(data_dir)


def test_429_stops_the_run_and_the_rest_waits_for_the_next(data_dir, nominatim) -> None:
    blank(data_dir, 3, 4, 6)
    nominatim.answers[BEM] = 429
    report = geocode_folder(data_dir, client(nominatim))
    assert nominatim.queries() == [BEM], "nothing more is asked after a 429"
    assert cache(data_dir)[f"{BEM} [in budapest]"]["status"] == "error"
    assert len(report.problems) == 3 and all("429" in str(p) for p in report.problems)
    nominatim.answers.update({BEM: [place(47.5147, 19.038)], PARLIAMENT: [place(47.5071, 19.0456)],
                              RADIO: [place(47.4905, 19.0637)]})
    assert geocode_folder(data_dir, client(nominatim)).filled == 3
    load_dataset(data_dir)


def test_offline_uses_the_cache_only(data_dir, nominatim) -> None:
    blank(data_dir, 4)
    original = (data_dir / "sites.csv").read_bytes()
    nominatim.answers[PARLIAMENT] = [place(47.50712, 19.04563)]
    geocode_folder(data_dir, client(nominatim))
    (data_dir / "sites.csv").write_bytes(original)
    blank(data_dir, 6)
    report = geocode_folder(data_dir, None)
    assert len(nominatim.requests) == 1, "offline sends nothing"
    assert site(data_dir, 4)["lat"] == "47.50712"
    assert [p.line for p in report.problems] == [6] and "not in the cache" in str(report.problems[0])


def test_at_most_one_request_per_second_even_across_runs(data_dir, nominatim) -> None:
    blank(data_dir, 3, 4)
    geocode_folder(data_dir, NominatimClient(nominatim.url, "mapapp-tests", timeout=5))
    blank(data_dir, 6)
    geocode_folder(data_dir, NominatimClient(nominatim.url, "mapapp-tests", timeout=5))
    times = [r.at for r in nominatim.requests]
    assert len(times) == 3
    assert all(later - earlier >= 0.95 for earlier, later in zip(times, times[1:])), times


def test_results_are_bounded_to_the_region_and_checked_with_shapely(data_dir, nominatim) -> None:
    blank(data_dir, 4, 6)
    vienna, inside = place(48.2082, 16.3738, "Wien"), place(47.50712, 19.04563, "Budapest")
    nominatim.answers.update({PARLIAMENT: [vienna, inside], RADIO: [vienna]})
    report = geocode_folder(data_dir, client(nominatim))
    params = nominatim.requests[0].params
    assert params["bounded"] == "1" and params["viewbox"].count(",") == 3
    west, south, east, north = (float(v) for v in params["viewbox"].split(","))
    assert 18.9 < west < east < 19.4 and 47.3 < south < north < 47.7, "Budapest's bounding box"
    assert site(data_dir, 4)["lat"] == "47.50712", "the candidate outside the polygon was skipped"
    assert cache(data_dir)[f"{RADIO} [in budapest]"]["status"] == "no_match"
    assert "none inside the region" in str(report.problems[0])


def test_a_crash_in_the_middle_leaves_every_file_whole(data_dir, nominatim, monkeypatch) -> None:
    blank(data_dir, 3, 4, 6)
    before = (data_dir / "sites.csv").read_bytes()
    nominatim.answers.update({BEM: [place(47.5147, 19.038)], PARLIAMENT: [place(47.5071, 19.0456)],
                              RADIO: [place(47.4905, 19.0637)]})
    geocoder = client(nominatim)
    real_search, calls = geocoder.search, []

    def dying_search(query, bounds):
        calls.append(query)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed")
        return real_search(query, bounds)

    monkeypatch.setattr(geocoder, "search", dying_search)
    with pytest.raises(KeyboardInterrupt):
        geocode_folder(data_dir, geocoder)
    assert (data_dir / "sites.csv").read_bytes() == before, "sites.csv is as it was"
    assert [e["status"] for e in cache(data_dir).values()] == ["ok", "ok"], "answers so far are kept"
    assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]
    report = geocode_folder(data_dir, client(nominatim))
    assert nominatim.queries() == [BEM, PARLIAMENT, RADIO], "only the open query is asked again"
    assert report.filled == 3 and report.from_cache == 2
    load_dataset(data_dir)


def test_without_regions_any_answer_is_taken_unbounded(data_dir, nominatim) -> None:
    (data_dir / "regions.geojson").unlink()
    (data_dir / "routes.geojson").unlink()
    blank(data_dir, 4)
    nominatim.answers[PARLIAMENT] = [place(48.8566, 2.3522, "Paris")]
    assert geocode_folder(data_dir, client(nominatim)).filled == 1
    assert "viewbox" not in nominatim.requests[0].params
    assert site(data_dir, 4)["region"] == "budapest", "the region column is left as it was"
    assert PARLIAMENT in cache(data_dir)


def test_loader_says_a_blank_site_is_not_geocoded_yet(data_dir) -> None:
    blank(data_dir, 4)
    with pytest.raises(DataError) as info:
        load_dataset(data_dir)
    assert [str(p) for p in info.value.problems] == [
        "sites.csv:4: lat: is empty, and so is lon: not geocoded yet "
        "(expected coordinates: run `mapapp geocode DIR`, or fill in lat and lon)"]


def test_cli_takes_url_and_user_agent_from_options_or_environment(data_dir, nominatim, runner) -> None:
    blank(data_dir, 4)
    nominatim.answers[PARLIAMENT] = [place(47.50712, 19.04563)]
    result = runner.invoke(main, ["geocode", str(data_dir)], env={
        "MAPAPP_NOMINATIM_URL": nominatim.url, "MAPAPP_USER_AGENT": "env-agent (env@example.org)"})
    assert result.exit_code == 0, result.output
    assert nominatim.requests[0].user_agent == "env-agent (env@example.org)"
    assert f"[1/1] {PARLIAMENT}: 47.50712, 19.04563" in result.output
    blank(data_dir, 6)
    result = runner.invoke(main, ["geocode", str(data_dir), "--nominatim-url", nominatim.url + "/search",
                                  "--user-agent", "option-agent"])
    assert result.exit_code == 1 and "sites.csv:6: lat:" in result.output
    assert nominatim.requests[1].user_agent == "option-agent"
    assert runner.invoke(main, ["check", str(data_dir)]).exit_code == 1
    offline = runner.invoke(main, ["geocode", str(data_dir), "--offline"])
    assert offline.exit_code == 1 and len(nominatim.requests) == 2


@pytest.mark.parametrize("url,expected", [
    ("https://nominatim.openstreetmap.org", ("nominatim.openstreetmap.org", "https")),
    ("http://127.0.0.1:8080/", ("127.0.0.1:8080", "http")),
    ("https://example.org/geo/search", ("example.org/geo", "https")),
])
def test_nominatim_url_setting_gives_domain_and_scheme(url, expected) -> None:
    assert nominatim_endpoint(url) == expected


@pytest.mark.parametrize("url", ["nominatim.openstreetmap.org", "ftp://example.org", "javascript:alert(1)"])
def test_bad_nominatim_url_is_refused(url) -> None:
    with pytest.raises(ValueError):
        nominatim_endpoint(url)
