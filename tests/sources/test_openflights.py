"""OpenFlights foreign direct destinations per city: real-data facts and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import openflights
from cdi_core.sources.base import OBS_COLUMNS, STATUS_OBSERVED


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return openflights.read(raw_dir, registry)


@pytest.fixture(scope="module")
def obs(result) -> pd.DataFrame:
    return result.observations.set_index("city_id")


@pytest.fixture(scope="module")
def airports(result) -> pd.DataFrame:
    return result.tables["air_airports"]


def test_shape_sources_and_uniqueness(result, registry):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert len(o) == len(registry.city_ids())
    assert set(o["year"]) == {2017} and set(o["status"]) == {STATUS_OBSERVED}
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    assert set(o["source_id"]) <= {s.source_id for s in result.sources}
    assert result.sources[0].attribution == "OpenFlights" and "ODbL" in result.sources[0].licence
    assert o["note"].str.contains("route snapshot, 2017 or earlier").all()


def test_focus_cities(obs):
    assert obs.loc["budapest", "value"] == 76 and "BUD" in obs.loc["budapest", "note"]
    assert obs.loc["prague", "value"] == 91
    assert obs.loc["warsaw", "value"] == 86 and "WAW, WMI" in obs.loc["warsaw", "note"]  # Chopin + Modlin
    assert obs.loc["bratislava", "value"] == 17  # BTS only: Vienna's airport is in another country
    assert obs.loc["vienna", "value"] == 94


def test_airport_to_city_rule(airports, obs):
    city_of = dict(zip(airports["iata"], airports["city_id"]))
    assert city_of["MAN"] == "manchester"  # OpenFlights names Manchester; Stockport is nearer
    assert city_of["TPE"] == "taipei"  # Taoyuan airport serves Taipei
    assert city_of["HND"] == "tokyo" and "NRT" not in city_of  # Narita is over 50 km out
    assert city_of["BSL"] == "basel" and city_of["PRN"] == "pristina"  # explicit fixes
    assert city_of["ISB"] == "islamabad"  # route code kept though airports.dat dropped it
    assert "counted for Tokyo" in obs.loc["yokohama", "note"] and obs.loc["yokohama", "value"] == 0


def test_far_airports_named_after_a_city_are_reported(result):
    um = result.unmatched
    assert um["name"].str.contains("Narita").any() and um["name"].str.contains("Skavsta").any()
    assert not um["name"].str.contains("Portland International Jetport").any()  # a namesake, not reported


def test_true_zeros(obs):
    assert obs.loc["vaduz", "value"] == 0 and "no airport" in obs.loc["vaduz", "note"]
    assert obs.loc["canberra", "value"] == 0 and "no direct non-codeshare route abroad" in obs.loc["canberra", "note"]


def test_only_foreign_destinations(airports):
    # Every foreign count is at most the airport's destinations; a big domestic hub has many more in total.
    assert (airports["foreign_destinations"] <= airports["destinations"]).all()
    hnd = airports[airports["iata"] == "HND"].iloc[0]
    assert hnd["foreign_destinations"] < hnd["destinations"]


def _copy(raw_dir, tmp_path):
    for rel in (openflights.AIRPORTS, openflights.ROUTES, openflights.COUNTRIES):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((raw_dir / rel).read_bytes())


def test_row_with_a_missing_column_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / openflights.AIRPORTS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = lines[9].rsplit(",", 1)[0] + "\n"  # drop the last column of line 10
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"airports.dat, row 10: upstream format changed: expected 14 columns"):
        openflights.read(tmp_path, registry)


def test_bad_stops_value_fails(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / openflights.ROUTES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[4].rstrip("\n").split(",")
    fields[7] = "direct"
    lines[4] = ",".join(fields) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"routes.dat, row 5: upstream format changed: stops is not an integer"):
        openflights.read(tmp_path, registry)


def test_truncated_routes_fail(raw_dir, registry, tmp_path):
    _copy(raw_dir, tmp_path)
    path = tmp_path / openflights.ROUTES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:1000]), encoding="utf-8")
    with pytest.raises(InputError, match=r"routes.dat: upstream format changed: row count outside"):
        openflights.read(tmp_path, registry)
