"""Tables for st.dataframe converted to Arrow once per process instead of on every script run.

Why: `st.dataframe(frame)` converts the pandas frame to an Arrow table on every call (pyarrow's pandas conversion:
~10 ms for each of the methodology page's larger tables), although the published tables are the same for every
session. Given a pyarrow Table, st.dataframe only serialises it. `table` converts with the same function
st.dataframe uses (streamlit.dataframe_util.convert_pandas_df_to_arrow_table), so the bytes sent are the same, and
keeps the result per process in an LRU keyed on the shared IndexData and a key naming everything else the table
depends on. Arrow tables are immutable, so every session shares one.

Languages other than English need the pandas Styler of explorer.ui.styled (locale number formats, values kept as
numbers). Rendering a Styler is the costly part (pandas' `_translate` formats every cell: ~25 ms for the 157-row
ranking, on every run), so `table` keeps one rendered Styler per process and key (frozen_styled): st.dataframe's
marshalling (`_compute`, then `_translate(False, False)`) gets the stored rendering; what it sends is what a fresh
Styler of the same frame sends, except the Styler's id (random per Styler; it only scopes the CSS, and these
Stylers have none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from enum import Enum

import pandas as pd
import pyarrow as pa
from pandas.io.formats.style import Styler

from explorer.memo import KeyedMemo
from explorer.ui import locale_formats

MAX_TABLES = 256
_tables = KeyedMemo(MAX_TABLES, copy=False)


_CELL_ID = re.compile(r"row(\d+)_col(\d+)")


def _display_text(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _without_plain_cells(rendered: dict, frame: pd.DataFrame) -> dict:
    """The rendering with the body cells left out whose display text is the cell's plain `str` value. Streamlit's
    marshall_styler starts the display values from `frame.astype(str)` and writes every body cell's display text
    over it, column by column (a slow pandas setitem per column, most of a translated run): a cell whose text is
    already the plain one changes nothing, so the display values sent are the same (tested)."""
    plain = frame.astype(str)
    body = []
    for row in rendered.get("body", []):
        kept = []
        for cell in row:
            match = _CELL_ID.match(cell.get("id") or "")
            if match:
                r, c = map(int, match.groups())
                if _display_text(cell.get("display_value")) == plain.iat[r, c]:
                    continue
            kept.append(cell)
        body.append(kept)
    return {**rendered, "body": body}


def frozen_styled(frame: pd.DataFrame, lang: str, decimals: dict[str, int] | None = None) -> Styler:
    """explorer.ui.styled(frame, lang, decimals) for a language other than English, rendered once: its `_compute`
    does nothing more and `_translate` with the arguments Streamlit's marshall_styler passes (False, False) returns
    the stored rendering, so sessions can share it. Still a plain pandas Styler (Streamlit recognises a Styler by its
    exact type name, so no subclass), patched on the instance; never to be changed afterwards (.format, .map)."""
    styler = frame.style.format(locale_formats(frame, lang, decimals))
    styler._compute()
    rendered = _without_plain_cells(styler._translate(False, False), styler.data)

    def translate(sparse_index: bool, sparse_cols: bool, *args, **kwargs):
        if (sparse_index, sparse_cols) == (False, False) and not args and not kwargs:
            return rendered
        return Styler._translate(styler, sparse_index, sparse_cols, *args, **kwargs)

    styler._compute = lambda: styler
    styler._translate = translate
    return styler


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """The Arrow table st.dataframe would build from `frame`."""
    from streamlit import dataframe_util

    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


def table(data: object, key: tuple[Hashable, ...], build: Callable[[], pd.DataFrame], lang: str = "en",
          locale_format: bool = True, decimals: dict[str, int] | None = None):
    """What to hand st.dataframe for the frame `build()` returns: in English (or with `locale_format=False`, for a
    frame without numbers to format) the per-process Arrow table for (`data`, `key`); otherwise the per-process
    FrozenStyler of explorer.ui.styled(build(), lang, decimals). `key` must name everything the frame depends on
    besides `data`, the language and `decimals` (page, table, edition, ...); those are added to it here."""
    if locale_format and lang != "en":
        styler_key = (*key, lang, "styler", tuple(sorted((decimals or {}).items())))
        return _tables.get(data, styler_key, lambda: frozen_styled(build(), lang, decimals))
    return _tables.get(data, (*key, lang), lambda: to_arrow(build()))
