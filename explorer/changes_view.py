"""What changed, for the page: the cached loader of the change tables (one copy per server process, read-only like
explorer.data) and, re-exported, the Streamlit-free display helpers of explorer.whatchanged."""

from __future__ import annotations

import streamlit as st

from explorer.data import get_index
from explorer.whatchanged import (  # noqa: F401 - re-exported for the pages
    CHANGE_TABLES,
    DIFF_TEXT,
    KIND_TEXT,
    ChangesData,
    city_events,
    contributions,
    data_changes,
    index_change,
    load_changes,
    peer_moves,
    places,
    rank_sentence,
    rank_split,
    waterfall,
    within_band,
)


@st.cache_resource(show_spinner=False)
def get_changes() -> ChangesData:
    return load_changes(get_index().index_dir)
