"""A teacher's CSV or TSV, as spreadsheet programs write it: the encoding and the separator are
found from the bytes and the header line, never guessed.

Encodings: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), and the 8-bit
Windows-1250 (Hungarian ANSI). An 8-bit file is read only when its reading is certain: every
8-bit code page we know (Windows-1250/1252, Latin-1/2) reads it the same, or exactly one of the
readings is Hungarian where they differ (byte 0xF5 is ő in Windows-1250 but õ in Latin-1). Any
other file, and any file whose letters were already replaced by '?' (LibreOffice's default CSV
export drops ő and ű), is refused with the steps to save it as UTF-8.

Separators: comma, semicolon or tab, from the header line (Hungarian Excel writes ';' even for
"CSV UTF-8"). Rows are numbered as a spreadsheet shows them: one row per record, blank ones too.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from .errors import Problems

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
SAVE_AS_UTF8 = ("the workbook itself (.xlsx or .ods), or the file saved again as UTF-8: in LibreOffice Calc "
                "choose File > Save As, type 'Text CSV (.csv)', tick 'Edit filter settings', then "
                "Character set 'Unicode (UTF-8)'; in Excel choose File > Save As, type "
                "'CSV UTF-8 (Comma delimited) (*.csv)'")
EIGHT_BIT = ("cp1250", "iso-8859-2", "cp1252", "iso-8859-1")
ENCODING_NAMES = {"cp1250": "Windows-1250 (Hungarian ANSI)", "iso-8859-2": "ISO-8859-2 (Latin-2)",
                  "cp1252": "Windows-1252 (Western ANSI)", "iso-8859-1": "ISO-8859-1 (Latin-1)"}
HUNGARIAN = frozenset("áéíóöőúüűÁÉÍÓÖŐÚÜŰ")
C1_CONTROLS = re.compile("[\x80-\x9f]")
LOST_LETTER = re.compile(r"[\w?]*(?:[^\W\d_]\?[^\W\d_]|\ufffd)[\w?\ufffd]*")
LINKISH = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
MAX_LOSSY_REPORTED = 3
SAVE_AGAIN = "the file saved again as UTF-8 (see above)"


@dataclass(frozen=True)
class TextTable:
    """The records of a text file, numbered from 1 (the header), and how the file was read."""

    rows: list[tuple[int, list[str]]]
    encoding: str
    separator: str

    @property
    def separator_name(self) -> str:
        return SEPARATORS[self.separator]


def _refuse(problems: Problems, file: str, message: str, line: int | None = None) -> None:
    problems.add(file, line, None, message, SAVE_AS_UTF8, rows=True, code="save-utf8")


def decode(data: bytes, file: str, problems: Problems) -> tuple[str, str] | None:
    """(text, name of the encoding), or None after recording why the bytes are not certain text."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (with a BOM)"
        except UnicodeDecodeError as exc:
            _refuse(problems, file, f"starts as UTF-8 but byte 0x{data[3 + exc.start]:02x} is not UTF-8",
                    data[: 3 + exc.start].count(b"\n") + 1)
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            _refuse(problems, file, "starts as UTF-16 ('Unicode text') but is not UTF-16 throughout")
            return None
        if "\x00" in text:
            _refuse(problems, file, "contains a NUL character")
            return None
        return text, "UTF-16 ('Unicode text')"
    if b"\x00" in data:
        halves = data[1::2].count(0), data[0::2].count(0)
        if max(halves) > len(data) // 4:
            _refuse(problems, file, "looks like UTF-16 text without its byte order mark")
        else:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            problems.add(file, line, None, "contains a NUL byte: it is not a text file",
                         "a CSV file, or an .xlsx or .ods workbook", rows=True)
        return None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    return _decode_8bit(data, file, problems)


def _decode_8bit(data: bytes, file: str, problems: Problems) -> tuple[str, str] | None:
    readings: dict[str, list[str]] = {}
    for encoding in EIGHT_BIT:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not C1_CONTROLS.search(text):  # control characters: not a reading of a text file
            readings.setdefault(text, []).append(encoding)
    if not readings:
        _refuse(problems, file, "is neither UTF-8 nor Windows-1250 text")
        return None
    if len(readings) == 1:
        (text, encodings), = readings.items()
        if len(encodings) == 1:
            return text, ENCODING_NAMES[encodings[0]]
        return text, f"{ENCODING_NAMES[encodings[0]]}, which here reads the same as {ENCODING_NAMES[encodings[-1]]}"
    texts = list(readings)
    differ = [i for i in range(len(texts[0])) if len({t[i] for t in texts}) > 1]  # one char per byte
    hungarian = [t for t in texts if all(t[i] in HUNGARIAN for i in differ)]
    if len(hungarian) == 1:
        return hungarian[0], ENCODING_NAMES[readings[hungarian[0]][0]]
    first = differ[0]
    line = texts[0][:first].count("\n") + 1
    words = ", ".join(f"{ENCODING_NAMES[readings[t][0]]} '{_word_at(t, first)}'" for t in texts)
    _refuse(problems, file, f"is not UTF-8, and its letters could be read more than one way: {words}", line)
    return None


def _word_at(text: str, index: int) -> str:
    start = max(text.rfind(c, 0, index) for c in " \t,;\n\"") + 1
    ends = [e for e in (text.find(c, index) for c in " \t,;\r\n\"") if e >= 0]
    return text[start:min(ends, default=len(text))][:40]


def find_separator(line: str) -> tuple[str | None, str]:
    """The separator of a header line, or None and why not."""
    counts = {}
    for separator in SEPARATORS:
        try:
            counts[separator] = len(next(csv.reader([line], delimiter=separator)))
        except (csv.Error, StopIteration):
            counts[separator] = 0
    found = sorted((n, s) for s, n in counts.items() if n > 1)
    if not found:
        return None, "has only one column: the header row must separate its names by commas, semicolons or tabs"
    if len(found) > 1 and found[-1][0] == found[-2][0]:
        first, second = (SEPARATORS[s] for _, s in found[-2:])
        return None, f"splits into as many columns by {first}s as by {second}s: use one separator only"
    return found[-1][1], ""


def read_text(data: bytes, file: str, problems: Problems) -> TextTable | None:
    """The file's records; None after recording why it cannot be read."""
    decoded = decode(data, file, problems)
    if decoded is None:
        return None
    text, encoding = decoded
    if not text.strip():
        problems.add(file, None, None, "is empty", "a header row and data rows", rows=True)
        return None
    header_line = next(line for line in text.splitlines() if line.strip())
    separator, why = find_separator(header_line)
    if separator is None:
        header_row = text[: text.index(header_line)].count("\n") + 1
        problems.add(file, header_row, None, f"header row {why}", "a header row such as date,place,title,...",
                     rows=True, code="separator")
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, 1):
            rows.append((number, record))
    except csv.Error as exc:
        problems.add(file, len(rows) + 1, None, f"cannot be read: {exc} (separator: {SEPARATORS[separator]})",
                     'values with separators, quotes or line breaks wrapped in "..."', rows=True)
        return None
    if _lost_letters(rows, file, problems):
        return None
    return TextTable(rows=rows, encoding=encoding, separator=separator)


def _lost_letters(rows: list[tuple[int, list[str]]], file: str, problems: Problems) -> bool:
    """Record cells whose letters were already replaced by '?' or U+FFFD; True if any."""
    header = rows[0][1] if rows else []
    found = 0
    for number, record in rows:
        for index, cell in enumerate(record):
            lost = next((m[0] for w in cell.split() if not LINKISH.search(w) for m in [LOST_LETTER.search(w)] if m),
                        None)
            if lost is None:
                continue
            found += 1
            if found <= MAX_LOSSY_REPORTED:
                name = header[index].strip() if index < len(header) and number > 1 else None
                problems.add(file, number, name, f"'{lost}' has '?' in place of a letter: the letters were "
                             "lost when the file was saved", SAVE_AS_UTF8 if found == 1 else SAVE_AGAIN,
                             rows=True, column=get_column_letter(index + 1), code="save-utf8")
    if found > MAX_LOSSY_REPORTED:
        problems.add(file, None, None, f"{found - MAX_LOSSY_REPORTED} more cells lost letters the same way",
                     SAVE_AGAIN, rows=True, code="save-utf8")
    return found > 0
