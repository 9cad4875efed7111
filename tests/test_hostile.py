"""Hostile strings in every text field are data: the real browser shows them literally, no dialog
opens and no script runs (the payloads would set window.__pwned), on every day and every event."""
from __future__ import annotations

import json
import shutil
from datetime import timedelta
from itertools import cycle
from pathlib import Path

import pytest
from browser_support import LiveServer, PageWatch
from conftest import FIXTURES, page_data, read_csv, set_cell, write_csv

from mapapp import create_app
from mapapp.geodata import load_dataset

pytestmark = pytest.mark.browser

PAYLOADS = (
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "</script><script>window.__pwned=1;alert(1)</script>",
    "${window.__pwned=1}${alert(1)}",
    "`${alert(1)}` `${window.__pwned=1}`",
    "\u202eevil\u202c \u2066rtl\u2069 <b>bold</b>",
    '"><svg onload="window.__pwned=1;alert(1)">',
    "'; window.__pwned=1; alert(1); //",
    "javascript:alert(1)",
    "back\\slash \\' \\u0027 ')); window.__pwned=1; (' \u2028line\u2029sep",  # the data file's JS string
)
TEXT_COLUMNS = {
    "sites.csv": ("name_en", "name_hu", "name_1956", "name_today", "precision_note", "coord_source"),
    "events.csv": ("title_en", "title_hu", "summary_en", "summary_hu"),
    "sources.csv": ("title", "author", "publisher"),
    "claims.csv": ("measure_en", "measure_hu", "value_en", "value_hu", "note_en", "note_hu"),
}
HOSTILE_URL = 'https://example.org/?q="><img/src=x/onerror=window.__pwned=1>&x=</script>'


def make_hostile(folder: Path) -> dict[str, str]:
    """Fill every text field of a copy of the mini dataset with payloads; event id -> title_en."""
    shutil.copytree(FIXTURES / "mini", folder)
    payloads = cycle(PAYLOADS)
    for file, columns in TEXT_COLUMNS.items():
        header, rows = read_csv(folder / file)
        for number, row in enumerate(rows):
            for column in columns:
                if column in ("precision_note",) and not row[column]:
                    continue
                row[column] = f"{next(payloads)} #{file[:2]}{number}{column[-2:]}"
            if file == "sources.csv":
                row["url"] = HOSTILE_URL
        write_csv(folder / file, header, rows)
    for name in ("routes.geojson", "regions.geojson"):
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
        for feature in doc["features"]:
            feature["properties"]["name_en"] = next(payloads)
            feature["properties"]["name_hu"] = next(payloads)
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    meta = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    meta["title"] = {"en": PAYLOADS[1], "hu": PAYLOADS[0]}
    (folder / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    return {e.id: e.title.en for e in load_dataset(folder).events}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "data"
    titles = make_hostile(folder)
    server = LiveServer(create_app({"DATA_DIR": str(folder)}))
    yield server, titles, load_dataset(folder)
    server.stop()


def assert_nothing_ran(watch: PageWatch) -> None:
    """No dialog, no sentinel, no element or inline script made from a payload, no CSP error."""
    page = watch.page
    assert watch.dialogs == [], watch.dialogs
    assert page.evaluate("() => window.__pwned") is None, "a payload ran"
    injected = page.evaluate("""() => document.querySelectorAll('img[src="x"], [onerror], [onload]').length
        + [...document.querySelectorAll('b')].filter(b => b.textContent === 'bold').length
        + [...document.querySelectorAll('script')].filter(s => s.textContent.trim().startsWith('window.__pwned'))
            .length""")
    assert injected == 0, "a payload became markup"
    assert watch.errors == [] and watch.outside == [], (watch.errors, watch.outside)


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_every_day_and_every_event_shows_hostile_text_literally(watch, hostile, lang) -> None:
    server, titles, data = hostile
    page = watch.page
    watch.open(f"{server.url}/?date={data.first_day.isoformat()}&lang={lang}")
    day, opened = data.first_day, set()
    while True:
        for event_id in watch.list_ids():
            item = f"#event-list li[data-event-id='{event_id}']"
            event = next(e for e in data.events if e.id == event_id)
            assert event.title.get(lang) in page.text_content(item)
            page.click(f"{item} button")
            heading = page.text_content("#event-details h2")
            assert heading == event.title.get(lang), "the title is shown literally"
            assert event.summary.get(lang) in page.text_content("#event-details")
            hrefs = page.eval_on_selector_all("#event-details a[href]", "els => els.map(a => a.href)")
            assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
            opened.add(event_id)
            page.click("#event-details .details-close")
        assert_nothing_ran(watch)
        if day >= data.last_day:
            break
        page.click(".ds-next")
        day += timedelta(days=1)
    assert opened == set(titles), "every event was opened"


def test_sources_page_and_api_keep_hostile_text_as_text(watch, hostile) -> None:
    server, _titles, data = hostile
    watch.page.goto(f"{server.url}/sources")
    texts = watch.page.eval_on_selector_all(".source-list > li > a", "els => els.map(a => a.textContent)")
    assert sorted(texts) == sorted(s.title for s in data.sources.values())
    assert_nothing_ran(watch)
    doc = server.api("/api/events.geojson")
    assert {f["properties"]["title"] for f in doc["features"]} == {e.title.en for e in data.events}


JINJA = "{{ cycler.__init__.__globals__.os.getpid() }} {{ 7*7 }} {% if 1 %}if{% endif %} {# c #}"


@pytest.mark.parametrize("column", ["title_en", "summary_hu"])
def test_jinja_syntax_in_data_is_not_evaluated(data_dir, column) -> None:
    set_cell(data_dir / "events.csv", 2, column, JINJA)
    client = create_app({"DATA_DIR": str(data_dir), "TESTING": True}).test_client()
    html = client.get("/?lang=" + column[-2:]).get_data(as_text=True)
    data = page_data(client, html)
    assert " 49 " not in html and JINJA in {e["title"] for e in data["slider"]["events"]} | {
        e["summary"] for e in data["slider"]["events"]}, "the text must reach the page as it is"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", " javascript:alert(1)"])
def test_templates_never_link_a_script_url_even_past_the_loader(app, url: str) -> None:
    """Defence in depth: the loader refuses such URLs; if one reached a template anyway (a bug, a new
    entry point), /sources and /print still write it as plain text, never as a live link."""
    import dataclasses

    from bs4 import BeautifulSoup
    data = app.extensions["mapapp.dataset"]
    bad = {sid: dataclasses.replace(s, url=url) for sid, s in data.sources.items()}
    app.extensions["mapapp.dataset"] = dataclasses.replace(data, sources=bad)
    client = app.test_client()
    for path in ("/sources", "/print?date=1956-10-23", "/print?date=1956-10-25&mode=cumulative"):
        page = BeautifulSoup(client.get(path).data, "html.parser")
        hrefs = [a.get("href", "") for a in page.find_all("a")]
        assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
