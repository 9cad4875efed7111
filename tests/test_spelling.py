"""Every English and Hungarian text, of the shipped data and of the interface, is spelled as
Debian's hunspell dictionaries (en_GB, hu_HU) and the project's word lists know it."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import set_cell

sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
import spellcheck

PROJECT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def need_hunspell() -> None:
    if shutil.which("hunspell") and all(Path(f"/usr/share/hunspell/{d}.dic").exists()
                                        for d in spellcheck.DICTIONARIES.values()):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("hunspell with hunspell-hu and hunspell-en-gb is missing: run `make test`")
    pytest.skip("hunspell dictionaries are not installed")


def test_a_misspelled_word_is_named_with_its_place(data_dir: Path) -> None:
    set_cell(data_dir / "events.csv", 3, "summary_en", "The studnets marched to the statue.")
    set_cell(data_dir / "events.csv", 3, "title_hu", "A diákok felvonulnak a szoborhozz")
    found = [str(u) for u in spellcheck.check(list(spellcheck.dataset_texts(data_dir)))]
    assert "events.csv:3: summary_en: 'studnets' is not in the en dictionary" in " ".join(found)
    assert "events.csv:3: title_hu: 'szoborhozz' is not in the hu dictionary" in " ".join(found)


def test_the_word_lists_give_names_their_endings(tmp_path: Path) -> None:
    (tmp_path / "words-hu.txt").write_text("Maléter/Péter\n", encoding="utf-8")
    texts = [spellcheck.Text("x", "hu", "Maléternek és Malétert"), spellcheck.Text("y", "hu", "Malétr")]
    assert [u.word for u in spellcheck.check(texts, tmp_path)] == ["Malétr"]


def test_placeholders_and_command_characters_are_not_words() -> None:
    texts = [spellcheck.Text("a", "en", "{name} ({km} km)"), spellcheck.Text("b", "en", "*"),
             spellcheck.Text("c", "en", "# hash"), spellcheck.Text("d", "en", "zzqx")]
    assert [(u.where, u.word) for u in spellcheck.check(texts)] == [("d", "zzqx")]


def test_interface_texts_are_spelled_right() -> None:
    assert [str(u) for u in spellcheck.check(list(spellcheck.interface_texts()))] == []


def test_the_shipped_dataset_is_spelled_right() -> None:
    texts = list(spellcheck.dataset_texts(PROJECT / "geodata"))
    assert len(texts) > 500
    assert [str(u) for u in spellcheck.check(texts)] == []
