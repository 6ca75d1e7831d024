"""CDI Explorer entry point: navigation over the pages in pages/, page config, shared data loaded once."""

from __future__ import annotations

import streamlit as st

from explorer.params import parse_flag

st.set_page_config(page_title="City Diplomacy Index", page_icon="🌐", layout="wide",
                   initial_sidebar_state="collapsed")

PAGES = [
    st.Page("pages/home.py", title="Home", url_path="home", default=True),
    st.Page("pages/ranking.py", title="Ranking", url_path="ranking"),
    st.Page("pages/compare.py", title="Compare", url_path="compare"),
    st.Page("pages/city.py", title="City profile", url_path="city"),
    st.Page("pages/changes.py", title="What changed", url_path="changes"),
    st.Page("pages/map.py", title="Map", url_path="map"),
    st.Page("pages/pact.py", title="Pact of Free Cities", url_path="pact"),
    st.Page("pages/methodology.py", title="Methodology & data", url_path="methodology"),
]

# ?present=1 (presentation mode for panels): hide the navigation; the page draws the large-type view itself
st.navigation(PAGES, position="hidden" if parse_flag(st.query_params.get_all("present") or None) else "top").run()
