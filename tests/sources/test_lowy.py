"""Lowy Global Diplomacy Index: sending countries per city, robust to how Lowy codes rows; every miss reported."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.paths import INPUTS_DIR, REFERENCE_DIR
from cdi_core.registry import Registry, read_aliases
from cdi_core.sources import lowy


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return lowy.read(raw_dir, registry)


@pytest.fixture(scope="module")
def values(result) -> pd.DataFrame:
    return result.observations.pivot(index="city_id", columns="year", values="value")


def test_a_coding_change_is_not_a_change_in_the_world(values):
    # Lowy 2023 stopped listing most consulates beside the same country's embassy: London had 67 -> 59 posts
    # with nothing happening; the number of sending countries with a post there did not move.
    assert values.loc["london"].tolist() == [59, 59, 59]
    assert values.loc["paris"].tolist() == [58, 58, 58]
    assert values.loc["budapest"].tolist() == [46, 46, 46]


def test_one_sender_counts_once_per_city():
    posts = pd.DataFrame({"city_id": ["x", "x", "x", "x", None], "release": [2023] * 5,
                          "sender_iso2": ["DE", "DE", "DE", "FR", "FR"]})  # DE: embassy + 2 consulates
    assert lowy.sending_countries(posts).to_dict() == {("x", 2023): 2}


def test_absent_city_is_a_true_zero_of_the_complete_list(result, registry):
    obs = result.observations
    assert len(obs) == 3 * len(registry.city_ids())  # every reference city, every release: a complete list
    zero = obs[obs["value"] == 0].iloc[0]
    assert zero["status"] == "observed" and "a true zero for this panel" in zero["note"]


def test_unmatched_names_are_reported_with_their_country(result):
    um = result.unmatched
    porto_alegre = um[um["name"] == "Porto Alegre"]
    assert porto_alegre["country_iso2"].tolist() == ["BR"]  # a host city outside the set, once per (name, country)
    assert not um.duplicated(["name", "country_iso2"]).any()
    # Lowy's misspellings of Tallinn and Bengaluru are matched by reviewed near-miss decisions, so not reported
    assert not um["name"].isin({"Talinn", "Bengalaru"}).any()
    assert (um["country_iso2"] != "").mean() > 0.99


def test_an_alias_decision_reaches_lowy_rows_through_the_registry(raw_dir, values):
    # A reviewed near-miss decision (data/reviews/near_misses.csv: 'Talinn|EE' match) is read by the registry like
    # every other alias: Lowy's 2019 and 2021 rows for 'Talinn' count for Tallinn.
    assert values.loc["tallinn", 2019] > 20
    # Without the decision (the alias table alone) the misspelt rows miss Tallinn and are reported.
    cities = pd.read_csv(INPUTS_DIR / "cities.csv", dtype={"geonames_id": str, "alt_names": str, "groups": str},
                         keep_default_na=False, na_values={"lat": [""], "lon": [""], "population": [""]})
    bare = lowy.read(raw_dir, Registry(cities, aliases=read_aliases(REFERENCE_DIR / "aliases.csv")))
    v = bare.observations.pivot(index="city_id", columns="year", values="value")
    assert v.loc["tallinn", 2019] == 0
    assert bare.unmatched.loc[bare.unmatched["name"] == "Talinn", "country_iso2"].tolist() == ["EE"]
