"""A falling score is drawn as a fall: the headline metrics of the city profile and of /changes take their colour and
arrow from the number, not from the delta's text (a locale's typographic minus, "−3.2", read as a rise before)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from tests.app.helpers import INDEX_DIR, open_page

RED, GREEN, GRAY = MetricProto.MetricColor.RED, MetricProto.MetricColor.GREEN, MetricProto.MetricColor.GRAY
DOWN, UP, NONE = MetricProto.MetricDirection.DOWN, MetricProto.MetricDirection.UP, MetricProto.MetricDirection.NONE


def _index(city: str, edition: int) -> pd.Series:
    s = pd.read_parquet(INDEX_DIR / "scores.parquet")
    return s[(s["pillar"] == "index") & (s["city_id"] == city) & (s["edition"] == edition)].iloc[0]


def _shown(at) -> dict[str, tuple[str, int, int]]:
    return {m.label: (m.proto.delta, m.proto.color, m.proto.direction) for m in at.metric}


@pytest.mark.parametrize("lang", ["en", "hu", "de"])
def test_a_fall_on_the_city_profile_is_red_and_down(lang):
    row = _index("budapest", 2022)
    assert row["score_change"] < -0.05 and row["rank_change"] < 0          # the published fall this test draws
    shown = list(_shown(open_page("pages/city.py", city="budapest", edition="2022", lang=lang)).values())
    rank, score = shown[0], shown[1]
    assert "−" in score[0] or "-" in score[0]
    assert score[1:] == (RED, DOWN) and rank[1:] == (RED, DOWN)


def test_a_rise_is_green_and_up_and_no_change_is_grey():
    row = _index("budapest", 2020)
    assert row["score_change"] > 0.05
    shown = list(_shown(open_page("pages/city.py", city="budapest", edition="2020")).values())
    assert shown[1][1:] == (GREEN, UP)
    same = list(_shown(open_page("pages/city.py", city="budapest", edition="2025")).values())
    assert same[0][1:] == (GRAY, NONE) and same[1][1:] == (GRAY, NONE)   # 2025: no change in rank or score


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_fall_on_the_changes_page_is_red_and_down(lang):
    at = open_page("pages/changes.py", city="budapest", edition="2022", lang=lang)
    score, rank = list(_shown(at).values())[:2]
    assert score[1:] == (RED, DOWN) and rank[1:] == (RED, DOWN)
    same = list(_shown(open_page("pages/changes.py", city="budapest", edition="2025")).values())
    assert same[0][1:] == (GRAY, NONE) and same[1][1:] == (GRAY, NONE)
