"""The coverage counts cdi_core publishes for readers (cdi_core.completeness): per indicator and edition, cities by
status and vintage; per edition, the measures available, which is the denominator of every city's published
coverage share (two alternative measures of one concept count once)."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.completeness import indicator_counts, measure_of, measures_available
from cdi_core.paths import INDEX_DIR


@pytest.fixture(scope="module")
def index():
    return {n: pd.read_parquet(INDEX_DIR / f"{n}.parquet") for n in ("indicators", "framework", "scores", "cities")}


def test_synthetic_counts():
    ind = pd.DataFrame({
        "edition": [2020] * 5, "indicator": ["x"] * 5, "value": [0.0, 3.0, None, None, 1.0],
        "status": ["observed", "observed", "below_threshold", "missing", "observed"],
        "vintage": ["current", "carried_forward", "later_vintage", "", "current"],
    })
    row = indicator_counts(ind).iloc[0]
    assert (row["observed"], row["zero"], row["below_threshold"], row["missing"]) == (3, 1, 1, 1)
    assert (row["current"], row["carried_forward"], row["later_vintage"]) == (2, 1, 1)
    assert row["cities"] == 5 and row["with_data_pct"] == pytest.approx(80.0)


def test_counts_add_up_for_every_edition_and_indicator(index):
    ind, fw = index["indicators"], index["framework"]
    n = indicator_counts(ind)
    assert len(n) == ind["edition"].nunique() * len(fw)
    assert (n["cities"] == len(index["cities"])).all()
    assert (n["observed"] + n["below_threshold"] + n["missing"] == n["cities"]).all()
    assert (n["current"] + n["carried_forward"] + n["later_vintage"] == n["observed"] + n["below_threshold"]).all()
    one = indicator_counts(ind, 2019)
    pd.testing.assert_frame_equal(one, n[n["edition"] == 2019].reset_index(drop=True))


def test_the_two_multiculturalism_shares_are_one_measure(index):
    m = measure_of(index["framework"])
    assert m["foreign_born_share"] == m["foreign_citizen_share"]
    assert m.nunique() == len(m) - 1


def test_every_published_coverage_share_is_measures_with_data_over_measures_available(index):
    """The published per-city `coverage` (cdi_core.compute) recounted from the published indicators: measures with
    data (a below-threshold mark counts, a coverage group once) over the measures the edition has at all (no ICCA
    and no Euromonitor in the pandemic editions)."""
    ind, fw = index["indicators"], index["framework"]
    available = measures_available(ind, fw)
    assert available[2020] < available[2019] == fw["indicator"].map(measure_of(fw)).nunique()
    have = ind[ind["status"] != "missing"].assign(measure=lambda f: f["indicator"].map(measure_of(fw)))
    n = have.groupby(["city_id", "edition"])["measure"].nunique()
    s = index["scores"]
    s = s[s["pillar"] == "index"].set_index(["city_id", "edition"])["coverage"]
    recount = (n.reindex(s.index, fill_value=0) / s.index.get_level_values("edition").map(available).to_numpy())
    assert (recount - s).abs().max() < 1e-12
