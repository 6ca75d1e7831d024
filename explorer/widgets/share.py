"""The "Cite and share" block of a page: the view's link, its light pre-rendered page where one exists, the citation
line and the embed snippet."""

from __future__ import annotations

import streamlit as st

from explorer.data.store import IndexData
from explorer.text.i18n import translator
from explorer.text.urls import share_url, snapshot_url, with_lang
from explorer.views.city import tables as P
from explorer.widgets.controls import embed_control


def cite_and_share(data: IndexData, page: str, params: dict[str, object], edition: int, lang: str) -> str:
    """Draw the link to this view (`page` with `params` and the language), its light page (the snapshot in the
    page's language, latest edition only), the citation and the embed control; return the link."""
    _ = translator(lang)
    url = share_url(st.context.url, page, with_lang(params, lang), fallback=None)
    st.caption(_("Link to this view"))
    st.code(url, language=None, wrap_lines=True)
    snapshot = snapshot_url(url, page, max(data.editions)) if url.startswith("http") else None
    if snapshot:
        st.caption(_("Light page of this profile (opens fast on any phone; for QR codes and articles)"))
        st.code(snapshot, language=None, wrap_lines=True)
    st.caption(_("Citation"))
    st.code(P.citation(data, edition, url, lang), language=None, wrap_lines=True)
    embed_control(data, page, edition, lang)
    return url
