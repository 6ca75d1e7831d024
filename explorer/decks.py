"""pydeck maps serialised once per process: what st.pydeck_chart needs from a Deck, with its JSON made once.

Why: st.pydeck_chart calls `Deck.to_json()` on every run (the Pact members map is ~25 KB of JSON, the city map
over 100 KB), although the deck is the same for every session of a language. A FrozenDeck carries the JSON made
once and the attributes st.pydeck_chart reads (the tooltip, the Mapbox key, the width); it has no layers left to
convert, so nothing is changed in place while sessions share it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pydeck as pdk

from explorer.memo import KeyedMemo

_DECKS = KeyedMemo(64, copy=False)


class FrozenDeck:
    """A Deck already serialised, for st.pydeck_chart (which reads only these attributes and to_json())."""

    layers = None   # st.pydeck_chart's pandas-3 workaround converts layer frames in place: nothing left to convert

    def __init__(self, deck: pdk.Deck) -> None:
        self._json = deck.to_json()
        self._tooltip = getattr(deck, "_tooltip", None)
        self.deck_widget = getattr(deck, "deck_widget", None)
        self.mapbox_key = getattr(deck, "mapbox_key", None)
        self.width = getattr(deck, "width", None)

    def to_json(self) -> str:
        return self._json


def frozen(owner: object, key: tuple[Hashable, ...], build: Callable[[], pdk.Deck]) -> FrozenDeck:
    """The per-process FrozenDeck of `build()` for (`owner`, the shared IndexData, and `key`, naming everything
    else the deck depends on: page, language, edition, ...)."""
    return _DECKS.get(owner, key, lambda: FrozenDeck(build()))
