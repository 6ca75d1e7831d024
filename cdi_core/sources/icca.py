"""International association meetings per city (ICCA city rankings, as printed in press coverage).

Definition (ICCA): meetings organised by international associations, held regularly, rotating between at least
three countries, with at least 50 participants, counted in the year they took place. From 2022 ICCA counts
in-person meetings only. Only ICCA rows are used: the UIA ranking uses a wider definition and is not comparable.

Rules:
- Observed values wherever the file gives a meeting count (top lists and the Polish and Portuguese national lists).
  Rows with a rank but no count are skipped: no value (missing).
- Below threshold: for each year whose ICCA list in the file is a complete top 20 or top 10 (every rank position up
  to N present with its count, ties included; worked out from the data), every reference city without a count in
  that year gets (year, NaN, below_threshold), the note naming N and the N-th city's count. That gives 2011, 2019,
  2022, 2023 and 2024 (top 10) and 2014 and 2018 (top 20); 2015 and 2016 are incomplete (national lists, ranks 8-11
  of 2016 missing) and mark nobody.

List type: TOP-N (ICCA's top 10 / top 20 per year, where complete in the file): absent = below_threshold; a year
whose top list is incomplete marks nobody, and absence there is missing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    STATUS_BELOW_THRESHOLD,
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_source_csv,
    unmatched_frame,
    url_source_id,
)

RAW_PATH = Path("curated/icca_meetings.csv")
INDICATOR = "icca_meetings"
PREFIX = "icca"
COLUMNS = ["city", "country_iso2", "year", "meetings", "rank", "rank_tied", "ranking_source", "source_url",
           "source_title"]
ROWS_DOCUMENTED = (100, 250)  # .md: 142 rows
RANKINGS_KNOWN = {"ICCA", "UIA"}
TOP_SIZES = (20, 10)
NO_LICENCE = "facts from a public page; no licence stated"
# Caveats the .md gives for a whole year or one figure: they travel with the value.
YEAR_CAVEATS = {2022: "in-person meetings only", 2023: "in-person meetings only"}
VALUE_CAVEATS = {("Paris", 2024): "depressed by the Olympic Games, per the source",
                 ("Berlin", 2022): "one source prints 133; 113 is the figure consistent with Berlin's 7th place"}


def _source(url: str, title: str) -> SourceMeta:
    site = urlparse(url).netloc.removeprefix("www.")
    return SourceMeta(source_id=url_source_id(PREFIX, url), title=title,
                      producer=f"ICCA (International Congress and Convention Association), as reported by {site}",
                      url=url, licence=NO_LICENCE, attribution=f"ICCA rankings, via {site}")


def read_table(raw_dir: Path) -> pd.DataFrame:
    df, path = read_source_csv(raw_dir, RAW_PATH, COLUMNS, *ROWS_DOCUMENTED)
    df["csv_row"] = df.index + 2
    unknown = sorted(set(df["ranking_source"]) - RANKINGS_KNOWN)
    if unknown:
        raise InputError(path, "unknown ranking_source", detail=", ".join(unknown))
    for col, required in (("year", True), ("meetings", False), ("rank", False)):
        bad = df[~df[col].str.fullmatch(r"\d+") & (required | (df[col] != ""))]
        if len(bad):
            raise InputError(path, f"{col} is not a whole number", row=int(bad["csv_row"].iloc[0]),
                             detail=bad[col].iloc[0])
    df["year"] = df["year"].astype(int)
    df["meetings"] = pd.to_numeric(df["meetings"].replace("", None)).astype("Int64")
    df["rank"] = pd.to_numeric(df["rank"].replace("", None)).astype("Int64")
    return df


def complete_top(year_rows: pd.DataFrame) -> tuple[int, pd.DataFrame] | None:
    """(N, rows ranked 1..N) if the year's rows form a complete top N with counts, for the largest N tried."""
    ranked = year_rows.dropna(subset=["rank"]).sort_values("rank")
    for n in TOP_SIZES:
        top = ranked[ranked["rank"] <= n]
        ranks = top["rank"].astype(int).tolist()
        # competition ranking: each rank is 1 + the number of cities strictly ahead of it
        consistent = all(r == 1 + sum(x < r for x in ranks) for r in ranks)
        if len(top) >= n and consistent and top["meetings"].notna().all():
            return n, top
    return None


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    df = read_table(raw_dir)
    icca = df[df["ranking_source"] == "ICCA"].copy()
    icca["city_id"] = [registry.match(c, i) for c, i in zip(icca["city"], icca["country_iso2"])]
    report = [{"source_file": str(RAW_PATH), "row": int(r.csv_row), "name": r.city, "country_iso2": r.country_iso2,
               "reason": "not a reference city (small list: every unmatched row is reported)"}
              for r in icca[icca["city_id"].isna()].drop_duplicates(["city", "country_iso2"]).itertuples()]
    sources: dict[str, SourceMeta] = {}
    rows: list[dict] = []
    counted = icca.dropna(subset=["city_id", "meetings"]).drop_duplicates(["city_id", "year"])
    for r in counted.itertuples():
        src = _source(r.source_url, r.source_title)
        sources[src.source_id] = src
        parts = ["ICCA association meetings"]
        if pd.notna(r.rank):
            parts.append(f"world rank {r.rank}" + (" (tied)" if r.rank_tied == "yes" else ""))
        parts += [c for c in (YEAR_CAVEATS.get(r.year), VALUE_CAVEATS.get((r.city, r.year))) if c]
        rows.append({"city_id": r.city_id, "indicator": INDICATOR, "year": r.year, "value": float(r.meetings),
                     "status": STATUS_OBSERVED, "source_id": src.source_id, "note": "; ".join(parts)})
    for year, year_rows in icca.groupby("year"):
        found = complete_top(year_rows)
        if not found:
            continue
        n, top = found
        threshold = int(top["meetings"].min())
        url = top["source_url"].mode().iloc[0]  # the page that printed the top list
        src = _source(url, top.loc[top["source_url"] == url, "source_title"].iloc[0])
        sources[src.source_id] = src
        have = set(counted.loc[counted["year"] == year, "city_id"])
        note = f"not in ICCA's top {n} for {year} (threshold: {threshold} meetings, the {n}th city's count)"
        for city_id in registry.city_ids():
            if city_id not in have:
                rows.append({"city_id": city_id, "indicator": INDICATOR, "year": int(year), "value": float("nan"),
                             "status": STATUS_BELOW_THRESHOLD, "source_id": src.source_id, "note": note})
    return SourceResult(observations=obs_frame(rows), sources=list(sources.values()),
                        unmatched=unmatched_frame(report))
