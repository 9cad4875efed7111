#!/usr/bin/env python3
"""Write examples/template.xlsx, template.ods and template.csv: the header row and two example rows
that a teacher replaces with the class's own events (README, "Your own map from a spreadsheet";
/make links them).

    .venv/bin/python scripts/make-templates.py

The workbook has real date cells, a list to choose the category from, and a second sheet "Help"
that explains each column in English and in Hungarian (the import reads the first sheet whose first
row names our columns). The .ods is LibreOffice's conversion of the .xlsx (`soffice`, from
`apt-get install libreoffice-calc-nogui`; only this script needs it). The CSV is UTF-8 with a BOM,
so that Excel opens its accents correctly.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mapapp.importer import COLUMN_NAMES, REQUIRED  # noqa: E402
from mapapp.records import CATEGORIES  # noqa: E402
from mapapp.strings import ui  # noqa: E402

EXAMPLES = ROOT / "examples"
HEADER = ["date", "end_date", "place", "title", "description", "source", "lat", "lon", "category",
          "title_hu", "description_hu"]
ROWS = [
    [date(1956, 10, 23), None, "Bem statue (Bem József tér)", "The marches meet at the Bem statue",
     "In the afternoon the marches from Pest and Buda meet at the statue of General József Bem, a hero "
     "of 1848–49 and a symbol of Polish–Hungarian friendship. The Writers' Union's demands are read out "
     "to the crowd.", "https://en.wikipedia.org/wiki/Hungarian_Revolution_of_1956", 47.5108, 19.0386,
     "demonstration", "A menetek a Bem-szobornál",
     "Délután a pesti és a budai menet Bem József tábornok szobránál találkozik; Bem az 1848–49-es "
     "szabadságharc hőse és a lengyel–magyar barátság jelképe. A tömegnek felolvassák az Írószövetség "
     "követeléseit."],
    [date(1956, 10, 23), date(1956, 10, 24), "Hungarian Radio, Bródy Sándor utca", "Siege of the Radio building",
     "A crowd demands that the students' points be broadcast. In the evening the state security (ÁVH) "
     "guards fire into the crowd, and the fight for the building goes on through the night.",
     "György Litván (ed.): The Hungarian Revolution of 1956. Reform, Revolt and Repression, 1953–1963. "
     "Longman, 1996", 47.4921, 19.0635, "fighting", "A Rádió ostroma",
     "A tömeg azt követeli, hogy a rádió olvassa be a diákok pontjait. Este az ÁVH-s őrség a tömegbe lő, "
     "és egész éjjel harc folyik az épületért."],
]
WIDTHS = [12, 12, 28, 30, 60, 40, 10, 10, 15, 30, 60]


def column_help(name: str, lang: str) -> str:
    return ui(lang)[f"col_{name}"].format(categories=", ".join(CATEGORIES), default="politics", lat="lat",
                                          lon="lon")


def write_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row[:2]:
            cell.number_format = "yyyy-mm-dd"
        for cell in row[6:8]:
            cell.number_format = "0.0000"
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in "EFK")
    choose = DataValidation(type="list", formula1='"' + ",".join(CATEGORIES) + '"', allow_blank=True)
    choose.add("I2:I5001")
    sheet.add_data_validation(choose)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("Help")
    help_sheet.append(["column", "magyarul", "required / kötelező", "what to write", "mit írjon bele"])
    for name in HEADER:
        help_sheet.append([name, COLUMN_NAMES[name][0], "*" if name in REQUIRED else "",
                           column_help(name, "en"), column_help(name, "hu")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (16, 16, 20, 60, 60)):
        help_sheet.column_dimensions[letter].width = width
    book.save(path)


def write_csv(path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in ROWS:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_ods(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "ods", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(Path(tmp) / f"{source.stem}.ods", target)


def main() -> int:
    write_xlsx(EXAMPLES / "template.xlsx")
    write_csv(EXAMPLES / "template.csv")
    if shutil.which("soffice") is None:
        print("soffice is missing (apt-get install libreoffice-calc-nogui): template.ods was not made",
              file=sys.stderr)
        return 1
    write_ods(EXAMPLES / "template.xlsx", EXAMPLES / "template.ods")
    return 0


if __name__ == "__main__":
    sys.exit(main())
