"""Eurostat tourist nights (urb_ctour): real-data facts and upstream-format failures."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import eurostat_tourism as et
from cdi_core.sources import tourism_series
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return et.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "year"])


def _raw(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / et.RAW_PATH, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, tmp_path, raw_dir=None):
    path = tmp_path / et.RAW_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    if raw_dir is not None:  # the NUTS 3 nights decide which years of this series a city keeps
        (tmp_path / tourism_series.NIGHTS_PATH).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(raw_dir / tourism_series.NIGHTS_PATH, tmp_path / tourism_series.NIGHTS_PATH)
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
    res = et.read(_write(pd.concat([df, extra]), tmp_path, raw_dir), registry)
    o = res.observations.set_index(["city_id", "year"])
    assert o.loc[("budapest", 2019), "value"] == 123.0
    assert ("budapest", 2018) not in o.index  # the greater-city code is no longer used
    assert res.unmatched.loc[res.unmatched["name"] == "HU001C", "country_iso2"].tolist() == ["HU"]


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


def test_flags_estimated_and_wider_area(result, obs):
    o = result.observations
    e_flagged = o[o["note"].str.contains(r"Eurostat flag [a-z]*e", regex=True)]
    assert len(e_flagged) and e_flagged["flags"].str.contains("estimated").all()
    assert not o[~o.index.isin(e_flagged.index)]["flags"].str.contains("estimated").any()
    assert obs.loc[("madrid", 2019), "flags"] == "area_wider"  # 'Madrid (greater city)'
    assert obs.loc[("warsaw", 2019), "flags"] == ""  # city code
    # labelled greater city, but reviewed as the city (cdi_core/reference/tourist_nights_areas.csv)
    for city in ("budapest", "bratislava", "brussels"):
        assert obs.loc[(city, 2018), "flags"] == "", city
    assert "reviewed" in obs.loc[("budapest", 2019), "note"]


def test_one_series_per_city_keeps_years_before_the_nuts3_series(obs, result):
    assert ("budapest", 2019) in obs.index and ("budapest", 2020) not in obs.index  # NUTS 3 HU110 from 2020
    assert "-0.7 %" in obs.loc[("budapest", 2019), "note"]  # measured difference in the overlap year
    assert ("bratislava", 2020) in obs.index  # SK010 is the region: the city series stays
    assert not any(c == "paris" for c, _ in obs.index)  # greater city, another area than NUTS 3 FR101 Paris
    assert result.unmatched["name"].str.startswith("FR001C").sum() >= 5


def test_every_reported_row_names_its_country(result):
    # the country is in the Urban Audit code (EL is Greece), also for values set aside by the one-series rule
    um = result.unmatched
    assert (um["country_iso2"] != "").all()
    assert set(um.loc[um["name"].str.startswith("FR001C"), "country_iso2"]) == {"FR"}
