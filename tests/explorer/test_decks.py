"""A FrozenDeck (explorer.widgets.decks) draws the same element as a plain Deck, serialised once."""

from __future__ import annotations

import pydeck as pdk
from streamlit.testing.v1 import AppTest

from explorer.widgets import decks


def _deck(cls=pdk.Deck):
    layer = pdk.Layer("ScatterplotLayer", id="pts", data=[{"lon": 19.04, "lat": 47.5, "name": "Budapest"}],
                      get_position=["lon", "lat"], get_radius=7, pickable=True)
    return cls(layers=[layer], initial_view_state=pdk.ViewState(latitude=47.5, longitude=19.0, zoom=3),
               map_provider="carto", tooltip={"text": "{name}"})


def _app(frozen: bool):
    import pydeck as pdk
    import streamlit as st

    from explorer.widgets import decks
    from tests.explorer.test_decks import _deck

    st.pydeck_chart(_deck(decks.FrozenDeck if frozen else pdk.Deck), height=300)


def test_the_frozen_deck_draws_the_same_element():
    protos = []
    for frozen in (False, True):
        at = AppTest.from_function(_app, args=(frozen,)).run()
        assert not at.exception
        protos.append(at.get("deck_gl_json_chart")[0].proto)
    assert protos[0].json == protos[1].json and protos[0].tooltip == protos[1].tooltip and protos[0].json
    assert protos[0].id == protos[1].id


def test_frozen_serialises_once_and_the_json_is_pydeck_s():
    deck = decks.frozen(_deck(decks.FrozenDeck))
    assert deck.to_json() is deck.to_json() and "frozen" not in deck.to_json().lower()
    assert deck.to_json() == _deck().to_json()
