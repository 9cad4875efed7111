"""The shipped lessons (geodata/lessons.json): the four the issue asks for, 6-10 stops each, every
question and note in both languages, spelled right, and questions that use the map's evidence."""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from mapapp.geodata import load_dataset
from mapapp.walk import walk_area, walk_sites

PROJECT = Path(__file__).parent.parent
sys.path.insert(0, str(PROJECT / "scripts"))
import spellcheck  # noqa: E402

DATA = load_dataset(PROJECT / "geodata")
LESSONS = {lesson.id: lesson for lesson in DATA.lessons}
EVENTS = {e.id: e for e in DATA.events}
TITLES = {
    "oct23-bme-to-radio": "23 October: from the Technical University to the Radio",
    "bloody-thursday-ceasefire": "Bloody Thursday and the days of the ceasefire (25 October – 3 November)",
    "nov4-last-resistance": "4 November and the last resistance",
    "road-to-andau": "The road to Andau",
}


def test_the_four_lessons_of_the_issue() -> None:
    assert {lid: LESSONS[lid].title.en for lid in TITLES} == TITLES
    assert LESSONS["bloody-thursday-ceasefire"].title.hu == \
        "Véres csütörtök és a tűzszünet napjai (október 25. – november 3.)"
    for lesson in DATA.lessons:
        assert 6 <= len(lesson.stops) <= 10, lesson.id
        assert 12 <= lesson.ages[0] <= lesson.ages[1] <= 18, "written for 12-18-year-olds"
        for stop in lesson.stops:
            assert stop.notes.en and stop.notes.hu, "the teacher's page has an answer for every question"


def every_text() -> list[tuple[str, str]]:
    out = []
    for lesson in DATA.lessons:
        for text in (lesson.title, lesson.intro, *(s.question for s in lesson.stops), *(s.notes for s in lesson.stops)):
            out += [("en", text.en), ("hu", text.hu)]
    return out


def test_ranges_take_an_en_dash_and_quotes_are_typographic() -> None:
    for lang, text in every_text():
        assert not re.search(r"\d-\d", text), text
        assert '"' not in text, text
        if lang == "hu":
            assert "“" not in text.replace("”", ""), f"Hungarian opens quotes with „: {text}"


def test_questions_use_the_maps_evidence() -> None:
    """Across the lessons: claims of two sources to compare, names then and now, routes to measure,
    and questions asking why."""
    compare = names = routes = why = 0
    for lesson in DATA.lessons:
        for stop in lesson.stops:
            event = EVENTS.get(stop.event_id)
            site = DATA.sites.get(stop.site_id or (event.site_id if event else ""))
            if event and len({c.source_id for c in event.claims}) >= 2:
                compare += 1
            if site and site.name_1956 != site.name_today and re.search(r"\b(today|names|name)\b", stop.question.en):
                names += 1
            if event and event.route_id and re.search(r"\b(long|measure)", stop.question.en, re.I):
                routes += 1
            why += bool(re.search(r"\bwhy\b", stop.question.en, re.I))
    assert compare >= 16 and names >= 8 and routes >= 3 and why >= 10, (compare, names, routes, why)


def test_every_lesson_but_the_road_to_andau_walks_in_budapest() -> None:
    area = walk_area(DATA)
    walkable = {lesson.id for lesson in DATA.lessons if walk_sites(DATA, lesson, area)}
    assert walkable == set(TITLES) - {"road-to-andau"}


def test_lesson_texts_are_spelled_right() -> None:
    if not (shutil.which("hunspell") and all(Path(f"/usr/share/hunspell/{d}.dic").exists()
                                             for d in spellcheck.DICTIONARIES.values())):
        if os.environ.get("CI") == "true":
            pytest.fail("hunspell with hunspell-hu and hunspell-en-gb is missing: run `make test`")
        pytest.skip("hunspell dictionaries are not installed")
    texts = list(spellcheck._json_texts(PROJECT / "geodata" / "lessons.json", ("title", "intro", "question", "notes")))
    assert len(texts) == 2 * sum(2 + 2 * len(lesson.stops) for lesson in DATA.lessons)
    assert [str(u) for u in spellcheck.check(texts)] == []
