"""Compare up to five cities (?cities=a,b,c&edition=YYYY; default the V4 capitals and Vienna): pillar scores side by
side, every indicator's raw value with its year, status and source, and the index rank over the editions."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer import charts
from explorer import compare as C
from explorer.data import FOCUS, get_index
from explorer.params import MAX_COMPARE, notice_text, parse_cities
from explorer.robust import band_column, band_text, bands_for, get_robust, overlap_notes
from explorer.ui import (
    city_names_map,
    city_search,
    edition_control,
    embed_control,
    footer,
    page_setup,
    plain,
    score_column,
    styled,
    with_lang,
)

data = get_index()
lang, _ = page_setup()


@st.cache_data(show_spinner=False, max_entries=128)
def _pillars(cities: tuple[str, ...], edition: int, lang: str) -> pd.DataFrame:
    return C.pillar_scores(get_index(), list(cities), edition, lang)


@st.cache_data(show_spinner=False, max_entries=128)
def _indicators(cities: tuple[str, ...], edition: int, lang: str) -> pd.DataFrame:
    return C.indicator_comparison(get_index(), list(cities), edition, lang)


@st.cache_data(show_spinner=False, max_entries=128)
def _trend(cities: tuple[str, ...], lang: str) -> pd.DataFrame:
    return C.rank_trend(get_index(), list(cities), lang)


st.title(_("Compare cities"))
names = city_names_map(data, lang)
options = sorted(names, key=lambda c: (names[c].casefold(), c))
parsed = parse_cities(st.query_params.get_all("cities") or None, data.city_ids, FOCUS)
if parsed.notice:
    st.info(notice_text(parsed.notice, _))
picked = st.multiselect(_("Cities (up to {n})").format(n=MAX_COMPARE), options, default=parsed.value,
                        format_func=names.get,
                        max_selections=MAX_COMPARE, key="compare_cities")
if picked:
    joined = ",".join(picked)
    if st.query_params.get("cities") != joined:
        st.query_params["cities"] = joined
edition = edition_control(data, lang=lang)
with st.expander(_("Add a city by any of its names")):
    city_search(data, lang, "pages/compare.py", lambda cid: {
        "cities": ",".join((picked if cid in picked else [*picked, cid])[-MAX_COMPARE:]), "edition": str(edition)},
        key="compare_search")

if not picked:
    st.info(_("Pick at least one city to compare."))
    st.page_link("pages/compare.py", label=_("Reset to the V4 capitals and Vienna"),
                 query_params=with_lang({"cities": ",".join(FOCUS), "edition": str(edition)}, lang))
    footer(data, lang)
    st.stop()

cities = tuple(picked)
for name, reason in C.not_ranked(data, list(cities), edition, lang):
    st.warning(plain(_("{name} is not ranked in {edition} ({x}); its pillar scores and values are shown "
                        "where they exist.").format(name=name, edition=edition, x=reason.split(': ', 1)[-1])))

# ----------------------------------------------------------------------------------------------- pillar scores
st.subheader(_("Pillar scores, {edition}").format(edition=edition))
ps = _pillars(cities, edition, lang)
city_order = [names[c] for c in cities]
pillar_order = list(dict.fromkeys(ps["pillar_name"]))
label_order = list(dict.fromkeys(ps["label"]))


def _pillars_chart() -> alt.LayerChart:
    bars = alt.Chart(ps.dropna(subset=["score"])).encode(
        y=alt.Y("label:N", sort=label_order, title=None, axis=alt.Axis(labelLimit=140)),
        yOffset=alt.YOffset("city:N", sort=city_order),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=_("Score (0-100)")),
        color=alt.Color("city:N", sort=city_order, title=None,
                        legend=alt.Legend(orient="top", columns=2, labelLimit=150)),
        tooltip=[alt.Tooltip("city:N", title=_("City")), alt.Tooltip("pillar_name:N", title=_("Pillar")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f"),
                 alt.Tooltip("rank:Q", title=_("Rank"), format="d")],
    )
    return (bars.mark_bar() + bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("score:Q", format=".0f"), color=alt.value("#555"))).properties(
        height=90 + 20 * len(cities) * len(label_order))


charts.draw(charts.keyed_spec(data, ("compare_pillars", lang, cities, edition), _pillars_chart), width="stretch")
wide = ps.pivot(index="city", columns="pillar_name", values="score").reindex(index=city_order,
                                                                             columns=pillar_order)
ranks = ps.pivot(index="city", columns="pillar_name", values="rank").reindex(index=city_order,
                                                                             columns=pillar_order)
with st.expander(_("Scores and ranks (table)")):
    table = wide.round(1).astype(object).where(wide.notna(), None)
    pillar_of = dict(zip(ps["pillar_name"], ps["pillar"]))
    for col in pillar_order:
        table[_("{pillar} rank").format(pillar=col)] = ranks[col].astype("Int64")
        table[_("{pillar} likely").format(pillar=col)] = band_column(get_robust().bands, list(cities), edition,
                                                                     pillar_of[col])
    st.dataframe(styled(table.reset_index().rename(columns={"city": _("City")}), lang, {c: 1 for c in pillar_order}),
                 hide_index=True)
st.caption(_("Scores run from 0 to 100 against goalposts fixed across editions; ranks are "
              "among the cities ranked in the edition."))

# ------------------------------------------------------------------------------------------ rank bands, overlap
st.subheader(_("Index rank and its likely range, {edition}").format(edition=edition))
bands = bands_for(get_robust().bands, edition)
for cid in cities:
    if cid in bands.index:
        text = band_text(bands.at[cid, "rank"], bands.at[cid, "rank_low"], bands.at[cid, "rank_high"], lang)
        st.write(plain(f"{names[cid]}: {text}"))
notes = overlap_notes(get_robust().bands, list(cities), names, edition, lang)
if notes:
    st.markdown("**" + _("Where the order is not certain") + "**\n\n" + "\n".join(f"- {plain(n)}" for n in notes))
st.caption(_("'Likely' is the range the rank stays in for 90 % of 1,000 re-computations of "
              "the index with other reasonable weights, normalisations, aggregations and "
              "missing-data rules (see Methodology). Where two ranges overlap, the order "
              "between the two cities depends on those choices."))

# ------------------------------------------------------------------------------------------- indicator table
st.subheader(_("Indicator by indicator"))
ind = _indicators(cities, edition, lang)
pillar_names = [_("All pillars"), *dict.fromkeys(ind["pillar_name"])]
which = st.selectbox(_("Pillar"), pillar_names, key="compare_pillar")
shown = ind if which == pillar_names[0] else ind[ind["pillar_name"] == which]
st.dataframe(
    styled(shown, lang),
    hide_index=True,
    column_order=["name", "city", "value_text", "year", "status_text", "score", "source", "licence", "link"],
    column_config={
        "name": st.column_config.TextColumn(_("Indicator")),
        "city": st.column_config.TextColumn(_("City")),
        "value_text": st.column_config.TextColumn(_("Value"), help=_("The raw value in its unit")),
        "year": st.column_config.NumberColumn(_("Year"), format="%d", help=_("The year the value refers to")),
        "status_text": st.column_config.TextColumn(_("Status")),
        "score": score_column(_("Score"), lang, 1),
        "source": st.column_config.TextColumn(_("Source"), width="medium"),
        "licence": st.column_config.TextColumn(_("Licence")),
        "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
    },
)
st.caption(_("'no data' is missing (left out of the pillar mean); 'below the list's "
              "threshold' means the city is not on a top-N list and scores at the lower "
              "goalpost; 0 is a true zero from a complete list. 'Value from YYYY' marks a "
              "value carried forward from an earlier year or taken from a later one."))

# ------------------------------------------------------------------------------------------------- rank trend
st.subheader(_("Index rank over the editions"))
tr = _trend(cities, lang)
ranked = tr.dropna(subset=["rank"]).astype({"rank": "float64"})
if ranked.empty:
    st.write(_("None of these cities is ranked in any edition."))
else:
    charts.draw(charts.keyed_spec(data, ("compare_trend", lang, cities), lambda: alt.Chart(
        ranked).mark_line(point=True).encode(
        x=alt.X("edition:O", title=_("Edition")),
        y=alt.Y("rank:Q", title=_("Rank (1 = top)"), scale=alt.Scale(reverse=True, zero=False)),
        color=alt.Color("city:N", sort=city_order, title=None, legend=alt.Legend(orient="top", columns=2,
                                                                                 labelLimit=150)),
        tooltip=[alt.Tooltip("city:N", title=_("City")), alt.Tooltip("edition:O", title=_("Edition")),
                 alt.Tooltip("rank:Q", title=_("Rank"), format="d"),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    ).properties(height=300)), width="stretch")
gaps = sorted(set(tr.loc[~tr["ranked"], "city"]))
if gaps:
    st.caption(plain(_("Not ranked in some editions (no point shown): {cities}.").format(cities=", ".join(gaps))))

st.caption(_("Open a city's profile:"))
for cid in cities:
    st.page_link("pages/city.py", label=plain(names[cid]),
                 query_params=with_lang({"city": cid, "edition": str(edition)}, lang))
embed_control(data, "compare", edition, lang)
footer(data, lang)
