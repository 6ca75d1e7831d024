"""The view functions the ranking, map and Pact pages draw from (explorer.views.ranking, whatif, map, pact,
pact_map): the sentences and tables a reader sees, built once and shared."""

from __future__ import annotations

import json

from cdi_core.whatif import published_base
from explorer.views import ranking as R
from explorer.views import whatif as W
from explorer.views.bands import load_robust
from explorer.views.map import page as map_view
from explorer.views.pact import map as pact_map
from explorer.views.pact import members as pv


def test_ranking_caption_counts_the_filtered_rows(data, latest):
    bands = load_robust(data.index_dir).bands
    view = R.ranking_view(data, bands, latest, None, "v4", True, "en")
    text = R.ranking_caption(view, latest, True, "en")
    assert text.startswith(f"{view.n_ranked} of the {view.total_ranked} cities ranked in {latest}")
    assert R.ranking_caption(view, latest, True, "en") is text
    assert "not-ranked" in text or view.n_ranked == len(view.rows)
    assert R.ranking_caption(view, latest, True, "de") != text


def test_whatif_view_is_the_filtered_rows_reranked_with_names(data, latest):
    bands = load_robust(data.index_dir).bands
    view = R.ranking_view(data, bands, latest, None, "v4", False, "hu")
    base = published_base(data.indicators, data.scores)
    official = W.official_weights(data)
    own = W.whatif_view(base, data, view.rows, official, latest, "hu")
    assert W.whatif_view(base, data, view.rows, official, latest, "hu") is own
    assert len(own) == len(view.rows) and "Prága" in set(own["city"])
    assert (own["difference"] == 0).all()                 # the official weights reproduce the official ranks
    tilted = W.whatif_view(base, data, view.rows, (70, 10, 10, 10), latest, "hu")
    assert list(tilted.columns) == list(own.columns) and set(tilted["city"]) == set(own["city"])


def test_weights_caption_says_the_shares(data, latest):
    text = W.weights_caption(data, (40, 20, 20, 20), 176, latest, "en")
    assert text.startswith("Weights: ") and "40%" in text and "20%" in text and "176 cities ranked" in text


def test_map_sentences_count_the_links(data, latest):
    title, sentence = map_view.links_texts(data, "budapest", latest, "en")
    assert title == "Links of Budapest"
    n_twins = len(map_view.twin_table(data, "budapest", "en"))
    assert f"Orange arcs: {n_twins} twin" in sentence and "Purple arcs:" in sentence
    assert map_view.alt_text(data, latest, "index", "budapest", "en").endswith(", with the links of Budapest")
    points = map_view.points_table(data, latest, "index", "en")
    assert list(points["rank"].dropna()) == sorted(points["rank"].dropna())


def test_pact_members_map_and_sentences(data):
    deck = pact_map.members_deck(data, "de")
    assert pact_map.members_deck(data, "de") is deck and deck.to_json() is deck.to_json()
    members = json.loads(deck.to_json())["layers"][0]["data"]
    assert len(members) == len(data.pact_members)
    labels, hexes = pact_map.wave_legend("de")
    assert len(labels) == len(hexes) == len(pact_map.WAVES) and labels[-1] != "date not known"
    assert {m["wave"] for m in members} <= set(labels)
    undated = pv.undated(data)
    sentence = pv.undated_sentence(data, "en")
    assert all(n in sentence for n in undated["name"]) and str(len(undated)) in sentence
    sources = pv.sources_table(data, "en")
    assert set(sources["source_id"]) == set(data.pact_members["source_id"])
    assert all(u is None or u.startswith(("https://", "http://")) for u in sources["link"])
