"""Days of a dataset and which events a map state shows: the one rule the page and the API share."""
from __future__ import annotations

from datetime import date, timedelta

from .records import Dataset, Event, Route

MODES: tuple[str, ...] = ("day", "cumulative")

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "hu": ("január", "február", "március", "április", "május", "június", "július",
           "augusztus", "szeptember", "október", "november", "december"),
}


def days(dataset: Dataset) -> list[date]:
    """Every day from the dataset's first to its last, one slider step each."""
    first, last = dataset.first_day, dataset.last_day
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def clamp(day: date, dataset: Dataset) -> date:
    return min(max(day, dataset.first_day), dataset.last_day)


def is_shown(start: date, end: date, day: date, mode: str) -> bool:
    """Day mode: the record spans `day`. Cumulative mode: it started on or before `day`."""
    return start <= day and (mode == "cumulative" or day <= end)


def events_shown(dataset: Dataset, day: date, mode: str) -> list[Event]:
    return [e for e in dataset.events if is_shown(e.date_start, e.date_end, day, mode)]


def routes_shown(dataset: Dataset, day: date, mode: str) -> list[Route]:
    return [r for r in dataset.routes.values() if is_shown(r.date_start, r.date_end, day, mode)]


def format_day(day: date, lang: str) -> str:
    """'23 October 1956' in English, '1956. október 23.' in Hungarian."""
    month = MONTHS["hu" if lang == "hu" else "en"][day.month - 1]
    if lang == "hu":
        return f"{day.year}. {month} {day.day}."
    return f"{day.day} {month} {day.year}"
