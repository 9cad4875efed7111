"""One exception type for every problem found in a dataset, with file, line and field."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where it is and what was expected instead."""

    file: str
    line: int | None
    field: str | None
    message: str
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        hint = f" (expected {self.expected})" if self.expected else ""
        return f"{where}:{field} {self.message}{hint}"


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
            expected: str | None = None) -> None:
        self.items.append(Problem(file, line, field, message, expected))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)
