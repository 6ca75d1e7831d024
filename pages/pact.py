"""Pact of Free Cities: members on a map, accessions over time (with how sure each date is), members' scores against
comparable non-members, and the sources.

URL: /pact?edition=YYYY (the edition of the scores) &present=1 (the timeline and a QR code, for panels)
"""

from __future__ import annotations

import streamlit as st

from explorer.data.cache import get_index
from explorer.text.params import notice_text, parse_edition
from explorer.views.pact import members as pv
from explorer.views.pact.map import members_deck, wave_legend
from explorer.widgets import charts
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, page_setup
from explorer.widgets.present import exit_button, present_share, presenting
from explorer.widgets.tables import nf, score_column, table

data = get_index()
lang, _ = page_setup()

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
st.pydeck_chart(members_deck(data, lang), height=460,
                alt=_("Map of the {n_pact_members} Pact of Free Cities members, coloured by accession "
                       "year").format(n_pact_members=len(data.pact_members)))
st.markdown(_("**Legend: year of accession**"))
charts.draw(charts.legend_spec(*wave_legend(lang)), width="content")
st.caption(_("Points coloured by the year of accession; hover for the city and its date. "
              "Basemap © OpenStreetMap contributors © CARTO."))

# --- timeline -----------------------------------------------------------------------------------------------------
st.subheader(_("Accessions over time"))
charts.draw(charts.pact_timeline_spec(data, lang), width="stretch")
st.caption(_("Filled: the day is confirmed by two or more sources. Hollow: one source only, "
              "or only the year or a latest possible date is known; the grey line spans the "
              "dates the sources allow."))
sentence = pv.undated_sentence(data, lang)
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

st.dataframe(table(pv.sources_table(data, lang), lang), hide_index=True,
             column_order=["title", "producer", "grade", "licence", "link"],
             column_config={"title": _("Source"), "producer": _("Producer"), "grade": _("Source grade"),
                            "licence": _("Licence"),
                            "link": st.column_config.LinkColumn(_("Link"), display_text=_("open"))})
footer(data, lang, note=_("The member list and dates were read from these pages and the further links in "
                          "the members table; the Pact publishes no dated member register."))
