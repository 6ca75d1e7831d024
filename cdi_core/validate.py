"""Read the committed inputs and check every rule the build relies on; the first broken rule raises InputError
naming the file, the row (1-based data row, header excluded) and the rule."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import CITY_COLUMNS
from cdi_core.sources.base import OBS_COLUMNS, SOURCE_COLUMNS, STATUS_BELOW_THRESHOLD, STATUS_OBSERVED
from cdi_core.spec import Spec

SHARE_INDICATORS_SUFFIX = "_share"
# The side tables the build publishes and the columns the build and the explorer read from each.
SIDE_TABLE_COLUMNS = {
    "pact_members": ["city_id", "name", "country_iso2", "role", "joined_date", "joined_date_precision", "event",
                     "mayor_at_signing", "certainty", "joined_date_certainty", "source_id", "other_source_urls",
                     "notes"],
    "twinnings": ["city_id_a", "city_id_b", "source", "start_year", "ended_year", "source_id", "year_source_id"],
    "network_memberships": ["city_id", "network", "role", "year", "date", "list_complete", "source_id"],
    "whc_sites": ["city_id", "id_no", "name_en", "date_inscribed", "distance_km", "source_id"],
    "global500_hq": ["city_id", "year", "company", "hq_town", "source_id"],
    "intl_org_seats": ["city_id", "organisation", "acronym", "type", "seat_municipality", "country_iso2",
                       "counted_from", "counted_until", "seat_dated", "source_id"],
    "twinning_events": ["city_id", "partner_name", "partner_country_iso2", "partner_city_id", "relation_type",
                        "start_year", "ended_year", "ended_note", "source_id"],
    "absences": ["city_id", "indicator", "edition", "reason", "searched", "checked"],
    "source_releases": ["indicator", "source", "release_year", "published", "next_expected", "source_url",
                        "note"],
}
EARLIEST_YEAR = 1950

# Text rules (names are drawn on every page, map, snapshot and PDF): a name may not carry a control character
# (C0/C1, newline included), a bidirectional override or isolate (which reorders what a reader sees) or an invisible
# zero-width character (which hides or splits a name); other free text (notes, descriptions) may break lines, but
# carries no bidi or zero-width character either. URLs are published only as absolute http(s) addresses.
_BIDI_ZERO_WIDTH = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e"
NAME_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_ZERO_WIDTH}]")
TEXT_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_ZERO_WIDTH}]")
NAME_RULE = "a name may not contain control, bidirectional-override or zero-width characters"
TEXT_RULE = "text may not contain control (other than a line break), bidirectional-override or zero-width characters"
URL_RULE = "a URL must be an absolute http:// or https:// address"
# The display names of each input (file stem -> columns); every other text column gets TEXT_RULE. cities.alt_names
# is left out: GeoNames' alternate names (matching keys, never drawn) carry stray bytes of its own.
NAME_COLUMNS = {
    "cities": ["name", "region"],
    "sources": ["title", "producer", "licence", "attribution"],
    "pact_members": ["name", "mayor_at_signing", "event"],
    "twinning_events": ["partner_name"],
    "intl_org_seats": ["organisation", "acronym", "seat_municipality"],
    "network_memberships": ["network", "role"],
    "global500_hq": ["company", "hq_as_stated"],
    "whc_sites": ["name_en"],
}
NOT_TEXT = {"alt_names"}
# Columns holding URLs (file stem -> column -> True if several are joined with " | ").
URL_COLUMNS = {"sources": {"url": False}, "pact_members": {"other_source_urls": True}}
URL_SEPARATOR = re.compile(r"\s+\|\s+")
_URL = re.compile(r"https?://[^\s/?#@]+[^\s]*", re.IGNORECASE)


def check_text(df: pd.DataFrame, path: Path, stem: str) -> None:
    """The text and URL rules on every string column of one input (one InputError at the first broken row)."""
    names = set(NAME_COLUMNS.get(stem, []))
    for col in df.columns:
        if col in NOT_TEXT or not (pd.api.types.is_string_dtype(df[col]) or pd.api.types.is_object_dtype(df[col])):
            continue
        values = df[col].fillna("").astype(str)
        pattern, rule = (NAME_FORBIDDEN, NAME_RULE) if col in names else (TEXT_FORBIDDEN, TEXT_RULE)
        bad = values.str.contains(pattern)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            ch = pattern.search(values.iat[i]).group()
            raise InputError(path, f"{col}: {rule}", row=i + 1, detail=f"U+{ord(ch):04X} in {values.iat[i]!r}")
    for col, several in URL_COLUMNS.get(stem, {}).items():
        if col not in df.columns:
            continue
        for i, cell in enumerate(df[col].fillna("").astype(str), start=1):
            for url in (u.strip() for u in (URL_SEPARATOR.split(cell) if several else [cell])):
                if url and not _URL.fullmatch(url):
                    raise InputError(path, f"{col}: {URL_RULE}", row=i, detail=repr(url[:200]))


def _row_of_line(line: int) -> int:
    """1-based data row of a 1-based file line (line 1 is the header)."""
    return max(line - 1, 1)


def _read_csv(path: Path, dtype=None) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(path, "input file is missing")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "input file is empty (not even a header)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(path, "file is not valid UTF-8", row=_row_of_line(line) if line > 1 else None,
                         detail=f"byte {raw[exc.start:exc.start + 1]!r} at offset {exc.start}") from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(path, "file contains NUL bytes (binary, not CSV)", row=_row_of_line(line))
    try:
        df = pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False,
                         na_values={"value": [""], "lat": [""], "lon": [""], "year": [""]})
    except (pd.errors.ParserError, ValueError) as exc:
        msg = str(exc).splitlines()[0]
        m = re.search(r"(?:line|row) (\d+)", msg)
        row = _row_of_line(int(m.group(1)) + (1 if "row" in m.group(0) else 0)) if m else None
        raise InputError(path, "malformed CSV (a row with the wrong number of fields or an open quote)", row=row,
                         detail=msg) from exc
    if df.empty:
        raise InputError(path, "input file has no rows (header only)")
    return df


def _columns(df: pd.DataFrame, cols: list[str], path: Path) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(path, "required columns are missing", detail=", ".join(missing))


def read_cities(path: Path) -> pd.DataFrame:
    df = _read_csv(path, dtype={"geonames_id": str, "city_id": str, "country_iso2": str, "groups": str,
                                "alt_names": str, "name": str, "region": str})
    _columns(df, CITY_COLUMNS, path)
    raw_lat, raw_lon = df["lat"].copy(), df["lon"].copy()
    df["lat"] = pd.to_numeric(df["lat"], errors="coerce").astype("float64")
    df["lon"] = pd.to_numeric(df["lon"], errors="coerce").astype("float64")
    for i, r in enumerate(df.itertuples(), start=1):
        if not r.city_id or r.city_id != r.city_id.strip().lower() or " " in r.city_id:
            raise InputError(path, "city_id must be a lower-case slug", row=i, detail=repr(r.city_id))
        if not isinstance(r.name, str) or not r.name.strip():
            raise InputError(path, "city name is empty", row=i)
        if not (-90 <= r.lat <= 90 and -180 <= r.lon <= 180):
            raise InputError(path, "lat/lon must be numbers, lat in [-90, 90] and lon in [-180, 180]", row=i,
                             detail=f"{raw_lat.iat[i - 1]!r}, {raw_lon.iat[i - 1]!r}")
    check_text(df, path, "cities")
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
    check_text(df, path, "sources")
    dup = df["source_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "duplicate source_id", row=i + 1, detail=df["source_id"].iat[i])
    return df


def _check_observation_rows(df: pd.DataFrame, v: np.ndarray, y: np.ndarray, known_cities: set, known_sources: set,
                            known_ind: set, max_year: int, path: Path) -> None:
    """The per-row rules of observations.csv, as whole-column masks in the order a row is checked; the first
    row that breaks any rule raises the first rule it breaks, quoting its raw field (a loop over 1.4 million rows
    at 100x the cities took 40 s)."""
    observed = (df["status"] == STATUS_OBSERVED).to_numpy(bool)
    below = (df["status"] == STATUS_BELOW_THRESHOLD).to_numpy(bool)
    nan_v = np.isnan(v)
    with np.errstate(invalid="ignore"):
        bad_year = ~(~np.isnan(y) & (y == np.floor(y)) & (y >= EARLIEST_YEAR) & (y <= max_year))
        negative, over_100 = v < 0, v > 100
    not_number = observed & nan_v
    if not_number.any():   # a value that is neither empty nor 'nan' and did not parse
        raw = [str(x).strip() not in ("", "nan") for x in df["value"].to_numpy()[not_number]]
        not_number[not_number] = raw
    rules = [
        (~df["city_id"].isin(known_cities).to_numpy(bool), "unknown city_id (not in cities.csv)", "city_id"),
        (~df["indicator"].isin(known_ind).to_numpy(bool), "indicator is not in the methodology spec", "indicator"),
        (~df["source_id"].isin(known_sources).to_numpy(bool), "source_id has no row in sources.csv", "source_id"),
        (bad_year, f"year must be a whole number from {EARLIEST_YEAR} to {max_year}", "year"),
        (not_number, "value is not a number", "value"),
        (observed & (nan_v | np.isinf(v)), "an observed value must be a finite number", "value"),
        (observed & negative, "negative value: counts and shares cannot be below zero", "value"),
        (observed & df["indicator"].str.endswith(SHARE_INDICATORS_SUFFIX).to_numpy(bool) & over_100,
         "a share cannot exceed 100 %", "value"),
        (below & ~nan_v, "a below-threshold mark carries no value", "value"),
        (~observed & ~below, f"status must be {STATUS_OBSERVED!r} or {STATUS_BELOW_THRESHOLD!r}", "status"),
    ]
    broken = np.logical_or.reduce([mask for mask, _, _ in rules])
    if not broken.any():
        return
    i = int(np.argmax(broken))
    row = next(df.iloc[[i]].itertuples())
    _, message, column = next(rule for rule in rules if rule[0][i])
    raise InputError(path, message, row=i + 1, detail=repr(getattr(row, column)))


def read_observations(path: Path, cities: pd.DataFrame, sources: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    df = _read_csv(path, dtype={"city_id": str, "indicator": str, "status": str, "source_id": str, "note": str,
                                "flags": str})
    _columns(df, OBS_COLUMNS, path)
    known_cities, known_sources = set(cities["city_id"]), set(sources["source_id"])
    known_ind = set(spec.indicator_ids)
    max_year = spec.last_edition + 1
    values = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    years = pd.to_numeric(df["year"], errors="coerce").astype("float64")
    _check_observation_rows(df, values.to_numpy(), years.to_numpy(), known_cities, known_sources, known_ind,
                            max_year, path)
    check_text(df[["note", "flags"]], path, "observations")
    key = df[["city_id", "indicator"]].assign(year=years)
    dup = key.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "duplicate observation (same city, indicator and year)", row=i + 1,
                         detail=f"{df['city_id'].iat[i]} {df['indicator'].iat[i]} {int(years.iat[i])}")
    df["value"] = values
    df["year"] = years.astype("int64")
    df["note"] = df["note"].fillna("")
    df["flags"] = df["flags"].fillna("")
    return df


def read_inputs(inputs_dir: Path, spec: Spec) -> dict[str, pd.DataFrame]:
    """All inputs the build needs, validated."""
    inputs_dir = Path(inputs_dir)
    cities = read_cities(inputs_dir / "cities.csv")
    sources = read_sources(inputs_dir / "sources.csv")
    obs = read_observations(inputs_dir / "observations.csv", cities, sources, spec)
    tables = {}
    for name, columns in SIDE_TABLE_COLUMNS.items():
        path = inputs_dir / "tables" / f"{name}.csv"
        t = _read_csv(path, dtype=str)
        _columns(t, columns, path)
        check_text(t, path, name)
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
