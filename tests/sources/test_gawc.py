"""GaWC tiers as ordinal levels: real-data facts and upstream-format failures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import gawc
from cdi_core.sources.base import OBS_COLUMNS, STATUS_BELOW_THRESHOLD, STATUS_OBSERVED


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return gawc.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "year"])


def test_shape_sources_and_uniqueness(result, registry):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}
    # 2024 is complete: every reference city has a 2024 row, measured or below the threshold.
    assert set(o.loc[o["year"] == 2024, "city_id"]) == set(registry.city_ids())
    assert o.loc[o["status"] == STATUS_OBSERVED, "value"].between(1, 12).all()
    credits = {s.attribution for s in result.sources}
    assert "GaWC, The World According to GaWC 2024" in credits and all(s.producer.startswith("GaWC") for s in
                                                                        result.sources)


def test_focus_cities(obs):
    assert obs.loc[("warsaw", 2024), "value"] == 10 and obs.loc[("warsaw", 2008), "value"] == 9  # Alpha, Alpha-
    assert obs.loc[("vienna", 2024), "value"] == 9  # Alpha-
    assert obs.loc[("prague", 2024), "value"] == 8 and obs.loc[("prague", 2020), "value"] == 9  # Beta+, Alpha-
    assert obs.loc[("budapest", 2024), "value"] == 8
    assert obs.loc[("bratislava", 2024), "value"] == 6  # Beta-
    assert obs.loc[("kyiv", 2024), "value"] == 7  # listed as Kyiv (GaWC: Kiev)


def test_partial_editions_leave_absence_missing(obs):
    assert ("bratislava", 2020) not in obs.index and ("bratislava", 2018) not in obs.index
    assert "Alpha levels" in obs.loc[("prague", 2018), "note"]


def test_below_threshold_only_in_2024(result, obs):
    below = result.observations[result.observations["status"] == STATUS_BELOW_THRESHOLD]
    assert set(below["year"]) == {2024} and below["value"].isna().all()
    row = obs.loc[("brno", 2024)]
    assert row["status"] == STATUS_BELOW_THRESHOLD and math.isnan(row["value"])
    assert "below Sufficiency" in row["note"]


def test_notes_carry_transcription_and_check_flags(result, obs):
    o = result.observations
    assert o.loc[o["year"] == 2024, "note"].str.contains("third-party transcription").all()
    assert "CHECK:" in obs.loc[("budapest", 2020), "note"]
    assert "CHECK:" not in obs.loc[("budapest", 2024), "note"]


def test_country_decides_between_namesakes(result, obs):
    assert obs.loc[("birmingham", 2024), "value"] == 4  # Birmingham GB is Gamma; Birmingham US is Sufficiency
    um = result.unmatched
    assert ((um["name"] == "Birmingham") & (um["country_iso2"] == "US")).any()
    assert ((um["name"] == "San Jose") & (um["country_iso2"] == "US")).any()
    assert obs.loc[("san-jose", 2024), "value"] == 4  # San José, Costa Rica


def _copy(raw_dir, tmp_path) -> tuple[pd.DataFrame, object]:
    df = pd.read_csv(raw_dir / gawc.PATH, dtype=str, keep_default_na=False)
    (tmp_path / gawc.PATH).parent.mkdir(parents=True)
    return df, tmp_path / gawc.PATH


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    df.drop(columns=["tier"]).to_csv(path, index=False)
    with pytest.raises(InputError, match="gawc_classification_full.csv.*expected columns are missing.*tier"):
        gawc.read(tmp_path, registry)


def test_unknown_tier_fails(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    df.loc[3, "tier"] = "Alpha+++"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"gawc_classification_full.csv, row 5: unknown GaWC tier"):
        gawc.read(tmp_path, registry)


def test_incomplete_2024_roster_fails(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    df.drop(index=10).to_csv(path, index=False)
    with pytest.raises(InputError, match="gawc_classification_full.csv: the complete 2024 list should have 335"):
        gawc.read(tmp_path, registry)
