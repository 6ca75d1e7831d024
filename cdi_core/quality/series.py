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
    flags = (observed["flags"] if "flags" in observed else pd.Series("", index=observed.index)).map(_flags)
    plain = flags.map(lambda f: not (f & set(HOLD_ALWAYS + HOLD_IN_SERIES)))
    has_plain = plain.groupby([observed["city_id"], observed["indicator"]]).transform("any")
    for r in observed[flags.map(bool)].itertuples():
        idx = r.Index
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
               f"an {'/'.join(sorted(f & set(HOLD_IN_SERIES)))} value does not join a series of measured values")
        rows.append({"check": "series", "key": key, "file": file, "row": int(idx) + 1, "rule": why,
                     "detail": f"value {r.value:g}; flags {';'.join(sorted(f))}", "action": action,
                     "decision": decision or "rule", "reason": reason or "held by the methodology's rule"})
    anomalous = {(i.id, y) for i in spec.indicators for y in i.anomalous_years}
    bounds = {i.id: (i.jump_abs, i.jump_rel) for i in spec.indicators}
    usable = observed[~observed.index.isin(held) & observed["indicator"].isin(bounds)]
    usable = usable[np.array([(k, y) not in anomalous for k, y in zip(usable["indicator"], usable["year"])], bool)]
    # candidate series: those with at least one consecutive pair beyond the bounds (vectorised); only they are
    # walked in order, so that a held value drops out of the next comparison
    cid, ind = usable["city_id"].to_numpy(), usable["indicator"].to_numpy()
    year, val = usable["year"].to_numpy(), usable["value"].to_numpy(float)
    b_abs = np.array([bounds[k][0] for k in ind])
    b_rel = np.array([bounds[k][1] for k in ind])
    same = (cid[1:] == cid[:-1]) & (ind[1:] == ind[:-1])
    gap, delta = year[1:] - year[:-1], val[1:] - val[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(val[:-1] == 0, np.inf, np.abs(delta) / np.abs(val[:-1]))
    hit = same & (year[1:] >= spec.first_edition) & (np.abs(delta) > b_abs[1:] * gap) & (rel > b_rel[1:] * gap)
    suspects = set(zip(cid[1:][hit], ind[1:][hit]))
    in_suspect = np.array([(a, b) in suspects for a, b in zip(cid, ind)], bool)
    for (c, k), s_ in usable[in_suspect].groupby(["city_id", "indicator"]):
        prev = None
        for idx, y, v, src in zip(s_.index, s_["year"], s_["value"], s_["source_id"]):
            if prev is None or y < spec.first_edition:   # a move ending before the first edition shows nowhere
                prev = (y, v, src)
                continue
            py, pv, psrc = prev
            d, g = v - pv, y - py
            r_ = np.inf if pv == 0 else abs(d) / abs(pv)
            if abs(d) > bounds[k][0] * g and r_ > bounds[k][1] * g:
                key = f"{c}|{k}|{int(py)}->{int(y)}"
                decision, reason = jump_reviews.get(key, ("", ""))
                rule = ("moved beyond the indicator's plausibility bounds" +
                        (" while the source changed (a likely coding or definition change)" if src != psrc else ""))
                rows.append({"check": "jumps", "key": key, "file": file, "row": int(idx) + 1, "rule": rule,
                             "detail": f"{pv:g} ({int(py)}, {psrc}) -> {v:g} ({int(y)}, {src}); bounds "
                                       f"{bounds[k][0]:g} and {bounds[k][1]:.0%} a year",
                             "action": {"real": "used", "hold": "held"}.get(decision, UNREVIEWED),
                             "decision": decision, "reason": reason})
                if decision == "hold":
                    held.add(idx)
                    continue
            prev = (y, v, src)
    return rows, held
