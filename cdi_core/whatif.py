"""What-if pillar weights: the user's own weighting of the published scores, never the official CDI.

Why here and not in the app: it re-runs the aggregate and rank stages of cdi_core.compute on the published
normalised indicator scores (indicators.parquet) and the published ranked flags (scores.parquet), so the explorer
never reads raw inputs and never carries a copy of the index math. With the official weights it reproduces the
published index exactly (tested). `published_base` does the one-off reshaping (cache it); `rerank` is then a few
milliseconds, so sliders can re-rank instantly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cdi_core.compute import INDEX, aggregate, rank
from cdi_core.spec import Spec, load_spec


@dataclass(frozen=True)
class PublishedBase:
    """Published indicator scores as a (cities, editions, indicators) array, with the ranked flags and the spec."""

    spec: Spec
    city_ids: list[str]
    editions: list[int]
    scores: np.ndarray
    ranked: np.ndarray


def published_base(indicators: pd.DataFrame, scores: pd.DataFrame, spec: Spec | None = None) -> PublishedBase:
    """Reshape the published tables once."""
    spec = spec or load_spec()
    city_ids = sorted(set(indicators["city_id"]))
    editions = sorted(int(e) for e in set(indicators["edition"]))
    grid = pd.MultiIndex.from_product([city_ids, editions, spec.indicator_ids])
    s = indicators.set_index(["city_id", "edition", "indicator"])["score"].reindex(grid)
    idx = scores[scores["pillar"] == INDEX].set_index(["city_id", "edition"])["ranked"]
    ranked = idx.reindex(pd.MultiIndex.from_product([city_ids, editions])).fillna(False).astype(bool)
    shape = (len(city_ids), len(editions))
    return PublishedBase(spec=spec, city_ids=city_ids, editions=editions,
                         scores=s.to_numpy(float).reshape(shape + (len(spec.indicator_ids),)),
                         ranked=ranked.to_numpy().reshape(shape))


def rerank_base(base: PublishedBase, pillar_weights: dict[str, float]) -> pd.DataFrame:
    """Index score and rank per city and edition under the given pillar weights (any non-negative numbers, not all
    zero; they are renormalised). Only ranked cities get a score and a rank."""
    spec = base.spec.override(pillar_weights=pillar_weights)
    agg = aggregate(base.scores, base.ranked, spec)
    ranks = rank(agg, base.ranked)
    n_c, n_e = base.ranked.shape
    out = pd.DataFrame({
        "city_id": np.repeat(base.city_ids, n_e),
        "edition": np.tile(base.editions, n_c),
        "score": agg[..., -1].reshape(-1),
        "rank": ranks[..., -1].reshape(-1),
    })
    out = out[base.ranked.reshape(-1)]
    out["rank"] = out["rank"].astype(int)
    return out.sort_values(["edition", "rank", "city_id"]).reset_index(drop=True)


def rerank(indicators: pd.DataFrame, scores: pd.DataFrame, pillar_weights: dict[str, float],
           spec: Spec | None = None) -> pd.DataFrame:
    """One-call form of `published_base` + `rerank_base` (for scripts and tests)."""
    return rerank_base(published_base(indicators, scores, spec), pillar_weights)
