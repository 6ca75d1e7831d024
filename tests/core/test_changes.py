"""What changed (issue 9): exact per-indicator decomposition of score changes, rank-change split, data diff."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdi_core.changes import data_diff, decompose, rank_changes, split_scores
from cdi_core.compute import INDEX, aggregate, compute_index
from cdi_core.paths import INDEX_DIR
from cdi_core.quality import usable_observations
from tests.core.synthetic import cities, obs, small_spec

KEY = ["city_id", "edition", "pillar"]


@pytest.fixture(scope="module")
def published():
    return {n: pd.read_parquet(INDEX_DIR / f"{n}.parquet")
            for n in ("scores", "indicators", "changes", "rank_changes", "data_diff")}


def _sums_vs_published(changes: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    total = changes.groupby(KEY)["contribution"].sum().rename("total")
    return scores.set_index(KEY)[["score_change", "ranked"]].join(total, how="inner")


def test_contributions_sum_to_every_published_score_change(published):
    scores, changes = published["scores"], published["changes"]
    both = _sums_vs_published(changes, scores)
    assert both["score_change"].notna().all()
    assert (both["total"] - both["score_change"]).abs().max() < 1e-9
    # every index change of a city ranked in both editions is decomposed, and so are its pillars
    idx = scores[(scores.pillar == INDEX) & scores.score_change.notna()]
    assert len(changes[changes.pillar == INDEX].groupby(["city_id", "edition"])) == len(idx)
    assert len(both) == 5 * len(idx)


def test_published_changes_match_a_fresh_decomposition(published):
    fresh = decompose(published["indicators"], published["scores"])
    pd.testing.assert_frame_equal(fresh, published["changes"], check_exact=False, rtol=1e-9, atol=1e-9)


def test_carried_forward_lines_contribute_nothing_and_kinds_are_known(published):
    c = published["changes"]
    assert set(c["kind"]) <= {"new", "carried_forward", "revised", "imputed", "appeared", "lapsed"}
    cf = c[c.kind == "carried_forward"]
    assert (cf["contribution"] == 0).all() and (cf["score"] == cf["score_prev"]).all()


def _constant_obs(n: int = 5) -> pd.DataFrame:
    """Every city measured once, in 2020: 2021 and 2022 carry the values forward."""
    return obs([(f"c{i:02d}", ind, 2020, 3 + 7 * i + (ind == "b") * i * i) for i in range(n) for ind in "abc"])


def test_a_city_whose_indicators_did_not_change_has_zero_change_and_zero_contributions():
    r = compute_index(_constant_obs(), cities(5), small_spec())
    c = decompose(r.indicators, r.scores, small_spec())
    assert set(c["edition"]) == {2021, 2022} and set(c["kind"]) == {"carried_forward"}
    assert (c["contribution"] == 0).all()
    assert (r.scores.dropna(subset=["score_change"])["score_change"] == 0).all()
    assert (rank_changes(r.scores)[["rank_change", "rank_change_own", "rank_change_others"]] == 0).all().all()


def test_a_changed_indicator_lands_in_its_own_line():
    o = pd.concat([_constant_obs(), obs([("c02", "b", 2022, 60.0)])], ignore_index=True)
    spec = small_spec()
    r = compute_index(o, cities(5), spec)
    c = decompose(r.indicators, r.scores, spec)
    lines = c[(c.city_id == "c02") & (c.edition == 2022)].set_index(["pillar", "indicator"])
    s = r.scores.set_index(KEY)["score_change"]
    ind = r.indicators.set_index(["city_id", "edition", "indicator"])["score"]
    ds = ind[("c02", 2022, "b")] - ind[("c02", 2021, "b")]
    assert ds > 0
    assert lines.at[("p1", "b"), "kind"] == "new" and lines.at[("index", "b"), "kind"] == "new"
    # pillar p1 = mean(a, b): weight 1/2; the index = mean(p1, p2): weight 1/4
    assert lines.at[("p1", "b"), "contribution"] == pytest.approx(ds / 2, abs=1e-12)
    assert lines.at[("index", "b"), "contribution"] == pytest.approx(ds / 4, abs=1e-12)
    assert lines.at[("index", "b"), "contribution"] == pytest.approx(s[("c02", 2022, INDEX)], abs=1e-12)
    others = lines.drop(index=[("p1", "b"), ("index", "b")])
    assert (others["contribution"] == 0).all() and (others["kind"] == "carried_forward").all()
    # nothing else moved: every other city and edition has zero contributions
    rest = c[~((c.city_id == "c02") & (c.edition == 2022))]
    assert (rest["contribution"] == 0).all()
    # the rank change of c02 is all its own; cities it passed moved because of it ("others")
    rc = rank_changes(r.scores)
    rc = rc[(rc.edition == 2022) & (rc.pillar == INDEX)].set_index("city_id")
    assert (rc["rank_change_own"] + rc["rank_change_others"] == rc["rank_change"]).all()
    assert rc.at["c02", "rank_change"] > 0 and rc.at["c02", "rank_change_others"] == 0
    passed = rc[rc.rank_change < 0]
    assert len(passed) and (passed["rank_change_own"] == 0).all()


def test_a_value_that_lapses_or_appears_is_its_own_line():
    r = compute_index(_constant_obs(), cities(5), small_spec())
    ind = r.indicators.copy()
    ind.loc[(ind.city_id == "c03") & (ind.edition == 2022) & (ind.indicator == "a"), "score"] = math.nan
    ind.loc[(ind.city_id == "c01") & (ind.edition == 2020) & (ind.indicator == "b"), "score"] = math.nan
    c = decompose(ind, r.scores, small_spec())
    lapsed = c[(c.city_id == "c03") & (c.edition == 2022)].set_index(["pillar", "indicator"])
    appeared = c[(c.city_id == "c01") & (c.edition == 2021)].set_index(["pillar", "indicator"])
    s = ind.set_index(["city_id", "edition", "indicator"])["score"]
    # p1 of c03 was mean(a, b) and is now b alone: the lapse line is -(1/2)(s_a - s_b), the pillar's whole change
    expected = -0.5 * (s[("c03", 2021, "a")] - s[("c03", 2021, "b")])
    assert lapsed.at[("p1", "a"), "kind"] == "lapsed"
    assert lapsed.at[("p1", "a"), "contribution"] == pytest.approx(expected, abs=1e-12)
    assert lapsed.at[("p1", "b"), "contribution"] == 0
    assert lapsed.at[("index", "a"), "contribution"] == pytest.approx(expected / 2, abs=1e-12)
    assert appeared.at[("p1", "b"), "kind"] == "appeared"
    assert appeared.at[("p1", "b"), "contribution"] == pytest.approx(
        0.5 * (s[("c01", 2021, "b")] - s[("c01", 2021, "a")]), abs=1e-12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=100)), min_size=36, max_size=36),
       st.lists(st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=3.0)), min_size=5, max_size=5))
def test_any_pattern_of_missing_values_and_weights_decomposes_exactly(vals, w):
    """4 cities x 3 editions x 3 indicators with random gaps (whole pillars may appear or lapse) and weights.
    Weights are 0 or at least 0.001: a subnormal weight such as 5e-324 makes the aggregate stage itself round
    (1.5 * 5e-324 / 5e-324 == 2.0), which says nothing about the decomposition."""
    spec = small_spec().override(indicator_weights={"a": w[0] + 0.01, "b": w[1], "c": w[2] + 0.01},
                                 pillar_weights={"p1": w[3] + 0.01, "p2": w[4] + 0.01})
    scores = np.array([np.nan if v is None else v for v in vals]).reshape(4, 3, 3)
    ranked = np.ones((4, 3), bool)
    agg = aggregate(scores, ranked, spec)
    contrib, _ = split_scores(scores, ranked, spec)
    delta = agg[:, 1:] - agg[:, :-1]
    total = contrib[:, 1:].sum(axis=-1)
    ok = ~np.isnan(delta)
    assert np.allclose(total[ok], delta[ok], rtol=0, atol=1e-9)


def test_own_and_others_sum_to_the_rank_change_on_the_published_data(published):
    rc, scores = published["rank_changes"], published["scores"]
    assert (rc["rank_change_own"] + rc["rank_change_others"] == rc["rank_change"]).all()
    pub = scores.set_index(KEY)["rank_change"]
    joined = rc.set_index(KEY).join(pub.rename("published"))
    assert (joined["rank_change"] == joined["published"]).all()
    assert len(rc[rc.pillar == INDEX]) == scores[(scores.pillar == INDEX)]["rank_change"].notna().sum()


def test_data_diff_flags_a_revised_a_new_and_a_dropped_value(published):
    ind = published["indicators"].copy()
    key = (ind.city_id == "budapest") & (ind.indicator == "diplomatic_countries")
    assert ind.loc[key & (ind.edition == 2025), "year"].item() == ind.loc[key & (ind.edition == 2024), "year"].item()
    ind.loc[key & (ind.edition == 2025), "value"] += 3           # same year, another value: a revision
    gone = (ind.city_id == "vienna") & (ind.indicator == "whc_sites") & (ind.edition == 2025)
    ind.loc[gone, ["status", "value"]] = ["missing", math.nan]
    d = data_diff(ind).set_index(["city_id", "indicator", "edition"])
    row = d.loc[("budapest", "diplomatic_countries", 2025)]
    assert row["status"] == "revised" and row["value"] == row["value_prev"] + 3 and row["value_changed"]
    assert d.loc[("vienna", "whc_sites", 2025), "status"] == "dropped"
    assert ("budapest", "diplomatic_countries", 2024) not in d.index or d.loc[
        ("budapest", "diplomatic_countries", 2024), "status"] == "new"


def test_published_data_diff_lists_only_real_differences(published):
    d, ind = published["data_diff"], published["indicators"]
    assert set(d["status"]) <= {"new", "revised", "dropped"}
    assert (d.loc[d.status == "new", "year"] != d.loc[d.status == "new", "year_prev"]).fillna(True).all()
    assert d.duplicated(["city_id", "indicator", "edition"]).sum() == 0
    assert d["edition"].min() > ind["edition"].min()


def test_the_builds_arrays_are_the_published_base():
    """The build hands change_tables its own arrays instead of re-pivoting the long tables: they must be equal."""
    from cdi_core.compute import finish, finish_arrays, prepare
    from cdi_core.paths import INPUTS_DIR
    from cdi_core.spec import load_spec
    from cdi_core.validate import read_inputs
    from cdi_core.whatif import published_base

    spec = load_spec()
    inputs = read_inputs(INPUTS_DIR, spec)
    prep = prepare(usable_observations(inputs, spec, INPUTS_DIR), inputs["cities"], spec)
    res, f = finish(prep, spec), finish_arrays(prep, spec)
    base = published_base(res.indicators, res.scores, spec)
    assert base.city_ids == prep.city_ids and base.editions == prep.editions
    np.testing.assert_array_equal(base.scores, f.scores)
    np.testing.assert_array_equal(base.ranked, prep.ranked)
