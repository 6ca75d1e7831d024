"""Compare up to five cities (?cities=a,b,c&edition=YYYY; default the V4 capitals and Vienna): pillar scores side by
side, every indicator's raw value with its year, status and source, and the index rank over the editions."""

from __future__ import annotations

import streamlit as st

from explorer.data.cache import get_index, get_robust
from explorer.data.store import FOCUS
from explorer.text.i18n import city_ids_by_name, city_names_of
from explorer.text.markdown import plain
from explorer.text.params import MAX_COMPARE, notice_text, parse_cities
from explorer.text.urls import with_lang
from explorer.views import compare as C
from explorer.widgets import charts
from explorer.widgets.controls import city_search, edition_control, embed_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.sourced import indicator_columns
from explorer.widgets.tables import table

data = get_index()
lang, _ = page_setup()


st.title(_("Compare cities"))
names = city_names_of(data, lang)
options = city_ids_by_name(data, lang)  # by name in the language, once per process
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
view = C.compare_view(data, get_robust().bands, cities, edition, lang)  # per process, shared read-only
for note in view.not_ranked_notes:
    st.warning(plain(note))

# ----------------------------------------------------------------------------------------------- pillar scores
st.subheader(_("Pillar scores, {edition}").format(edition=edition))
charts.draw(charts.spec(C.pillars_chart, view.pillars, view.city_order, view.label_order, lang), width="stretch")
box = lazy_expander(_("Scores and ranks (table)"), "compare_table")  # drawn only while open (explorer.widgets.page)
if box.open:
    box.dataframe(table(view.scores_table, lang, decimals=view.score_decimals), hide_index=True)
st.caption(_("Scores run from 0 to 100 against goalposts fixed across editions; ranks are "
              "among the cities ranked in the edition."))

# ------------------------------------------------------------------------------------------ rank bands, overlap
st.subheader(_("Index rank and its likely range, {edition}").format(edition=edition))
if view.band_lines:  # one element: a paragraph per city
    st.markdown("\n\n".join(plain(line) for line in view.band_lines))
if view.overlap_notes:
    st.markdown("**" + _("Where the order is not certain") + "**\n\n" + "\n".join(f"- {plain(n)}"
                                                                                  for n in view.overlap_notes))
st.caption(_("'Likely' is the range the rank stays in for 90 % of 1,000 re-computations of "
              "the index with other reasonable weights, normalisations, aggregations and "
              "missing-data rules (see Methodology). Where two ranges overlap, the order "
              "between the two cities depends on those choices."))

# ------------------------------------------------------------------------------------------- indicator table
st.subheader(_("Indicator by indicator"))
which = st.selectbox(_("Pillar"), list(view.pillar_choices), key="compare_pillar")
st.dataframe(
    table(view.indicator_rows(which), lang),
    hide_index=True,
    column_order=["name", "city", "value_text", "year", "status_text", "score", "source", "grade", "licence", "link"],
    column_config=indicator_columns(lang),
)
st.caption(_("'no data' is missing (left out of the pillar mean); 'below the list's "
              "threshold' means the city is not on a top-N list and scores at the lower "
              "goalpost; 0 is a true zero from a complete list. 'Value from YYYY' marks a "
              "value carried forward from an earlier year or taken from a later one."))

# ------------------------------------------------------------------------------------------------- rank trend
st.subheader(_("Index rank over the editions"))
ranked = view.ranked_trend
if ranked.empty:
    st.write(_("None of these cities is ranked in any edition."))
else:
    charts.draw(charts.spec(C.rank_trend_chart, ranked, view.city_order, lang), width="stretch")
if view.trend_gaps:
    st.caption(plain(_("Not ranked in some editions (no point shown): {cities}.").format(
        cities=", ".join(view.trend_gaps))))

st.caption(_("Open a city's profile:"))
for cid in cities:
    st.page_link("pages/city.py", label=plain(names[cid]),
                 query_params=with_lang({"city": cid, "edition": str(edition)}, lang))
embed_control(data, "compare", edition, lang)
footer(data, lang)
