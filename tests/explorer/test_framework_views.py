"""explorer.views.framework and the views that follow it: the pillars, their order and their labels come from the
published framework table, so a framework with its pillars in another order is shown in that order everywhere."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from explorer.data.store import IndexData
from explorer.views import compare as C
from explorer.views import framework as F
from explorer.views import ranking as R
from explorer.views.bands import load_robust
from explorer.views.city import page as V
from explorer.views.city import tables as P

PERMUTED = ("multiculturalism", "business", "relations", "tourism")


@pytest.fixture(scope="module")
def permuted(data) -> IndexData:
    """The published index with the framework's rows reordered so that its pillars come in PERMUTED order."""
    fw = data.framework
    fw = fw.assign(_p=fw["pillar"].map({p: i for i, p in enumerate(PERMUTED)})).sort_values(
        "_p", kind="stable").drop(columns="_p").reset_index(drop=True)
    return dataclasses.replace(data, tables={**data.tables, "framework": fw})


def test_pillar_ids_and_names_follow_the_published_framework(data):
    published = tuple(dict.fromkeys(pd.read_parquet(data.index_dir / "framework.parquet")["pillar"]))
    assert F.pillar_ids(data) == published
    assert list(F.pillar_names(data, "en")) == list(published)
    assert F.pillar_names(data, "en") == data.pillar_names
    assert F.score_order(data) == ("index", *published)
    labels = F.chart_labels(data, "en")
    assert list(labels) == ["index", *published]
    assert labels["tourism"] == "Tourism & culture" and labels["business"] == "Business"   # short chart forms
    assert F.chart_labels(data, "de")["index"] != "" and F.pillar_names(data, "de") != F.pillar_names(data, "en")


def test_a_pillar_without_a_short_form_is_labelled_with_its_full_name(data):
    fw = data.framework.assign(pillar_name=data.framework["pillar_name"].replace("Business relations", "Trade"))
    other = dataclasses.replace(data, tables={**data.tables, "framework": fw})
    assert F.chart_labels(other, "en")["business"] == "Trade"


def test_the_views_follow_a_permuted_framework(permuted, latest):
    assert F.pillar_ids(permuted) == PERMUTED
    order = ["index", *PERMUTED]
    vs, _ = P.pillar_vs_peers(permuted, "budapest", latest, "focus")
    assert list(dict.fromkeys(vs["pillar"])) == order
    assert list(dict.fromkeys(P.trend(permuted, "budapest")["pillar"])) == order
    assert list(dict.fromkeys(P.indicator_table(permuted, "budapest", latest)["pillar"])) == list(PERMUTED)
    assert list(dict.fromkeys(C.pillar_scores(permuted, ["budapest", "vienna"], latest)["pillar"])) == order
    names = F.pillar_names(permuted, "en")
    view = C.compare_view(permuted, load_robust(permuted.index_dir).bands, ("budapest", "vienna"), latest, "en")
    assert list(view.pillar_order) == ["Index", *(names[p] for p in PERMUTED)]
    assert list(view.pillar_choices[1:]) == [names[p] for p in PERMUTED]
    shown = R.display_frame(R.ranking_table(permuted, latest), latest, show_unranked=False)
    assert [c for c in shown.columns if c in PERMUTED] == list(PERMUTED)
    city = V.city_view(permuted, load_robust(permuted.index_dir).bands, "budapest", latest, "en")
    assert list(city.trend_wide.columns) == ["edition", "Index", *(names[p] for p in PERMUTED)]


# --- the city page's view -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bands(data) -> pd.DataFrame:
    return load_robust(data.index_dir).bands


def test_city_view_headline_metrics_are_the_published_values(data, bands, latest):
    view = V.city_view(data, bands, "budapest", latest, "en")
    assert V.city_view(data, bands, "budapest", latest, "en") is view            # one per process and key
    s = data.scores
    idx = s[(s["city_id"] == "budapest") & (s["edition"] == latest) & (s["pillar"] == "index")].iloc[0]
    rank, score = view.metrics[0], view.metrics[1]
    assert (rank.label, rank.value) == ("Rank", f"{idx['rank']} of {idx['n_ranked']}")
    assert rank.delta == ("no change" if idx["rank_change"] == 0 else P.places(int(idx["rank_change"])))
    assert (rank.direction == 0) == (idx["rank_change"] == 0)
    assert (score.label, score.value) == ("Index score", f"{idx['score']:.1f}")
    assert view.metrics[2].label == "Data coverage"
    assert view.band_caption.startswith(f"Rank {idx['rank']}")
    assert view.not_ranked_note is None


def test_city_view_says_why_a_city_is_not_ranked(data, bands):
    s = data.scores
    row = s[(s["pillar"] == "index") & ~s["ranked"]].iloc[0]
    view = V.city_view(data, bands, row["city_id"], int(row["edition"]), "en")
    assert [m.value for m in view.metrics[:2]] == ["not ranked", "none"]
    assert view.band_caption is None
    assert view.not_ranked_note.startswith(f"Not ranked in {int(row['edition'])}: ")


def test_city_view_side_lists_hold_the_published_facts(data, bands, latest):
    view = V.city_view(data, bands, "budapest", latest, "en")
    lists = {s.key: s for s in view.side_lists}
    assert list(lists) == ["city_twins", "city_networks", "city_whc", "city_g500", "city_org_seats"]
    nets = data.network_memberships
    assert len(lists["city_networks"].frame) == (nets["city_id"] == "budapest").sum()
    assert lists["city_networks"].label == f"City networks ({len(lists['city_networks'].frame)})"
    for item in view.side_lists:
        assert set(item.columns) <= set(item.frame.columns) and {"source", "link"} <= set(item.frame.columns)
        assert set(item.headers) | {"source", "grade", "licence", "link"} >= set(item.columns)
    assert view.pact.text.startswith("Pact of Free Cities: founder, joined 2019")
    assert view.pact.link is None or view.pact.link.startswith(("https://", "http://"))
    outside = sorted(set(data.cities["city_id"]) - set(data.pact_members["city_id"]))[0]
    assert V.city_view(data, bands, outside, latest, "en").pact is None


def test_city_view_missing_values_sentence_counts_the_table(data, bands, latest):
    for city in ("budapest", "vienna", "lisbon", "tokyo"):
        view = V.city_view(data, bands, city, latest, "en")
        n = int((view.table["status"] == "missing").sum())
        assert view.n_missing == n
        assert (view.missing_note is None) == (n == 0)
        if n:
            assert view.missing_note.startswith(f"{n} of {len(view.table)} indicator")


def test_city_and_compare_charts_hold_the_view_data(data, bands, latest):
    from explorer.widgets import charts

    vs, _ = P.pillar_vs_peers(data, "vienna", latest, "focus", "en")
    spec = charts.spec(V.peers_chart, vs, "en")
    assert charts.spec(V.peers_chart, vs, "en") is spec
    view = V.city_view(data, bands, "vienna", latest, "en")
    trend = charts.spec(V.trend_scores_chart, view.trend, view.trend_labels, "en")
    assert trend["encoding"]["color"]["sort"] == list(view.trend_labels)
    ranks = charts.spec(V.trend_ranks_chart, view.trend_ranks, view.trend_labels, "de")
    assert ranks["encoding"]["y"]["title"] != "Rank (1 = top)"                   # in the language
    cv = C.compare_view(data, bands, ("vienna", "budapest"), latest, "en")
    bars = charts.spec(C.pillars_chart, cv.pillars, cv.city_order, cv.label_order, "en")
    assert bars["height"] == 90 + 20 * 2 * len(cv.label_order)
    line = charts.spec(C.rank_trend_chart, cv.ranked_trend, cv.city_order, "en")
    assert line["encoding"]["color"]["sort"] == list(cv.city_order)


def test_compare_pillar_rows_are_one_frame_per_choice(data, bands, latest):
    cv = C.compare_view(data, bands, ("vienna", "budapest"), latest, "en")
    which = cv.pillar_choices[1]
    assert cv.indicator_rows(which) is cv.indicator_rows(which)
    assert set(cv.indicator_rows(which)["pillar_name"]) == {which}
    assert list(cv.not_ranked_notes) == [] or all("is not ranked in" in n for n in cv.not_ranked_notes)
