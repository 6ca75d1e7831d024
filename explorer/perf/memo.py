"""The explorer's one caching mechanism: `@memo` keeps a function's results per server process, keyed on the
function's own arguments, and hands every caller the same, read-only result.

Keys: plain values (str, int, float, bool, None, and tuples / frozensets of them) by value; any other argument (the
shared IndexData, one of its frames, rank bands) by identity, kept referenced with the entry so its id is never
reused while the entry lives. The published tables are one object per process (explorer.data.cache), so a result
keyed on them is valid for the life of the process. Nothing else names a key: there is no key to forget.

Results are shared, not copied: a view model's frames, specs and decks are read-only by contract (a caller that
needs a changed frame derives a new one, e.g. `frame.assign(...)`). With CDI_MEMO_CHECK=1 (set by the test suite)
every hit re-fingerprints its result and raises MemoMutated if a caller has changed it in place.

Why a per-process memo at all: every session of a page re-derived the same tables from the same shared data (the
measurements are in benchmarks/README.md).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])
MAX_ENTRIES = 256   # per function; a process has one IndexData, so only tests with many data sets ever evict
CHECK_ENV = "CDI_MEMO_CHECK"
_ALL: list[Callable[..., Any]] = []


class MemoMutated(AssertionError):
    """A caller changed a shared, memoised result in place."""


def _key_part(x: object) -> object:
    if isinstance(x, (str, int, float, bool, type(None))):
        return ("v", type(x).__name__, x)
    if isinstance(x, (tuple, frozenset)):
        parts = tuple(_key_part(v) for v in x)
        return ("t", parts) if isinstance(x, tuple) else ("s", frozenset(parts))
    return ("id", id(x))


def _hash_frame(x: pd.DataFrame | pd.Series) -> object:
    try:
        return int(pd.util.hash_pandas_object(x, index=True).sum()) if len(x) else 0
    except TypeError:          # unhashable cells (lists, dicts): the pickled bytes instead
        return hashlib.sha256(pickle.dumps(x)).hexdigest()


def fingerprint(x: object) -> object:
    """A value that changes when `x` (a frame, series, container or dataclass of them) is changed in place."""
    if isinstance(x, pd.DataFrame):
        return ("df", tuple(map(str, x.columns)), tuple(map(str, x.dtypes)), len(x), _hash_frame(x))
    if isinstance(x, pd.Series):
        return ("s", str(x.name), str(x.dtype), len(x), _hash_frame(x))
    if isinstance(x, dict):
        return ("d", tuple((repr(k), fingerprint(v)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return ("l", tuple(fingerprint(v) for v in x))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return ("dc", tuple(fingerprint(getattr(x, f.name)) for f in dataclasses.fields(x)))
    return ("o", id(x))


def memo(fn: F | None = None, *, max_entries: int = MAX_ENTRIES) -> F:
    """Memoise `fn` per process on its arguments (see the module docstring); the result is shared and read-only.
    `fn.cache_clear()` empties its entries; clear_all() empties every memo's."""
    if fn is None:
        return functools.partial(memo, max_entries=max_entries)  # type: ignore[return-value]
    entries: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = (tuple(_key_part(a) for a in args), tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())))
        with lock:
            hit = entries.get(key)
            if hit is not None:
                entries.move_to_end(key)
        check = os.environ.get(CHECK_ENV) == "1"
        if hit is None:
            result = fn(*args, **kwargs)
            hit = (result, args, tuple(kwargs.values()), fingerprint(result) if check else None)
            with lock:
                entries[key] = hit
                while len(entries) > max_entries:
                    entries.popitem(last=False)
        elif check and hit[3] is not None and fingerprint(hit[0]) != hit[3]:
            raise MemoMutated(f"{fn.__module__}.{fn.__qualname__}: a caller changed its shared result in place")
        return hit[0]

    wrapper.cache_clear = entries.clear  # type: ignore[attr-defined]
    _ALL.append(wrapper)
    return wrapper  # type: ignore[return-value]


def clear_all() -> None:
    """Empty every memo of the process (tests that swap the published data)."""
    for fn in _ALL:
        fn.cache_clear()  # type: ignore[attr-defined]
