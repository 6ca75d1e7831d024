"""Events behind the changes (cdi_core.events): dated events from the side tables and the Lowy values."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.events import (
    EVENT_COLUMNS,
    KIND_LEFT,
    KIND_PACT,
    KIND_PACT_RECORDED,
    KIND_POSTS,
    KIND_TWIN_ENDED,
    KIND_TWIN_SIGNED,
    events_between,
    events_table,
)
from cdi_core.paths import INDEX_DIR

SIDES = ("twinning_events", "pact_members", "network_memberships", "intl_org_seats", "indicators")


@pytest.fixture(scope="module")
def published():
    tables = {n: pd.read_parquet(INDEX_DIR / f"{n}.parquet") for n in SIDES}
    return tables, pd.read_parquet(INDEX_DIR / "events.parquet")


def test_published_events_equal_a_fresh_derivation(published):
    tables, events = published
    fresh = events_table(tables, tables["indicators"])
    assert list(events.columns) == EVENT_COLUMNS
    pd.testing.assert_frame_equal(events, fresh)


def test_budapest_pact_accession_is_dated(published):
    _, e = published
    row = e[(e["city_id"] == "budapest") & (e["kind"] == KIND_PACT)]
    assert len(row) == 1
    assert row.iloc[0]["date"] == "2019-12-16" and row.iloc[0]["year"] == 2019
    assert row.iloc[0]["indicator"] == "network_memberships"
    assert events_between(e, "budapest", 2019, 2018)["kind"].tolist().count(KIND_PACT) == 1


def test_members_without_an_accession_date_are_newly_recorded_never_joined(published):
    """An undated fact never moves an edition as news: a member whose accession date is unknown counts from the
    earliest source naming it, and its event says "newly recorded"."""
    tables, e = published
    pm = tables["pact_members"]
    undated = set(pm.loc[pm["date_kind"] == "earliest_confirmation", "city_id"])
    assert undated, "the inputs have members with no known accession date"
    assert not (e["city_id"].isin(undated) & (e["kind"] == KIND_PACT)).any()
    recorded = e[e["kind"] == KIND_PACT_RECORDED]
    assert set(recorded["city_id"]) == undated
    assert recorded["description"].str.contains("newly recorded").all()
    assert (pm["joined_date"].fillna("") != "").all(), "every member is dated by accession or earliest source"


def test_twinnings_with_a_start_year_appear(published):
    tables, e = published
    te = tables["twinning_events"]
    dated = te[te["start_year"].fillna("").str.match(r"^\d{4}$")]
    signed = e[e["kind"] == KIND_TWIN_SIGNED]
    assert len(signed) == len(dated)
    paris = signed[(signed["city_id"] == "budapest") & signed["description"].str.startswith("Paris")]
    assert paris["year"].tolist() == [1956]
    ended = e[e["kind"] == KIND_TWIN_ENDED]
    prague = ended[ended["city_id"] == "prague"].sort_values("description")
    # Prague suspended Moscow and Saint Petersburg on 2 September 2014 (data/curated/partnerships_ended.csv);
    # Prague-Beijing ended in October 2019 (the focus list)
    assert prague["year"].tolist() == [2019, 2014, 2014]
    assert [d.split(" (")[0] for d in prague["description"]] == ["Beijing", "Moscow", "Saint Petersburg"]
    assert prague["description"].iloc[1].endswith("(suspended 2014-09-02)")
    # partnerships with Russian cities ended by council resolution on 3 March 2022 stop counting in 2022
    warsaw = ended[ended["city_id"] == "warsaw"]
    assert set(warsaw["year"]) == {2022} and warsaw["description"].str.startswith("Moscow").any()


def test_seat_left_takes_effect_the_year_after_the_last_counted(published):
    _, e = published
    left = e[e["kind"] == KIND_LEFT]
    # the IIB left Budapest in 2023; the OIV moved its seat from Paris to Dijon (inaugurated 2024)
    assert left[["city_id", "year", "count_change"]].values.tolist() == [["budapest", 2023, -1], ["paris", 2024, -1]]


def test_posts_changes_match_the_lowy_values(published):
    tables, e = published
    ind = tables["indicators"]
    posts = e[e["kind"] == KIND_POSTS]
    assert (posts["count_change"] != 0).all()
    d = ind[ind["indicator"] == "diplomatic_countries"].dropna(subset=["value", "year"])
    by_year = d.groupby(["city_id", "year"])["value"].first()
    for r in posts.head(40).itertuples():
        years = sorted(y for (c, y) in by_year.index if c == r.city_id)
        before = max(y for y in years if y < r.year)
        assert by_year[(r.city_id, r.year)] - by_year[(r.city_id, before)] == r.count_change


def test_events_between_is_half_open(published):
    _, e = published
    got = events_between(e, "budapest", 2023, 2022)
    assert KIND_LEFT in set(got["kind"])
    assert events_between(e, "budapest", 2022, 2021)["kind"].tolist().count(KIND_LEFT) == 0
