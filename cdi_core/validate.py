"""Read the committed inputs and check every rule the build relies on; the first broken rule raises InputError
naming the file, the row (1-based data row, header excluded) and the rule."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import CITY_COLUMNS
from cdi_core.sources.base import OBS_COLUMNS, SOURCE_COLUMNS, STATUS_BELOW_THRESHOLD, STATUS_OBSERVED
from cdi_core.spec import Spec

SHARE_INDICATORS_SUFFIX = "_share"
EARLIEST_YEAR = 1950


def _read_csv(path: Path, dtype=None) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(path, "input file is missing")
    try:
        df = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values={"value": [""], "lat": [""],
                                                                             "lon": [""], "year": [""]},
                         encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "file is not valid UTF-8", detail=str(exc)) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(path, "malformed CSV", detail=str(exc).splitlines()[0]) from exc
    if df.empty:
        raise InputError(path, "input file has no rows")
    return df


def _columns(df: pd.DataFrame, cols: list[str], path: Path) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(path, "required columns are missing", detail=", ".join(missing))


def read_cities(path: Path) -> pd.DataFrame:
    df = _read_csv(path, dtype={"geonames_id": str, "city_id": str, "country_iso2": str, "groups": str,
                                "alt_names": str, "name": str, "region": str})
    _columns(df, CITY_COLUMNS, path)
    for i, r in enumerate(df.itertuples(), start=1):
        if not r.city_id or r.city_id != r.city_id.strip().lower() or " " in r.city_id:
            raise InputError(path, "city_id must be a lower-case slug", row=i, detail=repr(r.city_id))
        if not isinstance(r.name, str) or not r.name.strip():
            raise InputError(path, "city name is empty", row=i)
        if not (isinstance(r.lat, float) and -90 <= r.lat <= 90 and -180 <= r.lon <= 180):
            raise InputError(path, "lat/lon must be numbers within range", row=i, detail=f"{r.lat}, {r.lon}")
    dup = df["city_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "duplicate city_id", row=i + 1, detail=df["city_id"].iat[i])
    df["is_capital"] = df["is_capital"].astype(str).str.lower().map({"true": True, "false": False})
    if df["is_capital"].isna().any():
        raise InputError(path, "is_capital must be True or False", row=int(df["is_capital"].isna().argmax()) + 1)
    return df


def read_sources(path: Path) -> pd.DataFrame:
    df = _read_csv(path, dtype=str)
    _columns(df, SOURCE_COLUMNS, path)
    for i, r in enumerate(df.itertuples(), start=1):
        for col in ("source_id", "title", "producer", "licence"):
            if not str(getattr(r, col)).strip():
                raise InputError(path, f"every source needs a {col}", row=i, detail=r.source_id)
    dup = df["source_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "duplicate source_id", row=i + 1, detail=df["source_id"].iat[i])
    return df


def read_observations(path: Path, cities: pd.DataFrame, sources: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    df = _read_csv(path, dtype={"city_id": str, "indicator": str, "status": str, "source_id": str, "note": str})
    _columns(df, OBS_COLUMNS, path)
    known_cities, known_sources = set(cities["city_id"]), set(sources["source_id"])
    known_ind = set(spec.indicator_ids)
    max_year = spec.last_edition + 1
    values = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    years = pd.to_numeric(df["year"], errors="coerce").astype("float64")
    for i, r in enumerate(df.itertuples(), start=1):
        v, y = values.iat[i - 1], years.iat[i - 1]
        if r.city_id not in known_cities:
            raise InputError(path, "unknown city_id (not in cities.csv)", row=i, detail=repr(r.city_id))
        if r.indicator not in known_ind:
            raise InputError(path, "indicator is not in the methodology spec", row=i, detail=repr(r.indicator))
        if r.source_id not in known_sources:
            raise InputError(path, "source_id has no row in sources.csv", row=i, detail=repr(r.source_id))
        if not (not math.isnan(y) and y == int(y) and EARLIEST_YEAR <= y <= max_year):
            raise InputError(path, f"year must be a whole number from {EARLIEST_YEAR} to {max_year}", row=i,
                             detail=repr(r.year))
        if r.status == STATUS_OBSERVED:
            if str(r.value).strip() not in ("", "nan") and math.isnan(v):
                raise InputError(path, "value is not a number", row=i, detail=repr(r.value))
            if math.isnan(v) or math.isinf(v):
                raise InputError(path, "an observed value must be a finite number", row=i, detail=repr(r.value))
            if v < 0:
                raise InputError(path, "negative value: counts and shares cannot be below zero", row=i,
                                 detail=repr(r.value))
            if r.indicator.endswith(SHARE_INDICATORS_SUFFIX) and v > 100:
                raise InputError(path, "a share cannot exceed 100 %", row=i, detail=repr(r.value))
        elif r.status == STATUS_BELOW_THRESHOLD:
            if not math.isnan(v):
                raise InputError(path, "a below-threshold mark carries no value", row=i, detail=repr(r.value))
        else:
            raise InputError(path, f"status must be {STATUS_OBSERVED!r} or {STATUS_BELOW_THRESHOLD!r}", row=i,
                             detail=repr(r.status))
    key = df[["city_id", "indicator"]].assign(year=years)
    dup = key.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "duplicate observation (same city, indicator and year)", row=i + 1,
                         detail=f"{df['city_id'].iat[i]} {df['indicator'].iat[i]} {int(years.iat[i])}")
    df["value"] = values
    df["year"] = years.astype("int64")
    df["note"] = df["note"].fillna("")
    return df


def read_inputs(inputs_dir: Path, spec: Spec) -> dict[str, pd.DataFrame]:
    """All inputs the build needs, validated."""
    inputs_dir = Path(inputs_dir)
    cities = read_cities(inputs_dir / "cities.csv")
    sources = read_sources(inputs_dir / "sources.csv")
    obs = read_observations(inputs_dir / "observations.csv", cities, sources, spec)
    tables = {}
    for name in ("pact_members", "twinnings", "network_memberships", "whc_sites", "global500_hq",
                 "intl_org_seats", "twinning_events"):
        path = inputs_dir / "tables" / f"{name}.csv"
        t = _read_csv(path, dtype=str)
        for col in ("city_id", "city_id_a", "city_id_b"):
            if col in t.columns:
                bad = ~t[col].isin(set(cities["city_id"])) & (t[col] != "")
                if bad.any():
                    i = int(np.flatnonzero(bad.to_numpy())[0])
                    raise InputError(path, f"unknown {col} (not in cities.csv)", row=i + 1, detail=t[col].iat[i])
        if "source_id" in t.columns:
            ids = t["source_id"].str.split(";").explode().str.strip()
            bad = ~ids.isin(set(sources["source_id"])) & (ids != "")
            if bad.any():
                raise InputError(path, "source_id has no row in sources.csv", row=int(bad.index[bad][0]) + 1,
                                 detail=ids[bad].iat[0])
        tables[name] = t
    return {"cities": cities, "sources": sources, "observations": obs, **tables}
