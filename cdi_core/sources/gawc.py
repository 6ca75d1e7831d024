"""GaWC Data Set 31 (global network connectivity 2020) -> indicator `gawc_connectivity` (% of the most connected city).

Value: the city's global network connectivity in 2020 as a percentage of the most connected city (London = 100),
column `GNC_rel(%)` of GaWC Data Set 31 (Derudder & Taylor, Loughborough University), the producer's own data set
behind "The World According to GaWC 2020". One definition and one year for the whole series: the tier levels of the
GaWC lists (curated/gawc_classification*, a third-party transcription, complete only for 2024) are no longer read,
so levels and connectivity are never mixed. GaWC warns that absolute connectivities are not comparable across
editions (the firm sample changes), so only the 2020 relative score is used.

Zero, missing, below threshold: the data set is a roster of 707 cities chosen by GaWC, not a list of every city above
a connectivity bound (SOURCE.md documents no such bound, and 19 listed cities have a connectivity of 0). A reference
city absent from the 707 is therefore missing (no row), not "below threshold"; a listed city with GNC 0 is an
observed 0.

Names: GaWC's spelling with qualifiers is matched with its country to the registry: a bracketed US state or
country code is dropped (`New York (New York)`, `Los Angeles(California)`, `San Jose (CR)`), `Vienna/Wien` is tried
as both names, and the data set's country names (`Czeck Republic`, `Korea`, `UAE`, ...) are mapped explicitly;
GaWC files Hong Kong, Macao and Taipei under China, so a `China` row may match CN, HK, MO or TW.

Format checks (one InputError naming the file and rule): the sheet and columns, 707 rows, ranks 1-707 unique,
GNC_rel within 0-100 with one city at 100, and GNC_rel equal to GNC_abs over the maximum.

List type: PARTIAL (a roster of 707 cities chosen by GaWC): a reference city absent from it is missing (no
row), never 0 or below threshold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cdi_core.countries import country_iso2
from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    check_columns,
    check_row_count,
    obs_frame,
    require_file,
    unmatched_frame,
)

PATH = Path("raw/gawc_dataset31_gnc2020/da31_gnc2020.xlsx")
SHEET = "Results"
COLUMNS = ["Rank", "City", "Country", "GNC_abs", "GNC_rel(%)"]
N_CITIES = 707
YEAR = 2020
INDICATOR = "gawc_connectivity"
SOURCE_ID = "gawc_ds31"
PRODUCER_URL = "https://gawc.lboro.ac.uk/gawc-worlds/gawc-data/dataset-31/"
COPY_URL = ("https://github.com/ssaffarzadeh/30DayMapChallenge2025/blob/244bf6a42d4cae7c551560b90899a75dfc6344c0/"
            "15Nov_FIRE/data/da31_gnc2020.xlsx")
# GaWC's country names that GeoNames' English names do not cover.
COUNTRIES = {"Burkina": "BF", "Central African Rep.": "CF", "Congo (Dem. Rep.)": "CD", "Congo (Rep.)": "CG",
             "Czeck Republic": "CZ", "Kazakstan": "KZ", "Korea": "KR", "Macedonia": "MK", "UAE": "AE"}
CHINA = ("CN", "HK", "MO", "TW")  # GaWC files Hong Kong, Macao and Taipei under China
NOTE = ("GaWC Data Set 31: global network connectivity 2020, % of the most connected city (London = 100); "
        "third-party copy of GaWC's file (GitHub ssaffarzadeh/30DayMapChallenge2025), to verify against GaWC's page")


def read_table(raw_dir: Path) -> pd.DataFrame:
    """The data set's one sheet, format- and range-checked."""
    path = require_file(raw_dir / PATH)
    try:
        df = pd.read_excel(path, sheet_name=SHEET)
    except ValueError as exc:  # a missing sheet, or not an Excel workbook
        raise InputError(path, f"upstream format changed: no readable sheet '{SHEET}'", detail=str(exc)) from exc
    check_columns(df, COLUMNS, path)
    check_row_count(len(df), N_CITIES, N_CITIES, path)
    for col in ("Rank", "GNC_abs", "GNC_rel(%)"):
        num = pd.to_numeric(df[col], errors="coerce")
        if num.isna().any():
            raise InputError(path, f"upstream format changed: {col} is not a number", row=int(num.isna().idxmax()) + 2)
        df[col] = num
    if sorted(df["Rank"]) != list(range(1, N_CITIES + 1)):
        raise InputError(path, "upstream format changed: ranks are not 1-707")
    rel = df["GNC_rel(%)"]
    out = (rel < 0) | (rel > 100)
    if out.any():
        raise InputError(path, "GNC_rel(%) outside 0-100", row=int(out.idxmax()) + 2, detail=str(rel[out].iloc[0]))
    if abs(rel.max() - 100) > 1e-9:
        raise InputError(path, "upstream format changed: no city at 100 (the most connected city)")
    off = (rel - 100 * df["GNC_abs"] / df["GNC_abs"].max()).abs() > 1e-6
    if off.any():
        raise InputError(path, "GNC_rel(%) is not GNC_abs over the maximum", row=int(off.idxmax()) + 2)
    df["excel_row"] = df.index + 2
    return df


def city_names(city: str) -> list[str]:
    """'New York (New York)' -> ['New York']; 'Vienna/Wien' -> ['Vienna', 'Wien']; 'Los Angeles(California)' too."""
    base = re.sub(r"\s*\([^)]*\)\s*$", "", str(city)).strip()
    return [p.strip() for p in base.split("/") if p.strip()]


def countries(name: str) -> tuple[str, ...]:
    """ISO codes a GaWC country name may stand for (China: CN, HK, MO or TW); () if unknown."""
    if name == "China":
        return CHINA
    iso = COUNTRIES.get(name) or country_iso2(name)
    return (iso,) if iso else ()


def match(row, registry: Registry) -> str | None:
    for iso in countries(row.Country):
        for name in city_names(row.City):
            city_id = registry.match(name, iso)
            if city_id:
                return city_id
    return None


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    df = read_table(raw_dir)
    df["city_id"] = [match(r, registry) for r in df.itertuples()]
    matched = df[df["city_id"].notna()]
    dup = matched[matched["city_id"].duplicated(keep=False)]
    if len(dup):
        r = dup.iloc[0]
        raise InputError(raw_dir / PATH, "two rows match the same reference city", row=int(r.excel_row),
                         detail=r.city_id)
    source = SourceMeta(
        source_id=SOURCE_ID, title="GaWC Data Set 31: global network connectivity of 707 cities, 2020",
        producer="GaWC (Globalization and World Cities), Loughborough University; Ben Derudder and Peter J. Taylor",
        url=PRODUCER_URL, licence="GaWC data sets: research use with attribution; per-city values republished "
        "with credit", attribution="GaWC Data Set 31 (Derudder & Taylor), Loughborough University",
        retrieved=f"copy of the producer's file at {COPY_URL}", year=str(YEAR), grade="producer's own publication")
    rows = [{"city_id": r.city_id, "indicator": INDICATOR, "year": YEAR, "value": float(r._5),
             "status": STATUS_OBSERVED, "source_id": SOURCE_ID,
             "note": f"{NOTE}; GaWC rank {int(r.Rank)} of {N_CITIES}"} for r in matched.itertuples()]
    um = df[df["city_id"].isna()]
    unmatched = unmatched_frame([
        {"source_file": str(PATH), "row": int(r.excel_row), "name": r.City,
         "country_iso2": ";".join(countries(r.Country)),
         "reason": "GaWC 2020 connectivity: not a reference city" if countries(r.Country)
         else f"GaWC 2020 connectivity: country '{r.Country}' not recognised"} for r in um.itertuples()])
    obs = obs_frame(rows).sort_values("city_id").reset_index(drop=True)
    return SourceResult(observations=obs, sources=[source], unmatched=unmatched)
