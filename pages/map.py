"""Map: reference cities sized and coloured by the index or a pillar; a selected city's twin-city and Pact links.

URL: /map?edition=YYYY&metric=index|relations|tourism|business|multiculturalism&city=<id>&present=1
No Mapbox token: the basemap is Carto's free Positron style; if its tiles do not load, the points (dark rims) and
arcs still read on the plain page background, and the same data is one click away as a table.
"""

from __future__ import annotations

import streamlit as st

from explorer.data.cache import get_index
from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import city_names_of
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_choice, parse_city, parse_edition
from explorer.views import map as map_page
from explorer.views import mapdata as mapview
from explorer.widgets import charts
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.present import exit_button, present_share, presenting
from explorer.widgets.tables import nf, table

data = get_index()
lang, _ = page_setup()
names = city_names_of(data, lang)
metric_names = map_page.metric_names_for(data, lang)


def legend_spec(lang: str) -> dict:
    return charts.legend_spec(*map_page.legend_classes(lang))


def alt_text(edition: int, metric: str, city: str | None) -> str:
    n = len(data.cities)
    text = _.ngettext("World map of the {n} reference city, coloured by {metric} score, edition {edition}",
                      "World map of the {n} reference cities, coloured by {metric} score, edition {edition}",
                      n).format(n=n, metric=metric_names[metric], edition=edition)
    return text + (_(", with the links of {city}").format(city=names[city]) if city else "")


# --- controls (in the page body, so they are reachable on a phone) --------------------------------------------------
parsed_metric = parse_choice(st.query_params.get_all("metric") or None, mapview.METRICS, "index")
parsed_city = parse_city(st.query_params.get_all("city") or None, data.city_ids, default=None)

if presenting():  # one big map, no controls: the link's parameters decide the view
    parsed_edition = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    for notice in (parsed_edition.notice, parsed_metric.notice, parsed_city.notice):
        if notice:
            st.info(notice_text(notice, _))
    edition, metric, city = int(parsed_edition.value), parsed_metric.value, parsed_city.value
    st.title(f"{plain(metric_names[metric])} {edition}" + (f": {plain(names[city])}" if city else ""))
    map_col, qr_col = st.columns([2, 1], vertical_alignment="center")
    with map_col:
        st.pydeck_chart(map_page.deck(data, edition, metric, city, lang), height=640,
                        alt=alt_text(edition, metric, city))
    with qr_col:
        present_share("map")
    exit_button()
    st.stop()

st.title(_("Map"))
st.write(_("Every reference city, coloured and sized by its score. Pick a city to draw its "
            "twin and partner cities and, for Pact of Free Cities members, its links to the "
            "other members."))
edition = edition_control(data, key="map_edition", lang=lang)
for notice in (parsed_metric.notice, parsed_city.notice):
    if notice:
        st.info(notice_text(notice, _))

metric = st.selectbox(_("Colour and size by"), mapview.METRICS, index=mapview.METRICS.index(parsed_metric.value),
                      format_func=metric_names.get, key="map_metric")
if st.query_params.get("metric") != metric:
    st.query_params["metric"] = metric

city_options = map_page.city_options_for(data, lang)
city = st.selectbox(_("Show the links of"), city_options, index=city_options.index(parsed_city.value or ""),
                    format_func=lambda c: names[c] if c else _("(no city)"), key="map_city") or None
if city and st.query_params.get("city") != city:
    st.query_params["city"] = city
elif not city and "city" in st.query_params:
    del st.query_params["city"]

st.pydeck_chart(map_page.deck(data, edition, metric, city, lang), height=520, alt=alt_text(edition, metric, city))

# --- legend (Streamlit elements, not HTML) --------------------------------------------------------------------------
st.caption(_("Colour and size: {x} score (0–100) in the {edition} edition; a bigger, darker "
              "point scores higher. Grey: not ranked in this edition (too little data). Hover "
              "over a point for its rank and score.").format(x=plain(metric_names[metric]), edition=edition))
st.markdown(_("**Legend: {x} score**").format(x=plain(metric_names[metric])))
charts.draw(legend_spec(lang), width="content")

if city:
    twins = mapview.twin_links(data, city, lang)
    pact = mapview.pact_links(data, city, edition, lang)
    st.subheader(_("Links of {x}").format(x=plain(names[city])))
    orange = _.ngettext("Orange arcs: {n} twin or partner city among the reference cities.",
                        "Orange arcs: {n} twin or partner cities among the reference cities.",
                        len(twins)).format(n=len(twins))
    if len(pact):
        purple = _.ngettext("Purple arcs: {n} other Pact of Free Cities member in {edition}.",
                            "Purple arcs: {n} other Pact of Free Cities members in {edition}.",
                            len(pact)).format(n=len(pact), edition=edition)
    else:
        purple = _("Purple arcs: none (not a Pact of Free Cities member in {edition}).").format(edition=edition)
    st.write(orange + "  \n" + purple)
    if len(twins):
        st.dataframe(
            table(map_page.twin_table(data, city, lang), lang),
            hide_index=True,
            column_order=["partner", "country", "listed_in", "since", "sources", "year_source", "grade"],
            column_config={"partner": _("Partner city"), "country": _("Country"), "listed_in": _("Listed in"),
                           "since": st.column_config.TextColumn(
                               _("Since"), help=_("Year the partnership began, where a source gives it")),
                           "sources": _("Source"), "year_source": _("Source of the year"),
                           "grade": st.column_config.TextColumn(_("Source grade"), help=_(GRADE_HELP))},
        )
        st.caption(_("Twin and partner cities are undated snapshots (English Wikipedia lists, Feb "
                      "2026; Wikidata, 2017); only partners that are themselves reference cities are "
                      "drawn. Sources and licences: Methodology & data page."))
    else:
        st.write(_("No twin or partner city among the reference cities is listed for this city."))
    if len(pact):
        st.dataframe(table(pact[["partner"]], lang), hide_index=True,
                     column_config={"partner": _("Other Pact members")})
        st.page_link("pages/pact.py", label=_("Pact of Free Cities: members, accessions and sources"))

box = lazy_expander(_("The map's data as a table"), "map_table")  # drawn only while open (explorer.widgets.page)
if box.open:
    box.dataframe(
        table(mapview.city_points(
            data, edition, metric, lang).sort_values(["rank", "name"], na_position="last"), lang), hide_index=True,
        column_order=["rank", "name", "country", "score"],
        column_config={"rank": st.column_config.NumberColumn(_("Rank"), format="%d"), "name": _("City"),
                       "country": _("Country"),
                       "score": st.column_config.ProgressColumn(metric_names[metric], min_value=0, max_value=100,
                                                                format=nf("%.1f", lang))},
    )
    box.caption(_("Rank is empty for cities that are not ranked in this edition (too little data)."))

footer(data, lang, note=_("Basemap © OpenStreetMap contributors © CARTO. City coordinates: GeoNames (CC BY "
                          "4.0)."))
