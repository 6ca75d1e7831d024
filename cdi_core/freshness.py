"""Freshness, said out loud: per edition and indicator, how new the values are, whether the edition brought new
data at all, and when the producer's next release is due, so the explorer and the reports can say why a score did
not move ("no new Lowy release since the 2023 data").

The data years come from the published indicators (the values each edition actually uses); the release calendar
comes from the committed table data/inputs/tables/source_releases.csv (the producers' own announcements, or "not
announced")."""

from __future__ import annotations

import pandas as pd

FRESHNESS_COLUMNS = ["edition", "indicator", "values", "newest_year", "recent_values", "new_data", "releases",
                     "next_release"]


def freshness_table(indicators: pd.DataFrame, releases: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per edition and indicator: `values` used, the newest data year among them, how many are from the
    edition's year or the one before (`recent_values`), whether any value is newer than every value of the
    previous edition (`new_data`), the source releases up to the edition and the next one announced."""
    used = indicators[indicators["status"] != "missing"].copy()
    used["recent"] = used["year"] >= used["edition"] - 1
    g = used.groupby(["edition", "indicator"])
    t = g.agg(values=("city_id", "size"), newest_year=("year", "max"), recent_values=("recent", "sum")).reset_index()
    grid = pd.MultiIndex.from_product(
        [sorted(indicators["edition"].unique()), sorted(indicators["indicator"].unique())],
        names=["edition", "indicator"]).to_frame(index=False)
    t = grid.merge(t, on=["edition", "indicator"], how="left")
    t["values"] = t["values"].fillna(0).astype(int)
    t["recent_values"] = t["recent_values"].fillna(0).astype(int)
    t["newest_year"] = t["newest_year"].astype("Int64")
    prev = t.sort_values("edition").groupby("indicator")["newest_year"].shift()
    t["new_data"] = (t["newest_year"] > prev).fillna(False).astype(bool)
    t["releases"], t["next_release"] = "", ""
    if releases is not None and len(releases):
        rel = releases.assign(release_year=releases["release_year"].astype(str).str.split(";")).explode(
            "release_year")
        rel["release_year"] = pd.to_numeric(rel["release_year"].str.strip(), errors="coerce")
        for i, r in t.iterrows():
            mine = rel[(rel["indicator"] == r.indicator) & (rel["release_year"] <= r.edition)]
            t.at[i, "releases"] = ", ".join(str(int(y)) for y in sorted(mine["release_year"].dropna().unique()))
            nxt = rel.loc[rel["indicator"] == r.indicator, "next_expected"].dropna().astype(str)
            t.at[i, "next_release"] = nxt.iloc[-1] if len(nxt) else ""
    return t[FRESHNESS_COLUMNS].sort_values(["edition", "indicator"]).reset_index(drop=True)
