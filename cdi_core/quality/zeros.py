"""False zeros: a measured zero is a true zero only where the indicator's list is complete (spec `absence =
"zero"`); from a top-N or partial list, absence is "below the list's threshold" or missing, never 0. Any other
zero needs a review: `true_zero` (a source says the count is zero) or `hold`."""

from __future__ import annotations

import pandas as pd

from cdi_core.quality.findings import UNREVIEWED
from cdi_core.sources.base import STATUS_OBSERVED
from cdi_core.spec import Spec


def check_zeros(obs: pd.DataFrame, spec: Spec, file: str, reviews: dict) -> tuple[list[dict], set[int]]:
    complete = {i.id for i in spec.indicators if i.absence == "zero"}
    zeros = obs[(obs["status"] == STATUS_OBSERVED) & (obs["value"] == 0) & ~obs["indicator"].isin(complete)]
    rows, held = [], set()
    for idx, r in zeros.iterrows():
        key = f"{r.city_id}|{r.indicator}|{int(r.year)}"
        decision, reason = reviews.get(key, ("", ""))
        action = {"true_zero": "used", "hold": "held"}.get(decision, UNREVIEWED)
        if action == "held":
            held.add(idx)
        rows.append({"check": "zeros", "key": key, "file": file, "row": int(idx) + 1,
                     "rule": "a zero from a list that is not complete is not a true zero",
                     "detail": f"source {r.source_id}", "action": action, "decision": decision, "reason": reason})
    return rows, held
