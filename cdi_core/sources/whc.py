"""UNESCO World Heritage properties in or near a city.

Definition: the number of World Heritage properties whose representative point lies within 25 km of the city
centre (registry lat/lon), for each year 2019-2024: properties inscribed in or before that year (`date_inscribed`)
and still on the List.

Rules:
- Two exports of the List: after the 2019 Committee session (1,121 properties) and after the 2024 session (1,223).
  Year 2019 counts the 2019 List; years 2020-2024 count the 2024 List by inscription year (the 2020 and 2021
  inscriptions were all made at the 2021 session, so year 2020 adds nothing).
- A property on the 2019 List but not on the 2024 one was removed; the files do not say when, so it is counted up
  to 2019 only, and the note says so.
- One point per property: a serial or transboundary property with components near the city but its point far away
  is missed; a large property whose point is near the city counts once. The 2024 point is used where present
  (it corrects some 2019 points), else the 2019 one.
- The List is complete, so a city with no property within 25 km has a true zero.

List type: COMPLETE (UNESCO's whole World Heritage List): a reference city with no property within 25 km is a
true zero.
"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

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
)

PATH_2024 = Path("raw/whc_sites_simao-g_2024/whc-sites-2024.xls")
PATH_2019 = Path("raw/whc_sites_painte15_2019/whc-sites-2019.csv")
INDICATOR = "whc_sites"
RADIUS_KM = 25.0
YEARS = range(2019, 2025)
COLUMNS = ["id_no", "name_en", "date_inscribed", "latitude", "longitude"]
ROWS_2024 = (1200, 1250)  # SOURCE.md: 1,223 properties
ROWS_2019 = (1100, 1140)  # SOURCE.md: 1,121 properties
TABLE_COLUMNS = ["city_id", "id_no", "name_en", "date_inscribed", "distance_km", "source_id"]

_COMMON = {"producer": "UNESCO World Heritage Centre", "url": "https://whc.unesco.org/en/syndication",
           "licence": "UNESCO World Heritage Centre data (terms not confirmed)",
           "attribution": "UNESCO World Heritage Centre, World Heritage List"}
SOURCE_2024 = SourceMeta(source_id="unesco_whc_2024", title="World Heritage List export after the 2024 session "
                         "(whc-sites-2024)", retrieved="copy in github.com/simao-g/WorldHeritageApp @cfb15de "
                         "(2024-12-09)", year="2024", **_COMMON)
SOURCE_2019 = SourceMeta(source_id="unesco_whc_2019", title="World Heritage List export after the 2019 session "
                         "(whc-sites-2019)", retrieved="copy in github.com/painte15/Evolution-of-the-UNESCO-World-"
                         "Heritage-Program @77ce83e (2019-11-08)", year="2019", **_COMMON)


def _checked(df: pd.DataFrame, path: Path, rows: tuple[int, int]) -> pd.DataFrame:
    check_columns(df, COLUMNS, path)
    check_row_count(len(df), *rows, path)
    df = df[COLUMNS].copy()
    for col in ("id_no", "date_inscribed", "latitude", "longitude"):
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna() & df[col].notna()
        if col in ("id_no", "date_inscribed"):
            bad |= values.isna()
        if bad.any():
            i = int(np.argmax(bad.to_numpy()))
            raise InputError(path, f"{col} is not a number", row=i + 2, detail=str(df[col].iloc[i]))
        df[col] = values
    if df["id_no"].duplicated().any():
        raise InputError(path, "id_no is not unique", detail=str(df.loc[df["id_no"].duplicated(), "id_no"].iloc[0]))
    df[["id_no", "date_inscribed"]] = df[["id_no", "date_inscribed"]].astype(int)
    return df


def _windows_1252(text: object) -> object:
    """Latin-1 reads Windows-1252 punctuation (en dash, curly quotes) as control characters: map them back."""
    if not isinstance(text, str):
        return text
    try:
        return text.encode("latin-1").decode("cp1252")
    except UnicodeError:  # a byte cp1252 leaves undefined: keep the Latin-1 reading
        return text


def _plain(text: object) -> object:
    """Names carry HTML markup ('Royal Building of <i>Mafra</i>') and entities: plain text for profiles."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)) if isinstance(text, str) else text


def read_lists(raw_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 2024 and 2019 exports, format-checked (the 2019 CSV is Latin-1)."""
    p24, p19 = require_file(raw_dir / PATH_2024), require_file(raw_dir / PATH_2019)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas warns that its xlrd engine is deprecated
            l24 = pd.read_excel(p24, engine="xlrd")
    except Exception as exc:
        raise InputError(p24, "cannot read the workbook", detail=str(exc)) from exc
    try:
        l19 = pd.read_csv(p19, encoding="latin-1")
    except Exception as exc:
        raise InputError(p19, "cannot read the CSV (expected Latin-1)", detail=str(exc)) from exc
    l24, l19 = _checked(l24, p24, ROWS_2024), _checked(l19, p19, ROWS_2019)
    l19["name_en"] = l19["name_en"].map(_windows_1252)
    for df in (l24, l19):
        df["name_en"] = df["name_en"].map(_plain)
    if l19["date_inscribed"].max() > 2019:
        raise InputError(p19, "the 2019 export holds inscriptions after 2019")
    return l24, l19


def properties(l24: pd.DataFrame, l19: pd.DataFrame) -> pd.DataFrame:
    """One row per property ever on either List: best point, inscription year, which Lists hold it."""
    allp = l24.merge(l19, on="id_no", how="outer", suffixes=("", "_19"), indicator=True)
    on_2019 = allp["_merge"] != "left_only"
    on_2024 = allp["_merge"] != "right_only"
    # 2019 points are used only where 2024 has none; (0, 0) in the 2019 file is a placeholder, not a point
    zero_19 = (allp["latitude_19"] == 0) & (allp["longitude_19"] == 0)
    return pd.DataFrame({
        "id_no": allp["id_no"],
        "name_en": allp["name_en"].fillna(allp["name_en_19"]),
        "date_inscribed": allp["date_inscribed"].fillna(allp["date_inscribed_19"]).astype(int),
        "latitude": allp["latitude"].fillna(allp["latitude_19"].mask(zero_19)),
        "longitude": allp["longitude"].fillna(allp["longitude_19"].mask(zero_19)),
        "on_2019": on_2019, "on_2024": on_2024,
    })


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    props = properties(*read_lists(raw_dir))
    props = props.dropna(subset=["latitude", "longitude"])  # one 2024 property has no point (SOURCE.md)
    removed = props[props["on_2019"] & ~props["on_2024"]]
    city_ids = registry.city_ids()
    near: list[dict] = []
    for p in props.itertuples():
        d = registry.distances_km(p.latitude, p.longitude)
        for i in np.flatnonzero(d <= RADIUS_KM):
            near.append({"city_id": city_ids[i], "id_no": p.id_no, "name_en": p.name_en,
                         "date_inscribed": p.date_inscribed, "distance_km": round(float(d[i]), 1),
                         "source_id": (SOURCE_2024 if p.on_2024 else SOURCE_2019).source_id,
                         "on_2019": p.on_2019, "on_2024": p.on_2024})
    table = pd.DataFrame(near, columns=[*TABLE_COLUMNS, "on_2019", "on_2024"])
    base_note = f"World Heritage properties whose single representative point lies within {RADIUS_KM:.0f} km"
    rows = []
    for city_id in city_ids:
        mine = table[table["city_id"] == city_id]
        gone = mine[mine["id_no"].isin(removed["id_no"])]
        for year in YEARS:
            listed = mine["on_2019"] if year == 2019 else mine["on_2024"]
            n = int((listed & (mine["date_inscribed"] <= year)).sum())
            note = base_note + ("" if n else "; none: a true zero (the List is complete)")
            if len(gone):
                names = ", ".join(gone["name_en"])
                note += (f"; {names}: on the 2019 List, not on the 2024 one; removal year not in the files, "
                         "counted to 2019 only")
            rows.append({"city_id": city_id, "indicator": INDICATOR, "year": year, "value": float(n),
                         "status": STATUS_OBSERVED, "source_id": (SOURCE_2019 if year == 2019 else SOURCE_2024)
                         .source_id, "note": note})
    side = table[TABLE_COLUMNS].sort_values(["city_id", "distance_km"]).reset_index(drop=True)
    return SourceResult(observations=obs_frame(rows), sources=[SOURCE_2024, SOURCE_2019],
                        tables={"whc_sites": side})
