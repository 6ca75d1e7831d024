"""CDI Explorer entry point: navigation over the pages in pages/, page config, shared data loaded once."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="City Diplomacy Index", page_icon="🌐", layout="wide",
                   initial_sidebar_state="collapsed")

PAGES = [
    st.Page("pages/home.py", title="Home", url_path="home", default=True),
]

st.navigation(PAGES, position="top").run()
