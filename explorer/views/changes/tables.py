"""What changed, as display frames: the published change decomposition, rank split, data diff and dated events,
with no Streamlit import (the /changes page through explorer.views.changes.tables, and the PDF reports in
explorer.documents.report).

Why a module of its own: the decomposition is computed by the build (cdi_core.changes) and published beside the
index; this only filters, joins names and sources, and lays the lines out for a waterfall (running totals of the
published contributions), so the page carries no index math.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cdi_core import events as E
from cdi_core.events import EVENT_COLUMNS, events_between
from explorer.data.store import FOCUS, INDEX, IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import N_, city_names_of, translator
from explorer.views.city.tables import fmt_number, is_missing, places, with_sources

CHANGE_TABLES = ("changes", "rank_changes", "data_diff", "events")
# English texts, marked for the catalogue (translated where shown, with the reader's translator)
KIND_TEXT = {"new": N_("new data year"), "carried_forward": N_("carried forward"),
             "revised": N_("revised (same year)"), "imputed": N_("later-year value standing in"),
             "appeared": N_("value appeared"), "lapsed": N_("value lapsed")}
DIFF_TEXT = {"new": N_("new data"), "revised": N_("revised"), "dropped": N_("dropped")}
# the kinds of dated event cdi_core.events writes, in words for the reader
EVENT_KIND_TEXT = {E.KIND_TWIN_SIGNED: N_("partnership signed"), E.KIND_TWIN_ENDED: N_("partnership ended"),
                   E.KIND_NETWORK_JOINED: N_("network joined"), E.KIND_PACT: N_("Pact of Free Cities accession"),
                   E.KIND_PACT_RECORDED: N_("Pact of Free Cities membership newly recorded (accession date unknown)"),
                   E.KIND_SEATED: N_("international organisation seated"), E.KIND_LEFT: N_("organisation left"),
                   E.KIND_POSTS: N_("sending countries change")}


def event_kind_text(kind: str, lang: str = "en") -> str:
    """A dated event's kind in the language (an unknown kind as it is)."""
    return translator(lang)(EVENT_KIND_TEXT[kind]) if kind in EVENT_KIND_TEXT else str(kind)


@dataclass(frozen=True)
class ChangesData:
    """The "what changed" tables and the events (empty frames if a file is absent, so the page degrades instead of
    failing)."""

    tables: dict[str, pd.DataFrame]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = object.__getattribute__(self, "tables")
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def load_changes(index_dir: Path) -> ChangesData:
    tables = {}
    for name in CHANGE_TABLES:
        path = Path(index_dir) / f"{name}.parquet"
        empty = EVENT_COLUMNS if name == "events" else ["city_id", "edition", "pillar", "indicator"]
        tables[name] = pd.read_parquet(path) if path.is_file() else pd.DataFrame(columns=empty)
    return ChangesData(tables)


def contributions(data: IndexData, ch: ChangesData, city_id: str, edition: int, level: str = INDEX,
                  lang: str = "en") -> pd.DataFrame:
    """The published lines behind one score change (`level`: index or a pillar id), largest first, with the
    indicator's name, unit, the kind of change in words (in `lang`) and the source."""
    _ = translator(lang)
    c = ch.changes
    lines = c[(c["city_id"] == city_id) & (c["edition"] == edition) & (c["pillar"] == level)]
    if lines.empty:
        return pd.DataFrame(columns=["indicator", "name", "pillar_name", "kind", "kind_text", "value_prev_text",
                                     "value_text", "year_prev", "year", "contribution", "source", "grade", "link"])
    fw = data.framework[["indicator", "name", "unit", "pillar_name"]]
    out = lines.merge(fw, on="indicator", how="left")
    out["name"] = [_(n) if isinstance(n, str) else n for n in out["name"]]
    out["pillar_name"] = [_(n) if isinstance(n, str) else n for n in out["pillar_name"]]
    out["kind_text"] = [_(KIND_TEXT[k]) if k in KIND_TEXT else k for k in out["kind"]]
    out["value_prev_text"] = [fmt_number(v) if not is_missing(v) else "" for v in out["value_prev"]]
    out["value_text"] = [fmt_number(v) if not is_missing(v) else "" for v in out["value"]]
    out = with_sources(data, out, lang=lang)
    out["_abs"] = out["contribution"].abs()
    return out.sort_values(["_abs", "name"], ascending=[False, True]).drop(columns="_abs").reset_index(drop=True)


def waterfall(lines: pd.DataFrame, score_prev: float, score: float, edition: int, eps: float = 5e-4,
              lang: str = "en") -> pd.DataFrame:
    """Bars from last edition's score to this one's: a start bar, one floating bar per line that moved the score
    (running totals of the published contributions, in the table's order), an end bar; labels in `lang` (the
    lines keep the names they have in `lines`)."""
    _ = translator(lang)
    moved = lines[lines["contribution"].abs() > eps]
    rows = [{"label": _("{edition} score").format(edition=edition - 1), "start": 0.0, "end": score_prev,
             "kind": "score",
             "contribution": score_prev}]
    level = score_prev
    for name, value in zip(moved["name"], moved["contribution"]):
        rows.append({"label": str(name), "start": level, "end": level + value,
                     "kind": "up" if value > 0 else "down", "contribution": value})
        level += value
    rest = float(lines["contribution"].sum() - moved["contribution"].sum())
    if abs(rest) > 1e-12:
        rows.append({"label": _("other lines"), "start": level, "end": level + rest,
                     "kind": "up" if rest > 0 else "down", "contribution": rest})
    rows.append({"label": _("{edition} score").format(edition=edition), "start": 0.0, "end": score, "kind": "score",
                 "contribution": score})
    out = pd.DataFrame(rows)
    out["order"] = range(len(out))
    return out


def index_change(data: IndexData, city_id: str, edition: int) -> dict | None:
    """The city's published index scores and ranks in both editions, or None if it is not ranked in both."""
    s = data.scores
    rows = s[(s["city_id"] == city_id) & (s["pillar"] == INDEX) & s["edition"].isin([edition - 1, edition])]
    rows = rows.set_index("edition")
    if len(rows) < 2 or rows["rank"].isna().any():
        return None
    return {"score_prev": float(rows.at[edition - 1, "score"]), "score": float(rows.at[edition, "score"]),
            "score_change": float(rows.at[edition, "score_change"]),
            "rank_prev": int(rows.at[edition - 1, "rank"]), "rank": int(rows.at[edition, "rank"])}


def rank_split(ch: ChangesData, city_id: str, edition: int) -> dict | None:
    r = ch.rank_changes
    row = r[(r["city_id"] == city_id) & (r["edition"] == edition) & (r["pillar"] == INDEX)]
    return None if row.empty else row.iloc[0].to_dict()


def within_band(bands: pd.DataFrame, city_id: str, edition: int, rank_prev: int) -> bool | None:
    """True when last edition's rank lies inside this edition's 5-95 % rank band (the move is not evidence of a
    real change); None without a band."""
    b = bands[(bands["city_id"] == city_id) & (bands["edition"] == edition) & (bands["pillar"] == INDEX)]
    if b.empty:
        return None
    return bool(b.iloc[0]["rank_low"] <= rank_prev <= b.iloc[0]["rank_high"])


def rank_sentence(name: str, split: dict, inside: bool | None, lang: str = "en") -> str:
    """The rank move in words (in `lang`): its own and its peers' parts, and whether it lies within the
    uncertainty."""
    _ = translator(lang)
    total, own, others = int(split["rank_change"]), int(split["rank_change_own"]), int(split["rank_change_others"])
    parts = {"name": name, "previous": int(split["rank_prev"]), "rank": int(split["rank"]),
             "own": places(own, lang), "others": places(others, lang), "total": places(total, lang)}
    if total == 0:
        text = _("{name} kept its rank (from {previous} to {rank}): {own} from its own score change, {others} from "
                 "the other cities' moves.").format(**parts)
    else:
        text = _("{name} moved {total} (from {previous} to {rank}): {own} from its own score change, {others} from "
                 "the other cities' moves.").format(**parts)
    if inside and total != 0:
        text += " " + _("The move lies within the index's uncertainty (last edition's rank is inside this "
                        "edition's band).")
    return text


def peer_moves(data: IndexData, ch: ChangesData, bands: pd.DataFrame, edition: int,
               peers: list[str] = FOCUS, lang: str = "en") -> pd.DataFrame:
    """The peers' index moves in one edition: ranks, score change, own and others' parts, band note (in `lang`;
    names stay the registry's, the page maps them)."""
    _ = translator(lang)
    r = ch.rank_changes
    r = r[(r["edition"] == edition) & (r["pillar"] == INDEX) & r["city_id"].isin(peers)].set_index("city_id")
    s = data.scores
    sc = s[(s["edition"] == edition) & (s["pillar"] == INDEX)].set_index("city_id")["score_change"]
    rows = []
    for cid in peers:
        if cid not in r.index:
            continue
        x = r.loc[cid]
        inside = within_band(bands, cid, edition, int(x["rank_prev"]))
        rows.append({"city_id": cid, "name": data.city_name(cid), "rank_prev": int(x["rank_prev"]),
                     "rank": int(x["rank"]), "rank_change": int(x["rank_change"]),
                     "rank_change_own": int(x["rank_change_own"]), "rank_change_others": int(x["rank_change_others"]),
                     "score_change": float(sc.get(cid, float("nan"))),
                     "uncertainty": _("within the band") if inside and x["rank_change"] != 0 else ""})
    return pd.DataFrame(rows, columns=["city_id", "name", "rank_prev", "rank", "rank_change", "rank_change_own",
                                       "rank_change_others", "score_change", "uncertainty"])


def data_changes(data: IndexData, ch: ChangesData, city_id: str, edition: int, lang: str = "en") -> pd.DataFrame:
    """The city's inputs that differ from last edition's, with names, the change in words (in `lang`) and the
    source."""
    _ = translator(lang)
    d = ch.data_diff
    rows = d[(d["city_id"] == city_id) & (d["edition"] == edition)]
    if rows.empty:
        return pd.DataFrame(columns=["name", "status_text", "value_prev_text", "value_text", "year_prev", "year",
                                     "source", "grade", "link"])
    out = rows.merge(data.framework[["indicator", "name"]], on="indicator", how="left")
    out["name"] = [_(n) if isinstance(n, str) else n for n in out["name"]]
    out["status_text"] = [(_(DIFF_TEXT[s]) if s in DIFF_TEXT else s) + ("" if changed else _(", same value"))
                          for s, changed in zip(out["status"], out["value_changed"])]
    out["value_prev_text"] = [fmt_number(v) if not is_missing(v) else "" for v in out["value_prev"]]
    out["value_text"] = [fmt_number(v) if not is_missing(v) else "" for v in out["value"]]
    return with_sources(data, out, lang=lang).sort_values("name").reset_index(drop=True)


def city_events(data: IndexData, ch: ChangesData, city_id: str, edition: int, lang: str = "en") -> pd.DataFrame:
    """The city's dated events with year in (edition - 1, edition], with the indicator's name, the event's kind in
    words (kind_text, in `lang`) and the source."""
    ev = ch.events
    rows = ev if ev.empty else events_between(ev, city_id, edition)
    if rows.empty:
        return pd.DataFrame(columns=[*EVENT_COLUMNS, "name", "kind_text", "change_text", "when", "source", "grade",
                                     "link"])
    out = rows.merge(data.framework[["indicator", "name"]], on="indicator", how="left")
    _ = translator(lang)
    out["name"] = [_(n) if isinstance(n, str) else n for n in out["name"]]
    out["kind_text"] = [event_kind_text(k, lang) for k in out["kind"]]
    out["change_text"] = [f"{int(n):+d}" for n in out["count_change"]]
    out["when"] = [d if d else str(int(y)) for d, y in zip(out["date"], out["year"])]
    return with_sources(data, out, lang=lang).sort_values(["name", "year", "kind"]).reset_index(drop=True)


def events_by_indicator(events: pd.DataFrame) -> dict[str, str]:
    """Per indicator, its events in one line ('2021-09-16 Pact of Free Cities accession (+1); ...'), to show next
    to the indicator's contribution."""
    out: dict[str, list[str]] = {}
    for r in events.itertuples():
        kind = getattr(r, "kind_text", None) or r.kind
        out.setdefault(r.indicator, []).append(f"{r.when} {kind} ({r.change_text})")
    return {k: "; ".join(v) for k, v in out.items()}


def is_ranked(data: IndexData, city_id: str, edition: int) -> bool:
    s = data.scores
    row = s[(s["city_id"] == city_id) & (s["edition"] == edition) & (s["pillar"] == INDEX)]
    return bool(len(row)) and not is_missing(row.iloc[0]["rank"])


@dataclass(frozen=True)
class CityChanges:
    """Everything the /changes page shows for one city and edition, in one language, built once per process and
    shared by every session: read only.

    `head` is None in the first edition or when the city is not ranked in both editions; the frames are then None."""

    head: dict | None
    split: dict | None
    sentence: str | None
    lines: pd.DataFrame | None      # contributions with the dated events per indicator
    events: pd.DataFrame | None
    waterfall: pd.DataFrame | None
    n_zero: int
    diff: pd.DataFrame | None


@memo
def city_changes(data: IndexData, ch: ChangesData, bands: pd.DataFrame, city_id: str, edition: int,
                 name: str, lang: str = "en", eps: float = 5e-4) -> CityChanges:
    """The page's view of one city's change since the previous edition (see CityChanges), once per process."""
    head = index_change(data, city_id, edition) if edition > min(data.editions) else None
    if head is None:
        return CityChanges(None, None, None, None, None, None, 0, None)
    split = rank_split(ch, city_id, edition)
    sentence = None
    if split:
        inside = within_band(bands, city_id, edition, int(split["rank_prev"]))
        sentence = rank_sentence(name, split, inside, lang)
    lines = contributions(data, ch, city_id, edition, lang=lang)
    events = city_events(data, ch, city_id, edition, lang=lang)
    by_indicator = events_by_indicator(events)
    lines["events"] = [by_indicator.get(i, "") for i in lines["indicator"]]
    wf = waterfall(lines, head["score_prev"], head["score"], edition, lang=lang)
    n_zero = int((lines["contribution"].abs() <= eps).sum())
    return CityChanges(head, split, sentence, lines, events, wf, n_zero,
                       data_changes(data, ch, city_id, edition, lang=lang))


@memo
def peers_view(data: IndexData, ch: ChangesData, bands: pd.DataFrame, edition: int, lang: str = "en") -> pd.DataFrame:
    """peer_moves of the focus cities with their names in the language, once per process, edition and language."""
    peers = peer_moves(data, ch, bands, edition, FOCUS, lang=lang)
    peers["name"] = peers["city_id"].map(city_names_of(data, lang))
    return peers
