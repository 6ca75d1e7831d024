"""Rank bands, audit tables and what-if weights for the pages: pure pandas over the published Parquet, plus the
cached loaders (one copy per server process, read-only like explorer.data).

Why a module of its own: the bands and the audit are published beside the index (data/index) but are not part of
explorer.data's core tables; and the what-if re-rank is cdi_core.whatif (the index's own aggregate and rank stages)
applied to the published scores, so the app never carries a copy of the index math.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cdi_core.whatif import PublishedBase, published_base, rerank_base
from explorer.bands import (  # noqa: F401 - re-exported for the pages
    BAND_COLUMNS,
    ROBUST_TABLES,
    RobustData,
    band_column,
    band_range,
    band_text,
    bands_for,
    load_robust,
    overlap_notes,
)
from explorer.data import INDEX, IndexData, get_index
from explorer.memo import per_process


@st.cache_resource(show_spinner=False)
def get_robust() -> RobustData:
    return load_robust(get_index().index_dir)


@st.cache_resource(show_spinner=False)
def get_whatif_base() -> PublishedBase:
    """The published indicator scores reshaped once for the what-if sliders."""
    d = get_index()
    return published_base(d.indicators, d.scores)


# --- what-if --------------------------------------------------------------------------------------------------------

@per_process
def weight_pillars(data: IndexData) -> tuple[str, ...]:
    """The pillar ids in framework order (the what-if sliders' order); once per process."""
    return tuple(data.framework.drop_duplicates("pillar")["pillar"])


@per_process
def official_weights(data: IndexData) -> tuple[int, ...]:
    """The official pillar weights as whole percentages (equal weights -> 25 each), in framework order; once per
    process."""
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
