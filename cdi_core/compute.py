"""The index math, as named stages kept side by side (COINr style): select -> screen -> treat -> normalise ->
impute -> aggregate -> rank.

`compute_index(observations, cities, spec)` is the ONE function that turns inputs into an index. The official
build, what-if weights and the uncertainty analysis all call it, each with `spec.override(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    flagged `later_vintage`. Anything else is missing."""
    obs = obs[obs["indicator"].isin(spec.indicator_ids) & obs["city_id"].isin(city_ids)]
    picked = []
    for edition in spec.editions:
        earlier = obs["year"] <= edition
        measured = obs["status"] == STATUS_OBSERVED
        # priority: 0 measured <= Y (latest), 1 bound <= Y (latest), 2 measured > Y (earliest), 3 bound > Y
        priority = np.select([earlier & measured, earlier & ~measured, ~earlier & measured], [0, 1, 2], 3)
        order = np.where(earlier, -obs["year"], obs["year"])
        cand = obs.assign(_p=priority, _o=order).sort_values(["city_id", "indicator", "_p", "_o"])
        best = cand.drop_duplicates(["city_id", "indicator"]).assign(edition=edition)
        picked.append(best)
    sel = pd.concat(picked, ignore_index=True)
    sel["vintage"] = np.select([sel["year"] == sel["edition"], sel["year"] < sel["edition"]],
                               [VINTAGE_CURRENT, VINTAGE_CARRIED], VINTAGE_LATER)
    grid = pd.MultiIndex.from_product([city_ids, spec.editions, spec.indicator_ids],
                                      names=["city_id", "edition", "indicator"]).to_frame(index=False)
    out = grid.merge(sel[["city_id", "edition", "indicator", "value", "year", "status", "vintage", "source_id",
                          "note"]], how="left", on=["city_id", "edition", "indicator"])
    out["status"] = out["status"].fillna(STATUS_MISSING)
    out["vintage"] = out["vintage"].fillna("")
    out["source_id"] = out["source_id"].fillna("")
    out["note"] = out["note"].fillna("")
    out["year"] = out["year"].astype("Int64")
    out["pillar"] = out["indicator"].map({i.id: i.pillar for i in spec.indicators})
    return out


# --- stage 2: screen by coverage ------------------------------------------------------------------------------------

def screen(ind: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Per city and edition: share of indicators with data (a bound counts), and whether the city is ranked."""
    has = ind.assign(_has=ind["status"] != STATUS_MISSING)
    cov = has.groupby(["city_id", "edition"])["_has"].agg(["sum", "size"]).reset_index()
    cov["coverage"] = cov["sum"] / cov["size"]
    pillars_with = has[has["_has"]].groupby(["city_id", "edition"])["pillar"].nunique()
    cov = cov.merge(pillars_with.rename("n_pillars").reset_index(), how="left", on=["city_id", "edition"])
    cov["n_pillars"] = cov["n_pillars"].fillna(0).astype(int)
    missing_pillar = spec.rules.require_all_pillars & (cov["n_pillars"] < len(spec.pillars))
    low = cov["coverage"] < spec.rules.coverage_min - 1e-12
    cov["ranked"] = ~(low | missing_pillar)
    cov["not_ranked_reason"] = np.select(
        [low, missing_pillar],
        [[f"not ranked: too little data ({s} of {n} indicators; {spec.rules.coverage_min:.0%} needed)"
          for s, n in zip(cov["sum"], cov["size"])],
         "not ranked: no data for at least one pillar"], "")
    return cov.rename(columns={"sum": "n_indicators"})[
        ["city_id", "edition", "coverage", "n_indicators", "ranked", "not_ranked_reason"]]


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


# --- stage 4: normalise ---------------------------------------------------------------------------------------------

def normalise(ind: pd.DataFrame, treatment: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Scores on [0, 100], 100 = most international. A below-threshold mark scores at the lower goalpost."""
    ind = ind.copy()
    ind["score"] = np.nan
    tr = treatment.set_index("indicator")
    method = spec.rules.normalisation
    for spec_ind in spec.indicators:
        if spec_ind.id not in tr.index or not tr.at[spec_ind.id, "n_pool"]:
            continue
        g = tr.loc[spec_ind.id]
        m = ind["indicator"] == spec_ind.id
        x = ind.loc[m, "treated"].where(ind.loc[m, "status"] != STATUS_BELOW_THRESHOLD, g["goalpost_low"])
        if method == "minmax":
            span = g["goalpost_high"] - g["goalpost_low"]
            s = 100 * (x - g["goalpost_low"]) / span if span > 0 else x * 0 + 50.0
        elif method == "zscore":
            sd = g["pool_sd"]
            s = (50 + 10 * (x - g["pool_mean"]) / sd) if sd > 0 else x * 0 + 50.0
        else:  # rank: percentile within the edition
            s = x.groupby(ind.loc[m, "edition"]).rank(pct=True) * 100
        s = s.clip(0, 100)
        ind.loc[m, "score"] = s if spec_ind.direction == 1 else 100 - s
    return ind


# --- stage 5: impute ------------------------------------------------------------------------------------------------

def impute(ind: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """'none': missing stays missing (a pillar averages what the city has); 'median': the edition's median score."""
    ind = ind.copy()
    ind["imputed"] = False
    if spec.rules.imputation == "median":
        med = ind.groupby(["edition", "indicator"])["score"].transform("median")
        fill = ind["score"].isna() & med.notna()
        ind.loc[fill, "score"] = med[fill]
        ind.loc[fill, "imputed"] = True
    return ind


# --- stage 6: aggregate ---------------------------------------------------------------------------------------------

def _weighted_mean(scores: pd.DataFrame, weights: pd.Series, how: str) -> pd.Series:
    """Row-wise weighted mean over the non-missing columns, weights renormalised to what is present."""
    w = pd.DataFrame(np.broadcast_to(weights.to_numpy(), scores.shape), index=scores.index, columns=scores.columns)
    w = w.where(scores.notna(), 0.0)
    total = w.sum(axis=1)
    if how == "geometric":  # on [1, 100], then back to [0, 100]
        logs = np.log(1 + 0.99 * scores.fillna(0))
        out = (np.exp((logs * w).sum(axis=1) / total) - 1) / 0.99
    else:
        out = (scores.fillna(0) * w).sum(axis=1) / total
    return out.clip(0, 100).where(total > 0)  # clip: floating-point dust only


def aggregate(ind: pd.DataFrame, screened: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Pillar scores from indicator scores, the index from pillar scores; only ranked cities get an index."""
    how = spec.rules.aggregation
    wide = ind.pivot_table(index=["city_id", "edition"], columns="indicator", values="score", dropna=False)
    wide = wide.reindex(columns=spec.indicator_ids)
    pillars = {}
    for p in spec.pillars:
        members = spec.indicators_of(p.id)
        weights = pd.Series([i.weight for i in members], index=[i.id for i in members])
        pillars[p.id] = _weighted_mean(wide[weights.index], weights, how)
    pw = pd.DataFrame(pillars)
    pweights = pd.Series([p.weight for p in spec.pillars], index=spec.pillar_ids)
    index = _weighted_mean(pw, pweights, how)
    scr = screened.set_index(["city_id", "edition"]).reindex(pw.index)
    index = index.where(scr["ranked"].astype(bool))
    long = pw.assign(**{INDEX: index}).reset_index().melt(
        id_vars=["city_id", "edition"], var_name="pillar", value_name="score")
    return long.merge(screened, on=["city_id", "edition"], how="left")


# --- stage 7: rank --------------------------------------------------------------------------------------------------

def rank(scores: pd.DataFrame) -> pd.DataFrame:
    """Ranks among ranked cities per edition and pillar (ties share the better rank), and change since last edition."""
    s = scores.copy()
    eligible = s["ranked"] & s["score"].notna()
    s["rank"] = s["score"].where(eligible).groupby([s["edition"], s["pillar"]]).rank(ascending=False, method="min")
    s["n_ranked"] = eligible.groupby([s["edition"], s["pillar"]]).transform("sum").astype(int)
    s = s.sort_values(["city_id", "pillar", "edition"])
    prev = s.groupby(["city_id", "pillar"])[["rank", "score", "edition"]].shift(1)
    consecutive = prev["edition"] == s["edition"] - 1
    s["rank_change"] = (prev["rank"] - s["rank"]).where(consecutive)  # positive = moved up
    s["score_change"] = (s["score"] - prev["score"]).where(consecutive)
    s["rank"] = s["rank"].astype("Int64")
    s["rank_change"] = s["rank_change"].round().astype("Int64")
    return s.sort_values(["edition", "pillar", "rank", "city_id"]).reset_index(drop=True)[SCORE_COLUMNS]


def compute_index(observations: pd.DataFrame, cities: pd.DataFrame, spec: Spec) -> IndexResult:
    """Inputs -> every stage of the index, for any spec (official or overridden)."""
    city_ids = sorted(cities["city_id"])
    ind = select_values(observations, city_ids, spec)
    screened = screen(ind, spec)
    ind, treatment = treat(ind, spec)
    ind = normalise(ind, treatment, spec)
    ind = impute(ind, spec)
    scores = rank(aggregate(ind, screened, spec))
    ind = ind[INDICATOR_COLUMNS].sort_values(["edition", "city_id", "indicator"]).reset_index(drop=True)
    return IndexResult(spec=spec, indicators=ind, scores=scores, treatment=treatment)
