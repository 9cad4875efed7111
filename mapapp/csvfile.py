"""Reading and writing the dataset's CSV files: strict on input, safe and atomic on output."""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems

MAX_BYTES = 5 * 1024 * 1024
SAVE_AS_UTF8 = "UTF-8: in a spreadsheet choose 'Save as CSV UTF-8'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


@dataclass(frozen=True)
class Row:
    """One CSV record and the line it starts on (1 = the header)."""

    line: int
    values: dict[str, str]


def decode(path: Path, problems: Problems, name: str) -> str | None:
    """The file's text, or None after recording why it cannot be read as UTF-8 text.

    Only a regular file is ever opened: a folder, FIFO or device gets one message (opening a
    FIFO would wait for a writer forever)."""
    try:
        info = path.stat()
    except OSError as exc:
        problems.add(name, None, None, f"cannot be read: {exc.strerror}", "an existing file")
        return None
    if stat.S_ISDIR(info.st_mode):
        problems.add(name, None, None, "is a folder, not a file", "a text file")
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.add(name, None, None, "is not a regular file (a FIFO, device or socket)", "a text file")
        return None
    size = info.st_size
    if size > MAX_BYTES:
        problems.add(name, None, None, f"is {size:,} bytes, over the limit of {MAX_BYTES:,}",
                     f"at most {MAX_BYTES // (1024 * 1024)} MB: split the file")
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(name, None, None, f"cannot be read: {exc.strerror}", "a file the app may read")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(name, 1, None, "is UTF-16 text (a 'Unicode text' export)", SAVE_AS_UTF8)
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.add(name, line, None, "contains a NUL byte", "plain text saved as UTF-8")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(name, line, None, f"is not UTF-8 (byte 0x{raw[exc.start]:02x}: probably saved as "
                     "Windows-1250/1252 or Latin-1/2)", SAVE_AS_UTF8)
        return None


def read_rows(path: Path, required: Iterable[str], optional: Iterable[str] = (),
              problems: Problems | None = None, name: str | None = None) -> list[Row]:
    """Rows of a CSV file with a header; every structural problem is added to `problems`."""
    problems = problems if problems is not None else Problems()
    name = name or path.name
    text = decode(path, problems, name)
    if text is None:
        return []
    if not text.strip():
        problems.add(name, None, None, "is empty", "a header row and data rows")
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        problems.add(name, 1, None, f"header cannot be parsed: {exc}", "comma-separated column names")
        return []
    required, optional = list(required), list(optional)
    ok = _check_header(header, required, optional, problems, name)
    rows: list[Row] = []
    previous_end = reader.line_num
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.add(name, start, None, f"has {len(record)} fields",
                             f"{len(header)} fields, one per header column")
                continue
            if ok:
                rows.append(Row(start, {h: v.strip() for h, v in zip(header, record)}))
    except csv.Error as exc:
        problems.add(name, reader.line_num, None, f"cannot be parsed: {exc}",
                     'fields with commas or quotes wrapped in "..."')
    return rows


def _check_header(header: list[str], required: list[str], optional: list[str],
                  problems: Problems, name: str) -> bool:
    ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.add(name, 1, column, "column appears twice", "each column once")
            ok = False
        seen.add(column)
    for column in required:
        if column not in seen:
            problems.add(name, 1, column, "column is missing", f"columns {', '.join(required)}")
            ok = False
    known = set(required) | set(optional)
    for column in header:
        if column not in known:
            problems.add(name, 1, column, "unknown column",
                         f"only {', '.join(required + optional)}")
            ok = False
    return ok


def neutralise(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (numbers stay)."""
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_rows(path: Path, header: list[str], rows: Iterable[dict[str, object]]) -> None:
    """Write a CSV atomically: a temporary file in the same folder, then one rename."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(str(v)) if v is not None else "" for k, v in row.items()})
    write_text_atomic(path, buffer.getvalue())


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a crash leaves the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise



def _file_mode(path: Path) -> int:
    """The replaced file's mode, or what a plain open() would give (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
