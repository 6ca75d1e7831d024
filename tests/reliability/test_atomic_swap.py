"""The published folder is swapped, never absent: a reader polling data/index while builds replace it always finds
it and its manifest, and a build killed mid-write leaves only a temporary folder that git ignores and the next build
removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from cdi_core import store
from cdi_core.store import replace_dir_atomically

REPO = Path(__file__).resolve().parents[2]


def _write(n: int):
    def write(tmp: Path) -> None:
        (tmp / "manifest.json").write_text(f'{{"n": {n}}}', encoding="utf-8")
        (tmp / "scores.parquet").write_bytes(b"x" * 1000)

    return write


def test_the_folder_exists_at_every_step_of_a_swap(tmp_path, monkeypatch):
    """Each file-system step of the swap is followed by a look at the target: it must always be there."""
    target = tmp_path / "index"
    replace_dir_atomically(target, _write(0))
    missing: list[str] = []
    real_rename, real_exchange = os.rename, store.exchange

    def rename(a, b):
        real_rename(a, b)
        if not (target / "manifest.json").is_file():
            missing.append(f"after rename {Path(a).name} -> {Path(b).name}")

    def exchange(a, b):
        ok = real_exchange(a, b)
        if not (target / "manifest.json").is_file():
            missing.append("after exchange")
        return ok

    monkeypatch.setattr(store.os, "rename", rename)
    monkeypatch.setattr(store, "exchange", exchange)
    for n in range(1, 4):
        replace_dir_atomically(target, _write(n))
    assert not missing, missing
    assert (target / "manifest.json").read_text() == '{"n": 3}'
    assert [p.name for p in tmp_path.iterdir()] == ["index"]  # no temporary folder left


def test_a_polling_reader_never_misses_the_folder(tmp_path):
    target = tmp_path / "index"
    replace_dir_atomically(target, _write(0))
    stop, misses, looks = threading.Event(), [], [0]

    def poll():
        while not stop.is_set():
            looks[0] += 1
            if not (target / "manifest.json").exists():
                misses.append(looks[0])

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for n in range(300):
            replace_dir_atomically(target, _write(n))
    finally:
        stop.set()
        reader.join()
    assert looks[0] > 300 and not misses, (looks[0], misses[:5])


KILLED = """
import os, signal, sys
from pathlib import Path
from cdi_core.store import replace_dir_atomically
def write(tmp):
    (tmp / "manifest.json").write_text("{}")
    os.kill(os.getpid(), signal.SIGKILL)   # killed mid-write
replace_dir_atomically(Path(sys.argv[1]), write)
"""


def test_a_build_killed_mid_write_leaves_ignored_litter_that_the_next_build_removes(tmp_path):
    target = tmp_path / "index"
    replace_dir_atomically(target, _write(0))
    proc = subprocess.run([sys.executable, "-c", KILLED, str(target)], cwd=REPO, env={**os.environ,
                          "PYTHONPATH": str(REPO)})
    assert proc.returncode == -signal.SIGKILL
    litter = sorted(p.name for p in tmp_path.iterdir() if p.name != "index")
    assert len(litter) == 1 and litter[0].startswith(".index.tmp-"), litter
    assert (target / "manifest.json").read_text() == '{"n": 0}'  # the published folder is untouched
    # git ignores such a folder wherever it appears in the repository (data/.index.tmp-...)
    ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", f"data/{litter[0]}/manifest.json"],
                             cwd=REPO)
    assert ignored.returncode == 0, f"git does not ignore data/{litter[0]}"
    replace_dir_atomically(target, _write(1))
    assert [p.name for p in tmp_path.iterdir()] == ["index"]
