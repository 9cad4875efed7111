"""lessons.json: loaded with the dataset, optional, and every mistake named by its path in the file."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES

from mapapp.errors import DataError
from mapapp.geodata import load_dataset

LESSONS = FIXTURES / "lessons" / "lessons.json"


def with_lessons(data_dir: Path, change: Callable[[dict], object] | None = None) -> Path:
    doc = json.loads(LESSONS.read_text(encoding="utf-8"))
    if change:
        change(doc)
    (data_dir / "lessons.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return data_dir


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    return [str(p) for p in info.value.problems]


def test_lessons_load_with_the_dataset(data_dir: Path) -> None:
    data = load_dataset(with_lessons(data_dir))
    assert [lesson.id for lesson in data.lessons] == ["mini-oct23", "mini-west"]
    first = data.lessons[0]
    assert first.title.hu == "Mini: október 23." and first.ages == (12, 18) and len(first.stops) == 5
    assert first.stops[0].event_id == "e22" and first.stops[0].zoom == 16
    assert first.stops[0].day == date(1956, 10, 22), "an event stop shows the event's first day"
    assert first.stops[3].day == date(1956, 10, 24), "unless the stop names another day of the event"
    assert first.stops[1].notes.en == "", "notes are optional"
    site_stop = first.stops[4]
    assert site_stop.site_id == "stalin_statue" and site_stop.event_id == "" and site_stop.day == date(1956, 10, 23)


def test_lessons_are_optional(data_dir: Path) -> None:
    assert load_dataset(data_dir).lessons == ()


def set_path(doc: dict, path: str, value: object) -> None:
    """Set (or with value DELETE remove) doc[...] addressed as 'lessons.0.stops.1.question.hu'."""
    *parents, last = path.split(".")
    node: object = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    key = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]  # type: ignore[arg-type]
    else:
        node[key] = value  # type: ignore[index]


DELETE = object()


@pytest.mark.parametrize("path, value, expected", [
    ("lessons.1.stops.0.event_id", "nope",
     "lessons.json: lessons[1].stops[0].event_id: unknown event 'nope' (expected an id from events.csv)"),
    ("lessons.0.stops.4.site_id", "atlantis",
     "lessons.json: lessons[0].stops[4].site_id: unknown site 'atlantis' (expected an id from sites.csv)"),
    ("lessons.0.stops.1.question.hu", DELETE,
     "lessons.json: lessons[0].stops[1].question.hu: is missing (expected a question for students in Hungarian)"),
    ("lessons.0.stops.1.question.en", "   ",
     "lessons.json: lessons[0].stops[1].question.en: is empty (expected a question for students in English)"),
    ("lessons.0.stops.1.question", DELETE,
     "lessons.json: lessons[0].stops[1].question: is missing or not a text in both languages"),
    ("lessons.0.stops.0.notes.hu", "", "lessons.json: lessons[0].stops[0].notes.hu: is empty"),
    ("lessons.0.title.hu", DELETE, "lessons.json: lessons[0].title.hu: is missing (expected the lesson's title in Hungarian)"),
    ("lessons.0.intro", "Follow the students", "lessons.json: lessons[0].intro: is missing or not a text in both languages"),
    ("lessons.0.age", [18, 12], "lessons.json: lessons[0].age: [18, 12] is not an age range"),
    ("lessons.0.age", "12-18", "lessons.json: lessons[0].age: \"12-18\" is not an age range"),
    ("lessons.1.id", "mini-oct23", "lessons.json: lessons[1].id: 'mini-oct23' is used again (first in lessons[0])"),
    ("lessons.1.id", "Mini West", "lessons.json: lessons[1].id: 'Mini West' is not a valid id"),
    ("lessons.0.stops", [], "lessons.json: lessons[0].stops: is missing, empty or not a list"),
    ("lessons.0.stops.0.zoom", 25, "lessons.json: lessons[0].stops[0].zoom: 25 is not a zoom level"),
    ("lessons.0.stops.3.date", "1956-10-27",
     "lessons.json: lessons[0].stops[3].date: 1956-10-27 is outside the event's days (expected a date from 1956-10-23 to 1956-10-24)"),
    ("lessons.0.stops.4.date", "1956-12-24", "lessons.json: lessons[0].stops[4].date: 1956-12-24 is outside the map's days"),
    ("lessons.0.stops.4.date", "1956-02-30", "lessons.json: lessons[0].stops[4].date: '1956-02-30' is not a date that exists"),
    ("lessons.0.stops.0.site_id", "bme", "lessons.json: lessons[0].stops[0]: names both an event_id and a site_id"),
    ("lessons.0.stops.1.event_id", DELETE, "lessons.json: lessons[0].stops[1]: names no event_id"),
    ("lessons.0.stops.1.quesiton", {"en": "x", "hu": "y"},
     "lessons.json: lessons[0].stops[1].quesiton: is not a known field (expected one of event_id, site_id, question, notes, zoom, date)"),
    ("lessons.0.title.de", "Mini", "lessons.json: lessons[0].title.de: is not a known field (expected one of en, hu)"),
    ("lessons.0.stops.2", "e23d", "lessons.json: lessons[0].stops[2]: is not an object"),
    ("lessons", {"id": "x"}, "lessons.json: lessons: is missing or not a list"),
])
def test_a_mistake_is_named_by_its_path(data_dir: Path, path: str, value: object, expected: str) -> None:
    found = problems_of(with_lessons(data_dir, lambda doc: set_path(doc, path, value)))
    assert any(p.startswith(expected) for p in found), found


def test_every_mistake_is_reported_at_once(data_dir: Path) -> None:
    def break_three(doc: dict) -> None:
        doc["lessons"][0]["stops"][0]["event_id"] = "gone"
        doc["lessons"][1]["stops"][1]["question"]["hu"] = ""
        doc["lessons"][1]["title"] = {"en": "Only English"}
    found = problems_of(with_lessons(data_dir, break_three))
    assert [p.split(":")[1].strip() for p in found] == [
        "lessons[0].stops[0].event_id", "lessons[1].title.hu", "lessons[1].stops[1].question.hu"]


def test_unreadable_file_is_named(data_dir: Path) -> None:
    (data_dir / "lessons.json").write_text('{"lessons": [\n  {"id": "x",}\n]}', encoding="utf-8")
    assert problems_of(data_dir) == ["lessons.json:2: is not valid JSON: Expecting property name enclosed in "
                                     "double quotes (column 14) (expected a JSON object {\"lessons\": [...]})"]
    (data_dir / "lessons.json").write_bytes('{"lessons": []}'.encode("utf-16"))
    assert problems_of(data_dir)[0].startswith("lessons.json:1: is UTF-16 text")


def test_cli_check_refuses_a_bad_lesson_and_counts_good_ones(runner, data_dir: Path) -> None:
    from mapapp.cli import main
    ok = runner.invoke(main, ["check", str(with_lessons(data_dir))])
    assert ok.exit_code == 0 and "2 lessons" in ok.output
    with_lessons(data_dir, lambda doc: set_path(doc, "lessons.0.stops.1.question.hu", ""))
    bad = runner.invoke(main, ["check", str(data_dir)])
    assert bad.exit_code == 1 and "lessons[0].stops[1].question.hu: is empty" in bad.output


def test_a_broken_lesson_file_stops_the_app(data_dir: Path) -> None:
    from mapapp import create_app
    with_lessons(data_dir, lambda doc: set_path(doc, "lessons.0.stops.0.event_id", "nope"))
    with pytest.raises(DataError, match="unknown event 'nope'"):
        create_app({"DATA_DIR": str(data_dir)})
