"""Map data (explorer.views.map.layers): points, colours and links are the published values, and serialise cleanly."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from explorer.views.map import layers as mapview


def test_score_classes_and_colours():
    assert mapview.score_class(0.0) == 0
    assert mapview.score_class(19.99) == 0
    assert mapview.score_class(20.0) == 1
    assert mapview.score_class(100.0) == 4
    assert mapview.score_class(None) is None
    assert mapview.score_class(float("nan")) is None
    assert mapview.colour_for(90.0, ranked=False) == mapview.GREY
    assert mapview.colour_for(90.0, ranked=True) == mapview.PALETTE[4]
    radii = [mapview.radius_for(s, True) for s in (0, 25, 50, 75, 100)]
    assert radii == sorted(radii) and radii[0] > mapview.radius_for(50, False)


@pytest.mark.parametrize("metric", mapview.METRICS)
def test_city_points_match_published_scores(data, metric):
    edition = max(data.editions)
    points = mapview.city_points(data, edition, metric)
    s = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == metric)].set_index("city_id")
    assert len(points) == len(data.cities)
    ranked = points[points["ranked"]]
    assert len(ranked) == int(s["rank"].notna().sum())
    for rec in points.itertuples():
        row = s.loc[rec.city_id]
        if pd.isna(row["score"]):
            assert rec.score_label == "no score"
        else:
            assert rec.score == pytest.approx(row["score"])
            assert rec.score_label == f"{row['score']:.1f}"
        if rec.ranked:
            assert rec.rank == row["rank"] and rec.rank_label == f"{row['rank']} of {row['n_ranked']}"
            assert rec.colour != mapview.GREY
        else:
            assert rec.colour == mapview.GREY and rec.rank_label.startswith("not ranked")


def test_layer_records_are_strict_json(data):
    points = mapview.city_points(data, min(data.editions), "index")
    records = mapview.layer_records(points, ["name", "score", "rank", "lon", "lat", "colour", "radius"])
    text = json.dumps(records, allow_nan=False)  # raises on NaN
    assert json.loads(text)[0].keys() == {"name", "score", "rank", "lon", "lat", "colour", "radius"}


def test_twin_links_are_the_published_pairs(data):
    links = mapview.twin_links(data, "budapest")
    t = data.twinnings
    pairs = t[(t["city_id_a"] == "budapest") | (t["city_id_b"] == "budapest")]
    partners = set(pairs["city_id_a"]) | set(pairs["city_id_b"])
    partners.discard("budapest")
    assert set(links["partner_id"]) == partners & data.city_ids
    assert len(links) == len(partners & data.city_ids) > 0
    vienna = links[links["partner_id"] == "vienna"].iloc[0]
    c = data.cities.set_index("city_id")
    assert (vienna["to_lon"], vienna["to_lat"]) == (c.at["vienna", "lon"], c.at["vienna", "lat"])
    assert all(math.isfinite(v) for v in links[["from_lon", "from_lat", "to_lon", "to_lat"]].to_numpy().ravel())


def test_pact_links_follow_membership_by_edition(data):
    founders = {"budapest", "prague", "warsaw", "bratislava"}
    assert set(mapview.pact_members_at(data, 2019)) == founders
    latest = max(data.editions)
    members = mapview.pact_members_at(data, latest)
    assert set(members) == set(data.pact_members["city_id"])
    assert len(mapview.pact_links(data, "budapest", 2019)) == 3
    assert len(mapview.pact_links(data, "budapest", latest)) == len(members) - 1
    assert mapview.pact_links(data, "new-york-city", latest).empty  # not a member
    assert mapview.pact_links(data, "athens", 2024).empty  # no known date: counted from 2025


def test_view_centres_on_the_selected_city(data):
    points = mapview.city_points(data, max(data.editions), "index")
    view = mapview.view_for(points, "vienna")
    c = data.cities.set_index("city_id")
    assert (view["latitude"], view["longitude"]) == (c.at["vienna", "lat"], c.at["vienna", "lon"])
    assert mapview.view_for(points, None)["zoom"] < 2


def test_labels_start_with_the_selected_city_and_do_not_pile_up(data):
    members = sorted(data.pact_members["city_id"])
    labels = mapview.label_records(data, ["vienna", *members], zoom=2.6, max_labels=40)
    assert labels[0]["label"] == data.city_name("vienna")
    assert len({r["label"] for r in labels}) == len(labels)
    assert len(labels) < len(members)  # close neighbours (Ulm / Neu-Ulm, Taipei / Taoyuan) are left unlabelled
    assert len(mapview.label_records(data, ["vienna", "vienna"], zoom=1)) == 1


def test_legend_rows_match_the_palette():
    rows = mapview.legend_rows()
    assert len(rows) == len(mapview.PALETTE) + 1 and rows.iloc[-1]["class"] == "not ranked"


def test_frozen_deck_sends_what_pydeck_would_and_serialises_once(data):
    import pydeck as pdk

    from explorer.views.map import page as map_page

    d = map_page.deck(data, max(data.editions), "index", "budapest", "en")
    assert map_page.deck(data, max(data.editions), "index", "budapest", "en") is d
    plain = pdk.Deck(layers=d.layers, initial_view_state=d.initial_view_state, map_provider="carto",
                     map_style=map_page.BASEMAP, tooltip=d._tooltip)
    assert d.to_json() == plain.to_json() and d.to_json() is d.to_json()
    assert "frozen" not in d.to_json().lower()


def test_decks_keep_languages_metrics_and_cities_apart(data):
    from explorer.views.map import page as map_page

    e = max(data.editions)
    en, de = map_page.deck(data, e, "index", None, "en"), map_page.deck(data, e, "index", None, "de")
    assert en is not de and en.to_json() != de.to_json() and "Rank: " in en._tooltip["text"]
    assert map_page.deck(data, e, "tourism", None, "en").to_json() != en.to_json()
    assert map_page.deck(data, e, "index", "vienna", "en").to_json() != en.to_json()


def test_twin_table_is_the_links_with_their_source_titles(data):
    from explorer.views.map import page as map_page

    table = map_page.twin_table(data, "budapest", "en")
    twins = mapview.twin_links(data, "budapest", "en")
    pd.testing.assert_frame_equal(table[list(twins.columns)], twins)
    titles = dict(zip(data.sources["source_id"], data.sources["title"]))
    assert list(table["sources"]) == ["; ".join(str(titles.get(i, i)) for i in ids) for ids in twins["source_ids"]]
