"""ICCA association meetings: real-data facts and upstream-format failures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import icca
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return icca.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "year"])


def _raw(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / icca.RAW_PATH, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, tmp_path):
    path = tmp_path / icca.RAW_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return tmp_path


def test_shape_sources_uniqueness(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}


def test_complete_top_lists(result, raw_dir):
    o = result.observations
    marked = set(o.loc[o["status"] == "below_threshold", "year"])
    assert marked == {2011, 2014, 2018, 2019, 2022, 2023, 2024}
    df = icca.read_table(raw_dir)
    found = {y: icca.complete_top(g) for y, g in df[df["ranking_source"] == "ICCA"].groupby("year")}
    sizes = {y: f[0] for y, f in found.items() if f}
    assert sizes[2014] == 20 and sizes[2018] == 20 and sizes[2024] == 10


def test_focus_cities(obs):
    assert obs.loc[("vienna", 2024), "value"] == 154
    assert obs.loc[("prague", 2024), "value"] == 131
    assert obs.loc[("budapest", 2018), "value"] == 100 and "tied" in obs.loc[("budapest", 2018), "note"]
    assert obs.loc[("warsaw", 2016), "value"] == 71  # Polish national list: observed only
    row = obs.loc[("bratislava", 2018)]
    assert row["status"] == "below_threshold" and math.isnan(row["value"])
    assert "top 20" in row["note"] and "100 meetings" in row["note"]
    assert obs.loc[("budapest", 2024), "status"] == "below_threshold"
    assert "111 meetings" in obs.loc[("budapest", 2024), "note"]


def test_rank_without_count_is_not_a_value(obs):
    # Madrid 2024 has rank 11 and no count: below the top 10, no measured value
    assert obs.loc[("madrid", 2024), "status"] == "below_threshold"


def test_uia_not_used(obs):
    assert obs.loc[("brussels", 2023), "status"] == "below_threshold"  # UIA's 620 for Brussels is not ICCA's


def test_national_years_mark_nobody(result):
    o = result.observations
    assert not ((o["year"].isin([2015, 2016])) & (o["status"] == "below_threshold")).any()


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir).drop(columns=["meetings"])
    with pytest.raises(InputError, match=r"icca_meetings\.csv.*expected columns are missing.*meetings"):
        icca.read(_write(df, tmp_path), registry)


def test_bad_count_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[2, "meetings"] = "about 140"
    with pytest.raises(InputError, match=r"icca_meetings\.csv, row 4: meetings is not a whole number"):
        icca.read(_write(df, tmp_path), registry)


def test_unknown_ranking_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[0, "ranking_source"] = "ICCA-2"
    with pytest.raises(InputError, match=r"unknown ranking_source"):
        icca.read(_write(df, tmp_path), registry)
