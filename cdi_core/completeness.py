"""Data completeness: how many reference cities have a value per indicator and edition (by status and by vintage,
the counts the explorer shows), how many measures an edition has at all (the coverage rule's denominator), and for
the five focus cities whether each value is recent (from 2019 or later) or, if not, the documented reason.

Why: a policymaker comparing the V4 capitals and Vienna indicator by indicator must see where a comparison rests on
old or missing data, and why. Used by the build (to refuse stale absences), by `scripts/completeness.py` (the
committed report) and by the explorer's methodology page; plain pandas, no Streamlit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cdi_core.compute import STATUS_MISSING, VINTAGE_CARRIED, VINTAGE_CURRENT, VINTAGE_LATER
from cdi_core.errors import InputError
from cdi_core.registry_build import FOCUS as REGISTRY_FOCUS
from cdi_core.spec import Spec

FOCUS = list(REGISTRY_FOCUS)
RECENT_FROM = 2019  # the bar: a value whose year is 2019 or later
STATUSES = ["observed", "below_threshold", "missing"]
COUNT_COLUMNS = ["observed", "zero", "below_threshold", "missing", "current", "carried_forward", "later_vintage"]


def is_recent(ind: pd.DataFrame) -> pd.Series:
    """A value (or a below-threshold mark) whose data year is RECENT_FROM or later."""
    return (ind["status"] != STATUS_MISSING) & (ind["year"].fillna(0).astype(int) >= RECENT_FROM)


def check_absences(absences: pd.DataFrame, indicators: pd.DataFrame, spec: Spec,
                   file: str | Path = "tables/absences.csv") -> None:
    """Every documented absence must name an indicator of the spec and an edition, and must still be true: once a
    value from 2019 or later has arrived, the absence is stale and the build stops with its row named."""
    cells = indicators.set_index(["city_id", "edition", "indicator"])
    recent = is_recent(indicators).to_numpy()
    recent_cells = set(cells.index[recent])
    for i, r in absences.reset_index(drop=True).iterrows():
        row = int(i) + 1
        if r.indicator not in spec.indicator_ids:
            raise InputError(file, "indicator not in the spec", row=row, detail=r.indicator)
        if int(r.edition) not in spec.editions:
            raise InputError(file, "edition not in the spec", row=row, detail=str(r.edition))
        if (r.city_id, int(r.edition), r.indicator) in recent_cells:
            raise InputError(file, f"stale absence: the index has a value from {RECENT_FROM} or later",
                             row=row, detail=f"{r.city_id} {r.indicator} {r.edition}")


def coverage(ind: pd.DataFrame) -> pd.DataFrame:
    """indicator x edition: counts of observed, below-threshold and missing over all reference cities, and how
    many of the values are from 2019 or later."""
    t = ind.groupby(["indicator", "edition", "status"]).size().unstack(fill_value=0)
    t = t.reindex(columns=STATUSES, fill_value=0)
    t["recent"] = ind.assign(_r=is_recent(ind)).groupby(["indicator", "edition"])["_r"].sum()
    return t.reset_index().rename_axis(columns=None)


def indicator_counts(ind: pd.DataFrame, edition: int | None = None) -> pd.DataFrame:
    """One row per (edition, indicator) of the published `indicators` table (one edition with `edition`), sorted
    by edition and indicator: `cities` (reference cities), how many have a measured value (`observed`; `zero` of
    them a true 0), a below-threshold mark or no data, the vintage of the value used (`current`, `carried_forward`,
    `later_vintage`), and `with_data_pct`, the share with data (a below-threshold mark counts) in per cent.

    observed + below_threshold + missing = cities; current + carried_forward + later_vintage = observed +
    below_threshold."""
    if edition is not None:
        ind = ind[ind["edition"] == edition]
    status, vintage = ind["status"], ind["vintage"].fillna("")
    flags = pd.DataFrame({
        "edition": ind["edition"], "indicator": ind["indicator"],
        "observed": status == "observed",
        "zero": (status == "observed") & (ind["value"] == 0),
        "below_threshold": status == "below_threshold",
        "missing": status == STATUS_MISSING,
        "current": vintage == VINTAGE_CURRENT,
        "carried_forward": vintage == VINTAGE_CARRIED,
        "later_vintage": vintage == VINTAGE_LATER,
    })
    out = flags.groupby(["edition", "indicator"]).agg(
        cities=("observed", "size"), **{c: (c, "sum") for c in COUNT_COLUMNS}).reset_index()
    out[["cities", *COUNT_COLUMNS]] = out[["cities", *COUNT_COLUMNS]].astype(int)
    out["with_data_pct"] = 100.0 * (out["observed"] + out["below_threshold"]) / out["cities"]
    return out.sort_values(["edition", "indicator"]).reset_index(drop=True)


def measure_of(framework: pd.DataFrame) -> pd.Series:
    """Per indicator (the published framework table), the measure it counts for in the coverage rule: its coverage
    group (alternative measures of one concept, such as the foreign-born and foreign-citizen shares, count once),
    else itself."""
    ids = framework["indicator"].astype(str)
    group = (framework["coverage_group"].fillna("").astype(str) if "coverage_group" in framework.columns
             else pd.Series("", index=framework.index))
    return pd.Series(group.where(group != "", ids).to_numpy(), index=ids.to_numpy(), name="measure")


def measures_available(ind: pd.DataFrame, framework: pd.DataFrame) -> pd.Series:
    """Per edition, how many measures at least one reference city has data for (a below-threshold mark counts): the
    denominator of each city's published coverage share (cdi_core.compute.screen), from the published tables."""
    have = ind[ind["status"] != STATUS_MISSING]
    measures = have.assign(measure=have["indicator"].map(measure_of(framework)))
    n = measures.groupby("edition")["measure"].nunique()
    return n.reindex(sorted(ind["edition"].unique()), fill_value=0).astype(int).rename("measures")


def focus_table(ind: pd.DataFrame, sources: pd.DataFrame, absences: pd.DataFrame, edition: int) -> pd.DataFrame:
    """The focus cities' values in one edition with year, status, vintage, source, whether the value is recent,
    and the documented reason where it is not."""
    f = ind[(ind["edition"] == edition) & ind["city_id"].isin(FOCUS)].copy()
    f = f.merge(sources[["source_id", "title", "producer", "url"]], on="source_id", how="left")
    f["year"] = f["year"].astype("Int64")
    f["recent"] = is_recent(f)
    ab = absences[absences["edition"].astype(int) == edition][["city_id", "indicator", "reason", "searched"]]
    f = f.merge(ab, on=["city_id", "indicator"], how="left")
    f[["reason", "searched"]] = f[["reason", "searched"]].fillna("")
    cols = ["city_id", "indicator", "status", "value", "year", "vintage", "recent", "title", "producer", "url",
            "note", "reason", "searched"]
    order = {c: i for i, c in enumerate(FOCUS)}
    return (f[cols].sort_values(["indicator", "city_id"], key=lambda s: s.map(order) if s.name == "city_id" else s)
            .reset_index(drop=True))


def undocumented(focus: pd.DataFrame) -> pd.DataFrame:
    """Focus-city cells with neither a recent value nor a documented absence: what the issue's bar forbids."""
    return focus[~focus["recent"] & (focus["reason"] == "")]
