"""Small synthetic inputs for the index math: a spec with two pillars and a handful of cities."""

from __future__ import annotations

import pandas as pd

from cdi_core.spec import Indicator, Pillar, Rules, Spec

RULES = Rules(coverage_min=0.5, require_all_pillars=True, imputation="none", normalisation="minmax",
              aggregation="arithmetic", skew_max=2.0, kurtosis_max=3.5, winsor_max_points=5)


def small_spec(**rule_overrides) -> Spec:
    rules = Rules(**{**RULES.__dict__, **rule_overrides})
    return Spec(
        version="test", first_edition=2020, last_edition=2022, rules=rules,
        pillars=(Pillar("p1", "Pillar one", 1.0), Pillar("p2", "Pillar two", 1.0)),
        indicators=(
            Indicator("a", "p1", "A", "count", 1, 1.0, "log1p", ""),
            Indicator("b", "p1", "B", "count", 1, 1.0, "none", ""),
            Indicator("c", "p2", "C", "share", -1, 1.0, "none", ""),
        ),
    )


def cities(n: int) -> pd.DataFrame:
    return pd.DataFrame({"city_id": [f"c{i:02d}" for i in range(n)]})


def obs(rows: list[tuple]) -> pd.DataFrame:
    """rows of (city_id, indicator, year, value[, status])."""
    out = []
    for r in rows:
        status = r[4] if len(r) > 4 else "observed"
        out.append({"city_id": r[0], "indicator": r[1], "year": r[2], "value": float(r[3]), "status": status,
                    "source_id": "s", "note": ""})
    return pd.DataFrame(out)
