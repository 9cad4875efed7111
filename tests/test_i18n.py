"""The interface text: English msgids in mapapp/strings.py, Hungarian from the gettext catalog
mapapp/translations/hu/LC_MESSAGES/messages.po (read with Babel at import), the template
mapapp/translations/messages.pot kept in step by scripts/update-translations.sh."""
from __future__ import annotations

import logging
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from mapapp import strings
from mapapp.records import CATEGORIES

PROJECT = Path(__file__).parent.parent
TRANSLATIONS = PROJECT / "mapapp" / "translations"
POT = TRANSLATIONS / "messages.pot"
HU_PO = TRANSLATIONS / "hu" / "LC_MESSAGES" / "messages.po"


def read(path: Path):
    with open(path, "rb") as handle:
        return read_po(handle)


def ids(catalog) -> list[str]:
    return [message.id for message in catalog if message.id]  # the header has the empty msgid


def fields(text: str) -> list[tuple[str, str, str | None]]:
    """The str.format replacement fields of a text: (name, format spec, conversion), sorted."""
    return sorted((name, spec or "", conv) for _, name, spec, conv in string.Formatter().parse(text)
                  if name is not None)


def all_pairs() -> list[tuple[str, str]]:
    """(where, msgid) for every interface key and every category label and help text."""
    pairs = [(f"ui:{key}", msgid) for key, msgid in strings.MESSAGES.items()]
    for category, (label, help_) in strings.CATEGORY_MESSAGES.items():
        pairs += [(f"category:{category}:label", label), (f"category:{category}:help", help_)]
    return pairs


@pytest.fixture(scope="module")
def hu():
    return read(HU_PO)


@pytest.mark.parametrize(("where", "msgid"), all_pairs(), ids=[w for w, _ in all_pairs()])
def test_hungarian_translation_is_complete(hu, where, msgid):
    message = hu.get(msgid)
    assert message is not None, f"{where}: {msgid!r} is missing from {HU_PO}"
    assert not message.fuzzy, f"{where}: {msgid!r} is marked fuzzy in {HU_PO}"
    assert message.string and message.string.strip(), f"{where}: {msgid!r} has no translation"
    assert fields(message.string) == fields(msgid), \
        f"{where}: placeholders differ: {message.string!r} vs {msgid!r}"


def test_catalog_checks_report_missing_empty_and_fuzzy():
    hu = read(HU_PO)  # a private copy: it gets spoiled below
    assert strings.untranslated(hu) == []
    hu.get("Day").flags.add("fuzzy")
    hu.get("Print").string = ""
    hu.delete("Map")
    assert sorted(strings.untranslated(hu)) == ["Day", "Map", "Print"]


def test_every_placeholder_text_formats():
    for lang in ("en", "hu"):
        for text in strings.ui(lang).values():
            text.format(**{name: "x" for name, _, _ in fields(text)})  # no KeyError, no bad spec


def test_keys_and_categories_unchanged_by_language():
    assert list(strings.ui("en")) == list(strings.ui("hu")) == list(strings.MESSAGES)
    assert strings.ui("en") == strings.MESSAGES
    assert strings.ui("xx") == strings.ui("en")  # an unknown language falls back to English
    assert set(strings.CATEGORY_MESSAGES) == set(CATEGORIES) == set(strings.CATEGORY_COLORS)
    for lang in ("en", "hu"):
        cats = strings.categories(lang)
        assert [c["id"] for c in cats] == list(CATEGORIES)
        assert all(c["label"] and c["help"] and c["color"] for c in cats)


def test_template_and_catalog_agree_with_strings_py(hu):
    expected = strings.msgids()
    pot = read(POT)
    assert len(ids(pot)) == len(set(ids(pot)))
    assert set(ids(pot)) == set(expected), \
        f"messages.pot is stale (run scripts/update-translations.sh): " \
        f"missing {sorted(set(expected) - set(ids(pot)))}, extra {sorted(set(ids(pot)) - set(expected))}"
    assert set(ids(hu)) == set(expected), \
        f"hu messages.po is stale (run scripts/update-translations.sh): " \
        f"missing {sorted(set(expected) - set(ids(hu)))}, extra {sorted(set(ids(hu)) - set(expected))}"
    assert not hu.obsolete, f"obsolete entries in {HU_PO}: {list(hu.obsolete)}"
    assert str(hu.locale) == "hu"


def test_hungarian_comes_from_the_catalog(hu):
    assert strings.ui("hu") == {key: hu.get(msgid).string for key, msgid in strings.MESSAGES.items()}
    assert [(c["label"], c["help"]) for c in strings.categories("hu")] == [
        (hu.get(strings.CATEGORY_MESSAGES[c][0]).string, hu.get(strings.CATEGORY_MESSAGES[c][1]).string)
        for c in CATEGORIES]
    # no Hungarian text left in the Python source
    source = (PROJECT / "mapapp" / "strings.py").read_text(encoding="utf-8")
    leftovers = [m.string for m in hu if m.id and m.string != m.id and m.string in source]
    assert leftovers == []


def edited_copy(tmp_path: Path, edit) -> Path:
    """A copy of the translations folder whose Hungarian catalog went through edit(catalog)."""
    target = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, target)
    po = target / "hu" / "LC_MESSAGES" / "messages.po"
    catalog = read(po)
    edit(catalog)
    with open(po, "wb") as handle:
        write_po(handle, catalog)
    return target


def test_changed_msgstr_shows_in_ui(tmp_path, monkeypatch):
    def edit(catalog):
        catalog.get("Day").string = "Nap (teszt)"
        catalog.get("Fighting").string = "Harcok (teszt)"
    copy = edited_copy(tmp_path, edit)
    monkeypatch.setattr(strings, "_TABLES", strings.load_tables(copy))
    assert strings.ui("hu")["dayLabel"] == "Nap (teszt)"
    assert strings.ui("en")["dayLabel"] == "Day"
    assert {c["id"]: c["label"] for c in strings.categories("hu")}["fighting"] == "Harcok (teszt)"


def test_catalog_is_read_at_import(tmp_path):
    """A fresh interpreter importing a copy of the package shows the copy's edited msgstr."""
    package = tmp_path / "pkg" / "mapapp"
    shutil.copytree(PROJECT / "mapapp", package, ignore=shutil.ignore_patterns("__pycache__"))
    po = package / "translations" / "hu" / "LC_MESSAGES" / "messages.po"
    catalog = read(po)
    catalog.get("Next day").string = "Következő nap (másolat)"
    with open(po, "wb") as handle:
        write_po(handle, catalog)
    code = ("import mapapp, mapapp.strings as s; print(mapapp.__file__); "
            "print(s.ui('hu')['nextDay'])")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "pkg"), "PYTHONIOENCODING": "utf-8"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         encoding="utf-8", check=True, cwd=tmp_path).stdout.splitlines()
    assert out[0].startswith(str(package))
    assert out[1] == "Következő nap (másolat)"


def test_fuzzy_or_missing_falls_back_to_english_loudly(tmp_path, caplog):
    def edit(catalog):
        catalog.get("▶ Play").flags.add("fuzzy")
        catalog.delete("Cited by")
    with caplog.at_level(logging.WARNING, logger="mapapp.strings"):
        tables = strings.load_tables(edited_copy(tmp_path, edit))
    assert tables["hu"][0]["play"] == "▶ Play" and tables["hu"][0]["citedBy"] == "Cited by"
    assert "missing or fuzzy" in caplog.text and "Cited by" in caplog.text


def test_update_script_finds_everything_up_to_date():
    script = PROJECT / "scripts" / "update-translations.sh"
    pybabel = Path(sys.executable).parent / "pybabel"
    if not pybabel.exists() and not (pybabel := shutil.which("pybabel")):
        pytest.skip("pybabel is not installed")
    before = {p: p.read_bytes() for p in (POT, HU_PO)}
    result = subprocess.run(["sh", str(script), "--check"], check=False, capture_output=True, text=True,
                            env={**os.environ, "PYBABEL": str(pybabel)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p: p.read_bytes() for p in before} == before  # --check changes nothing


def test_every_key_the_templates_and_scripts_use_exists():
    """A `t.key` in a template or in the slider's JS that ui() lacks renders as nothing."""
    used = {}
    for path in sorted((PROJECT / "mapapp" / "templates").glob("*.html")):
        for key in re.findall(r"\bt\.(\w+)", path.read_text(encoding="utf-8")):
            used.setdefault(key, path.name)
    for path in sorted((PROJECT / "static" / "js").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        if "data.strings" in text:  # the slider: `this.t = data.strings`, then t.key / this.t.key
            for key in re.findall(r"\bt\.(\w+)", text):
                used.setdefault(key, path.name)
    missing = {key: where for key, where in used.items() if key not in strings.MESSAGES}
    assert missing == {}, "keys used but not defined in mapapp/strings.py MESSAGES " \
                          "(add them there, run scripts/update-translations.sh, translate)"
