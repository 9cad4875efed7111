"""Every format and dialect a teacher's program writes reads to the same rows, and every file that
cannot be read for certain is refused with a message naming the file, sheet, row and column."""
from __future__ import annotations

import csv
import io
import time
import zlib
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path

import pytest
from conftest import PROJECT
from sheetfiles import HEADER, ROW, lie_about_size, mark_encrypted, ods, ods_cell, patch_part, xlsx, xlsx_parts, zip_of

from mapapp.cli import main
from mapapp.errors import Problems
from mapapp.importer import REQUIRED, column_name, plan_table
from mapapp.sheets import read_table
from mapapp.workbook import MAX_UNPACKED, Limits

SHEETS = PROJECT / "tests" / "fixtures" / "sheets"
REGIONS = PROJECT / "tests" / "fixtures" / "mini" / "regions.geojson"
ACCEPTED = ["events-iso.xlsx", "events-locale.xlsx", "events.ods", "excel-utf8.csv", "excel-hu-utf8.csv",
            "excel-hu-ansi.csv", "excel-hu-unicode.txt", "semicolon-iso.csv", "hu-comma-quoted.csv",
            "lo-utf8-comma.csv", "lo-utf8-semicolon.csv", "lo-ansi-1250-tab.csv"]


def read(name: str, data: bytes, **limits):
    """(plan, problems as text, table) for a file's bytes."""
    problems = Problems()
    table = read_table(name, data, problems, column_name, REQUIRED, Limits(**limits))
    plan = plan_table(table, REGIONS, "test", problems, today=date(2026, 12, 1))
    return plan, [str(p) for p in problems.items], table


def csv_bytes(rows: list[list[object]], separator: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def one_problem(name: str, data: bytes, **limits) -> str:
    _, problems, _ = read(name, data, **limits)
    assert problems, "expected a problem"
    return "\n".join(problems)


# ---- the twelve files of the audit, and the templates ----

@pytest.fixture(scope="module")
def reference():
    plan, problems, _ = read("events-iso.xlsx", (SHEETS / "events-iso.xlsx").read_bytes())
    assert problems == []
    return plan


@pytest.mark.parametrize("name", ACCEPTED)
def test_each_realistic_file_reads_to_the_same_events(name: str, reference) -> None:
    plan, problems, table = read(name, (SHEETS / name).read_bytes())
    assert problems == []
    assert plan.events == reference.events
    assert [(s["name_en"], s["lat"], s["lon"]) for s in plan.sites.values()] == \
        [(s["name_en"], s["lat"], s["lon"]) for s in reference.sites.values()]
    assert "Sándor Petőfi" in plan.events[0]["summary_en"] and "„Nemzeti dalt”" in plan.events[0]["summary_hu"]
    assert plan.events[2]["date_end"] == "1956-10-24"
    if name.endswith((".xlsx", ".ods")):
        assert table.describe() == "sheet Events"


@pytest.mark.parametrize("name,how", [
    ("excel-hu-utf8.csv", "UTF-8 (with a BOM), separated by semicolons"),
    ("excel-hu-ansi.csv", "Windows-1250 (Hungarian ANSI), separated by semicolons"),
    ("excel-hu-unicode.txt", "UTF-16 ('Unicode text'), separated by tabs"),
    ("lo-ansi-1250-tab.csv", "Windows-1250 (Hungarian ANSI), separated by tabs"),
    ("lo-utf8-comma.csv", "UTF-8, separated by commas"),
])
def test_the_encoding_and_separator_found_are_said(name: str, how: str, runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["import", str(SHEETS / name), "--out", str(tmp_path / "out"), "--offline"])
    assert result.exit_code == 0, result.output
    assert f"{name}: {how}, 6 rows" in result.output


def test_libreoffice_default_csv_lost_its_letters_and_is_refused(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["import", str(SHEETS / "lo-default.csv"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and not (tmp_path / "out").exists()
    assert ("lo-default.csv, row 2, column C (place): 'Pet?fi' has '?' in place of a letter: the letters "
            "were lost when the file was saved (expected the workbook itself (.xlsx or .ods), or the file saved "
            "again as UTF-8: in LibreOffice Calc choose File > Save As") in result.output
    assert "in Excel choose File > Save As, type 'CSV UTF-8 (Comma delimited) (*.csv)'" in result.output
    assert "lo-default.csv: 7 more cells lost letters the same way" in result.output


@pytest.mark.parametrize("name", ["excel-utf8-us-dates.csv", "lo-utf8-locale-dates.csv"])
def test_displayed_us_dates_are_refused_as_ambiguous(name: str) -> None:
    message = one_problem(name, (SHEETS / name).read_bytes())
    assert (f"{name}, row 2, column A (date): '10/23/1956' is written with slashes, which some countries read "
            "month first and others day first (expected the date written as 1956-10-23 or 1956. 10. 23.)") in message
    assert f"{name}, row 4, column B (end_date): '10/24/1956' is written with slashes" in message


@pytest.mark.parametrize("kind", ["xlsx", "ods", "csv"])
def test_templates_hold_two_example_rows_that_import(kind: str) -> None:
    plan, problems, _ = read(f"template.{kind}", (PROJECT / "examples" / f"template.{kind}").read_bytes())
    assert problems == [] and len(plan.events) == 2
    xlsx_plan, _, _ = read("template.xlsx", (PROJECT / "examples" / "template.xlsx").read_bytes())
    assert plan.events == xlsx_plan.events and plan.sources == xlsx_plan.sources
    assert [e["date_start"] for e in plan.events] == ["1956-10-23", "1956-10-23"]


# ---- encodings ----

GOOD_ROWS = [HEADER, ["1956-10-23", "", "Petőfi tér", "Diákok „gyűlése”", "Az egyetemisták menete.",
                      "https://example.org/", "47,49293", "19,05053", "demonstration"]]


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("cp1250", b""),
])
def test_encodings_spreadsheets_write_are_read(encoding: str, prefix: bytes) -> None:
    plan, problems, _ = read("class.csv", prefix + csv_bytes(GOOD_ROWS, ";", encoding))
    assert problems == []
    assert plan.events[0]["title_en"] == "Diákok „gyűlése”" and plan.sites["petőfi tér"]["name_en"] == "Petőfi tér"


@pytest.mark.parametrize("data,expected", [
    ("Név;x\nChruščov;1\n".encode("cp1250"),
     "class.csv, row 2: is not UTF-8, and its letters could be read more than one way: Windows-1250 (Hungarian "
     "ANSI) 'Chruščov', Windows-1252 (Western ANSI) 'Chrušèov' (expected the workbook itself (.xlsx or .ods), "
     "or the file saved again as UTF-8: in LibreOffice Calc choose File > Save As, type 'Text CSV (.csv)', tick "
     "'Edit filter settings', then Character set 'Unicode (UTF-8)'; in Excel choose File > Save As, type "
     "'CSV UTF-8 (Comma delimited) (*.csv)')"),
    ("date,place\n1956-10-23,Caf\u00e9 \u00e0 Paris\n".encode("cp1252"), "could be read more than one way"),
    ("date,place\n".encode("utf-16-le"), "class.csv: looks like UTF-16 text without its byte order mark"),
    (b"date,place\n1956-10-23,Pet\xef\xbf\xbdfi\n", "class.csv, row 2, column B (place): 'Pet\ufffdfi' has '?'"),
    ("date,place\n1956-10-23,Pet?fi tér\n".encode(), "class.csv, row 2, column B (place): 'Pet?fi' has '?'"),
    (b"date,place\n1956-10-23,P\x00\n", "class.csv, row 2: contains a NUL byte: it is not a text file"),
    (b"\xef\xbb\xbfdate,place\n\xf5\n", "class.csv, row 2: starts as UTF-8 but byte 0xf5 is not UTF-8"),
])
def test_text_that_cannot_be_read_for_certain_is_refused(data: bytes, expected: str) -> None:
    message = one_problem("class.csv", data)
    assert expected in message


def test_a_question_mark_in_a_link_or_a_sentence_is_not_a_lost_letter() -> None:
    rows = [HEADER, ["1956-10-23", "", "Bem statue", "Why?", "Who fired first? Nobody knows.",
                     "https://example.org/page?id=3&x=y", "47.5108", "19.0386", ""]]
    plan, problems, _ = read("class.csv", csv_bytes(rows))
    assert problems == [] and plan.events[0]["title_en"] == "Why?"


def test_latin1_and_cp1250_that_read_alike_are_not_a_guess() -> None:
    """A LibreOffice Latin-1 export without ő or ű has the same letters in every reading."""
    rows = [HEADER, ["1956-10-23", "", "Múzeum körút", "Tüntetés", "Diákok a Múzeumnál.",
                     "https://example.org/", "47.4911", "19.0611", ""]]
    plan, problems, table = read("class.csv", csv_bytes(rows, encoding="latin-1"))
    assert problems == [] and plan.events[0]["summary_en"] == "Diákok a Múzeumnál."
    assert table.encoding.startswith("Windows-1250 (Hungarian ANSI), which here reads the same as")


# ---- separators ----

@pytest.mark.parametrize("separator,name", [(",", "commas"), (";", "semicolons"), ("\t", "tabs")])
def test_separator_comes_from_the_header_line(separator: str, name: str) -> None:
    rows = [HEADER, ["1956-10-23", "", "Bem statue; the square", "T, with comma", "D.", "https://example.org/",
                     "47.5108", "19.0386", ""]]
    plan, problems, table = read("class.csv", csv_bytes(rows, separator))
    assert problems == [] and table.describe() == f"UTF-8, separated by {name}"
    assert plan.events[0]["title_en"] == "T, with comma" and plan.sites["bem statue; the square"]


@pytest.mark.parametrize("text,expected", [
    ("date place title\n1956-10-23 x y\n", "class.csv, row 1: header row has only one column: the header row "
     "must separate its names by commas, semicolons or tabs"),
    ("date,place;title\n", "class.csv, row 1: header row splits into as many columns by commas as by semicolons"),
    (",".join(HEADER) + "\n1956-10-23,,Bem,T,D,https://example.org/,47,5,19.03,\n",
     "class.csv, row 2: has 10 values, the header row 9 (separated by commas) (expected one value per header "
     "column; a value that contains a comma wrapped in \"...\")"),
    (";".join(HEADER[:5]) + "\n", "class.csv, row 1, column source: is missing (the header row is separated "
     "by semicolons)"),
])
def test_separator_problems_say_which_separator_was_found(text: str, expected: str) -> None:
    assert expected in one_problem("class.csv", text.encode())


# ---- dates and numbers ----

@pytest.mark.parametrize("written,expected", [
    ("1956-10-23", date(1956, 10, 23)), ("1956-10-4", date(1956, 10, 4)),
    ("1956. 10. 23.", date(1956, 10, 23)), ("1956.10.23.", date(1956, 10, 23)), ("1956.10.23", date(1956, 10, 23)),
    ("1956. 10. 23", date(1956, 10, 23)), ("1956. 11. 4.", date(1956, 11, 4)),
    ("1956. október 23.", date(1956, 10, 23)), ("1956. okt. 23.", date(1956, 10, 23)),
    ("1956. november 4., vasárnap", date(1956, 11, 4)),
    ("10/23/1956", "'10/23/1956' is written with slashes"), ("23/10/1956", "'23/10/1956' is written with slashes"),
    ("1956/10/23", "'1956/10/23' is written with slashes"), ("1956-11-31", "'1956-11-31' is not a date that exists"),
    ("1956. 02. 30.", "'1956. 02. 30.' is not a date that exists"), ("1956", "'1956' is a year only"),
    ("23.10.1956", "'23.10.1956' is not a date"), ("tomorrow", "'tomorrow' is not a date"),
])
def test_written_dates(written: str, expected) -> None:
    rows = [HEADER, [written, "", "Bem statue", "T", "D", "https://example.org/", "47.5108", "19.0386", ""]]
    plan, problems, _ = read("class.csv", csv_bytes(rows, ";"))
    if isinstance(expected, date):
        assert problems == [] and plan.events[0]["date_start"] == expected.isoformat()
    else:
        assert problems[0].startswith(f"class.csv, row 2, column A (date): {expected}")


@pytest.mark.parametrize("lat,separator", [("47,5108", ";"), ("47,5108", "\t"), ("47,5108", ","), ("47.5108", ";")])
def test_decimal_commas_and_points(lat: str, separator: str) -> None:
    rows = [HEADER, ["1956-10-23", "", "Bem statue", "T", "D", "https://example.org/", lat, "19,0386", ""]]
    plan, problems, _ = read("class.csv", csv_bytes(rows, separator))
    assert problems == [] and plan.sites["bem statue"]["lat"] == "47.5108"


def test_typed_cells_in_a_workbook() -> None:
    rows = [HEADER,
            [datetime(1956, 10, 23, 0, 0), datetime(1956, 10, 24, 18, 30), "Bem statue", 1956, "D",
             "https://example.org/", 47.5108, 19.0386, None],
            [20752, None, "Radio", "T", "D", "https://example.org/", 47.4921, 19.0635, None],
            [day_time(14, 0), None, "Radio", "T", "D", "https://example.org/", 47.4921, 19.0635, None],
            ["1956. 10. 25.", None, "Kossuth tér", "T", "D", "https://example.org/", "47,50694", "19,04722", None]]
    data = xlsx(rows, number_formats={"A2": "mm-dd-yy", "B2": "yyyy-mm-dd hh:mm"})
    plan, problems, _ = read("class.xlsx", data)
    assert problems == [
        "class.xlsx, sheet Events, row 3, column A (date): is the number 20752, not a date (expected the cells "
        "formatted as dates (Format > Cells > Date), or a date written as 1956-10-23)",
        "class.xlsx, sheet Events, row 4, column A (date): is the time 14:00:00, not a date (expected a date such "
        "as 1956-10-23 or 1956. 10. 23., or a cell formatted as a date)",
    ]
    first, last = plan.events
    assert (first["date_start"], first["date_end"], first["title_en"]) == ("1956-10-23", "1956-10-24", "1956")
    assert last["date_start"] == "1956-10-25" and plan.sites["kossuth tér"]["lat"] == "47.50694"


def test_formulas_are_not_evaluated_their_saved_results_are_read() -> None:
    data = xlsx([HEADER, ROW, ROW])

    def with_formulas(sheet: str) -> str:
        # D2: a formula with the result a spreadsheet saved; D3: a formula never calculated (no result)
        sheet = sheet.replace('<c r="D2" t="inlineStr"><is><t>The marches meet</t></is></c>',
                              '<c r="D2" t="str"><f>UPPER("x")&amp;HYPERLINK("http://evil.example")</f>'
                              '<v>Saved result</v></c>')
        return sheet.replace('<c r="D3" t="inlineStr"><is><t>The marches meet</t></is></c>',
                             '<c r="D3"><f>1+1</f></c>')
    plan, problems, _ = read("class.xlsx", patch_part(data, "xl/worksheets/sheet1.xml", with_formulas))
    assert problems == ["class.xlsx, sheet Events, row 3, column D (title): is empty (expected some text)"]
    assert plan.events[0]["title_en"] == "Saved result"


def test_ods_typed_cells_and_repeats() -> None:
    table = ("<table:table-row>" + "".join(ods_cell(h) for h in HEADER) + "</table:table-row>"
             '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
             "<table:table-row>" + "".join(ods_cell(v) for v in ROW) + "</table:table-row>"
             '<table:table-row table:number-rows-repeated="1048570">'
             '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    plan, problems, _ = read("class.ods", ods({"Events": table}))
    assert problems == [] and plan.events[0]["date_start"] == "1956-10-23"
    assert plan.sites["bem statue"]["lat"] == "47.5108"
    assert plan.sites["bem statue"]["coord_source"] == "class.ods, sheet Events, row 4"


# ---- headers, rows and sheets as the spreadsheet shows them ----

HU_HEADER = ["dátum", "befejezés", "hely", "cím", "leírás", "forrás", "szélesség", "hosszúság", "kategória",
             "cím_hu", "leírás_hu"]


def test_hungarian_headers() -> None:
    rows = [HU_HEADER, ["1956. 10. 23.", "1956. 10. 24.", "Rádió", "Siege", "The siege.", "https://example.org/",
                        "47,4921", "19,0635", "fighting", "Ostrom", "Az ostrom."]]
    plan, problems, _ = read("osztaly.csv", csv_bytes(rows, ";"))
    assert problems == []
    assert plan.events[0]["title_hu"] == "Ostrom" and plan.events[0]["summary_hu"] == "Az ostrom."


@pytest.mark.parametrize("header,column", [("Dátum", "date"), ("datum", "date"), ("End date", "end_date"),
                                           ("LEÍRÁS_HU", "description_hu"), ("Hosszusag", "lon"), ("notes", None)])
def test_header_spellings(header: str, column: str | None) -> None:
    assert column_name(header) == column


def test_header_problems_name_the_column_letter() -> None:
    rows = [["date", "dátum", "place", "title", "description", "source", "megjegyzés"]]
    message = one_problem("class.xlsx", xlsx(rows))
    assert "class.xlsx, sheet Events, row 1, column B (dátum): is the same column as A (date)" in message
    assert ("class.xlsx, sheet Events, row 1, column G (megjegyzés): is not a column this map knows (expected the "
            "column renamed to one in the list, or deleted)") in message


def test_rows_are_numbered_as_the_spreadsheet_shows_them() -> None:
    bad = ["1956-11-31", "", "Bem statue", "T", "D", "https://example.org/", "47.5108", "19.0386", ""]
    text = (",".join(HEADER) + "\n\n" + ",".join(f'"{v}"' for v in ROW[:1]) + ',,Bem,"two\nlines",D,'
            "https://example.org/,47.5108,19.0386,\n" + ",".join(bad) + "\n").replace(
                str(ROW[0]), "1956-10-23")
    assert "class.csv, row 4, column A (date): '1956-11-31' is not a date that exists" in one_problem(
        "class.csv", text.encode())
    rows = [[None], [None, None], HEADER, ["1956-10-23", None, "Bem", "T", "D", "https://example.org/", 47.5, 19.0, ""],
            [], bad]
    message = one_problem("class.xlsx", xlsx(rows))
    assert message == ("class.xlsx, sheet Events, row 6, column A (date): '1956-11-31' is not a date that exists "
                       "(expected a date such as 1956-10-23 or 1956. 10. 23., or a cell formatted as a date)")


def test_the_sheet_with_our_header_is_read_and_hidden_sheets_are_not() -> None:
    data = xlsx([HEADER, ROW], title="Events", before=["Notes"], hidden=["Old"])
    plan, problems, table = read("class.xlsx", data)
    assert problems == [] and table.sheet == "Events" and len(plan.events) == 1
    data = ods({"Jegyzetek": [["just", "notes"]], "Események": [HU_HEADER[:9], ROW]})
    plan, problems, table = read("class.ods", data)
    assert problems == [] and table.sheet == "Események"


def test_a_value_under_no_header_is_named() -> None:
    rows = [HEADER, [*ROW, None, "stray"]]
    assert ("class.xlsx, sheet Events, row 2, column K: has 'stray' under no header (expected a column name in "
            "the header row, or the cell emptied)") in one_problem("class.xlsx", xlsx(rows))


def test_empty_files_and_sheets() -> None:
    assert one_problem("class.xlsx", xlsx([])) == ("class.xlsx: sheet Events is empty (expected a header row and "
                                                   "data rows)")
    assert one_problem("class.csv", b"\r\n\r\n").startswith("class.csv: is empty")
    assert one_problem("class.xlsx", xlsx([HEADER])).startswith("class.xlsx, sheet Events: has no rows")


# ---- limits and hostile files ----

def test_rows_over_the_limit() -> None:
    rows = [HEADER] + [["1956-10-23", "", f"Place {i}", "T", "D", "https://example.org/", "47.5", "19.05", ""]
                       for i in range(5)]
    message = one_problem("class.csv", csv_bytes(rows), max_rows=3)
    assert ("class.csv, row 5: is beyond the limit of 3 rows (expected a smaller spreadsheet: split it into "
            "several)") in message


def test_time_limit() -> None:
    data = xlsx([HEADER] + [ROW] * 300)
    message = one_problem("class.xlsx", data, deadline=time.monotonic() - 1)
    assert message.startswith("class.xlsx: took longer to read than this site allows")


def deflate_bomb(size: int) -> bytes:
    """`size` bytes of one repeated character as a worksheet, deflated at the highest level."""
    return b"<worksheet>" + b" " * size + b"</worksheet>"


@pytest.mark.parametrize("make,expected", [
    (lambda: zip_of({**xlsx_parts(deflate_bomb(MAX_UNPACKED)), "xl/worksheets/sheet1.xml": deflate_bomb(MAX_UNPACKED)},
                    level=9),
     "would unpack to 33,5"),
    (lambda: zip_of(xlsx_parts(deflate_bomb(8 * 1024 * 1024)), level=9),
     "has a part (xl/worksheets/sheet1.xml) compressed 1,0"),
    (lambda: zip_of({f"xl/part{i}.xml": b"" for i in range(1001)}), "is a zip archive of 1,001 parts"),
    (lambda: lie_about_size(zip_of(xlsx_parts(deflate_bomb(4 * 1024 * 1024))), "xl/worksheets/sheet1.xml", 1000),
     "is a damaged zip archive"),
])
def test_a_zip_bomb_is_refused_without_unpacking_it(make, expected: str, monkeypatch) -> None:
    data = make()
    assert len(data) < 200_000
    unpacked: list[int] = []
    original = zlib.decompressobj

    class Counting:
        def __init__(self, *args):
            self.inner = original(*args)

        def decompress(self, chunk, max_length=0):
            out = self.inner.decompress(chunk, max_length)
            unpacked.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Counting)
    message = one_problem("class.xlsx", data)
    assert message.startswith("class.xlsx: ") and expected in message, message
    assert sum(unpacked) <= 1024 * 1024, "at most what the central directory declares is ever unpacked"


@pytest.mark.parametrize("table,expected", [
    ('<table:table-row table:number-rows-repeated="1000000">' + ods_cell("x", 1000) + "</table:table-row>",
     "class.ods: sheet Events has filled cells down to row 1,000,000 (expected at most 11,000 rows)"),
    ("<table:table-row>" + ods_cell("date") + '<table:table-cell table:number-columns-repeated="16000"/>'
     + ods_cell("x") + "</table:table-row>"
     '<table:table-row table:number-rows-repeated="9000"><table:table-cell/></table:table-row>'
     "<table:table-row>" + ods_cell("y") + "</table:table-row>",
     "class.ods: sheet Events has filled cells out to column 16,002 and down to row 9,002"),
])
def test_an_ods_whose_repeats_would_expand_to_billions_of_cells_is_refused(table: str, expected: str) -> None:
    started = time.monotonic()
    assert one_problem("class.ods", ods({"Events": table}), max_rows=5000).startswith(expected)
    assert time.monotonic() - started < 5


def test_an_xlsx_reaching_far_down_is_refused_past_the_row_cap() -> None:
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<dimension ref="A1:A1000000"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c>'
             '</row><row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
             "</worksheet>")
    data = zip_of(xlsx_parts(sheet.encode()))
    assert "class.xlsx: sheet Events goes on to row 1,000,000 (expected at most 1,200 rows)" in one_problem(
        "class.xlsx", data, max_rows=100)


@pytest.mark.parametrize("data,expected", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "class.xlsx: is an Excel 97-2003 workbook (.xls), or a "
     "workbook protected by a password (expected the workbook saved as .xlsx (Excel Workbook) without a password)"),
    (zip_of({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}), "class.xlsx: is a Word document"),
    (zip_of({"photo.jpg": b"jpeg"}), "class.xlsx: is a zip archive, not an .xlsx or .ods workbook"),
    (zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
     "class.xlsx: is an OpenDocument file of another kind (application/vnd.oasis.opendocument.text)"),
    (b"PK\x03\x04 this is not really a zip", "class.xlsx: is a damaged zip archive"),
    (mark_encrypted(xlsx([HEADER, ROW]), "xl/worksheets/sheet1.xml"), "class.xlsx: is protected by a password"),
    (patch_part(xlsx([HEADER, ROW]), "xl/workbook.xml", lambda text: text[:40]),
     "class.xlsx: cannot be read as an .xlsx workbook"),
    (zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<unclosed"}),
     "class.xlsx: has a damaged content.xml"),
])
def test_files_that_are_not_spreadsheets_we_read(data: bytes, expected: str) -> None:
    assert one_problem("class.xlsx", data).startswith(expected)
