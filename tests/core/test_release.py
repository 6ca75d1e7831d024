"""What a journalist reads beside the ranking: the release diff, freshness, and the ranking rules of v2."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from cdi_core.compute import coverage_rule, screen, select_values
from cdi_core.freshness import freshness_table
from cdi_core.paths import INDEX_DIR, PREVIOUS_INDEX_DIR
from cdi_core.release_diff import release_diff, start_new_release
from tests.core.synthetic import obs, small_spec


@pytest.fixture(scope="module")
def index():
    return {n: pd.read_parquet(INDEX_DIR / f"{n}.parquet")
            for n in ("scores", "indicators", "release_diff", "freshness", "quality", "cities")}


def test_every_big_rank_move_against_the_previous_release_names_its_causes(index):
    d = index["release_diff"]
    big = d[d["rank_move"].abs() > 5]
    assert len(big) and (big["causes"].str.len() > 0).all()
    assert set(d["status"]) >= {"ranked in both", "left the reference set"}
    gone = d[d["status"] == "left the reference set"]
    assert "wigan" in set(gone["city_id"]), "the boroughs of conurbations left the reference set"


def test_the_release_diff_is_reproducible_from_the_committed_previous_release(index):
    fresh = release_diff(index["scores"], index["indicators"], PREVIOUS_INDEX_DIR)
    pd.testing.assert_frame_equal(fresh, index["release_diff"], check_dtype=False)


def test_a_new_release_moves_the_published_index_aside(tmp_path):
    prev = tmp_path / "previous"
    start_new_release(INDEX_DIR, prev)
    assert pd.read_parquet(prev / "scores.parquet").equals(pd.read_parquet(INDEX_DIR / "scores.parquet"))


def test_freshness_says_which_indicators_had_no_new_data(index):
    f = index["freshness"].set_index(["edition", "indicator"])
    # OpenFlights has no release after 2017: no edition brings new air data, and no value is recent
    assert not f.loc[(2025, "air_destinations"), "new_data"]
    assert f.loc[(2025, "air_destinations"), "newest_year"] == 2017
    assert f.loc[(2025, "air_destinations"), "recent_values"] == 0
    assert f.loc[(2025, "global500_hq"), "newest_year"] == 2024


def test_freshness_counts_recent_values():
    ind = pd.DataFrame({"city_id": ["a", "b", "a", "b"], "edition": [2024, 2024, 2025, 2025],
                        "indicator": ["x"] * 4, "year": pd.array([2020, 2024, 2020, 2025], "Int64"),
                        "status": ["observed"] * 4})
    t = freshness_table(ind).set_index("edition")
    assert t.loc[2025, "recent_values"] == 1 and t.loc[2025, "new_data"] and t.loc[2025, "newest_year"] == 2025


def test_no_ranked_city_has_a_pillar_resting_on_one_indicator(index):
    """Derby's and Eindhoven's business pillar was their airport alone before the pillar minimum."""
    ind, s = index["indicators"], index["scores"]
    ranked = s[(s["pillar"] == "index") & s["ranked"]][["city_id", "edition"]]
    have = ind[ind["status"] != "missing"].merge(ranked, on=["city_id", "edition"])
    slot = have["indicator"].replace({"foreign_citizen_share": "foreign_born_share"})
    n = have.assign(slot=slot).groupby(["city_id", "edition", "pillar"])["slot"].nunique()
    assert (n.xs("business", level="pillar") >= 2).all()
    assert (n.xs("relations", level="pillar") >= 2).all()


def test_at_least_40_ranked_cities_outside_europe_in_every_edition(index):
    s, c = index["scores"], index["cities"]
    r = s[(s["pillar"] == "index") & s["ranked"]].merge(c[["city_id", "region"]], on="city_id")
    per = r[r["region"] != "Europe"].groupby("edition").size()
    assert (per >= 40).all(), per


def test_alternative_measures_count_once_and_unavailable_measures_not_at_all():
    spec = small_spec()
    spec = replace(spec, indicators=tuple(replace(i, coverage_group="g" if i.id in ("a", "b") else "")
                                          for i in spec.indicators))
    present = np.array([[True, True, False], [True, False, True]])
    n, low, _ = coverage_rule(present, spec)
    assert n.tolist() == [1, 2]                       # a and b are one measure
    n, low, _ = coverage_rule(present, spec, np.array([True, False]))
    assert not low[0]                                 # only the available measure counts


def test_a_pillar_needs_two_measures_when_it_has_them():
    spec = replace(small_spec(), rules=replace(small_spec().rules, pillar_min_measures=2, coverage_min=0.3))
    o = obs([("c00", "a", 2020, 5.0), ("c00", "c", 2020, 5.0),
             ("c01", "a", 2020, 5.0), ("c01", "b", 2020, 3.0), ("c01", "c", 2020, 5.0)])
    sel = select_values(o, ["c00", "c01"], spec)
    scr = screen(sel, spec).set_index(["city_id", "edition"])
    assert not scr.loc[("c00", 2020), "ranked"] and "fewer than 2" in scr.loc[("c00", 2020), "not_ranked_reason"]
    assert scr.loc[("c01", 2020), "ranked"]
