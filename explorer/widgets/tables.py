"""Tables for st.dataframe converted to Arrow once per process instead of on every script run.

Why: `st.dataframe(frame)` converts the pandas frame to an Arrow table on every call (pyarrow's pandas conversion:
~10 ms for each of the methodology page's larger tables), although the published tables are the same for every
session. Given a pyarrow Table, st.dataframe only serialises it. `table` converts with the same function
st.dataframe uses (explorer.compat.arrow_table: Streamlit's own, or the frame itself when its probe fails), so the
bytes sent are the same, and keeps the result per process in an LRU keyed on the shared IndexData and a key naming
everything else the table depends on. Arrow tables are immutable, so every session shares one.

Languages other than English get the pandas Styler of explorer.widgets.page.styled (locale number formats, the values
still numbers for sorting), also one per table and language per process, marshalled once
(explorer.compat.install_styler_memo).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pandas as pd
import pyarrow as pa

from explorer import compat
from explorer.perf.memo import KeyedMemo
from explorer.widgets.page import styled

MAX_TABLES = 256
_tables = KeyedMemo(MAX_TABLES, copy=False)
compat.install_styler_memo()


def to_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The Arrow table st.dataframe would build from `frame` (the frame itself if explorer.compat's arrow_table probe
    failed: st.dataframe then converts it on each call)."""
    return compat.arrow_table(frame)


def table(data: object, key: tuple[Hashable, ...], build: Callable[[], pd.DataFrame], lang: str = "en",
          locale_format: bool = True, decimals: dict[str, int] | None = None):
    """What to hand st.dataframe for the frame `build()` returns: in English (or with `locale_format=False`, for a
    frame without numbers to format) the per-process Arrow table for (`data`, `key`); otherwise the per-process
    explorer.widgets.page.styled(build(), lang, decimals), marshalled once. `key` must name everything the frame
    depends on besides `data`, the language and `decimals` (page, table, edition, ...); those are added to it here."""
    if locale_format and lang != "en":
        dec = tuple(sorted((decimals or {}).items()))
        return _tables.get(data, (*key, lang, "styled", dec),
                           lambda: compat.share_styler(styled(build(), lang, decimals)))
    return _tables.get(data, (*key, lang), lambda: to_arrow(build()))
