"""Replacing a whole folder so that a reader, or a kill at any moment, sees the old folder or the
new one, never a mix (used by `mapapp import --force`, `export` and `collect-static`).

The new folder is written beside the target as `.NAME.new-PID-XXXX`, every file and folder is
fsynced, and then one atomic step swaps the two: Linux renameat2(RENAME_EXCHANGE), called
through ctypes. The old content, now at the new folder's name, is renamed `.NAME.old-PID-XXXX`
and removed. Where renameat2 is missing (not Linux, glibc < 2.28, a file system without it), the
fallback is two renames, target aside and new into place: a kill between them leaves no target,
and the next run renames the old folder back before doing anything else.

Leftovers of killed runs (`.NAME.new-*`, `.NAME.old-*` whose process is gone) are removed by the
next run; `remove` lets a caller delete only the files it wrote.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False (and nothing changed) where unsupported."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def real_target(path: Path) -> Path:
    """The folder to replace: a symlink's own target, so the link keeps pointing at the new copy."""
    return Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path).absolute()


def _pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(new|old)-(\d+)-[^/]+")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(target: Path) -> list[tuple[str, Path]]:
    """('new'|'old', path) for each temporary folder of `target` left by a process that is gone."""
    pattern = _pattern(target)
    found = []
    for entry in sorted(target.parent.iterdir()) if target.parent.is_dir() else []:
        match = pattern.fullmatch(entry.name)
        if match and not _alive(int(match.group(2))):
            found.append((match.group(1), entry))
    return found


def clean_leftovers(target: Path, remove: Callable[[Path], object] = shutil.rmtree) -> None:
    """Undo what a killed run left: a missing target gets its old folder back; the rest goes."""
    found = leftovers(target)
    if not target.exists() and not target.is_symlink():
        old = [path for kind, path in found if kind == "old"]
        if old:
            old[-1].rename(target)  # the fallback's window: target aside, new not yet in place
            _fsync_dir(target.parent)
            found = leftovers(target)
    for kind, path in found:
        if kind == "new":
            shutil.rmtree(path)  # ours alone (or, killed right after the swap, the old content)
        else:
            remove(path)


def new_folder(target: Path) -> Path:
    """An empty folder beside `target` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(work, 0o777 & ~umask)  # mkdtemp's 0700 would hide the folder from a web server
    return work


def write_files(root: Path, files: dict[str, bytes], mtime: Callable[[bytes], float] | None = None) -> None:
    """Write `files` (relative posix path -> bytes) under `root`, each flushed to disk; `mtime`
    gives a file's modification time from its bytes (else: now)."""
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        if mtime is not None:
            os.utime(path, (mtime(body), mtime(body)))


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under `root`, so the swap never publishes empty files."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        _fsync_dir(Path(folder))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(work: Path, target: Path) -> Path | None:
    """Put the finished folder `work` at `target` in one step; returns where the old content now
    is (for the caller to remove), or None when there was no target."""
    fsync_tree(work)
    if not target.exists():
        work.rename(target)
        _fsync_dir(target.parent)
        return None
    old = work.with_name(work.name.replace(".new-", ".old-", 1))
    if exchange(work, target):
        _fsync_dir(target.parent)
        work.rename(old)
    else:
        target.rename(old)
        work.rename(target)
    _fsync_dir(target.parent)
    return old
