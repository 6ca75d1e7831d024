"""Eurostat city statistics (urb_ctour, CR2001V): total nights spent in tourist accommodation establishments.

Definition: nights spent by residents and non-residents together in tourist accommodation establishments in the
city, per calendar year 2015-2024 (Eurostat Urban Audit). Not a count of international visitors.

Rules:
- Urban Audit codes are matched to reference cities by their label (local language, e.g. "Praha", "München"),
  trying the whole label first and then each part of a bilingual label ("Helsinki/Helsingfors").
- A label ending in "(greater city)" means Eurostat reports the greater city, an area wider than the city; where a
  reference city had both a city code and a greater-city code, the city-level code wins. The note names the area.
- Empty values (confidential in this extract) are missing: no row, never a zero. Eurostat flags go into the note.

List type: PARTIAL (Eurostat's city statistics cover some European cities, with gaps): a reference city
absent from it, or a year it lacks, is missing (no row), never 0.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from cdi_core.countries import EUROSTAT_TO_ISO2
from cdi_core.errors import InputError
from cdi_core.registry import Registry, geonames_cities
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_source_csv,
    unmatched_frame,
)
from cdi_core.text import normalize_name

RAW_PATH = Path("raw/eurostat_urb_mxiilian/urb_ctour_page_linear_2_0.csv")
INDICATOR = "tourist_nights"
INDIC_UR = "CR2001V"
COLUMNS = ["indic_ur", "cities", "Geopolitical entity (declaring)", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
ROWS_DOCUMENTED = (3000, 5000)  # SOURCE.md: 3,864 rows
GREATER = "(greater city)"
FLAGS = {"e": "estimated", "b": "break in time series", "d": "definition differs", "p": "provisional",
         "u": "low reliability"}
REPORT_MIN_POPULATION = 250_000

SOURCE = SourceMeta(
    source_id="eurostat_urb_ctour",
    title="Culture and tourism - cities and greater cities (urb_ctour), CR2001V total nights spent in tourist "
          "accommodation establishments",
    producer="Eurostat",
    url="https://ec.europa.eu/eurostat/databrowser/view/urb_ctour/default/table",
    licence="Eurostat reuse policy: free reuse with acknowledgement",
    attribution="Source: Eurostat",
    retrieved="Data Browser extract in github.com/mxiilian/data-analytics-project @ad4f7a8 (2025-11-24)",
    year="2015-2024",
)


@lru_cache(maxsize=1)
def _geonames_population_index() -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for c in geonames_cities().values():
        for name in [c["name"], *c.get("alternatenames", [])]:
            key = (normalize_name(name), c["countrycode"])
            out[key] = max(out.get(key, 0), int(c["population"] or 0))
    return out


def geonames_population(name: str, country_iso2: str | None) -> int:
    """Largest GeoNames population of a city called so (main or alternate name) in that country; 0 if none.

    Used only to word the reason of an unmatched row (a place of 250,000+ that is not a reference city).
    """
    if not country_iso2:
        return 0
    return _geonames_population_index().get((normalize_name(name), country_iso2), 0)


def label_parts(label: str) -> list[str]:
    """The whole label, then each part of a bilingual 'A/B' label (Eurostat writes both official names)."""
    parts = [label]
    bare = label.replace(GREATER, "").strip()
    if "/" in bare:
        parts += [p.strip() for p in bare.split("/") if p.strip()]
    return parts


def read_table(raw_dir: Path) -> pd.DataFrame:
    """The extract, format-checked: one indicator, numeric values and years, known flags."""
    df, path = read_source_csv(raw_dir, RAW_PATH, COLUMNS, *ROWS_DOCUMENTED)
    other = sorted(set(df["indic_ur"]) - {INDIC_UR})
    if other:
        raise InputError(path, "upstream format changed: unexpected indic_ur", detail=", ".join(other))
    df["csv_row"] = df.index + 2
    for row in df.itertuples():
        if not row.TIME_PERIOD.isdigit():
            raise InputError(path, "TIME_PERIOD is not a year", row=row.csv_row, detail=row.TIME_PERIOD)
        unknown = set(row.OBS_FLAG) - set(FLAGS)
        if unknown:
            raise InputError(path, "unknown OBS_FLAG", row=row.csv_row, detail=row.OBS_FLAG)
    values = pd.to_numeric(df["OBS_VALUE"].replace("", None), errors="coerce")
    bad = df[values.isna() & (df["OBS_VALUE"] != "")]
    if len(bad):
        raise InputError(path, "OBS_VALUE is not a number", row=int(bad["csv_row"].iloc[0]),
                         detail=bad["OBS_VALUE"].iloc[0])
    df["value"] = values
    df["year"] = df["TIME_PERIOD"].astype(int)
    df["label"] = df["Geopolitical entity (declaring)"].str.strip()
    return df


def match_codes(df: pd.DataFrame, registry: Registry) -> tuple[dict[str, str], list[dict]]:
    """Urban Audit code -> city_id (city-level code preferred over a greater-city code), and rows to report."""
    codes = df[df["cities"].str.len() > 2].drop_duplicates("cities")
    candidates: dict[str, list[tuple[bool, str]]] = {}
    report = []
    for row in codes.itertuples():
        iso2 = EUROSTAT_TO_ISO2.get(row.cities[:2], row.cities[:2])
        parts = label_parts(row.label)
        city_id = next((c for c in (registry.match(p, iso2) for p in parts) if c), None)
        if city_id:
            candidates.setdefault(city_id, []).append((GREATER in row.label, row.cities))
        else:  # every miss is reported (a misspelt reference city must not vanish silently)
            big = max(geonames_population(p, iso2) for p in parts) >= REPORT_MIN_POPULATION
            report.append({"source_file": str(RAW_PATH), "row": int(row.csv_row), "name": row.label,
                           "country_iso2": iso2,
                           "reason": "GeoNames city of 250,000+ that is not a reference city" if big else
                           "not a reference city (no GeoNames city of 250,000+ so named in that country)"})
    chosen = {}
    for city_id, cands in candidates.items():
        cands.sort()  # city level (False) before greater city (True), then by code
        chosen[cands[0][1]] = city_id
        for _, code in cands[1:]:
            report.append({"source_file": str(RAW_PATH), "row": None, "name": code, "country_iso2": "",
                           "reason": f"second code for {city_id}; the city-level / first code was used"})
    return chosen, report


def _note(code: str, label: str, flags: str) -> str:
    area = "greater city, wider than the city" if GREATER in label else "city"
    note = f"total nights (residents + non-residents); area: {area} ({code} '{label}')"
    if flags:
        note += "; Eurostat flag " + ", ".join(f"{f} = {FLAGS[f]}" for f in flags)
    return note


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    df = read_table(raw_dir)
    chosen, report = match_codes(df, registry)
    use = df[df["cities"].isin(chosen) & df["value"].notna()]
    rows = [{"city_id": chosen[r.cities], "indicator": INDICATOR, "year": r.year, "value": float(r.value),
             "status": STATUS_OBSERVED, "source_id": SOURCE.source_id, "note": _note(r.cities, r.label, r.OBS_FLAG)}
            for r in use.itertuples()]
    return SourceResult(observations=obs_frame(rows), sources=[SOURCE], unmatched=unmatched_frame(report))
