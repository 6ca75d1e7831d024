"""The one cache entry point of the live app: the published index and its side tables (rank bands, change
decomposition, quality report, what-if base), each read once per server process and shared read-only by every
session, and the PDF reports made on demand.

Everything else derived from these objects is memoised by explorer.perf.memo, keyed on the function's own
arguments. The tables and their readers live in explorer.data.store and the view models (no Streamlit).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from cdi_core.paths import INDEX_DIR
from cdi_core.whatif import PublishedBase, published_base
from explorer.data.store import IndexData, load_index
from explorer.perf import housekeeping
from explorer.views.bands import RobustData, load_robust
from explorer.views.changes import ChangesData, load_changes
from explorer.views.quality import QualityData, load_quality


@st.cache_resource(show_spinner=False)
def get_index() -> IndexData:
    """The one copy per server process: from data/index, or from the folder in CDI_INDEX_DIR if it is set (tests).
    Also starts the process's periodic garbage collection (explorer.perf.housekeeping), once."""
    housekeeping.start()
    return load_index(Path(os.environ.get("CDI_INDEX_DIR") or INDEX_DIR))


@st.cache_resource(show_spinner=False)
def get_quality() -> QualityData:
    """The build's quality findings and the freshness table, from the same folder as get_index."""
    return load_quality(get_index().index_dir)


@st.cache_resource(show_spinner=False)
def get_robust() -> RobustData:
    """Rank bands and the statistical audit, from the same folder as get_index."""
    return load_robust(get_index().index_dir)


@st.cache_resource(show_spinner=False)
def get_whatif_base() -> PublishedBase:
    """The published indicator scores reshaped once for the what-if sliders."""
    d = get_index()
    return published_base(d.indicators, d.scores)


@st.cache_resource(show_spinner=False)
def get_changes() -> ChangesData:
    """The change decomposition, rank split, data diff and events, from the same folder as get_index."""
    return load_changes(get_index().index_dir)


@st.cache_data(show_spinner="Making the PDF report...", max_entries=64)
def report_bytes(city_id: str, edition: int) -> bytes:
    """The city's annual feedback report for one edition (explorer.documents.report), made once per city and
    edition."""
    from explorer.documents.report import report_pdf

    return report_pdf(get_index(), get_changes(), get_robust(), city_id, edition)
