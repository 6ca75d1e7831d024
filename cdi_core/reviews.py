"""The reviewed tables the ingest applies to every source module's output (data/curated).

- source_grades.csv (source_id, grade, reason): the grade of every source whose module does not derive one. A
  source graded both by its module and here, graded twice here, or a row naming no source, stops the ingest.
- dropped_values.csv (source_file, row, source_id, city_id, indicator, year, reason): values taken out of the
  observations; empty city_id / indicator / year match every row of that source. A row that drops nothing stops
  the ingest (the decision went stale).
After both, no source may lack a grade and no observation may rest on a source graded `other`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.grades import check_grades
from cdi_core.paths import REPO_ROOT
from cdi_core.sources.base import GRADES, SourceMeta, read_curated

CURATED_DIR = REPO_ROOT / "data" / "curated"
GRADES_FILE = "source_grades.csv"
DROPPED_FILE = "dropped_values.csv"
GRADE_COLUMNS = ["source_id", "grade", "reason"]
DROPPED_COLUMNS = ["source_file", "row", "source_id", "city_id", "indicator", "year", "reason"]
OTHER = GRADES[-1]


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    df = read_curated(path, columns, "reviewed table")
    for col in ("source_id", "reason"):
        empty = df[col].str.strip() == ""
        if empty.any():
            raise InputError(path, f"{col} is empty", row=int(empty.idxmax()) + 2)
    return df


def apply_grades(sources: dict[str, SourceMeta], curated_dir: Path = CURATED_DIR) -> dict[str, SourceMeta]:
    """Every source with its grade: the module's own, else the reviewed table's; checked against base.GRADES."""
    path = Path(curated_dir) / GRADES_FILE
    table = _read(path, GRADE_COLUMNS)
    out = dict(sources)
    seen: set[str] = set()
    for i, r in table.iterrows():
        row = int(i) + 2
        if r.source_id in seen:
            raise InputError(path, "a source is graded twice", row=row, detail=r.source_id)
        seen.add(r.source_id)
        if r.grade not in GRADES:
            raise InputError(path, "grade is not one of " + " / ".join(GRADES), row=row, detail=r.grade[:40])
        if r.source_id not in out:
            raise InputError(path, "no source module produces this source_id", row=row, detail=r.source_id)
        if out[r.source_id].grade:
            raise InputError(path, "this source's module already grades it", row=row, detail=r.source_id)
        out[r.source_id] = replace(out[r.source_id], grade=r.grade)
    check_grades(pd.DataFrame({"source_id": list(out), "grade": [s.grade for s in out.values()]}), str(path))
    return out


def apply_drops(observations: pd.DataFrame, curated_dir: Path = CURATED_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept observations, the dropped rows with the table's reason)."""
    path = Path(curated_dir) / DROPPED_FILE
    table = _read(path, DROPPED_COLUMNS)
    drop = pd.Series(False, index=observations.index)
    reasons = pd.Series("", index=observations.index)
    for i, r in table.iterrows():
        m = observations["source_id"] == r.source_id
        if r.city_id:
            m &= observations["city_id"] == r.city_id
        if r.indicator:
            m &= observations["indicator"] == r.indicator
        if r.year:
            if not (r.year.isascii() and r.year.isdigit()):
                raise InputError(path, "year is not a year", row=int(i) + 2, detail=r.year[:20])
            m &= observations["year"] == int(r.year)
        if not m.any():
            raise InputError(path, "this row drops no observation (stale decision?)", row=int(i) + 2,
                             detail=f"{r.source_id} {r.city_id} {r.indicator} {r.year}".strip())
        drop |= m
        reasons[m] = r.reason
    return observations[~drop], observations[drop].assign(reason=reasons[drop])


def check_no_other(observations: pd.DataFrame, sources: dict[str, SourceMeta]) -> None:
    """No value may rest on a source graded `other`: replace it (data/curated) or drop it (dropped_values.csv)."""
    grade = observations["source_id"].map({k: s.grade for k, s in sources.items()})
    bad = observations[grade == OTHER]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(f"data/curated/{DROPPED_FILE}",
                         f"{len(bad)} observation(s) rest on a source graded '{OTHER}': replace or drop them",
                         detail=f"{r.source_id} {r.city_id} {r.indicator} {r.year}")
