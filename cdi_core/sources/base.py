"""What every source module returns, and the upstream-format checks they share."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError

# The long, tidy observation table (DESIGN §3). `status` separates a measured value (including a true zero from a
# complete list) from "below the threshold of a top-N list" (value is NaN then). Missing data has no row at all.
OBS_COLUMNS = ["city_id", "indicator", "year", "value", "status", "source_id", "note", "flags"]
# `flags`: ';'-joined quality marks a source module sets on a value, read by the build's quality checks
# (cdi_core.quality): `estimated` (the producer flags the figure as an estimate, e.g. Eurostat `e`), `approximate`
# (a hedged figure: "about", "up to"), `derived` (a share we divided from two printed counts), `year_inferred`,
# `area_wider` (the figure covers an area wider than the city), `series_joined` (the city's history joins two series
# of one definition and area, e.g. Eurostat Urban Audit city values before 2020 and NUTS 3 values from 2020; the note
# gives the two series' measured difference in their overlap year).
FLAG_SEP = ";"
FLAGS = ("estimated", "approximate", "derived", "year_inferred", "area_wider", "series_joined")
STATUS_OBSERVED = "observed"
STATUS_BELOW_THRESHOLD = "below_threshold"

SOURCE_COLUMNS = ["source_id", "title", "producer", "url", "licence", "attribution", "retrieved", "year", "grade"]
# A source's grade, as a data journalist would rank it; the methodology says which grades the index may use.
GRADES = ("official statistics", "producer's own publication", "reputable secondary", "other")
UNMATCHED_COLUMNS = ["source_file", "row", "name", "country_iso2", "reason"]


@dataclass(frozen=True)
class SourceMeta:
    """One citable source: what a reader needs to follow a number back to where it came from."""

    source_id: str
    title: str
    producer: str
    url: str
    licence: str
    attribution: str
    retrieved: str = ""
    year: str = ""
    grade: str = ""

    def as_row(self) -> dict:
        return {c: getattr(self, c) for c in SOURCE_COLUMNS}


@dataclass
class SourceResult:
    """Observations from one source module, the sources they cite, what could not be matched, and side tables."""

    observations: pd.DataFrame
    sources: list[SourceMeta]
    unmatched: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMATCHED_COLUMNS))
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def url_source_id(prefix: str, url: str) -> str:
    """Stable id for a cited page: the table prefix plus a short hash of its URL."""
    return f"{prefix}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}"


def require_file(path: Path) -> Path:
    if not path.is_file():
        raise InputError(path, "upstream file is missing", detail="check --raw points at shared/data")
    return path


def check_columns(df: pd.DataFrame, expected: list[str], file: str | Path) -> None:
    """Fail loudly when an upstream file's columns changed (renamed, dropped), naming what is missing."""
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise InputError(file, "upstream format changed: expected columns are missing", detail=", ".join(missing))


def read_curated(path: Path, columns: list[str], what: str = "project-curated file") -> pd.DataFrame:
    """One of the project's committed tables (data/curated, data/reviews) as text, empty cells '': checked to exist,
    to be UTF-8 CSV and to have `columns`, else one error naming the file and the rule (`what` names the table)."""
    if not path.is_file():
        raise InputError(path, f"{what} is missing")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except UnicodeDecodeError as exc:
        raise InputError(path, "not valid UTF-8", detail=str(exc)) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, "malformed CSV", detail=str(exc).splitlines()[0]) from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(path, "expected columns are missing", detail=", ".join(missing))
    return df


def check_row_count(n: int, low: int, high: int, file: str | Path) -> None:
    """Row counts outside the range the SOURCE.md documents mean the upstream file changed."""
    if not low <= n <= high:
        raise InputError(file, "upstream format changed: row count outside the documented range",
                         detail=f"{n} rows, expected {low}-{high}")


def obs_frame(rows: list[dict]) -> pd.DataFrame:
    """Observation rows -> a DataFrame with exactly OBS_COLUMNS, typed."""
    df = pd.DataFrame(rows, columns=OBS_COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df["note"] = df["note"].fillna("").astype(str)
    df["flags"] = df["flags"].astype(object).fillna("").astype(str)
    return df


def join_flags(flags: list[str]) -> str:
    """Quality marks -> the `flags` cell: known tokens only, each once, in FLAGS order."""
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown observation flag(s): {sorted(unknown)}")
    return FLAG_SEP.join(f for f in FLAGS if f in flags)


def unmatched_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=UNMATCHED_COLUMNS)


def read_source_csv(raw_dir: Path, rel: Path, columns: list[str], low: int, high: int,
                    **read_kwargs) -> tuple[pd.DataFrame, Path]:
    """Read an upstream CSV as text, and fail with one clear InputError if it is missing, malformed, not UTF-8,
    lacks a documented column or has a row count outside the documented range."""
    path = require_file(raw_dir / rel)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, **read_kwargs)
    except UnicodeDecodeError as exc:
        raise InputError(path, "upstream format changed: not valid UTF-8", detail=str(exc)) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, "upstream format changed: malformed CSV", detail=str(exc).splitlines()[0]) from exc
    check_columns(df, columns, path)
    check_row_count(len(df), low, high, path)
    return df, path
