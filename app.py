"""CDI Explorer entry point: navigation over the pages in pages/, page config, shared data loaded once."""

from __future__ import annotations

import streamlit as st

from explorer.params import parse_flag
from explorer.ui import current_lang, translator

lang = current_lang()  # ?lang= (validated), else the session's last choice; kept in the URL
_ = translator(lang)
st.set_page_config(page_title=_("City Diplomacy Index"), page_icon="🌐", layout="wide",
                   initial_sidebar_state="collapsed")
PAGES = [
    st.Page("pages/home.py", title=_("Home"), url_path="home", default=True),
    st.Page("pages/ranking.py", title=_("Ranking"), url_path="ranking"),
    st.Page("pages/compare.py", title=_("Compare"), url_path="compare"),
    st.Page("pages/city.py", title=_("City profile"), url_path="city"),
    st.Page("pages/changes.py", title=_("What changed"), url_path="changes"),
    st.Page("pages/map.py", title=_("Map"), url_path="map"),
    st.Page("pages/pact.py", title=_("Pact of Free Cities"), url_path="pact"),
    st.Page("pages/methodology.py", title=_("Methodology & data"), url_path="methodology"),
]

# ?present=1 (presentation mode for panels): hide the navigation; the page draws the large-type view itself
presenting = parse_flag(st.query_params.get_all("present") or None)
st.navigation(PAGES, position="hidden" if presenting else "top").run()  # each page draws the language picker
