"""CDI Explorer entry point: navigation over the pages in pages/, page config, shared data loaded once."""

from __future__ import annotations

import streamlit as st

from explorer.widgets.page import current_lang, translator
from explorer.widgets.present import presenting
from explorer.widgets.shell import framed, nav_pages

lang = current_lang()  # ?lang= (validated), else the session's last choice; kept in the URL
_ = translator(lang)
st.set_page_config(page_title=_("City Diplomacy Index"), page_icon="🌐", layout="wide",
                   initial_sidebar_state="collapsed")
# ?present=1 (presentation mode for panels) and ?embed=true (a view in another site's page): no navigation; the
# presentation page draws its large-type view itself
hidden = presenting() or st.context.is_embedded
page = st.navigation(nav_pages(lang, _), position="hidden" if hidden else "top")  # pages: explorer/widgets/shell.py
with framed():
    page.run()  # each page draws the language picker
