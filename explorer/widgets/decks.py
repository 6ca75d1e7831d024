"""pydeck maps serialised once per process, for st.pydeck_chart.

Why: st.pydeck_chart calls `Deck.to_json()` on every run (pydeck's json.dumps over every point record: the Pact
members map is ~25 KB of JSON, the city map over 100 KB, about a third of a map run), although the deck is the same
for every session of a language. A FrozenDeck keeps pydeck's own JSON after the first call; `frozen` keeps one per
process and key, so every session is sent the same bytes pydeck would send.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pydeck as pdk

from explorer.perf.memo import KeyedMemo

MAX_DECKS = 64
_DECKS = KeyedMemo(MAX_DECKS, copy=False)


class FrozenDeck(pdk.Deck):
    """A Deck whose JSON is computed once (by pydeck's own serialiser) and then reused: for a deck never changed
    after it is built. The JSON lives in a slot, outside the instance __dict__ that pydeck serialises, so it never
    appears in the JSON itself."""

    __slots__ = ("_frozen_json",)

    def to_json(self) -> str:
        try:
            return self._frozen_json
        except AttributeError:
            self._frozen_json = super().to_json()
            return self._frozen_json


def frozen(owner: object, key: tuple[Hashable, ...], build: Callable[[], FrozenDeck]) -> FrozenDeck:
    """The per-process FrozenDeck `build()` makes for (`owner`, the shared IndexData, and `key`, naming everything
    else the deck depends on: page, language, edition, ...), serialised when built. Shared by every session, so
    never to be changed (st.pydeck_chart only reads it; its pandas-3 workaround converts DataFrame layer data in
    place, so the layers must hold lists of records)."""
    def made() -> FrozenDeck:
        deck = build()
        deck.to_json()
        return deck

    return _DECKS.get(owner, key, made)
