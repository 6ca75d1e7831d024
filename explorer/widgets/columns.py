"""st.dataframe's column_config from a view model's column descriptors (explorer.views.columns.Col)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from explorer.views.columns import Col
from explorer.widgets.tables import nf


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
