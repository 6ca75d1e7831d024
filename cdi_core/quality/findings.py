"""One findings table for every check, and the rule that an unreviewed finding stops the build."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError

# check: which check; key: what the finding is about, as the review table keys it; file/row: where a reader finds
# the value; rule: the rule in words; detail: the values; action: what the build did (held = kept out of the
# index, used, matched, rejected, info, unreviewed = stops the build); decision/reason: the reviewed decision.
QUALITY_COLUMNS = ["check", "key", "file", "row", "rule", "detail", "action", "decision", "reason"]
UNREVIEWED = "unreviewed"


def findings_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    df["row"] = pd.array(df["row"], dtype="Int64")
    for c in QUALITY_COLUMNS:
        if c != "row":
            df[c] = df[c].fillna("").astype(str)
    return df


def fail_on_unreviewed(findings: pd.DataFrame, inputs_dir: str | Path | None = None) -> None:
    """Raise on the first finding that needs a reviewed decision and has none: one line naming file, row, rule.
    Findings name input files relative to the inputs folder (`inputs_dir`, prefixed here) and review tables
    relative to the repository."""
    open_ = findings[findings["action"] == UNREVIEWED]
    if open_.empty:
        return
    f = open_.iloc[0]
    file = f.file if f.file.startswith("data/reviews") or inputs_dir is None else str(Path(inputs_dir) / f.file)
    more = f" (+{len(open_) - 1} more unreviewed; `python -m cdi_core quality` lists them)" if len(open_) > 1 else ""
    raise InputError(file, f"unreviewed {f.check} finding: {f.rule}",
                     row=None if pd.isna(f.row) else int(f.row), detail=f"{f.key}: {f.detail}{more}")
