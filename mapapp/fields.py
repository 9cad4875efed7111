"""Parsers for single CSV values: each returns the value or records a problem and returns None."""
from __future__ import annotations

import math
import re
from datetime import date
from urllib.parse import urlsplit

from .errors import Problems

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
TIME_PATTERN = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
Day = date  # inside FieldReader, `date` names the method
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class FieldReader:
    """Reads the fields of one row, recording problems against the file, line and field."""

    def __init__(self, problems: Problems, file: str, line: int, values: dict[str, str]):
        self.problems, self.file, self.line, self.values = problems, file, line, values

    def problem(self, field: str, message: str, expected: str | None = None) -> None:
        self.problems.add(self.file, self.line, field, message, expected)

    def raw(self, field: str) -> str:
        return self.values.get(field, "").strip()

    def text(self, field: str, required: bool = True) -> str:
        value = self.raw(field)
        if required and not value:
            self.problem(field, "is empty", "some text")
        return value

    def ident(self, field: str, required: bool = True) -> str:
        value = self.raw(field)
        if not value:
            if required:
                self.problem(field, "is empty", "an id")
            return ""
        if not ID_PATTERN.fullmatch(value):
            self.problem(field, f"{value!r} is not a valid id", "lower-case letters, digits, '_' or '-'")
            return ""
        return value

    def id_list(self, field: str, required: bool = True) -> tuple[str, ...]:
        parts = [p.strip() for p in self.raw(field).split(";") if p.strip()]
        if required and not parts:
            self.problem(field, "is empty", "one or more ids separated by ';'")
        good = []
        for part in parts:
            if ID_PATTERN.fullmatch(part):
                good.append(part)
            else:
                self.problem(field, f"{part!r} is not a valid id", "ids separated by ';'")
        return tuple(good)

    def date(self, field: str, required: bool = True) -> date | None:
        value = self.raw(field)
        if not value:
            if required:
                self.problem(field, "is empty", "a date YYYY-MM-DD")
            return None
        return parse_date(value, lambda msg: self.problem(field, msg, "a date YYYY-MM-DD"))

    def time(self, field: str) -> str:
        value = self.raw(field)
        if value and not TIME_PATTERN.fullmatch(value):
            self.problem(field, f"{value!r} is not a time", "HH:MM, 24-hour")
            return ""
        return value

    def number(self, field: str, low: float, high: float, what: str) -> float | None:
        value = self.raw(field)
        if not value:
            self.problem(field, "is empty", what)
            return None
        if "," in value and "." not in value:
            self.problem(field, f"{value!r} uses a decimal comma", f"{what} with a decimal point")
            return None
        try:
            number = float(value)
        except ValueError:
            self.problem(field, f"{value!r} is not a number", what)
            return None
        if not math.isfinite(number):
            self.problem(field, f"{value!r} is not a finite number", what)
            return None
        if not low <= number <= high:
            self.problem(field, f"{value} is out of range", f"{what} between {low:g} and {high:g}")
            return None
        return number

    def integer(self, field: str, low: int, high: int, undated_ok: bool = False) -> int | None:
        """A year from `low` to `high`; `undated_ok` says an empty cell is allowed (and means undated)."""
        value = self.raw(field)
        if not re.fullmatch(r"\d{1,4}", value) or not low <= int(value) <= high:
            empty = " or empty when the work shows no date" if undated_ok else ""
            self.problem(field, f"{value!r} is not a year", f"a year from {low} to {high}{empty}")
            return None
        return int(value)

    def choice(self, field: str, options: tuple[str, ...]) -> str:
        value = self.raw(field)
        if value not in options:
            self.problem(field, f"{value!r} is not allowed", f"one of {', '.join(options)}")
            return ""
        return value

    def date_span(self, start_field: str, end_field: str) -> tuple[Day | None, Day | None]:
        """Start (required) and end (optional) dates; an end before the start is reported."""
        start, end = self.date(start_field), self.date(end_field, required=False)
        if start and end and end < start:
            self.problem(end_field, f"{end} is before {start_field} {start}", f"a date on or after {start_field}")
            end = None
        return start, end

    def url(self, field: str, required: bool = True) -> str:
        """An http(s) link; when not required, an empty value is fine (a citation without link)."""
        value = self.raw(field)
        if not value and not required:
            return ""
        problem = url_problem(value)
        if problem:
            self.problem(field, problem, "an http:// or https:// address")
            return ""
        return value


def parse_date(value: str, report) -> date | None:
    """A YYYY-MM-DD date that exists; `report(message)` is called otherwise."""
    if not DATE_PATTERN.fullmatch(value):
        if re.fullmatch(r"\d{4}", value):
            report(f"{value!r} is a year only")
        else:
            report(f"{value!r} is not a date")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        report(f"{value!r} is not a date that exists")
        return None


def web_url(value: str) -> str:
    """The link when it is an http(s) address, else '' (a Jinja filter: templates never write a
    `javascript:` or `data:` href, even if a dataset reached them without the loader's check)."""
    return value if value and url_problem(value) is None else ""


def url_problem(value: str) -> str | None:
    """Why `value` is not an acceptable link, or None."""
    if not value:
        return "is empty"
    if BIDI_CONTROLS.search(value) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return f"{value!r} contains spaces or control characters"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{value!r} is not a web address"
    return None
