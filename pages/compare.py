"""Compare up to five cities (?cities=a,b,c&edition=YYYY; default the V4 capitals and Vienna): pillar scores side by
side, every indicator's raw value with its year, status and source, and the index rank over the editions."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer import compare as C
from explorer.data import FOCUS, get_index
from explorer.params import MAX_COMPARE, parse_cities
from explorer.robust import band_column, band_text, bands_for, get_robust, overlap_notes
from explorer.ui import edition_control, embed_control, footer, plain

data = get_index()


@st.cache_data(show_spinner=False, max_entries=128)
def _pillars(cities: tuple[str, ...], edition: int) -> pd.DataFrame:
    return C.pillar_scores(get_index(), list(cities), edition)


@st.cache_data(show_spinner=False, max_entries=128)
def _indicators(cities: tuple[str, ...], edition: int) -> pd.DataFrame:
    return C.indicator_comparison(get_index(), list(cities), edition)


@st.cache_data(show_spinner=False, max_entries=128)
def _trend(cities: tuple[str, ...]) -> pd.DataFrame:
    return C.rank_trend(get_index(), list(cities))


st.title("Compare cities")
names = dict(zip(data.cities["city_id"], data.cities["name"]))
options = sorted(names, key=lambda c: (names[c].casefold(), c))
parsed = parse_cities(st.query_params.get_all("cities") or None, data.city_ids, FOCUS)
if parsed.notice:
    st.info(parsed.notice)
picked = st.multiselect(f"Cities (up to {MAX_COMPARE})", options, default=parsed.value, format_func=names.get,
                        max_selections=MAX_COMPARE, key="compare_cities")
if picked:
    joined = ",".join(picked)
    if st.query_params.get("cities") != joined:
        st.query_params["cities"] = joined
edition = edition_control(data)

if not picked:
    st.info("Pick at least one city to compare.")
    st.page_link("pages/compare.py", label="Reset to the V4 capitals and Vienna",
                 query_params={"cities": ",".join(FOCUS), "edition": str(edition)})
    footer(data)
    st.stop()

cities = tuple(picked)
for name, reason in C.not_ranked(data, list(cities), edition):
    st.warning(plain(f"{name} is not ranked in {edition} ({reason.removeprefix('not ranked: ')}); its pillar "
                     "scores and values are shown where they exist."))

# ----------------------------------------------------------------------------------------------- pillar scores
st.subheader(f"Pillar scores, {edition}")
ps = _pillars(cities, edition)
city_order = [names[c] for c in cities]
pillar_order = list(dict.fromkeys(ps["pillar_name"]))
label_order = list(dict.fromkeys(ps["label"]))
bars = alt.Chart(ps.dropna(subset=["score"])).encode(
    y=alt.Y("label:N", sort=label_order, title=None, axis=alt.Axis(labelLimit=140)),
    yOffset=alt.YOffset("city:N", sort=city_order),
    x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
    color=alt.Color("city:N", sort=city_order, title=None, legend=alt.Legend(orient="top", columns=2, labelLimit=150)),
    tooltip=[alt.Tooltip("city:N", title="City"), alt.Tooltip("pillar_name:N", title="Pillar"),
             alt.Tooltip("score:Q", title="Score", format=".1f"), alt.Tooltip("rank:Q", title="Rank", format="d")],
)
st.altair_chart((bars.mark_bar() + bars.mark_text(align="left", dx=3, fontSize=11).encode(
    text=alt.Text("score:Q", format=".0f"), color=alt.value("#555"))).properties(
    height=90 + 20 * len(cities) * len(label_order)), width="stretch")
wide = ps.pivot(index="city", columns="pillar_name", values="score").reindex(index=city_order,
                                                                             columns=pillar_order)
ranks = ps.pivot(index="city", columns="pillar_name", values="rank").reindex(index=city_order,
                                                                             columns=pillar_order)
with st.expander("Scores and ranks (table)"):
    table = wide.round(1).astype(object).where(wide.notna(), None)
    pillar_of = dict(zip(ps["pillar_name"], ps["pillar"]))
    for col in pillar_order:
        table[f"{col} rank"] = ranks[col].astype("Int64")
        table[f"{col} likely"] = band_column(get_robust().bands, list(cities), edition, pillar_of[col])
    st.dataframe(table.reset_index().rename(columns={"city": "City"}), hide_index=True)
st.caption("Scores run from 0 to 100 against goalposts fixed across editions; ranks are among the cities ranked in "
           "the edition.")

# ------------------------------------------------------------------------------------------ rank bands, overlap
st.subheader(f"Index rank and its likely range, {edition}")
bands = bands_for(get_robust().bands, edition)
for cid in cities:
    if cid in bands.index:
        text = band_text(bands.at[cid, "rank"], bands.at[cid, "rank_low"], bands.at[cid, "rank_high"])
        st.write(plain(f"{names[cid]}: {text}"))
notes = overlap_notes(get_robust().bands, list(cities), names, edition)
if notes:
    st.markdown("**Where the order is not certain**\n\n" + "\n".join(f"- {plain(n)}" for n in notes))
st.caption("'Likely' is the range the rank stays in for 90 % of 1,000 re-computations of the index with other "
           "reasonable weights, normalisations, aggregations and missing-data rules (see Methodology). Where two "
           "ranges overlap, the order between the two cities depends on those choices.")

# ------------------------------------------------------------------------------------------- indicator table
st.subheader("Indicator by indicator")
ind = _indicators(cities, edition)
pillar_names = ["All pillars", *dict.fromkeys(ind["pillar_name"])]
which = st.selectbox("Pillar", pillar_names, key="compare_pillar")
shown = ind if which == "All pillars" else ind[ind["pillar_name"] == which]
st.dataframe(
    shown,
    hide_index=True,
    column_order=["name", "city", "value_text", "year", "status_text", "score", "source", "licence", "link"],
    column_config={
        "name": st.column_config.TextColumn("Indicator"),
        "city": st.column_config.TextColumn("City"),
        "value_text": st.column_config.TextColumn("Value", help="The raw value in its unit"),
        "year": st.column_config.NumberColumn("Year", format="%d", help="The year the value refers to"),
        "status_text": st.column_config.TextColumn("Status"),
        "score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%.1f"),
        "source": st.column_config.TextColumn("Source", width="medium"),
        "licence": st.column_config.TextColumn("Licence"),
        "link": st.column_config.LinkColumn("Link", display_text="open"),
    },
)
st.caption("'no data' is missing (left out of the pillar mean); 'below the list's threshold' means the city is not "
           "on a top-N list and scores at the lower goalpost; 0 is a true zero from a complete list. 'Value from "
           "YYYY' marks a value carried forward from an earlier year or taken from a later one.")

# ------------------------------------------------------------------------------------------------- rank trend
st.subheader("Index rank over the editions")
tr = _trend(cities)
ranked = tr.dropna(subset=["rank"]).astype({"rank": "float64"})
if ranked.empty:
    st.write("None of these cities is ranked in any edition.")
else:
    st.altair_chart(alt.Chart(ranked).mark_line(point=True).encode(
        x=alt.X("edition:O", title="Edition"),
        y=alt.Y("rank:Q", title="Rank (1 = top)", scale=alt.Scale(reverse=True, zero=False)),
        color=alt.Color("city:N", sort=city_order, title=None, legend=alt.Legend(orient="top", columns=2,
                                                                                 labelLimit=150)),
        tooltip=[alt.Tooltip("city:N", title="City"), alt.Tooltip("edition:O", title="Edition"),
                 alt.Tooltip("rank:Q", title="Rank", format="d"), alt.Tooltip("score:Q", title="Score", format=".1f")],
    ).properties(height=300), width="stretch")
gaps = sorted(set(tr.loc[~tr["ranked"], "city"]))
if gaps:
    st.caption(plain("Not ranked in some editions (no point shown): " + ", ".join(gaps) + "."))

st.caption("Open a city's profile:")
for cid in cities:
    st.page_link("pages/city.py", label=plain(names[cid]), query_params={"city": cid, "edition": str(edition)})
embed_control(data, "compare", edition)
footer(data)
