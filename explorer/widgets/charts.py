"""Vega-Lite specs of the pages' charts, converted once per process and drawn with st.vega_lite_chart.

A chart is converted once per process for each builder and arguments (`spec`) with the same converter
`st.altair_chart` uses, so the spec, its Arrow datasets and what the browser receives are what `st.altair_chart`
would send (why: benchmarks/README.md, "Why the explorer caches what it caches"). Each spec is one dict shared by all
callers, read-only (explorer.perf.memo); `draw` passes a top-level copy to `st.vega_lite_chart`, which changes only
its own top-level copy (the one nested change it makes, a null legend title, `spec` makes once beforehand).

The builders (`*_chart`) return Altair charts and do not touch Streamlit; the `*_spec` functions return the cached
dicts. Labels are translated with explorer.text.i18n (the msgids are the ones the pages used before).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from explorer import compat
from explorer.perf.memo import memo
from explorer.text.i18n import N_, translator
from explorer.views.framework import score_order
from explorer.views.map import layers as mapview
from explorer.views.pact import members as pv

Spec = dict[str, Any]

# Pact timeline: point shape per date precision, fill per certainty
PRECISION_SHAPES = {"day": "circle", "month": "diamond", "year": "square", "upper bound": "triangle-left"}
PRECISION_LABELS = {"day": N_("day"), "month": N_("month only"), "year": N_("year only"),
                    "upper bound": N_("latest possible date")}
# keys of explorer.views.pact.members.CERTAINTY_LABELS
CERTAINTY_KEYS = ["confirmed", "single_source", "upper_bound_only"]


def to_spec(chart: alt.TopLevelMixin) -> Spec:
    """The Vega-Lite dict `st.altair_chart` would send for `chart` (datasets as Arrow IPC bytes), made with
    Streamlit's own converter; if explorer.compat's probe of that private helper failed, Altair's `to_dict` under
    Streamlit's Altair lock (inline data, which st.vega_lite_chart turns into Arrow on each call)."""
    return compat.altair_spec(chart)


def draw(spec: Spec, into: Any = None, **kwargs: Any) -> None:
    """Draw a spec from this module with st.vega_lite_chart; kwargs as for st.altair_chart. The spec may be one
    shared by every session (spec, legend_spec): st.vega_lite_chart (Streamlit 1.67) reads the nested spec
    and changes only its own top-level copy (autosize, datasets moved to the proto), and draw hands it one more
    top-level copy besides (tests/explorer/test_charts.py checks that a drawn spec is left as it was). `into`: a
    container (a tab, an expander) to draw in instead of the current one."""
    (into or st).vega_lite_chart(dict(spec), **kwargs)


# --- specs of view-model charts ------------------------------------------------------------------------------------

@memo(max_entries=512)
def spec(build: Callable[..., alt.TopLevelMixin], *args: Any) -> Spec:
    """The spec of `build(*args)`: `build` is a module-level Altair chart builder of a view model (no Streamlit)
    and `args` its arguments (the shared IndexData or one of its frames, plain values). Memoised on exactly those,
    so nothing else can be forgotten; one dict shared by every caller, read-only: hand it to `draw` (a deep copy
    per call took a fifth of a compare-page run)."""
    return _blank_null_legend_titles(to_spec(build(*args)))


def _blank_null_legend_titles(spec: Spec) -> Spec:
    """The colour channel's null titles as " ", the patch st.vega_lite_chart applies in place to the nested spec
    (a Vega-Lite legend bug, streamlit issue 9339): made once here, so drawing a shared spec leaves it unchanged."""
    color = spec.get("encoding", {}).get("color") if isinstance(spec.get("encoding"), dict) else None
    if isinstance(color, dict):
        if "title" in color and color["title"] is None:
            color["title"] = " "
        legend = color.get("legend")
        if isinstance(legend, dict) and "title" in legend and legend["title"] is None:
            legend["title"] = " "
    return spec


# --- legends (map and Pact pages) ---------------------------------------------------------------------------------

@memo
def legend_spec(labels: tuple[str, ...], hexes: tuple[str, ...]) -> Spec:
    """The colour legend of mapview.legend_chart for these labels and colours: one dict per process and (labels,
    colours), shared and read-only (see draw)."""
    return to_spec(mapview.legend_chart(list(labels), list(hexes)))


# --- Pact page ----------------------------------------------------------------------------------------------------

def pact_timeline_chart(timeline: pd.DataFrame, lang: str, font: int = 12) -> alt.LayerChart:
    """Accessions over time: one row per dated member, a point at the plotted date (shape = precision, fill =
    certainty) and a grey rule over the span of dates the sources allow."""
    _ = translator(lang)
    certainty_order = [_(pv.CERTAINTY_LABELS[k]) for k in CERTAINTY_KEYS]
    # the legend shows each precision key in the language: a Vega expression over catalogue strings only (JSON
    # string literals are valid Vega expression strings)
    label_expr = " : ".join(f"datum.label == {json.dumps(k)} ? {json.dumps(_(v), ensure_ascii=False)}"
                            for k, v in PRECISION_LABELS.items()) + " : datum.label"
    t = timeline.assign(date_plot=timeline["date_plot"].dt.strftime("%Y-%m-%d"),
                        date_low=timeline["date_low"].dt.strftime("%Y-%m-%d"),
                        date_high=timeline["date_high"].dt.strftime("%Y-%m-%d"))
    order = list(t.sort_values("order")["name"])
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelFontSize=font, labelLimit=220))
    tooltip = [alt.Tooltip("name:N", title=_("City")), alt.Tooltip("date_label:N", title=_("Joined")),
               alt.Tooltip("date_certainty:N", title=_("Date certainty")), alt.Tooltip("event:N", title=_("Event")),
               alt.Tooltip("source:N", title=_("Source"))]
    span = alt.Chart(t[t["precision"] != "day"]).mark_rule(color="#9a9a9a", strokeWidth=2).encode(
        x=alt.X("date_low:T"), x2="date_high:T", y=y, tooltip=tooltip)
    points = alt.Chart(t).mark_point(size=110, strokeWidth=2, opacity=1).encode(
        x=alt.X("date_plot:T", title=_("Accession date"), axis=alt.Axis(format="%Y", labelFontSize=font,
                                                                       titleFontSize=font, tickCount="year")),
        y=y,
        shape=alt.Shape("precision:N", title=_("Precision of the date"),
                        scale=alt.Scale(domain=list(PRECISION_SHAPES), range=list(PRECISION_SHAPES.values())),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelFontSize=font,
                                          titleFontSize=font, labelExpr=label_expr)),
        fill=alt.Fill("date_certainty:N", title=_("Date certainty"),
                      scale=alt.Scale(domain=certainty_order, range=["#225ea8", "#ffffff", "#ffffff"]),
                      legend=alt.Legend(orient="top", direction="vertical", symbolStrokeColor="#225ea8",
                                        labelFontSize=font, titleFontSize=font)),
        stroke=alt.value("#225ea8"),
        tooltip=tooltip,
    )
    return (span + points).properties(height=max(360, 26 * len(t) + 160))


@memo
def pact_timeline_spec(data, lang: str, font: int = 12) -> Spec:
    """The accession timeline of the published Pact members (explorer.views.pact.members.timeline), per language
    and font size."""
    return to_spec(pact_timeline_chart(pv.timeline(data, lang), lang, font))


def pact_medians_chart(med: pd.DataFrame, order: list[str], edition: int, lang: str) -> alt.LayerChart:
    """Median score per pillar of Pact members against comparable non-members, a bar per group with a rule over
    the interquartile range. `med` is pact_medians (group and pillar names in `lang`)."""
    _ = translator(lang)
    groups = [pv.group_label(pv.MEMBERS, lang), pv.group_label(pv.COMPARABLE, lang)]
    base = alt.Chart(med).encode(
        y=alt.Y("pillar_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("group:N", sort=groups),
        color=alt.Color("group:N", title=None, sort=groups,
                        scale=alt.Scale(range=["#96289f", "#9a9a9a"]), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("group:N", title=_("Group")), alt.Tooltip("pillar_name:N", title=_("Score")),
                 alt.Tooltip("n:Q", title=_("Cities")), alt.Tooltip("median:Q", title=_("Median"), format=".1f"),
                 alt.Tooltip("q25:Q", title=_("25th percentile"), format=".1f"),
                 alt.Tooltip("q75:Q", title=_("75th percentile"), format=".1f")],
    )
    title = _("Median score, {edition} (0–100); line: middle half").format(edition=edition)
    chart = base.mark_bar().encode(x=alt.X("median:Q", title=title, scale=alt.Scale(domain=[0, 100])))
    iqr = base.mark_rule(color="#222222", strokeWidth=1.5).encode(x="q25:Q", x2="q75:Q")
    return (chart + iqr).properties(height=330)


def pact_pillar_names(data, lang: str = "en") -> dict[str, str]:
    """The Pact page's score labels in the language: "Index" and the framework's pillar names."""
    _ = translator(lang)
    return {"index": _("Index"), **{p: _(n) for p, n in data.pillar_names.items()}}


@memo
def pact_medians(data, edition: int, lang: str = "en") -> pd.DataFrame:
    """explorer.views.pact.members.median_scores of the edition with each score's label (`pillar_name`) and the
    group's name in the language."""
    names = pact_pillar_names(data, lang)
    return pv.median_scores(data, edition).assign(pillar_name=lambda f: f["pillar"].map(names),
                                                  group=lambda f: [pv.group_label(g, lang) for g in f["group"]])


@memo
def pact_medians_spec(data, edition: int, lang: str) -> Spec:
    """The members-against-comparable-non-members chart of the edition, per language."""
    names = pact_pillar_names(data, lang)
    return to_spec(pact_medians_chart(pact_medians(data, edition, lang), [names[p] for p in score_order(data)], edition,
                                      lang))


# --- Methodology page ---------------------------------------------------------------------------------------------

def correlation_frame(data, audit_correlations: pd.DataFrame, edition: int, pillar: str) -> tuple[pd.DataFrame,
                                                                                                    list[str]]:
    """The indicator-indicator correlations of one pillar in one edition (with indicator names `a`, `b`) and the
    names in framework order."""
    names_by_ind = dict(zip(data.framework["indicator"], data.framework["name"]))
    ac = audit_correlations
    heat = ac[(ac["edition"] == edition) & (ac["pillar"] == pillar) & (ac["kind"] == "indicator-indicator")].assign(
        a=lambda f: f["var_a"].map(names_by_ind), b=lambda f: f["var_b"].map(names_by_ind))
    present = set(heat["var_a"])
    return heat, [names_by_ind[i] for i in data.framework["indicator"] if i in present]


def correlation_chart(heat: pd.DataFrame, order: list[str], lang: str) -> alt.LayerChart:
    """A heatmap of correlations (red-blue, -1 to 1) with r printed in every cell."""
    _ = translator(lang)
    base = alt.Chart(heat).encode(
        x=alt.X("a:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, labelAngle=-30, labelOverlap=False)),
        y=alt.Y("b:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, labelOverlap=False)))
    cells = base.mark_rect().encode(
        color=alt.Color("r:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue"), title=_("Correlation")),
        tooltip=[alt.Tooltip("a:N", title=_("Indicator")), alt.Tooltip("b:N", title="with"),
                 alt.Tooltip("r:Q", title="r", format=".2f"), alt.Tooltip("n:Q", title=_("Cities"), format="d")])
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("r:Q", format=".2f"),
        color=alt.condition("abs(datum.r) > 0.6", alt.value("white"), alt.value("black")))
    return (cells + text).properties(height=alt.Step(44))


@memo
def correlation_spec(data, audit_correlations: pd.DataFrame, edition: int, pillar: str, lang: str) -> tuple[Spec,
                                                                                                             int]:
    """The within-pillar correlation heatmap of the edition (from the published audit_correlations table) and the
    number of indicators it shows (the page sizes the chart by it)."""
    heat, order = correlation_frame(data, audit_correlations, edition, pillar)
    return to_spec(correlation_chart(heat, order, lang)), len(order)
