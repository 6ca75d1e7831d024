"""Rank bands, audit tables and what-if weights for the pages: pure pandas over the published Parquet, plus the
cached loaders (one copy per server process, read-only like explorer.data).

Why a module of its own: the bands and the audit are published beside the index (data/index) but are not part of
explorer.data's core tables; and the what-if re-rank is cdi_core.whatif (the index's own aggregate and rank stages)
applied to the published scores, so the app never carries a copy of the index math.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pandas as pd
import streamlit as st

from cdi_core.whatif import PublishedBase, published_base, rerank_base
from explorer.data import INDEX, IndexData, get_index

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


@st.cache_resource(show_spinner=False)
def get_robust() -> RobustData:
    return load_robust(get_index().index_dir)


@st.cache_resource(show_spinner=False)
def get_whatif_base() -> PublishedBase:
    """The published indicator scores reshaped once for the what-if sliders."""
    d = get_index()
    return published_base(d.indicators, d.scores)


# --- bands ----------------------------------------------------------------------------------------------------------

def band_range(low: object, high: object) -> str:
    """'17–26', or '1' when every run gave the same rank; '' when there is no band."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f"{int(low)}" if int(low) == int(high) else f"{int(low)}–{int(high)}"


def band_text(rank: object, low: object, high: object) -> str:
    """'rank 21, likely 17–26' (the 5–95 % band of the Monte Carlo runs)."""
    if rank is None or pd.isna(rank):
        return "not ranked"
    rng = band_range(low, high)
    if not rng:
        return f"rank {int(rank)}"
    return f"rank {int(rank)}, likely {rng}" if "–" in rng else f"rank {int(rank)}, the same in every run"


def bands_for(bands: pd.DataFrame, edition: int, pillar: str = INDEX) -> pd.DataFrame:
    """One edition's bands for the index (or a pillar), indexed by city_id."""
    b = bands[(bands["edition"] == edition) & (bands["pillar"] == pillar)]
    return b.set_index("city_id")[["rank", "rank_median", "rank_low", "rank_high", "n_runs"]]


def band_column(bands: pd.DataFrame, city_ids: list[str], edition: int, pillar: str = INDEX) -> list[str]:
    """'17–26' per city (or '' for a city without a band), in the given order."""
    b = bands_for(bands, edition, pillar)
    return [band_range(b.at[c, "rank_low"], b.at[c, "rank_high"]) if c in b.index else "" for c in city_ids]


def overlap_notes(bands: pd.DataFrame, city_ids: list[str], names: dict[str, str], edition: int) -> list[str]:
    """One plain-language note per pair of compared cities whose index rank bands overlap."""
    b = bands_for(bands, edition)
    notes = []
    for a, c in combinations([x for x in city_ids if x in b.index], 2):
        if b.at[a, "rank_low"] <= b.at[c, "rank_high"] and b.at[c, "rank_low"] <= b.at[a, "rank_high"]:
            notes.append(f"{names.get(a, a)} and {names.get(c, c)}: their rank bands overlap, so the order between "
                         "them is not certain.")
    return notes


# --- what-if --------------------------------------------------------------------------------------------------------

def official_weights(data: IndexData) -> tuple[int, ...]:
    """The official pillar weights as whole percentages (equal weights -> 25 each), in framework order."""
    pw = data.framework.drop_duplicates("pillar").set_index("pillar")["pillar_weight"]
    total = float(pw.sum())
    return tuple(int(round(100 * float(w) / total)) for w in pw)


def whatif_table(base: PublishedBase, data: IndexData, pillar_ids: list[str], weights: tuple[int, ...],
                 edition: int) -> pd.DataFrame:
    """The user's own ranking of one edition beside the official rank: own rank, city, own score, official rank and
    the difference (+ = higher under the user's weights)."""
    own = rerank_base(base, dict(zip(pillar_ids, (float(w) for w in weights))))
    own = own[own["edition"] == edition]
    off = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == INDEX)].set_index("city_id")
    names = data.cities.set_index("city_id")["name"]
    return pd.DataFrame({
        "own_rank": own["rank"].to_numpy(),
        "city": [str(names.get(c, c)) for c in own["city_id"]],
        "own_score": own["score"].to_numpy(),
        "official_rank": off["rank"].reindex(own["city_id"]).astype("Int64").to_numpy(),
        "city_id": own["city_id"].to_numpy(),
    }).assign(difference=lambda f: (f["official_rank"] - f["own_rank"]).astype("Int64"))
