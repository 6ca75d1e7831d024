"""Pact of Free Cities: members on a map, accessions over time (with how sure each date is), members' scores against
comparable non-members, and the sources.

URL: /pact?edition=YYYY (the edition of the scores) &present=1 (the timeline and a QR code, for panels)
"""

from __future__ import annotations

import altair as alt
import pydeck as pdk
import streamlit as st

from explorer import mapview
from explorer import pact as pv
from explorer.data import get_index
from explorer.params import parse_edition
from explorer.present import exit_button, present_share, presenting
from explorer.ui import edition_control, footer, plain

FONT = '"Source Sans Pro, Helvetica, Arial, sans-serif"'
BASEMAP = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"  # Carto Positron: no token needed
WAVES = [("2019 (founders)", 2019, 2019, [215, 25, 28]), ("2021", 2021, 2021, [34, 94, 168]),
         ("2022", 2022, 2022, [65, 171, 93]), ("2023–2025", 2023, 2025, [230, 120, 0]),
         ("date not known", None, None, [130, 130, 130])]
CERTAINTY_ORDER = ["confirmed", "single source", "upper bound only"]
ZOOM = 2.6  # the members map's initial zoom: Europe, where all but four members are
PRECISION_SHAPES = {"day": "circle", "year": "square", "upper bound": "triangle-left"}

data = get_index()
pillar_names = {"index": "Index", **data.pillar_names}


def _wave(ts) -> tuple[str, list[int]]:
    if ts is None or ts != ts:  # NaT
        return WAVES[-1][0], WAVES[-1][3]
    for label, lo, hi, colour in WAVES[:-1]:
        if lo <= ts.year <= hi:
            return label, colour
    return WAVES[-1][0], WAVES[-1][3]


@st.cache_resource(show_spinner=False)
def members_deck() -> pdk.Deck:
    d = get_index()
    dates = pv.accession_dates(d.pact_members).set_index("city_id")
    c = d.cities.set_index("city_id")
    records = []
    for cid in d.pact_members["city_id"]:
        if cid not in c.index:
            continue
        wave, colour = _wave(dates.at[cid, "date_plot"])
        records.append({"name": str(c.at[cid, "name"]), "country": str(c.at[cid, "country_iso2"]),
                        "joined": str(dates.at[cid, "date_label"]), "wave": wave, "colour": colour,
                        "lon": float(c.at[cid, "lon"]), "lat": float(c.at[cid, "lat"])})
    layer = pdk.Layer("ScatterplotLayer", id="members", data=records, get_position=["lon", "lat"],
                      get_fill_color="colour", get_radius=7, radius_units='"pixels"', stroked=True,
                      get_line_color=mapview.OUTLINE, line_width_units='"pixels"', get_line_width=1, pickable=True)
    # label priority: founders first, then by accession date; within a date the larger city first
    pop = dict(zip(d.cities["city_id"], d.cities["population"]))
    t = pv.timeline(d).assign(pop=lambda f: f["city_id"].map(pop)).sort_values(["date_plot", "pop"],
                                                                                ascending=[True, False])
    order = t["city_id"].tolist() + pv.undated(d)["city_id"].tolist()
    labels = pdk.Layer("TextLayer", id="labels", data=mapview.label_records(d, order, ZOOM, max_labels=40),
                       get_position=["lon", "lat"], get_text="label", get_size=11, get_color=[20, 20, 20],
                       get_pixel_offset=[0, -10], get_alignment_baseline='"bottom"', character_set='"auto"',
                       font_family=FONT, background=True, get_background_color=[255, 255, 255, 190],
                       background_padding=[2, 1])
    return pdk.Deck(layers=[layer, labels], initial_view_state=pdk.ViewState(latitude=48.0, longitude=12.0, zoom=ZOOM),
                    map_provider="carto", map_style=BASEMAP,
                    tooltip={"text": "{name} ({country})\nJoined: {joined}",
                             "style": {"backgroundColor": "#ffffff", "color": "#111111", "fontSize": "14px"}})


@st.cache_data(show_spinner=False)
def wave_legend() -> alt.Chart:
    return mapview.legend_chart([w for w, *_ in WAVES], ["#{:02x}{:02x}{:02x}".format(*c) for *_, c in WAVES])


@st.cache_data(show_spinner=False)
def timeline_chart(font: int = 12) -> alt.Chart:
    t = pv.timeline(get_index())
    t = t.assign(date_plot=t["date_plot"].dt.strftime("%Y-%m-%d"), date_low=t["date_low"].dt.strftime("%Y-%m-%d"),
                 date_high=t["date_high"].dt.strftime("%Y-%m-%d"))
    order = list(t.sort_values("order")["name"])
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelFontSize=font, labelLimit=220))
    tooltip = [alt.Tooltip("name:N", title="City"), alt.Tooltip("date_label:N", title="Joined"),
               alt.Tooltip("date_certainty:N", title="Date certainty"), alt.Tooltip("event:N", title="Event"),
               alt.Tooltip("source:N", title="Source")]
    span = alt.Chart(t[t["precision"] != "day"]).mark_rule(color="#9a9a9a", strokeWidth=2).encode(
        x=alt.X("date_low:T"), x2="date_high:T", y=y, tooltip=tooltip)
    points = alt.Chart(t).mark_point(size=110, strokeWidth=2, opacity=1).encode(
        x=alt.X("date_plot:T", title="Accession date", axis=alt.Axis(format="%Y", labelFontSize=font,
                                                                       titleFontSize=font, tickCount="year")),
        y=y,
        shape=alt.Shape("precision:N", title="Precision of the date",
                        scale=alt.Scale(domain=list(PRECISION_SHAPES), range=list(PRECISION_SHAPES.values())),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelFontSize=font,
                                          titleFontSize=font, labelExpr=(
                                              "datum.label == 'upper bound' ? 'latest possible date' : "
                                              "datum.label == 'year' ? 'year only' : 'day'"))),
        fill=alt.Fill("date_certainty:N", title="Date certainty",
                      scale=alt.Scale(domain=CERTAINTY_ORDER, range=["#225ea8", "#ffffff", "#ffffff"]),
                      legend=alt.Legend(orient="top", direction="vertical", symbolStrokeColor="#225ea8",
                                        labelFontSize=font, titleFontSize=font)),
        stroke=alt.value("#225ea8"),
        tooltip=tooltip,
    )
    return (span + points).properties(height=max(360, 26 * len(t) + 160))


def undated_sentence() -> str:
    u = pv.undated(data)
    if not len(u):
        return ""
    names = ", ".join(plain(n) for n in u["name"])
    return (f"No accession date found for {len(u)} members: {names}. They are named in the member lists of "
            "February 2025 and are not on the timeline; the index counts them as members from 2025.")


# --- presentation mode: the timeline and a QR code --------------------------------------------------------------
if presenting():
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(parsed.notice)
    st.title("Pact of Free Cities: accessions")
    chart_col, qr_col = st.columns([2, 1], vertical_alignment="center")
    with chart_col:
        st.altair_chart(timeline_chart(font=16), width="stretch")
    with qr_col:
        present_share("pact", max(data.editions))
    exit_button()
    st.stop()

st.title("Pact of Free Cities")
st.write("A network of mayors founded on 16 December 2019 in Budapest by the mayors of Bratislava, Budapest, "
         f"Prague and Warsaw. {len(data.pact_members)} member cities are named by February 2025.")

# --- map ----------------------------------------------------------------------------------------------------------
st.subheader("Members on the map")
st.pydeck_chart(members_deck(), height=460,
                alt=f"Map of the {len(data.pact_members)} Pact of Free Cities members, coloured by accession year")
st.markdown("**Legend: year of accession**")
st.altair_chart(wave_legend(), width="content")
st.caption("Points coloured by the year of accession; hover for the city and its date. Basemap © OpenStreetMap "
           "contributors © CARTO.")

# --- timeline -----------------------------------------------------------------------------------------------------
st.subheader("Accessions over time")
st.altair_chart(timeline_chart(), width="stretch")
st.caption("Filled: the day is confirmed by two or more sources. Hollow: one source only, or only the year or a "
           "latest possible date is known; the grey line spans the dates the sources allow.")
sentence = undated_sentence()
if sentence:
    st.write(sentence)

st.markdown("**Accession events**")
st.dataframe(pv.events(data), hide_index=True,
             column_config={"date_label": "Date", "event": "Event", "members": "Cities joining",
                            "n": st.column_config.NumberColumn("Cities", format="%d"), "source": "Source"})

# --- members table ------------------------------------------------------------------------------------------------
st.subheader("Members")
st.dataframe(
    pv.members_table(data), hide_index=True,
    column_order=["name", "country_iso2", "role", "accession", "precision", "date_certainty", "event",
                  "mayor_at_signing", "certainty", "source_title", "source_url", "source_licence", "other_sources",
                  "notes"],
    column_config={
        "name": "City", "country_iso2": "Country", "role": "Role", "accession": "Joined",
        "precision": st.column_config.TextColumn("Date precision", help="day, year, or a latest possible date"),
        "date_certainty": st.column_config.TextColumn(
            "Date certainty", help="confirmed: two or more sources agree; single source; upper bound only"),
        "event": "Event", "mayor_at_signing": "Mayor at signing",
        "certainty": st.column_config.TextColumn(
            "Membership", help="confirmed: an accession is reported; listed_only: named in a member list only"),
        "source_title": "Source", "source_url": st.column_config.LinkColumn("Link", display_text="open"),
        "source_licence": "Licence", "other_sources": st.column_config.ListColumn("Other sources"),
        "notes": "Notes",
    },
)

# --- scores against comparable non-members ----------------------------------------------------------------------
st.subheader("Members' scores against comparable non-members")
edition = edition_control(data, key="pact_edition")
st.write(pv.COMPARABLE_DEFINITION)
st.caption("Membership itself counts in the City relations pillar (indicator: city-network memberships), so "
           "members score higher there partly by construction. A median is not a verdict on the Pact: members were "
           "large, internationally active cities before they joined.")
med = pv.median_scores(data, edition).assign(pillar_name=lambda f: f["pillar"].map(pillar_names))
order = [pillar_names[p] for p in pv.PILLARS]
base = alt.Chart(med).encode(
    y=alt.Y("pillar_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
    yOffset=alt.YOffset("group:N", sort=[pv.MEMBERS, pv.COMPARABLE]),
    color=alt.Color("group:N", title=None, sort=[pv.MEMBERS, pv.COMPARABLE],
                    scale=alt.Scale(range=["#96289f", "#9a9a9a"]), legend=alt.Legend(orient="bottom")),
    tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("pillar_name:N", title="Score"),
             alt.Tooltip("n:Q", title="Cities"), alt.Tooltip("median:Q", title="Median", format=".1f"),
             alt.Tooltip("q25:Q", title="25th percentile", format=".1f"),
             alt.Tooltip("q75:Q", title="75th percentile", format=".1f")],
)
chart = base.mark_bar().encode(x=alt.X("median:Q", title=f"Median score, {edition} (0–100); line: middle half",
                                       scale=alt.Scale(domain=[0, 100])))
iqr = base.mark_rule(color="#222222", strokeWidth=1.5).encode(x="q25:Q", x2="q75:Q")
st.altair_chart((chart + iqr).properties(height=330), width="stretch")
st.dataframe(
    med, hide_index=True, column_order=["pillar_name", "group", "n", "median", "q25", "q75"],
    column_config={"pillar_name": "Score", "group": "Group", "n": st.column_config.NumberColumn("Cities"),
                   "median": st.column_config.NumberColumn("Median", format="%.1f"),
                   "q25": st.column_config.NumberColumn("25th pct", format="%.1f"),
                   "q75": st.column_config.NumberColumn("75th pct", format="%.1f")},
)

st.markdown(f"**Every member's scores, {edition}**")
st.dataframe(
    pv.member_scores(data, edition), hide_index=True,
    column_order=["rank", "name", "country_iso2", "score_index", *[f"score_{p}" for p in data.pillar_names],
                  "not_ranked_reason"],
    column_config={
        "rank": st.column_config.NumberColumn("Rank", format="%d"), "name": "City", "country_iso2": "Country",
        "score_index": st.column_config.ProgressColumn("Index", min_value=0, max_value=100, format="%.1f"),
        **{f"score_{p}": st.column_config.ProgressColumn(n, min_value=0, max_value=100, format="%.1f")
           for p, n in data.pillar_names.items()},
        "not_ranked_reason": "Not ranked because",
    },
)
st.caption("Scores are the published index values; each value's sources are on the city's profile and the "
           "Methodology & data page.")

# --- sources -------------------------------------------------------------------------------------------------------
st.subheader("Sources")
ids = set(data.pact_members["source_id"])
src = data.sources[data.sources["source_id"].isin(ids)].assign(link=lambda f: f["url"].map(pv.safe_url))
st.dataframe(src, hide_index=True, column_order=["title", "producer", "licence", "link"],
             column_config={"title": "Source", "producer": "Producer", "licence": "Licence",
                            "link": st.column_config.LinkColumn("Link", display_text="open")})
st.caption("The member list and dates were read from these pages and the further links in the members table; "
           "the Pact publishes no dated member register.")
footer(data)
