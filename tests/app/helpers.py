"""What every page test does: open the app from its entry point, switch to a page with query parameters (and an
optional browser context such as the page URL), and fail on any exception; find a table by one of its columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"


def open_page(page: str, context: dict | None = None, open_sections: tuple[str, ...] = (), **params: str) -> AppTest:
    """`open_sections`: keys of lazy expanders (explorer.widgets.page.lazy_expander) to have open, as a reader who
    clicked them would (their content is drawn only then)."""
    at = AppTest.from_file(APP, default_timeout=30)
    if context and not hasattr(at, "context"):  # AppTest sets the browser context (st.context) from Streamlit 1.67
        pytest.skip("this Streamlit's AppTest cannot set the browser context (AppTest.context)")
    at.run()
    at.query_params.clear()
    for key in open_sections:
        at.session_state[key] = True
    for key, value in params.items():
        at.query_params[key] = value
    if context:
        at.context.update(context)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has `column`."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, column
    return frames[0]
