"""Home: the headline ranking of the latest edition and a city search that knows every common spelling."""

from __future__ import annotations

import streamlit as st

from explorer.data import get_index, search_cities
from explorer.present import present_view
from explorer.ui import edition_control, footer, plain, ranking_table

data = get_index()
present_view(data, page="home")  # ?present=1: large-type top-10 chart and a QR code, then stop
st.title("City Diplomacy Index")
st.write("How internationally engaged are cities? Four pillars: city relations, tourism and cultural relations, "
         "business relations and multiculturalism. Scores run from 0 to 100.")

query = st.text_input("Find a city", placeholder="e.g. Budapest, Wien, Praha, Kiev")
if query:
    hits = search_cities(data, query)
    if not hits:
        st.write("No city of the index matches that name.")
    for cid in hits:
        st.page_link("pages/city.py", label=plain(data.city_name(cid)), query_params={"city": cid})

edition = edition_control(data)
table = ranking_table(data, edition)
ranked = table[table["rank"].notna()]
st.subheader(f"Ranking {edition}: top 20 of {len(ranked)} ranked cities")
pillars = data.pillar_names
st.dataframe(
    ranked.head(20),
    hide_index=True,
    column_order=["rank", "name", "country_iso2", "score_index", *[f"score_{p}" for p in pillars], "rank_change"],
    column_config={
        "rank": st.column_config.NumberColumn("Rank", format="%d"),
        "name": "City",
        "country_iso2": "Country",
        "score_index": st.column_config.ProgressColumn("Index", min_value=0, max_value=100, format="%.1f"),
        **{f"score_{p}": st.column_config.ProgressColumn(name, min_value=0, max_value=100, format="%.1f")
           for p, name in pillars.items()},
        "rank_change": st.column_config.NumberColumn("Change", format="%+d",
                                                     help="Places gained (+) or lost (−) since the previous edition"),
    },
)
st.caption(f"{len(table) - len(ranked)} further reference cities are listed but not ranked: too little data.")
footer(data)
