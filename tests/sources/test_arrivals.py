"""Euromonitor international arrivals: real-data facts and upstream-format failures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import arrivals
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return arrivals.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "year"])


def _raw(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / arrivals.RAW_PATH, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, tmp_path):
    path = tmp_path / arrivals.RAW_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return tmp_path


def test_shape_sources_uniqueness(result, registry):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}
    in_2018 = o[o["year"] == 2018]
    assert len(in_2018) == len(registry.city_ids())  # each reference city: a value or a below-threshold mark


def test_focus_cities(obs):
    assert obs.loc[("budapest", 2018), "value"] == 3_822_800
    assert obs.loc[("vienna", 2018), "value"] == 6_410_300
    assert obs.loc[("prague", 2019), "value"] == 9_150_000
    assert "in-year estimate" in obs.loc[("prague", 2019), "note"]
    assert obs.loc[("warsaw", 2018), "value"] == 2_850_000
    assert "doubtful" in obs.loc[("warsaw", 2018), "note"]


def test_bratislava_below_threshold(obs):
    row = obs.loc[("bratislava", 2018)]
    assert row["status"] == "below_threshold" and math.isnan(row["value"])
    assert "top 100" in row["note"] and "2,255,300" in row["note"]  # Krabi, rank 100


def test_latest_edition_wins(obs):
    # Dec 2018 in-year estimate 16.9 M is superseded by the Dec 2019 edition's 17,560,200
    assert obs.loc[("paris", 2018), "value"] == 17_560_200


def test_no_mastercard_and_no_marks_from_top10(result):
    o = result.observations
    assert not o["note"].str.contains("Mastercard").any()
    assert set(o.loc[o["status"] == "below_threshold", "year"]) == {2018}
    assert "vienna" not in set(o.loc[o["year"] == 2016, "city_id"])  # Vienna 2016 is a Mastercard figure only


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir).rename(columns={"ranking_source": "source"})
    with pytest.raises(InputError, match=r"tourism_arrivals\.csv.*expected columns are missing.*ranking_source"):
        arrivals.read(_write(df, tmp_path), registry)


def test_bad_number_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[3, "international_arrivals"] = "20.4 million"
    with pytest.raises(InputError, match=r"tourism_arrivals\.csv, row 5: international_arrivals is not a whole"):
        arrivals.read(_write(df, tmp_path), registry)


def test_incomplete_top100_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df = df[~((df["year"] == "2018") & (df["rank"].isin(["99.0", "100.0", "99", "100"])))]
    with pytest.raises(InputError, match=r"no longer a complete top 100"):
        arrivals.read(_write(df, tmp_path), registry)
