"""International tourist arrivals per city (Euromonitor International, Top 100 City Destinations).

Definition (Euromonitor): arrivals of international visitors staying at least 24 hours and less than 12 months;
each arrival counts (a person visiting twice counts twice). Only Euromonitor rows of `curated/tourism_arrivals.csv`
are used; Mastercard's Global Destination Cities Index counts international overnight visitors, a different
definition that must not be mixed in, so its rows are left out.

Rules:
- One value per (city, year): the latest edition wins (Euromonitor revises earlier years; an edition's recency is
  the latest year its name carries), then a final figure over an in-year estimate.
- Below threshold: the Wikipedia copy of Euromonitor's 2018 table (Dec 2019 edition) is a complete top 100, so every
  reference city not in it gets (2018, NaN, below_threshold) with the 100th city's figure as the threshold.
- No below-threshold marks from the top-10 lists of 2019 and 2023-2025: a city outside a top 10 may still have
  millions of arrivals, so a top 10 bounds almost nobody usefully.
- Warsaw 2018 from the Wikipedia copy is kept but flagged: Euromonitor's Dec 2019 edition as quoted in the Polish
  press gives 2.7 million and rank 83, and the copy appears to swap Warsaw and Kraków.

List type: TOP-N. The 2018 Euromonitor table is a complete top 100: a reference city absent from it is
below_threshold for 2018 (never 0). The other years' lists are top 10s or single figures: PARTIAL, absence is
missing (no row).
"""

from __future__ import annotations

import re
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

RAW_PATH = Path("curated/tourism_arrivals.csv")
INDICATOR = "international_arrivals"
PREFIX = "arrivals"
COLUMNS = ["city", "country_iso2", "year", "international_arrivals", "ranking_source", "edition", "rank",
           "is_estimate", "source_url", "source_title", "original_source", "note"]
ROWS_DOCUMENTED = (200, 400)  # .md: 266 rows
SOURCES_KNOWN = {"Euromonitor", "Mastercard"}
TOP100_YEAR = 2018
TOP100_EDITION = "Arrivals 2018 (Euromonitor)"  # marks the Wikipedia-table rows of the Dec 2019 edition
DOUBTFUL = {("Warsaw", "PL", TOP100_YEAR): "doubtful: Euromonitor's Dec 2019 edition as quoted by the Polish press "
                                           "gives 2.7 million (rank 83); the Wikipedia table seems to swap Warsaw "
                                           "and Kraków",
            ("Kraków", "PL", TOP100_YEAR): "doubtful: the Wikipedia table seems to swap Warsaw and Kraków "
                                           "(Polish press puts Kraków about rank 74)"}
NO_LICENCE = "facts from a public page; no licence stated"
# Euromonitor's figures are Euromonitor's, whichever page printed them: a Wikipedia page's CC BY-SA covers its text,
# not the figures it cites.
WIKI_LICENCE = ("Euromonitor International's figures (facts; Euromonitor's report is proprietary), read on a "
                "Wikipedia page whose text is CC BY-SA 4.0")


def _site(url: str) -> str:
    """Short name of the site a figure was read on (a GitHub copy is named by its repository)."""
    parsed = urlparse(str(url))
    host = parsed.netloc.removeprefix("www.")
    if host == "github.com":
        return host + "/" + "/".join(parsed.path.strip("/").split("/")[:2])
    return host


def _source(row) -> SourceMeta:
    """One citable source per page the figure was read from."""
    original = row.original_source if isinstance(row.original_source, str) and row.original_source else ""
    if original:
        reporter = f"{_site(original)} (copy in {_site(row.source_url)})"
        licence = WIKI_LICENCE if "wikipedia.org" in original else NO_LICENCE
    else:
        reporter = _site(row.source_url)
        licence = WIKI_LICENCE if "wikipedia.org" in row.source_url else NO_LICENCE
    return SourceMeta(source_id=url_source_id(PREFIX, row.source_url), title=row.source_title,
                      producer=f"Euromonitor International, as reported by {reporter}", url=row.source_url,
                      licence=licence, attribution=f"Euromonitor International, via {reporter}")


def edition_recency(edition: str, year: int) -> int:
    """How recent an edition is: the latest year its name carries (e.g. 'Dec 2019 edition' -> 2019)."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", str(edition))]
    return max(years) if years else year


def read_table(raw_dir: Path) -> pd.DataFrame:
    df, path = read_source_csv(raw_dir, RAW_PATH, COLUMNS, *ROWS_DOCUMENTED)
    df["csv_row"] = df.index + 2
    unknown = sorted(set(df["ranking_source"]) - SOURCES_KNOWN)
    if unknown:
        raise InputError(path, "unknown ranking_source", detail=", ".join(unknown))
    for col in ("year", "international_arrivals"):
        bad = df[~df[col].str.fullmatch(r"\d+")]
        if len(bad):
            raise InputError(path, f"{col} is not a whole number", row=int(bad["csv_row"].iloc[0]),
                             detail=bad[col].iloc[0])
        df[col] = df[col].astype(int)
    df["rank"] = pd.to_numeric(df["rank"].replace("", None), errors="coerce")
    return df


def pick_values(euro: pd.DataFrame) -> pd.DataFrame:
    """One row per (city, year): latest edition first, then a final figure before an in-year estimate."""
    euro = euro.assign(recency=[edition_recency(e, y) for e, y in zip(euro["edition"], euro["year"])],
                       final=(euro["is_estimate"].str.lower() != "yes"))
    euro = euro.sort_values(["city_id", "year", "recency", "final"], ascending=[True, True, False, False])
    return euro.drop_duplicates(["city_id", "year"], keep="first")


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    df = read_table(raw_dir)
    euro = df[df["ranking_source"] == "Euromonitor"].copy()
    euro["city_id"] = [registry.match(c, i) for c, i in zip(euro["city"], euro["country_iso2"])]
    report = [{"source_file": str(RAW_PATH), "row": int(r.csv_row), "name": r.city, "country_iso2": r.country_iso2,
               "reason": "not a reference city (small list: every unmatched row is reported)"}
              for r in euro[euro["city_id"].isna()].drop_duplicates(["city", "country_iso2"]).itertuples()]
    chosen = pick_values(euro.dropna(subset=["city_id"]))
    sources: dict[str, SourceMeta] = {}
    rows = []
    for r in chosen.itertuples():
        src = _source(r)
        sources[src.source_id] = src
        parts = [f"Euromonitor, {r.edition}"]
        if str(r.is_estimate).lower() == "yes":
            parts.append("in-year estimate")
        if (r.city, r.country_iso2, r.year) in DOUBTFUL:
            parts.append(DOUBTFUL[(r.city, r.country_iso2, r.year)])
        rows.append({"city_id": r.city_id, "indicator": INDICATOR, "year": r.year,
                     "value": float(r.international_arrivals), "status": STATUS_OBSERVED,
                     "source_id": src.source_id, "note": "; ".join(parts)})

    top = euro[(euro["year"] == TOP100_YEAR) & euro["edition"].str.contains(TOP100_EDITION, regex=False)]
    ranked = top.dropna(subset=["rank"])
    if len(top) < 100 or ranked["rank"].max() != 100:
        raise InputError(RAW_PATH, "the 2018 Euromonitor table is no longer a complete top 100",
                         detail=f"{len(top)} rows, highest rank {ranked['rank'].max()}")
    threshold = int(ranked.loc[ranked["rank"] == 100, "international_arrivals"].min())
    src = _source(top.iloc[0])
    sources[src.source_id] = src
    listed = set(top["city_id"].dropna())
    note = f"not in Euromonitor's top 100 for 2018 (threshold: {threshold:,} arrivals)"
    for city_id in registry.city_ids():
        if city_id not in listed:
            rows.append({"city_id": city_id, "indicator": INDICATOR, "year": TOP100_YEAR, "value": float("nan"),
                         "status": STATUS_BELOW_THRESHOLD, "source_id": src.source_id, "note": note})
    return SourceResult(observations=obs_frame(rows), sources=list(sources.values()),
                        unmatched=unmatched_frame(report))
