"""Fortune Global 500 HQs per metro area, lists 2019 and 2024: real-data facts, the publication rule, the alias
join, the licence-safe side table and upstream-format failures."""

from __future__ import annotations

import shutil

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
    return result.observations.set_index(["city_id", "year"])["value"]


@pytest.fixture(scope="module")
def table(result) -> pd.DataFrame:
    return result.tables["global500_hq"]


def test_shape_sources_and_uniqueness(result, registry, table):
    obs = result.observations
    assert list(obs.columns) == OBS_COLUMNS
    assert set(obs["year"]) == {2019, 2024} and set(obs["status"]) == {STATUS_OBSERVED}
    assert not obs.duplicated(["city_id", "indicator", "year"]).any()
    ids = {s.source_id for s in result.sources}
    assert set(obs["source_id"]) <= ids and set(table["source_id"]) <= ids
    assert set(obs["city_id"]) <= set(registry.city_ids())


def test_side_table_carries_no_fortune_ranks_or_revenues(table):
    assert list(table.columns) == ["city_id", "year", "company", "hq_town", "source_id"]
    assert not {"rank", "revenue", "revenues_musd", "hq_as_stated"} & set(table.columns)


def test_counts_add_up_to_the_side_table(value, table):
    per = table.groupby(["city_id", "year"]).size()
    assert (value[value > 0].sort_index() == per.sort_index().astype(float)).all()
    assert value.sum() == len(table)


def test_suburbs_count_for_their_metro(value, table):
    t19 = table[table["year"] == 2019].set_index("company")
    assert value[("paris", 2019)] == 29 and t19.loc["Total", "city_id"] == "paris"  # Courbevoie
    assert value[("chicago", 2019)] == 8 and t19.loc["Walgreens Boots Alliance", "city_id"] == "chicago"  # Deerfield
    assert t19.loc["GlaxoSmithKline", "city_id"] == "london"  # Brentford (reference/hq_places.csv)
    assert value[("melbourne", 2019)] == 3  # Docklands 2 + Melbourne 1
    assert "Cigna" not in t19.index  # Bloomfield, Conn. - not the Bloomfield in New Jersey beside New York


def test_alias_joins_a_renamed_firm_to_its_2019_hq(table):
    t24 = table[table["year"] == 2024].set_index("company")
    assert t24.loc["TotalEnergies", "city_id"] == "paris"  # alias of Total (Courbevoie, 2019)
    assert t24.loc["TotalEnergies", "hq_town"] == "Courbevoie"
    assert t24.loc["JPMorgan Chase", "city_id"] == "new-york-city"  # 'JPMorgan Chase & Co.' in 2019


def test_a_cited_move_replaces_the_2019_hq(table):
    t = table.set_index(["company", "year"])
    assert t.loc[("Boeing", 2019), "city_id"] == "chicago" and t.loc[("Boeing", 2024), "city_id"] == "washington-d-c"


def test_countries_with_unplaced_firms_are_withheld_not_zero(result, value):
    cities = result.observations
    y24 = set(cities.loc[cities["year"] == 2024, "city_id"])
    assert "beijing" not in y24 and "hong-kong" not in y24  # Fortune's 'China' (incl. Hong Kong) has unplaced firms
    assert "london" not in y24  # two British firms not placed
    um = result.unmatched
    assert um["name"].str.fullmatch("CN 2024").any() and um["name"].str.fullmatch("GB 2024").any()
    assert value[("beijing", 2019)] == 56 and ("qingdao", 2019) not in value.index  # Shandong-only HQs: Qingdao only


def test_incomplete_list_years_are_never_published(result):
    assert not result.observations["year"].isin([2022, 2023]).any()
    reasons = result.unmatched.set_index("name")["reason"]
    assert "only 430 of 500" in reasons["list year 2022"] and "only 430 of 500" in reasons["list year 2023"]


def test_focus_cities(value, table):
    assert value[("vienna", 2019)] == 1 and value[("vienna", 2024)] == 1  # OMV
    for city in ("budapest", "prague", "warsaw", "bratislava"):
        assert value[(city, 2019)] == 0 and value[(city, 2024)] == 0  # complete for their countries: true zeros
    assert "Orlen" not in set(table["company"])  # Płock: no reference city within 40 km


def _firm(year, company, iso2, city_id, placed, withhold=None):
    return {"year": year, "company": company, "iso2": iso2, "town": "X", "city_id": city_id, "placed": placed,
            "how": "HQ town is the reference city" if placed else "not found", "how_known": "", "withhold": withhold,
            "source_id": "s", "source_file": "f", "row": 2}


def test_an_unplaced_firm_withholds_its_country_instead_of_counting_zero(registry):
    firms = pd.DataFrame([_firm(2024, "A", "JP", "tokyo", True),
                          _firm(2024, "B", "JP", None, False, {"groups": {"JP"}})])
    res = global500.publish(firms, registry, {2024: True}, [], "s19", "s24")
    obs = res.observations.set_index("city_id")["value"]
    assert "tokyo" not in obs.index and "yokohama" not in obs.index  # withheld: missing, not 1 and not 0
    assert obs["paris"] == 0  # France: every firm placed, so the zero is true
    assert res.unmatched["name"].str.fullmatch("JP 2024").any()
    assert res.tables["global500_hq"].empty


def test_a_firm_of_unknown_country_withholds_the_whole_year(registry):
    firms = pd.DataFrame([_firm(2024, "A", "JP", "tokyo", True), _firm(2024, "C", None, None, False, {"all": True})])
    res = global500.publish(firms, registry, {2024: True}, [], "s19", "s24")
    assert res.observations.empty


def test_hq_places_rows_name_their_source():
    places = pd.read_csv(global500.HQ_PLACES_PATH, dtype=str, keep_default_na=False)
    assert (places["source"].str.len() > 10).all()


def test_curated_tables_cite_every_row():
    aliases = pd.read_csv(global500.CURATED_DIR / global500.ALIASES_FILE, dtype=str, keep_default_na=False)
    new = pd.read_csv(global500.CURATED_DIR / global500.NEW_HQ_FILE, dtype=str, keep_default_na=False)
    assert aliases["source_url"].str.startswith("http").all() and (aliases["reason"].str.len() > 10).all()
    assert new["source_url"].str.startswith("http").all() and new["source_title"].str.len().gt(5).all()


def _copy(raw_dir, tmp_path):
    for rel in (global500.RAW_PATH, global500.CURATED_PATH, global500.LATER_PATH, global500.FULL_PATH):
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


def test_new_country_in_the_2022_2024_file_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / global500.LATER_PATH
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[9, "Country"] = "Atlantis"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"fortune500_data.csv, row 11: upstream format changed: country not in"):
        global500.read(tmp_path, registry)


def test_renamed_column_of_the_2024_list_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / global500.FULL_PATH
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Name,", "Company,", 1), encoding="utf-8")
    with pytest.raises(InputError, match="World_best_Company_details.csv.*expected columns are missing.*Name"):
        global500.read(tmp_path, registry)


def test_duplicate_rank_in_the_2024_list_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / global500.FULL_PATH
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[1, "Rank"] = "1"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match="World_best_Company_details.csv.*ranks are not 1-500"):
        global500.read(tmp_path, registry)


def test_alias_to_a_firm_not_on_the_2019_list_fails(raw_dir, registry, tmp_path):
    curated = tmp_path / "curated_project"
    shutil.copytree(global500.CURATED_DIR, curated)
    path = curated / global500.ALIASES_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[2, "name_2019"] = "No Such Company"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"global500_aliases.csv, row 4: name_2019 is not a company of the 2019"):
        global500.read(raw_dir, registry, curated)
