"""Fixtures: each test gets its own copy of a small dataset, an app on it, a client and a runner;
a stand-in Nominatim on 127.0.0.1; the browser (Debian chromium) and a watched page."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, PageWatch, chromium_path
from click.testing import CliRunner
from nominatim_stub import NominatimStub

from mapapp import create_app

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def app(data_dir: Path):
    app = create_app({"DATA_DIR": str(data_dir), "TESTING": True})
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def nominatim(monkeypatch):
    """A stand-in Nominatim on 127.0.0.1 (never the real service), stopped after the test."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    stub = NominatimStub()
    yield stub
    stub.stop()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is not installed: run `make test`")
        pytest.skip("playwright is not installed")
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is missing (/usr/bin/chromium): run `make test`")
        pytest.skip("chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def watch(browser):
    w = PageWatch(browser)
    yield w
    w.close()


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Change one cell of a CSV; `line` is the file line (1 = header, 2 = first record)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        header = list(rows[0].keys()) if rows else []
    rows[line - 2][column] = value
    write_csv(path, header, rows)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def data_file_src(html: str | bytes) -> str:
    """The src of a map page's data file (pagedata.py: /data/map.LANG.HASH.js, or data/... in an export)."""
    import re
    text = html.decode("utf-8") if isinstance(html, bytes) else html
    found = re.findall(r'<script defer src="([^"]*data/map\.[a-z]{2}\.[0-9a-f]{12}\.js)"></script>', text)
    assert len(found) == 1, found
    return found[0]


def read_data_file(body: bytes) -> dict:
    """The JSON a data file gives Budapest1956.pageData: the file is that one assignment, of
    JSON.parse('...') with the JSON in a single-quoted JavaScript string (escapes: \\\\, \\', \\u2028/9)."""
    import json
    import re
    text = body.decode("utf-8")
    head = "(window.Budapest1956 = window.Budapest1956 || {}).pageData = JSON.parse('"
    assert text.count("\n") == 2 and text.startswith("/* ") and head in text and text.endswith("');\n"), text[:300]
    literal = text[text.index(head) + len(head):-4]
    assert not re.search(r"(?<!\\)(?:\\\\)*'", literal), "no unescaped quote ends the string early"
    return json.loads(re.sub(r"\\(u2028|u2029|.)", lambda m: {"u2028": "\u2028", "u2029": "\u2029"}.get(
        m.group(1), m.group(1)), literal))


def page_data(client, html: str | bytes) -> dict:
    """The data file a page served by `client` loads, parsed."""
    response = client.get(data_file_src(html))
    assert response.status_code == 200
    return read_data_file(response.data)
