"""What the pages hand st.dataframe (explorer.widgets.tables): the Arrow bytes st.dataframe would send, converted once
per frame object, and the locale Styler kept for other languages."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
from streamlit import dataframe_util

from explorer.widgets import tables


def test_english_table_is_the_arrow_st_dataframe_builds_and_is_shared():
    frame = pd.DataFrame({"name": ["a", "b"], "score": [1.25, 2.5]}).iloc[[1, 0]]  # a non-range index too
    first = tables.table(frame, "en")
    assert tables.table(frame, "en") is first
    assert dataframe_util.convert_arrow_table_to_arrow_bytes(first) == \
        dataframe_util.convert_pandas_df_to_arrow_bytes(frame)
    assert tables.table(frame.copy(), "en") is not first       # another frame object: converted again


def test_other_languages_keep_the_locale_styler():
    frame = pd.DataFrame({"score": [1234.5]})
    styled = tables.table(frame, "de")
    assert isinstance(styled, pd.io.formats.style.Styler)
    assert tables.table(frame, "de", locale_format=False).num_rows == 1


def test_the_cache_does_not_keep_a_frame_alive():
    frame = pd.DataFrame({"score": [1.5, 2.5]})
    tables.table(frame, "en"), tables.table(frame, "hu")
    key = id(frame)
    assert key in tables._converted
    del frame
    gc.collect()
    assert key not in tables._converted


def _marshalled(styler) -> tuple:
    """What st.dataframe sends for a Styler: display values (decoded), CSS and caption, the Styler id masked."""
    import pyarrow as pa
    from streamlit.elements.arrow import marshall_styler  # explorer.compat's memo, once installed
    from streamlit.proto.ArrowData_pb2 import ArrowData

    proto = ArrowData()
    marshall_styler(proto, styler, "default")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all()
    return (str(shown.schema), shown.to_pydict(), proto.styler.styles.replace(str(styler.uuid), "ID"),
            proto.styler.caption)


@pytest.mark.parametrize("lang", ["de", "hu", "pl"])
def test_a_shared_styler_sends_what_a_fresh_one_sends(lang):
    from explorer.widgets.tables import styled

    frame = pd.DataFrame({"name": ["Wien", "Budapest", None], "score": [87.25, float("nan"), 3.0],
                          "rank": pd.array([1, None, 3], dtype="Int64"), "n": [1234.5, 2.0, 0.0],
                          "text": ["a", "b", "c"]}).iloc[[2, 0, 1]]
    frozen = tables.table(frame, lang, decimals={"n": 0})
    assert isinstance(frozen, pd.io.formats.style.Styler) and type(frozen).__name__ == "Styler"
    fresh = _marshalled(styled(frame, lang, {"n": 0}))
    assert _marshalled(frozen) == fresh
    assert _marshalled(frozen) == fresh        # and again: the stored rendering is not used up or changed


def test_shared_stylers_are_per_frame_language_and_decimals():
    frame = pd.DataFrame({"score": [1234.5]})
    de = tables.table(frame, "de")
    assert tables.table(frame, "de") is de
    assert tables.table(frame, "hu") is not de
    assert tables.table(frame, "de", decimals={"score": 0}) is not de
    assert tables.table(frame, "en") is not de
