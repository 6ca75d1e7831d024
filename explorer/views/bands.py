"""Rank bands and the audit tables as published (data/index), with no Streamlit import: shared by the pages
(through explorer.data.cache) and the static snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pandas as pd

from explorer.data.store import INDEX
from explorer.perf.memo import memo
from explorer.text.i18n import translator

ROBUST_TABLES = ("rank_uncertainty", "audit_pillars", "audit_indicators", "audit_correlations")
BAND_COLUMNS = ["city_id", "edition", "pillar", "rank", "rank_median", "rank_low", "rank_high", "n_ranked", "n_runs"]


@dataclass(frozen=True)
class RobustData:
    """The uncertainty and audit tables (empty frames if a file is absent, so pages degrade instead of failing)."""

    tables: dict[str, pd.DataFrame]

    @property
    def bands(self) -> pd.DataFrame:
        return self.tables["rank_uncertainty"]


def load_robust(index_dir: Path) -> RobustData:
    tables = {}
    for name in ROBUST_TABLES:
        path = Path(index_dir) / f"{name}.parquet"
        tables[name] = pd.read_parquet(path) if path.is_file() else pd.DataFrame(
            columns=BAND_COLUMNS if name == "rank_uncertainty" else [])
    return RobustData(tables)


# --- bands ----------------------------------------------------------------------------------------------------------

def band_range(low: object, high: object) -> str:
    """'17–26', or '1' when every run gave the same rank; '' when there is no band."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f"{int(low)}" if int(low) == int(high) else f"{int(low)}–{int(high)}"


def band_text(rank: object, low: object, high: object, lang: str = "en") -> str:
    """'rank 21, likely 17–26' (the 5–95 % band of the Monte Carlo runs)."""
    _ = translator(lang)
    if rank is None or pd.isna(rank):
        return _("not ranked")
    rng = band_range(low, high)
    if not rng:
        return _("rank {rank}").format(rank=int(rank))
    return (_("rank {rank}, likely {range}").format(rank=int(rank), range=rng) if "–" in rng
            else _("rank {rank}, the same in every run").format(rank=int(rank)))


@memo
def bands_for(bands: pd.DataFrame, edition: int, pillar: str = INDEX) -> pd.DataFrame:
    """One edition's bands for the index (or a pillar), indexed by city_id; memoised per process on the identity of
    the (shared, read-only) bands table, one shared read-only frame per key."""
    b = bands[(bands["edition"] == edition) & (bands["pillar"] == pillar)]
    return b.set_index("city_id")[["rank", "rank_median", "rank_low", "rank_high", "n_runs"]]


@memo
def band_ranges(bands: pd.DataFrame, edition: int, pillar: str = INDEX) -> dict[str, str]:
    """city_id -> '17–26' for every city with a band in the edition; one read-only dict per process and (bands,
    edition, pillar), so band_column is a dict look-up per city instead of a filter and a .at per city."""
    b = bands_for(bands, int(edition), pillar)
    return {c: band_range(lo, hi) for c, lo, hi in zip(b.index, b["rank_low"], b["rank_high"])}


def band_column(bands: pd.DataFrame, city_ids: list[str], edition: int, pillar: str = INDEX) -> list[str]:
    """'17–26' per city (or '' for a city without a band), in the given order."""
    ranges = band_ranges(bands, edition, pillar)
    return [ranges.get(c, "") for c in city_ids]


def overlap_notes(bands: pd.DataFrame, city_ids: list[str], names: dict[str, str], edition: int,
                  lang: str = "en") -> list[str]:
    """One plain-language note per pair of compared cities whose index rank bands overlap."""
    _ = translator(lang)
    b = bands_for(bands, edition)
    notes = []
    for a, c in combinations([x for x in city_ids if x in b.index], 2):
        if b.at[a, "rank_low"] <= b.at[c, "rank_high"] and b.at[c, "rank_low"] <= b.at[a, "rank_high"]:
            notes.append(_("{a} and {b}: their rank bands overlap, so the order between them is not certain.").format(
                a=names.get(a, a), b=names.get(c, c)))
    return notes
