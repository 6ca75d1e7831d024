"""Events behind the changes: one row per dated event in the inputs that moves a scored indicator.

Why: the change decomposition (cdi_core.changes) says which indicator moved a score; a reader then asks what
happened - which partnership, which accession, which seat, how many embassies. This lists only what the inputs
date; nothing is inferred or guessed:
  - twinning_events: `start_year` (partnership signed) and `ended_year` (partnership ended) -> twin_cities;
  - pact_members: `joined_date` -> network_memberships: an accession where `date_kind` is `accession`; where the
    accession date is unknown (`earliest_confirmation`), the member counts from the date of the earliest source
    naming it, and the event says "newly recorded", never "joined";
  - network_memberships: UNESCO Creative Cities designations with a `year` -> creative_city (the Pact rows are
    the pact_members ones; C40 has no joining years; the other networks are not scored, so they move nothing);
  - intl_org_seats: `counted_from` (organisation seated) and `counted_until` (organisation left: the seat is
    not counted from the next year) -> intl_org_seats; an undated seat counted from its organisation's founding
    year says so in the description;
  - indicators: a diplomatic_countries value that differs between two Lowy data years -> one event with the
    change in the number of sending countries (+n / -n) in the later data year.
`year` is the year the event takes effect in the index, `date` the full date where the input gives one ('' else).
"""

from __future__ import annotations

import pandas as pd

KIND_TWIN_SIGNED = "partnership signed"
KIND_TWIN_ENDED = "partnership ended"
KIND_NETWORK_JOINED = "network joined"
KIND_PACT = "Pact of Free Cities accession"
KIND_PACT_RECORDED = "Pact of Free Cities membership newly recorded"
KIND_SEATED = "international organisation seated"
KIND_LEFT = "organisation left"
KIND_POSTS = "sending countries change"

INDICATOR_POSTS = "diplomatic_countries"
EVENT_COLUMNS = ["city_id", "year", "date", "indicator", "kind", "count_change", "description", "source_id"]
CREATIVE_NETWORK = "UNESCO Creative Cities Network"


def _year(values: pd.Series) -> pd.Series:
    """The leading 4-digit year of each text value (NaN where none)."""
    return pd.to_numeric(values.astype("string").str.extract(r"^\s*(\d{4})")[0], errors="coerce")


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def _twinnings(te: pd.DataFrame) -> list[dict]:
    rows = []
    years = {col: _year(te[col]).tolist() for col in ("start_year", "ended_year")}   # one regex pass per column
    for n, r in enumerate(te.itertuples(index=False)):
        partner = _text(r.partner_name)
        country = _text(r.partner_country_iso2)
        desc = f"{partner} ({country})" if country else partner
        rel = _text(r.relation_type)
        if rel:
            desc += f", {rel}"
        for col, kind, change in (("start_year", KIND_TWIN_SIGNED, 1), ("ended_year", KIND_TWIN_ENDED, -1)):
            y = years[col][n]
            if pd.isna(y):
                continue
            note = _text(r.ended_note) if kind == KIND_TWIN_ENDED else ""
            rows.append({"city_id": r.city_id, "year": int(y), "date": "", "indicator": "twin_cities", "kind": kind,
                         "count_change": change, "description": desc + (f" ({note})" if note else ""),
                         "source_id": _text(r.source_id)})
    return rows


def _pact(pm: pd.DataFrame) -> list[dict]:
    rows = []
    years = _year(pm["joined_date"].map(_text)).tolist()
    for r, y in zip(pm.itertuples(index=False), years):
        joined = _text(r.joined_date)
        if pd.isna(y):
            continue
        precision = _text(r.joined_date_precision)
        recorded = _text(getattr(r, "date_kind", "")) == "earliest_confirmation"
        desc = (f"{_text(r.name)} newly recorded as a member of the Pact of Free Cities (accession date unknown; "
                f"first named a member by a source of {joined})" if recorded else
                f"{_text(r.name)} joined the Pact of Free Cities ({_text(r.role)})")
        event = _text(r.event)
        if event and not event.startswith("not found") and not recorded:
            desc += f": {event}"
        if precision not in ("day", "year", ""):
            desc += f"; date known as: {precision}"
        rows.append({"city_id": r.city_id, "year": int(y), "date": joined if len(joined) == 10 else "",
                     "indicator": "network_memberships", "kind": KIND_PACT_RECORDED if recorded else KIND_PACT,
                     "count_change": 1, "description": desc,
                     "source_id": _text(r.source_id)})
    return rows


def _creative(nm: pd.DataFrame) -> list[dict]:
    rows = []
    cc = nm[nm["network"] == CREATIVE_NETWORK]
    for r, y in zip(cc.itertuples(index=False), _year(cc["year"]).tolist()):
        if pd.isna(y):
            continue
        field = _text(r.role)
        date = _text(r.date)
        rows.append({"city_id": r.city_id, "year": int(y), "date": date if len(date) == 10 else "",
                     "indicator": "creative_city", "kind": KIND_NETWORK_JOINED, "count_change": 1,
                     "description": f"{CREATIVE_NETWORK}" + (f" ({field})" if field else ""),
                     "source_id": _text(r.source_id)})
    return rows


def _seats(io: pd.DataFrame) -> list[dict]:
    rows = []
    starts, untils = _year(io["counted_from"]).tolist(), _year(io["counted_until"]).tolist()
    for r, start, until in zip(io.itertuples(index=False), starts, untils):
        org = _text(r.organisation)
        acr = _text(r.acronym)
        name = f"{org} ({acr})" if acr and acr not in org else org
        where = _text(r.seat_municipality)
        base = f"{name}, {where}" if where else name
        dated = str(r.seat_dated).strip().lower() == "true"
        if pd.notna(start):
            note = "" if dated else "; counted from the organisation's founding year (the seat itself is not dated)"
            rows.append({"city_id": r.city_id, "year": int(start), "date": "", "indicator": "intl_org_seats",
                         "kind": KIND_SEATED, "count_change": 1, "description": base + note,
                         "source_id": _text(r.source_id)})
        if pd.notna(until):
            rows.append({"city_id": r.city_id, "year": int(until) + 1, "date": "", "indicator": "intl_org_seats",
                         "kind": KIND_LEFT, "count_change": -1,
                         "description": f"{base}; last counted in {int(until)}", "source_id": _text(r.source_id)})
    return rows


def _posts(indicators: pd.DataFrame) -> list[dict]:
    """A diplomatic_countries event wherever a city's value differs from its previous data year's: the previous row
    by a shift of the (city, year)-sorted table, not a Python loop over every city's group."""
    d = indicators[(indicators["indicator"] == INDICATOR_POSTS) & indicators["value"].notna()
                   & indicators["year"].notna()]
    d = d.groupby(["city_id", "year"], as_index=False).agg(value=("value", "first"), source_id=("source_id", "first"))
    d = d.sort_values(["city_id", "year"]).reset_index(drop=True)
    prev = d.shift(1)
    changed = (d["city_id"] == prev["city_id"]).fillna(False) & (d["value"] != prev["value"])
    rows = []
    for r, p in zip(d[changed].itertuples(index=False), prev[changed].itertuples(index=False)):
        n = int(round(r.value - p.value))
        rows.append({"city_id": r.city_id, "year": int(r.year), "date": "", "indicator": INDICATOR_POSTS,
                     "kind": KIND_POSTS, "count_change": n,
                     "description": f"{int(p.value)} → {int(r.value)} sending countries with a diplomatic post "
                                    f"between the Lowy {int(p.year)} and {int(r.year)} data (constant sender panel)",
                     "source_id": _text(r.source_id)})
    return rows


def events_table(tables: dict[str, pd.DataFrame], indicators: pd.DataFrame) -> pd.DataFrame:
    """The published events table from the side tables (twinning_events, pact_members, network_memberships,
    intl_org_seats) and the indicators table (diplomatic_countries), sorted by city, year and indicator."""
    rows = (_twinnings(tables["twinning_events"]) + _pact(tables["pact_members"])
            + _creative(tables["network_memberships"]) + _seats(tables["intl_org_seats"]) + _posts(indicators))
    out = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    out = out.astype({"year": "int64", "count_change": "int64"})
    for c in ("city_id", "date", "indicator", "kind", "description", "source_id"):
        out[c] = out[c].astype(str)
    out = out.sort_values(["city_id", "year", "indicator", "kind", "description"], kind="stable")
    return out.drop_duplicates().reset_index(drop=True)[EVENT_COLUMNS]


def events_between(events: pd.DataFrame, city_id: str, edition: int, previous: int | None = None) -> pd.DataFrame:
    """The city's events with year in (previous, edition] (previous defaults to edition - 1)."""
    previous = edition - 1 if previous is None else previous
    e = events[(events["city_id"] == city_id) & (events["year"] > previous) & (events["year"] <= edition)]
    return e.reset_index(drop=True)
