"""Spreadsheets made for tests: .xlsx by openpyxl, .ods by a minimal writer (typed cells, repeats),
and zip archives bent the ways a hostile upload would bend them."""
from __future__ import annotations

import io
import struct
import zipfile
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook

HEADER = ["date", "end_date", "place", "title", "description", "source", "lat", "lon", "category"]
ROW = [date(1956, 10, 23), None, "Bem statue", "The marches meet", "The crowd gathers at the statue.",
       "https://example.org/bem", 47.5108, 19.0386, "demonstration"]
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def xlsx(rows: list[list[Any]], title: str = "Events", number_formats: dict[str, str] | None = None,
         before: list[str] = (), hidden: list[str] = ()) -> bytes:
    """A workbook whose sheet `title` holds `rows` from A1; `before`/`hidden`: other sheets first."""
    book = Workbook()
    first = book.active
    for name in [*before, *hidden]:
        sheet = book.create_sheet(name)
        sheet.append(["notes", "for", "the", "teacher"])
        if name in hidden:
            sheet.sheet_state = "hidden"
    sheet = first
    sheet.title = title
    book.move_sheet(title, offset=len(before) + len(hidden))
    for row in rows:
        sheet.append(row)
    for ref, fmt in (number_formats or {}).items():
        sheet[ref].number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patch_part(data: bytes, name: str, change) -> bytes:
    """The same zip with one part's text changed by `change(text) -> text`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == name:
                body = change(body.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, body)
    return out.getvalue()


def ods_cell(value: Any, across: int = 1) -> str:
    """One <table:table-cell>, typed like LibreOffice writes it."""
    repeat = f' table:number-columns-repeated="{across}"' if across > 1 else ""
    if value is None:
        return f"<table:table-cell{repeat}/>"
    if isinstance(value, (date, datetime)):
        kind = f'office:value-type="date" office:date-value="{value.isoformat()}"'
        shown = value.strftime("%Y. %m. %d.")
    elif isinstance(value, (int, float)):
        kind, shown = f'office:value-type="float" office:value="{value!r}"', str(value).replace(".", ",")
    else:
        kind, shown = 'office:value-type="string"', str(value)
    return f"<table:table-cell {kind}{repeat}><text:p>{escape(shown)}</text:p></table:table-cell>"


def ods(tables: dict[str, str | list[list[Any]]]) -> bytes:
    """An .ods with one table per entry: rows of values, or table XML as it stands."""
    body = ""
    for name, rows in tables.items():
        xml = rows if isinstance(rows, str) else "".join(
            "<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
        body += f"<table:table table:name={quoteattr(name)}>{xml}</table:table>"
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    return zip_of({"mimetype": ODS_MIMETYPE.encode(), "META-INF/manifest.xml": manifest.encode(),
                   "content.xml": content.encode()})


def zip_of(parts: dict[str, bytes], level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, body in parts.items():
            archive.writestr(name, body, compress_type=zipfile.ZIP_STORED if name == "mimetype" else None)
    return buffer.getvalue()


def xlsx_parts(sheet_xml: bytes) -> dict[str, bytes]:
    """The parts a minimal .xlsx needs, around one worksheet's XML."""
    book = xlsx([HEADER, ROW])
    archive = zipfile.ZipFile(io.BytesIO(book))
    parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    return parts


def lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """The zip with `name`'s uncompressed size changed, in its local and its central header."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    raw = bytearray(data)
    struct.pack_into("<I", raw, info.header_offset + 22, declared)
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", raw, central + 28)[0]
        if bytes(raw[central + 46: central + 46 + length]) == name.encode():
            struct.pack_into("<I", raw, central + 24, declared)
            break
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def mark_encrypted(data: bytes, name: str) -> bytes:
    """The zip with `name` flagged as encrypted (general purpose bit 0), as a password would set it."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    raw = bytearray(data)
    raw[info.header_offset + 6] |= 1
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", raw, central + 28)[0]
        if bytes(raw[central + 46: central + 46 + length]) == name.encode():
            raw[central + 8] |= 1
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)
