"""Data completeness: how many reference cities have a value per indicator and edition, and for the five focus
cities whether each value is recent (from 2019 or later) or, if not, the documented reason.

Why: a policymaker comparing the V4 capitals and Vienna indicator by indicator must see where a comparison rests on
old or missing data, and why. Used by the build (to refuse stale absences), by `scripts/completeness.py` (the
committed report) and by the explorer's methodology page; plain pandas, no Streamlit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cdi_core.compute import STATUS_MISSING
from cdi_core.errors import InputError
from cdi_core.registry_build import FOCUS as REGISTRY_FOCUS
from cdi_core.spec import Spec

FOCUS = list(REGISTRY_FOCUS)
RECENT_FROM = 2019  # the bar: a value whose year is 2019 or later
STATUSES = ["observed", "below_threshold", "missing"]


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
