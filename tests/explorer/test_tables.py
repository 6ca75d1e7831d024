"""Tables converted to Arrow once per process (explorer.tables): the bytes st.dataframe would send, shared per key,
and the locale Styler kept for other languages."""

from __future__ import annotations

import pandas as pd
from streamlit import dataframe_util

from explorer import tables


def test_english_table_is_the_arrow_st_dataframe_builds_and_is_shared():
    owner = object()
    frame = pd.DataFrame({"name": ["a", "b"], "score": [1.25, 2.5]}).iloc[[1, 0]]  # a non-range index too
    calls = []

    def build():
        calls.append(1)
        return frame

    first = tables.table(owner, ("t", 1), build, "en")
    again = tables.table(owner, ("t", 1), build, "en")
    assert first is again and calls == [1]
    assert dataframe_util.convert_arrow_table_to_arrow_bytes(first) == \
        dataframe_util.convert_pandas_df_to_arrow_bytes(frame)
    tables.table(owner, ("t", 2), build, "en")
    assert calls == [1, 1]


def test_other_languages_keep_the_locale_styler():
    frame = pd.DataFrame({"score": [1234.5]})
    styled = tables.table(object(), ("t",), lambda: frame, "de")
    assert isinstance(styled, pd.io.formats.style.Styler)
    assert tables.table(object(), ("t",), lambda: frame, "de", locale_format=False).num_rows == 1
