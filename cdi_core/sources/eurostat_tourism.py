"""Eurostat city statistics (urb_ctour, CR2001V): total nights spent in tourist accommodation establishments.

Definition: nights spent by residents and non-residents together in tourist accommodation establishments in the
city, per calendar year 2015-2024 (Eurostat Urban Audit). Not a count of international visitors.

Rules:
- Urban Audit codes are matched to reference cities by their label (local language, e.g. "Praha", "München"),
  trying the whole label first and then each part of a bilingual label ("Helsinki/Helsingfors").
- A label ending in "(greater city)" means Eurostat reports the greater city, an area wider than the city; where a
  reference city had both a city code and a greater-city code, the city-level code wins. The note names the area.
  Flags (base.FLAGS): `area_wider` on greater-city values, unless cdi_core/reference/tourist_nights_areas.csv reviewed
  that code as the city (Budapest HU001C, Brussels BE001C, Bratislava SK001C; the reason goes into the note);
  `estimated` where Eurostat flags `e`.
- Empty values (confidential in this extract) are missing: no row, never a zero. Eurostat flags go into the note.
- One series per city (cdi_core.sources.tourism_series): where the city also has Eurostat NUTS 3 values of the same
  area (eurostat_nuts3_nights, 2020-2024), this series keeps only the years before the first NUTS 3 year; the last
  kept year's note gives the two series' measured difference in their common years (Budapest 2020: Urban Audit
  0.7 % below NUTS 3 HU110). Where the two differ by more than tourism_series.AGREE_PCT (Paris: the greater city
  FR001C against the commune FR101), none of this series' values are used for that city. Left-out rows are reported
  in unmatched with why.

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
from cdi_core.sources import tourism_series
from cdi_core.sources.base import (
    OBS_COLUMNS,
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    join_flags,
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
    grade="official statistics",
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
            report.append({"source_file": str(RAW_PATH), "row": None, "name": code,
                           "country_iso2": EUROSTAT_TO_ISO2.get(code[:2], code[:2]),
                           "reason": f"second code for {city_id}; the city-level / first code was used"})
    return chosen, report


def _note(code: str, label: str, flags: str, reviewed: str) -> str:
    if reviewed:
        area = f"city ({code} '{label}'; reviewed: {reviewed})"
    else:
        area = ("greater city, wider than the city" if GREATER in label else "city") + f" ({code} '{label}')"
    note = f"total nights (residents + non-residents); area: {area}"
    if flags:
        note += "; Eurostat flag " + ", ".join(f"{f} = {FLAGS[f]}" for f in flags)
    return note


def city_observations(raw_dir: Path, registry: Registry,
                      areas: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """Every matched Urban Audit value (observation columns plus `code`), before the one-series rule."""
    areas = tourism_series.read_areas() if areas is None else areas
    city_codes = tourism_series.city_area_codes(areas, "urban_audit")
    df = read_table(raw_dir)
    chosen, report = match_codes(df, registry)
    use = df[df["cities"].isin(chosen) & df["value"].notna()]
    rows = []
    for r in use.itertuples():
        reviewed = areas.at[r.cities, "reason"] if r.cities in city_codes else ""
        wider = GREATER in r.label and not reviewed
        rows.append({"city_id": chosen[r.cities], "indicator": INDICATOR, "year": r.year, "value": float(r.value),
                     "status": STATUS_OBSERVED, "source_id": SOURCE.source_id,
                     "note": _note(r.cities, r.label, r.OBS_FLAG, reviewed), "code": r.cities,
                     "flags": join_flags(["area_wider"] * wider + ["estimated"] * ("e" in r.OBS_FLAG))})
    return pd.DataFrame(rows, columns=[*OBS_COLUMNS, "code"]), report


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    areas = tourism_series.read_areas()
    obs, report = city_observations(raw_dir, registry, areas)
    nuts3, _ = tourism_series.read_nuts3(raw_dir, registry, areas)  # its left-out rows: eurostat_nuts3_nights
    plan = tourism_series.join_plan(obs, nuts3)
    keep = []
    for r in obs.itertuples():
        join = plan.get(r.city_id)
        if join is None or join.ua_kept(r.year):
            keep.append(r.Index)
            continue
        why = (f"one series per city: NUTS 3 values of the city from {join.first_nuts3_year} (eurostat_nuts3_nights)"
               if join.joined else
               f"one series per city: this is another area than the city's NUTS 3 series ({join.overlap_text()})")
        report.append({"source_file": str(RAW_PATH), "row": None, "name": f"{r.code} {r.year}",
                       "country_iso2": EUROSTAT_TO_ISO2.get(r.code[:2], r.code[:2]), "reason": why})
    obs = obs.loc[keep].copy()
    for city_id, join in plan.items():
        mine = obs[obs["city_id"] == city_id]
        if join.joined and len(mine):
            last = mine["year"].idxmax()
            obs.loc[last, "note"] += (f"; continued from {join.first_nuts3_year} by Eurostat NUTS 3 values of the "
                                      f"city ({join.overlap_text()})")
    return SourceResult(observations=obs_frame(obs.to_dict("records")), sources=[SOURCE],
                        unmatched=unmatched_frame(report))
