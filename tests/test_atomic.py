"""Writes that are atomic as a whole: `mapapp import --force` and `mapapp export` are killed
(SIGKILL) at random moments and just before every step that changes the folder (tests/killer.py),
and what is left must be the old folder or the new one, byte for byte, and load (`mapapp check`).
The next run must clean up whatever the killed one left and finish."""
from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT

from mapapp.geodata import load_dataset

KILLER = Path(__file__).with_name("killer.py")
RANDOM_KILLS = 22
ALWAYS = {"rename", "replace", "exchange", "rmtree"}


def snapshot(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file (symlinks and folders aside); {} for no folder."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(args: list[str], cwd: Path, stop: int = 0, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(KILLER), str(stop), "--", *args], cwd=cwd, env=env,
                          check=False, capture_output=True, text=True, timeout=120)


def steps_of(result: subprocess.CompletedProcess) -> list[str]:
    line = next(line for line in result.stderr.splitlines() if line.startswith("steps:"))
    return line.split()[1:]


def chosen_steps(steps: list[str]) -> list[int]:
    """Every rename/exchange/rmtree step, and the first and last of each other kind (unlink ...)."""
    chosen = {i + 1 for i, kind in enumerate(steps) if kind in ALWAYS}
    for kind in set(steps) - ALWAYS:
        places = [i + 1 for i, k in enumerate(steps) if k == kind]
        chosen |= {places[0], places[-1]}
    return sorted(chosen)


def start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, float]:
    """The command under tests/killer.py, once mapapp is imported; and when that was."""
    process = subprocess.Popen([sys.executable, str(KILLER), "0", "--", *args], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None and process.stderr.readline().strip() == "ready"
    return process, time.monotonic()


def kill_at_random(args: list[str], cwd: Path, duration: float, rng: random.Random) -> tuple[bool, float]:
    """SIGKILL at a random moment of the command's work; (False, delay) when it finished first."""
    process, _ = start(args, cwd)
    delay = rng.uniform(0, 0.8 * duration)  # the last fifth is mostly the interpreter's exit
    time.sleep(delay)
    process.kill()
    process.wait(timeout=30)
    assert process.stderr is not None
    process.stderr.close()
    return process.returncode == -9, delay


class Scenario:
    """One command over an old folder, with the old and new states it may leave."""

    def __init__(self, root: Path, args: list[str], target: Path, pristine: Path) -> None:
        self.root, self.args, self.target, self.pristine = root, args, target, pristine
        self.prepare()
        self.old = snapshot(target)
        process, ready = start(args, root)
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        self.duration = time.monotonic() - ready  # the command's own work, after Python's start-up
        self.steps = steps_of(subprocess.CompletedProcess(args, 0, "", stderr))
        self.new = snapshot(target)
        assert self.old and self.new and self.old != self.new

    def prepare(self) -> None:
        """The old folder again, as the command first found it, and no half-made siblings."""
        for leftover in self.target.parent.glob(f".{self.target.name}.*"):
            shutil.rmtree(leftover)
        shutil.rmtree(self.target, ignore_errors=True)
        shutil.copytree(self.pristine, self.target)

    def outcome(self) -> str:
        state = snapshot(self.target)
        assert state in (self.old, self.new), f"a mix: {sorted(set(state.items()) ^ set(self.old.items()))[:6]}"
        return "old" if state == self.old else "new"

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.target.parent.iterdir() if p.name.startswith(f".{self.target.name}."))


def exercise(scenario: Scenario, check, seed: int) -> Counter:
    """Kill before every chosen step and at RANDOM_KILLS random moments; after each kill the folder
    is old or new and passes `check`; every fifth time, and after the last kill, the next run
    finishes and cleans up what the killed one left."""
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    steps = chosen_steps(scenario.steps)
    number = 0
    while outcomes.total() - outcomes["rerun:clean"] < len(steps) + RANDOM_KILLS + outcomes["finished"]:
        scenario.prepare()
        if number < len(steps):
            result = run(scenario.args, scenario.root, stop=steps[number])
            assert result.returncode == -9, (steps[number], result.stderr)
            kind = "step"
        elif (killed := kill_at_random(scenario.args, scenario.root, scenario.duration, rng))[0]:
            kind = "random"
        else:
            # the command ended before its random moment (the reference run was slow on a busy
            # machine): it takes at most that long, so aim within that from now on
            kind = "finished"
            scenario.duration = min(scenario.duration, killed[1])
            assert outcomes["finished"] < RANDOM_KILLS, "the random moments miss the command's work"
        state = scenario.outcome()
        outcomes[kind if kind == "finished" else f"{kind}:{state}"] += 1
        check(scenario.target)
        if number % 5 == 4:
            again = run(scenario.args, scenario.root)
            assert again.returncode == 0, again.stderr
            assert scenario.outcome() == "new" and scenario.leftovers() == [], scenario.leftovers()
            outcomes["rerun:clean"] += 1
        number += 1
    again = run(scenario.args, scenario.root)
    assert again.returncode == 0 and scenario.outcome() == "new" and scenario.leftovers() == []
    outcomes["rerun:clean"] += 1
    return outcomes


def test_import_force_leaves_the_old_dataset_or_the_new_one(tmp_path: Path) -> None:
    old_csv, new_csv = PROJECT / "examples" / "pest-1848.csv", tmp_path / "new.csv"
    new_csv.write_text(old_csv.read_text(encoding="utf-8").replace("Pilvax café", "Café Pilvax")
                       .replace("The Twelve Points", "Twelve Points"), encoding="utf-8")
    pristine = tmp_path / "pristine"
    assert run(["import", str(old_csv), "--out", str(pristine), "--offline"], tmp_path).returncode == 0
    events = (pristine / "events.csv").read_text(encoding="utf-8").splitlines()
    first_event = events[1].split(",")[0]
    (pristine / "claims.csv").write_text(
        "id,event_id,measure_en,measure_hu,value_en,value_hu,source_id\n"
        f"c1,{first_event},crowd,tömeg,thousands,több ezer,"
        f"{(pristine / 'sources.csv').read_text(encoding='utf-8').splitlines()[1].split(',')[0]}\n",
        encoding="utf-8")
    (pristine / "notes.txt").write_text("a teacher's notes")
    (pristine / "geocode-cache.json").write_text("{}\n")
    load_dataset(pristine)
    target = tmp_path / "my-map"
    scenario = Scenario(tmp_path, ["import", str(new_csv), "--out", str(target), "--force", "--offline"],
                        target, pristine)
    assert "claims.csv" in scenario.old and "claims.csv" not in scenario.new
    assert scenario.old["notes.txt"] == scenario.new["notes.txt"], "files the import does not write are kept"
    assert "exchange" in scenario.steps, "the dataset is swapped in with renameat2(RENAME_EXCHANGE)"
    outcomes = exercise(scenario, load_dataset, seed=1956)
    print(f"import --force: {dict(outcomes)}")
    assert outcomes["random:old"] + outcomes["random:new"] == RANDOM_KILLS
    assert outcomes["step:old"] and outcomes["step:new"]


def test_export_leaves_the_old_copy_or_the_new_one(tmp_path: Path) -> None:
    second = tmp_path / "second"
    shutil.copytree(FIXTURES / "mini", second)
    meta = json.loads((second / "dataset.json").read_text(encoding="utf-8"))
    meta["title"]["en"] = "Mini fixture, second edition"
    (second / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    pristine = tmp_path / "pristine"
    assert run(["export", str(pristine), "--data", str(FIXTURES / "mini")], tmp_path).returncode == 0
    target = tmp_path / "site"

    def check(folder: Path) -> None:
        assert (folder / "index.html").is_file() and json.loads((folder / ".mapapp-export.json").read_text())

    scenario = Scenario(tmp_path, ["export", str(target), "--data", str(second)], target, pristine)
    outcomes = exercise(scenario, check, seed=1848)
    print(f"export: {dict(outcomes)}")
    assert outcomes["random:old"] + outcomes["random:new"] == RANDOM_KILLS
    assert outcomes["step:old"] and outcomes["step:new"]


@pytest.mark.parametrize("kill_before", ["rename", "second rename"])
def test_without_renameat2_the_next_run_puts_the_old_folder_back(tmp_path: Path, monkeypatch, kill_before) -> None:
    """The documented fallback: target aside, then new into place; a kill between them leaves no
    target, and the next run restores the old folder before it does anything else."""
    from mapapp import folders
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", target)
    old = snapshot(target)
    work = folders.new_folder(target)
    (work / "events.csv").write_text("new")
    monkeypatch.setattr(folders, "_RENAMEAT2", None)
    renames = []
    real_rename = Path.rename

    def interrupted(self, other):
        renames.append(self)
        if len(renames) == (1 if kill_before == "rename" else 2):
            raise KeyboardInterrupt  # stands in for the kill: nothing after this runs
        return real_rename(self, other)

    monkeypatch.setattr(Path, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        folders.swap_in(work, target)
    monkeypatch.setattr(Path, "rename", real_rename)
    monkeypatch.setattr(folders, "_alive", lambda pid: False)  # as seen by the next run
    folders.clean_leftovers(target)
    assert snapshot(target) == old and sorted(p.name for p in tmp_path.iterdir()) == ["data"]
