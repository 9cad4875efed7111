"""Robust at the edges: dataset files that are not files, a clock that is wrong, and the CLI reading
its settings the way create_app does."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import set_cell

from mapapp.cli import main
from mapapp.errors import DataError
from mapapp.geodata import load_dataset

MAPAPP = [sys.executable, "-m", "mapapp"]


@pytest.mark.parametrize("name", ["sites.csv", "events.csv", "claims.csv", "routes.geojson", "dataset.json",
                                  "regions.geojson"])
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_dataset_file_that_is_not_a_file_gives_one_clear_message(data_dir: Path, name: str, kind: str) -> None:
    (data_dir / name).unlink()
    if kind == "folder":
        (data_dir / name).mkdir()
        expected = f"{name}: is a folder, not a file"
    else:
        os.mkfifo(data_dir / name)
        expected = f"{name}: is not a regular file (a FIFO, device or socket)"
    result = subprocess.run([*MAPAPP, "check", str(data_dir)], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count(f"  {name}:") == 1


def test_an_unreadable_dataset_file_gives_one_clear_message(data_dir: Path, monkeypatch) -> None:
    real = Path.read_bytes

    def refuse(self):
        if self.name == "events.csv":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(DataError) as caught:
        load_dataset(data_dir)
    assert "events.csv: cannot be read: Permission denied" in caught.value.report()


def test_a_regions_file_that_is_a_folder_is_named_not_blamed_on_the_spreadsheet(tmp_path, runner) -> None:
    (tmp_path / "regions").mkdir()
    csv = Path(__file__).parent.parent / "examples" / "pest-1848.csv"
    result = runner.invoke(main, ["import", str(csv), "--out", str(tmp_path / "out"), "--regions",
                                  str(tmp_path / "regions"), "--offline"])
    assert result.exit_code == 1 and "regions: is not a file" in result.output
    assert "pest-1848.csv" not in result.output.split("problem")[-1], "the CSV is not blamed"
    assert not (tmp_path / "out").exists()


def test_loading_never_compares_dates_with_today(data_dir: Path) -> None:
    """Dates far in the future load: nothing in the dataset is checked against the clock, so a
    school laptop whose clock is wrong still serves the map."""
    set_cell(data_dir / "sources.csv", 2, "year", "2999")
    set_cell(data_dir / "sources.csv", 2, "accessed", "2999-12-31")
    meta = json.loads((data_dir / "dataset.json").read_text(encoding="utf-8"))
    meta.update(first_day="1956-10-22", last_day="3001-01-01")
    (data_dir / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    set_cell(data_dir / "events.csv", 2, "date_end", "3000-12-31")
    data = load_dataset(data_dir)
    assert data.last_day.year == 3001


def test_loading_does_not_ask_the_clock(data_dir: Path, monkeypatch) -> None:
    import datetime as real

    class NoToday(real.date):
        @classmethod
        def today(cls):
            raise AssertionError("the clock was asked")

    for module in ("mapapp.geodata", "mapapp.fields", "mapapp.checks", "mapapp.timeline", "mapapp.records"):
        mod = importlib.import_module(module)
        if getattr(mod, "date", None) is real.date:
            monkeypatch.setattr(mod, "date", NoToday)
    load_dataset(data_dir)


def test_cli_reads_mapapp_settings_like_create_app(runner, data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check"], env={"MAPAPP_DATA_DIR": str(data_dir)})
    assert result.exit_code == 0 and result.output.startswith(f"{data_dir}: OK: 7 sites")
    out = tmp_path / "site"
    exported = runner.invoke(main, ["export", str(out)], env={"MAPAPP_DATA_DIR": str(data_dir)})
    assert exported.exit_code == 0, exported.output
    assert "Mini fixture" in (out / "index.html").read_text(encoding="utf-8")
    bad = runner.invoke(main, ["check"], env={"MAPAPP_DATA_DIR": str(tmp_path / "none")})
    assert bad.exit_code == 1 and "none: is not a folder" in bad.output
    wrong = runner.invoke(main, ["export", str(tmp_path / "x")], env={"MAPAPP_DATA_DIR": str(data_dir),
                                                                      "MAPAPP_PUBLIC_URL": "nowhere"})
    assert wrong.exit_code == 2 and "PUBLIC_URL" in wrong.output


def test_version_and_python_m(tmp_path: Path) -> None:
    from mapapp import __version__
    for command in ([*MAPAPP, "--version"], [str(Path(sys.executable).with_name("mapapp")), "--version"]):
        result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout.strip() == f"mapapp, version {__version__}"


def test_collect_static_writes_hashed_assets_with_compressed_copies_and_stable_times(runner, tmp_path: Path) -> None:
    import gzip

    import brotli

    from mapapp.assets import Assets
    from mapapp.settings import bundled
    out = tmp_path / "static"
    assert runner.invoke(main, ["collect-static", str(out)]).exit_code == 0
    served = Assets(bundled("static"))
    leaflet_js = served.path("vendor/leaflet-1.9.4/leaflet.js")
    assert leaflet_js != "vendor/leaflet-1.9.4/leaflet.js", "a content-hashed name"
    assert (out / "vendor/leaflet-1.9.4/LICENSE").is_file() and (out / served.path("vendor/leaflet-1.9.4/images/marker-icon.png")).is_file()
    original = (bundled("static") / "vendor" / "leaflet-1.9.4" / "leaflet.js").read_bytes()
    assert (out / leaflet_js).read_bytes() == original
    assert gzip.decompress((out / f"{leaflet_js}.gz").read_bytes()) == original
    assert brotli.decompress((out / f"{leaflet_js}.br").read_bytes()) == original
    assert not list(out.rglob("*.png.gz")) and not list(out.rglob("*.png.br")), "images are compressed already"
    assert not (out / "js" / "dayslider.js").exists() and (out / served.path("js/dayslider.js")).is_file()
    first = {p.name: p.stat().st_mtime for p in out.rglob("*") if p.is_file()}
    assert runner.invoke(main, ["collect-static", str(out)]).exit_code == 0
    assert first == {p.name: p.stat().st_mtime for p in out.rglob("*") if p.is_file()}, "same bytes, same times"


def test_serve_on_all_interfaces_says_which_hosts_it_answers(runner, data_dir: Path, monkeypatch) -> None:
    from flask import Flask
    monkeypatch.setattr(Flask, "run", lambda self, **kwargs: None)
    result = runner.invoke(main, ["serve", "--data", str(data_dir), "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "localhost, 127.0.0.1" in result.output and "MAPAPP_PUBLIC_URL" in result.output
    quiet = runner.invoke(main, ["serve", "--data", str(data_dir)])
    assert quiet.exit_code == 0 and "MAPAPP_PUBLIC_URL" not in quiet.output
