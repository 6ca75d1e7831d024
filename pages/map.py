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
from explorer.text.params import notice_text, parse_choice, parse_city, parse_edition
from explorer.views.map import page as view
from explorer.views.map.layers import METRICS
from explorer.widgets import charts
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.present import exit_button, present_share, presenting
from explorer.widgets.tables import nf, table

data = get_index()
lang, _ = page_setup()
names = city_names_of(data, lang)
metric_names = view.metric_names_for(data, lang)

parsed_metric = parse_choice(st.query_params.get_all("metric") or None, METRICS, "index")
parsed_city = parse_city(st.query_params.get_all("city") or None, data.city_ids, default=None)

if presenting():  # one big map, no controls: the link's parameters decide the view
    parsed_edition = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    for notice in (parsed_edition.notice, parsed_metric.notice, parsed_city.notice):
        if notice:
            st.info(notice_text(notice, _))
    edition, metric, city = int(parsed_edition.value), parsed_metric.value, parsed_city.value
    st.title(view.present_title(data, edition, metric, city, lang))
    map_col, qr_col = st.columns([2, 1], vertical_alignment="center")
    with map_col:
        st.pydeck_chart(view.deck(data, edition, metric, city, lang), height=640,
                        alt=view.alt_text(data, edition, metric, city, lang))
    with qr_col:
        present_share("map")
    exit_button()
    st.stop()

# --- controls (in the page body, so they are reachable on a phone) --------------------------------------------------
st.title(_("Map"))
st.write(_("Every reference city, coloured and sized by its score. Pick a city to draw its "
            "twin and partner cities and, for Pact of Free Cities members, its links to the "
            "other members."))
edition = edition_control(data, key="map_edition", lang=lang)
for notice in (parsed_metric.notice, parsed_city.notice):
    if notice:
        st.info(notice_text(notice, _))

metric = st.selectbox(_("Colour and size by"), METRICS, index=METRICS.index(parsed_metric.value),
                      format_func=metric_names.get, key="map_metric")
if st.query_params.get("metric") != metric:
    st.query_params["metric"] = metric

city_options = view.city_options_for(data, lang)
city = st.selectbox(_("Show the links of"), city_options, index=city_options.index(parsed_city.value or ""),
                    format_func=lambda c: names[c] if c else _("(no city)"), key="map_city") or None
if city and st.query_params.get("city") != city:
    st.query_params["city"] = city
elif not city and "city" in st.query_params:
    del st.query_params["city"]

st.pydeck_chart(view.deck(data, edition, metric, city, lang), height=520,
                alt=view.alt_text(data, edition, metric, city, lang))

# --- legend (Streamlit elements, not HTML) --------------------------------------------------------------------------
legend_caption, legend_title = view.legend_texts(data, edition, metric, lang)
st.caption(legend_caption)
st.markdown(legend_title)
charts.draw(charts.legend_spec(*view.legend_classes(lang)), width="content")

if city:
    links_title, links_sentence = view.links_texts(data, city, edition, lang)
    st.subheader(links_title)
    st.write(links_sentence)
    twins = view.twin_table(data, city, lang)
    if len(twins):
        st.dataframe(
            table(twins, lang), hide_index=True,
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
    pact = view.pact_partners(data, city, edition, lang)
    if len(pact):
        st.dataframe(table(pact, lang), hide_index=True, column_config={"partner": _("Other Pact members")})
        st.page_link("pages/pact.py", label=_("Pact of Free Cities: members, accessions and sources"))

box = lazy_expander(_("The map's data as a table"), "map_table")  # drawn only while open (explorer.widgets.page)
if box.open:
    box.dataframe(
        table(view.points_table(data, edition, metric, lang), lang), hide_index=True,
        column_order=["rank", "name", "country", "score"],
        column_config={"rank": st.column_config.NumberColumn(_("Rank"), format="%d"), "name": _("City"),
                       "country": _("Country"),
                       "score": st.column_config.ProgressColumn(metric_names[metric], min_value=0, max_value=100,
                                                                format=nf("%.1f", lang))},
    )
    box.caption(_("Rank is empty for cities that are not ranked in this edition (too little data)."))

footer(data, lang, note=_("Basemap © OpenStreetMap contributors © CARTO. City coordinates: GeoNames (CC BY "
                          "4.0)."))
