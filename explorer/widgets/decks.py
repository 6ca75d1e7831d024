"""pydeck maps serialised once: a FrozenDeck keeps pydeck's own JSON after its first `to_json`, so a deck built
by a memoised view function (explorer.perf.memo) sends every session the bytes pydeck would send.
Why: benchmarks/README.md, "Why the explorer caches what it caches".
"""

from __future__ import annotations

import pydeck as pdk


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


def frozen(deck: FrozenDeck) -> FrozenDeck:
    """`deck`, serialised now: for a deck builder memoised with explorer.perf.memo, whose deck every session then
    shares, so never to be changed (st.pydeck_chart only reads it; its pandas-3 workaround converts DataFrame
    layer data in place, so the layers must hold lists of records)."""
    deck.to_json()
    return deck
