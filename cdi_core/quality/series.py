"""Series checks on observed values, one (city, indicator) series at a time.

- Flags (set by the source modules, `observations.flags`): an `estimated` value (Eurostat flag `e`) is held out
  of the index unless a review says `use`; an `approximate`, `year_inferred` or `area_wider` value is held out of
  a series that has plain values (it would join a measured series with another definition), unless reviewed.
- Jumps: between two consecutive observations of a series (values held out skipped, anomalous years of the
  indicator skipped: the carry-forward rule keeps those to their own edition; moves that end before the first
  edition skipped: no edition shows them), a move beyond both of the
  indicator's bounds per year of gap (`jump_abs`, `jump_rel` in the spec) is implausible until reviewed: `real`
  (the world changed; the reason says how) or `hold` (the later value is held out). A jump where the source changed
  is a likely coding change and says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cdi_core.quality.findings import UNREVIEWED
from cdi_core.sources.base import FLAG_SEP, STATUS_OBSERVED
from cdi_core.spec import Spec

HOLD_ALWAYS = ("estimated",)
HOLD_IN_SERIES = ("approximate", "year_inferred", "area_wider")


def _flags(text: str) -> set[str]:
    return {f for f in str(text or "").split(FLAG_SEP) if f}


def check_series(obs: pd.DataFrame, spec: Spec, file: str, flag_reviews: dict, jump_reviews: dict
                 ) -> tuple[list[dict], set[int]]:
    """Findings and the positions (index labels of `obs`) of the values held out."""
    rows: list[dict] = []
    held: set[int] = set()
    observed = obs[obs["status"] == STATUS_OBSERVED].sort_values(["city_id", "indicator", "year"])
    flags = observed["flags"].map(_flags)
    plain = flags.map(lambda f: not (f & set(HOLD_ALWAYS + HOLD_IN_SERIES)))
    has_plain = plain.groupby([observed["city_id"], observed["indicator"]]).transform("any")
    for idx, r in observed[flags.map(bool)].iterrows():
        f = flags[idx]
        hold_by_rule = bool(f & set(HOLD_ALWAYS)) or (bool(f & set(HOLD_IN_SERIES)) and has_plain[idx])
        if not hold_by_rule:
            continue
        key = f"{r.city_id}|{r.indicator}|{int(r.year)}"
        decision, reason = flag_reviews.get(key, ("", ""))
        action = "used" if decision == "use" else "held"
        if action == "held":
            held.add(idx)
        why = ("the producer flags the value as an estimate" if f & set(HOLD_ALWAYS) else
               f"a {'/'.join(sorted(f & set(HOLD_IN_SERIES)))} value does not join a series of measured values")
        rows.append({"check": "series", "key": key, "file": file, "row": int(idx) + 1, "rule": why,
                     "detail": f"value {r.value:g}; flags {';'.join(sorted(f))}", "action": action,
                     "decision": decision or "rule", "reason": reason or "held by the methodology's rule"})
    anomalous = {i.id: set(i.anomalous_years) for i in spec.indicators}
    bounds = {i.id: (i.jump_abs, i.jump_rel) for i in spec.indicators}
    usable = observed[~observed.index.isin(held)]
    for (cid, ind), s in usable.groupby(["city_id", "indicator"], sort=False):
        if len(s) < 2 or ind not in bounds:
            continue
        s = s[~s["year"].isin(anomalous[ind])]
        prev = None
        for idx, r in s.iterrows():
            if prev is None:
                prev = r
                continue
            if r.year < spec.first_edition:      # both before the first edition: no edition shows this move
                prev = r
                continue
            gap = int(r.year - prev.year)
            delta = float(r.value - prev.value)
            b_abs, b_rel = bounds[ind]
            rel = np.inf if prev.value == 0 else abs(delta) / abs(prev.value)
            if abs(delta) > b_abs * gap and rel > b_rel * gap:
                key = f"{cid}|{ind}|{int(prev.year)}->{int(r.year)}"
                decision, reason = jump_reviews.get(key, ("", ""))
                source_changed = r.source_id != prev.source_id
                rule = ("moved beyond the indicator's plausibility bounds" +
                        (" while the source changed (a likely coding or definition change)" if source_changed else ""))
                action = {"real": "used", "hold": "held"}.get(decision, UNREVIEWED)
                rows.append({"check": "jumps", "key": key, "file": file, "row": int(idx) + 1, "rule": rule,
                             "detail": f"{prev.value:g} ({int(prev.year)}, {prev.source_id}) -> {r.value:g} "
                                       f"({int(r.year)}, {r.source_id}); bounds {b_abs:g} and {b_rel:.0%} a year",
                             "action": action, "decision": decision, "reason": reason})
                if decision == "hold":
                    held.add(idx)
                    continue
            prev = r
    return rows, held
