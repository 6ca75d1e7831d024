"""st.dataframe's column_config from a view model's column descriptors (explorer.views.columns.Col), and a table
drawn from a shared view-model frame with its descriptors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from explorer.views.columns import Col
from explorer.widgets.tables import nf, table


def column_config(cols: Mapping[str, Col | str], lang: str) -> dict:
    """The column_config of `cols` (a plain string is the column's label) for a table in `lang`."""
    out: dict = {}
    for name, c in cols.items():
        if isinstance(c, str):
            out[name] = c
            continue
        fmt = nf(c.fmt, lang) if c.locale and c.fmt else c.fmt
        if c.kind == "number":
            out[name] = st.column_config.NumberColumn(c.label, format=fmt, help=c.help)
        elif c.kind == "link":
            out[name] = st.column_config.LinkColumn(c.label, display_text=c.display_text, help=c.help)
        elif c.kind == "checkbox":
            out[name] = st.column_config.CheckboxColumn(c.label, help=c.help)
        elif c.kind == "progress":
            out[name] = st.column_config.ProgressColumn(c.label, min_value=c.low, max_value=c.high, format=fmt,
                                                        help=c.help)
        else:
            out[name] = st.column_config.TextColumn(c.label, width=c.width, help=c.help)
    return out


def dataframe(frame: pd.DataFrame, cols: Mapping[str, Col | str], lang: str, locale_format: bool = True,
              into: Any = None, **kwargs: Any) -> None:
    """st.dataframe of a memoised view-model frame (converted once per frame: explorer.widgets.tables.table),
    without its index, with the column_config of `cols`; `into`: a container to draw in instead of the page."""
    (into or st).dataframe(table(frame, lang, locale_format=locale_format), hide_index=True,
                           column_config=column_config(cols, lang), **kwargs)
