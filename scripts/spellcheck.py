#!/usr/bin/env python3
"""Spell-check every English and Hungarian text of a dataset and of the interface with hunspell.

    python scripts/spellcheck.py [DATA_DIR]      # default: geodata/; exit 1 when a word is unknown

English is checked with Debian's hunspell-en-gb, Hungarian with hunspell-hu. Names and terms the
dictionaries lack are in tests/spelling/words-{en,hu}.txt, one per line; `Maléter/Péter` gives a
name the endings of a model word (Maléternek, Malétert ...). Place names as they were in 1956 and
are today (`name_1956`, `name_today`) and source titles are quoted as written, so they are not
checked.
"""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "tests" / "spelling"
PO = ROOT / "mapapp" / "translations" / "hu" / "LC_MESSAGES" / "messages.po"
DICTIONARIES = {"en": "en_GB", "hu": "hu_HU"}
# file -> columns with text in each language ({lang} is en or hu)
CSV_TEXT = {
    "events.csv": ("title_{lang}", "summary_{lang}"),
    "sites.csv": ("name_{lang}",),
    "claims.csv": ("measure_{lang}", "value_{lang}", "note_{lang}"),
}


@dataclass(frozen=True)
class Text:
    where: str  # file:line: field
    lang: str
    text: str


@dataclass(frozen=True)
class Unknown:
    where: str
    lang: str
    word: str

    def __str__(self) -> str:
        return (f"{self.where}: {self.word!r} is not in the {self.lang} dictionary "
                f"or tests/spelling/words-{self.lang}.txt")


def dataset_texts(folder: Path) -> Iterator[Text]:
    for name, columns in CSV_TEXT.items():
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                line = reader.line_num
                for lang in DICTIONARIES:
                    for pattern in columns:
                        column = pattern.format(lang=lang)
                        if row.get(column):
                            yield Text(f"{name}:{line}: {column}", lang, row[column])
    yield from _json_texts(folder / "routes.geojson", ("name_{lang}",))
    yield from _json_texts(folder / "lessons.json", ("title", "intro", "question", "notes"))
    meta = folder / "dataset.json"
    if meta.exists():
        title = json.loads(meta.read_text(encoding="utf-8")).get("title") or {}
        for lang in DICTIONARIES:
            if isinstance(title, dict) and title.get(lang):
                yield Text(f"dataset.json: title.{lang}", lang, title[lang])


def _json_texts(path: Path, keys: tuple[str, ...]) -> Iterator[Text]:
    """Texts in a JSON file: `name_en` style keys, or objects {"en": ..., "hu": ...} under `keys`."""
    if not path.exists():
        return
    doc = json.loads(path.read_text(encoding="utf-8"))

    def walk(node: object, trail: str) -> Iterator[Text]:
        if isinstance(node, dict):
            for key, value in node.items():
                for lang in DICTIONARIES:
                    if key in (k.format(lang=lang) for k in keys) and isinstance(value, str) and value:
                        yield Text(f"{path.name}: {trail}{key}", lang, value)
                if key in keys and isinstance(value, dict):
                    for lang in DICTIONARIES:
                        if isinstance(value.get(lang), str) and value[lang]:
                            yield Text(f"{path.name}: {trail}{key}.{lang}", lang, value[lang])
                else:
                    yield from walk(value, f"{trail}{key}.")
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, f"{trail}{index}.")

    yield from walk(doc, "")


def interface_texts(po: Path = PO) -> Iterator[Text]:
    """The English msgids and their Hungarian msgstrs, without {placeholders}."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale="hu")
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        yield Text(f"{po.name}: msgid {message.id!r}", "en", message.id)
        if isinstance(message.string, str) and message.string:
            yield Text(f"{po.name}: msgstr for {message.id!r}", "hu", message.string)


def _clean(text: str) -> str:
    """One line, placeholders removed, leading characters hunspell's pipe mode treats as commands escaped."""
    import re

    text = re.sub(r"\{[a-zA-Z_]+\}", " ", text)
    return "^" + " ".join(text.split())


def check(texts: list[Text], words_dir: Path = WORDS) -> list[Unknown]:
    """Every word hunspell does not know, with where it stands."""
    hunspell = shutil.which("hunspell")
    if hunspell is None:
        raise RuntimeError("hunspell is not installed: apt-get install hunspell hunspell-hu hunspell-en-gb")
    unknown: list[Unknown] = []
    for lang, dictionary in DICTIONARIES.items():
        chosen = [t for t in texts if t.lang == lang]
        if not chosen:
            continue
        command = [hunspell, "-a", "-i", "utf-8", "-d", dictionary]
        personal = words_dir / f"words-{lang}.txt"
        if personal.exists():
            command += ["-p", str(personal)]
        result = subprocess.run(command, input="\n".join(_clean(t.text) for t in chosen) + "\n",
                                capture_output=True, text=True, encoding="utf-8", check=True)
        # after hunspell's banner line, each input line gives its result lines, then a blank line
        index = 0
        for line in result.stdout.splitlines()[1:]:
            if not line:
                index += 1
            elif line[0] in "&#" and index < len(chosen):
                unknown.append(Unknown(chosen[index].where, lang, line.split()[1]))
    return unknown


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else ROOT / "geodata"
    texts = [*dataset_texts(folder), *interface_texts()]
    problems = check(texts)
    for problem in problems:
        print(problem)
    print(f"{len(texts)} texts checked, {len(problems)} unknown words", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
