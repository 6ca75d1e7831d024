"""Pact of Free Cities reshaping (explorer.views.pact.members): dates keep their precision and certainty; groups are as
defined."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.views.framework import score_order
from explorer.views.pact import members as pact


def _members(**cols) -> pd.DataFrame:
    base = {"city_id": ["a"], "name": ["A"], "joined_date": [""], "joined_date_precision": ["unknown"],
            "joined_date_certainty": ["unknown"]}
    base.update({k: [v] for k, v in cols.items()})
    return pd.DataFrame(base)


def test_accession_dates_by_precision():
    day = pact.accession_dates(_members(joined_date="2021-09-16", joined_date_precision="day",
                                        joined_date_certainty="confirmed")).iloc[0]
    assert day["date_plot"] == pd.Timestamp("2021-09-16") and day["precision"] == "day" and day["exact"]
    assert day["date_label"] == "16 Sep 2021"
    single = pact.accession_dates(_members(joined_date="2021-09-16", joined_date_precision="day",
                                           joined_date_certainty="single_source")).iloc[0]
    assert not single["exact"] and single["date_certainty"] == "single source"
    bound = pact.accession_dates(_members(joined_date="2022", joined_date_precision="year (on or before 2022-02-25)",
                                          joined_date_certainty="upper_bound_only")).iloc[0]
    assert bound["precision"] == "upper bound" and bound["date_high"] == pd.Timestamp("2022-02-25")
    assert bound["date_low"] == pact.FOUNDING and bound["date_label"] == "on or before 25 Feb 2022"
    year = pact.accession_dates(_members(joined_date="2023", joined_date_precision="year",
                                         joined_date_certainty="single_source")).iloc[0]
    assert year["precision"] == "year" and year["date_low"] == pd.Timestamp("2023-01-01")
    assert year["date_high"] == pd.Timestamp("2023-12-31") and "2023" in year["date_label"]
    month = pact.accession_dates(_members(joined_date="2023-02", joined_date_precision="month",
                                          joined_date_certainty="single_source")).iloc[0]
    assert month["precision"] == "month" and month["date_low"] == pd.Timestamp("2023-02-01")
    assert month["date_high"] == pd.Timestamp("2023-02-28") and month["date_label"] == "February 2023 (day not known)"
    assert pact.accession_dates(_members(joined_date="2023-02", joined_date_precision="month"), "de").iloc[0][
        "date_label"].startswith("Februar 2023")
    unknown = pact.accession_dates(_members()).iloc[0]
    assert pd.isna(unknown["date_plot"]) and unknown["date_label"] == "date not known"


def test_timeline_and_undated_partition_the_members(data):
    t, u = pact.timeline(data), pact.undated(data)
    assert len(t) + len(u) == len(data.pact_members)
    assert set(t["city_id"]).isdisjoint(u["city_id"])
    unknown = data.pact_members.loc[data.pact_members["joined_date_precision"] == "unknown", "city_id"]
    assert set(u["city_id"]) == set(unknown)
    assert t["date_plot"].is_monotonic_increasing
    founders = set(data.pact_members.loc[data.pact_members["role"] == "founder", "city_id"])
    assert set(t.loc[t["date_plot"] == t["date_plot"].min(), "city_id"]) == founders


def test_events_cover_every_dated_member(data):
    ev = pact.events(data)
    assert ev["n"].sum() == len(pact.timeline(data))
    first = ev.iloc[0]
    assert first["date_label"] == "16 Dec 2019" and first["n"] == 4


def test_members_table_links_are_http_only(data):
    m = pact.members_table(data)
    assert len(m) == len(data.pact_members)
    assert all(u is None or u.startswith(("https://", "http://")) for u in m["source_url"])
    assert pact.safe_url("javascript:alert(1)") is None and pact.safe_url(" https://x.org ") == "https://x.org"


def test_comparison_groups_follow_the_definition(data):
    edition = max(data.editions)
    g = pact.comparison_groups(data, edition)
    members = set(data.pact_members["city_id"])
    s = data.scores
    ranked = set(s.loc[(s["edition"] == edition) & (s["pillar"] == "index") & s["rank"].notna(), "city_id"])
    assert set(g.loc[g["group"] == pact.MEMBERS, "city_id"]) == members & ranked
    groups = data.cities.set_index("city_id")["groups"].fillna("").str.split(";")
    comparable = {c for c, gs in groups.items() if ("european_capital" in gs or "eurostat_250k" in gs)}
    assert set(g.loc[g["group"] == pact.COMPARABLE, "city_id"]) == (comparable - members) & ranked


def test_median_scores_are_plain_medians(data):
    edition = max(data.editions)
    med = pact.median_scores(data, edition).set_index(["group", "pillar"])
    long = pact.group_scores(data, edition)
    for (group, pillar), row in med.iterrows():
        vals = long[(long["group"] == group) & (long["pillar"] == pillar)]["score"].dropna()
        assert row["n"] == len(vals) and row["median"] == pytest.approx(vals.median())
        assert row["q25"] <= row["median"] <= row["q75"]
    assert set(med.index.get_level_values("pillar")) == set(score_order(data))
