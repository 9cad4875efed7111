"""Workbooks (.xlsx, .ods) read without trusting them.

A workbook is a zip archive. Before any reader sees it, its central directory is checked (entry
count, declared sizes, compression ratio) and the parts a reader needs are copied, each read with
a cap, into a new archive, so a zip bomb is refused without being unpacked. An .ods is also
scanned for cells repeated beyond the row and column limits (a few bytes of
`number-rows-repeated` would otherwise expand to billions of cells in the reader).

Readers: openpyxl for .xlsx (read-only, data_only: formulas are never evaluated; the results the
spreadsheet program saved are read), python-calamine for .ods (it reads the saved values too).
Both give typed cells: dates as dates, numbers as numbers.
"""
from __future__ import annotations

import io
import re
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ENTRIES = 1000
MAX_UNPACKED = 32 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # smaller parts may compress as well as they like
MAX_COLUMNS = 100
SKIPPED_PARTS = re.compile(r"(xl/media/|xl/embeddings/|xl/printerSettings/|docProps/thumbnail|Pictures/|"
                           r"Thumbnails/|Configurations2/)")
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
SAVE_AS = "the workbook saved again as .xlsx or .ods, or as CSV UTF-8"

Cell = str | int | float | bool | date | datetime | day_time | timedelta | None


class WorkbookError(Exception):
    """The workbook cannot be read; `expected` says what would be read."""

    def __init__(self, message: str, expected: str = SAVE_AS, code: str | None = None):
        super().__init__(message)
        self.message, self.expected, self.code = message, expected, code


class TimeLimit(Exception):
    """Reading or building took longer than the limit."""


@dataclass(frozen=True)
class Limits:
    """What one import may cost: rows of data (None: no limit), unpacked bytes, and a deadline
    (time.monotonic() value; None: none)."""

    max_rows: int | None = None
    max_unpacked: int = MAX_UNPACKED
    deadline: float | None = None

    @property
    def row_cap(self) -> int:
        """Rows looked at (blank ones included) before a sheet counts as too long."""
        return 1_048_576 if self.max_rows is None else self.max_rows * 2 + 1000

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeLimit()


@dataclass(frozen=True)
class RawSheet:
    """One visible sheet; `rows()` yields (row number as shown, cells from column A)."""

    name: str
    rows: Callable[[], Iterator[tuple[int, list[Cell]]]]


def workbook_kind(data: bytes) -> str | None:
    """'zip' or 'ole' (an old .xls, or an encrypted workbook), from the first bytes; else None."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return None


def safe_copy(data: bytes, limits: Limits) -> tuple[str, bytes]:
    """('xlsx' or 'ods', the workbook repacked with only what a reader needs, every part capped)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WorkbookError(f"is a damaged zip archive ({exc})") from exc
    if len(infos) > MAX_ENTRIES:
        raise WorkbookError(f"is a zip archive of {len(infos):,} parts, more than a workbook has "
                            f"(at most {MAX_ENTRIES:,})", code="zip-bomb")
    names = {info.filename for info in infos}
    kind = _kind(archive, names)
    keep = [i for i in infos if not i.is_dir() and not SKIPPED_PARTS.match(i.filename)]
    declared = sum(i.file_size for i in keep)
    if declared > limits.max_unpacked:
        raise WorkbookError(f"would unpack to {declared:,} bytes, more than the limit of {limits.max_unpacked:,}",
                            "a smaller workbook: split it into several", code="zip-bomb")
    for info in keep:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise WorkbookError(f"has a part ({info.filename}) compressed {ratio:,} times, more than a workbook "
                                f"ever is (at most {MAX_RATIO})", code="zip-bomb")
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            for info in keep:
                limits.check_time()
                with archive.open(info) as part:
                    body = part.read(info.file_size + 1)  # zipfile stops at the declared size
                if len(body) != info.file_size:
                    raise WorkbookError(f"has a part ({info.filename}) whose size is not the one declared",
                                        code="zip-bomb")
                copy.writestr(info.filename, body)
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise WorkbookError("is protected by a password", "the workbook saved without a password") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise WorkbookError(f"is a damaged zip archive ({exc})") from exc
    return kind, out.getvalue()


def _kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        mimetype = archive.open("mimetype").read(200).strip()
        if mimetype == ODS_MIMETYPE and "content.xml" in names:
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise WorkbookError(f"is an OpenDocument file of another kind ({mimetype.decode('ascii', 'replace')})",
                                "a spreadsheet: an .ods or .xlsx workbook, or a CSV file")
    if "word/document.xml" in names:
        raise WorkbookError("is a Word document", "a spreadsheet: an .xlsx or .ods workbook, or a CSV file")
    raise WorkbookError("is a zip archive, not an .xlsx or .ods workbook",
                        "a spreadsheet: an .xlsx or .ods workbook, or a CSV file")


def read_sheets(data: bytes, limits: Limits) -> tuple[str, list[RawSheet]]:
    """The visible sheets of a workbook (checked and repacked first), and its kind."""
    kind, copy = safe_copy(data, limits)
    try:
        if kind == "xlsx":
            return kind, _xlsx_sheets(copy, limits)
        return kind, _ods_sheets(copy, limits)
    except (WorkbookError, TimeLimit):
        raise
    except Exception as exc:  # the readers raise many types for a damaged file; all mean the same
        raise WorkbookError(f"cannot be read as an .{kind} workbook ({type(exc).__name__}: {exc})") from exc


def _xlsx_sheets(copy: bytes, limits: Limits) -> list[RawSheet]:
    from openpyxl import load_workbook
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "extension is not supported" and the like
        book = load_workbook(io.BytesIO(copy), read_only=True, data_only=True, keep_links=False)

    def rows_of(sheet: Any) -> Callable[[], Iterator[tuple[int, list[Cell]]]]:
        def rows() -> Iterator[tuple[int, list[Cell]]]:
            number = 0
            for number, values in enumerate(sheet.iter_rows(min_row=1, max_row=limits.row_cap, max_col=MAX_COLUMNS,
                                                            values_only=True), 1):
                if number % 200 == 0:
                    limits.check_time()
                yield number, list(values)
            if number >= limits.row_cap and (sheet.max_row or 0) > limits.row_cap:
                raise WorkbookError(f"sheet {sheet.title} goes on to row {sheet.max_row:,}",
                                    f"at most {limits.row_cap:,} rows", code="too-many-rows")
        return rows

    return [RawSheet(sheet.title, rows_of(sheet)) for sheet in book.worksheets
            if getattr(sheet, "sheet_state", "visible") == "visible"]


def _ods_sheets(copy: bytes, limits: Limits) -> list[RawSheet]:
    import python_calamine
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        content = archive.read("content.xml")
    check_ods_extent(content, limits)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(copy))

    def rows_of(index: int) -> Callable[[], Iterator[tuple[int, list[Cell]]]]:
        def rows() -> Iterator[tuple[int, list[Cell]]]:
            sheet = book.get_sheet_by_index(index)
            for number, values in enumerate(sheet.to_python(skip_empty_area=False, nrows=limits.row_cap), 1):
                if number % 200 == 0:
                    limits.check_time()
                yield number, [None if v == "" else v for v in values[:MAX_COLUMNS]]
        return rows

    visible = python_calamine.SheetVisibleEnum.Visible
    return [RawSheet(meta.name, rows_of(i)) for i, meta in enumerate(book.sheets_metadata)
            if meta.visible == visible]


def check_ods_extent(content: bytes, limits: Limits) -> None:
    """Refuse an .ods whose filled cells reach past the row limit, or span more cells than the
    rows and columns allowed (the reader fills the rectangle around them), counting repeats."""
    cap_rows, cap_cells = limits.row_cap, limits.row_cap * MAX_COLUMNS
    stack: list[Any] = []
    name, row, bottom, right = "", 0, 0, 0
    try:
        for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
            if event == "start":
                stack.append(element)
                if element.tag == f"{TABLE}table":
                    name, row, bottom, right = element.get(f"{TABLE}name", ""), 0, 0, 0
                continue
            stack.pop()
            if element.tag != f"{TABLE}table-row":
                continue
            repeat = int(element.get(f"{TABLE}number-rows-repeated", "1"))
            column, last = 0, 0
            for cell in element:
                across = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
                if cell.get(f"{OFFICE}value-type") is not None or len(cell):
                    last = column + across
                column += across
            if last:
                bottom, right = row + repeat, max(right, last)
                if bottom > cap_rows:
                    raise WorkbookError(f"sheet {name} has filled cells down to row {bottom:,}",
                                        f"at most {cap_rows:,} rows", code="too-many-rows")
                if bottom * right > cap_cells:
                    raise WorkbookError(f"sheet {name} has filled cells out to column {right:,} and down to "
                                        f"row {bottom:,}", f"at most {MAX_COLUMNS} columns", code="too-many-rows")
            row += repeat
            if stack:
                stack[-1].remove(element)  # keeps memory flat however many rows there are
            limits.check_time()
    except (ParseError, ValueError) as exc:
        raise WorkbookError(f"has a damaged content.xml ({exc})") from exc
