"""The /changes page's per-process view (explorer.views.changes.tables.city_changes, peers_view) holds exactly what the
display helpers give, once per city, edition and language."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.data.store import FOCUS, load_index
from explorer.views.bands import load_robust
from explorer.views.changes import tables as W


@pytest.fixture(scope="module")
def inputs():
    data = load_index()
    return data, W.load_changes(data.index_dir), load_robust(data.index_dir).bands


def test_the_view_is_the_display_helpers_output(inputs):
    data, ch, bands = inputs
    edition = max(data.editions)
    view = W.city_changes(data, ch, bands, "budapest", edition, "Budapest", "hu")
    lines = W.contributions(data, ch, "budapest", edition, lang="hu")
    pd.testing.assert_frame_equal(view.lines.drop(columns=["events"]), lines)
    pd.testing.assert_frame_equal(view.diff, W.data_changes(data, ch, "budapest", edition, lang="hu"))
    pd.testing.assert_frame_equal(view.waterfall, W.waterfall(view.lines, view.head["score_prev"],
                                                              view.head["score"], edition, lang="hu"))
    assert view.head == W.index_change(data, "budapest", edition)
    assert W.city_changes(data, ch, bands, "budapest", edition, "Budapest", "hu") is view
    assert W.city_changes(data, ch, bands, "budapest", edition, "Budapest", "de") is not view


def test_the_first_edition_has_nothing_to_split(inputs):
    data, ch, bands = inputs
    view = W.city_changes(data, ch, bands, "budapest", min(data.editions), "Budapest")
    assert view.head is None and view.lines is None and view.n_zero == 0


def test_peers_are_the_focus_cities_named_in_the_language(inputs):
    data, ch, bands = inputs
    peers = W.peers_view(data, ch, bands, max(data.editions), "hu")
    assert set(peers["city_id"]) <= set(FOCUS) and "Bécs" in set(peers["name"])
