"""Near-miss names: an unmatched source row whose name is close to a reference city of the same country is either
a spelling the matcher missed ("Talinn" for Tallinn: a city loses its value) or a different place. Similarity is
rapidfuzz's normalised Indel ratio on folded names (accents, case and punctuation removed) against each reference
city's name and its GeoNames alternate names. Every near miss needs a reviewed decision in
data/reviews/near_misses.csv: `match` (the ingest then reads the name as that city, through
`cdi_core.registry.read_aliases`) or `reject` (a different place; the reason says which)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from rapidfuzz import fuzz, process

from cdi_core.quality.findings import UNREVIEWED
from cdi_core.registry import ALT_SEP
from cdi_core.text import normalize_name

SCORE_MIN = 85.0            # Indel similarity in % ("talinn" / "tallinn": 92)
MIN_LENGTH = 4              # shorter folded names are too ambiguous to compare
SKIP_MODULES = ("registry_build",)   # candidates for the reference set itself, not rows to place


def near_miss_key(name: str, country: str) -> str:
    """A decision is about a name in a country, whichever source wrote it (a match becomes an alias for all)."""
    return f"{name}|{country}"


def _choices(cities: pd.DataFrame) -> dict[str, dict[str, str]]:
    """country -> {folded name: city_id}, over names and alternate names."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in cities.itertuples():
        names = [r.name, *str(r.alt_names or "").split(ALT_SEP)]
        for n in names:
            key = normalize_name(n)
            if len(key) >= MIN_LENGTH:
                out[r.country_iso2].setdefault(key, r.city_id)
    return out


def check_near_misses(unmatched: pd.DataFrame, cities: pd.DataFrame, file: str, reviews: dict
                      ) -> list[dict]:
    choices = _choices(cities)
    rows = []
    seen: set[str] = set()
    for i, r in enumerate(unmatched.itertuples(), start=1):
        if r.module in SKIP_MODULES or not isinstance(r.country_iso2, str) or not r.country_iso2:
            continue
        folded = normalize_name(r.name)
        key = near_miss_key(r.name, r.country_iso2)
        if len(folded) < MIN_LENGTH or key in seen or r.country_iso2 not in choices:
            continue
        best = process.extractOne(folded, choices[r.country_iso2].keys(), scorer=fuzz.ratio, score_cutoff=SCORE_MIN)
        if best is None:
            continue
        seen.add(key)
        city_id = choices[r.country_iso2][best[0]]
        decision, reason = reviews.get(key, ("", ""))
        if decision == "match":
            action, rule = UNREVIEWED, "a reviewed match is not applied yet: rerun `python -m cdi_core ingest`"
        else:
            action = "rejected" if decision == "reject" else UNREVIEWED
            rule = "an unmatched name is close to a reference city of the same country"
        rows.append({"check": "near_misses", "key": key, "file": file, "row": i, "rule": rule,
                     "detail": f"{r.name!r} ~ {city_id} ({best[0]!r}, {best[1]:.0f} %); first seen in {r.module}: "
                               f"{r.source_file} row {r.row}",
                     "action": action, "decision": decision, "reason": reason})
    return rows
