"""The /changes page's layout as plain data: the waterfall chart (Altair, drawn by explorer.widgets.charts.spec),
the columns of its tables and its longer sentences, per edition and language. No Streamlit; results are shared and
read-only (explorer.perf.memo)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.perf.memo import memo
from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import fmt_number, translator
from explorer.views.city.tables import places
from explorer.views.columns import Col, link, number, text
from explorer.views.metric import Metric, direction_of

LINE_COLUMNS = ["name", "pillar_name", "kind_text", "value_prev_text", "year_prev", "value_text", "year",
                "contribution", "events", "source", "grade", "link"]
EVENT_COLUMNS = ["name", "when", "kind_text", "change_text", "description", "source", "grade", "link"]
DIFF_COLUMNS = ["name", "status_text", "value_prev_text", "year_prev", "value_text", "year", "source", "grade", "link"]
PEER_COLUMNS = ["name", "rank_prev", "rank", "rank_change", "rank_change_own", "rank_change_others", "score_change",
                "uncertainty"]


def waterfall_chart(wf: pd.DataFrame, lang: str) -> alt.Chart:
    """The bars of explorer.views.changes.tables.waterfall: the two scores in grey, rises blue, falls orange."""
    _ = translator(lang)
    return alt.Chart(wf).mark_bar().encode(
        x=alt.X("label:N", sort=list(wf["label"]), title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("start:Q", title=_("Index score"), scale=alt.Scale(zero=False)),
        y2="end:Q",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["score", "up", "down"],
                                                  range=["#7f8c8d", "#2e86de", "#e67e22"]), legend=None),
        tooltip=[alt.Tooltip("label:N", title=_("Line")),
                 alt.Tooltip("contribution:Q", title=_("Contribution / score"), format="+.3f")],
    ).properties(height=320)


@memo
def line_columns(edition: int, lang: str) -> dict[str, Col]:
    """The columns of every indicator's contribution."""
    _ = translator(lang)
    return {
        "name": text(_("Indicator")), "pillar_name": text(_("Pillar")),
        "kind_text": text(_("Change"), help=_(
            "new data year; carried forward (same value and year); revised (same year, another value); later-year "
            "value standing in; value appeared or lapsed (its effect on the other indicators' weights included)")),
        "value_prev_text": text(_("Value {previous}").format(previous=edition - 1)),
        "year_prev": number(_("Year (before)"), "%d"),
        "value_text": text(_("Value {edition}").format(edition=edition)),
        "year": number(_("Year (now)"), "%d"),
        "contribution": number(_("Contribution"), "%+.3f", locale=True,
                               help=_("Points of the index score; the lines sum to the score change")),
        "events": text(_("Dated events"), width="medium", help=_("Events the inputs date in this edition's window")),
        "source": text(_("Source"), width="medium"),
        "grade": text(_("Source grade"), help=_(GRADE_HELP)),
        "link": link(_("Link"), _("open")),
    }


@memo
def event_columns(lang: str) -> dict[str, Col | str]:
    """The columns of the dated events."""
    _ = translator(lang)
    return {"name": _("Indicator"), "when": _("When"), "kind_text": _("Event"), "change_text": _("Count"),
            "description": text(_("What (from the data)"), width="large"), "source": _("Source"),
            "grade": _("Source grade"), "link": link(_("Link"), _("open"))}


@memo
def diff_columns(lang: str) -> dict[str, Col | str]:
    """The columns of the inputs that changed."""
    _ = translator(lang)
    return {"name": _("Indicator"), "status_text": _("Change"), "value_prev_text": _("Before"),
            "year_prev": number(_("Year (before)"), "%d"), "value_text": _("Now"),
            "year": number(_("Year (now)"), "%d"), "source": _("Source"), "grade": _("Source grade"),
            "link": link(_("Link"), _("open"))}


@memo
def peer_columns(edition: int, lang: str) -> dict[str, Col | str]:
    """The columns of the peers' moves."""
    _ = translator(lang)
    return {"name": _("City"), "rank_prev": _("Rank {edition}").format(edition=edition - 1),
            "rank": _("Rank {edition}").format(edition=edition),
            "rank_change": number(_("Change"), "%+d"), "rank_change_own": number(_("Own"), "%+d"),
            "rank_change_others": number(_("Others"), "%+d"),
            "score_change": number(_("Score change"), "%+.2f", locale=True), "uncertainty": _("Uncertainty")}


def no_events_sentence(name: str, edition: int, lang: str) -> str:
    """That no dated event is known for the city in the edition's window (plain text: escape it for markdown)."""
    _ = translator(lang)
    return _("No dated event is known for {name} between {previous} and {edition} in the "
             "inputs (twinnings of the focus cities, Pact of Free Cities accessions, UNESCO "
             "Creative Cities designations, seats of international organisations, Lowy "
             "counts of sending countries with a diplomatic post).").format(
        name=name, previous=edition - 1, edition=edition)


def headline_metrics(head: dict, edition: int, lang: str) -> tuple[Metric, Metric]:
    """The page's two headline figures: the index score with its change since the previous edition (shown with 2
    decimals) and the rank with the places gained or lost; each change's direction from the number."""
    _ = translator(lang)
    score = Metric(_("Index score {edition}").format(edition=edition), fmt_number(head["score"], lang, 1),
                   delta=_("{change} since {previous}").format(
                       change=fmt_number(head["score_change"], lang, 2, sign=True), previous=edition - 1),
                   direction=direction_of(head["score_change"], 2))
    moved = head["rank_prev"] - head["rank"]
    rank = Metric(_("Rank {edition}").format(edition=edition), f"{head['rank']}", delta=places(moved, lang),
                  direction=direction_of(moved))
    return score, rank
