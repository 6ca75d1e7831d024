"""Atomic writes: a build or an ingest either replaces a whole output folder or leaves the old one untouched.

The swap leaves no moment without the folder: on Linux the new folder and the old one are exchanged in one
renameat2(RENAME_EXCHANGE) call; elsewhere (or on a file system without it) the old folder is renamed aside and the
new one renamed in, a gap of two system calls. Temporary folders are siblings named `.<name>.tmp-<pid>-*` and
`.<name>.old-<pid>-*`; a run killed mid-write leaves one behind, which git ignores (.gitignore) and the next run on
the same folder removes once its process is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_LITTER = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)-")


def _libc_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_renameat2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2); False if this system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_litter(target: Path) -> list[Path]:
    """Remove the temporary siblings of `target` left by runs that died mid-write (their process is gone)."""
    removed = []
    for p in Path(target).parent.glob(f".{Path(target).name}.*-*"):
        m = _LITTER.match(p.name)
        if m and m.group("name") == Path(target).name and not _alive(int(m.group("pid"))):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def replace_dir_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a fresh sibling folder, then swap it in for `target`.

    If `write` raises, `target` is untouched and the temporary folder is removed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_litter(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the published folder should not be
    try:
        write(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists() and exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old folder
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}-{tmp.name.rsplit('-', 1)[-1]}"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        if old.exists():
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
