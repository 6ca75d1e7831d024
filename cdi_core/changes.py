"""What changed between editions: exact per-indicator decomposition of score changes, rank-change split, data diff.

Why: a reader seeing "Budapest +1.8, up 3 places" needs to know which indicator moved it, whether that was new data
or a carried-forward value, and whether the rank moved because of the city or because of the others. Everything
here reads the published long tables (indicators.parquet `score`, scores.parquet) and re-runs the `aggregate`,
`weighted_mean` stages of cdi_core.compute (a hypothetical field's rank is counted as the `rank` stage would rank
it); it adds only the bookkeeping of the decomposition.

Decomposition of a pillar (arithmetic weighted mean of the indicator scores a city has, weights renormalised to
what is present). For a city ranked in editions E-1 and E, with indicator scores s (E-1) and s' (E):
  - B = indicators with a score in both editions ("continuing"); b_i = w_i / sum_B w (the same in both editions);
    R, R' = the pillar mean over B in E-1 and in E (the `weighted_mean` stage on the continuing indicators only).
  - continuing indicator i:  b_i * (s'_i - s_i)            (so R' - R is exactly the continuing lines' sum)
  - appeared indicator j:    a'_j * (s'_j - R')             a'_j = its effective weight in E (w_j / sum_present w)
  - lapsed indicator k:     -a_k * (s_k - R)               a_k  = its effective weight in E-1
  With P = (1 - alpha) R + alpha * mean(lapsed) and P' = (1 - beta) R' + beta * mean(appeared) the lines sum to
  P' - P exactly. The whole coverage effect (the value that appeared or lapsed AND the re-weighting of the others it
  causes) is in the appeared/lapsed lines; continuing lines carry no weight shift. If B is empty, R = R' = 0.
The index is the same scheme one level up over pillars: a continuing pillar's lines are scaled by its weight among
continuing pillars; a pillar that appeared (lapsed) is split over its indicators as c'_p * a'_j * (s'_j - R'_I)
(resp. -c_p * a_k * (s_k - R_I)), R_I = index over continuing pillars. Only the arithmetic aggregation is supported.

Rank split (positive = moved up, like scores.parquet's rank_change): rank_own = the rank the city's E score would
have among the OTHER cities' E-1 scores (the E-1 field, ties share the better rank); rank_change_own = rank_prev -
rank_own (the city's own move against a frozen field); rank_change_others = rank_own - rank (others' moves and the
field's entries and exits). The two parts sum to rank_change by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cdi_core.compute import INDEX, STATUS_MISSING, VINTAGE_LATER, aggregate, weighted_mean
from cdi_core.spec import Spec, load_spec
from cdi_core.whatif import PublishedBase, published_base

KIND_NEW = "new"
KIND_CARRIED = "carried_forward"
KIND_REVISED = "revised"
KIND_IMPUTED = "imputed"
KIND_APPEARED = "appeared"
KIND_LAPSED = "lapsed"
KINDS = (KIND_NEW, KIND_CARRIED, KIND_REVISED, KIND_IMPUTED, KIND_APPEARED, KIND_LAPSED)

DIFF_NEW, DIFF_REVISED, DIFF_DROPPED = "new", "revised", "dropped"

CHANGE_COLUMNS = ["city_id", "edition", "pillar", "indicator", "kind", "value_prev", "value", "year_prev", "year",
                  "score_prev", "score", "weight", "contribution", "source_id"]
RANK_CHANGE_COLUMNS = ["city_id", "edition", "pillar", "rank_prev", "rank", "rank_change", "rank_own",
                       "rank_change_own", "rank_change_others"]
DATA_DIFF_COLUMNS = ["city_id", "edition", "indicator", "pillar", "status", "value_changed", "value_prev", "value",
                     "year_prev", "year", "data_status_prev", "data_status", "source_id_prev", "source_id"]


def _shares(present: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Effective weights over the last axis: each present item's weight over the present items' total (0 if none)."""
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, w / total, 0.0)


def _level_split(prev: np.ndarray, cur: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One aggregation level (items on the last axis): (per-item contribution, per-item weight), see module doc.
    The weight is b_i for continuing items, a'_j for appeared and a_k for lapsed ones (0 where absent in both)."""
    p0, p1 = ~np.isnan(prev), ~np.isnan(cur)
    both = p0 & p1
    b, a0, a1 = _shares(both, weights), _shares(p0, weights), _shares(p1, weights)
    r0 = np.nan_to_num(weighted_mean(np.where(both, prev, np.nan), weights, "arithmetic"))[..., None]
    r1 = np.nan_to_num(weighted_mean(np.where(both, cur, np.nan), weights, "arithmetic"))[..., None]
    appeared, lapsed = p1 & ~p0, p0 & ~p1
    contrib = np.select([both, appeared, lapsed],
                        [b * (cur - prev), a1 * (cur - r1), -a0 * (prev - r0)], 0.0)
    weight = np.select([both, appeared, lapsed], [b, a1, a0], 0.0)
    return contrib, weight


def split_scores(scores: np.ndarray, ranked: np.ndarray, spec: Spec) -> tuple[np.ndarray, np.ndarray]:
    """Contributions of each indicator to each edition's change of every pillar and of the index.

    `scores` is (cities, editions, indicators) of normalised indicator scores in spec order, `ranked` (cities,
    editions). Returns (contributions, weights), both (cities, editions, pillars + 1, indicators): level k < P is
    pillar k (zero outside its indicators), level P the index; edition 0 and cities not ranked in both editions are
    NaN."""
    if spec.rules.aggregation != "arithmetic":
        raise ValueError("the change decomposition is exact only for the arithmetic aggregation")
    ids = spec.indicator_ids
    n_c, n_e, n_k = scores.shape
    n_p = len(spec.pillars)
    agg = aggregate(scores, ranked, spec)
    contrib = np.full((n_c, n_e, n_p + 1, n_k), np.nan)
    weight = np.full_like(contrib, np.nan)
    pw = np.array([p.weight for p in spec.pillars])
    for e in range(1, n_e):
        ok = ranked[:, e - 1] & ranked[:, e]
        c_e = np.zeros((n_c, n_p + 1, n_k))
        w_e = np.zeros_like(c_e)
        # index level: pillars as items
        _, pwt = _level_split(agg[:, e - 1, :n_p], agg[:, e, :n_p], pw)
        p_prev, p_cur = ~np.isnan(agg[:, e - 1, :n_p]), ~np.isnan(agg[:, e, :n_p])
        ri0 = np.nan_to_num(weighted_mean(np.where(p_prev & p_cur, agg[:, e - 1, :n_p], np.nan), pw, "arithmetic"))
        ri1 = np.nan_to_num(weighted_mean(np.where(p_prev & p_cur, agg[:, e, :n_p], np.nan), pw, "arithmetic"))
        for k, p in enumerate(spec.pillars):
            members = spec.indicators_of(p.id)
            cols = [ids.index(i.id) for i in members]
            w = np.array([i.weight for i in members])
            s0, s1 = scores[:, e - 1][:, cols], scores[:, e][:, cols]
            ic, iw = _level_split(s0, s1, w)
            c_e[:, k, cols], w_e[:, k, cols] = ic, iw
            both_p = (p_prev[:, k] & p_cur[:, k])[:, None]
            appeared_p = (p_cur[:, k] & ~p_prev[:, k])[:, None]
            lapsed_p = (p_prev[:, k] & ~p_cur[:, k])[:, None]
            a1, a0 = _shares(~np.isnan(s1), w), _shares(~np.isnan(s0), w)
            c_e[:, n_p, cols] = np.select(
                [both_p, appeared_p, lapsed_p],
                [pwt[:, [k]] * ic, pwt[:, [k]] * a1 * np.nan_to_num(s1 - ri1[:, None]),
                 -pwt[:, [k]] * a0 * np.nan_to_num(s0 - ri0[:, None])],
                0.0)
            w_e[:, n_p, cols] = np.select([both_p, appeared_p, lapsed_p],
                                          [pwt[:, [k]] * iw, pwt[:, [k]] * a1, pwt[:, [k]] * a0], 0.0)
        contrib[ok, e] = c_e[ok]
        weight[ok, e] = w_e[ok]
    return contrib, weight


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    """Element-wise equality where two missing values count as equal."""
    return ((a.isna() & b.isna()) | (a == b).fillna(False)).astype(bool)


def pairs(indicators: pd.DataFrame) -> pd.DataFrame:
    """Each (city, edition > first, indicator) row of the indicators table beside the previous edition's, with the
    kind of change: appeared / lapsed (a score in one edition only), imputed (E's value is a later-vintage stand-in
    or imputed), new (a different data year), carried_forward (same year, value and status), revised (same year,
    otherwise different); '' where neither edition has a score."""
    cols = ["city_id", "indicator", "edition", "pillar", "value", "year", "status", "vintage", "imputed", "score",
            "source_id"]
    cur = indicators[cols]
    prev = cur.assign(edition=cur["edition"] + 1).drop(columns="pillar")
    m = cur[cur["edition"] > cur["edition"].min()].merge(prev, on=["city_id", "indicator", "edition"], how="left",
                                                         suffixes=("", "_prev"))
    h0, h1 = m["score_prev"].notna(), m["score"].notna()
    imputed = (m["vintage"] == VINTAGE_LATER) | m["imputed"].astype(bool)
    same_year, same_value = _same(m["year_prev"], m["year"]), _same(m["value_prev"], m["value"])
    same_status = _same(m["status_prev"], m["status"])
    m["kind"] = np.select(
        [h1 & ~h0, h0 & ~h1, ~h0 & ~h1, imputed, ~same_year, same_value & same_status],
        [KIND_APPEARED, KIND_LAPSED, "", KIND_IMPUTED, KIND_NEW, KIND_CARRIED], KIND_REVISED)
    m["year_prev"] = m["year_prev"].astype("Int64")
    m["edition"] = m["edition"].astype("int64")
    return m


def decompose(indicators: pd.DataFrame, scores: pd.DataFrame, spec: Spec | None = None,
              base: PublishedBase | None = None) -> pd.DataFrame:
    """The changes table: per city ranked in E-1 and E, per level (`index` or a pillar id) and per indicator with a
    score in either edition, its contribution to the level's score change (the lines of a level sum to its
    `score_change` in scores.parquet), the effective weight behind it, the kind of change and both editions' data."""
    spec = spec or load_spec()
    base = base or published_base(indicators, scores, spec)
    contrib, weight = split_scores(base.scores, base.ranked, spec)
    ids = spec.indicator_ids
    levels = spec.pillar_ids + [INDEX]
    c_idx, e_idx, l_idx, k_idx = (a.reshape(-1) for a in np.indices(contrib.shape))
    pillar_of = np.array([spec.indicator(i).pillar for i in ids])
    level = np.array(levels)[l_idx]
    keep = ~np.isnan(contrib.reshape(-1)) & ((level == INDEX) | (level == pillar_of[k_idx]))
    lines = pd.DataFrame({
        "city_id": np.array(base.city_ids)[c_idx[keep]], "edition": np.array(base.editions)[e_idx[keep]],
        "pillar": level[keep], "indicator": np.array(ids)[k_idx[keep]],
        "weight": weight.reshape(-1)[keep], "contribution": contrib.reshape(-1)[keep]})
    p = pairs(indicators).drop(columns="pillar")
    out = lines.merge(p, on=["city_id", "edition", "indicator"], how="left", validate="many_to_one")
    out = out[out["kind"] != ""]
    out["source_id"] = out["source_id"].where(out["kind"] != KIND_LAPSED, out["source_id_prev"])
    order = {lv: n for n, lv in enumerate([INDEX] + spec.pillar_ids)}
    out = out.assign(_l=out["pillar"].map(order)).sort_values(["edition", "city_id", "_l", "indicator"])
    return out.drop(columns="_l").reset_index(drop=True)[CHANGE_COLUMNS]


def _rank_in_field(prev: np.ndarray, cur: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """For each city idx[j]: the rank (ties share the better rank, like the `rank` stage) that its score cur[j]
    would have in the field of the other cities' `prev` scores (NaN = not in the field). That rank is 1 + the
    number of other cities whose prev score is strictly higher: one sort and a binary search, O(n log n), where
    ranking each of the n hypothetical fields would take n x n memory (8 GB at 32,100 cities)."""
    field = np.sort(prev[~np.isnan(prev)])
    higher = len(field) - np.searchsorted(field, cur, side="right")
    own_prev = prev[idx]
    higher = higher - (~np.isnan(own_prev) & (own_prev > cur))                # the city itself is not its own rival
    return (1 + higher).astype(float)


def rank_changes(scores: pd.DataFrame) -> pd.DataFrame:
    """Per city ranked in E-1 and E and per ranking (index and each pillar): the rank change split into the city's
    own part and the others' part (see the module docstring), the hypothetical field ranked by `_rank_in_field`."""
    ranked_scores = scores.assign(score=scores["score"].where(scores["rank"].notna()))
    levels = list(dict.fromkeys(scores["pillar"]))
    city_ids = sorted(set(scores["city_id"]))
    editions = sorted(int(e) for e in set(scores["edition"]))
    grid = pd.MultiIndex.from_product([city_ids, editions, levels])
    indexed = ranked_scores.set_index(["city_id", "edition", "pillar"]).reindex(grid)
    shape = (len(city_ids), len(editions), len(levels))
    s = indexed["score"].to_numpy(float).reshape(shape)
    r = indexed["rank"].astype("Float64").to_numpy(float, na_value=np.nan).reshape(shape)
    rows = []
    for e in range(1, len(editions)):
        for k, level in enumerate(levels):
            prev, cur = s[:, e - 1, k], s[:, e, k]
            both = ~np.isnan(prev) & ~np.isnan(cur)
            if not both.any():
                continue
            idx = np.flatnonzero(both)
            own = _rank_in_field(prev, cur[idx], idx)
            rank_prev, rank_cur = r[idx, e - 1, k], r[idx, e, k]
            rows.append(pd.DataFrame({
                "city_id": np.array(city_ids)[idx], "edition": editions[e], "pillar": level,
                "rank_prev": rank_prev, "rank": rank_cur, "rank_own": own}))
    out = pd.concat(rows, ignore_index=True)
    for c in ("rank_prev", "rank", "rank_own"):
        out[c] = out[c].round().astype("int64")
    out["rank_change"] = out["rank_prev"] - out["rank"]
    out["rank_change_own"] = out["rank_prev"] - out["rank_own"]
    out["rank_change_others"] = out["rank_own"] - out["rank"]
    order = {p: n for n, p in enumerate([INDEX] + [p for p in levels if p != INDEX])}
    out = out.assign(_l=out["pillar"].map(order)).sort_values(["edition", "_l", "rank", "city_id"])
    return out.drop(columns="_l").reset_index(drop=True)[RANK_CHANGE_COLUMNS]


def data_diff(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per city, indicator and edition after the first whose input differs from the previous edition's: `new` (a
    value where there was none, or a different data year), `revised` (same year, different value or status),
    `dropped` (a value before, none now); carried-forward values are not listed. `value_changed` is False for a new
    data year that repeats the old value and status (a complete list re-dated, e.g. an unchanged seat count). Built
    from the input columns (value, year, status), not the scores."""
    m = pairs(indicators)
    has0 = m["status_prev"].fillna(STATUS_MISSING) != STATUS_MISSING
    has1 = m["status"] != STATUS_MISSING
    same_year, same_value = _same(m["year_prev"], m["year"]), _same(m["value_prev"], m["value"])
    same_status = _same(m["status_prev"], m["status"])
    diff = np.select(
        [has1 & ~has0, has0 & ~has1, has0 & has1 & ~same_year, has0 & has1 & ~(same_value & same_status)],
        [DIFF_NEW, DIFF_DROPPED, DIFF_NEW, DIFF_REVISED], "")
    m = m.drop(columns="kind").rename(columns={"status": "data_status", "status_prev": "data_status_prev"})
    m["status"] = diff
    m["value_changed"] = ~(same_value & same_status) | (has0 != has1)
    m = m[m["status"] != ""]
    return m.sort_values(["edition", "city_id", "indicator"]).reset_index(drop=True)[DATA_DIFF_COLUMNS]


def change_tables(indicators: pd.DataFrame, scores: pd.DataFrame, spec: Spec | None = None,
                  base: PublishedBase | None = None) -> dict[str, pd.DataFrame]:
    """The three published "what changed" tables. `base`: `published_base` of these tables if the caller has
    it as arrays already (the build does: the pivot of the long table costs ~10 s at 100x the cities)."""
    return {"changes": decompose(indicators, scores, spec, base), "rank_changes": rank_changes(scores),
            "data_diff": data_diff(indicators)}
