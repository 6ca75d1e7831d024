"""What the pages hand st.dataframe: each frame converted once (to Arrow in English, to a locale Styler marshalled
once in the other languages) and reused for as long as the frame itself lives.

The cache is keyed on the frame object (held weakly): a frame from a memoised view model (explorer.perf.memo) is
one object per process, so every session after the first gets the converted table without any key to name; a
frame built in a run is converted in that run and its entry goes with it. Arrow tables are immutable and shared.
The conversion is Streamlit's own (explorer.compat), so the bytes sent are the ones st.dataframe would send.
Languages other than English get explorer.widgets.page.styled (locale number formats, the values still numbers
for sorting), marshalled once per frame (explorer.compat.install_styler_memo).
"""

from __future__ import annotations

import threading
import weakref

import pandas as pd
import pyarrow as pa
import streamlit as st

from explorer import compat
from explorer.text.i18n import fmt_number

_lock = threading.Lock()
_converted: dict[int, tuple[weakref.ref, dict]] = {}   # id(frame) -> (weakref to it, {variant: converted})
compat.install_styler_memo()


def to_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The Arrow table st.dataframe would build from `frame` (the frame itself if explorer.compat's arrow_table probe
    failed: st.dataframe then converts it on each call)."""
    return compat.arrow_table(frame)


def _forget(frame_id: int) -> None:
    with _lock:
        entry = _converted.get(frame_id)
        if entry is not None and entry[0]() is None:
            del _converted[frame_id]


def table(frame: pd.DataFrame, lang: str = "en", locale_format: bool = True,
          decimals: dict[str, int] | None = None):
    """What to hand st.dataframe for `frame` (read-only from here on): in English (or with `locale_format=False`,
    for a frame without numbers to format) its Arrow table; otherwise explorer.widgets.page.styled(frame, lang,
    decimals), marshalled once. Converted on the first call for this frame object, then shared."""
    styled_variant = locale_format and lang != "en"
    variant = ("styled", lang, tuple(sorted((decimals or {}).items()))) if styled_variant else ("arrow",)
    key = id(frame)
    with _lock:
        entry = _converted.get(key)
        if entry is not None and entry[0]() is frame and variant in entry[1]:
            return entry[1][variant]
    # the Styler holds a shallow copy (copy-on-write: no data copied), so the cache never keeps `frame` alive
    result = (compat.share_styler(styled(frame.copy(deep=False), lang, decimals)) if styled_variant
              else to_arrow(frame))
    if result is frame:                 # no Arrow conversion (explorer.compat's probe failed): nothing to keep
        return frame
    with _lock:
        entry = _converted.get(key)
        if entry is None or entry[0]() is not frame:
            entry = (weakref.ref(frame, lambda _r, k=key: _forget(k)), {})
            _converted[key] = entry
        return entry[1].setdefault(variant, result)


def styled(frame: pd.DataFrame, lang: str, decimals: dict[str, int] | None = None):
    """The frame for st.dataframe with its float columns shown in the locale's format (1 decimal unless `decimals`
    says otherwise). A Styler: the values stay numbers, so sorting by a column still sorts by value. English keeps
    the plain frame (its columns are formatted by column_config). Pair with nf() and score_column(). For a table
    that is the same for every session, explorer.widgets.tables.table keeps one Styler per process instead."""
    if lang == "en":
        return frame
    decimals = decimals or {}
    cols = {c: decimals.get(c, 1) for c in frame.columns
            if c in decimals or pd.api.types.is_float_dtype(frame[c].dtype)}
    return frame.style.format({c: (lambda v, d=d: "" if v is None or v != v else fmt_number(v, lang, d))
                               for c, d in cols.items()})


def nf(fmt: str, lang: str) -> str | None:
    """A column_config number format for English; None otherwise, so the Styler's locale text is shown."""
    return fmt if lang == "en" else None


def score_column(label: str, lang: str, decimals: int = 1, **kwargs):
    """A 0-100 score column: a bar with the score in English; in other languages the locale-formatted number
    (Streamlit's progress bars print numbers only in the English format)."""
    if lang == "en":
        return st.column_config.ProgressColumn(label, min_value=0, max_value=100, format=f"%.{decimals}f", **kwargs)
    return st.column_config.NumberColumn(label, **kwargs)
