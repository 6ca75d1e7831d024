"""Each source module's list type, as a reader of its values would notice it: what a reference city ABSENT from the
list gets. Complete list: a true zero (status observed). Top-N list: below_threshold (value NaN). Partial list: no
row at all (missing). One test per module not covered by its own test file (creative_cities, intl_orgs, lowy and
twinnings test their absences beside their other rules)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cdi_core.sources import (
    arrivals,
    eurostat_tourism,
    foreign_residents,
    gawc,
    global500,
    icca,
    networks,
    openflights,
    project_curated,
    whc,
)

_CACHE: dict[str, pd.DataFrame] = {}


def _obs(module, raw_dir, registry) -> pd.DataFrame:
    name = module.__name__
    if name not in _CACHE:
        _CACHE[name] = module.read(raw_dir, registry).observations
    return _CACHE[name]


def _status(obs: pd.DataFrame, city_id: str, year: int) -> tuple[str, float] | None:
    row = obs[(obs["city_id"] == city_id) & (obs["year"] == year)]
    return None if row.empty else (row["status"].iloc[0], row["value"].iloc[0])


@pytest.mark.parametrize("module, city, year, withheld", [
    # Fortune Global 500 (2019): all 500 HQs; two Shandong firms are placed only at province level, so the count
    # of Qingdao (the one reference city that province may hold) is withheld, not a zero
    (global500, "kampala", 2019, {"qingdao"}),
    (whc, "lagos", 2024, set()),            # the whole World Heritage List
    (networks, "kampala", 2025, set()),     # C40 + Pact of Free Cities
    (openflights, None, 2017, set()),       # the whole route database; a city with no airport
])
def test_complete_list_absence_is_a_true_zero(module, city, year, withheld, raw_dir, registry):
    obs = _obs(module, raw_dir, registry)
    if city is None:
        city = obs.loc[(obs["value"] == 0) & (obs["year"] == year), "city_id"].iloc[0]
    assert _status(obs, city, year) == ("observed", 0.0)
    # every reference city has its value, except those whose count the module withholds (no row, not a zero)
    assert set(obs.loc[obs["year"] == year, "city_id"]) == set(registry.city_ids()) - withheld


@pytest.mark.parametrize("module, city, year", [
    (arrivals, "kampala", 2018),     # Euromonitor's complete top 100 of 2018
    (icca, "kampala", 2019),         # ICCA's complete top 10 of 2019
])
def test_top_n_list_absence_is_below_threshold(module, city, year, raw_dir, registry):
    obs = _obs(module, raw_dir, registry)
    if city is None:
        city = obs.loc[(obs["status"] == "below_threshold") & (obs["year"] == year), "city_id"].iloc[0]
    status, value = _status(obs, city, year)
    assert status == "below_threshold" and math.isnan(value)
    assert not (obs["value"] == 0).any()  # a top-N list never yields a zero


@pytest.mark.parametrize("module, city, year", [
    (arrivals, "kampala", 2019),     # 2019: a top 10 only, bounds nobody
    (eurostat_tourism, "tokyo", 2019),
    (foreign_residents, "lagos", 2019),
    (project_curated, "tokyo", 2023),
    (gawc, "valletta", 2020),        # GaWC Data Set 31 (2020): a roster of 707 cities chosen by GaWC
])
def test_partial_list_absence_is_missing(module, city, year, raw_dir, registry):
    obs = _obs(module, raw_dir, registry)
    assert _status(obs, city, year) is None
    if module in (eurostat_tourism, foreign_residents, project_curated):
        assert not (obs["value"] == 0).any()  # a partial list never yields a zero
