"""The published index, read once per server process (st.cache_resource) and shared read-only by every session.

The tables and helpers live in explorer.store (no Streamlit); this module adds only the per-process cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from cdi_core.paths import INDEX_DIR
from explorer import housekeeping
from explorer.quality_view import QualityData, load_quality
from explorer.store import FOCUS, INDEX, TABLES, IndexData, load_index, search_cities

__all__ = ["FOCUS", "INDEX", "TABLES", "IndexData", "get_index", "get_quality", "load_index", "search_cities"]


@st.cache_resource(show_spinner=False)
def get_index() -> IndexData:
    """The one copy per server process: from data/index, or from the folder in CDI_INDEX_DIR if it is set (tests).
    Also starts the process's periodic garbage collection (explorer.housekeeping), once."""
    housekeeping.start()
    return load_index(Path(os.environ.get("CDI_INDEX_DIR") or INDEX_DIR))


@st.cache_resource(show_spinner=False)
def get_quality() -> QualityData:
    """The build's quality findings and the freshness table (explorer.quality_view), once per server process, from
    the same folder as get_index."""
    return load_quality(get_index().index_dir)
