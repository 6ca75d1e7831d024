"""The index's framework as the pages show it: pillar ids in the published order, their names and short chart labels
in a language, all read from framework.parquet (the set and the order are never hard-coded). Pure pandas, no
Streamlit; results are memoised per process and shared read-only."""

from __future__ import annotations

import pandas as pd

from explorer.data.store import INDEX, IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import N_, translator

# Shorter forms of the framework's pillar names for chart axes and legends (so they fit a 390 px phone), keyed by
# the published English name: a pillar not listed here is labelled with its full name. Tables use the full names.
SHORT_NAMES = {
    "City relations": N_("City relations"),
    "Tourism & cultural relations": N_("Tourism & culture"),
    "Business relations": N_("Business"),
    "Multiculturalism": N_("Multiculturalism"),
}


def _ids(framework: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(p) for p in framework["pillar"]))


@memo
def pillar_ids(data: IndexData) -> tuple[str, ...]:
    """The pillar ids in the order of the published framework table (the first row of each pillar)."""
    return _ids(data.framework)


@memo
def pillar_names(data: IndexData, lang: str) -> dict[str, str]:
    """pillar id -> the framework's pillar name, translated through the catalogue (msgid = the English name), in
    the framework's order."""
    _ = translator(lang)
    names = data.pillar_names
    return {p: _(names[p]) for p in pillar_ids(data)}


@memo
def score_names(data: IndexData, lang: str) -> dict[str, str]:
    """The index ("Index") and then each pillar's full name, in the language and the framework's order."""
    return {INDEX: translator(lang)("Index"), **pillar_names(data, lang)}


@memo
def chart_labels(data: IndexData, lang: str) -> dict[str, str]:
    """The index and each pillar with its short label for charts (SHORT_NAMES, else the full name), in order."""
    _ = translator(lang)
    names = data.pillar_names
    return {INDEX: _("Index"), **{p: _(SHORT_NAMES.get(names[p], names[p])) for p in pillar_ids(data)}}


def score_order(data: IndexData) -> tuple[str, ...]:
    """The index, then the pillars in the framework's order (the order of every score list and chart)."""
    return (INDEX, *pillar_ids(data))
