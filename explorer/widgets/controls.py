"""The page controls that keep their state in the URL: the edition picker, the city search and the "Embed this
view" snippet."""

from __future__ import annotations

import os

import streamlit as st

from explorer.data.store import IndexData
from explorer.text.i18n import city_names_of, translator
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_edition
from explorer.text.urls import FALLBACK_BASE, PUBLIC_URL_ENV, safe_url, share_url, with_lang
from explorer.views.city import tables as P
from explorer.widgets import embed
from explorer.widgets.page import lazy_expander


def edition_control(data: IndexData, key: str = "edition", lang: str = "en") -> int:
    """An edition picker in the page body (reachable on a phone), initialised from and written back to ?edition;
    inside an embedded view (?embed=true) only a caption naming the edition."""
    _ = translator(lang)
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(notice_text(parsed.notice, _))
    options = sorted(data.editions, reverse=True)
    if st.context.is_embedded:  # an embedded view keeps the edition it was embedded with: a caption, no picker
        edition = int(parsed.value)
        st.caption(_("City Diplomacy Index, edition {edition}").format(edition=edition))
    else:
        edition = st.selectbox(_("Edition"), options, index=options.index(parsed.value), key=key)
    if st.query_params.get("edition") != str(edition):
        st.query_params["edition"] = str(edition)
    return int(edition)


def embed_control(data: IndexData, page: str, edition: int, lang: str = "en") -> str | None:
    """An "Embed this view" expander with the <iframe> snippet of the current view (its URL and query parameters
    plus embed=true), the citation, credit line and licence, as copyable code. Not shown inside an embedded view;
    drawn lazily (`lazy_expander`). Returns the snippet while the expander is open, else None."""
    if st.context.is_embedded:
        return None
    _ = translator(lang)
    box = lazy_expander(_("Embed this view"), f"{page}_embed", icon=":material/code:")
    if not box.open:
        return None
    root = safe_url(st.context.url) or os.environ.get(PUBLIC_URL_ENV, FALLBACK_BASE)
    base = share_url(root, page, {})
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    view = embed.view_url(base, params)
    code = embed.snippet(base, page, P.citation(data, edition, view, lang),
                         embed.credit_line(data.manifest, data.editions, lang), params, lang=lang)
    box.caption(_("Paste this HTML into a web page to show this view, live, with its credit line. The view "
                  "keeps its current settings; embed=true hides the explorer's navigation."))
    box.code(code, language="html", wrap_lines=True)
    return code


def city_search(data: IndexData, lang: str, page: str, params_for, key: str) -> None:
    """A search field that finds a city by any of its names (English, the six languages' own names, GeoNames
    alternate spellings) and lists the hits as links: params_for(city_id) gives the link's query parameters."""
    from explorer.data.store import search_cities

    _ = translator(lang)
    query = st.text_input(_("Find a city by any of its names"), placeholder=_("e.g. Budapest, Wien, Praha, Kiev"),
                          key=key, max_chars=80)
    if query:
        hits = search_cities(data, query)
        if not hits:
            st.write(_("No city of the index matches that name."))
        names = city_names_of(data, lang)
        for cid in hits:
            st.page_link(page, label=plain(names[cid]), query_params=with_lang(params_for(cid), lang))
