"""The app outside its checkout. The sdist and the wheel are built here (the wheel from the sdist,
as `python -m build` does), the wheel is installed into a fresh venv in a temporary folder, and
every command runs from yet another folder with no flags and no MAPAPP_* settings; `/` and every
asset it references must answer 200 from the installed copy."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PROJECT

PYTHON = sys.executable


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MAPAPP_", "PYTHON", "VIRTUAL_ENV")) and k != "PIP_REQUIRE_VIRTUALENV"}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def tracked(folder: str) -> set[str]:
    """Files of a top-level folder as the build sees them (git's view when this is a checkout)."""
    if (PROJECT / ".git").exists():
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", folder],
                             cwd=PROJECT, capture_output=True, text=True, check=True).stdout
        return {line for line in out.splitlines() if (PROJECT / line).is_file()}
    return {p.relative_to(PROJECT).as_posix() for p in (PROJECT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([PYTHON, "-m", "build", "--no-isolation", "--outdir", str(out), str(PROJECT)],
                            check=False, capture_output=True, text=True, timeout=300, env=clean_env())
    assert result.returncode == 0, result.stdout + result.stderr
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}


@pytest.fixture(scope="module")
def installed(dist):
    """A fresh venv in a temporary folder outside the checkout, with the wheel (and its
    dependencies, from the package index through pip's cache) installed."""
    root = Path(tempfile.mkdtemp(prefix="mapapp-installed-"))
    try:
        venv = root / "venv"
        subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True, timeout=120, env=clean_env())
        pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(dist["wheel"])],
                             check=False, capture_output=True, text=True, timeout=900, env=clean_env())
        assert pip.returncode == 0, pip.stderr[-3000:]
        elsewhere = root / "elsewhere"
        elsewhere.mkdir()
        yield venv, elsewhere
    finally:
        shutil.rmtree(root, ignore_errors=True)


def wheel_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as wheel:
        return set(wheel.namelist())


def test_the_wheel_carries_the_whole_app_and_its_licences(dist) -> None:
    names = wheel_names(dist["wheel"])
    for folder in ("static", "geodata"):
        expected = {f"mapapp/{name}" for name in tracked(folder)}
        assert expected and expected <= names, sorted(expected - names)
    for name in ("mapapp/templates/map.html", "mapapp/translations/hu/LC_MESSAGES/messages.po",
                 "mapapp/static/vendor/leaflet-1.9.4/leaflet.js", "mapapp/geodata/regions.geojson"):
        assert name in names, name
    licences = {n.split("/licenses/", 1)[1] for n in names if "/licenses/" in n}
    assert licences == {"LICENSE", "geodata/LICENSE.md", "static/vendor/leaflet-1.9.4/LICENSE"}
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        metadata = wheel.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        assert "License-Expression: MIT" in metadata
        assert b"BSD 2-Clause" in wheel.read("mapapp/static/vendor/leaflet-1.9.4/LICENSE")
        assert b"CC BY 4.0" in wheel.read("mapapp/geodata/LICENSE.md")
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "static/", "geodata/"))]


def test_the_sdist_builds_the_wheel_and_runs_the_tests(dist, tmp_path: Path) -> None:
    with tarfile.open(dist["sdist"]) as sdist:
        sdist.extractall(tmp_path, filter="data")
    root = next(tmp_path.iterdir())
    for name in ("tests/conftest.py", "tests/browser_support.py", "tests/nominatim_stub.py", "tests/killer.py",
                 "tests/fixtures/mini/events.csv", "tests/spelling/words-hu.txt", "examples/pest-1848.csv",
                 "scripts/spellcheck.py", "deploy/nginx.conf", "deploy/gunicorn.conf.py", "LICENSE",
                 "static/vendor/leaflet-1.9.4/LICENSE", "geodata/LICENSE.md", "Makefile"):
        assert (root / name).is_file(), name
    assert any((root / "tests" / "vendor").iterdir())
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run([PYTHON, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(wheel_dir),
                            str(root)], check=False, capture_output=True, text=True, timeout=300, env=clean_env())
    assert built.returncode == 0, built.stderr
    assert wheel_names(next(wheel_dir.glob("*.whl"))) == wheel_names(dist["wheel"])
    env = clean_env(PYTHONPATH=str(root))  # the sdist's own mapapp, not this checkout's
    collected = subprocess.run([PYTHON, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=root, check=False, capture_output=True, text=True, timeout=300, env=env)
    assert collected.returncode == 0 and " error" not in collected.stdout.splitlines()[-1], collected.stdout[-2000:]
    tests = subprocess.run([PYTHON, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests/test_geodata.py",
                            "tests/test_routes.py", "tests/test_import.py", "tests/test_shipped_data.py"],
                           cwd=root, check=False, capture_output=True, text=True, timeout=600, env=env)
    assert tests.returncode == 0, tests.stdout[-3000:]
    where = subprocess.run([PYTHON, "-c", "import mapapp; print(mapapp.__file__)"], cwd=root, env=env,
                           check=False, capture_output=True, text=True, timeout=60).stdout.strip()
    assert where == str(root / "mapapp" / "__init__.py")


@pytest.mark.parametrize("source", ["checkout", "git"])
def test_pip_from_the_checkout_or_git_gives_the_same_wheel(dist, tmp_path: Path, source: str) -> None:
    if source == "git" and not (PROJECT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist)")
    target = str(PROJECT) if source == "checkout" else f"git+file://{PROJECT}"
    result = subprocess.run([PYTHON, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                             "--wheel-dir", str(tmp_path), target],
                            check=False, capture_output=True, text=True, timeout=300, env=clean_env())
    assert result.returncode == 0, result.stderr[-3000:]
    names = wheel_names(next(tmp_path.glob("*.whl")))
    if source == "checkout":
        assert names == wheel_names(dist["wheel"])
    else:  # git builds the last commit, which may lack files added since
        for name in ("mapapp/static/vendor/leaflet-1.9.4/leaflet.js", "mapapp/static/js/dayslider.js",
                     "mapapp/geodata/events.csv", "mapapp/geodata/regions.geojson", "mapapp/templates/map.html"):
            assert name in names, name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_installed_wheel_works_from_any_folder_with_no_flags(installed) -> None:
    venv, here = installed
    bin_ = venv / "bin"
    env = clean_env(PATH=f"{bin_}{os.pathsep}{os.environ['PATH']}")

    def mapapp(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(bin_ / "mapapp"), *args], cwd=here, env={**env, **extra},
                              check=False, capture_output=True, text=True, timeout=300)

    site_packages = subprocess.run([str(bin_ / "python"), "-c", "import mapapp; print(mapapp.__file__)"],
                                   cwd=here, env=env, check=False, capture_output=True, text=True).stdout.strip()
    assert site_packages.startswith(str(venv)), site_packages
    version = mapapp("--version")
    assert version.returncode == 0 and version.stdout.startswith("mapapp, version ")
    by_module = subprocess.run([str(bin_ / "python"), "-m", "mapapp", "--version"], cwd=here, env=env,
                               check=False, capture_output=True, text=True, timeout=60)
    assert by_module.returncode == 0 and by_module.stdout == version.stdout
    check = mapapp("check")
    assert check.returncode == 0 and check.stdout.startswith(str(venv)) and " events" in check.stdout, check
    export = mapapp("export", "copy")
    assert export.returncode == 0, export.stderr
    assert (here / "copy" / "index.html").is_file() and (here / "copy/static/vendor/leaflet-1.9.4/LICENSE").is_file()
    assert "CC BY 4.0" in (here / "copy" / "data" / "LICENSE.md").read_text(encoding="utf-8")
    shutil.copy(PROJECT / "examples" / "pest-1848.csv", here / "pest.csv")
    imported = mapapp("import", "pest.csv", "--out", "my-map", "--offline")
    assert imported.returncode == 0, imported.stderr
    assert "region" in (here / "my-map" / "sites.csv").read_text(encoding="utf-8").splitlines()[0], \
        "the shipped regions were used"
    (here / "swapped.csv").write_text("date,place,title,description,source,lat,lon\n"
                                      "1848-03-15,Pilvax,T,D,https://example.org/x,19.05,47.49\n")
    swapped = mapapp("import", "swapped.csv", "--out", "nowhere", "--offline")
    assert swapped.returncode == 1 and "swapped.csv, row 2, column F (lat): lat 19.05 and lon 47.49 look swapped" in swapped.stderr, swapped.stderr
    from_env = mapapp("check", MAPAPP_DATA_DIR=str(here / "my-map"))
    assert from_env.returncode == 0 and from_env.stdout.startswith(str(here / "my-map")), from_env

    port = free_port()
    server = subprocess.Popen([str(bin_ / "mapapp"), "serve", "--port", str(port)], cwd=here, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "mapapp serve did not answer"
                time.sleep(0.3)
        soup = BeautifulSoup(page, "html.parser")
        assets = [t["src"] for t in soup.find_all("script", src=True)]
        assets += [t["href"] for t in soup.find_all("link", href=True) if t.get("rel") != ["alternate"]]
        assert len(assets) >= 9, assets
        for url in assets:
            with urllib.request.urlopen(base + url, timeout=10) as response:
                assert response.status == 200 and response.read(), url
        print(f"installed wheel: / and its {len(assets)} assets answered 200")
    finally:
        server.terminate()
        server.wait(timeout=30)
        assert server.stderr is not None
        server.stderr.close()
