"""Foreign-born and foreign-citizen shares: real-data facts, precedence rules and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import foreign_residents as fr
from cdi_core.sources.base import OBS_COLUMNS, STATUS_OBSERVED


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return fr.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index(["city_id", "indicator", "year"])


def test_shape_sources_and_uniqueness(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert set(o["indicator"]) == {"foreign_born_share", "foreign_citizen_share"}
    assert set(o["status"]) == {STATUS_OBSERVED} and o["value"].between(0, 100).all()
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    sources = {s.source_id: s for s in result.sources}
    assert set(o["source_id"]) <= set(sources)
    eurostat = [s for s in sources.values() if s.producer == "Eurostat"]
    assert len(eurostat) == 1 and "acknowledgement" in eurostat[0].licence


def test_vienna(obs):
    assert obs.loc[("vienna", "foreign_citizen_share", 2024), "value"] == 35.4
    assert obs.loc[("vienna", "foreign_born_share", 2024), "value"] == 40.2
    assert obs.loc[("vienna", "foreign_citizen_share", 2019), "value"] == 30.2  # from the focus file


def test_budapest_and_bratislava(obs):
    row = obs.loc[("budapest", "foreign_born_share", 2023)]
    assert row["value"] == 12.35 and row["note"].startswith("Eurostat greater city; foreign-born / population")
    assert "derived" in row["note"]
    assert not any(k[0] == "budapest" and k[1] == "foreign_citizen_share" for k in obs.index)  # counts only
    # The city (districts I-V, derived) beats the wider region (printed) of the same census.
    bratislava = obs.loc[("bratislava", "foreign_citizen_share", 2021)]
    assert bratislava["value"] == 3.24 and "2.72%" in bratislava["note"]


def test_prague_precedence(obs):
    # Census share printed by CSU beats the register share we derived; the early 13.6% release is superseded.
    row = obs.loc[("prague", "foreign_citizen_share", 2021)]
    assert row["value"] == 13.9 and "18.52%" in row["note"]
    assert obs.loc[("prague", "foreign_citizen_share", 2018), "value"] == 15.71  # derived, the only figure
    approx = obs.loc[("prague", "foreign_citizen_share", 2022)]
    assert approx["value"] == 25.0 and "APPROXIMATE" in approx["note"]
    assert obs.loc[("prague", "foreign_born_share", 2021), "value"] == 15.6


def test_warsaw_has_almost_nothing(result):
    o = result.observations
    warsaw = o[o["city_id"] == "warsaw"]
    assert len(warsaw) == 1 and warsaw.iloc[0]["year"] == 2015 and warsaw.iloc[0]["value"] == 1.3


def test_national_rows_lower_bounds_and_origin_are_left_out(result, obs):
    o = result.observations
    assert not o["city_id"].isin(["valletta", "podgorica"]).any()  # national figures only
    assert "copenhagen" not in set(o["city_id"])  # only foreign-origin figures
    dropped = result.tables["foreign_residents_dropped"]
    assert (dropped["why"] == "area is a whole country, not the city").sum() == 4
    assert obs.loc[("reykjavik", "foreign_citizen_share", 2024), "value"] == 21.0  # APPROXIMATE kept
    assert obs.loc[("athens", "foreign_citizen_share", 2001), "value"] == 17.42  # municipality beats prefecture


def test_council_area_is_not_folded_into_a_town(obs):
    # Eurostat's "North Lanarkshire (Airdrie/Bellshill/...)" is a council area, not a reference city
    assert "bellshill" not in set(obs.reset_index()["city_id"])


def _copy(raw_dir, tmp_path):
    for rel in (fr.SHARE_PATH, fr.FOCUS_PATH):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((raw_dir / rel).read_bytes())
    return tmp_path / fr.SHARE_PATH, tmp_path / fr.FOCUS_PATH


def test_missing_column_fails(raw_dir, registry, tmp_path):
    share, _ = _copy(raw_dir, tmp_path)
    df = pd.read_csv(share, dtype=str, keep_default_na=False)
    df.rename(columns={"pct_derived": "derived"}).to_csv(share, index=False)
    with pytest.raises(InputError, match="foreign_born_share.csv.*expected columns are missing.*pct_derived"):
        fr.read(tmp_path, registry)


def test_unknown_measure_fails(raw_dir, registry, tmp_path):
    _, focus = _copy(raw_dir, tmp_path)
    df = pd.read_csv(focus, dtype=str, keep_default_na=False)
    df.loc[2, "measure"] = "migrant_pct"
    df.to_csv(focus, index=False)
    with pytest.raises(InputError, match=r"foreign_population_focus.csv, row 4: unknown measure"):
        fr.read(tmp_path, registry)


def test_unparseable_share_fails(raw_dir, registry, tmp_path):
    share, _ = _copy(raw_dir, tmp_path)
    df = pd.read_csv(share, dtype=str, keep_default_na=False)
    df.loc[0, "foreign_born_pct"] = "about 45"
    df.to_csv(share, index=False)
    with pytest.raises(InputError, match=r"foreign_born_share.csv, row 2: share is not a number"):
        fr.read(tmp_path, registry)


def test_quality_flags(result, obs):
    o = result.observations
    assert obs.loc[("augsburg", "foreign_born_share", 2017), "flags"] == "estimated;derived"  # Eurostat 'e'
    e_noted = o["note"].str.contains(r"(?:foreign-born|population) value flag: e", regex=True)
    assert (o[e_noted]["flags"].str.contains("estimated")).all()
    assert not o[~e_noted]["flags"].str.contains("estimated").any()
    assert obs.loc[("bratislava", "foreign_citizen_share", 2019), "flags"] == "approximate;year_inferred"
    assert obs.loc[("prague", "foreign_citizen_share", 2022), "flags"] == "approximate"
    assert obs.loc[("budapest", "foreign_born_share", 2020), "flags"] == "derived;area_wider"  # greater city
    assert obs.loc[("vienna", "foreign_born_share", 2024), "flags"] == ""  # printed, city
