"""The project's own cited facts and documented absences (data/curated), for the five focus cities.

Why: the shared sources leave gaps after 2019 exactly where policymakers compare the V4 capitals and Vienna. Facts
found on the producers' pages (or their figures as printed by the press) are added here as cited rows; where nothing
usable exists, the absence and what was searched are recorded so that the explorer can say why a value is old or
missing. Every rule is checked with the file and row named; nothing is estimated.

Files (see data/curated/README.md):
- focus_facts.csv -> observations (status observed), one source per cited page, graded from the row's confidence
  (high: producer's own publication, medium: reputable secondary, low: other); flag `derived` where the definition
  says "derived by us" (a share divided from two printed counts).
- absences.csv -> the side table `absences` (published as data/index/absences.parquet).

List type: PARTIAL (single cited facts for the focus cities): a city or year without a fact is missing (no
row), never 0; a fact may replace a below_threshold mark, never a measured value.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REPO_ROOT
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    join_flags,
    obs_frame,
    read_curated,
    url_source_id,
)

CURATED_DIR = REPO_ROOT / "data" / "curated"
FACTS_FILE = "focus_facts.csv"
ABSENCES_FILE = "absences.csv"
PREFIX = "curated"
FACT_COLUMNS = ["city_id", "indicator", "year", "value", "definition", "producer", "source_title", "source_url",
                "licence", "retrieved", "confidence", "evidence"]
ABSENCE_COLUMNS = ["city_id", "indicator", "edition", "reason", "searched", "checked"]
CONFIDENCE = {"high": "the producer's own page", "medium": "the producer's figure as printed by another site",
              "low": "a page a journalist would not cite (blog, aggregator, booking site)"}
# The source grade (base.GRADES) each confidence level means; `low` facts must be dropped or replaced.
CONFIDENCE_GRADE = {"high": "producer's own publication", "medium": "reputable secondary", "low": "other"}
_URL = re.compile(r"^https?://[^\s<>\"']+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INDICATOR = re.compile(r"^[a-z][a-z0-9_]{0,60}$")


def _require(path: Path, df: pd.DataFrame, columns: list[str]) -> None:
    for col in columns:
        empty = df[col].str.strip() == ""
        if empty.any():
            raise InputError(path, f"{col} is empty", row=int(empty.idxmax()) + 2)


def _check_keys(path: Path, df: pd.DataFrame, registry: Registry, year_col: str) -> None:
    known = set(registry.city_ids())
    for i, r in df.iterrows():
        row = int(i) + 2
        if r.city_id not in known:
            raise InputError(path, "unknown city_id (not a reference city)", row=row, detail=r.city_id)
        if not _INDICATOR.match(r.indicator):
            raise InputError(path, "indicator is not an indicator id", row=row, detail=r.indicator[:60])
        if not (r[year_col].isascii() and r[year_col].isdigit() and 1950 <= int(r[year_col]) <= 2100):
            raise InputError(path, f"{year_col} is not a year from 1950 to 2100", row=row, detail=r[year_col][:20])


def read_facts(curated_dir: Path, registry: Registry) -> tuple[pd.DataFrame, list[SourceMeta]]:
    path = Path(curated_dir) / FACTS_FILE
    df = read_curated(path, FACT_COLUMNS)
    _require(path, df, FACT_COLUMNS)
    _check_keys(path, df, registry, "year")
    rows, sources = [], {}
    for i, r in df.iterrows():
        row = int(i) + 2
        try:
            value = float(r.value)
        except ValueError:
            raise InputError(path, "value is not a number", row=row, detail=r.value[:40]) from None
        if not math.isfinite(value) or value < 0:
            raise InputError(path, "value must be a finite number, not negative", row=row, detail=r.value[:40])
        if r.indicator.endswith("_share") and value > 100:
            raise InputError(path, "a share must be at most 100", row=row, detail=r.value)
        if r.confidence not in CONFIDENCE:
            raise InputError(path, "confidence must be one of " + ", ".join(CONFIDENCE), row=row,
                             detail=r.confidence[:20])
        if not _URL.match(r.source_url):
            raise InputError(path, "source_url is not an http(s) URL", row=row, detail=r.source_url[:80])
        if not _DATE.match(r.retrieved):
            raise InputError(path, "retrieved is not a date (YYYY-MM-DD)", row=row, detail=r.retrieved[:20])
        src = SourceMeta(source_id=url_source_id(PREFIX, r.source_url), title=r.source_title, producer=r.producer,
                         url=r.source_url, licence=r.licence, attribution=r.producer, retrieved=r.retrieved,
                         grade=CONFIDENCE_GRADE[r.confidence])
        if src.source_id in sources and sources[src.source_id] != src:
            raise InputError(path, "one source_url with two different titles or producers", row=row)
        sources[src.source_id] = src
        rows.append({"city_id": r.city_id, "indicator": r.indicator, "year": int(r.year), "value": value,
                     "status": STATUS_OBSERVED, "source_id": src.source_id,
                     "note": f"{r.definition}; project-curated fact, confidence {r.confidence} "
                             f"({CONFIDENCE[r.confidence]})",
                     "flags": join_flags(["derived"] * ("derived by us" in r.definition))})
    obs = obs_frame(rows)
    dup = obs.duplicated(["city_id", "indicator", "year"], keep=False)
    if dup.any():
        raise InputError(path, "two facts for one city, indicator and year", row=int(dup.idxmax()) + 2)
    return obs, list(sources.values())


def read_absences(curated_dir: Path, registry: Registry) -> pd.DataFrame:
    path = Path(curated_dir) / ABSENCES_FILE
    df = read_curated(path, ABSENCE_COLUMNS)
    _require(path, df, ABSENCE_COLUMNS)
    _check_keys(path, df, registry, "edition")
    bad = ~df["checked"].str.match(_DATE)
    if bad.any():
        raise InputError(path, "checked is not a date (YYYY-MM-DD)", row=int(bad.idxmax()) + 2)
    dup = df.duplicated(["city_id", "indicator", "edition"], keep=False)
    if dup.any():
        raise InputError(path, "two absences for one city, indicator and edition", row=int(dup.idxmax()) + 2)
    return df[ABSENCE_COLUMNS].sort_values(["indicator", "city_id", "edition"]).reset_index(drop=True)


def read(raw_dir: Path, registry: Registry, curated_dir: Path = CURATED_DIR) -> SourceResult:
    """`raw_dir` is unused: these inputs are the project's own and live in the repository."""
    obs, sources = read_facts(curated_dir, registry)
    return SourceResult(observations=obs, sources=sources, tables={"absences": read_absences(curated_dir, registry),
                                                                  "source_releases": read_releases(curated_dir)})


RELEASES_FILE = "source_releases.csv"
RELEASE_COLUMNS = ["indicator", "source", "release_year", "published", "next_expected", "source_url", "note"]


def read_releases(curated_dir: Path) -> pd.DataFrame:
    """The producers' release calendar per indicator (data/curated/source_releases.csv), passed to the build for
    the freshness table."""
    path = Path(curated_dir) / RELEASES_FILE
    return read_curated(path, RELEASE_COLUMNS)[RELEASE_COLUMNS]
