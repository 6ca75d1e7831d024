"""What changed (?city=<id>&edition=YYYY): the index score change since last edition split by indicator.

A waterfall from last edition's score to this one's, the published contribution of every indicator with the kind of
change, its years and source, the rank move split into the city's own part and the others', the peers' moves, and
the inputs that changed. All numbers are read from changes/rank_changes/data_diff.parquet (cdi_core.changes).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from explorer.data.cache import get_changes, get_index, get_robust, report_bytes
from explorer.text.i18n import city_ids_by_name, city_names_of
from explorer.text.markdown import plain
from explorer.text.params import notice_text, parse_city
from explorer.text.urls import share_url, with_lang
from explorer.views.changes import page as P
from explorer.views.changes import tables as V
from explorer.widgets import charts
from explorer.widgets.columns import dataframe
from explorer.widgets.controls import edition_control
from explorer.widgets.metric import metric
from explorer.widgets.page import footer, lazy_expander, page_setup

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
    for col, m in zip(st.columns(2), P.headline_metrics(head, edition, lang)):
        metric(col, m)
    if view.split:
        st.write(plain(view.sentence))
        st.caption(_("Own part: the rank the new score would have had among the other cities' "
                      "previous scores, against the previous rank. The rest comes from other cities' "
                      "moves and from cities entering or leaving the ranking."))

    # ------------------------------------------------------------------------------------------------ waterfall
    lines, events, wf = view.lines, view.events, view.waterfall
    st.subheader(_("From {previous} to {edition}, indicator by indicator").format(previous=edition - 1,
                                                                                  edition=edition))
    charts.draw(charts.spec(P.waterfall_chart, wf, lang), width="stretch")
    if view.n_zero:
        st.caption(_.ngettext("{n_zero} of {n_lines} indicators did not move the score (carried forward or "
                              "unchanged).",
                              "{n_zero} of {n_lines} indicators did not move the score (carried forward or "
                              "unchanged).", view.n_zero).format(n_zero=view.n_zero, n_lines=len(lines)))
    if len(wf) == 2:
        st.write(_("No indicator moved the index score in this edition."))

    st.subheader(_("Every indicator's contribution"))
    dataframe(lines, P.line_columns(edition, lang), lang, height="content", column_order=P.LINE_COLUMNS)

    st.subheader(_("Dated events behind the changes ({previous} < year ≤ {edition})").format(
        previous=edition - 1, edition=edition))
    if events.empty:
        st.write(plain(P.no_events_sentence(name, edition, lang)))
    else:
        dataframe(events, P.event_columns(lang), lang, column_order=P.EVENT_COLUMNS)
        st.caption(_("Twin towns are scored from one 2026 snapshot, so a dated partnership is listed "
                      "here but does not move the twin-town score between editions."))

    diff = view.diff
    box = lazy_expander(_("Inputs that changed since {previous} ({n_diff})").format(previous=edition - 1,
                                                                                    n_diff=len(diff)),
                        "changes_inputs")  # drawn only while open (explorer.widgets.page)
    if box.open and diff.empty:
        box.write(_("No input differs from the previous edition's."))
    elif box.open:
        dataframe(diff, P.diff_columns(lang), lang, into=box, column_order=P.DIFF_COLUMNS)

# ------------------------------------------------------------------------------------------------------ peers
if edition > min(data.editions):
    st.subheader(_("The peers' moves (V4 capitals and Vienna)"))
    peers = V.peers_view(data, ch, get_robust().bands, edition, lang)
    dataframe(peers, P.peer_columns(edition, lang), lang, column_order=P.PEER_COLUMNS)
    st.caption(_("'within the band': last edition's rank lies inside this edition's 5–95 % rank "
                  "band, so the move is within the index's uncertainty."))

st.caption(_("Link to this view"))
st.code(share_url(st.context.url, "changes", with_lang({"city": city_id, "edition": edition}, lang), fallback=None),
        language=None, wrap_lines=True)
st.page_link("pages/city.py", label=plain(_("{name}: city profile").format(name=name)), icon=":material/location_city:",
             query_params=with_lang({"city": city_id, "edition": str(edition)}, lang))
footer(data, lang)
