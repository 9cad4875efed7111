"""One row model for every spreadsheet a teacher may bring: .xlsx, .ods, CSV or TSV.

A Table holds the rows under the header row, each numbered as the spreadsheet program shows it,
and every column by its letter and by the header the teacher wrote; cells keep their type (a date
cell is a date). Every problem is named the same way whatever the format:
`class.xlsx, sheet Events, row 6, column A (date): ...` (see errors.Problem).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from .errors import Problems
from .textsheet import SEPARATORS, read_text
from .workbook import Cell, Limits, RawSheet, TimeLimit, WorkbookError, read_sheets, workbook_kind


@dataclass(frozen=True)
class Column:
    letter: str
    header: str  # as the teacher wrote it
    index: int


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet shows it (1 = the first row)
    cells: dict[str, Cell]  # by column name (see `canonical` of read_table)


@dataclass
class Table:
    file: str
    kind: str  # "xlsx", "ods" or "csv"
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    header_row: int = 1
    columns: dict[str, Column] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)

    def problem(self, problems: Problems, row: int | None, name: str | None, message: str,
                expected: str | None = None, code: str | None = None) -> None:
        """Record a problem at a row and a column (by its name); either may be None."""
        column = self.columns.get(name) if name else None
        problems.add(self.file, row, column.header if column else name, message, expected,
                     sheet=self.sheet, column=column.letter if column else None, rows=True, code=code)

    def describe(self) -> str:
        """How the file was read, for the teacher: 'sheet Events' or 'UTF-8, separated by semicolons'."""
        if self.kind == "csv":
            return f"{self.encoding}, separated by {SEPARATORS[self.separator or ',']}s"
        return f"sheet {self.sheet}"


def column_letter(index: int) -> str:
    """'A' for the first column (index 0), 'AA' for the 27th."""
    return get_column_letter(index + 1)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(file: str, data: bytes, problems: Problems, canonical: Callable[[str], str | None],
               required: Sequence[str], limits: Limits | None = None) -> Table | None:
    """The spreadsheet's header and rows; None after recording why it cannot be read.

    `canonical` maps a header as written (`Dátum`, `end date`) to a column name (`date`) or None;
    a workbook's first visible sheet with such headers is read. Problems in the header are recorded
    and the rows are still returned (empty when a required column is missing).
    """
    limits = limits or Limits()
    try:
        kind = workbook_kind(data)
        if kind == "ole":
            problems.add(file, None, None, "is an Excel 97-2003 workbook (.xls), or a workbook protected by a password",
                         "the workbook saved as .xlsx (Excel Workbook) without a password", rows=True)
            return None
        if kind == "zip":
            return _from_workbook(file, data, problems, canonical, required, limits)
        return _from_text(file, data, problems, canonical, required, limits)
    except WorkbookError as exc:
        problems.add(file, None, None, exc.message, exc.expected, rows=True, code=exc.code)
    except TimeLimit:
        problems.add(file, None, None, "took longer to read than this site allows",
                     "a smaller spreadsheet: split it into several", rows=True, code="time-limit")
    return None


def _from_text(file: str, data: bytes, problems: Problems, canonical: Callable[[str], str | None],
               required: Sequence[str], limits: Limits) -> Table | None:
    text = read_text(data, file, problems)
    if text is None:
        return None
    table = Table(file=file, kind="csv", encoding=text.encoding, separator=text.separator)
    rows = [(n, [c if c.strip() else None for c in cells]) for n, cells in text.rows]
    _fill(table, iter(rows), problems, canonical, required, limits)
    return table


def _from_workbook(file: str, data: bytes, problems: Problems, canonical: Callable[[str], str | None],
                   required: Sequence[str], limits: Limits) -> Table | None:
    kind, sheets = read_sheets(data, limits)
    if not sheets:
        problems.add(file, None, None, "has no visible sheet", "a sheet with the header row and rows", rows=True)
        return None
    chosen = _choose_sheet(sheets, canonical)
    table = Table(file=file, kind=kind, sheet=chosen.name)
    _fill(table, chosen.rows(), problems, canonical, required, limits)
    return table


def _choose_sheet(sheets: list[RawSheet], canonical: Callable[[str], str | None]) -> RawSheet:
    """The first sheet whose first filled row names two of our columns; else the first sheet."""
    for sheet in sheets:
        for _, cells in sheet.rows():
            if any(not is_blank(c) for c in cells):
                if sum(1 for c in cells if isinstance(c, str) and canonical(c)) >= 2:
                    return sheet
                break
    return sheets[0]


def _fill(table: Table, rows: Any, problems: Problems, canonical: Callable[[str], str | None],
          required: Sequence[str], limits: Limits) -> None:
    header: list[Cell] | None = None
    names: list[str | None] = []
    unnamed: set[int] = set()
    count = 0
    for number, cells in rows:
        if not any(not is_blank(c) for c in cells):
            continue
        if header is None:
            header, table.header_row = cells, number
            names = _read_header(table, cells, problems, canonical, required)
            continue
        count += 1
        if limits.max_rows is not None and count > limits.max_rows:
            table.problem(problems, number, None, f"is beyond the limit of {limits.max_rows:,} rows",
                          "a smaller spreadsheet: split it into several", code="too-many-rows")
            break
        if count % 200 == 0:
            limits.check_time()
        if table.kind == "csv" and _wrong_width(table, number, cells, len(header), problems):
            continue
        values: dict[str, Cell] = {}
        for index, value in enumerate(cells):
            name = names[index] if index < len(names) else None
            if name:
                values[name] = value
            elif not is_blank(value) and index not in unnamed and (index >= len(header) or is_blank(header[index])):
                unnamed.add(index)
                table.problem(problems, number, column_letter(index), f"has {str(value)[:40]!r} under no header",
                              "a column name in the header row, or the cell emptied")
        if table.columns and all(r in table.columns for r in required):
            table.rows.append(SheetRow(number, values))
    if header is None:
        problems.add(table.file, None, None, "is empty" if table.kind == "csv" else f"sheet {table.sheet} is empty",
                     "a header row and data rows", rows=True)


def _wrong_width(table: Table, number: int, cells: list[Cell], width: int, problems: Problems) -> bool:
    """A CSV record with more or fewer values than the header: a value shifted the others."""
    filled = len(cells)
    if filled == width:
        return False
    name = SEPARATORS[table.separator or ","]
    table.problem(problems, number, None, f"has {filled} values, the header row {width} (separated by {name}s)",
                  f"one value per header column; a value that contains a {name} wrapped in \"...\"")
    return True


def _read_header(table: Table, cells: list[Cell], problems: Problems, canonical: Callable[[str], str | None],
                 required: Sequence[str]) -> list[str | None]:
    """Each column's name (None: not ours); problems of the header row are recorded."""
    names: list[str | None] = []
    row = table.header_row
    how = f" (the header row is separated by {SEPARATORS[table.separator]}s)" if table.separator else ""
    for index, cell in enumerate(cells):
        header = "" if cell is None else str(cell).strip()
        name = canonical(header) if header else None
        letter = column_letter(index)
        if header and name is None:
            problems.add(table.file, row, header, "is not a column this map knows",
                         "the column renamed to one in the list, or deleted", sheet=table.sheet, column=letter,
                         rows=True, code="unknown-column")
        elif name in table.columns:
            first = table.columns[name]
            problems.add(table.file, row, header, f"is the same column as {first.letter} ({first.header})",
                         "each column once", sheet=table.sheet, column=letter, rows=True)
            name = None
        elif name:
            table.columns[name] = Column(letter, header, index)
        names.append(name)
    for name in required:
        if name not in table.columns:
            problems.add(table.file, row, name, f"is missing{how}", f"a column named {name} in row {row}",
                         sheet=table.sheet, rows=True, code="separator" if table.separator else None)
    return names
