"""Indicator coverage (explorer.views.methodology.coverage): the counts are cdi_core's, in framework order with
names, and add
up and match the published indicators table."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.completeness import COUNT_COLUMNS, indicator_counts
from explorer.views.methodology import tables as mp
from explorer.views.methodology.coverage import indicator_coverage


def test_synthetic_counts():
    ind = pd.DataFrame({
        "edition": [2020] * 5, "indicator": ["x"] * 5, "value": [0.0, 3.0, None, None, 1.0],
        "status": ["observed", "observed", "below_threshold", "missing", "observed"],
        "vintage": ["current", "carried_forward", "later_vintage", "", "current"],
    })
    row = indicator_coverage(ind).iloc[0]
    assert (row["observed"], row["zero"], row["below_threshold"], row["missing"]) == (3, 1, 1, 1)
    assert (row["current"], row["carried_forward"], row["later_vintage"]) == (2, 1, 1)
    assert row["cities"] == 5 and row["with_data_pct"] == pytest.approx(80.0)


def test_counts_add_up_for_every_edition(data):
    cov = indicator_coverage(data.indicators, framework=data.framework)
    assert len(cov) == len(data.editions) * len(data.framework)
    assert (cov["cities"] == len(data.cities)).all()
    assert (cov["observed"] + cov["below_threshold"] + cov["missing"] == cov["cities"]).all()
    assert (cov["current"] + cov["carried_forward"] + cov["later_vintage"]
            == cov["observed"] + cov["below_threshold"]).all()
    assert (cov["zero"] <= cov["observed"]).all()
    assert list(cov[cov["edition"] == 2019]["indicator"]) == list(data.framework["indicator"])


def test_one_edition_matches_a_direct_count(data):
    edition = max(data.editions)
    cov = indicator_coverage(data.indicators, edition=edition).set_index("indicator")
    i = data.indicators[(data.indicators["edition"] == edition)]
    for indicator, rows in i.groupby("indicator"):
        counts = rows["status"].value_counts()
        assert cov.at[indicator, "observed"] == counts.get("observed", 0)
        assert cov.at[indicator, "below_threshold"] == counts.get("below_threshold", 0)
        assert cov.at[indicator, "missing"] == counts.get("missing", 0)
        assert cov.at[indicator, "zero"] == int(((rows["status"] == "observed") & (rows["value"] == 0)).sum())


def test_the_pages_coverage_table_is_cdi_cores_count(data):
    """The explorer only orders and names the rows: every number of the methodology page's coverage table, in every
    edition, is cdi_core.completeness.indicator_counts'."""
    for edition in data.editions:
        shown = mp.coverage(data, edition)
        core = indicator_counts(data.indicators, edition)
        assert list(shown["indicator"]) == list(data.framework["indicator"])
        cols = ["edition", "indicator", "cities", *COUNT_COLUMNS, "with_data_pct"]
        pd.testing.assert_frame_equal(shown[cols].sort_values("indicator").reset_index(drop=True),
                                      core[cols].reset_index(drop=True))
