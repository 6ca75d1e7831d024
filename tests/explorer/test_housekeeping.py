"""The periodic garbage collection (explorer.perf.housekeeping): once per process, a daemon, off with CDI_GC_SECONDS=0,
never stopped by a bad setting, frees cyclic garbage, and imports no Streamlit."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from explorer.perf import housekeeping

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [
    (None, housekeeping.DEFAULT_SECONDS), ("", housekeeping.DEFAULT_SECONDS), ("12.5", 12.5), ("0", 0.0),
    ("-3", 0.0), ("abc", housekeeping.DEFAULT_SECONDS), ("nan", housekeeping.DEFAULT_SECONDS),
    ("inf", housekeeping.DEFAULT_SECONDS)])
def test_interval_from_the_environment(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("CDI_GC_SECONDS", raising=False)
    else:
        monkeypatch.setenv("CDI_GC_SECONDS", raw)
    assert housekeeping.interval() == expected


def test_off_starts_no_thread(monkeypatch):
    monkeypatch.setenv("CDI_GC_SECONDS", "0")
    assert housekeeping.start() is None
    assert housekeeping.start(0) is None


def test_started_once_per_process_as_a_daemon():
    first = housekeeping.start(3600)
    second = housekeeping.start(5)
    assert first is second and first.is_alive() and first.daemon and first.name == "cdi-periodic-gc"
    assert sum(t.name == "cdi-periodic-gc" for t in __import__("threading").enumerate()) == 1


def test_collect_once_frees_a_reference_cycle():
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    gc.disable()
    try:
        del a, b
        assert ref() is not None  # only a collection frees a cycle
        assert housekeeping.collect_once() >= 0
        assert ref() is None
    finally:
        gc.enable()


def test_no_streamlit_import():
    code = "import sys, explorer.perf.housekeeping; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
