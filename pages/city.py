"""City profile: the journalist's page (?city=<id>&edition=YYYY&peers=focus|region).

Rank and score with the change since the last edition, pillar scores against peers, strengths and weaknesses,
the trend over editions, every indicator value with its year and source, twin cities, networks, Pact membership,
World Heritage sites, Global 500 headquarters, international organisations, a citation line and a share link.
The page reads the URL state, asks explorer.views.city.page for the view and draws it.
"""

from __future__ import annotations

import streamlit as st

from explorer.data.cache import get_index, get_robust
from explorer.text.i18n import city_ids_by_name, city_names_of
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_choice, parse_city
from explorer.text.urls import with_lang
from explorer.views.city import page as V
from explorer.views.city import tables as P
from explorer.widgets import charts
from explorer.widgets.controls import city_search, edition_control
from explorer.widgets.metric import metric
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.share import cite_and_share
from explorer.widgets.sourced import indicator_columns, side_list
from explorer.widgets.tables import nf, table

DEFAULT_CITY = "budapest"

data = get_index()
lang, _ = page_setup()

# ---------------------------------------------------------------------------------------------------- controls
names = city_names_of(data, lang)
options = city_ids_by_name(data, lang)  # by name in the language, once per process
parsed = parse_city(st.query_params.get_all("city") or None, data.city_ids, default=DEFAULT_CITY)
if parsed.notice:
    st.info(notice_text(parsed.notice, _))
city_id = st.selectbox(_("City"), options, index=options.index(parsed.value), format_func=names.get, key="city_pick")
if st.query_params.get("city") != city_id:
    st.query_params["city"] = city_id
edition = edition_control(data, lang=lang)
with st.expander(_("Find a city by any of its names")):
    city_search(data, lang, "pages/city.py", lambda cid: {"city": cid, "edition": str(edition)}, key="city_search")

view = V.city_view(data, get_robust().bands, city_id, edition, lang)
head = view.head

# ---------------------------------------------------------------------------------------------------- headline
st.title(plain(head["name"]))
st.caption(plain(" · ".join([head["country_iso2"], _(head["region"]), *head["groups"]])))
cols = st.columns(3)
for col, m in zip(cols, view.metrics):
    metric(col, m)
if view.band_caption is not None:
    cols[0].caption(plain(view.band_caption), help=view.band_help)
if view.not_ranked_note:
    st.info(plain(view.not_ranked_note))
if view.first_edition_note:
    st.caption(view.first_edition_note)

# ------------------------------------------------------------------------------------------- pillars vs peers
st.subheader(_("Pillar scores against peers"))
default_peers = V.default_peers(city_id)
peers_p = parse_choice(st.query_params.get_all("peers") or None, list(V.PEERS), default_peers)
if peers_p.notice:
    st.info(notice_text(peers_p.notice, _))
peers = st.radio(_("Peers"), list(V.PEERS), index=list(V.PEERS).index(peers_p.value),
                 format_func=lambda k: _(V.PEERS[k]), horizontal=True, key="city_peers")
if peers == default_peers:
    if "peers" in st.query_params:
        del st.query_params["peers"]
elif st.query_params.get("peers") != peers:
    st.query_params["peers"] = peers
vs, peer_label = P.pillar_vs_peers(data, city_id, edition, peers, lang)
charts.draw(charts.spec(V.peers_chart, vs, lang), width="stretch")
st.caption(plain(_("Peer median: the {peer_label}, {edition} edition.").format(peer_label=peer_label, edition=edition)))

# ----------------------------------------------------------------------------------- strengths and weaknesses
sw_cols = {"name": st.column_config.TextColumn(_("Indicator")),
           "value_year": st.column_config.TextColumn(_("Value (year)")),
           "score": st.column_config.NumberColumn(_("Score"), format=nf("%.0f", lang),
                                                  help=_("Normalised score, 0-100"))}
for col, title, frame in zip(st.columns(2), (_("Strengths"), _("Weaknesses")), (view.top, view.bottom)):
    col.subheader(title)
    col.dataframe(table(frame, lang, decimals={"score": 0}), hide_index=True, column_config=sw_cols)
st.caption(_("The indicators with the highest and the lowest normalised scores (0-100 against "
             "goalposts fixed across editions). Sources are in the table of all indicators "
             "below."))

# --------------------------------------------------------------------------------------------------- trend
st.subheader(_("Trend over the editions"))
# lazy tabs: only the open tab's chart is drawn (a chart in a hidden tab costs every session its element)
t_scores, t_ranks = st.tabs([_("Scores"), _("Ranks")], key="city_trend_tab", on_change="rerun")
if t_scores.open:
    charts.draw(charts.spec(V.trend_scores_chart, view.trend, view.trend_labels, lang), into=t_scores, width="stretch")
if t_ranks.open:
    if view.trend_ranks.empty:
        t_ranks.write(_("Not ranked in any edition."))
    else:
        charts.draw(charts.spec(V.trend_ranks_chart, view.trend_ranks, view.trend_labels, lang), into=t_ranks,
                    width="stretch")
wide = view.trend_wide
box = lazy_expander(_("Scores by edition (table)"), "city_trend_table")
if box.open:
    scores = [c for c in wide.columns if c != "edition"]
    box.dataframe(table(wide, lang, decimals={c: 1 for c in scores}), hide_index=True,
                  column_config={"edition": st.column_config.NumberColumn(_("Edition"), format="%d"),
                                 **{c: st.column_config.NumberColumn(c, format=nf("%.1f", lang)) for c in scores}})

# ------------------------------------------------------------------------------------------ indicator values
st.subheader(_("Every indicator, with its year and source"))
st.dataframe(table(view.table, lang), hide_index=True, height="content",
             column_order=["name", "value_text", "year", "status_text", "score", "source", "grade", "licence", "link",
                           "note", "pillar_name"],
             column_config=indicator_columns(lang, status_help=True))
if view.missing_note:
    st.caption(view.missing_note)
documented = view.documented
if len(documented):
    box = lazy_expander(_("Why some values are older than 2019 or missing ({n})").format(n=len(documented)),
                        "city_absences")
    if box.open:
        box.caption(_("The project searched for newer values; these are its notes, in English."))
        box.dataframe(table(documented, lang, locale_format=False), hide_index=True,
                      column_order=["indicator", "reason", "searched", "checked"],
                      column_config={"indicator": _("Indicator"), "reason": st.column_config.TextColumn(
                          _("Reason"), width="large"), "searched": _("Searched"), "checked": _("Checked on")})

# ----------------------------------------------------------------------------------------------- side tables
st.subheader(_("Relations, networks and assets"))
if view.pact:
    st.write(plain(view.pact.text))
    if view.pact.notes:
        st.caption(plain(view.pact.notes))
    st.caption(plain(view.pact.source))
    if view.pact.link:
        st.link_button(_("Pact source"), view.pact.link)
else:
    st.write(_("Not a member of the Pact of Free Cities."))
for item in view.side_lists:
    side_list(item, lang)

# ------------------------------------------------------------------------------------------- cite and share
st.subheader(_("Cite and share"))
params = {"city": city_id, "edition": edition, **({"peers": peers} if peers != default_peers else {})}
cite_and_share(data, "city", params, edition, lang)
preset = P.compare_preset(city_id)
st.page_link("pages/changes.py", label=_("What changed since the last edition"), icon=":material/waterfall_chart:",
             query_params=with_lang({"city": city_id, "edition": str(edition)}, lang))
st.page_link("pages/compare.py", label=_("Compare with the V4 capitals"), icon=":material/compare_arrows:",
             query_params=with_lang({"cities": ",".join(preset), "edition": str(edition)}, lang))
footer(data, lang)
