"""explorer.compare and explorer.ranking_view: pure reshaping for the compare and ranking pages."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from explorer import compare as C
from explorer import ranking_view as R
from explorer.data import FOCUS, load_index
from explorer.ui import ranking_table


@pytest.fixture(scope="module")
def data():
    return load_index()


@pytest.fixture(scope="module")
def latest(data) -> int:
    return max(data.editions)


def test_pillar_scores_keep_the_chosen_order(data, latest):
    ps = C.pillar_scores(data, ["vienna", "budapest"], latest)
    assert list(ps["city_id"][:2]) == ["vienna", "budapest"]
    assert list(dict.fromkeys(ps["pillar"])) == ["index", "relations", "tourism", "business", "multiculturalism"]
    s = data.scores
    row = s[(s["city_id"] == "vienna") & (s["edition"] == latest) & (s["pillar"] == "business")].iloc[0]
    got = ps[(ps["city_id"] == "vienna") & (ps["pillar"] == "business")].iloc[0]
    assert got["score"] == pytest.approx(row["score"]) and got["rank"] == row["rank"]


def test_indicator_comparison(data, latest):
    t = C.indicator_comparison(data, FOCUS, latest)
    assert len(t) == len(FOCUS) * len(data.framework)
    first = t[t["indicator"] == t["indicator"].iloc[0]]
    assert list(first["city_id"]) == FOCUS
    assert C.indicator_comparison(data, [], latest).empty


def test_rank_trend_and_not_ranked(data, latest):
    tr = C.rank_trend(data, ["budapest", "kyiv"])
    assert set(tr["edition"]) == set(data.editions)
    bud = tr[tr["city_id"] == "budapest"]
    assert bud["rank"].notna().all()
    s = data.scores
    unranked = s[(s["edition"] == latest) & (s["pillar"] == "index") & ~s["ranked"]]["city_id"].iloc[0]
    notes = C.not_ranked(data, ["budapest", unranked], latest)
    assert [n for n, _ in notes] == [data.city_name(unranked)]
    assert notes[0][1].startswith("not ranked")


# ---------------------------------------------------------------------------------------------------- ranking
def test_region_choices_are_slugs(data):
    choices = R.region_choices(data.cities)
    assert choices["all"] == "All regions" and choices["north-america"] == "North America"


def test_filter_ranking(data, latest):
    table = ranking_table(data, latest)
    v4 = R.filter_ranking(table, None, "v4", show_unranked=False)
    assert set(v4["city_id"]) == {"budapest", "prague", "warsaw", "bratislava"}
    europe = R.filter_ranking(table, "Europe", "all", show_unranked=True)
    assert (europe["region"] == "Europe").all()
    assert europe["ranked"].sum() < len(europe)
    ranked = R.filter_ranking(table, None, "all", show_unranked=False)
    assert ranked["ranked"].all() and len(ranked) == int(table["ranked"].sum())
    # an unknown group key falls back to all cities, never to an error
    assert len(R.filter_ranking(table, None, "nope", show_unranked=False)) == len(ranked)


def test_profile_link_is_relative_and_carries_the_name():
    assert R.profile_link("sao-paulo", "São Paulo", 2024) == "city?city=sao-paulo&edition=2024#S%C3%A3o%20Paulo"
    assert R.profile_link("x", "<script>", 2024).endswith("#%3Cscript%3E")


def test_display_and_export_frames(data, latest):
    table = ranking_table(data, latest)
    rows = R.filter_ranking(table, None, "pact", show_unranked=True)
    shown = R.display_frame(rows, latest, show_unranked=True)
    assert list(shown.columns) == ["rank", "profile", "country", "index", "rank_change", "relations", "tourism",
                                   "business", "multiculturalism", "score_change", "region", "status"]
    out = R.export_frame(shown, rows, data.pillar_names)
    assert list(out["City"]) == list(rows["name"])
    assert len(out.columns) == len(shown.columns)
    back = pd.read_csv(io.StringIO(out.to_csv(index=False)))
    assert len(back) == len(shown)
    assert not R.display_frame(rows, latest, show_unranked=False).columns.isin(["status"]).any()


def test_export_filename():
    assert R.export_filename(2025, "all", "all", False) == "cdi-ranking-2025.csv"
    assert R.export_filename(2024, "europe", "v4", True) == "cdi-ranking-2024-europe-v4-with-not-ranked.csv"
