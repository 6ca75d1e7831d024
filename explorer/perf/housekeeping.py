"""Give memory back after a burst: one full garbage collection (and glibc malloc_trim) every CDI_GC_SECONDS
(default 30; 0 = off) in the server process, which runs with `runner.postScriptGC = false`. No Streamlit import.
Why: benchmarks/README.md, "Why the explorer caches what it caches".
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import math
import os
import threading
import time

from explorer.perf.memo import memo

DEFAULT_SECONDS = 30.0
_started = threading.Lock()
_thread: threading.Thread | None = None


@memo
def _malloc_trim():
    """glibc's malloc_trim, looked up once (find_library may run ldconfig in a subprocess); None elsewhere."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _trim() -> None:
    """Return freed heap pages to the OS (glibc only; a no-op elsewhere)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def interval(raw: str | None = None) -> float:
    """Seconds between collections from CDI_GC_SECONDS (or `raw`): unset, empty or not a finite number -> the
    default; 0 or less -> 0 (off). A bad value never stops the app."""
    raw = os.environ.get("CDI_GC_SECONDS") if raw is None else raw
    try:
        seconds = float(raw) if raw not in (None, "") else DEFAULT_SECONDS
    except ValueError:
        return DEFAULT_SECONDS
    if not math.isfinite(seconds):
        return DEFAULT_SECONDS
    return max(seconds, 0.0)


def collect_once() -> float:
    """One full collection and trim; returns its seconds."""
    t0 = time.perf_counter()
    gc.collect()
    _trim()
    return time.perf_counter() - t0


def start(seconds: float | None = None) -> threading.Thread | None:
    """Start the collector thread once per process (idempotent: a running thread is returned as it is); a daemon,
    so it never keeps the process alive. None if disabled (CDI_GC_SECONDS=0)."""
    global _thread
    seconds = interval() if seconds is None else seconds
    if seconds <= 0:
        return None
    with _started:
        if _thread is None or not _thread.is_alive():
            def loop() -> None:
                while True:
                    time.sleep(seconds)
                    with contextlib.suppress(Exception):  # never let housekeeping end the thread
                        collect_once()

            _thread = threading.Thread(target=loop, name="cdi-periodic-gc", daemon=True)
            _thread.start()
    return _thread
