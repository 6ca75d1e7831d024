"""Home: the headline ranking of the latest edition and a city search that knows every common spelling."""

from __future__ import annotations

import streamlit as st

from explorer.data.cache import get_index
from explorer.data.store import search_cities
from explorer.text.i18n import city_names_of
from explorer.text.markdown import plain
from explorer.text.urls import with_lang
from explorer.views.framework import pillar_names
from explorer.views.ranking import headline_view
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, page_setup
from explorer.widgets.present import present_view
from explorer.widgets.tables import score_column, table

data = get_index()
lang, _ = page_setup()
present_view(data, page="home")  # ?present=1: large-type top-10 chart and a QR code, then stop
st.title(_("City Diplomacy Index"))
st.write(_("How internationally engaged are cities? Four pillars: city relations, tourism "
            "and cultural relations, business relations and multiculturalism. Scores run "
            "from 0 to 100."))

names = city_names_of(data, lang)
query = st.text_input(_("Find a city"), placeholder=_("e.g. Budapest, Wien, Praha, Kiev"))
if query:
    hits = search_cities(data, query)
    if not hits:
        st.write(_("No city of the index matches that name."))
    for cid in hits:
        st.page_link("pages/city.py", label=plain(names[cid]), query_params=with_lang({"city": cid}, lang))

edition = edition_control(data, lang=lang)
view = headline_view(data, edition, lang)  # top 20 and counts, once per process and (edition, language)
st.subheader(_.ngettext("Ranking {edition}: top 20 of {n_ranked} ranked city",
                        "Ranking {edition}: top 20 of {n_ranked} ranked cities",
                        view.n_ranked).format(edition=edition, n_ranked=view.n_ranked))
pillars = pillar_names(data, lang)
st.dataframe(
    table(view.top, lang, decimals={"score_index": 1, **{f"score_{p}": 1 for p in pillars}}),
    hide_index=True,
    column_order=["rank", "name", "country_iso2", "score_index", *[f"score_{p}" for p in pillars], "rank_change"],
    column_config={
        "rank": st.column_config.NumberColumn(_("Rank"), format="%d"),
        "name": _("City"),
        "country_iso2": _("Country"),
        "score_index": score_column(_("Index"), lang, 1),
        **{f"score_{p}": score_column(name, lang, 1)
           for p, name in pillars.items()},
        "rank_change": st.column_config.NumberColumn(
            _("Change"), format="%+d", help=_("Places gained (+) or lost (−) since the previous edition")),
    },
)
n_unranked = view.n_unranked
footer(data, lang, note=_.ngettext("{x} further reference city is listed but not ranked: too little data.",
                                   "{x} further reference cities are listed but not ranked: too little data.",
                                   n_unranked).format(x=n_unranked))
