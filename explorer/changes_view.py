"""What changed, for the page: the cached loader of the change tables (one copy per server process, read-only like
explorer.data) and, re-exported, the Streamlit-free display helpers of explorer.whatchanged."""

from __future__ import annotations

import streamlit as st

from explorer.data import get_index
from explorer.robust import get_robust
from explorer.whatchanged import (  # noqa: F401 - re-exported for the pages
    CHANGE_TABLES,
    DIFF_TEXT,
    KIND_TEXT,
    ChangesData,
    city_changes,
    city_events,
    contributions,
    data_changes,
    events_by_indicator,
    index_change,
    is_ranked,
    load_changes,
    peer_moves,
    peers_view,
    places,
    rank_sentence,
    rank_split,
    waterfall,
    within_band,
)


@st.cache_resource(show_spinner=False)
def get_changes() -> ChangesData:
    return load_changes(get_index().index_dir)


@st.cache_data(show_spinner="Making the PDF report...", max_entries=64)
def report_bytes(city_id: str, edition: int) -> bytes:
    """The city's annual feedback report for one edition (explorer.report), made once per city and edition."""
    from explorer.report import report_pdf

    return report_pdf(get_index(), get_changes(), get_robust(), city_id, edition)
