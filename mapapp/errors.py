"""One exception type for every problem found in a dataset, with file, line and field."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where it is and what was expected instead.

    A dataset file names a line and a field (`events.csv:14: date_start: ...`). A teacher's
    spreadsheet names what the spreadsheet program shows: the sheet of a workbook, the row number
    and the column by its letter and header (`class.xlsx, sheet Events, row 6, column A (date): ...`);
    `column` (the letter), `sheet` or `rows=True` select that form. `code` groups problems that
    share advice (e.g. "save-utf8"), so a page can show that advice in its own language.
    """

    file: str
    line: int | None
    field: str | None
    message: str
    expected: str | None = None
    sheet: str | None = None
    column: str | None = None
    rows: bool = False
    code: str | None = None

    @property
    def where(self) -> str:
        """The location alone, as the message starts with it."""
        if not (self.rows or self.column or self.sheet):
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            return f"{where}: {self.field}" if self.field else where
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.line is not None:
            parts.append(f"row {self.line}")
        if self.column and self.field:
            parts.append(f"column {self.column} ({self.field})")
        elif self.column or self.field:
            parts.append(f"column {self.column or self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        hint = f" (expected {self.expected})" if self.expected else ""
        return f"{self.where}: {self.message}{hint}"


class DataError(Exception):
    """A dataset could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the dataset:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class Problems:
    """Collects problems while a dataset is read, so one run reports them all."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, line: int | None, field: str | None, message: str,
            expected: str | None = None, **where: Any) -> None:
        """`where`: sheet=, column=, rows=, code= of a spreadsheet problem (see Problem)."""
        self.items.append(Problem(file, line, field, message, expected, **where))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)
