"""Lessons (lessons.json): guided tours of the map, read and checked with the rest of the dataset.

A lesson is an ordered list of stops; each stop names an event (or a site) and asks students a
question about it, in English and Hungarian, with optional notes for the teacher. The file is
optional (a teacher's imported map has none). Every problem is reported like the CSV files',
with the path of the bad field inside the file instead of a line:

    lessons.json: lessons[2].stops[4].event_id: unknown event 'x' (expected an id from events.csv)
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from .csvfile import decode
from .errors import Problems
from .fields import ID_PATTERN, parse_date
from .records import LANGS, Dataset, Lesson, LessonStop, Text

LESSONS_FILE = "lessons.json"
LANG_NAMES = {"en": "English", "hu": "Hungarian"}
LESSON_KEYS = ("id", "title", "intro", "age", "stops")
STOP_KEYS = ("event_id", "site_id", "question", "notes", "zoom", "date")
AGE_RANGE = (6, 99)

Report = Callable[[str, str, str], None]  # (field path, message, expected)


def read_lessons(path: Path, dataset: Dataset, problems: Problems) -> tuple[Lesson, ...]:
    """The lessons of `path` checked against the dataset's events, sites and days; () when the
    file does not exist. Problems are recorded, never raised."""
    if not path.exists():
        return ()
    name = path.name
    text = decode(path, problems, name)
    if text is None:
        return ()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(name, exc.lineno, None, f"is not valid JSON: {exc.msg} (column {exc.colno})",
                     'a JSON object {"lessons": [...]}')
        return ()

    def report(where: str, message: str, expected: str) -> None:
        problems.add(name, None, where, message, expected)

    if not isinstance(doc, dict) or not isinstance(doc.get("lessons"), list):
        report("lessons", "is missing or not a list", '{"lessons": [{"id": ..., "stops": [...]}, ...]}')
        return ()
    _unknown_keys(doc, ("lessons",), "", report)
    lessons: list[Lesson] = []
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(doc["lessons"]):
        where = f"lessons[{index}]"
        lesson = _lesson(raw, where, dataset, report)
        if lesson is None:
            continue
        if lesson.id in first_seen:
            report(f"{where}.id", f"{lesson.id!r} is used again (first in lessons[{first_seen[lesson.id]}])",
                   "a unique id")
            continue
        first_seen[lesson.id] = index
        lessons.append(lesson)
    return tuple(lessons)


def _lesson(raw: Any, where: str, dataset: Dataset, report: Report) -> Lesson | None:
    if not isinstance(raw, dict):
        report(where, "is not an object", '{"id": ..., "title": ..., "intro": ..., "age": ..., "stops": [...]}')
        return None
    _unknown_keys(raw, LESSON_KEYS, where, report)
    ident = _ident(raw.get("id"), f"{where}.id", report)
    title = _text(raw.get("title"), f"{where}.title", "the lesson's title", report)
    intro = _text(raw.get("intro"), f"{where}.intro", "an introduction for students", report)
    ages = _ages(raw.get("age"), f"{where}.age", report)
    stops_raw = raw.get("stops")
    if not isinstance(stops_raw, list) or not stops_raw:
        report(f"{where}.stops", "is missing, empty or not a list",
               "a list of stops, each with an event_id and a question")
        return None
    stops = [_stop(s, f"{where}.stops[{i}]", dataset, report) for i, s in enumerate(stops_raw)]
    if not ident or title is None or intro is None or ages is None or None in stops:
        return None
    return Lesson(id=ident, title=title, intro=intro, ages=ages,
                  stops=tuple(s for s in stops if s is not None))


def _stop(raw: Any, where: str, dataset: Dataset, report: Report) -> LessonStop | None:
    if not isinstance(raw, dict):
        report(where, "is not an object", '{"event_id": ..., "question": {"en": ..., "hu": ...}}')
        return None
    _unknown_keys(raw, STOP_KEYS, where, report)
    ok = True
    event_id, site_id = raw.get("event_id"), raw.get("site_id")
    if (event_id is None) == (site_id is None):
        report(where, "names both an event_id and a site_id" if event_id is not None else "names no event_id",
               "an event_id (or a site_id for a place without an event)")
        ok = False
    event = site = None
    if event_id is not None:
        event_id = _ident(event_id, f"{where}.event_id", report)
        event = next((e for e in dataset.events if e.id == event_id), None)
        if event_id and event is None:
            report(f"{where}.event_id", f"unknown event {event_id!r}", "an id from events.csv")
        ok = ok and event is not None
    if site_id is not None:
        site_id = _ident(site_id, f"{where}.site_id", report)
        site = dataset.sites.get(site_id)
        if site_id and site is None:
            report(f"{where}.site_id", f"unknown site {site_id!r}", "an id from sites.csv")
        ok = ok and site is not None
    question = _text(raw.get("question"), f"{where}.question", "a question for students", report)
    notes = Text("", "") if raw.get("notes") is None else _text(
        raw["notes"], f"{where}.notes", "the teacher's notes (what a good answer mentions)", report)
    zoom = raw.get("zoom")
    if zoom is not None and not (isinstance(zoom, int) and not isinstance(zoom, bool) and 1 <= zoom <= 19):
        report(f"{where}.zoom", f"{json.dumps(zoom)} is not a zoom level", "a whole number from 1 to 19")
        ok = False
    day = _stop_day(raw.get("date"), f"{where}.date", event, dataset, report)
    if raw.get("date") is not None and day is None:
        ok = False
    if not ok or question is None or notes is None:
        return None
    return LessonStop(event_id=event.id if event else "", site_id=site.id if site else "",
                      question=question, notes=notes, zoom=zoom,
                      day=day or (event.date_start if event else None))


def _stop_day(value: Any, where: str, event, dataset: Dataset, report: Report) -> date | None:
    """The day the map shows at a stop: within the event's days, or the dataset's for a site."""
    if value is None:
        return None
    problems: list[str] = []
    day = parse_date(value, problems.append) if isinstance(value, str) else None
    if day is None:
        report(where, problems[0] if problems else f"{json.dumps(value)} is not a date", "a date YYYY-MM-DD")
        return None
    first, last = (event.date_start, event.date_end) if event else (dataset.first_day, dataset.last_day)
    if not first <= day <= last:
        span = "the event's days" if event else "the map's days"
        report(where, f"{day} is outside {span}", f"a date from {first} to {last}")
        return None
    return day


def _ident(value: Any, where: str, report: Report) -> str:
    if not isinstance(value, str) or not value.strip():
        problem = "is empty" if isinstance(value, str) else f"{json.dumps(value)} is not an id"
        report(where, problem, "an id: lower-case letters, digits, '_' or '-'")
        return ""
    if not ID_PATTERN.fullmatch(value):
        report(where, f"{value!r} is not a valid id", "lower-case letters, digits, '_' or '-'")
        return ""
    return value


def _text(value: Any, where: str, what: str, report: Report) -> Text | None:
    """A text in both languages, {"en": ..., "hu": ...}; a missing or empty translation is named."""
    if not isinstance(value, dict):
        report(where, "is missing or not a text in both languages", f'{what}: {{"en": "...", "hu": "..."}}')
        return None
    _unknown_keys(value, LANGS, where, report)
    texts = {}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            missing = "is missing" if text is None else "is empty" if isinstance(text, str) else "is not text"
            report(f"{where}.{lang}", missing, f"{what} in {LANG_NAMES[lang]}")
        else:
            texts[lang] = " ".join(text.split())
    return Text(texts["en"], texts["hu"]) if len(texts) == len(LANGS) else None


def _ages(value: Any, where: str, report: Report) -> tuple[int, int] | None:
    low, high = AGE_RANGE
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value)
            and value[0] <= value[1]):
        return value[0], value[1]
    report(where, f"{json.dumps(value)} is not an age range", f"[from, to] in years, e.g. [12, 18] ({low} to {high})")
    return None


def _unknown_keys(raw: dict[str, Any], allowed: tuple[str, ...], where: str, report: Report) -> None:
    """A misspelt key would silently drop a translation or a question: name it."""
    for key in raw:
        if key not in allowed:
            report(f"{where}.{key}" if where else key, "is not a known field", f"one of {', '.join(allowed)}")
