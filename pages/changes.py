"""What changed (?city=<id>&edition=YYYY): the index score change since last edition split by indicator.

A waterfall from last edition's score to this one's, the published contribution of every indicator with the kind of
change, its years and source, the rank move split into the city's own part and the others', the peers' moves, and
the inputs that changed. All numbers are read from changes/rank_changes/data_diff.parquet (cdi_core.changes).
"""

from __future__ import annotations

from functools import partial

import altair as alt
import streamlit as st

from explorer.data.cache import get_changes, get_index, get_robust, report_bytes
from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import city_ids_by_name, city_names_of, fmt_number
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_city
from explorer.text.urls import share_url, with_lang
from explorer.views import changes as V
from explorer.widgets import charts
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.tables import nf, table

DEFAULT_CITY = "budapest"

data = get_index()
lang, _ = page_setup()
ch = get_changes()

# ---------------------------------------------------------------------------------------------------- controls
names = city_names_of(data, lang)
options = city_ids_by_name(data, lang)  # by name in the language, once per process
parsed = parse_city(st.query_params.get_all("city") or None, data.city_ids, default=DEFAULT_CITY)
if parsed.notice:
    st.info(notice_text(parsed.notice, _))
city_id = st.selectbox(_("City"), options, index=options.index(parsed.value), format_func=names.get,
                       key="changes_city")
if st.query_params.get("city") != city_id:
    st.query_params["city"] = city_id
edition = edition_control(data, lang=lang)
name = names[city_id]

st.title(plain(_("What changed: {name}").format(name=name)))
if V.is_ranked(data, city_id, edition):
    # made on click (deferred), not on every visit: the PDF costs more than the rest of the page
    st.download_button(_("Annual feedback report {edition} (PDF)").format(edition=edition),
                       data=partial(report_bytes, city_id, edition), file_name=f"cdi-{edition}-{city_id}.pdf",
                       mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:",
                       key="report_pdf")
view = V.city_changes(data, ch, get_robust().bands, city_id, edition, name, lang)  # once per process
head = view.head
if edition == min(data.editions):
    st.info(_("{edition} is the first edition, so there is no change to explain. Pick a later "
               "edition.").format(edition=edition))
elif head is None:
    st.info(_("Not ranked in both {previous} and {edition}, so the index change cannot be "
               "split.").format(previous=edition - 1, edition=edition))
else:
    c1, c2 = st.columns(2)
    moved = round(head["score_change"], 2)
    c1.metric(_("Index score {edition}").format(edition=edition), fmt_number(head["score"], lang, 1),
              delta=_("{change} since {previous}").format(change=fmt_number(head["score_change"], lang, 2, sign=True),
                                                          previous=edition - 1),
              delta_color="normal" if moved else "off", delta_arrow="auto" if moved else "off")
    c2.metric(_("Rank {edition}").format(edition=edition), f"{head['rank']}",
              delta=V.places(head["rank_prev"] - head["rank"], lang),
              delta_color="normal" if head["rank_prev"] != head["rank"] else "off",
              delta_arrow="auto" if head["rank_prev"] != head["rank"] else "off")
    if view.split:
        st.write(plain(view.sentence))
        st.caption(_("Own part: the rank the new score would have had among the other cities' "
                      "previous scores, against the previous rank. The rest comes from other cities' "
                      "moves and from cities entering or leaving the ranking."))

    # ------------------------------------------------------------------------------------------------ waterfall
    lines, events, wf = view.lines, view.events, view.waterfall
    st.subheader(_("From {previous} to {edition}, indicator by indicator").format(previous=edition - 1,
                                                                                  edition=edition))
    order = list(wf["label"])
    bars = lambda: alt.Chart(wf).mark_bar().encode(  # noqa: E731 - built only when not cached
        x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("start:Q", title=_("Index score"), scale=alt.Scale(zero=False)),
        y2="end:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["score", "up", "down"],
                                                  range=["#7f8c8d", "#2e86de", "#e67e22"]), legend=None),
        tooltip=[alt.Tooltip("label:N", title=_("Line")),
                 alt.Tooltip("contribution:Q", title=_("Contribution / score"), format="+.3f")],
    ).properties(height=320)
    charts.draw(charts.keyed_spec(data, ("changes_waterfall", lang, city_id, edition), bars), width="stretch")
    n_zero = view.n_zero
    if n_zero:
        st.caption(_.ngettext("{n_zero} of {n_lines} indicators did not move the score (carried forward or "
                              "unchanged).",
                              "{n_zero} of {n_lines} indicators did not move the score (carried forward or "
                              "unchanged).", n_zero).format(n_zero=n_zero, n_lines=len(lines)))
    if len(wf) == 2:
        st.write(_("No indicator moved the index score in this edition."))

    st.subheader(_("Every indicator's contribution"))
    st.dataframe(table(lines, lang), hide_index=True,
                 height="content",
                 column_order=["name", "pillar_name", "kind_text", "value_prev_text", "year_prev", "value_text",
                               "year", "contribution", "events", "source", "grade", "link"],
                 column_config={
                     "name": st.column_config.TextColumn(_("Indicator")),
                     "pillar_name": st.column_config.TextColumn(_("Pillar")),
                     "kind_text": st.column_config.TextColumn(
                         _("Change"), help=_("new data year; carried forward (same value and year); revised (same "
                                             "year, another value); later-year value standing in; value appeared or "
                                             "lapsed (its effect on the other indicators' weights included)")),
                     "value_prev_text": st.column_config.TextColumn(
                         _("Value {previous}").format(previous=edition - 1)),
                     "year_prev": st.column_config.NumberColumn(_("Year (before)"), format="%d"),
                     "value_text": st.column_config.TextColumn(_("Value {edition}").format(edition=edition)),
                     "year": st.column_config.NumberColumn(_("Year (now)"), format="%d"),
                     "contribution": st.column_config.NumberColumn(
                         _("Contribution"), format=nf("%+.3f", lang),
                         help=_("Points of the index score; the lines sum to the score change")),
                     "events": st.column_config.TextColumn(_("Dated events"), width="medium",
                                                           help=_("Events the inputs date in this edition's window")),
                     "source": st.column_config.TextColumn(_("Source"), width="medium"),
                     "grade": st.column_config.TextColumn(_("Source grade"), help=_(GRADE_HELP)),
                     "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
                 })

    st.subheader(_("Dated events behind the changes ({previous} < year ≤ {edition})").format(
        previous=edition - 1, edition=edition))
    if events.empty:
        st.write(plain(_("No dated event is known for {name} between {previous} and {edition} in the "
                          "inputs (twinnings of the focus cities, Pact of Free Cities accessions, UNESCO "
                          "Creative Cities designations, seats of international organisations, Lowy "
                          "counts of sending countries with a diplomatic post).").format(
            name=name, previous=edition - 1, edition=edition)))
    else:
        st.dataframe(table(events, lang), hide_index=True,
                     column_order=["name", "when", "kind_text", "change_text", "description", "source", "grade",
                                   "link"],
                     column_config={"name": _("Indicator"), "when": _("When"), "kind_text": _("Event"),
                                    "change_text": _("Count"), "description": st.column_config.TextColumn(
                                        _("What (from the data)"), width="large"),
                                    "source": _("Source"), "grade": _("Source grade"),
                                    "link": st.column_config.LinkColumn(_("Link"), display_text=_("open"))})
        st.caption(_("Twin towns are scored from one 2026 snapshot, so a dated partnership is listed "
                      "here but does not move the twin-town score between editions."))

    diff = view.diff
    box = lazy_expander(_("Inputs that changed since {previous} ({n_diff})").format(previous=edition - 1,
                                                                                    n_diff=len(diff)),
                        "changes_inputs")  # drawn only while open (explorer.widgets.page)
    if box.open and diff.empty:
        box.write(_("No input differs from the previous edition's."))
    elif box.open:
        box.dataframe(table(diff, lang), hide_index=True,
                      column_order=["name", "status_text", "value_prev_text", "year_prev", "value_text", "year",
                                    "source", "grade", "link"],
                      column_config={"name": _("Indicator"), "status_text": _("Change"),
                                     "value_prev_text": _("Before"),
                                     "year_prev": st.column_config.NumberColumn(_("Year (before)"), format="%d"),
                                     "value_text": _("Now"),
                                     "year": st.column_config.NumberColumn(_("Year (now)"), format="%d"),
                                     "source": _("Source"), "grade": _("Source grade"),
                                     "link": st.column_config.LinkColumn(_("Link"), display_text=_("open"))})

# ------------------------------------------------------------------------------------------------------ peers
if edition > min(data.editions):
    st.subheader(_("The peers' moves (V4 capitals and Vienna)"))
    peers = V.peers_view(data, ch, get_robust().bands, edition, lang)
    st.dataframe(table(peers, lang), hide_index=True,
                 column_order=["name", "rank_prev", "rank", "rank_change", "rank_change_own", "rank_change_others",
                               "score_change", "uncertainty"],
                 column_config={"name": _("City"), "rank_prev": _("Rank {edition}").format(edition=edition - 1),
                                "rank": _("Rank {edition}").format(edition=edition),
                                "rank_change": st.column_config.NumberColumn(_("Change"), format="%+d"),
                                "rank_change_own": st.column_config.NumberColumn(_("Own"), format="%+d"),
                                "rank_change_others": st.column_config.NumberColumn(_("Others"), format="%+d"),
                                "score_change": st.column_config.NumberColumn(_("Score change"),
                                                                              format=nf("%+.2f", lang)),
                                "uncertainty": _("Uncertainty")})
    st.caption(_("'within the band': last edition's rank lies inside this edition's 5–95 % rank "
                  "band, so the move is within the index's uncertainty."))

st.caption(_("Link to this view"))
st.code(share_url(st.context.url, "changes", with_lang({"city": city_id, "edition": edition}, lang), fallback=None),
        language=None, wrap_lines=True)
st.page_link("pages/city.py", label=plain(_("{name}: city profile").format(name=name)), icon=":material/location_city:",
             query_params=with_lang({"city": city_id, "edition": str(edition)}, lang))
footer(data, lang)
