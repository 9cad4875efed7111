"""Typed, immutable records of a loaded dataset."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

CATEGORIES: tuple[str, ...] = (
    "demonstration", "fighting", "politics", "soviet", "workers", "refugees", "international",
)
LANGS: tuple[str, ...] = ("en", "hu")
# What kind of work a source is, so a reader sees who says what (sources.csv `kind`).
SOURCE_KINDS: tuple[str, ...] = (
    "chronology", "scholarship", "archive", "institute", "press", "memoir", "encyclopedia", "wiki", "blog",
)
# An event must rest on at least one of these when the dataset declares kinds.
RELIABLE_KINDS: tuple[str, ...] = ("chronology", "scholarship", "archive", "institute")


@dataclass(frozen=True)
class Text:
    """The same text in English and Hungarian."""

    en: str
    hu: str

    def get(self, lang: str) -> str:
        return self.hu if lang == "hu" else self.en


@dataclass(frozen=True)
class Site:
    id: str
    name: Text
    name_1956: str
    name_today: str
    lat: float
    lon: float
    region: str
    precision: str
    precision_note: str
    coord_source: str
    line: int = 0


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    author: str
    publisher: str
    year: int | None  # None: the page shows no date ("n.d.")
    url: str
    accessed: date
    kind: str = ""  # one of SOURCE_KINDS; empty in a dataset without the column
    line: int = 0


@dataclass(frozen=True)
class Claim:
    id: str
    event_id: str
    measure: Text
    value: Text
    source_id: str
    note: Text
    line: int = 0


@dataclass(frozen=True)
class Route:
    id: str
    name: Text
    date_start: date
    date_end: date
    category: str
    coords: tuple[tuple[float, float], ...]  # (lon, lat) as in GeoJSON
    site_ids: tuple[str, ...]
    tolerance_m: float
    source_ids: tuple[str, ...]
    length_km: float
    line: int = 0


@dataclass(frozen=True)
class Region:
    id: str
    name: Text
    rings: tuple[tuple[tuple[float, float], ...], ...]  # exterior ring first, (lon, lat)


@dataclass(frozen=True)
class Event:
    id: str
    date_start: date
    date_end: date
    time: str
    site_id: str
    route_id: str
    category: str
    title: Text
    summary: Text
    source_ids: tuple[str, ...]
    claims: tuple[Claim, ...] = ()
    line: int = 0

    def sort_key(self) -> tuple[date, int]:
        """Day, then the file's own order: untimed events keep the place their author gave them."""
        return (self.date_start, self.line)


@dataclass(frozen=True)
class LessonStop:
    """One stop of a lesson: an event (or a site) and a question for students about it."""

    event_id: str  # the stop names an event, or
    site_id: str  # a site (then `day` may say which day the map shows)
    question: Text
    notes: Text  # what a good answer mentions, for the teacher; empty when not given
    zoom: int | None = None
    day: date | None = None  # the map's day at this stop; None: the event's first day


@dataclass(frozen=True)
class Lesson:
    """A guided tour of the map (lessons.json): stops in order, each with a question."""

    id: str
    title: Text
    intro: Text
    ages: tuple[int, int]  # intended age of the students, from and to
    stops: tuple[LessonStop, ...]


@dataclass(frozen=True)
class Dataset:
    """Everything the map shows, validated; events sorted by start day, then file order."""

    title: Text
    sites: dict[str, Site]
    sources: dict[str, Source]
    events: tuple[Event, ...]
    routes: dict[str, Route] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    declared_range: tuple[date | None, date | None] = (None, None)
    center: tuple[float, float] | None = None
    zoom: int | None = None
    lessons: tuple[Lesson, ...] = ()  # lessons.json; optional

    @property
    def first_day(self) -> date:
        """The slider's first day: declared in dataset.json, else the earliest dated record."""
        starts = [e.date_start for e in self.events] + [r.date_start for r in self.routes.values()]
        return self.declared_range[0] or min(starts)

    @property
    def last_day(self) -> date:
        ends = [e.date_end for e in self.events] + [r.date_end for r in self.routes.values()]
        return self.declared_range[1] or max(ends)
