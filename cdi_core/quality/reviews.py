"""The reviewed decisions: one committed CSV per check in data/reviews, keyed like the findings they decide.

Each table has `key`, `decision` (one of the check's allowed words), `reason` (required: what the reviewer
established) and `source_url` (where the reason can be checked, if anywhere). A decision for a key no check
reports any more is reported too (`stale review`), so the tables do not rot.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REVIEWS_DIR

REVIEW_BASE_COLUMNS = ["key", "decision", "reason", "source_url"]
DECISIONS = {
    "near_misses": ("match", "reject"),
    "series": ("use", "hold"),
    "jumps": ("real", "hold"),
    "zeros": ("true_zero", "hold"),
    "urban_areas": ("member", "distinct"),
}


def read_review(name: str, reviews_dir: Path | None = None) -> pd.DataFrame:
    """The review table `name` (empty if the file does not exist), checked: known decisions, a reason each, no key
    twice."""
    path = Path(reviews_dir or REVIEWS_DIR) / f"{name}.csv"
    if not path.is_file():
        return pd.DataFrame(columns=REVIEW_BASE_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REVIEW_BASE_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, "review table lacks required columns", detail=", ".join(missing))
    allowed = DECISIONS[name]
    for i, r in enumerate(df.itertuples(), start=1):
        if r.decision not in allowed:
            raise InputError(path, f"decision must be one of {allowed}", row=i, detail=repr(r.decision))
        if not r.reason.strip():
            raise InputError(path, "every reviewed decision needs a reason", row=i, detail=r.key)
    dup = df["key"].duplicated()
    if dup.any():
        raise InputError(path, "a key is decided twice", row=int(dup.to_numpy().argmax()) + 1,
                         detail=df["key"][dup].iloc[0])
    return df


def decisions(name: str, reviews_dir: Path | None = None) -> dict[str, tuple[str, str]]:
    """key -> (decision, reason)."""
    df = read_review(name, reviews_dir)
    return {r.key: (r.decision, r.reason) for r in df.itertuples()}
