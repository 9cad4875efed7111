"""Run the `mapapp` command and SIGKILL it at one chosen file-system step (tests/test_atomic.py).

    python tests/killer.py STEP -- import data.csv --out DIR --force

Steps are the calls that change what a reader of the folder sees: os.rename/os.replace (and
Path.rename), the renameat2 exchange (mapapp.folders.exchange), os.unlink, os.rmdir and
shutil.rmtree. The process kills itself just before step STEP (1-based); STEP 0 never kills.
"ready" is printed on stderr once mapapp is imported (for kills at random times); a run that ends
prints "steps: KIND KIND ..." on stderr, the steps it went through in order.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys

from mapapp import cli, folders

STOP = int(sys.argv[1])
ARGS = sys.argv[sys.argv.index("--") + 1:]
STEPS: list[str] = []


def watched(kind: str, function):
    def step(*args, **kwargs):
        STEPS.append(kind)
        if len(STEPS) == STOP:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return step


os.rename = watched("rename", os.rename)
os.replace = watched("replace", os.replace)
os.unlink = watched("unlink", os.unlink)
os.rmdir = watched("rmdir", os.rmdir)
shutil.rmtree = watched("rmtree", shutil.rmtree)
folders.exchange = watched("exchange", folders.exchange)  # type: ignore[assignment]
print("ready", file=sys.stderr, flush=True)
try:
    cli.main(ARGS, prog_name="mapapp", standalone_mode=False)
finally:
    print("steps: " + " ".join(STEPS), file=sys.stderr, flush=True)
