"""Robust ranks (issue 4): the split compute_index, the Monte Carlo bands, the audit and the what-if weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cdi_core.audit import audit, cronbach_alpha
from cdi_core.compute import INDEX, compute_index, finish, finish_arrays, prepare
from cdi_core.paths import INDEX_DIR, INPUTS_DIR
from cdi_core.quality import usable_observations
from cdi_core.spec import load_spec
from cdi_core.uncertainty import batches, draws, rank_bands, rank_uncertainty, simulate_ranks
from cdi_core.validate import read_inputs
from cdi_core.whatif import published_base, rerank, rerank_base
from tests.core.synthetic import cities, obs, small_spec


@pytest.fixture(scope="module")
def real():
    spec = load_spec()
    inputs = read_inputs(INPUTS_DIR, spec)
    return spec, inputs, prepare(usable_observations(inputs, spec, INPUTS_DIR), inputs["cities"], spec)


@pytest.fixture(scope="module")
def published():
    return {n: pd.read_parquet(INDEX_DIR / f"{n}.parquet") for n in ("scores", "indicators", "rank_uncertainty")}


def _synthetic(seed: int, n: int = 8):
    """Full data for n cities over 3 editions; c00 dominates c01 on every indicator in every year (higher a and b,
    lower c, whose direction is -1)."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2020, 2021, 2022):
        vals = {"a": rng.lognormal(2, 1.5, n), "b": rng.normal(50, 20, n), "c": rng.uniform(0, 30, n)}
        vals["a"][0], vals["b"][0], vals["c"][0] = vals["a"][1] * 1.5 + 1, vals["b"][1] + 5, vals["c"][1] - 3
        for k in range(n):
            rows += [(f"c{k:02d}", ind, year, v[k]) for ind, v in vals.items()]
    return obs(rows), cities(n)


def test_compute_index_is_prepare_then_finish():
    o, c = _synthetic(1)
    spec = small_spec()
    a = compute_index(o, c, spec)
    b = finish(prepare(o, c, spec), spec)
    pd.testing.assert_frame_equal(a.scores, b.scores)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)


def test_official_spec_regenerates_the_published_ranks(real, published):
    spec, inputs, prep = real
    fresh = finish(prep, spec).scores
    pd.testing.assert_frame_equal(fresh[["city_id", "edition", "pillar", "rank"]],
                                  published["scores"][["city_id", "edition", "pillar", "rank"]])


def test_published_bands_contain_the_median_and_match_the_nominal_rank(published):
    u = published["rank_uncertainty"]
    assert len(u) and (u["n_runs"] >= 1000).all()
    assert ((u["rank_low"] <= u["rank_median"]) & (u["rank_median"] <= u["rank_high"])).all()
    assert ((u["rank_low"] >= 1) & (u["rank_high"] <= u["n_ranked"])).all()
    s = published["scores"]
    nominal = s[s["rank"].notna()].merge(u, on=["city_id", "edition", "pillar"], suffixes=("", "_u"))
    assert len(nominal) == len(u) == int(s["rank"].notna().sum())
    assert (nominal["rank"].astype(int) == nominal["rank_u"]).all()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_dominating_city_never_ranks_below_the_dominated_one(seed):
    o, c = _synthetic(seed)
    prep = prepare(o, c, small_spec())
    runs = simulate_ranks(prep, n_runs=300, seed=seed)   # (runs, cities, editions, pillars + index)
    assert not np.isnan(runs[:, :2]).any()
    assert (runs[:, 0] <= runs[:, 1]).all()
    bands = rank_bands(prep, runs)
    assert ((bands["rank_low"] <= bands["rank_median"]) & (bands["rank_median"] <= bands["rank_high"])).all()


def test_runs_vary_every_choice_and_are_seeded():
    spec = small_spec()
    d = draws(spec, 1000, seed=7)
    assert {x.normalisation for x in d} == {"minmax", "zscore", "rank"}
    assert {x.aggregation for x in d} == {"arithmetic", "geometric"}
    assert {x.imputation for x in d} == {"none", "median"}
    w = np.array([list(x.indicator_weights.values()) + list(x.pillar_weights.values()) for x in d])
    assert 0.75 <= w.min() < 0.76 and 1.24 < w.max() <= 1.25
    o, c = _synthetic(5)
    prep = prepare(o, c, spec)
    pd.testing.assert_frame_equal(rank_uncertainty(prep, 50, seed=3), rank_uncertainty(prep, 50, seed=3))


def test_whatif_with_official_weights_reproduces_the_published_index(published):
    s, i = published["scores"], published["indicators"]
    spec = load_spec()
    out = rerank(i, s, {p: 1.0 for p in spec.pillar_ids})
    off = s[(s["pillar"] == INDEX) & s["ranked"]].sort_values(["edition", "rank", "city_id"])
    assert out["city_id"].tolist() == off["city_id"].tolist()
    assert out["rank"].tolist() == off["rank"].astype(int).tolist()
    assert np.array_equal(out["score"].to_numpy(), off["score"].to_numpy())


def test_whatif_weights_change_the_ranking_as_expected(published):
    base = published_base(published["indicators"], published["scores"])
    only = rerank_base(base, {"relations": 1, "tourism": 0, "business": 0, "multiculturalism": 0})
    s = published["scores"]
    rel = s[(s["pillar"] == "relations") & s["ranked"]].set_index(["city_id", "edition"])["score"]
    got = only.set_index(["city_id", "edition"])["score"]
    assert np.allclose(got.sort_index(), rel.reindex(got.index).sort_index())
    with pytest.raises(ValueError):
        rerank_base(base, {p: 0 for p in base.spec.pillar_ids})


def test_cronbach_alpha():
    x = np.arange(20, dtype=float)
    assert cronbach_alpha(np.column_stack([x, x, x])) == pytest.approx(1.0)
    assert np.isnan(cronbach_alpha(x[:, None]))
    rng = np.random.default_rng(0)
    assert abs(cronbach_alpha(rng.normal(size=(2000, 4)))) < 0.1


def test_audit_flags_collinear_pairs_and_reports_drop_one():
    rows = []
    for year in (2020, 2021, 2022):
        for k in range(10):
            rows += [(f"c{k:02d}", "a", year, float(np.exp(k / 3))), (f"c{k:02d}", "b", year, k * 2.0 + 1),
                     (f"c{k:02d}", "c", year, float((k * 7) % 10))]
    o, c = obs(rows), cities(10)
    spec = small_spec()
    prep = prepare(o, c, spec)
    tables = audit(o, c, prep, finish_arrays(prep, spec))
    corr = tables["audit_correlations"]
    pair = corr[(corr["kind"] == "indicator-indicator") & (corr["var_a"] == "a") & (corr["var_b"] == "b")]
    assert (pair["r"] > 0.9).all() and (pair["flag"] != "").all()
    assert tables["audit_pillars"].query("pillar == 'p1'")["flags"].str.contains("collinear").all()
    ind = tables["audit_indicators"]
    assert set(ind["indicator"]) == {"a", "b", "c"}
    # p2 has one indicator: it cannot be dropped, so it has no drop-one figure
    assert ind.query("indicator == 'c'")["drop_one_mean_abs_rank_change"].isna().all()
    assert (ind.query("indicator != 'c'")["drop_one_mean_abs_rank_change"] >= 0).all()


def _sparse_synthetic(seed: int, n: int = 30):
    """Like `_synthetic`, with gaps: every fifth city lacks indicator c (pillar p2), so it is not ranked, and
    rounded values give ties."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2020, 2021, 2022):
        for k in range(n):
            rows += [(f"c{k:02d}", "a", year, float(np.round(rng.lognormal(2, 1.5)))),
                     (f"c{k:02d}", "b", year, float(np.round(rng.normal(50, 20))))]
            if k % 5 != 0:
                rows.append((f"c{k:02d}", "c", year, float(np.round(rng.uniform(0, 30)))))
    return obs(rows), cities(n)


@pytest.mark.parametrize("seed", [1, 2])
def test_batched_runs_equal_one_run_at_a_time(seed):
    """The Monte Carlo's batches (several specs in one finish_arrays call, on the cities ranked somewhere) give
    every run the aggregates and ranks of its own single-spec call with all cities, bit for bit, whatever the
    batch size."""
    o, c = _sparse_synthetic(seed)
    spec = small_spec()
    prep = prepare(o, c, spec)
    rows = prep.ranked.any(axis=1)
    assert 0 < rows.sum() < len(rows)
    runs = draws(spec, 60, seed=seed)
    single = [finish_arrays(prep, d.spec(spec)) for d in runs]
    for ks in batches(runs, 7):
        f = finish_arrays(prep, [runs[k].spec(spec) for k in ks], rows=rows)
        for j, k in enumerate(ks):
            np.testing.assert_array_equal(f.aggregates[j], single[k].aggregates[rows])
            np.testing.assert_array_equal(f.ranks[j], single[k].ranks[rows])
            assert np.isnan(single[k].ranks[~rows]).all()
    want = np.stack([s.ranks for s in single]).astype(np.float32)
    for size in (1, 5, 64):
        np.testing.assert_array_equal(simulate_ranks(prep, 60, seed=seed, batch=size), want)
    np.testing.assert_array_equal(simulate_ranks(prep, 60, seed=seed, batch=4, workers=2), want)
    nominal = finish_arrays(prep, spec).ranks
    for workers in (1, 2, 3):
        kept = simulate_ranks(prep, 60, seed=seed, cells=~np.isnan(nominal), batch=4, workers=workers)
        np.testing.assert_array_equal(kept, want[:, ~np.isnan(nominal)])
    pd.testing.assert_frame_equal(rank_uncertainty(prep, 60, seed, workers=1),
                                  rank_uncertainty(prep, 60, seed, workers=2))
    with pytest.raises(ValueError):
        finish_arrays(prep, spec, rows=np.zeros(len(rows), bool))


def test_bands_quantiles_are_numpy_inverted_cdf():
    """`_bands` takes order statistics by partial sort; they are np.quantile's 'inverted_cdf' values."""
    from cdi_core.uncertainty import BAND, _order_statistics

    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 19, 20, 21, 300, 1000):
        x = rng.integers(1, 40, (n, 25)).astype(np.uint16)
        got = np.sort(x, axis=0)[_order_statistics(n, [BAND[0], 0.5, BAND[1]])]
        want = np.quantile(x.astype(float), [BAND[0], 0.5, BAND[1]], axis=0, method="inverted_cdf")
        np.testing.assert_array_equal(got, want)


def test_drop_one_on_arrays_equals_full_compute_index_runs():
    """drop_one reads finish_arrays' index ranks; they are compute_index's published ranks, so its figures are
    those of full runs."""
    from cdi_core.audit import drop_one

    o, c = _sparse_synthetic(3)
    spec = small_spec()
    prep = prepare(o, c, spec)
    got = drop_one(o, c, spec, finish_arrays(prep, spec), prep)
    base = finish(prep, spec).scores.query("pillar == @INDEX").set_index(["city_id", "edition"])["rank"]
    for ind, g in got.groupby("indicator"):
        alt = compute_index(o, c, spec.override(drop_indicators=[ind])).scores
        alt = alt[alt["pillar"] == INDEX].set_index(["city_id", "edition"])["rank"]
        d = pd.DataFrame({"a": base, "b": alt}).dropna()
        d = (d["a"] - d["b"]).abs().astype(float).groupby(level="edition")
        assert g["drop_one_mean_abs_rank_change"].tolist() == d.mean().tolist()
        assert g["drop_one_max_abs_rank_change"].tolist() == d.max().astype(int).tolist()
        assert g["drop_one_n_cities"].tolist() == d.size().tolist()


def test_a_failing_worker_process_raises_in_the_caller():
    from cdi_core.uncertainty import _in_processes

    def fn(part: list) -> None:
        if part == ["bad"]:
            raise ValueError("bad part")

    _in_processes(fn, [["ok"], ["ok"]])
    with pytest.raises(ValueError, match="bad part"):
        _in_processes(fn, [["ok"], ["bad"]])


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_runs_started_in_the_background_give_the_same_bands(workers):
    from cdi_core.uncertainty import start_rank_uncertainty

    o, c = _sparse_synthetic(4)
    prep = prepare(o, c, small_spec())
    pending = start_rank_uncertainty(prep, 40, seed=9, workers=workers)
    bands, done = pending()
    assert done > 0
    pd.testing.assert_frame_equal(bands, rank_uncertainty(prep, 40, seed=9, workers=1))
