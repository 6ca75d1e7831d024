"""Pact of Free Cities: members on a map, accessions over time (with how sure each date is), members' scores against
comparable non-members, and the sources.

URL: /pact?edition=YYYY (the edition of the scores) &present=1 (the timeline and a QR code, for panels)
"""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from explorer.data.cache import get_index
from explorer.text.grades import grade_text
from explorer.text.i18n import N_, city_names_of, translator
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_edition
from explorer.views import mapdata as mapview
from explorer.views import pact as pv
from explorer.widgets import charts, decks
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, page_setup
from explorer.widgets.present import exit_button, present_share, presenting
from explorer.widgets.tables import nf, score_column, table

FONT = '"Source Sans Pro, Helvetica, Arial, sans-serif"'
BASEMAP = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"  # Carto Positron: no token needed
WAVES = [(N_("2019 (founders)"), 2019, 2019, [215, 25, 28]), ("2021", 2021, 2021, [34, 94, 168]),
         ("2022", 2022, 2022, [65, 171, 93]), ("2023–2025", 2023, 2025, [230, 120, 0]),
         (N_("date not known"), None, None, [130, 130, 130])]
ZOOM = 2.6  # the members map's initial zoom: Europe, where all but four members are

data = get_index()
lang, _ = page_setup()


def _wave(ts) -> tuple[str, list[int]]:
    if ts is None or ts != ts:  # NaT
        return WAVES[-1][0], WAVES[-1][3]
    for label, lo, hi, colour in WAVES[:-1]:
        if lo <= ts.year <= hi:
            return label, colour
    return WAVES[-1][0], WAVES[-1][3]


def members_deck(d, lang: str) -> decks.FrozenDeck:
    """The members map in the language (names, wave and date labels, tooltip); drawn through explorer.widgets.decks, so
    it is built and serialised once per process and language."""
    tr = translator(lang)
    dates = pv.accession_dates(d.pact_members, lang).set_index("city_id")
    c = d.cities.set_index("city_id")
    records = []
    for cid in d.pact_members["city_id"]:
        if cid not in c.index:
            continue
        wave, colour = _wave(dates.at[cid, "date_plot"])
        records.append({"name": str(dates.at[cid, "name"]), "country": str(c.at[cid, "country_iso2"]),
                        "joined": str(dates.at[cid, "date_label"]), "wave": tr(wave), "colour": colour,
                        "lon": float(c.at[cid, "lon"]), "lat": float(c.at[cid, "lat"])})
    layer = pdk.Layer("ScatterplotLayer", id="members", data=records, get_position=["lon", "lat"],
                      get_fill_color="colour", get_radius=7, radius_units='"pixels"', stroked=True,
                      get_line_color=mapview.OUTLINE, line_width_units='"pixels"', get_line_width=1, pickable=True)
    # label priority: founders first, then by accession date; within a date the larger city first
    pop = dict(zip(d.cities["city_id"], d.cities["population"]))
    t = pv.timeline(d).assign(pop=lambda f: f["city_id"].map(pop)).sort_values(["date_plot", "pop"],
                                                                                ascending=[True, False])
    order = t["city_id"].tolist() + pv.undated(d)["city_id"].tolist()
    labels = pdk.Layer("TextLayer", id="labels", data=mapview.label_records(d, order, ZOOM, max_labels=40, lang=lang),
                       get_position=["lon", "lat"], get_text="label", get_size=11, get_color=[20, 20, 20],
                       get_pixel_offset=[0, -10], get_alignment_baseline='"bottom"', character_set='"auto"',
                       font_family=FONT, background=True, get_background_color=[255, 255, 255, 190],
                       background_padding=[2, 1])
    view = pdk.ViewState(latitude=48.0, longitude=12.0, zoom=ZOOM)
    return decks.FrozenDeck(layers=[layer, labels], initial_view_state=view, map_provider="carto", map_style=BASEMAP,
                            tooltip={"text": "{name} ({country})\n" + tr("Joined") + ": {joined}",
                                     "style": {"backgroundColor": "#ffffff", "color": "#111111", "fontSize": "14px"}})


WAVE_LABELS = tuple(_(w) for w, *_rest in WAVES)
WAVE_HEXES = tuple("#{:02x}{:02x}{:02x}".format(*c) for *_, c in WAVES)


def undated_sentence() -> str:
    u = pv.undated(data)
    if not len(u):
        return ""
    names = ", ".join(plain(city_names_of(data, lang).get(c, n)) for c, n in zip(u["city_id"], u["name"]))
    return _.ngettext("No accession date found for {n} member: {names}. It is named in the member lists of "
                      "February 2025 and is not on the timeline; the index counts it as a member from 2025.",
                      "No accession date found for {n} members: {names}. They are named in the member lists of "
                      "February 2025 and are not on the timeline; the index counts them as members from 2025.",
                      len(u)).format(n=len(u), names=names)


# --- presentation mode: the timeline and a QR code --------------------------------------------------------------
if presenting():
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(notice_text(parsed.notice, _))
    st.title(_("Pact of Free Cities: accessions"))
    chart_col, qr_col = st.columns([2, 1], vertical_alignment="center")
    with chart_col:
        charts.draw(charts.pact_timeline_spec(data, lang, font=16), width="stretch")
    with qr_col:
        present_share("pact", max(data.editions))
    exit_button()
    st.stop()

st.title(_("Pact of Free Cities"))
st.write(_("A network of mayors founded on 16 December 2019 in Budapest by the mayors of "
            "Bratislava, Budapest, Prague and Warsaw. {n_pact_members} member cities are "
            "named by February 2025.").format(n_pact_members=len(data.pact_members)))

# --- map ----------------------------------------------------------------------------------------------------------
st.subheader(_("Members on the map"))
st.pydeck_chart(decks.frozen(data, ("pact_members", lang), lambda: members_deck(data, lang)), height=460,
                alt=_("Map of the {n_pact_members} Pact of Free Cities members, coloured by accession "
                       "year").format(n_pact_members=len(data.pact_members)))
st.markdown(_("**Legend: year of accession**"))
charts.draw(charts.legend_spec(WAVE_LABELS, WAVE_HEXES), width="content")
st.caption(_("Points coloured by the year of accession; hover for the city and its date. "
              "Basemap © OpenStreetMap contributors © CARTO."))

# --- timeline -----------------------------------------------------------------------------------------------------
st.subheader(_("Accessions over time"))
charts.draw(charts.pact_timeline_spec(data, lang), width="stretch")
st.caption(_("Filled: the day is confirmed by two or more sources. Hollow: one source only, "
              "or only the year or a latest possible date is known; the grey line spans the "
              "dates the sources allow."))
sentence = undated_sentence()
if sentence:
    st.write(sentence)

st.markdown(_("**Accession events**"))
st.dataframe(table(pv.events(data, lang), lang), hide_index=True,
             column_config={"date_label": _("Date"), "event": _("Event"), "members": _("Cities joining"),
                            "n": st.column_config.NumberColumn(_("Cities"), format="%d"), "source": _("Source")})

# --- members table ------------------------------------------------------------------------------------------------
st.subheader(_("Members"))
st.dataframe(
    table(pv.members_table(data, lang), lang), hide_index=True,
    column_order=["name", "country_iso2", "role", "accession", "precision", "date_certainty", "event",
                  "mayor_at_signing", "certainty", "source_title", "source_grade", "source_url", "source_licence",
                  "other_sources", "notes"],
    column_config={
        "name": _("City"), "country_iso2": _("Country"), "role": _("Role"), "accession": _("Joined"),
        "precision": st.column_config.TextColumn(_("Date precision"),
                                                 help=_("day, month, year, or a latest possible date")),
        "date_certainty": st.column_config.TextColumn(
            _("Date certainty"), help=_("confirmed: two or more sources agree; single source; upper bound only")),
        "event": _("Event"), "mayor_at_signing": _("Mayor at signing"),
        "certainty": st.column_config.TextColumn(
            _("Membership"), help=_("confirmed: an accession is reported; listed_only: named in a member list only")),
        "source_title": _("Source"), "source_grade": _("Source grade"),
        "source_url": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
        "source_licence": _("Licence"), "other_sources": st.column_config.ListColumn(_("Other sources")),
        "notes": _("Notes"),
    },
)

# --- scores against comparable non-members ----------------------------------------------------------------------
st.subheader(_("Members' scores against comparable non-members"))
edition = edition_control(data, key="pact_edition", lang=lang)
st.write(pv.comparable_definition(lang))
st.caption(_("Membership itself counts in the City relations pillar (indicator: city-network "
              "memberships), so members score higher there partly by construction. A median is "
              "not a verdict on the Pact: members were large, internationally active cities "
              "before they joined."))
charts.draw(charts.pact_medians_spec(data, edition, lang), width="stretch")
st.dataframe(
    table(charts.pact_medians(data, edition, lang), lang), hide_index=True,
    column_order=["pillar_name", "group", "n", "median", "q25", "q75"],
    column_config={"pillar_name": _("Score"), "group": _("Group"), "n": st.column_config.NumberColumn(_("Cities")),
                   "median": st.column_config.NumberColumn(_("Median"), format=nf("%.1f", lang)),
                   "q25": st.column_config.NumberColumn(_("25th pct"), format=nf("%.1f", lang)),
                   "q75": st.column_config.NumberColumn(_("75th pct"), format=nf("%.1f", lang))},
)

st.markdown(_("**Every member's scores, {edition}**").format(edition=edition))
st.dataframe(
    table(pv.member_scores(data, edition, lang), lang),
    hide_index=True,
    column_order=["rank", "name", "country_iso2", "score_index", *[f"score_{p}" for p in data.pillar_names],
                  "not_ranked_reason"],
    column_config={
        "rank": st.column_config.NumberColumn(_("Rank"), format="%d"), "name": _("City"), "country_iso2": _("Country"),
        "score_index": score_column(_("Index"), lang, 1),
        **{f"score_{p}": score_column(_(n), lang, 1)
           for p, n in data.pillar_names.items()},
        "not_ranked_reason": _("Not ranked because"),
    },
)
st.caption(_("Scores are the published index values; each value's sources are on the city's "
              "profile and the Methodology & data page."))

# --- sources -------------------------------------------------------------------------------------------------------
st.subheader(_("Sources"))


def _sources():
    ids = set(data.pact_members["source_id"])
    return data.sources[data.sources["source_id"].isin(ids)].assign(
        link=lambda f: f["url"].map(pv.safe_url), grade=lambda f: [grade_text(g, lang) for g in f["grade"]])


st.dataframe(table(_sources(), lang), hide_index=True,
             column_order=["title", "producer", "grade", "licence", "link"],
             column_config={"title": _("Source"), "producer": _("Producer"), "grade": _("Source grade"),
                            "licence": _("Licence"),
                            "link": st.column_config.LinkColumn(_("Link"), display_text=_("open"))})
footer(data, lang, note=_("The member list and dates were read from these pages and the further links in "
                          "the members table; the Pact publishes no dated member register."))
