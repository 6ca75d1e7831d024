"""City profile: the journalist's page (?city=<id>&edition=YYYY&peers=focus|region).

Rank and score with the change since the last edition, pillar scores against peers, strengths and weaknesses,
the trend over editions, every indicator value with its year and source, twin cities, networks, Pact membership,
World Heritage sites, Global 500 headquarters, international organisations, a citation line and a share link.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer import profile as P
from explorer.data import FOCUS, get_index
from explorer.params import parse_choice, parse_city
from explorer.present import snapshot_url
from explorer.robust import band_text, bands_for, get_robust
from explorer.ui import edition_control, embed_control, footer, plain

DEFAULT_CITY = "budapest"
PEERS = {"focus": "V4 capitals and Vienna", "region": "Same region (ranked cities)"}

data = get_index()


@st.cache_data(show_spinner=False, max_entries=256)
def _indicators(city_id: str, edition: int) -> pd.DataFrame:
    return P.indicator_table(get_index(), city_id, edition)


@st.cache_data(show_spinner=False, max_entries=256)
def _peers(city_id: str, edition: int, peers: str) -> tuple[pd.DataFrame, str]:
    return P.pillar_vs_peers(get_index(), city_id, edition, peers)


@st.cache_data(show_spinner=False, max_entries=128)
def _trend(city_id: str) -> pd.DataFrame:
    return P.trend(get_index(), city_id)


@st.cache_data(show_spinner=False, max_entries=128)
def _side_tables(city_id: str) -> dict:
    d = get_index()
    return {"twins": P.twin_cities(d, city_id), "networks": P.networks(d, city_id),
            "pact": P.pact_membership(d, city_id), "whc": P.heritage_sites(d, city_id),
            "g500": P.global500(d, city_id), "io": P.org_seats(d, city_id)}


def _source_columns() -> dict:
    return {
        "source": st.column_config.TextColumn("Source", width="medium"),
        "licence": st.column_config.TextColumn("Licence"),
        "link": st.column_config.LinkColumn("Link", display_text="open"),
    }


# ---------------------------------------------------------------------------------------------------- controls
names = dict(zip(data.cities["city_id"], data.cities["name"]))
options = sorted(names, key=lambda c: (names[c].casefold(), c))
parsed = parse_city(st.query_params.get_all("city") or None, data.city_ids, default=DEFAULT_CITY)
if parsed.notice:
    st.info(parsed.notice)
city_id = st.selectbox("City", options, index=options.index(parsed.value), format_func=names.get, key="city_pick")
if st.query_params.get("city") != city_id:
    st.query_params["city"] = city_id
edition = edition_control(data)

head = P.headline(data, city_id, edition)

# ---------------------------------------------------------------------------------------------------- headline
st.title(plain(head["name"]))
ident = [head["country_iso2"], head["region"], *head["groups"]]
st.caption(plain(" · ".join(ident)))

c1, c2, c3 = st.columns(3)
if head["ranked"]:
    rc, sc = head["rank_change"], head["score_change"]
    c1.metric("Rank", f"{head['rank']} of {head['n_ranked']}",
              delta=None if rc is None else ("no change" if rc == 0 else P.places(rc)),
              delta_color="normal" if rc else "off", delta_arrow="auto" if rc else "off",
              help=f"Rank among the {head['n_ranked']} cities ranked in {edition}; change since the previous "
                   "edition (+ = moved up).")
    band = bands_for(get_robust().bands, edition)
    if city_id in band.index:
        b = band.loc[city_id]
        c1.caption(plain(band_text(head["rank"], b["rank_low"], b["rank_high"]).capitalize()),
                   help=f"The rank stays in this range in 90 % of {int(b['n_runs']):,} re-computations of the index "
                        "with other reasonable weights, normalisations, aggregations and missing-data rules (see "
                        "Methodology). Median rank over the runs: " + f"{int(b['rank_median'])}.")
    c2.metric("Index score", f"{head['score']:.1f}",
              delta=None if sc is None else ("no change" if round(sc, 1) == 0 else f"{sc:+.1f}"),
              delta_color="normal" if sc and round(sc, 1) else "off",
              delta_arrow="auto" if sc and round(sc, 1) else "off",
              help="0-100, the mean of the four pillar scores; change since the previous edition.")
else:
    c1.metric("Rank", "not ranked")
    c2.metric("Index score", "none")
    st.info(f"Not ranked in {edition}: {plain(head['reason'].removeprefix('not ranked: '))}. Pillar scores and "
            "indicator values below are shown where they exist.")
if head["coverage"] is not None:
    c3.metric("Data coverage", f"{head['coverage']:.0%}", help="Share of the index's indicators with data.")
if head["first_edition"]:
    st.caption(f"{edition} is the first edition, so there is no change to show.")

# ------------------------------------------------------------------------------------------- pillars vs peers
st.subheader("Pillar scores against peers")
default_peers = "focus" if city_id in FOCUS else "region"
peers_p = parse_choice(st.query_params.get_all("peers") or None, list(PEERS), default_peers)
if peers_p.notice:
    st.info(peers_p.notice)
peers = st.radio("Peers", list(PEERS), index=list(PEERS).index(peers_p.value), format_func=PEERS.get,
                 horizontal=True, key="city_peers")
if peers == default_peers:
    if "peers" in st.query_params:
        del st.query_params["peers"]
elif st.query_params.get("peers") != peers:
    st.query_params["peers"] = peers
vs, peer_label = _peers(city_id, edition, peers)
series_order = list(dict.fromkeys(vs["series"]))
bars = alt.Chart(vs.dropna(subset=["score"])).encode(
    y=alt.Y("label:N", sort=list(dict.fromkeys(vs["label"])), title=None, axis=alt.Axis(labelLimit=140)),
    yOffset=alt.YOffset("series:N", sort=series_order),
    x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
    color=alt.Color("series:N", title=None, sort=series_order, legend=alt.Legend(orient="top", columns=2)),
    tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("pillar_name:N", title="Pillar"),
             alt.Tooltip("score:Q", title="Score", format=".1f")],
)
chart = (bars.mark_bar() + bars.mark_text(align="left", dx=3, fontSize=11).encode(
    text=alt.Text("score:Q", format=".0f"), color=alt.value("#555"))).properties(height=280)
st.altair_chart(chart, width="stretch")
st.caption(plain(f"Peer median: the {peer_label}, {edition} edition."))

# ----------------------------------------------------------------------------------- strengths and weaknesses
table = _indicators(city_id, edition)
top, bottom = P.strengths_weaknesses(table)
sw_cols = {
    "name": st.column_config.TextColumn("Indicator"),
    "value_year": st.column_config.TextColumn("Value (year)"),
    "score": st.column_config.NumberColumn("Score", format="%.0f", help="Normalised score, 0-100"),
}
s1, s2 = st.columns(2)
with s1:
    st.subheader("Strengths")
    st.dataframe(top[list(sw_cols)], hide_index=True, column_config=sw_cols)
with s2:
    st.subheader("Weaknesses")
    st.dataframe(bottom[list(sw_cols)], hide_index=True, column_config=sw_cols)
st.caption("The indicators with the highest and the lowest normalised scores (0-100 against goalposts fixed "
           "across editions). Sources are in the table of all indicators below.")

# --------------------------------------------------------------------------------------------------- trend
st.subheader("Trend over the editions")
tr = _trend(city_id)
t_scores, t_ranks = st.tabs(["Scores", "Ranks"])
with t_scores:
    st.altair_chart(alt.Chart(tr.dropna(subset=["score"])).mark_line(point=True).encode(
        x=alt.X("edition:O", title="Edition"),
        y=alt.Y("score:Q", title="Score (0-100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("label:N", title=None, sort=list(dict.fromkeys(tr["label"])),
                        legend=alt.Legend(orient="top", columns=2)),
        tooltip=[alt.Tooltip("pillar_name:N", title="Score"), alt.Tooltip("edition:O", title="Edition"),
                 alt.Tooltip("score:Q", title="Score", format=".1f")],
    ).properties(height=300), width="stretch")
with t_ranks:
    ranks = tr.dropna(subset=["rank"]).astype({"rank": "float64"})
    if ranks.empty:
        st.write("Not ranked in any edition.")
    else:
        st.altair_chart(alt.Chart(ranks).mark_line(point=True).encode(
            x=alt.X("edition:O", title="Edition"),
            y=alt.Y("rank:Q", title="Rank (1 = top)", scale=alt.Scale(reverse=True, zero=False)),
            color=alt.Color("label:N", title=None, sort=list(dict.fromkeys(tr["label"])),
                            legend=alt.Legend(orient="top", columns=2)),
            tooltip=[alt.Tooltip("pillar_name:N", title="Rank"), alt.Tooltip("edition:O", title="Edition"),
                     alt.Tooltip("rank:Q", title="Rank", format="d")],
        ).properties(height=300), width="stretch")
wide = tr.pivot(index="edition", columns="pillar_name", values="score")
wide = wide[[c for c in dict.fromkeys(tr["pillar_name"]) if c in wide.columns]]
with st.expander("Scores by edition (table)"):
    st.dataframe(wide.reset_index(), hide_index=True,
                 column_config={"edition": st.column_config.NumberColumn("Edition", format="%d"),
                                **{c: st.column_config.NumberColumn(c, format="%.1f") for c in wide.columns}})

# ------------------------------------------------------------------------------------------ indicator values
st.subheader("Every indicator, with its year and source")
st.dataframe(
    table,
    hide_index=True,
    height="content",
    column_order=["name", "value_text", "year", "status_text", "score", "source", "licence", "link", "note",
                  "pillar_name"],
    column_config={
        "pillar_name": st.column_config.TextColumn("Pillar"),
        "name": st.column_config.TextColumn("Indicator"),
        "value_text": st.column_config.TextColumn("Value", help="The raw value in its unit"),
        "year": st.column_config.NumberColumn("Year", format="%d", help="The year the value refers to"),
        "status_text": st.column_config.TextColumn(
            "Status", help="'current' = a value for the edition's year; 'carried forward' = the latest earlier "
                           "value; 'later than the edition' = only a later value exists; 'below the list's "
                           "threshold' = not on a top-N list; 'no data' = missing."),
        "score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%.1f",
                                                 help="Normalised score, 0-100"),
        **_source_columns(),
        "note": st.column_config.TextColumn("Note"),
    },
)
n_missing = int((table["status"] == "missing").sum())
if n_missing:
    st.caption(f"{n_missing} of {len(table)} indicators have no data for this city: they are left out of its "
               "pillar means, not counted as zero.")

# ----------------------------------------------------------------------------------------------- side tables
side = _side_tables(city_id)
st.subheader("Relations, networks and assets")
pact = side["pact"]
if pact:
    when = pact["joined_date"]
    text = (f"Pact of Free Cities: {pact['role']}, joined {when} ({pact['certainty']})"
            + (f"; {pact['event']}" if pact["event"] and pact["event"] != "not found" else "")
            + (f"; mayor at signing: {pact['mayor']}" if pact["mayor"] else "") + ".")
    st.write(plain(text))
    if pact["notes"]:
        st.caption(plain(pact["notes"]))
    st.caption(plain(f"Source: {pact['source']} · {pact['licence']}"))
    if pact["link"]:
        st.link_button("Pact source", pact["link"])
else:
    st.write("Not a member of the Pact of Free Cities.")

twins = side["twins"]
twin_row = table[table["indicator"] == "twin_cities"]
with st.expander(f"Twin and partner cities ({len(twins)} among the reference cities)"):
    if not twin_row.empty and twin_row.iloc[0]["status"] == "observed":
        st.caption(plain(f"The indicator counts {twin_row.iloc[0]['value_text']}; this list shows the partners "
                         "that are among the index's reference cities."))
    if twins.empty:
        st.write("No partner city among the reference cities.")
    else:
        st.dataframe(twins, hide_index=True,
                     column_order=["partner", "country_iso2", "start_year", "listed_in", "source", "link"],
                     column_config={"partner": "Partner", "country_iso2": "Country",
                                    "start_year": st.column_config.TextColumn("Since", help="Blank: not known"),
                                    "listed_in": "Listed in", **_source_columns()})

nets = side["networks"]
with st.expander(f"City networks ({len(nets)})"):
    if nets.empty:
        st.write("No membership recorded in the networks the index follows.")
    else:
        st.dataframe(nets, hide_index=True, column_order=["network", "role", "since", "source", "licence", "link"],
                     column_config={"network": "Network", "role": "Role", "since": "Since", **_source_columns()})

whc = side["whc"]
with st.expander(f"World Heritage properties within 25 km ({len(whc)})"):
    if whc.empty:
        st.write("None within 25 km (the UNESCO list is complete, so this is a true zero).")
    else:
        st.dataframe(whc, hide_index=True,
                     column_order=["name_en", "date_inscribed", "distance_km", "source", "licence", "link"],
                     column_config={"name_en": "Property", "date_inscribed": "Inscribed",
                                    "distance_km": "Distance (km)", **_source_columns()})

g500 = side["g500"]
with st.expander(f"Fortune Global 500 headquarters ({len(g500)})"):
    if g500.empty:
        st.write("None (the Global 500 list is complete, so this is a true zero).")
    else:
        st.dataframe(g500, hide_index=True, column_order=["company", "rank", "hq_as_stated", "source", "link"],
                     column_config={"company": "Company", "rank": st.column_config.NumberColumn("Rank", format="%d"),
                                    "hq_as_stated": "Headquarters as stated", **_source_columns()})

io = side["io"]
with st.expander(f"International organisations seated ({len(io)})"):
    if io.empty:
        st.write("None recorded.")
    else:
        st.dataframe(io, hide_index=True,
                     column_order=["organisation", "acronym", "type", "counted_from", "counted_until", "source",
                                   "link"],
                     column_config={"organisation": "Organisation", "acronym": "Acronym", "type": "Type",
                                    "counted_from": "From", "counted_until": "Until", **_source_columns()})

# ------------------------------------------------------------------------------------------- cite and share
st.subheader("Cite and share")
params = {"city": city_id, "edition": edition}
if peers != default_peers:
    params["peers"] = peers
url = P.share_url(st.context.url, "city", params)
st.caption("Link to this view")
st.code(url, language=None, wrap_lines=True)
snapshot = snapshot_url(url, "city", max(data.editions)) if url.startswith("http") else None
if snapshot:
    st.caption("Light page of this profile (opens fast on any phone; for QR codes and articles)")
    st.code(snapshot, language=None, wrap_lines=True)
st.caption("Citation")
st.code(P.citation(data, edition, url), language=None, wrap_lines=True)
embed_control(data, "city", edition)
preset = P.compare_preset(city_id)
st.page_link("pages/changes.py", label="What changed since the last edition", icon=":material/waterfall_chart:",
             query_params={"city": city_id, "edition": str(edition)})
st.page_link("pages/compare.py", label="Compare with the V4 capitals", icon=":material/compare_arrows:",
             query_params={"cities": ",".join(preset), "edition": str(edition)})
footer(data)
