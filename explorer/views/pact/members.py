"""Pact of Free Cities: accession dates with their precision and certainty, events, members' published scores
against comparable non-members, the undated members in words and the sources. Pure pandas (no Streamlit); only
selects, joins and summarises published values; every result is shared and read-only. (The members map:
explorer.views.pact.map.)
"""

from __future__ import annotations

import re

import pandas as pd

from explorer.perf.memo import memo
from explorer.text.grades import grade_text
from explorer.text.i18n import N_, city_name, city_names_of, fmt_date, translator
from explorer.text.markdown import plain
from explorer.text.urls import safe_url
from explorer.views.framework import score_order

FOUNDING = pd.Timestamp("2019-12-16")  # the founding signature in Budapest; no accession can be earlier
# the two groups' keys (and English names, marked for the catalogue: group_label() gives them in a language)
MEMBERS = N_("Pact members")
COMPARABLE = N_("Comparable non-members")
COMPARABLE_DEFINITION = N_(
    "Comparable non-members: reference cities that are European capitals or cities of the Eurostat city "
    "statistics with at least 250,000 inhabitants, and are not Pact members. Members: the 40 cities named as "
    "members by February 2025, whatever their accession year. Both groups are limited to cities ranked in the "
    "edition, so every median is over cities with enough data.")
CERTAINTY_LABELS = {"confirmed": N_("confirmed"), "single_source": N_("single source"),
                    "upper_bound_only": N_("upper bound only"), "unknown": N_("unknown")}
_ON_OR_BEFORE = re.compile(r"on or before (\d{4}-\d{2}-\d{2})")
_MONTH = re.compile(r"\d{4}-\d{2}")


def group_label(group: str, lang: str = "en") -> str:
    """A comparison group's name (MEMBERS or COMPARABLE) in the language."""
    return translator(lang)(group)


def comparable_definition(lang: str = "en") -> str:
    """What the two comparison groups are, in the language."""
    return translator(lang)(COMPARABLE_DEFINITION)


def _fmt(ts: pd.Timestamp, lang: str = "en") -> str:
    if lang != "en":
        return fmt_date(ts.date(), lang)
    return f"{ts.day} {ts.strftime('%b %Y')}"


def _fmt_month(ts: pd.Timestamp, lang: str = "en") -> str:
    """A month and year in the language's stand-alone form ("February 2023", "únor 2023")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", ts.date(), locale=lang)


@memo
def accession_dates(members: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per member: the earliest and latest possible accession date, the date to plot, a label in `lang`, the
    precision ("day", "month", "year", "upper bound", "unknown": keys, not translated), the date's certainty in
    words and whether the date is exact and confirmed.

    - day precision: that day;
    - "year (on or before YYYY-MM-DD)": between the founding and that date, plotted at the bound;
    - month precision ("YYYY-MM"): somewhere in that month, plotted at mid-month;
    - year precision: somewhere in that year, plotted at mid-year;
    - unknown: no date (listed separately, never plotted).
    """
    _ = translator(lang)
    rows = []
    for rec in members.itertuples(index=False):
        raw, precision = str(rec.joined_date or ""), str(rec.joined_date_precision or "")
        low = high = plot = pd.NaT
        kind, label = "unknown", _("date not known")
        bound = _ON_OR_BEFORE.search(precision)
        if precision == "day" and raw:
            low = high = plot = pd.Timestamp(raw)
            kind, label = "day", _fmt(low, lang)
        elif bound:
            high = plot = pd.Timestamp(bound.group(1))
            low = FOUNDING
            kind, label = "upper bound", _("on or before {date}").format(date=_fmt(high, lang))
        elif precision == "month" and _MONTH.match(raw):
            low = pd.Timestamp(raw[:7] + "-01")
            high, plot = low + pd.offsets.MonthEnd(0), low + pd.Timedelta(days=14)
            kind, label = "month", _("{month} (day not known)").format(month=_fmt_month(low, lang))
        elif precision.startswith("year") and raw[:4].isdigit():
            year = int(raw[:4])
            low, high, plot = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31), pd.Timestamp(year, 7, 1)
            kind, label = "year", _("in {year} (day not known)").format(year=year)
        certainty = str(rec.joined_date_certainty or "unknown")
        rows.append({
            "city_id": rec.city_id, "name": city_name(rec.city_id, str(rec.name), lang), "date_low": low,
            "date_high": high, "date_plot": plot,
            "date_label": label, "precision": kind,
            "date_certainty": (_(CERTAINTY_LABELS[certainty]) if certainty in CERTAINTY_LABELS
                               else certainty.replace("_", " ")),
            "exact": kind == "day" and certainty == "confirmed",
        })
    return pd.DataFrame(rows)


@memo
def timeline(data, lang: str = "en") -> pd.DataFrame:
    """Dated members for the accession timeline, earliest first, with event, role, certainty and source title
    (names, date labels and certainty in `lang`)."""
    m = data.pact_members
    dates = accession_dates(m, lang)
    titles = dict(zip(data.sources["source_id"], data.sources["title"]))
    out = dates.merge(m[["city_id", "role", "event", "certainty", "source_id"]], on="city_id", how="left")
    out["source"] = [str(titles.get(s, s)) for s in out["source_id"]]
    out = out[out["date_plot"].notna()].sort_values(["date_plot", "name"]).reset_index(drop=True)
    out["order"] = range(len(out))
    return out


@memo
def undated(data) -> pd.DataFrame:
    """Members with no known accession date (listed on the page, not plotted), with the note that explains it."""
    m = data.pact_members
    dates = accession_dates(m)
    ids = set(dates.loc[dates["date_plot"].isna(), "city_id"])
    return m[m["city_id"].isin(ids)][["city_id", "name", "certainty", "notes", "source_id"]].sort_values(
        "name").reset_index(drop=True)


@memo
def events(data, lang: str = "en") -> pd.DataFrame:
    """Accession events: date label (in `lang`), event, the members who joined at it, and the event's source."""
    t = timeline(data, lang)
    grouped = t.groupby(["date_plot", "date_label", "event"], sort=True).agg(
        members=("name", lambda s: ", ".join(sorted(s))), n=("name", "size"),
        source=("source", lambda s: "; ".join(sorted(set(s)))))
    return grouped.reset_index().drop(columns="date_plot")


@memo
def members_table(data, lang: str = "en") -> pd.DataFrame:
    """One row per member: role, accession date and its precision and certainty, event, mayor, listing certainty,
    source (title, producer, licence, grade in words, link when http(s)), other source links (a tuple), notes (name,
    date label, date certainty and grade in `lang`; the rest as the data has it)."""
    m = data.pact_members
    dates = accession_dates(m, lang).set_index("city_id")
    src = data.sources.set_index("source_id")
    out = m[["city_id", "name", "country_iso2", "role", "event", "mayor_at_signing", "certainty", "source_id",
             "other_source_urls", "notes"]].copy()
    out["name"] = [dates.at[c, "name"] for c in out["city_id"]]
    out["accession"] = [dates.at[c, "date_label"] for c in out["city_id"]]
    out["precision"] = [dates.at[c, "precision"] for c in out["city_id"]]
    out["date_certainty"] = [dates.at[c, "date_certainty"] for c in out["city_id"]]
    out["sort_date"] = [dates.at[c, "date_plot"] for c in out["city_id"]]
    for col in ("title", "producer", "licence"):
        out[f"source_{col}"] = [str(src.at[s, col]) if s in src.index else "" for s in out["source_id"]]
    out["source_grade"] = [grade_text(src.at[s, "grade"], lang) if s in src.index else "" for s in out["source_id"]]
    out["source_url"] = [safe_url(src.at[s, "url"]) if s in src.index else None for s in out["source_id"]]
    out["other_sources"] = [tuple(u.strip() for u in str(x or "").split("|") if u.strip())
                            for x in out["other_source_urls"]]
    return out.sort_values(["sort_date", "name"], na_position="last").drop(
        columns=["other_source_urls", "sort_date"]).reset_index(drop=True)


@memo
def comparison_groups(data, edition: int) -> pd.DataFrame:
    """city_id -> group (members / comparable non-members) for the cities ranked in the edition."""
    c = data.cities
    groups = c["groups"].fillna("").str.split(";")
    is_member = groups.apply(lambda g: "pact_member" in g) | c["city_id"].isin(data.pact_members["city_id"])
    comparable = groups.apply(lambda g: "european_capital" in g or "eurostat_250k" in g) & ~is_member
    s = data.scores
    ranked = set(s.loc[(s["edition"] == edition) & (s["pillar"] == "index") & s["rank"].notna(), "city_id"])
    out = pd.DataFrame({"city_id": c["city_id"], "group": None})
    out.loc[is_member.to_numpy(), "group"] = MEMBERS
    out.loc[comparable.to_numpy(), "group"] = COMPARABLE
    return out[out["group"].notna() & out["city_id"].isin(ranked)].reset_index(drop=True)


@memo
def group_scores(data, edition: int) -> pd.DataFrame:
    """Long table of the edition's published scores for both groups: city_id, name, group, pillar, score."""
    g = comparison_groups(data, edition)
    s = data.scores
    s = s[(s["edition"] == edition) & s["pillar"].isin(score_order(data))][["city_id", "pillar", "score"]]
    out = g.merge(s, on="city_id", how="left")
    names = dict(zip(data.cities["city_id"], data.cities["name"]))
    out["name"] = out["city_id"].map(names)
    return out


@memo
def median_scores(data, edition: int) -> pd.DataFrame:
    """Per group and pillar: number of cities with a score, median and interquartile range (25th-75th pct)."""
    long = group_scores(data, edition).dropna(subset=["score"])
    agg = long.groupby(["group", "pillar"])["score"].agg(
        n="size", median="median", q25=lambda x: x.quantile(0.25), q75=lambda x: x.quantile(0.75)).reset_index()
    agg["pillar"] = pd.Categorical(agg["pillar"], score_order(data), ordered=True)
    return agg.sort_values(["pillar", "group"]).reset_index(drop=True).assign(pillar=lambda f: f["pillar"].astype(str))


@memo
def member_scores(data, edition: int, lang: str = "en") -> pd.DataFrame:
    """Every member's rank and index and pillar scores in the edition (not-ranked members included, rank empty;
    names and the reason a member is not ranked in `lang`)."""
    s = data.scores[(data.scores["edition"] == edition)]
    wide = s.pivot(index="city_id", columns="pillar", values="score").add_prefix("score_")
    idx = s[s["pillar"] == "index"].set_index("city_id")[["rank", "n_ranked", "not_ranked_reason"]]
    m = data.pact_members[["city_id", "name", "country_iso2"]].set_index("city_id")
    out = m.join(idx).join(wide).reset_index()
    out["name"] = [city_name(c, str(n), lang) for c, n in zip(out["city_id"], out["name"])]
    _ = translator(lang)
    out["not_ranked_reason"] = [_(str(r)) if isinstance(r, str) and r else r for r in out["not_ranked_reason"]]
    return out.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


@memo
def undated_sentence(data, lang: str = "en") -> str:
    """The members with no known accession date, named in a sentence (markdown-safe; "" when every date is
    known)."""
    u = undated(data)
    if not len(u):
        return ""
    _ = translator(lang)
    names = ", ".join(plain(city_names_of(data, lang).get(c, n)) for c, n in zip(u["city_id"], u["name"]))
    return _.ngettext("No accession date found for {n} member: {names}. It is named in the member lists of "
                      "February 2025 and is not on the timeline; the index counts it as a member from 2025.",
                      "No accession date found for {n} members: {names}. They are named in the member lists of "
                      "February 2025 and are not on the timeline; the index counts them as members from 2025.",
                      len(u)).format(n=len(u), names=names)


@memo
def sources_table(data, lang: str = "en") -> pd.DataFrame:
    """The sources of the member list and dates: title, producer, licence, grade in words, link when http(s)."""
    ids = set(data.pact_members["source_id"])
    return data.sources[data.sources["source_id"].isin(ids)].assign(
        link=lambda f: f["url"].map(safe_url), grade=lambda f: [grade_text(g, lang) for g in f["grade"]])
