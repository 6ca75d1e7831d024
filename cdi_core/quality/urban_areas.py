"""Municipalities inside a larger urban area. The reference set's rule: a municipality that is a constituent part
of a larger urban area governed as one (an English metropolitan borough inside its metropolitan county, say) is
represented by the area's core city, not ranked beside it; an independent city near a bigger one stays. Which is
which is a reviewed decision (data/reviews/urban_areas.csv: `member` with `represented_by`, or `distinct`), taken
for every reference city that is not a capital, a Pact, C40 or Lowy-top city, and lies within `NEAR_KM` of a more
populous reference city of the same country. The ingest drops the reviewed members from the reference set."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cdi_core.quality.findings import UNREVIEWED
from cdi_core.registry import EARTH_RADIUS_KM, GROUP_SEP

NEAR_KM = 30.0
OWN_ROLE_GROUPS = {"pact_member", "c40", "lowy_20", "focus"}


def candidates(cities: pd.DataFrame) -> list[tuple[str, str, float]]:
    """(city_id, nearest more populous same-country city_id, km) for the cities the rule must decide."""
    lat = np.radians(cities["lat"].astype(float).to_numpy())
    lon = np.radians(cities["lon"].astype(float).to_numpy())
    pop = cities["population"].astype(float).to_numpy()
    iso = cities["country_iso2"].to_numpy()
    ids = cities["city_id"].to_numpy()
    out = []
    for i, r in enumerate(cities.itertuples()):
        groups = set(str(r.groups).split(GROUP_SEP))
        if str(r.is_capital).lower() == "true" or groups & OWN_ROLE_GROUPS:
            continue
        d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(
            np.sin((lat - lat[i]) / 2) ** 2 + np.cos(lat[i]) * np.cos(lat) * np.sin((lon - lon[i]) / 2) ** 2))
        near = (iso == iso[i]) & (pop > pop[i]) & (d < NEAR_KM)
        if near.any():
            j = int(np.flatnonzero(near)[np.argmin(d[near])])
            out.append((str(ids[i]), str(ids[j]), float(d[j])))
    return out


def check_urban_areas(cities: pd.DataFrame, file: str, reviews: dict) -> list[dict]:
    rows = []
    for city_id, near, km in candidates(cities):
        decision, reason = reviews.get(city_id, ("", ""))
        if decision == "member":
            action, rule = UNREVIEWED, "a reviewed member of a larger urban area is still in the reference set: " \
                                       "rerun `python -m cdi_core ingest`"
        else:
            action = "used" if decision == "distinct" else UNREVIEWED
            rule = "a municipality near a larger city of its country: a city in its own right or part of its area?"
        rows.append({"check": "urban_areas", "key": city_id, "file": file, "row": None, "rule": rule,
                     "detail": f"{km:.0f} km from {near}", "action": action, "decision": decision, "reason": reason})
    return rows
