"""The ranking as the explorer shows it: the edition's ranking table, the ranking page's filters, view and export,
and THE one selection of the ranked top N (`top_ranked`) that the home page, presentation mode and the static
snapshots share. Pure pandas over the published scores (and one Altair chart builder), no Streamlit; every result is
shared and read-only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import altair as alt
import pandas as pd

from explorer.data.store import INDEX, IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import N_, city_names_of, translator
from explorer.views.framework import pillar_ids

# URL value -> (label, group key in cities.groups); "all" keeps every city.
GROUPS: dict[str, tuple[str, str | None]] = {
    "all": (N_("All cities"), None),
    "v4": (N_("V4 capitals"), "v4"),
    "eu-capitals": (N_("EU capitals"), "eu_capital"),
    "pact": (N_("Pact of Free Cities members"), "pact_member"),
    "c40": (N_("C40 members"), "c40"),
    "european-capitals": (N_("European capitals"), "european_capital"),
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


@memo
def region_choices(cities: pd.DataFrame) -> dict[str, str]:
    """URL value -> label: 'all' and one slug per region of the registry (labels in English; the page translates
    them with _(label)). Once per process for the shared cities table."""
    regions = sorted(set(cities["region"].dropna()))
    return {"all": N_("All regions"), **{slug(r): r for r in regions}}


@memo
def ranking_table(data: IndexData, edition: int) -> pd.DataFrame:
    """One row per reference city for an edition: index rank and score, pillar scores, change since last edition.

    Only reshapes the published scores; nothing is computed beyond a join.
    """
    s = data.scores[data.scores["edition"] == edition]
    wide = s.pivot(index="city_id", columns="pillar", values="score").reindex(columns=[INDEX, *pillar_ids(data)])
    idx = s[s["pillar"] == INDEX].set_index("city_id")
    out = data.cities.set_index("city_id")[["name", "country_iso2", "region", "groups"]].join(
        idx[["rank", "rank_change", "score_change", "coverage", "ranked", "not_ranked_reason"]]).join(
        wide.add_prefix("score_"))
    return out.reset_index().sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


REGION_NAMES = (N_("Africa"), N_("Asia"), N_("Europe"), N_("North America"), N_("Oceania"), N_("South America"))


def filter_ranking(table: pd.DataFrame, region: str | None, group: str, show_unranked: bool) -> pd.DataFrame:
    """Rows of the ranking table for a region label (None = all), a GROUPS key and the not-ranked toggle."""
    out = table
    if region is not None:
        out = out[out["region"] == region]
    key = GROUPS.get(group, GROUPS["all"])[1]
    if key is not None:
        out = out[out["groups"].fillna("").str.split(";").apply(lambda g: key in g)]
    if not show_unranked:
        out = out[out["ranked"].fillna(False).astype(bool)]
    return out.reset_index(drop=True)


def profile_link(city_id: str, name: str, edition: int, lang: str = "en") -> str:
    """Relative link to the city profile; the name rides in the fragment so the table can show it as link text."""
    params = {"city": city_id, "edition": edition, **({"lang": lang} if lang != "en" else {})}
    return f"city?{urlencode(params)}#{quote(str(name), safe='')}"


LINK_TEXT_PATTERN = r"#(.*)$"


def pillar_columns(rows: pd.DataFrame) -> list[str]:
    """The pillar ids of ranking_table's `score_<pillar>` columns, in their (the framework's) order."""
    return [c[len("score_"):] for c in rows.columns
            if c.startswith("score_") and c not in ("score_index", "score_change")]


def display_frame(rows: pd.DataFrame, edition: int, show_unranked: bool, lang: str = "en") -> pd.DataFrame:
    """The columns the page shows, in order. 'profile' holds the link; its text is the city name (rows' `name`,
    which the page may have put in the reader's language)."""
    _ = translator(lang)
    out = pd.DataFrame({
        "rank": rows["rank"].astype("Int64"),
        "profile": [profile_link(c, n, edition, lang) for c, n in zip(rows["city_id"], rows["name"])],
        "country": rows["country_iso2"],
        "index": rows["score_index"],
        "rank_change": rows["rank_change"].astype("Int64"),
        **{p: rows[f"score_{p}"] for p in pillar_columns(rows)},
        "score_change": rows["score_change"],
        "region": rows["region"].map(_),
    })
    if show_unranked:
        out["status"] = [_("ranked") if r else _(reason or "not ranked")
                         for r, reason in zip(rows["ranked"].fillna(False), rows["not_ranked_reason"].fillna(""))]
    return out


def export_frame(shown: pd.DataFrame, rows: pd.DataFrame, pillar_names: dict[str, str],
                 lang: str = "en") -> pd.DataFrame:
    """Exactly the shown rows and columns, with readable headers; the link column becomes the city name."""
    _ = translator(lang)
    out = shown.copy()
    out["profile"] = rows["name"].to_numpy()
    headers = {"rank": _("Rank"), "band": _("Likely rank (5-95 %)"),
               "profile": _("City"), "country": _("Country"), "index": _("Index"), "rank_change": _("Rank change"),
               **{p: pillar_names.get(p, p) for p in pillar_columns(rows)}, "score_change": _("Score change"),
               "region": _("Region"), "status": _("Status")}
    return out.rename(columns=headers)


def export_filename(edition: int, region: str, group: str, show_unranked: bool) -> str:
    parts = ["cdi-ranking", str(edition)]
    if region != "all":
        parts.append(region)
    if group != "all":
        parts.append(group)
    if show_unranked:
        parts.append("with-not-ranked")
    return "-".join(parts) + ".csv"


# --- the page's per-process view ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RankingView:
    """What the ranking page shows for one (edition, region, group, not-ranked toggle, language), shared read-only by
    every session of the process: the filtered rows, the displayed frame (with the likely-rank band), the counts for
    the caption and the CSV download's bytes."""

    table: pd.DataFrame        # the edition's ranking table with names in the language (every city)
    rows: pd.DataFrame         # filter_ranking of it
    shown: pd.DataFrame        # display_frame of rows, with the "band" column
    n_ranked: int              # ranked cities among rows
    total_ranked: int          # ranked cities in the edition
    csv: bytes                 # export_frame(shown, rows, ...) as UTF-8 CSV


def _ranked_count(frame: pd.DataFrame) -> int:
    return int(frame["ranked"].fillna(False).astype(bool).sum())


@memo
def ranking_view(data: IndexData, bands: pd.DataFrame, edition: int, region: str | None, group: str,
                 show_unranked: bool, lang: str = "en") -> RankingView:
    """The page's view, built once per process and key (explorer.perf.memo.memo: the shared IndexData and rank
    bands by identity, both read-only for the life of the process). `region` is a region label (None = every
    region), `group` a GROUPS key."""
    from explorer.views.bands import band_column

    t = ranking_table(data, edition)
    table = t.assign(name=t["city_id"].map(city_names_of(data, lang)))
    rows = filter_ranking(table, region, group, show_unranked)
    shown = display_frame(rows, edition, show_unranked, lang)
    shown.insert(1, "band", band_column(bands, list(rows["city_id"]), edition))
    _ = translator(lang)
    pillars = {p: _(n) for p, n in data.pillar_names.items()}
    csv = export_frame(shown, rows, pillars, lang).to_csv(index=False).encode("utf-8")
    return RankingView(table=table, rows=rows, shown=shown, n_ranked=_ranked_count(rows),
                       total_ranked=_ranked_count(table), csv=csv)


@memo
def ranking_caption(view: RankingView, edition: int, show_unranked: bool, lang: str = "en") -> str:
    """The sentence above the ranking: how many of the edition's ranked cities the filters show (and the
    not-ranked ones), what the scores, the change and the likely rank mean."""
    _ = translator(lang)
    caption = _.ngettext("{n} of the {total} city ranked in {edition}", "{n} of the {total} cities ranked in {edition}",
                         view.total_ranked).format(n=view.n_ranked, total=view.total_ranked, edition=edition)
    if show_unranked:
        n_unranked = len(view.rows) - view.n_ranked
        caption += _.ngettext(", and {n} not-ranked reference city", ", and {n} not-ranked reference cities",
                              n_unranked).format(n=n_unranked)
    return caption + _(". Scores run from 0 to 100; change is since the previous edition. \"Likely\" is the range "
                       "the rank stays in for 90 % of 1,000 re-computations with other reasonable weights and methods "
                       "(see Methodology). Open a city's name for its profile, with every value and its source.")


@memo
def top_ranked(data: IndexData, edition: int, n: int | None = None, lang: str = "en") -> pd.DataFrame:
    """The edition's first `n` ranked cities (None: every ranked city) in rank order, a tie broken by city_id (not
    by name, so every language lists the same cities): ranking_table's columns, the name in `lang`, and `score`, the
    index score the ranking is by. The one selection of a top N: the home page's headline, presentation mode's
    chart and the static snapshots' ranking and cards all take theirs from here."""
    t = ranking_table(data, int(edition))
    ranked = t[t["ranked"].fillna(False).astype(bool)].sort_values(["rank", "city_id"], kind="stable")
    ranked = ranked if n is None else ranked.head(int(n))
    return ranked.assign(name=ranked["city_id"].map(city_names_of(data, lang)),
                         score=ranked["score_index"]).reset_index(drop=True)


def top_chart(data: IndexData, edition: int, n: int = 10, lang: str = "en", font: int = 22) -> alt.LayerChart:
    """The top `n` (top_ranked) as horizontal bars, best first, with large labels and the index score printed at
    the end of each bar (axis and tooltip titles in `lang`): presentation mode's chart."""
    _ = translator(lang)
    top = top_ranked(data, edition, n, lang)
    frame = pd.DataFrame({"rank": top["rank"].astype(int).to_numpy(), "city_id": top["city_id"].to_numpy(),
                          "name": top["name"].to_numpy(), "score": top["score"].round(1).to_numpy()})
    frame = frame.assign(label=[f"{r}. {name}" for r, name in zip(frame["rank"], frame["name"])])
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=None,
                axis=alt.Axis(labelFontSize=font, labelLimit=500, ticks=False)),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=_("Index score (0–100)"),
                axis=alt.Axis(labelFontSize=font - 6, titleFontSize=font - 6)),
        tooltip=[alt.Tooltip("name:N", title=_("City")), alt.Tooltip("rank:Q", title=_("Rank")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    )
    bars = base.mark_bar(color="#225ea8")
    text = base.mark_text(align="left", dx=6, fontSize=font, color="#111111").encode(
        text=alt.Text("score:Q", format=".1f"))
    return (bars + text).properties(height=max(240, 56 * len(frame)))


@dataclass(frozen=True)
class HeadlineView:
    """The home page's headline ranking of one (edition, language): the top n ranked cities (top_ranked) and the
    counts, shared read-only by every session of the process."""

    top: pd.DataFrame          # top_ranked(data, edition, n, lang)
    n_ranked: int
    n_unranked: int            # reference cities listed but not ranked


@memo
def headline_view(data: IndexData, edition: int, lang: str = "en", n: int = 20) -> HeadlineView:
    """The headline ranking, once per process and (edition, language, n)."""
    n_ranked = len(top_ranked(data, int(edition)))
    return HeadlineView(top=top_ranked(data, int(edition), n, lang), n_ranked=n_ranked,
                        n_unranked=len(ranking_table(data, int(edition))) - n_ranked)
