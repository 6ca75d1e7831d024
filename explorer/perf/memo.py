"""A per-process memo for the pages' pure table helpers (no Streamlit, so the snapshots and tests can use them).

Why: every session of a page re-derived the same tables from the same shared, read-only IndexData (the methodology
page's per-indicator source tables took ~0.3 s of each run, the Pact page's tables ~0.5 s). The published tables
are one object per server process (explorer.data.cache.get_index), so a result keyed by the identity of its DataFrame /
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


class KeyedMemo:
    """A per-process LRU of results keyed on the identity of an owner object (the shared IndexData) and an explicit
    key of plain values that names everything else the result depends on; the builder itself is never compared.
    With `copy`, each caller gets a private copy (see _private); without, the result must be immutable (a pyarrow
    Table, bytes). The owner is kept referenced with its entry, so its id is not reused while the entry lives."""

    def __init__(self, max_entries: int = MAX_ENTRIES, copy: bool = True) -> None:
        self.max_entries, self.copy = max_entries, copy
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, owner: object, key: tuple, build):
        """The memoised `build()` for (owner, key), built on the first call."""
        full = (id(owner), key)
        with self._lock:
            hit = self._entries.get(full)
            if hit is not None:
                self._entries.move_to_end(full)
        if hit is None:
            hit = (build(), owner)
            with self._lock:
                self._entries[full] = hit
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return _private(hit[0]) if self.copy else hit[0]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
