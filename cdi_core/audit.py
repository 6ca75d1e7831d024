"""Statistical coherence audit of the index, per edition (JRC audit practice, DESIGN.md section 4).

Why: a composite is only as meaningful as its structure. The audit shows whether each pillar's indicators pull the
same way (correlations, Cronbach's alpha), which indicators are redundant (r > 0.9 within a pillar) or work against
their pillar (negative correlation), which are still badly skewed after treatment, and how much the ranking leans
on each indicator (mean absolute rank change when it is dropped). It reads the official run's arrays and re-runs
compute_index's stages (prepare, finish_arrays) with `spec.override(drop_indicators=...)`: no index math of its own.

All statistics are over the cities ranked in that edition, on the official normalised scores (skew and kurtosis on
the treated values, the scale the treatment rule judges).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cdi_core.compute import INDEX, Finished, Prepared, finish_arrays, prepare
from cdi_core.spec import Spec, SpecError

COLLINEAR_R = 0.9
ALPHA_MIN = 0.7


def cronbach_alpha(x: np.ndarray) -> float:
    """Cronbach's alpha of the columns of x over complete rows; NaN with fewer than 2 columns or 3 rows."""
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or len(x) < 3:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total)) if total > 0 else float("nan")


def _corr(a: pd.Series, b: pd.Series) -> tuple[float, int]:
    ok = a.notna() & b.notna()
    n = int(ok.sum())
    if n < 3 or a[ok].std() == 0 or b[ok].std() == 0:
        return float("nan"), n
    return float(np.corrcoef(a[ok], b[ok])[0, 1]), n


def correlations(prep: Prepared, official: Finished) -> pd.DataFrame:
    """Long table: within-pillar indicator-indicator matrices (diagonal included, for heatmaps), indicator-pillar,
    indicator-index and pillar-index correlations, with flags."""
    spec = prep.spec
    ids = spec.indicator_ids
    rows = []
    for e, edition in enumerate(prep.editions):
        ranked = prep.ranked[:, e]
        ind = pd.DataFrame(official.scores[ranked, e, :], columns=ids)
        agg = pd.DataFrame(official.aggregates[ranked, e, :], columns=spec.pillar_ids + [INDEX])
        for p in spec.pillars:
            members = [i.id for i in spec.indicators_of(p.id)]
            for a in members:
                for b in members:
                    r, n = _corr(ind[a], ind[b])
                    flag = "collinear (r > 0.9)" if a != b and r > COLLINEAR_R else ""
                    rows.append((edition, p.id, "indicator-indicator", a, b, r, n, flag))
                r, n = _corr(ind[a], agg[p.id])
                rows.append((edition, p.id, "indicator-pillar", a, p.id, r, n,
                             "negative with its pillar" if r < 0 else ""))
                r, n = _corr(ind[a], agg[INDEX])
                rows.append((edition, p.id, "indicator-index", a, INDEX, r, n, ""))
            r, n = _corr(agg[p.id], agg[INDEX])
            rows.append((edition, p.id, "pillar-index", p.id, INDEX, r, n, ""))
    return pd.DataFrame(rows, columns=["edition", "pillar", "kind", "var_a", "var_b", "r", "n", "flag"])


def pillar_table(prep: Prepared, official: Finished, corr: pd.DataFrame) -> pd.DataFrame:
    """Per edition and pillar: Cronbach's alpha (complete cases) and the pillar's flags in words."""
    spec = prep.spec
    ids = spec.indicator_ids
    rows = []
    for e, edition in enumerate(prep.editions):
        x = official.scores[prep.ranked[:, e], e, :]
        for p in spec.pillars:
            cols = [ids.index(i.id) for i in spec.indicators_of(p.id)]
            sub = x[:, cols]
            alpha = cronbach_alpha(sub)
            c = corr[(corr["edition"] == edition) & (corr["pillar"] == p.id)]
            flags = []
            if alpha == alpha and alpha < ALPHA_MIN:
                flags.append(f"alpha below {ALPHA_MIN}")
            pairs = c[(c["kind"] == "indicator-indicator") & (c["flag"] != "") & (c["var_a"] < c["var_b"])]
            flags += [f"{a} and {b} collinear (r = {r:.2f})" for a, b, r in zip(pairs["var_a"], pairs["var_b"],
                                                                               pairs["r"])]
            neg = c[(c["kind"] == "indicator-pillar") & (c["flag"] != "")]
            flags += [f"{a} negative with its pillar" for a in neg["var_a"]]
            rows.append({"edition": edition, "pillar": p.id, "n_indicators": len(cols),
                         "n_complete": int((~np.isnan(sub).any(axis=1)).sum()), "cronbach_alpha": alpha,
                         "flags": "; ".join(flags)})
    return pd.DataFrame(rows)


def drop_one(observations: pd.DataFrame, cities: pd.DataFrame, spec: Spec, official: Finished,
             prep: Prepared | None = None) -> pd.DataFrame:
    """Per edition and indicator: mean and max absolute change of the index rank when that indicator is dropped,
    over cities ranked in both runs. `official`: the official run's arrays (finish_arrays). Each drop-one run is
    compute_index's stages without its long tables (prepare, then finish_arrays), since only the index ranks are
    read; with `prep`, the official run's prepared data, its per-indicator select and treat rows are reused."""
    base = official.ranks[..., -1]                                           # (cities, editions) index ranks
    rows = []
    for i in spec.indicators:
        try:
            alt_spec = spec.override(drop_indicators=[i.id])
        except SpecError:  # the indicator is its pillar's only one
            continue
        alt = finish_arrays(prepare(observations, cities, alt_spec, reuse=prep), alt_spec).ranks[..., -1]
        both = ~np.isnan(base) & ~np.isnan(alt)
        for e, edition in enumerate(spec.editions):
            d = np.abs(base[both[:, e], e] - alt[both[:, e], e])
            if len(d):
                rows.append({"edition": int(edition), "indicator": i.id, "drop_one_mean_abs_rank_change": d.mean(),
                             "drop_one_max_abs_rank_change": int(d.max()), "drop_one_n_cities": int(len(d))})
    return pd.DataFrame(rows)


def indicator_table(prep: Prepared, corr: pd.DataFrame, dropped: pd.DataFrame) -> pd.DataFrame:
    """Per edition and indicator: skew and kurtosis of the treated values with the treatment rule's flag, the
    correlations with its pillar and the index, and the drop-one rank change."""
    spec, r = prep.spec, prep.spec.rules
    rows = []
    for e, edition in enumerate(prep.editions):
        t = prep.treated[prep.ranked[:, e], e, :]
        for j, ind in enumerate(spec.indicators):
            s = pd.Series(t[:, j]).dropna()
            skew, kurt = (float(s.skew()), float(s.kurt())) if len(s) > 3 else (float("nan"), float("nan"))
            rows.append({"edition": edition, "indicator": ind.id, "pillar": ind.pillar, "n_observed": len(s),
                         "skew": skew, "kurtosis": kurt,
                         "skew_flag": bool(abs(skew) > r.skew_max and kurt > r.kurtosis_max)})
    out = pd.DataFrame(rows)

    def pick(kind: str, name: str) -> pd.DataFrame:
        return corr[corr["kind"] == kind][["edition", "var_a", "r"]].rename(columns={"var_a": "indicator", "r": name})

    out = out.merge(pick("indicator-pillar", "r_pillar"), on=["edition", "indicator"], how="left")
    out = out.merge(pick("indicator-index", "r_index"), on=["edition", "indicator"], how="left")
    out = out.merge(dropped, on=["edition", "indicator"], how="left")
    out["negative_flag"] = out["r_pillar"] < 0
    return out


def audit(observations: pd.DataFrame, cities: pd.DataFrame, prep: Prepared, official: Finished
          ) -> dict[str, pd.DataFrame]:
    """The three published audit tables."""
    corr = correlations(prep, official)
    return {
        "audit_correlations": corr,
        "audit_pillars": pillar_table(prep, official, corr),
        "audit_indicators": indicator_table(prep, corr, drop_one(observations, cities, prep.spec, official, prep)),
    }
