"""The index math, as named stages kept side by side (COINr style): select -> screen -> treat -> normalise ->
impute -> aggregate -> rank.

`compute_index(observations, cities, spec)` is the ONE function that turns inputs into an index. It is the
composition `finish(prepare(...))`: `prepare` runs the stages that do not depend on weights or method choices
(select, screen, treat); `finish` runs the rest (normalise, impute, aggregate, rank) on dense city x edition x
indicator arrays, so the uncertainty analysis (cdi_core.uncertainty) can call the very same stage functions a
thousand times without re-selecting or re-pivoting, and the what-if weights (cdi_core.whatif) can re-run the
aggregate and rank stages on the published scores. The audit's drop-one runs call prepare and finish_arrays.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cdi_core.sources.base import STATUS_BELOW_THRESHOLD, STATUS_OBSERVED
from cdi_core.spec import Spec

STATUS_MISSING = "missing"
VINTAGE_CURRENT = "current"            # the value's year is the edition's year
VINTAGE_CARRIED = "carried_forward"    # the latest earlier value
VINTAGE_LATER = "later_vintage"        # no value up to the edition: the earliest later one (documented imputation)
INDEX = "index"

INDICATOR_COLUMNS = ["city_id", "edition", "indicator", "pillar", "value", "year", "status", "vintage", "imputed",
                     "treated", "score", "source_id", "note"]
SCORE_COLUMNS = ["city_id", "edition", "pillar", "score", "rank", "n_ranked", "rank_change", "score_change",
                 "coverage", "n_indicators", "ranked", "not_ranked_reason"]


@dataclass
class IndexResult:
    """Every stage's output, so each can be inspected, tested and published."""

    spec: Spec
    indicators: pd.DataFrame   # one row per city x edition x indicator, all stage columns
    scores: pd.DataFrame       # one row per city x edition x (index | pillar)
    treatment: pd.DataFrame    # per indicator: skew, kurtosis, winsor caps, goalposts


# --- stage 1: select each edition's value --------------------------------------------------------------------------

def select_values(obs: pd.DataFrame, city_ids: list[str], spec: Spec) -> pd.DataFrame:
    """Edition Y takes each indicator's latest measured value with year <= Y; a below-threshold mark only if the
    city has no measured value up to Y (a measured value beats a bound); failing both, the earliest later value,
    flagged `later_vintage`. Anything else is missing. Only values the carry-forward rule allows take part: at
    most the indicator's `max_age` years from the edition, and a value of one of its `anomalous_years` only in
    that year's edition (an anomalous edition takes only its own year's values), so a pandemic-year value is never
    carried into a later edition and no edition compares one city's pandemic year with another's normal year."""
    obs = obs[obs["indicator"].isin(spec.indicator_ids) & obs["city_id"].isin(city_ids)]
    editions, ids = spec.editions, spec.indicator_ids
    n_c, n_e, n_k = len(city_ids), len(editions), len(ids)
    # integer codes and one lexsort per edition; the string columns are gathered once, at the end
    ci = pd.Index(city_ids).get_indexer(obs["city_id"])
    ki = pd.Index(ids).get_indexer(obs["indicator"])
    year = obs["year"].to_numpy()
    measured = (obs["status"] == STATUS_OBSERVED).to_numpy()
    max_age = np.array([i.max_age for i in spec.indicators])[ki]
    anomalous = [set(i.anomalous_years) for i in spec.indicators]
    year_anomalous = np.array([y in anomalous[k] for y, k in zip(year.tolist(), ki.tolist())], bool)
    pick = np.full((n_c, n_e, n_k), -1)          # row of obs picked for each grid cell, -1 = none
    for e, edition in enumerate(editions):
        earlier = year <= edition
        edition_anomalous = np.array([edition in a for a in anomalous], bool)[ki]
        # the carry-forward rule: within the indicator's max age; anomalous years only in their own edition
        usable = (np.abs(year - edition) <= max_age) & (
            (year == edition) | ~(year_anomalous | edition_anomalous))
        # priority: 0 measured <= Y (latest), 1 bound <= Y (latest), 2 measured > Y (earliest), 3 bound > Y
        priority = np.select([earlier & measured, earlier & ~measured, ~earlier & measured], [0, 1, 2], 3)
        order = np.where(earlier, -year, year)
        srt = np.lexsort((order, priority, ~usable, ki, ci))
        first = np.ones(len(srt), bool)
        first[1:] = (ci[srt][1:] != ci[srt][:-1]) | (ki[srt][1:] != ki[srt][:-1])
        best = srt[first & usable[srt]]
        pick[ci[best], e, ki[best]] = best
    flat = pick.reshape(-1)
    out = pd.MultiIndex.from_product([city_ids, editions, ids],
                                     names=["city_id", "edition", "indicator"]).to_frame(index=False)
    for col in ("value", "year", "status", "source_id", "note"):
        taken = obs[col].array.take(flat, allow_fill=True)       # -1: missing
        out[col] = taken.astype("float64") if col == "year" else taken
    ed = out["edition"].to_numpy()
    y = out["year"].to_numpy()
    out.insert(out.columns.get_loc("status") + 1, "vintage", pd.Series(np.select(
        [flat < 0, y == ed, y < ed], ["", VINTAGE_CURRENT, VINTAGE_CARRIED], VINTAGE_LATER), dtype=out["status"].dtype))
    out["status"] = out["status"].fillna(STATUS_MISSING)
    out["source_id"] = out["source_id"].fillna("")
    out["note"] = out["note"].fillna("")
    out["year"] = out["year"].astype("Int64")
    out["pillar"] = out["indicator"].map({i.id: i.pillar for i in spec.indicators})
    return out


# --- stage 2: screen by coverage ------------------------------------------------------------------------------------

def coverage_slots(spec: Spec) -> tuple[list[str], np.ndarray]:
    """The coverage rule's units: one per indicator, but alternative measures of one concept (a coverage group)
    count once. Returns the slot names and, per indicator in spec order, its slot's position."""
    names = list(dict.fromkeys(i.slot for i in spec.indicators))
    return names, np.array([names.index(i.slot) for i in spec.indicators])


def _slot_present(present: np.ndarray, spec: Spec) -> np.ndarray:
    names, of = coverage_slots(spec)
    if len(names) == len(of):
        return present
    return np.stack([present[..., of == k].any(axis=-1) for k in range(len(names))], axis=-1)


def coverage_rule(present: np.ndarray, spec: Spec, available: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ranking rule on a (..., indicators) mask of indicators with data (a bound counts), in spec order:
    (number of measures with data, too little data, a pillar with too little data (if the rules require every
    pillar)). A city is ranked where neither holds. Measures are the indicators, alternative measures of one concept
    (a coverage group: foreign-born or foreign-citizen share) counted once. `available`: a (..., measures) mask of
    the measures the edition has data for at all (broadcast against `present`'s leading axes; default: all), the
    denominator of the coverage shares: a measure no city has in an edition (ICCA in the pandemic years) is not a
    city's gap, overall or in its pillar."""
    slots = _slot_present(present, spec)
    avail = np.ones(slots.shape[-1], bool) if available is None else available
    avail = np.broadcast_to(avail, slots.shape)
    n_ind = slots.sum(axis=-1)
    low = n_ind / np.maximum(avail.sum(axis=-1), 1) < spec.rules.coverage_min - 1e-12
    names, of = coverage_slots(spec)
    slot_pillar = np.array([spec.pillar_ids.index(spec.indicators[int(np.flatnonzero(of == k)[0])].pillar)
                            for k in range(len(names))])
    n_pillars = 0
    for k in range(len(spec.pillars)):
        mine, can = slots[..., slot_pillar == k], avail[..., slot_pillar == k]
        need = np.maximum(np.minimum(spec.rules.pillar_min_measures, can.sum(axis=-1)), 1)
        n_pillars = n_pillars + (mine.sum(axis=-1) >= need).astype(int)
    missing_pillar = spec.rules.require_all_pillars & (n_pillars < len(spec.pillars))
    return n_ind, low, missing_pillar


def screen(ind: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Per city and edition: share of the edition's indicators with data (a bound counts), and whether the city is
    ranked. An edition's indicators are those at least one reference city has data for in it.
    `ind` is in select_values' grid order (city, edition, indicator), so the counts are sums over an array's last
    axis instead of a group-by of the long table."""
    n_k, n_e = len(spec.indicators), len(spec.editions)
    present = (ind["status"] != STATUS_MISSING).to_numpy(bool).reshape(-1, n_e, n_k)
    available = _slot_present(present, spec).any(axis=0)             # (editions, measures) with any data
    n_avail = available.sum(axis=-1)
    n_ind, low, missing_pillar = coverage_rule(present, spec, available[None, :, :])
    n_ind, low, missing_pillar = n_ind.reshape(-1), low.reshape(-1), np.broadcast_to(missing_pillar, low.shape
                                                                                     ).reshape(-1)
    of = np.tile(n_avail, present.shape[0])
    cov = ind[["city_id", "edition"]].iloc[::n_k].reset_index(drop=True)
    cov["coverage"] = n_ind / np.maximum(of, 1)
    cov["n_indicators"] = n_ind
    cov["ranked"] = ~(low | missing_pillar)
    cov["not_ranked_reason"] = np.select(
        [low, missing_pillar],
        [[f"not ranked: too little data ({s} of {n} measures; {spec.rules.coverage_min:.0%} needed)"
          for s, n in zip(n_ind.tolist(), of.tolist())],
         "not ranked: no data for at least one pillar" if spec.rules.pillar_min_measures == 1 else
         f"not ranked: a pillar with data for fewer than {spec.rules.pillar_min_measures} of its measures"], "")
    return cov


# --- stage 3: treat (transform, winsorise) ---------------------------------------------------------------------------

def _transform(values: pd.Series, kind: str) -> pd.Series:
    return np.log1p(values.clip(lower=0)) if kind == "log1p" else values


def _winsor_caps(x: np.ndarray, spec: Spec) -> tuple[float, float, float, float, int]:
    """Cap the most extreme values one at a time (up to winsor_max_points) while |skew| and kurtosis are both over
    their thresholds. Returns (low cap, high cap, skew, kurtosis, points capped)."""
    r = spec.rules
    x = np.sort(x.astype(float))
    lo, hi, n_capped = x[0], x[-1], 0
    s = pd.Series(x)
    skew, kurt = float(s.skew()), float(s.kurt())
    while (len(x) > 3 and abs(skew) > r.skew_max and kurt > r.kurtosis_max
           and n_capped < r.winsor_max_points):
        if skew > 0:
            hi = x[-(n_capped + 2)]
        else:
            lo = x[n_capped + 1]
        n_capped += 1
        s = pd.Series(np.clip(x, lo, hi))
        skew, kurt = float(s.skew()), float(s.kurt())
    return float(lo), float(hi), skew, kurt, n_capped


def treat(ind: pd.DataFrame, spec: Spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Transform and winsorise each indicator on the pool of distinct values used by any edition, so the caps and
    the goalposts derived from them are the same in every edition."""
    ind = ind.copy()
    ind["treated"] = np.nan
    rows = []
    for spec_ind in spec.indicators:
        m = (ind["indicator"] == spec_ind.id) & (ind["status"] == STATUS_OBSERVED)
        t = _transform(ind.loc[m, "value"], spec_ind.transform)
        pool = pd.DataFrame({"c": ind.loc[m, "city_id"], "y": ind.loc[m, "year"], "t": t}).drop_duplicates(
            ["c", "y"])["t"].to_numpy()
        if len(pool) == 0:
            rows.append({"indicator": spec_ind.id, "n_pool": 0})
            continue
        lo, hi, skew, kurt, n_capped = _winsor_caps(pool, spec)
        ind.loc[m, "treated"] = t.clip(lo, hi)
        capped = np.clip(pool, lo, hi)
        rows.append({"indicator": spec_ind.id, "n_pool": len(pool), "transform": spec_ind.transform,
                     "winsor_low": lo, "winsor_high": hi, "n_winsorised": n_capped,
                     "skew_after": skew, "kurtosis_after": kurt,
                     "goalpost_low": float(capped.min()), "goalpost_high": float(capped.max()),
                     "pool_mean": float(capped.mean()), "pool_sd": float(capped.std(ddof=0))})
    return ind, pd.DataFrame(rows)


# --- the dense layout the later stages work on -------------------------------------------------------------------

@dataclass
class Prepared:
    """Output of the method-independent stages, plus the dense arrays the later stages need.

    Arrays are (cities, editions, indicators) in the order of `city_ids`, `editions` and `spec.indicator_ids`:
    `treated` (NaN where not observed), `below` (below-threshold marks) and `ranked` (cities, editions).
    `goalposts` are the treatment table's normalisation parameters as arrays (set by `prepare`). `normalised` memoises
    the normalise -> impute stages per (normalisation, imputation) rule pair: their output depends on nothing else,
    so a thousand Monte Carlo runs over six pairs compute them six times (read-only arrays, shared by the runs).
    """

    spec: Spec
    city_ids: list[str]
    editions: list[int]
    indicators: pd.DataFrame   # long, after treat (grid order: city, edition, indicator)
    screened: pd.DataFrame
    treatment: pd.DataFrame
    treated: np.ndarray
    below: np.ndarray
    ranked: np.ndarray
    goalposts: Goalposts | None = None
    normalised: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)


@dataclass
class Goalposts:
    """Per-indicator normalisation parameters from the treatment table, as arrays in spec order."""

    low: np.ndarray
    high: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    usable: np.ndarray         # the indicator has at least one observed value
    direction: np.ndarray

    @classmethod
    def of(cls, treatment: pd.DataFrame, spec: Spec) -> Goalposts:
        tr = treatment.set_index("indicator").reindex(spec.indicator_ids)

        def col(c: str) -> np.ndarray:
            return tr[c].to_numpy(float) if c in tr else np.full(len(tr), np.nan)

        return cls(low=col("goalpost_low"), high=col("goalpost_high"), mean=col("pool_mean"), sd=col("pool_sd"),
                   usable=tr["n_pool"].fillna(0).to_numpy() > 0,
                   direction=np.array([i.direction for i in spec.indicators]))


def _select_key(i) -> tuple:
    """What select and treat read of an indicator."""
    return i.pillar, i.transform, i.max_age, i.anomalous_years


def _reusable(reuse: Prepared, city_ids: list[str], spec: Spec) -> bool:
    """Whether select and treat of `spec` are a subset of `reuse`'s: the same cities, editions and treatment rules,
    indicators a subset with the same pillar and transform (select and treat work indicator by indicator), and a
    treatment table without empty indicators (so that its subset has the same columns and dtypes)."""
    mine, theirs = reuse.spec, {i.id: i for i in reuse.spec.indicators}
    r0, r1 = mine.rules, spec.rules
    return (reuse.city_ids == city_ids and mine.editions == spec.editions
            and (r0.skew_max, r0.kurtosis_max, r0.winsor_max_points) == (r1.skew_max, r1.kurtosis_max,
                                                                          r1.winsor_max_points)
            and all(i.id in theirs and _select_key(theirs[i.id]) == _select_key(i) for i in spec.indicators)
            and bool((reuse.treatment["n_pool"] > 0).all()))


def prepare(observations: pd.DataFrame, cities: pd.DataFrame, spec: Spec, reuse: Prepared | None = None) -> Prepared:
    """Stages 1-3 (select, screen, treat): everything that weights, normalisation, aggregation and imputation
    cannot change, computed once.

    `reuse`: a Prepared from these same observations and cities (for another spec). Select and treat work one
    indicator at a time, so for a spec whose indicators are a subset of its (the audit's drop-one runs) their rows
    are taken from it instead of recomputed; screen, which depends on the indicator set, always runs. The result
    is the same as without `reuse` (tests/core/test_compute.py)."""
    city_ids = sorted(cities["city_id"])
    if reuse is not None and _reusable(reuse, city_ids, spec):
        keep = reuse.indicators["indicator"].isin(spec.indicator_ids).to_numpy()
        treated = reuse.indicators[keep].reset_index(drop=True)
        screened = screen(treated, spec)
        tr = reuse.treatment
        ind, treatment = treated, tr[tr["indicator"].isin(spec.indicator_ids)].reset_index(drop=True)
    else:
        ind = select_values(observations, city_ids, spec)
        screened = screen(ind, spec)
        ind, treatment = treat(ind, spec)
    shape = (len(city_ids), len(spec.editions), len(spec.indicators))
    assert (ind["indicator"].to_numpy().reshape(shape)[0, 0] == np.array(spec.indicator_ids)).all()
    assert (screened["city_id"].to_numpy() == np.repeat(city_ids, len(spec.editions))).all() and (
        screened["edition"].to_numpy() == np.tile(spec.editions, len(city_ids))).all(), "not in grid order"
    return Prepared(
        spec=spec, city_ids=city_ids, editions=spec.editions, indicators=ind, screened=screened,
        treatment=treatment, treated=ind["treated"].to_numpy(float).reshape(shape),
        below=(ind["status"] == STATUS_BELOW_THRESHOLD).to_numpy().reshape(shape),
        ranked=screened["ranked"].to_numpy(bool).reshape(shape[:2]),
        goalposts=Goalposts.of(treatment, spec))


def _column_rank(x: np.ndarray, ascending: bool = True, method: str = "average", pct: bool = False) -> np.ndarray:
    """pandas' `rank(axis=0)` down axis 0 of a (cities, ...) array, NaN kept NaN, for method 'average' or 'min'
    (ties: the mean, resp. the lowest, of the tied positions; `pct` divides by the column's non-missing count), in
    numpy. Equal to pandas' result bit for bit (tests/core/test_rank.py)."""
    if method not in ("average", "min"):
        raise ValueError(f"_column_rank: unsupported method {method!r}")
    cols = np.array(x.reshape(x.shape[0], -1).T, dtype=float, order="C")     # (columns, n), a copy: negated in place
    out = _rank_rows(cols if ascending else np.negative(cols, out=cols), method, pct)
    return out.T.reshape(x.shape)


def _rank_rows(key: np.ndarray, method: str, pct: bool) -> np.ndarray:
    """Ascending ranks along the last axis of a C-contiguous (columns, n) array, NaN kept NaN.

    Why this way: a rank depends only on the sorted values (tied values get the same rank whatever order the sort
    leaves them in), so an unstable sort will do; numpy's SIMD argsort, 2-3x faster than the stable one, only runs
    on NaN-free input, so missing values are sorted as +inf (last) unless the data holds infinities itself; and
    gathering/scattering through flat indices is 3-4x faster than take/put_along_axis."""
    m, n = key.shape
    missing = np.isnan(key)
    if np.isinf(key).any():
        order = np.argsort(key, axis=-1, kind="stable")                     # NaN last, after any +inf
    else:
        order = np.argsort(np.where(missing, np.inf, key), axis=-1)
    flat = (order + (np.arange(m) * n)[:, None]).reshape(-1)                # into key.reshape(-1)
    v = key.reshape(-1).take(flat).reshape(m, n)
    n_valid = n - missing.sum(axis=-1, keepdims=True)                       # missing values sort last
    pos = np.arange(n, dtype=float)
    starts = np.ones((m, n), bool)
    np.not_equal(v[:, 1:], v[:, :-1], out=starts[:, 1:])
    first = np.maximum.accumulate(np.where(starts, pos, 0.0), axis=-1)      # tie group's first position
    r = first + 1
    if method == "average":
        ends = np.ones((m, n), bool)
        ends[:, :-1] = starts[:, 1:]
        last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, pos, n - 1.0), -1), axis=-1), -1)
        r = (first + 1 + last + 1) / 2
    if pct:
        with np.errstate(invalid="ignore", divide="ignore"):  # an all-missing column: NaN, masked below
            r = r / n_valid
    out = np.empty(m * n)
    out[flat] = np.where(pos < n_valid, r, np.nan).reshape(-1)
    return out.reshape(m, n)


# --- stage 4: normalise ---------------------------------------------------------------------------------------------

def normalise(treated: np.ndarray, below: np.ndarray, goalposts: Goalposts, method: str) -> np.ndarray:
    """Scores on [0, 100], 100 = most international; (cities, editions, indicators) in and out. A below-threshold
    mark scores at the lower goalpost. minmax and zscore use goalposts fixed across editions; rank is the
    percentile within the edition."""
    g = goalposts
    x = np.where(below, g.low, treated)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            span = g.high - g.low
            s = np.where(span > 0, 100 * (x - g.low) / span, x * 0 + 50.0)
        elif method == "zscore":
            s = np.where(g.sd > 0, 50 + 10 * (x - g.mean) / g.sd, x * 0 + 50.0)
        else:  # rank: percentile within the edition (each edition x indicator is one column)
            s = _column_rank(x, pct=True) * 100
    s = np.clip(s, 0, 100)
    s = np.where(g.direction == 1, s, 100 - s)
    return np.where(g.usable, s, np.nan)


# --- stage 5: impute ------------------------------------------------------------------------------------------------

def impute(scores: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """'none': missing stays missing (a pillar averages what the city has); 'median': the edition's median score
    over all reference cities. Returns (scores, imputed mask)."""
    if method != "median":
        return scores, np.zeros(scores.shape, bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing column: median NaN, nothing filled
        med = np.nanmedian(scores, axis=0, keepdims=True)
    fill = np.isnan(scores) & ~np.isnan(med)
    return np.where(fill, med, scores), fill


# --- stage 6: aggregate ---------------------------------------------------------------------------------------------

def weighted_mean(scores: np.ndarray, weights: np.ndarray, how: str) -> np.ndarray:
    """Weighted mean over the last axis, skipping missing values, weights renormalised to what is present."""
    present = ~np.isnan(scores)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=-1)
    x = np.where(present, scores, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "geometric":  # on [1, 100], then back to [0, 100]
            out = (np.exp((np.log(1 + 0.99 * x) * w).sum(axis=-1) / total) - 1) / 0.99
        else:
            out = (x * w).sum(axis=-1) / total
    return np.where(total > 0, np.clip(out, 0, 100), np.nan)  # clip: floating-point dust only


def aggregate(scores: np.ndarray, ranked: np.ndarray, spec: Spec | Sequence[Spec]) -> np.ndarray:
    """Pillar scores from indicator scores, the index from pillar scores; only ranked cities get an index.
    Returns (cities, editions, pillars + 1), the index last.

    Given a sequence of specs (same aggregation rule, their own weights) the result gets a leading axis, one entry
    per spec: the weights broadcast along it, so the passes that do not depend on them run once per batch, and
    every entry equals the single-spec result bit for bit (the same element-wise operations and sums)."""
    batch = not isinstance(spec, Spec)
    specs = list(spec) if batch else [spec]
    how = specs[0].rules.aggregation
    if any(s.rules.aggregation != how for s in specs):
        raise ValueError("aggregate: a batch of specs must share the aggregation rule")
    ids = specs[0].indicator_ids
    lead = (len(specs),) + (1,) * (scores.ndim - 1) if batch else ()

    def weights(pick) -> np.ndarray:
        w = np.array([pick(s) for s in specs], dtype=float)
        return w.reshape(lead + w.shape[-1:]) if batch else w[0]

    pillars = []
    for p in specs[0].pillars:
        cols = [ids.index(i.id) for i in specs[0].indicators_of(p.id)]
        w = weights(lambda s, p=p: [i.weight for i in s.indicators_of(p.id)])
        pillars.append(weighted_mean(scores[..., cols], w, how))
    pw = np.stack(pillars, axis=-1)
    index = weighted_mean(pw, weights(lambda s: [p.weight for p in s.pillars]), how)
    return np.concatenate([pw, np.where(ranked, index, np.nan)[..., None]], axis=-1)


# --- stage 7: rank --------------------------------------------------------------------------------------------------

def rank(scores: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Ranks among ranked cities per edition and column of a (cities, editions, k) array (ties share the better
    rank); NaN for cities not ranked. Leading batch axes, (..., cities, editions, k), are ranked independently."""
    n_c = scores.shape[-3]
    # the descending ranks' keys as (..., editions, k, cities), each column contiguous: built in two passes, no copies
    key = np.empty(scores.shape[:-3] + scores.shape[-2:] + (n_c,))
    np.negative(np.moveaxis(scores, -3, -1), out=key)
    np.copyto(key, np.nan, where=~np.moveaxis(ranked[..., None] & ~np.isnan(scores), -3, -1))
    return np.moveaxis(_rank_rows(key.reshape(-1, n_c), "min", False).reshape(key.shape), -1, -3)


@dataclass
class Finished:
    """Stages 4-7 as arrays: indicator scores, imputed mask, (pillar..., index) scores and their ranks."""

    scores: np.ndarray
    imputed: np.ndarray
    aggregates: np.ndarray
    ranks: np.ndarray


def normalised(prep: Prepared, spec: Spec) -> tuple[np.ndarray, np.ndarray]:
    """Stages 4-5 (normalise -> impute) under `spec`'s rules, memoised on `prep` (read-only arrays): they depend
    on nothing but the (normalisation, imputation) pair."""
    key = (spec.rules.normalisation, spec.rules.imputation)
    if key not in prep.normalised:
        goalposts = prep.goalposts or Goalposts.of(prep.treatment, prep.spec)
        s, imputed = impute(normalise(prep.treated, prep.below, goalposts, key[0]), key[1])
        s.setflags(write=False)
        imputed.setflags(write=False)
        prep.normalised[key] = (s, imputed)
    return prep.normalised[key]


def finish_arrays(prep: Prepared, spec: Spec | Sequence[Spec], rows: np.ndarray | None = None) -> Finished:
    """Normalise -> impute -> aggregate -> rank with `spec`'s weights and rules on prepared data. `spec` may differ
    from `prep.spec` only in weights and in the normalisation, aggregation and imputation rules.

    The Monte Carlo's form: a sequence of specs sharing those three rules (a batch of runs) gives `aggregates` and
    `ranks` a leading axis, one entry per spec, each equal to the one-spec call (see `aggregate`); `rows`, a
    boolean mask of cities holding every city ranked in some edition, runs aggregate and rank on those cities only
    (normalise and impute still see every city, and an unranked city never enters a rank), so their ranks are the
    same as with all cities. `scores` and `imputed` are then those rows' too."""
    specs = list(spec) if not isinstance(spec, Spec) else [spec]
    if any(s.indicator_ids != prep.spec.indicator_ids for s in specs):
        raise ValueError("finish_arrays: the spec's indicators differ from the prepared ones; call prepare again")
    if len({(s.rules.normalisation, s.rules.imputation) for s in specs}) != 1:
        raise ValueError("finish_arrays: a batch of specs must share the normalisation and imputation rules")
    s, imputed = normalised(prep, specs[0])
    ranked = prep.ranked
    if rows is not None:
        if (ranked & ~rows[:, None]).any():
            raise ValueError("finish_arrays: `rows` leaves out a city ranked in some edition")
        s, imputed, ranked = s[rows], imputed[rows], ranked[rows]
    agg = aggregate(s, ranked, spec)
    return Finished(scores=s, imputed=imputed, aggregates=agg, ranks=rank(agg, ranked))


def _changes(s: pd.DataFrame) -> pd.DataFrame:
    """Rank and score change since the previous edition (positive rank change = moved up)."""
    s = s.sort_values(["city_id", "pillar", "edition"])
    prev = s.groupby(["city_id", "pillar"])[["rank", "score", "edition"]].shift(1)
    consecutive = prev["edition"] == s["edition"] - 1
    s["rank_change"] = (prev["rank"] - s["rank"]).where(consecutive)
    s["score_change"] = (s["score"] - prev["score"]).where(consecutive)
    return s


def finish(prep: Prepared, spec: Spec) -> IndexResult:
    """Stages 4-7, then the published long tables."""
    f = finish_arrays(prep, spec)
    ind = prep.indicators.copy()
    ind["score"] = f.scores.reshape(-1)
    ind["imputed"] = f.imputed.reshape(-1)
    ind = ind[INDICATOR_COLUMNS].sort_values(["edition", "city_id", "indicator"]).reset_index(drop=True)
    columns = spec.pillar_ids + [INDEX]
    n_c, n_e, n_k = f.aggregates.shape
    grid = pd.MultiIndex.from_product([prep.city_ids, prep.editions, columns],
                                      names=["city_id", "edition", "pillar"]).to_frame(index=False)
    grid["score"] = f.aggregates.reshape(-1)
    grid["rank"] = f.ranks.reshape(-1)
    grid["n_ranked"] = np.broadcast_to((~np.isnan(f.ranks)).sum(axis=0), f.ranks.shape).reshape(-1)
    s = _changes(grid.merge(prep.screened, on=["city_id", "edition"], how="left"))
    s["rank"] = s["rank"].astype("Int64")
    s["n_ranked"] = s["n_ranked"].astype(int)
    s["rank_change"] = s["rank_change"].round().astype("Int64")
    scores = s.sort_values(["edition", "pillar", "rank", "city_id"]).reset_index(drop=True)[SCORE_COLUMNS]
    return IndexResult(spec=spec, indicators=ind, scores=scores, treatment=prep.treatment)


def compute_index(observations: pd.DataFrame, cities: pd.DataFrame, spec: Spec,
                  reuse: Prepared | None = None) -> IndexResult:
    """Inputs -> every stage of the index, for any spec (official or overridden). `reuse`: see `prepare`."""
    return finish(prepare(observations, cities, spec, reuse), spec)
