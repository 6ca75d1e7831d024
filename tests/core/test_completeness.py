"""Completeness of the published index: the issue's bar for the five focus cities, and the build refusing stale
documented absences."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.completeness import FOCUS, check_absences, coverage, focus_table, undocumented
from cdi_core.errors import InputError
from cdi_core.paths import INDEX_DIR
from cdi_core.spec import load_spec


@pytest.fixture(scope="module")
def index():
    return {n: pd.read_parquet(INDEX_DIR / f"{n}.parquet") for n in ("indicators", "sources", "absences")}


def test_every_focus_value_of_the_latest_edition_is_recent_or_has_a_documented_reason(index):
    latest = int(index["indicators"]["edition"].max())
    f = focus_table(index["indicators"], index["sources"], index["absences"], latest)
    assert len(f) == len(FOCUS) * index["indicators"]["indicator"].nunique()
    assert undocumented(f).empty, undocumented(f)[["city_id", "indicator", "year"]]
    recent = f[f["recent"]]
    assert (recent["title"].fillna("") != "").all()  # every recent value names its source


def test_curated_facts_reach_the_index(index):
    ind = index["indicators"].set_index(["city_id", "edition", "indicator"])
    assert ind.loc[("warsaw", 2025, "icca_meetings"), "value"] == 53
    assert ind.loc[("budapest", 2025, "foreign_citizen_share"), "year"] == 2022


def test_focus_capitals_tourist_nights_are_2024_eurostat_city_values(index):
    """Audit: Budapest, Warsaw and Bratislava carried 2020 (pandemic) nights into 2025 while Vienna showed 2024."""
    ind = index["indicators"].set_index(["city_id", "edition", "indicator"])
    for city, value in [("budapest", 10_922_488), ("warsaw", 8_021_740), ("vienna", 18_175_943),
                        ("prague", 18_279_256)]:
        row = ind.loc[(city, 2025, "tourist_nights")]
        assert (row["value"], row["year"], row["source_id"]) == (value, 2024, "eurostat_tour_occ_nin2"), city
    # Bratislava's only later figure is the wider region SK010, and its 2020 (pandemic) city value is not carried
    assert ind.loc[("bratislava", 2025, "tourist_nights"), "status"] == "missing"
    assert ind.loc[("bratislava", 2020, "tourist_nights"), "year"] == 2020


def test_coverage_counts_every_reference_city_once(index):
    cov = coverage(index["indicators"])
    n = index["indicators"]["city_id"].nunique()
    assert ((cov["observed"] + cov["below_threshold"] + cov["missing"]) == n).all()
    assert (cov["recent"] <= cov["observed"] + cov["below_threshold"]).all()


def test_a_stale_absence_stops_the_build(index):
    stale = pd.DataFrame([{"city_id": "vienna", "indicator": "tourist_nights", "edition": "2025",
                           "reason": "x", "searched": "y", "checked": "2026-12-01"}])
    with pytest.raises(InputError, match="stale absence") as exc:
        check_absences(stale, index["indicators"], load_spec(), "tables/absences.csv")
    assert exc.value.row == 1
