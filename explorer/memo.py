"""A per-process memo for the pages' pure table helpers (no Streamlit, so the snapshots and tests can use them).

Why: every session of a page re-derived the same tables from the same shared, read-only IndexData (the methodology
page's per-indicator source tables took ~0.3 s of each run, the Pact page's tables ~0.5 s). The published tables
are one object per server process (explorer.data.get_index), so a result keyed by the identity of its DataFrame /
dict / IndexData arguments (and the value of the others) is valid for the life of the process. The arguments are
kept referenced with the result, so an id is never reused while its entry lives. Each caller gets its own copy of a
DataFrame or dict result (pages add columns to them); copying a small table costs a fraction of a millisecond.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

import pandas as pd

MAX_ENTRIES = 256   # per function; a process has one IndexData, so only tests with many data sets ever evict


def _key_part(x: object) -> object:
    if isinstance(x, (str, int, float, bool, type(None), tuple)):
        return ("v", x)
    return ("id", id(x))


def _private(result: object) -> object:
    """A copy the caller may change: frames copied, containers rebuilt, immutable values shared."""
    if isinstance(result, pd.DataFrame | pd.Series):
        return result.copy()
    if isinstance(result, dict):
        return {k: _private(v) for k, v in result.items()}
    if isinstance(result, list | tuple):
        return type(result)(_private(v) for v in result)
    return result


def private(result: object) -> object:
    """A copy of a memoised result that the caller may change (see _private)."""
    return _private(result)


def per_process(fn):
    """Memoise `fn` on the identity of its object arguments; hand every caller a private copy of the result.

    Only for functions of the shared IndexData (or its frames) and plain values: an argument built per session
    (a filtered frame) would never hit, and its entry would keep the frame alive until evicted."""
    entries: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = (tuple(_key_part(a) for a in args), tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())))
        with lock:
            hit = entries.get(key)
            if hit is not None:
                entries.move_to_end(key)
        if hit is None:
            result = fn(*args, **kwargs)
            hit = (result, args, tuple(kwargs.values()))        # keep the arguments alive: their ids stay unique
            with lock:
                entries[key] = hit
                while len(entries) > MAX_ENTRIES:
                    entries.popitem(last=False)
        return _private(hit[0])

    wrapper.cache_clear = entries.clear
    return wrapper
