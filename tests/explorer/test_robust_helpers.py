"""Rank bands, overlap notes, what-if table and the ?weights= parser (explorer.views.whatif, explorer.text.params)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cdi_core.whatif import published_base
from explorer.text.params import WEIGHTS_NOTICE, format_weights, parse_weights
from explorer.views.bands import band_column, band_text, load_robust, overlap_notes
from explorer.views.whatif import official_weights, whatif_table

OFFICIAL = (25, 25, 25, 25)


@pytest.mark.parametrize("raw, expected", [
    (None, OFFICIAL), ("", OFFICIAL), ("40,20,20,20", (40, 20, 20, 20)), (["0, 0, 100, 0"], (0, 0, 100, 0)),
    ("100,100,100,100", (100, 100, 100, 100)),
])
def test_parse_weights_accepts_four_whole_numbers(raw, expected):
    p = parse_weights(raw, OFFICIAL)
    assert p.value == expected and p.notice == ""


@pytest.mark.parametrize("raw", [
    "40,20,20", "40,20,20,20,20", "-10,20,20,20", "40,20,abc,20", "0,0,0,0", "40.5,20,20,20", "101,0,0,0",
    "1e3,0,0,0", "nan,1,1,1", "<script>,1,1,1", "40,20,20,20" + "0" * 10_000, ",,,", "40;20;20;20", ["x"],
])
def test_parse_weights_falls_back_with_a_notice(raw):
    p = parse_weights(raw, OFFICIAL)
    assert p.value == OFFICIAL and p.notice == WEIGHTS_NOTICE


@given(st.text(max_size=300))
def test_parse_weights_never_fails(raw):
    p = parse_weights(raw, OFFICIAL)
    assert len(p.value) == 4 and all(0 <= w <= 100 for w in p.value) and sum(p.value) > 0


def test_format_weights_round_trips():
    assert parse_weights(format_weights((40, 20, 20, 20)), OFFICIAL).value == (40, 20, 20, 20)


def test_band_text():
    assert band_text(21, 17, 26) == "rank 21, likely 17–26"
    assert band_text(1, 1, 1) == "rank 1, the same in every run"
    assert band_text(None, None, None) == "not ranked"


def test_overlap_notes_name_only_overlapping_pairs():
    bands = pd.DataFrame({"city_id": ["a", "b", "c"], "edition": 2025, "pillar": "index", "rank": [1, 3, 20],
                          "rank_median": [1, 3, 20], "rank_low": [1, 2, 18], "rank_high": [4, 6, 25],
                          "n_runs": 1000})
    notes = overlap_notes(bands, ["a", "b", "c"], {"a": "Budapest", "b": "Prague", "c": "Warsaw"}, 2025)
    assert notes == ["Budapest and Prague: their rank bands overlap, so the order between them is not certain."]
    assert band_column(bands, ["c", "zz"], 2025) == ["18–25", ""]


def test_published_bands_and_official_weights(data):
    robust = load_robust(data.index_dir)
    b = robust.bands
    assert {"rank_low", "rank_high", "rank_median"} <= set(b.columns) and len(b)
    assert official_weights(data) == OFFICIAL


def test_whatif_table_with_official_weights_is_the_official_ranking(data):
    base = published_base(data.indicators, data.scores)
    pillars = list(data.framework.drop_duplicates("pillar")["pillar"])
    t = whatif_table(base, data, pillars, OFFICIAL, 2025)
    assert (t["own_rank"] == t["official_rank"]).all() and (t["difference"] == 0).all()
    t2 = whatif_table(base, data, pillars, (100, 0, 0, 0), 2025)
    rel = data.scores[(data.scores["edition"] == 2025) & (data.scores["pillar"] == "relations")
                      & data.scores["ranked"]].set_index("city_id")["score"]
    assert t2.set_index("city_id")["own_score"].to_dict() == pytest.approx(rel.to_dict())
