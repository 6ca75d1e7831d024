"""Source grades: every source has one of base.GRADES, and the index uses only the grades the methodology allows.

Promises: `check_grades` fails with one InputError naming the first source without a valid grade;
`apply_grade_rule` splits the observations into those the index may use and those it must not (with the grade and
the reason), before anything is computed. No Streamlit, no I/O.
"""

from __future__ import annotations

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.sources.base import GRADES
from cdi_core.spec import Spec

EXCLUDED_COLUMNS = ["city_id", "indicator", "year", "value", "status", "source_id", "grade", "reason"]


def check_grades(sources: pd.DataFrame, where: str = "sources") -> None:
    """Every source has a grade from base.GRADES; else one error naming the source."""
    grades = sources["grade"].fillna("").astype(str)
    for sid, grade in zip(sources["source_id"], grades):
        if not grade.strip():
            raise InputError(where, "a source has no grade (grade it in data/curated/source_grades.csv or its module)",
                             detail=str(sid))
        if grade not in GRADES:
            raise InputError(where, "a source's grade is not one of " + " / ".join(GRADES),
                             detail=f"{sid}: {grade!r}")


def apply_grade_rule(observations: pd.DataFrame, sources: pd.DataFrame,
                     spec: Spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept, excluded): observations whose source's grade is in spec.rules.allowed_grades, and the others with
    their `grade` and `reason` (EXCLUDED_COLUMNS). `kept` keeps the input's columns and order."""
    check_grades(sources)
    grade = observations["source_id"].map(dict(zip(sources["source_id"], sources["grade"])))
    allowed = grade.isin(spec.rules.allowed_grades)
    excluded = observations.loc[~allowed].assign(grade=grade[~allowed].fillna(""))
    excluded["reason"] = "source graded '" + excluded["grade"] + "'; the methodology allows " + \
        ", ".join(spec.rules.allowed_grades)
    kept = observations.loc[allowed].reset_index(drop=True)
    return kept, excluded.reindex(columns=EXCLUDED_COLUMNS).reset_index(drop=True)
