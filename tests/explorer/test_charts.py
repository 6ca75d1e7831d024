"""The cached Vega-Lite specs (explorer.widgets.charts): the same spec and Arrow data st.altair_chart would send, one
per
language and input, one shared dict per builder and arguments that drawing
leaves unchanged."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from explorer.views.bands import load_robust
from explorer.views.pact import members as pv
from explorer.widgets import charts


def _frames(spec: dict) -> list[pd.DataFrame]:
    return [pa.ipc.open_stream(b).read_pandas() for b in spec["datasets"].values()]


def test_timeline_spec_is_what_altair_chart_sends(data):
    spec = charts.pact_timeline_spec(data, "en")
    direct = _convert_altair_to_vega_lite_spec(charts.pact_timeline_chart(pv.timeline(data), "en"))
    assert json.dumps(spec, sort_keys=True, default=repr) == json.dumps(direct, sort_keys=True, default=repr)
    points = max(_frames(spec), key=len)
    assert sorted(points["city_id"]) == sorted(pv.timeline(data)["city_id"])


def test_one_spec_per_language(data):
    en, hu = charts.pact_timeline_spec(data, "en"), charts.pact_timeline_spec(data, "hu")
    text = {k: json.dumps({**s, "datasets": None}) for k, s in (("en", en), ("hu", hu))}
    assert "Accession date" in text["en"] and "Accession date" not in text["hu"]
    fe, fh = (max(_frames(s), key=len) for s in (en, hu))
    # the same members and dates (the order within a date follows the names, which are in the language)
    assert sorted(zip(fe["city_id"], fe["date_plot"])) == sorted(zip(fh["city_id"], fh["date_plot"]))
    names = dict(zip(fh["city_id"], fh["name"]))
    assert names["prague"] == "Prága" and names["warsaw"] == "Varsó"
    assert "confirmed" not in set(fh["date_certainty"])


def test_specs_are_shared_and_hold_the_published_medians(data):
    a = charts.pact_medians_spec(data, 2025, "en")
    assert charts.pact_medians_spec(data, 2025, "en") is a          # one shared, read-only dict per process
    med = max(_frames(a), key=len)
    expected = pv.median_scores(data, 2025)
    assert sorted(med["median"]) == pytest.approx(sorted(expected["median"]))


def test_correlation_spec_holds_the_pillars_correlations(data):
    ac = load_robust(data.index_dir).tables["audit_correlations"]
    pillar = data.framework["pillar"].iloc[0]
    spec, n = charts.correlation_spec(data, ac, 2025, pillar, "en")
    heat = _frames(spec)[0]
    sel = ac[(ac["edition"] == 2025) & (ac["pillar"] == pillar) & (ac["kind"] == "indicator-indicator")]
    assert len(heat) == len(sel) and sorted(heat["r"]) == pytest.approx(sorted(sel["r"]))
    assert n == len(set(sel["var_a"]))


def _points(frame: pd.DataFrame, size: int) -> alt.Chart:
    _points.calls.append(size)
    return alt.Chart(frame).mark_point(size=size).encode(x="x:Q", y="y:Q")


_points.calls = []


def test_spec_keys_on_the_builder_and_its_arguments_only():
    frame, other = pd.DataFrame({"x": [1, 2], "y": [3, 4]}), pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    _points.calls.clear()
    first = charts.spec(_points, frame, 10)
    assert charts.spec(_points, frame, 10) is first        # one shared, read-only dict
    charts.spec(_points, frame, 20)
    charts.spec(_points, other, 10)                        # another object: built again
    assert _points.calls == [10, 20, 10]
    assert first["mark"]["size"] == 10


def _two_layers(width: str) -> alt.LayerChart:
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4], "c": ["a", "b"]})
    return (alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q", color="c:N")
            + alt.Chart(frame).mark_text().encode(x="x:Q", y="y:Q", text="c:N")).properties(height=200)


@pytest.mark.parametrize("width", ["stretch", "content"])
def test_drawing_a_shared_spec_leaves_it_as_it_was(width):
    """spec and legend_spec hand every session the same dict: st.vega_lite_chart must not change it."""
    import copy

    specs = [charts.spec(_two_layers, width),
             charts.legend_spec(("0–20", "not ranked"), ("#ffffff", "#999999"))]
    for spec in specs:
        before = copy.deepcopy(spec)
        charts.draw(spec, width=width)
        charts.draw(spec, width=width)
        assert spec == before


def _legend_without_title(width: str) -> alt.Chart:
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4], "c": ["a", "b"]})
    return alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q", color=alt.Color("c:N", title=None)).properties(
        width=width if width == "container" else 300)


def test_drawing_a_chart_with_an_untitled_legend_leaves_its_shared_spec_as_it_was():
    """st.vega_lite_chart writes " " over a null colour title in the nested spec: the shared spec already has it."""
    import copy

    from explorer.perf.memo import fingerprint

    spec = charts.spec(_legend_without_title, "container")
    before, print_before = copy.deepcopy(spec), fingerprint(spec)
    charts.draw(spec, width="stretch")
    assert spec == before and fingerprint(spec) == print_before
    assert spec["encoding"]["color"]["title"] == " "      # what Streamlit would have sent anyway
