"""City profile: the journalist's page (?city=<id>&edition=YYYY&peers=focus|region).

Rank and score with the change since the last edition, pillar scores against peers, strengths and weaknesses,
the trend over editions, every indicator value with its year and source, twin cities, networks, Pact membership,
World Heritage sites, Global 500 headquarters, international organisations, a citation line and a share link.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer.data.cache import get_index, get_robust
from explorer.data.store import FOCUS
from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import N_, city_ids_by_name, city_names_of, fmt_date, fmt_number, fmt_percent
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_choice, parse_city
from explorer.text.urls import share_url, snapshot_url, with_lang
from explorer.views import profile as P
from explorer.views.city import city_view
from explorer.widgets import charts
from explorer.widgets.controls import city_search, edition_control, embed_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.tables import nf, score_column, table

DEFAULT_CITY = "budapest"
PEERS = {"focus": N_("V4 capitals and Vienna"), "region": N_("Same region (ranked cities)")}

data = get_index()
lang, _ = page_setup()


# The page's derived tables, once per process and (city, edition, language), shared read-only (explorer.views.city).
def _peers(city_id: str, edition: int, peers: str, lang: str) -> tuple[pd.DataFrame, str]:
    return P.pillar_vs_peers(get_index(), city_id, edition, peers, lang)


def _source_columns() -> dict:
    return {
        "source": st.column_config.TextColumn(_("Source"), width="medium"),
        "licence": st.column_config.TextColumn(_("Licence")),
        "grade": st.column_config.TextColumn(_("Source grade"), help=_(GRADE_HELP)),
        "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
    }


def side_table(label: str, key: str, frame: pd.DataFrame, empty: str, columns: list[str], config: dict,
               caption: str | None = None) -> None:
    """One of the profile's side lists in a lazy expander (drawn only while open, explorer.widgets.page.lazy_expander):
    its
    table with the source columns, or the sentence saying why it is empty. `key` names the expander and the table."""
    box = lazy_expander(label, key)
    if not box.open:
        return
    if caption:
        box.caption(caption)
    if frame.empty:
        box.write(empty)
    else:
        box.dataframe(table(frame, lang), hide_index=True, column_order=columns,
                      column_config={**config, **_source_columns()})


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

view = city_view(data, get_robust().bands, city_id, edition, lang)
head = view.head

# ---------------------------------------------------------------------------------------------------- headline
st.title(plain(head["name"]))
ident = [head["country_iso2"], _(head["region"]), *head["groups"]]
st.caption(plain(" · ".join(ident)))

c1, c2, c3 = st.columns(3)
if head["ranked"]:
    rc, sc = head["rank_change"], head["score_change"]
    c1.metric(_("Rank"), _("{rank} of {n_ranked}").format(rank=head["rank"], n_ranked=head["n_ranked"]),
              delta=None if rc is None else (_("no change") if rc == 0 else P.places(rc, lang)),
              delta_color="normal" if rc else "off", delta_arrow="auto" if rc else "off",
              help=_.ngettext("Rank among the {n_ranked} city ranked in {edition}; change since the previous "
                              "edition (+ = moved up).",
                              "Rank among the {n_ranked} cities ranked in {edition}; change since the previous "
                              "edition (+ = moved up).", head["n_ranked"]).format(n_ranked=head["n_ranked"],
                                                                                  edition=edition))
    if view.band_caption is not None:
        c1.caption(plain(view.band_caption), help=view.band_help)
    c2.metric(_("Index score"), fmt_number(head['score'], lang, 1),
              delta=None if sc is None else (_("no change") if round(sc, 1) == 0
                                             else fmt_number(sc, lang, 1, sign=True)),
              delta_color="normal" if sc and round(sc, 1) else "off",
              delta_arrow="auto" if sc and round(sc, 1) else "off",
              help=_("0-100, the mean of the four pillar scores; change since the previous edition."))
else:
    c1.metric(_("Rank"), _("not ranked"))
    c2.metric(_("Index score"), _("none"))
    st.info(_("Not ranked in {edition}: {x}. Pillar scores and indicator values below are "
               "shown where they exist.").format(edition=edition, x=plain(_(head['reason']).split(': ', 1)[-1])))
if head["coverage"] is not None:
    c3.metric(_("Data coverage"), fmt_percent(head['coverage'], lang, 0),
              help=_("Share of the index's indicators with data."))
if head["first_edition"]:
    st.caption(_("{edition} is the first edition, so there is no change to show.").format(edition=edition))

# ------------------------------------------------------------------------------------------- pillars vs peers
st.subheader(_("Pillar scores against peers"))
default_peers = "focus" if city_id in FOCUS else "region"
peers_p = parse_choice(st.query_params.get_all("peers") or None, list(PEERS), default_peers)
if peers_p.notice:
    st.info(notice_text(peers_p.notice, _))
peers = st.radio(_("Peers"), list(PEERS), index=list(PEERS).index(peers_p.value), format_func=lambda k: _(PEERS[k]),
                 horizontal=True, key="city_peers")
if peers == default_peers:
    if "peers" in st.query_params:
        del st.query_params["peers"]
elif st.query_params.get("peers") != peers:
    st.query_params["peers"] = peers
vs, peer_label = _peers(city_id, edition, peers, lang)


def _peers_chart() -> alt.LayerChart:
    series_order = list(dict.fromkeys(vs["series"]))
    bars = alt.Chart(vs.dropna(subset=["score"])).encode(
        y=alt.Y("label:N", sort=list(dict.fromkeys(vs["label"])), title=None, axis=alt.Axis(labelLimit=140)),
        yOffset=alt.YOffset("series:N", sort=series_order),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=_("Score (0-100)")),
        color=alt.Color("series:N", title=None, sort=series_order, legend=alt.Legend(orient="top", columns=2)),
        tooltip=[alt.Tooltip("series:N", title=_("Series")), alt.Tooltip("pillar_name:N", title=_("Pillar")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    )
    return (bars.mark_bar() + bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("score:Q", format=".0f"), color=alt.value("#555"))).properties(height=280)


charts.draw(charts.keyed_spec(data, ("city_peers", lang, city_id, edition, peers), _peers_chart), width="stretch")
st.caption(plain(_("Peer median: the {peer_label}, {edition} edition.").format(peer_label=peer_label, edition=edition)))

# ----------------------------------------------------------------------------------- strengths and weaknesses
sw_cols = {
    "name": st.column_config.TextColumn(_("Indicator")),
    "value_year": st.column_config.TextColumn(_("Value (year)")),
    "score": st.column_config.NumberColumn(_("Score"), format=nf("%.0f", lang), help=_("Normalised score, 0-100")),
}
s1, s2 = st.columns(2)
with s1:
    st.subheader(_("Strengths"))
    st.dataframe(table(view.top, lang, decimals={"score": 0}), hide_index=True, column_config=sw_cols)
with s2:
    st.subheader(_("Weaknesses"))
    st.dataframe(table(view.bottom, lang, decimals={"score": 0}), hide_index=True, column_config=sw_cols)
st.caption(_("The indicators with the highest and the lowest normalised scores (0-100 against "
              "goalposts fixed across editions). Sources are in the table of all indicators "
              "below."))

# --------------------------------------------------------------------------------------------------- trend
st.subheader(_("Trend over the editions"))
tr = view.trend
# lazy tabs: only the open tab's chart is drawn (a chart in a hidden tab costs every session its element)
t_scores, t_ranks = st.tabs([_("Scores"), _("Ranks")], key="city_trend_tab", on_change="rerun")
if t_scores.open:
    charts.draw(charts.keyed_spec(data, ("city_trend_scores", lang, city_id), lambda: alt.Chart(
        tr.dropna(subset=["score"])).mark_line(point=True).encode(
        x=alt.X("edition:O", title=_("Edition")),
        y=alt.Y("score:Q", title=_("Score (0-100)"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("label:N", title=None, sort=list(view.trend_labels),
                        legend=alt.Legend(orient="top", columns=2)),
        tooltip=[alt.Tooltip("pillar_name:N", title=_("Score")), alt.Tooltip("edition:O", title=_("Edition")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    ).properties(height=300)), into=t_scores, width="stretch")
if t_ranks.open:
    ranks = view.trend_ranks
    if ranks.empty:
        t_ranks.write(_("Not ranked in any edition."))
    else:
        charts.draw(charts.keyed_spec(data, ("city_trend_ranks", lang, city_id), lambda: alt.Chart(
            ranks).mark_line(point=True).encode(
            x=alt.X("edition:O", title=_("Edition")),
            y=alt.Y("rank:Q", title=_("Rank (1 = top)"), scale=alt.Scale(reverse=True, zero=False)),
            color=alt.Color("label:N", title=None, sort=list(view.trend_labels),
                            legend=alt.Legend(orient="top", columns=2)),
            tooltip=[alt.Tooltip("pillar_name:N", title=_("Rank")), alt.Tooltip("edition:O", title=_("Edition")),
                     alt.Tooltip("rank:Q", title=_("Rank"), format="d")],
        ).properties(height=300)), into=t_ranks, width="stretch")
wide = view.trend_wide
box = lazy_expander(_("Scores by edition (table)"), "city_trend_table")
if box.open:
    box.dataframe(table(wide.reset_index(), lang, decimals={c: 1 for c in wide.columns}), hide_index=True,
                  column_config={"edition": st.column_config.NumberColumn(_("Edition"), format="%d"),
                                 **{c: st.column_config.NumberColumn(c, format=nf("%.1f", lang))
                                    for c in wide.columns}})

# ------------------------------------------------------------------------------------------ indicator values
st.subheader(_("Every indicator, with its year and source"))
st.dataframe(
    table(view.table, lang),
    hide_index=True,
    height="content",
    column_order=["name", "value_text", "year", "status_text", "score", "source", "grade", "licence", "link",
                  "note", "pillar_name"],
    column_config={
        "pillar_name": st.column_config.TextColumn(_("Pillar")),
        "name": st.column_config.TextColumn(_("Indicator")),
        "value_text": st.column_config.TextColumn(_("Value"), help=_("The raw value in its unit")),
        "year": st.column_config.NumberColumn(_("Year"), format="%d", help=_("The year the value refers to")),
        "status_text": st.column_config.TextColumn(
            _("Status"), help=_("'current' = a value for the edition's year; 'carried forward' = the latest "
                              "earlier value; 'later than the edition' = only a later value exists; 'below the "
                              "list's threshold' = not on a top-N list; 'no data' = missing.")),
        "score": score_column(_("Score"), lang, 1,
                                                 help=_("Normalised score, 0-100")),
        **_source_columns(),
        "note": st.column_config.TextColumn(_("Note")),
    },
)
n_missing = view.n_missing
if n_missing:
    st.caption(_.ngettext("{n_missing} of {n_table} indicators has no data for this city: it is left out of its "
                          "pillar means, not counted as zero.",
                          "{n_missing} of {n_table} indicators have no data for this city: they are left out of "
                          "its pillar means, not counted as zero.", n_missing).format(n_missing=n_missing,
                                                                                      n_table=len(table)))
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
side = view.side
st.subheader(_("Relations, networks and assets"))
pact = side["pact"]
if pact:
    when = pact["joined_date"]
    text = (_("Pact of Free Cities: {role}, joined {when} ({certainty})").format(
                role=pact["role"], when=fmt_date(when, lang) if when[:4].isdigit() and len(when) == 10 else when,
                certainty=pact["certainty"])
            + (f"; {pact['event']}" if pact["event"] and pact["event"] != "not found" else "")
            + ("; " + _("mayor at signing: {mayor}").format(mayor=pact["mayor"]) if pact["mayor"] else "") + ".")
    st.write(plain(text))
    if pact["notes"]:
        st.caption(plain(pact["notes"]))
    st.caption(plain(_("Source: {source} · {grade} · {licence}").format(
        source=pact['source'], grade=pact['grade'], licence=pact['licence'])))
    if pact["link"]:
        st.link_button(_("Pact source"), pact["link"])
else:
    st.write(_("Not a member of the Pact of Free Cities."))

twins, nets, whc, g500, io = side["twins"], side["networks"], side["whc"], side["g500"], side["io"]
side_table(_("Twin and partner cities ({n_twins} among the reference cities)").format(n_twins=len(twins)),
           "city_twins", twins, _("No partner city among the reference cities."),
           ["partner", "country_iso2", "start_year", "listed_in", "source", "grade", "link"],
           {"partner": _("Partner"), "country_iso2": _("Country"),
            "start_year": st.column_config.TextColumn(_("Since"), help=_("Blank: not known")),
            "listed_in": _("Listed in")},
           caption=None if view.twin_value_text is None else plain(
               _("The indicator counts {value_text}; this list shows the partners that are among the index's "
                 "reference cities.").format(value_text=view.twin_value_text)))
side_table(_("City networks ({n_nets})").format(n_nets=len(nets)), "city_networks", nets,
           _("No membership recorded in the networks the index follows."),
           ["network", "role", "since", "source", "grade", "licence", "link"],
           {"network": _("Network"), "role": _("Role"), "since": _("Since")})
side_table(_("World Heritage properties within 25 km ({n_whc})").format(n_whc=len(whc)), "city_whc", whc,
           _("None within 25 km (the UNESCO list is complete, so this is a true zero)."),
           ["name_en", "date_inscribed", "distance_km", "source", "grade", "licence", "link"],
           {"name_en": _("Property"), "date_inscribed": _("Inscribed"), "distance_km": _("Distance (km)")})
side_table(_("Fortune Global 500 headquarters ({n_g500})").format(n_g500=len(g500)), "city_g500", g500,
           _("None in the latest list year with a published count (a true zero only where the count is "
             "published: a country's counts are withheld while any of its firms has no known headquarters)."),
           ["company", "year", "hq_town", "source", "grade", "link"],
           {"company": _("Company"), "year": st.column_config.NumberColumn(_("List year"), format="%d"),
            "hq_town": _("Headquarters town")})
side_table(_("International organisations seated ({n_io})").format(n_io=len(io)), "city_org_seats", io,
           _("None recorded."),
           ["organisation", "acronym", "type", "counted_from", "counted_until", "source", "grade", "link"],
           {"organisation": _("Organisation"), "acronym": _("Acronym"), "type": _("Type"),
            "counted_from": _("From"), "counted_until": _("Until")})

# ------------------------------------------------------------------------------------------- cite and share
st.subheader(_("Cite and share"))
params = {"city": city_id, "edition": edition}
if peers != default_peers:
    params["peers"] = peers
url = share_url(st.context.url, "city", with_lang(params, lang), fallback=None)
st.caption(_("Link to this view"))
st.code(url, language=None, wrap_lines=True)
snapshot = snapshot_url(url, "city", max(data.editions)) if url.startswith("http") else None  # in the page's language
if snapshot:
    st.caption(_("Light page of this profile (opens fast on any phone; for QR codes and articles)"))
    st.code(snapshot, language=None, wrap_lines=True)
st.caption(_("Citation"))
st.code(P.citation(data, edition, url, lang), language=None, wrap_lines=True)
embed_control(data, "city", edition, lang)
preset = P.compare_preset(city_id)
st.page_link("pages/changes.py", label=_("What changed since the last edition"), icon=":material/waterfall_chart:",
             query_params=with_lang({"city": city_id, "edition": str(edition)}, lang))
st.page_link("pages/compare.py", label=_("Compare with the V4 capitals"), icon=":material/compare_arrows:",
             query_params=with_lang({"cities": ",".join(preset), "edition": str(edition)}, lang))
footer(data, lang)
