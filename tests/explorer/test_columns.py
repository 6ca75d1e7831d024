"""Column descriptors to st.dataframe's column_config (explorer.widgets.columns)."""

from __future__ import annotations

from explorer.views.columns import Col, link, number, text
from explorer.widgets.columns import column_config


def test_each_kind_becomes_its_streamlit_column_and_locale_formats_apply_in_english_only():
    cols = {"a": "Plain", "b": number("B", "%.2f", locale=True), "c": number("C", "%d"), "d": link("D", "open"),
            "e": text("E", width="large", help="h"), "f": Col("F", "checkbox"), "g": Col("G", "progress", fmt="%.0f%%")}
    en, de = column_config(cols, "en"), column_config(cols, "de")
    assert en["a"] == "Plain"
    assert en["b"]["type_config"]["format"] == "%.2f" and de["b"]["type_config"]["format"] is None
    assert de["c"]["type_config"]["format"] == "%d"
    assert en["d"]["type_config"]["type"] == "link" and en["d"]["type_config"]["display_text"] == "open"
    assert en["e"]["width"] == "large" and en["e"]["help"] == "h"
    assert en["f"]["type_config"]["type"] == "checkbox"
    assert en["g"]["type_config"]["type"] == "progress" and en["g"]["type_config"]["max_value"] == 100
