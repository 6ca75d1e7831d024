"""The quality gate as a data journalist would rely on it: every kind of defect the audit found is caught by a
check, and a reviewed decision (a committed table) is what lets a finding through."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from cdi_core.compute import select_values
from cdi_core.errors import InputError
from cdi_core.quality import fail_on_unreviewed, findings_frame
from cdi_core.quality.events import check_events
from cdi_core.quality.near_miss import check_near_misses
from cdi_core.quality.series import check_series
from cdi_core.quality.urban_areas import check_urban_areas
from cdi_core.quality.zeros import check_zeros
from tests.core.synthetic import obs, small_spec


def spec_with(**fields):
    s = small_spec()
    return replace(s, indicators=tuple(replace(i, **fields.get(i.id, {})) for i in s.indicators))


def picked(o: pd.DataFrame, spec, city="c00", indicator="a") -> dict[int, float]:
    sel = select_values(o, ["c00"], spec)
    sel = sel[(sel.city_id == city) & (sel.indicator == indicator)]
    return {int(e): (None if pd.isna(y) else int(y)) for e, y in zip(sel.edition, sel.year)}


# --- the carry-forward rule --------------------------------------------------------------------------------------

def test_a_value_older_than_the_indicators_max_age_is_not_carried():
    spec = spec_with(a={"max_age": 1})
    assert picked(obs([("c00", "a", 2019, 5.0)]), spec) == {2020: 2019, 2021: None, 2022: None}


def test_an_anomalous_year_counts_only_in_its_own_edition():
    """Budapest's 2020 tourist nights are never compared with Vienna's 2024 ones."""
    spec = spec_with(a={"anomalous_years": (2020,)})
    o = obs([("c00", "a", 2019, 9.0), ("c00", "a", 2020, 2.0)])
    # 2020 takes only its own year's value; 2021 and 2022 skip the pandemic year and carry 2019
    assert picked(o, spec) == {2020: 2020, 2021: 2019, 2022: 2019}
    assert picked(obs([("c00", "a", 2020, 2.0)]), spec) == {2020: 2020, 2021: None, 2022: None}


def test_an_anomalous_edition_takes_no_other_years_value():
    spec = spec_with(a={"anomalous_years": (2021,)})
    assert picked(obs([("c00", "a", 2020, 9.0)]), spec)[2021] is None


# --- series: flags and jumps --------------------------------------------------------------------------------------

def flagged(rows: list[tuple]) -> pd.DataFrame:
    o = obs([r[:4] for r in rows])
    o["flags"] = [r[4] if len(r) > 4 else "" for r in rows]
    o["source_id"] = [r[5] if len(r) > 5 else "s" for r in rows]
    return o


def test_an_estimated_value_is_held_out_unless_reviewed():
    o = flagged([("c00", "c", 2021, 12.0, "estimated")])
    rows, held = check_series(o, small_spec(), "obs.csv", {}, {})
    assert held == {0} and rows[0]["action"] == "held"
    rows, held = check_series(o, small_spec(), "obs.csv", {"c00|c|2021": ("use", "checked")}, {})
    assert held == set() and rows[0]["action"] == "used"


def test_an_approximate_value_never_joins_a_measured_series():
    """Bratislava's 'up to 8 %' (2019) beside the census 3.24 % (2021) would be booked as a fall."""
    o = flagged([("c00", "c", 2020, 8.0, "approximate"), ("c00", "c", 2021, 3.24)])
    rows, held = check_series(o, small_spec(), "obs.csv", {}, {})
    assert held == {0}
    alone = flagged([("c00", "c", 2020, 8.0, "approximate")])
    assert check_series(alone, small_spec(), "obs.csv", {}, {})[1] == set()


def test_an_implausible_jump_needs_a_review_and_a_hold_keeps_the_value_out():
    spec = spec_with(c={"jump_abs": 2.0, "jump_rel": 0.25})
    o = flagged([("c00", "c", 2020, 10.0, "", "s1"), ("c00", "c", 2021, 24.0, "", "s2")])
    rows, held = check_series(o, spec, "obs.csv", {}, {})
    assert [r["action"] for r in rows] == ["unreviewed"] and "source changed" in rows[0]["rule"]
    assert rows[0]["key"] == "c00|c|2020->2021" and rows[0]["row"] == 2
    _, held = check_series(o, spec, "obs.csv", {}, {"c00|c|2020->2021": ("hold", "a break in the series")})
    assert held == {1}
    rows, held = check_series(o, spec, "obs.csv", {}, {"c00|c|2020->2021": ("real", "refugees arrived")})
    assert held == set() and rows[0]["action"] == "used"


def test_small_moves_and_moves_before_the_first_edition_pass():
    spec = spec_with(c={"jump_abs": 2.0, "jump_rel": 0.25})
    o = flagged([("c00", "c", 2015, 10.0), ("c00", "c", 2016, 30.0), ("c00", "c", 2021, 31.0)])
    assert check_series(o, spec, "obs.csv", {}, {})[0] == []


# --- zeros, near misses, events, urban areas ---------------------------------------------------------------------

def test_a_zero_from_a_list_that_is_not_complete_is_not_a_true_zero():
    spec = spec_with(b={"absence": "below_threshold"}, a={"absence": "zero"})
    o = obs([("c00", "b", 2021, 0.0), ("c00", "a", 2021, 0.0)])
    rows, _ = check_zeros(o, spec, "obs.csv", {})
    assert [r["key"] for r in rows] == ["c00|b|2021"] and rows[0]["action"] == "unreviewed"


CITIES = pd.DataFrame({"city_id": ["tallinn", "tartu", "big"], "name": ["Tallinn", "Tartu", "Big"],
                       "alt_names": ["Reval", "", ""], "country_iso2": ["EE", "EE", "EE"],
                       "lat": [59.437, 58.38, 59.40], "lon": [24.7536, 26.72, 24.80],
                       "population": [400000, 90000, 900000], "is_capital": [True, False, False],
                       "groups": ["european_capital", "eurostat_250k", "eurostat_250k"],
                       "geonames_id": ["1", "2", "3"]})


def test_a_near_miss_name_needs_a_reviewed_decision():
    """Lowy's 'Talinn' left Tallinn with 0 embassies in 2019."""
    um = pd.DataFrame({"module": ["lowy", "lowy"], "source_file": ["lowy.xlsx"] * 2, "row": ["7", "8"],
                       "name": ["Talinn", "Narva"], "country_iso2": ["EE", "EE"], "reason": ["not in set"] * 2})
    rows = check_near_misses(um, CITIES, "unmatched.csv", {})
    assert [(r["key"], r["action"], r["row"]) for r in rows] == [("Talinn|EE", "unreviewed", 1)]
    assert check_near_misses(um, CITIES, "u", {"Talinn|EE": ("reject", "x")})[0]["action"] == "rejected"
    applied = check_near_misses(um, CITIES, "u", {"Talinn|EE": ("match", "x")})[0]
    assert applied["action"] == "unreviewed" and "rerun" in applied["rule"]


def test_an_undated_membership_is_a_finding():
    pm = pd.DataFrame({"city_id": ["a", "b"], "joined_date": ["2019-12-16", ""],
                       "date_kind": ["accession", ""]})
    rows = check_events(pm, "pact_members.csv")
    assert [r["key"] for r in rows] == ["b|pact_members"]


def test_a_municipality_beside_a_larger_city_needs_a_decision():
    assert check_urban_areas(CITIES, "cities.csv", {}) == [], "a capital is a city in its own right"
    small = CITIES.assign(is_capital=[False, False, False])
    keys = [r["key"] for r in check_urban_areas(small, "cities.csv", {})]
    assert keys == ["tallinn"]
    assert check_urban_areas(small, "c", {"tallinn": ("distinct", "a city")})[0]["action"] == "used"


def test_an_unreviewed_finding_stops_the_build_naming_file_row_and_rule():
    f = findings_frame([{"check": "jumps", "key": "k", "file": "observations.csv", "row": 12,
                         "rule": "moved beyond the bounds", "detail": "1 -> 9", "action": "unreviewed",
                         "decision": "", "reason": ""}])
    with pytest.raises(InputError) as exc:
        fail_on_unreviewed(f, "data/inputs")
    assert "data/inputs/observations.csv, row 12" in str(exc.value) and "moved beyond the bounds" in str(exc.value)
    fail_on_unreviewed(f.assign(action="used"))
