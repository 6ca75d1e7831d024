"""UNESCO Creative Cities membership: real-data facts and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import creative_cities as cc
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return cc.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "year"])


def _raw(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / cc.RAW_PATH, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, tmp_path):
    path = tmp_path / cc.RAW_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return tmp_path


def test_shape_sources_uniqueness(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}
    assert (o["status"] == "observed").all() and o["year"].between(2019, 2024).all()


def test_focus_cities(obs):
    for city, year in (("prague", 2014), ("budapest", 2015), ("krakow", 2013)):
        assert obs.loc[(city, 2019), "value"] == 1 and obs.loc[(city, 2024), "value"] == 1
        assert f"designated {year}" in obs.loc[(city, 2024), "note"]
    for city in ("bratislava", "vienna", "warsaw"):  # Bratislava is not a member (Košice is)
        assert obs.loc[(city, 2024), "value"] == 0
        assert "not on the complete list" in obs.loc[(city, 2024), "note"]
        # a true zero in every year of the complete list, not only its own (no departures are recorded)
        assert [obs.loc[(city, y), "value"] for y in range(2019, 2025)] == [0] * 6
        assert "no departures recorded" in obs.loc[(city, 2019), "note"]


def test_dated_member_zero_before_designation(obs):
    # Caracas (blank country in the file; VE from UNESCO's description in the reviewed table) designated 2023
    assert obs.loc[("caracas", 2022), "value"] == 0
    assert "not yet designated" in obs.loc[("caracas", 2022), "note"]
    assert obs.loc[("caracas", 2023), "value"] == 1


def test_undated_member_from_2021(obs):
    assert ("salvador", 2020) not in obs.index
    assert obs.loc[("salvador", 2021), "value"] == 1
    assert "member by 2021 at the latest" in obs.loc[("salvador", 2021), "note"]


def test_london_music_is_london_ontario(obs, result):
    # UNESCO's "London" (Music) is London, Canada: London, GB is not a member, a true zero of the 2024 list
    assert obs.loc[("london", 2024), "value"] == 0
    assert "not on the complete list" in obs.loc[("london", 2024), "note"]
    reported = result.unmatched.set_index("name")
    assert reported.loc["London", "country_iso2"] == "CA"  # reported as a big city outside the reference set


def test_a_row_without_country_is_never_matched_by_name(raw_dir, registry, tmp_path):
    # Without the reviewed decision, "London" is not guessed: London, GB gets no value rather than a maybe-false 0
    countries = pd.read_csv(cc.COUNTRIES_PATH, dtype=str, keep_default_na=False)
    path = tmp_path / "countries.csv"
    countries[countries["city"] != "London"].to_csv(path, index=False)
    res = cc.read(raw_dir, registry, countries_path=path)
    assert "london" not in set(res.observations["city_id"])
    reason = res.unmatched.set_index("name").loc["London", "reason"]
    assert "not matched by name alone" in reason and "no value for london" in reason
    # ...and the same holds for Valencia, which no reviewed decision places (Valencia, ES gets no value)
    assert "valencia" not in set(res.observations["city_id"])


def test_a_stale_country_decision_stops_the_ingest(raw_dir, registry, tmp_path):
    countries = pd.read_csv(cc.COUNTRIES_PATH, dtype=str, keep_default_na=False)
    path = tmp_path / "countries.csv"
    extra = countries.iloc[[0]].assign(city="Prague", creative_field="Literature", country_iso2="CZ")
    pd.concat([countries, extra]).to_csv(path, index=False)
    with pytest.raises(InputError, match=rf"countries\.csv, row {len(countries) + 2}: the member row already has"):
        cc.read(raw_dir, registry, countries_path=path)


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir).drop(columns=["designation_year"])
    with pytest.raises(InputError, match=r"network_unesco_creative_cities\.csv.*expected columns are missing"):
        cc.read(_write(df, tmp_path), registry)


def test_unknown_field_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[0, "creative_field"] = "Architecture"
    with pytest.raises(InputError, match=r"network_unesco_creative_cities\.csv, row 2: unknown creative_field"):
        cc.read(_write(df, tmp_path), registry)


def test_bad_year_fails(raw_dir, registry, tmp_path):
    df = _raw(raw_dir)
    df.loc[1, "designation_year"] = "c. 2015"
    with pytest.raises(InputError, match=r"row 3: designation_year is not a year"):
        cc.read(_write(df, tmp_path), registry)
