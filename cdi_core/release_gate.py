"""Release gate: a build may not silently publish much less than the index it replaces.

Before the new index is swapped in, its manifest is compared with the previous published one (the manifest.json
already in the output folder). Growth is always allowed. A shrink beyond the bounds below stops the build with one
line naming every breach, unless the caller says the shrink is intended (`python -m cdi_core build --allow-shrink`,
`build(..., allow_shrink=True)`): a new methodology, cities merged into their conurbation, a dropped source. The
bounds live here and nowhere else.

What it catches: a truncated or half-copied input (observations.csv cut to half its lines built with exit 0 and
ranked 4 cities instead of 157), a source module that silently returned nothing, an edition that vanished.
"""

from __future__ import annotations

import json
from pathlib import Path

# Ranked cities per edition may fall by at most this share of the previous count (and an edition may not vanish).
MAX_RANKED_DROP = 0.05
# Reference cities (cities.parquet) may fall by at most this share.
MAX_REFERENCE_DROP = 0.05
# Any published table's row count may fall by at most this share; tables smaller than MIN_ROWS_CHECKED rows before
# are not held to it (a handful of rows moves by whole fractions: absences, framework).
MAX_ROWS_DROP = 0.10
MIN_ROWS_CHECKED = 50


class ReleaseGateError(Exception):
    """The new index shrinks beyond the gate's bounds against the published one."""

    def __init__(self, previous: Path, breaches: list[str]) -> None:
        self.previous, self.breaches = Path(previous), breaches
        super().__init__(f"{previous}: release gate: the new index shrinks beyond the bounds of "
                         f"cdi_core/release_gate.py against this published index: {'; '.join(breaches)} "
                         "(if the shrink is intended, build with --allow-shrink)")


def _drop(before: int, after: int) -> float:
    return (before - after) / before if before > 0 else 0.0


def breaches(previous: dict, new: dict) -> list[str]:
    """Every bound the new manifest breaks against the previous one, in words (empty: the gate passes)."""
    out = []
    prev_ranked, new_ranked = previous.get("ranked_cities", {}), new.get("ranked_cities", {})
    for edition, before in sorted(prev_ranked.items()):
        after = int(new_ranked.get(edition, 0))
        if _drop(int(before), after) > MAX_RANKED_DROP:
            out.append(f"ranked cities in {edition} fall from {before} to {after} "
                       f"(bound: -{MAX_RANKED_DROP:.0%})")
    before, after = int(previous.get("reference_cities", 0)), int(new.get("reference_cities", 0))
    if _drop(before, after) > MAX_REFERENCE_DROP:
        out.append(f"reference cities fall from {before} to {after} (bound: -{MAX_REFERENCE_DROP:.0%})")
    prev_rows, new_rows = previous.get("row_counts", {}), new.get("row_counts", {})
    for table, before in sorted(prev_rows.items()):
        after = int(new_rows.get(table, 0))
        if int(before) >= MIN_ROWS_CHECKED and _drop(int(before), after) > MAX_ROWS_DROP:
            out.append(f"{table} rows fall from {before} to {after} (bound: -{MAX_ROWS_DROP:.0%})")
    return out


def check(out_dir: Path, manifest: dict, allow_shrink: bool = False) -> list[str]:
    """Compare `manifest` with the one published in `out_dir` (none there: nothing to compare, passes). Raises
    ReleaseGateError on a breach unless `allow_shrink`; returns the breaches (those allowed, if any)."""
    path = Path(out_dir) / "manifest.json"
    if not path.is_file():
        return []
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # an unreadable previous manifest is `build --check`'s to report; there is nothing to compare
    found = breaches(previous, manifest)
    if found and not allow_shrink:
        raise ReleaseGateError(path, found)
    return found
