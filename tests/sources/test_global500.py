"""Fortune Global 500 HQs per metro area: real-data facts and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import global500
from cdi_core.sources.base import OBS_COLUMNS, STATUS_OBSERVED


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return global500.read(raw_dir, registry)


@pytest.fixture(scope="module")
def value(result) -> pd.Series:
    return result.observations.set_index("city_id")["value"]


def test_shape_sources_and_uniqueness(result, registry):
    obs = result.observations
    assert list(obs.columns) == OBS_COLUMNS
    assert len(obs) == len(registry.city_ids())
    assert set(obs["year"]) == {2019} and set(obs["status"]) == {STATUS_OBSERVED}
    assert not obs.duplicated(["city_id", "indicator", "year"]).any()
    ids = {s.source_id for s in result.sources}
    assert set(obs["source_id"]) <= ids and set(result.tables["global500_hq"]["source_id"]) <= ids
    assert result.sources[0].attribution == "Fortune Global 500, 2019"


def test_counts_add_up_to_the_side_table(result, value):
    table = result.tables["global500_hq"]
    assert value.sum() == len(table)
    assert not table["rank"].duplicated().any()
    assert list(table.columns) == ["city_id", "company", "rank", "hq_as_stated", "source_id"]


def test_suburbs_count_for_their_metro(result, value):
    table = result.tables["global500_hq"].set_index("company")
    assert value["paris"] == 29  # 18 in Paris + Courbevoie 3, Rueil-Malmaison 3, Massy, St-Denis, Clichy, ...
    assert table.loc["Total", "city_id"] == "paris" and "Courbevoie" in table.loc["Total", "hq_as_stated"]
    assert value["chicago"] == 8 and table.loc["Walgreens Boots Alliance", "city_id"] == "chicago"  # Deerfield
    assert table.loc["BP", "city_id"] == "london"  # London itself
    assert table.loc["GlaxoSmithKline", "city_id"] == "london"  # Brentford (reference/hq_places.csv)
    assert table.loc["International Airlines Group", "city_id"] == "london"  # Harmondsworth
    assert table.loc["National Australia Bank", "city_id"] == "melbourne"  # Docklands
    assert value["melbourne"] == 3  # Docklands 2 + Melbourne 1


def test_us_state_decides_between_same_named_towns(result):
    table = result.tables["global500_hq"].set_index("company")
    assert "Cigna" not in table.index  # Bloomfield, Conn. - not the Bloomfield in New Jersey beside New York


def test_focus_cities(value, result):
    assert value["vienna"] == 1  # OMV
    for city in ("budapest", "prague", "warsaw", "bratislava"):
        assert value[city] == 0  # complete list: a true zero
    note = result.observations.set_index("city_id").loc["warsaw", "note"]
    assert "true zero" in note


def test_provinces_are_reported(result):
    um = result.unmatched
    provinces = um[um["reason"].str.contains("province")]
    assert set(provinces["name"]) == {"Shandong", "Gyeonggi", "Jeollanam-do"} and len(provinces) == 4


def test_hq_places_rows_name_their_source():
    places = pd.read_csv(global500.HQ_PLACES_PATH, dtype=str, keep_default_na=False)
    assert (places["source"].str.len() > 10).all()


def _copy(raw_dir, tmp_path):
    for rel in (global500.RAW_PATH, global500.CURATED_PATH):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((raw_dir / rel).read_bytes())


def test_renamed_raw_column_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / global500.RAW_PATH
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("HQ Location", "Headquarters", 1), encoding="utf-8")
    with pytest.raises(InputError, match="Fortune-Global-2019.tsv.*expected columns are missing.*HQ Location"):
        global500.read(tmp_path, registry)


def test_short_curated_table_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / global500.CURATED_PATH
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.iloc[:-1].to_csv(path, index=False)
    with pytest.raises(InputError, match="global500_hq.csv.*row count outside the documented range"):
        global500.read(tmp_path, registry)


def test_curated_company_out_of_step_with_raw_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / global500.CURATED_PATH
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[4, "company"] = "Not A Company"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"global500_hq.csv, row 6: company does not match the raw Fortune file"):
        global500.read(tmp_path, registry)
