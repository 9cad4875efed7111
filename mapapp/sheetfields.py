"""The cells of one spreadsheet row read as dates, numbers and text, typed or written.

Typed cells (.xlsx, .ods) are taken as they are: a date cell is a date whatever its display
format, a number cell a number. Written dates are accepted in the forms that cannot be misread:
ISO (1956-10-23) and Hungarian (1956. 10. 23., 1956.10.23, 1956. október 23.). Dates with
slashes are refused, because 10/11/1956 is 11 October in one country and 10 November in another.
A number may have a decimal comma (47,4979): for a latitude or longitude it cannot be anything else.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from datetime import time as day_time

from .errors import Problems
from .fields import FieldReader
from .sheets import SheetRow, Table
from .workbook import Cell

DATE_EXPECTED = "a date such as 1956-10-23 or 1956. 10. 23., or a cell formatted as a date"
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
HU_DATE = re.compile(r"(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?")
HU_MONTHS = ("január", "február", "március", "április", "május", "június", "július", "augusztus",
             "szeptember", "október", "november", "december")
HU_MONTH_DATE = re.compile(r"(\d{4})\.\s*([^\W\d_]+)\.?\s*(\d{1,2})\.?(?:,\s*[^\W\d_]+)?", re.IGNORECASE)
SLASHED = re.compile(r"\d{1,4}\s*/\s*\d{1,2}\s*/\s*\d{1,4}")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def cell_text(value: Cell) -> str:
    """A cell as text: numbers without a needless '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == day_time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def hungarian_month(word: str) -> int | None:
    """1-12 for a Hungarian month name or its usual abbreviation (okt., szept.), else None."""
    word = word.casefold().rstrip(".")
    for number, name in enumerate(HU_MONTHS, 1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def parse_written_date(text: str) -> tuple[date | None, str]:
    """A date written in an accepted form, or None and why not."""
    text = " ".join(text.split())
    parts: tuple[int, int, int] | None = None
    if match := ISO_DATE.fullmatch(text) or HU_DATE.fullmatch(text):
        parts = int(match[1]), int(match[2]), int(match[3])
    elif (match := HU_MONTH_DATE.fullmatch(text)) and (month := hungarian_month(match[2])):
        parts = int(match[1]), month, int(match[3])
    elif SLASHED.fullmatch(text):
        return None, (f"{text!r} is written with slashes, which some countries read month first and others "
                      "day first")
    elif re.fullmatch(r"\d{4}", text):
        return None, f"{text!r} is a year only"
    else:
        return None, f"{text!r} is not a date"
    try:
        return date(*parts), ""
    except ValueError:
        return None, f"{text!r} is not a date that exists"


class SheetFields(FieldReader):
    """FieldReader over one spreadsheet row: problems are named by row and column, cells are typed."""

    def __init__(self, problems: Problems, table: Table, row: SheetRow):
        super().__init__(problems, table.file, row.number, {k: cell_text(v) for k, v in row.cells.items()})
        self.table, self.cells = table, row.cells

    def problem(self, field: str, message: str, expected: str | None = None, code: str | None = None) -> None:
        self.table.problem(self.problems, self.line, field, message, expected, code)

    def date(self, field: str, required: bool = True) -> date | None:
        value = self.cells.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(field, "is empty", DATE_EXPECTED)
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (day_time, timedelta)):
            self.problem(field, f"is the time {value}, not a date", DATE_EXPECTED)
            return None
        if isinstance(value, (int, float)):
            self.problem(field, f"is the number {cell_text(value)}, not a date",
                         "the cells formatted as dates (Format > Cells > Date), or a date written as 1956-10-23")
            return None
        parsed, why = parse_written_date(str(value))
        if parsed is None:
            slashed = "slashes" in why
            self.problem(field, why, "the date written as 1956-10-23 or 1956. 10. 23." if slashed else DATE_EXPECTED,
                         code="slash-date" if slashed else None)
        return parsed

    def number(self, field: str, low: float, high: float, what: str) -> float | None:
        value = self.cells.get(field)
        if isinstance(value, bool) or isinstance(value, (date, day_time, timedelta)):
            self.problem(field, f"{cell_text(value)!r} is not a number", what)
            return None
        if isinstance(value, (int, float)):
            number = float(value)
            if not math.isfinite(number):
                self.problem(field, f"{cell_text(value)!r} is not a finite number", what)
                return None
            if not low <= number <= high:
                self.problem(field, f"{cell_text(value)} is out of range", f"{what} between {low:g} and {high:g}")
                return None
            return number
        text = self.raw(field)
        if DECIMAL_COMMA.fullmatch(text):
            self.values[field] = text.replace(",", ".")
        return super().number(field, low, high, what)
