"""Run every check on the validated inputs; return what the index may use, what was held out, and the findings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from cdi_core.grades import check_grades
from cdi_core.quality.events import check_events
from cdi_core.quality.findings import UNREVIEWED, findings_frame
from cdi_core.quality.near_miss import check_near_misses
from cdi_core.quality.reviews import decisions
from cdi_core.quality.series import check_series
from cdi_core.quality.urban_areas import check_urban_areas
from cdi_core.quality.zeros import check_zeros
from cdi_core.spec import Spec

UNMATCHED_FILE = "unmatched.csv"


@dataclass
class QualityResult:
    observations: pd.DataFrame    # the observations the index may use
    held: pd.DataFrame            # the observation rows held out, with the check that held them
    findings: pd.DataFrame        # every finding (QUALITY_COLUMNS)


def stale_findings(obs: pd.DataFrame, cities: pd.DataFrame, spec: Spec) -> list[dict]:
    """Informational: per indicator and edition, how many cities had a value the carry-forward rule kept out (too
    old, or of an anomalous year), so a reader sees what the rule cost."""
    from cdi_core.compute import select_values

    ids = sorted(cities["city_id"])
    strict = select_values(obs, ids, spec)["status"].to_numpy() != "missing"
    loose_spec = replace(spec, indicators=tuple(replace(i, max_age=10_000, anomalous_years=())
                                                for i in spec.indicators))
    loose = select_values(obs, ids, loose_spec)["status"].to_numpy() != "missing"
    lost = (loose & ~strict).reshape(len(ids), len(spec.editions), len(spec.indicators)).sum(axis=0)
    rows = []
    for e, edition in enumerate(spec.editions):
        for k, ind in enumerate(spec.indicators):
            if lost[e, k]:
                rows.append({"check": "stale", "key": f"{ind.id}|{edition}", "file": "", "row": None,
                             "rule": f"values older than {ind.max_age} years, or of an anomalous year "
                                     f"({', '.join(map(str, ind.anomalous_years)) or 'none'}), are not carried",
                             "detail": f"{int(lost[e, k])} cities' values left out of edition {edition}",
                             "action": "info", "decision": "rule", "reason": ind.age_reason})
    return rows


def _repo_rel(path: Path) -> str:
    from cdi_core.paths import REPO_ROOT

    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


# decisions that leave no finding behind once applied (a match becomes an alias, a member leaves the set)
APPLIED_DECISIONS = {"near_misses": "match", "urban_areas": "member"}


def stale_reviews(rows: list[dict], reviews_dir: Path | None) -> list[dict]:
    """A reviewed decision no finding asks for any more (the data changed) must be removed, or the review tables
    rot: each such row is an unreviewed finding naming the table and row."""
    from cdi_core.paths import REVIEWS_DIR
    from cdi_core.quality.reviews import DECISIONS, read_review

    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["check"], set()).add(r["key"])
    out = []
    for name in DECISIONS:
        table = read_review(name, reviews_dir)
        for i, r in enumerate(table.itertuples(), start=1):
            if r.key in found.get(name, set()) or APPLIED_DECISIONS.get(name) == r.decision:
                continue
            out.append({"check": "reviews", "key": f"{name}|{r.key}",
                        "file": _repo_rel(Path(reviews_dir or REVIEWS_DIR) / f"{name}.csv"), "row": i,
                        "rule": "a reviewed decision that no finding asks for any more: remove it",
                        "detail": f"{r.decision}: {r.reason[:80]}", "action": UNREVIEWED, "decision": "",
                        "reason": ""})
    return out


def grade_findings(obs: pd.DataFrame, sources: pd.DataFrame, spec: Spec, file: str) -> tuple[list[dict], set[int]]:
    """Values on a source whose grade the methodology does not allow (spec rules.allowed_grades) are held out."""
    check_grades(sources)
    grade = obs["source_id"].map(dict(zip(sources["source_id"], sources["grade"]))).fillna("")
    out = ~grade.isin(spec.rules.allowed_grades)
    rows = [{"check": "grades", "key": f"{r.city_id}|{r.indicator}|{int(r.year)}", "file": file,
             "row": int(r.Index) + 1, "rule": f"source graded {g!r}; the methodology allows "
                                             + ", ".join(spec.rules.allowed_grades),
             "detail": f"source {r.source_id}", "action": "held", "decision": "rule", "reason": "allowed_grades"}
            for r, g in zip(obs[out].itertuples(), grade[out])]
    return rows, set(obs.index[out])


def screen_inputs(inputs: dict[str, pd.DataFrame], spec: Spec, inputs_dir: Path | None = None,
                  reviews_dir: Path | None = None) -> QualityResult:
    """Every check of cdi_core.quality on the inputs. Nothing raises here: the build calls fail_on_unreviewed."""
    obs = inputs["observations"]
    obs_file = "observations.csv"
    rows, held = grade_findings(obs, inputs["sources"], spec, obs_file)
    graded = obs[~obs.index.isin(held)]
    r, h = check_series(graded, spec, obs_file, decisions("series", reviews_dir), decisions("jumps", reviews_dir))
    rows += r
    held |= h
    r, h = check_zeros(graded, spec, obs_file, decisions("zeros", reviews_dir))
    rows += r
    held |= h
    unmatched_path = Path(inputs_dir) / UNMATCHED_FILE if inputs_dir is not None else None
    if unmatched_path is not None and unmatched_path.is_file():
        unmatched = pd.read_csv(unmatched_path, dtype=str, keep_default_na=False)
        rows += check_near_misses(unmatched, inputs["cities"], UNMATCHED_FILE,
                                  decisions("near_misses", reviews_dir))
    rows += check_urban_areas(inputs["cities"], "cities.csv", decisions("urban_areas", reviews_dir))
    if "pact_members" in inputs:
        rows += check_events(inputs["pact_members"], "tables/pact_members.csv")
    rows += stale_reviews(rows, reviews_dir)
    keep = ~obs.index.isin(sorted(held))
    clean = obs[keep].reset_index(drop=True)
    held_rows = obs[~keep].copy()
    rows += stale_findings(clean, inputs["cities"], spec)
    findings = findings_frame(rows)
    held_rows = held_rows.assign(row=np.flatnonzero(~keep) + 1)
    return QualityResult(observations=clean, held=held_rows.reset_index(drop=True), findings=findings)


def usable_observations(inputs: dict[str, pd.DataFrame], spec: Spec, inputs_dir: Path | None = None
                        ) -> pd.DataFrame:
    """The observations the index uses (what the build passes to compute.prepare): the inputs less the values the
    quality gate holds out. For callers that recompute the index outside the build (tests, benchmarks)."""
    return screen_inputs(inputs, spec, inputs_dir).observations
