"""The project's v2 curated tables as the ingest reads them: world cities' shares, dated partnership endings,
organisations' successions, Pact dates."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.paths import INPUTS_DIR
from cdi_core.sources import intl_orgs, twinnings, world_residents


def test_world_shares_are_graded_flagged_and_one_series_per_city(registry, tmp_path):
    r = world_residents.read(None, registry)
    o = r.observations
    assert o["city_id"].nunique() >= 40 and o["value"].between(0, 100).all()
    assert {s.grade for s in r.sources} <= set(world_residents.USABLE_GRADES)
    assert o.loc[o["city_id"] == "miami", "flags"].str.contains("area_wider").all()
    # the committed inputs carry no other module's row for a series the table covers
    obs = pd.read_csv(INPUTS_DIR / "observations.csv")
    mine = obs[obs["source_id"].str.startswith("world-")]
    covered = set(zip(mine["city_id"], mine["indicator"]))
    other = obs[~obs["source_id"].str.startswith("world-")]
    assert not any(k in covered for k in zip(other["city_id"], other["indicator"]))


def test_a_world_row_graded_other_stops_the_ingest(registry, tmp_path):
    df = pd.read_csv(world_residents.__file__.replace("cdi_core/sources/world_residents.py",
                                                      "data/curated/world_residents.csv"), dtype=str,
                     keep_default_na=False)
    df.loc[0, "grade"] = "other"
    df.to_csv(tmp_path / world_residents.FILE, index=False)
    with pytest.raises(InputError, match="grade must be one of"):
        world_residents.read(None, registry, tmp_path)


def test_partnerships_ended_stop_counting_in_the_year_they_end(raw_dir, registry):
    r = twinnings.read(raw_dir, registry)
    w = r.observations[r.observations["city_id"] == "warsaw"].set_index("year")["value"]
    assert w.loc[2021] - w.loc[2022] >= 2           # Moscow, St Petersburg, Grozny ended on 3 March 2022
    assert w.loc[2019] == w.loc[2021] and w.loc[2022] == w.loc[2025]
    ev = r.tables["twinning_events"]
    assert {"Moscow", "Saint Petersburg"} <= set(ev.loc[(ev["city_id"] == "warsaw") & (ev["ended_year"] == 2022),
                                                       "partner_name"])


def test_successors_of_eu_bodies_are_not_new_seats(raw_dir, registry):
    r = intl_orgs.read(raw_dir, registry)
    b = r.observations[r.observations["city_id"] == "brussels"].set_index("year")["value"]
    assert b.loc[2021] - b.loc[2020] <= 2            # +8 before: renamed joint undertakings counted as new
    seats = r.tables["intl_org_seats"]
    caju = seats[seats["organisation"] == "Clean Aviation Joint Undertaking"]
    assert (caju["counted_from"] <= 2019).all()


def test_every_pact_member_is_dated_and_the_undated_are_newly_recorded():
    pm = pd.read_csv(INPUTS_DIR / "tables" / "pact_members.csv", dtype=str, keep_default_na=False)
    assert (pm["joined_date"] != "").all()
    recorded = set(pm.loc[pm["date_kind"] == "earliest_confirmation", "city_id"])
    assert {"athens", "lisbon", "lviv", "milan", "rome"} <= recorded
    assert pm.loc[pm["city_id"] == "munich", "joined_date"].item() == "2023-02"
