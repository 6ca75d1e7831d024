"""City names across sources meet in one registry: the focus capitals and Kyiv/Kiev must never be missed."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.paths import INPUTS_DIR
from cdi_core.registry import Registry
from cdi_core.text import normalize_name, slugify


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS_DIR / "cities.csv")


@pytest.mark.parametrize("name,country,city_id", [
    ("Budapest", "HU", "budapest"), ("Pozsony", "SK", "bratislava"), ("Bratislava", "SK", "bratislava"),
    ("Praha", "CZ", "prague"), ("Prague", "CZ", "prague"), ("Warszawa", "PL", "warsaw"), ("Warsaw", "PL", "warsaw"),
    ("Wien", "AT", "vienna"), ("Vienna", "AT", "vienna"), ("Kiev", "UA", "kyiv"), ("Kyiv", "UA", "kyiv"),
    ("Bruxelles/Brussel (greater city)", "BE", "brussels"), ("München", "DE", "munich"),
    ("Washington DC", "US", "washington-d-c"), ("Hong Kong", "CN", "hong-kong"),
])
def test_aliases_and_spellings_match(registry, name, country, city_id):
    assert registry.match(name, country) == city_id


def test_names_without_a_country_never_match(registry):
    # even a name that only one reference city has: London, Ontario and San Jose, California are not reference cities
    assert registry.match("Kiev") is None and registry.match("Kiev", "") is None
    assert registry.match("San Jose") is None and registry.match("San Jose", "US") is None
    assert registry.match("London", "CA") is None and registry.match("London", "GB") == "london"
    assert registry.candidates("London") == {"london"} and registry.candidates("Atlantis") == set()


def test_districts_and_other_countries_do_not_match(registry):
    assert registry.match("Budapest XV", "HU") is None
    assert registry.match("Vienna", "US") is None
    assert registry.match("Prague 6", "CZ") is None


def test_ids_are_unique_slugs_and_focus_groups_are_set(registry):
    c = registry.cities.set_index("city_id")
    assert c.index.is_unique
    assert all(cid == slugify(cid).replace("-", "-") and " " not in cid for cid in c.index)
    for cid in ("budapest", "prague", "warsaw", "bratislava"):
        assert "v4" in c.at[cid, "groups"].split(";")
    assert "focus" in c.at["vienna", "groups"] and "v4" not in c.at["vienna", "groups"]
    assert c.loc[["budapest", "vienna", "kyiv"], "is_capital"].astype(str).eq("True").all()


def test_nearest_finds_the_city_of_an_airport(registry):
    assert registry.nearest(47.4369, 19.2556, 50) == "budapest"  # Budapest Ferenc Liszt airport
    assert registry.nearest(0.0, -30.0, 50) is None


def test_normalise_folds_accents_case_and_suffixes():
    assert normalize_name("Kraków") == "krakow"
    assert normalize_name("Bruxelles/Brussel (greater city)") == "bruxelles brussel"
    assert normalize_name("ŁÓDŹ") == "lodz"
    assert slugify("Washington, D.C.") == "washington-d-c"


def test_registry_table_has_the_published_columns():
    c = pd.read_csv(INPUTS_DIR / "cities.csv")
    assert {"city_id", "geonames_id", "name", "country_iso2", "lat", "lon", "is_capital", "groups"} <= set(c.columns)
