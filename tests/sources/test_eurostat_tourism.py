"""Eurostat tourist nights (urb_ctour): real-data facts and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import eurostat_tourism as et
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return et.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "year"])


def _raw(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / et.RAW_PATH, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, tmp_path):
    path = tmp_path / et.RAW_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return tmp_path


def test_shape_sources_uniqueness(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}
    assert (o["status"] == "observed").all() and o["value"].notna().all() and (o["value"] > 0).all()
    assert o["year"].between(2015, 2024).all()


def test_v4_capitals(obs):
    assert obs.loc[("budapest", 2019), "value"] == 10_703_950
    assert "greater city" in obs.loc[("budapest", 2019), "note"]
    assert obs.loc[("warsaw", 2019), "value"] == 6_548_363  # matched via the label "Warszawa"
    assert "area: city" in obs.loc[("warsaw", 2019), "note"]
    assert obs.loc[("bratislava", 2020), "value"] == 916_148
    cities = set(obs.index.get_level_values("city_id"))
    assert "vienna" not in cities and "prague" not in cities  # no Austrian or Czech rows in the extract


def test_label_matching(obs):
    assert obs.loc[("hanover", 2019), "value"] == 2_338_758  # "Hannover" via the alias table
    assert ("helsinki", 2019) in obs.index  # bilingual label "Helsinki/Helsingfors"
    assert ("brussels", 2018) in obs.index  # "Bruxelles/Brussel (greater city)"


def test_empty_value_is_missing_not_zero(obs):
    assert ("brussels", 2019) not in obs.index  # confidential, empty in the extract


def test_flags_in_note(obs):
    assert "flag d = definition differs" in obs.loc[("bern", 2015), "note"]


def test_city_level_code_wins_over_greater_city(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    extra = df[(df["cities"] == "HU001C") & (df["TIME_PERIOD"] == "2019")].copy()
    extra["cities"], extra["Geopolitical entity (declaring)"], extra["OBS_VALUE"] = "HU900C", "Budapest", "123.0"
    res = et.read(_write(pd.concat([df, extra]), tmp_path), registry)
    o = res.observations.set_index(["city_id", "year"])
    assert o.loc[("budapest", 2019), "value"] == 123.0
    assert ("budapest", 2018) not in o.index  # the greater-city code is no longer used
    assert "HU001C" in set(res.unmatched["name"])


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir).drop(columns=["OBS_VALUE"])
    with pytest.raises(InputError, match=r"urb_ctour_page_linear_2_0\.csv.*expected columns are missing.*OBS_VALUE"):
        et.read(_write(df, tmp_path), registry)


def test_unparseable_value_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[5, "OBS_VALUE"] = "1.2 million"
    with pytest.raises(InputError, match=r"urb_ctour_page_linear_2_0\.csv, row 7: OBS_VALUE is not a number"):
        et.read(_write(df, tmp_path), registry)


def test_unknown_flag_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[0, "OBS_FLAG"] = "z"
    with pytest.raises(InputError, match=r"row 2: unknown OBS_FLAG"):
        et.read(_write(df, tmp_path), registry)


def test_row_count_fails(raw_dir, registry, tmp_path):
    with pytest.raises(InputError, match=r"row count outside the documented range"):
        et.read(_write(_raw(raw_dir).head(100), tmp_path), registry)
