"""Eurostat NUTS 3 tourist nights: only areas that are the city, one series per city, flags, producers' figures."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import eurostat_nuts3_nights as n3
from cdi_core.sources import eurostat_tourism as et
from cdi_core.sources import tourism_series as ts
from cdi_core.sources.base import FLAG_SEP, FLAGS, OBS_COLUMNS

FOCUS = ["budapest", "vienna", "prague", "warsaw", "bratislava"]


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return n3.read(raw_dir, registry)


@pytest.fixture(scope="module")
def both(raw_dir, registry, result) -> pd.DataFrame:
    """What the ingest gets for tourist_nights from the two Eurostat modules together."""
    return pd.concat([et.read(raw_dir, registry).observations, result.observations], ignore_index=True)


def _nights(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / ts.NIGHTS_PATH, dtype=str, keep_default_na=False)


def _write(raw_dir, tmp_path, nights: pd.DataFrame):
    """A raw folder with the real urb_ctour extract and a changed tourism_nights_capitals.csv."""
    for rel in (et.RAW_PATH, ts.NIGHTS_PATH):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(raw_dir / et.RAW_PATH, tmp_path / et.RAW_PATH)
    nights.to_csv(tmp_path / ts.NIGHTS_PATH, index=False)
    return tmp_path


def test_shape_source_and_flag_tokens(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS and (o["status"] == "observed").all()
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}
    assert {s.grade for s in result.sources} == {"official statistics"}
    tokens = set(FLAG_SEP.join(o["flags"]).split(FLAG_SEP)) - {""}
    assert tokens <= set(FLAGS)


def test_focus_capitals_get_2021_to_2024(result):
    o = result.observations.set_index(["city_id", "year"])["value"]
    assert o[("budapest", 2024)] == 10_922_488  # HU110
    assert o[("warsaw", 2024)] == 8_021_740  # PL911 Miasto Warszawa
    assert o[("vienna", 2024)] == 18_175_943  # AT130
    assert o[("prague", 2024)] == 18_279_256  # CZ010
    assert {y for c, y in o.index if c == "budapest"} == {2020, 2021, 2022, 2023, 2024}


def test_wider_region_is_not_emitted_and_is_reported(result):
    o = result.observations
    assert "bratislava" not in set(o["city_id"])  # SK010 Bratislavský kraj is the region
    for city in ("copenhagen", "madrid", "helsinki", "dublin", "lisbon", "stockholm"):
        assert city not in set(o["city_id"]), city
    u = result.unmatched
    sk = u[u["name"].str.startswith("Bratislava 20") & u["reason"].str.contains("SK010 is wider than the city")]
    assert len(sk) == 5


def test_an_area_nobody_reviewed_is_not_emitted(raw_dir, registry, tmp_path):
    nights = _nights(raw_dir)
    nights["area"] = nights["area"].str.replace("NUTS 3 HU110", "NUTS 3 HU999", regex=False)
    res = n3.read(_write(raw_dir, tmp_path, nights), registry)
    assert "budapest" not in set(res.observations["city_id"])
    assert res.unmatched["reason"].str.contains("HU999: area not reviewed").sum() == 5


def test_one_series_per_city_joined_at_2020_with_the_measured_difference(both):
    b = both[both["city_id"] == "budapest"].set_index("year")
    assert not b.index.duplicated().any()
    assert set(b.loc[2015:2019, "source_id"]) == {"eurostat_urb_ctour"}
    assert set(b.loc[2020:2024, "source_id"]) == {"eurostat_tour_occ_nin2"}
    assert (b.loc[2020:2024, "flags"] == "series_joined").all()
    assert "Urban Audit 2,418,305 (-0.7 %)" in b.loc[2022, "note"]
    assert "commercial accommodation only" in b.loc[2024, "note"]  # the curators' Hungary caveat is kept
    assert not both.duplicated(["city_id", "year"]).any()


def test_cities_without_an_urban_audit_series_are_not_flagged_joined(result):
    o = result.observations.set_index(["city_id", "year"])
    assert o.loc[("vienna", 2024), "flags"] == "" and o.loc[("prague", 2024), "flags"] == ""


def test_disagreeing_series_are_not_joined(raw_dir, registry, tmp_path):
    nights = _nights(raw_dir)
    hu2020 = nights["area"].str.startswith("NUTS 3 HU110") & (nights["year"] == "2020") & (
        nights["measure"] == "nights_all_guests")
    nights.loc[hu2020, "value"] = "2700000"  # Urban Audit 2,418,305 is now 10 % below: another area
    raw = _write(raw_dir, tmp_path, nights)
    ua = et.read(raw, registry)
    assert "budapest" not in set(ua.observations["city_id"])  # the whole Urban Audit history is left out
    assert ua.unmatched["name"].str.startswith("HU001C 2019").any()
    nu = n3.read(raw, registry).observations.set_index(["city_id", "year"])
    assert nu.loc[("budapest", 2020), "flags"] == ""
    assert "another area" in nu.loc[("budapest", 2020), "note"]


def test_join_plan_rule():
    ua = pd.DataFrame({"city_id": ["a", "a", "b", "c"], "year": [2019, 2020, 2020, 2018],
                       "value": [10.0, 100.0, 100.0, 5.0]})
    nuts3 = pd.DataFrame({"city_id": ["a", "b", "c", "d"], "year": [2020, 2020, 2021, 2020],
                          "value": [102.0, 110.0, 6.0, 1.0]})
    plan = ts.join_plan(ua, nuts3)
    assert plan["a"].joined and plan["a"].ua_kept(2019) and not plan["a"].ua_kept(2020)  # -2.0 %: agree
    assert not plan["b"].joined and not plan["b"].ua_kept(2019)  # -9.1 %: not the same area
    assert plan["c"].joined and "not measured" in plan["c"].overlap_text()  # no common year
    assert not plan["d"].joined and not plan["d"].has_ua


def test_estimated_flag_from_eurostat_e(result):
    o = result.observations.set_index(["city_id", "year"])["flags"]
    assert o[("paris", 2020)] == "estimated" and o[("paris", 2021)] == "estimated"
    assert o[("paris", 2022)] == ""


def test_producers_figures_that_differ_or_are_reprints_are_not_used(result):
    o = result.observations
    assert set(o[o["city_id"] == "vienna"]["source_id"]) == {"eurostat_tour_occ_nin2"}
    assert not ((o["city_id"] == "prague") & (o["year"] == 2025)).any()
    u = result.unmatched
    vienna = u[u["name"].str.startswith("Vienna 2022")]
    assert vienna["reason"].str.contains(r"2022 \+4\.6 %").all()  # WienTourismus against AT130
    assert u[u["name"].str.startswith("Prague 2025")]["reason"].str.contains("reputable secondary").all()


def test_a_producer_figure_on_the_same_basis_continues_the_series(raw_dir, registry, tmp_path):
    nights = _nights(raw_dir)
    prague = nights[(nights["city"] == "Prague") & (nights["year"] == "2025")
                    & (nights["measure"] == "nights_all_guests")]
    y2024 = prague.assign(year="2024", value="18300000", provisional="no")  # 0.1 % from CZ010 2024
    y2025 = prague.assign(source_grade="official statistics", note="printed rounded")
    nights = pd.concat([nights.drop(prague.index), y2024, y2025], ignore_index=True)
    res = n3.read(_write(raw_dir, tmp_path, nights), registry)
    o = res.observations.set_index(["city_id", "year"])
    assert o.loc[("prague", 2024), "value"] == 18_279_256  # Eurostat keeps the years it covers
    assert o.loc[("prague", 2025), "value"] == 18_984_282
    assert o.loc[("prague", 2025), "flags"] == "approximate;series_joined"
    assert "provisional" in o.loc[("prague", 2025), "note"]


def test_bad_measure_names_file_and_row(raw_dir, registry, tmp_path):
    nights = _nights(raw_dir)
    nights.loc[3, "measure"] = "bednights"
    with pytest.raises(InputError, match=r"tourism_nights_capitals\.csv, row 5: unknown measure"):
        n3.read(_write(raw_dir, tmp_path, nights), registry)


def test_reviewed_area_table_rules(tmp_path):
    good = ts.read_areas()
    assert good.at["SK010", "area_is_city"] == "no" and good.at["HU110", "area_is_city"] == "yes"
    bad = good.copy()
    bad.loc["HU110", "area_is_city"] = "mostly"
    bad.to_csv(tmp_path / "areas.csv", index=False)
    with pytest.raises(InputError, match=r"areas\.csv, row 4: area_is_city must be yes or no"):
        ts.read_areas(tmp_path / "areas.csv")
