"""The city profile page's view model: its tables, sentences and charts for one (city, edition, language), built once
per process (explorer.perf.memo) and shared read-only by every session. Pure pandas and Altair, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from explorer.data.store import FOCUS, IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import N_, fmt_date, fmt_number, fmt_percent, translator
from explorer.views.bands import band_text, bands_for
from explorer.views.city import tables as P
from explorer.views.metric import Metric, direction_of

PEERS = {"focus": N_("V4 capitals and Vienna"), "region": N_("Same region (ranked cities)")}
SW_COLUMNS = ["name", "value_year", "score"]


@dataclass(frozen=True)
class SideList:
    """One of the profile's side lists: the expander's label and key, the rows (with source columns), the sentence
    shown when there are none, and the columns to show with their headers (`helps`: header tooltips, `whole`:
    whole-number columns)."""

    key: str
    label: str
    frame: pd.DataFrame
    empty: str
    columns: tuple[str, ...]
    headers: dict[str, str]
    helps: dict[str, str] = field(default_factory=dict)
    whole: tuple[str, ...] = ()
    caption: str | None = None


@dataclass(frozen=True)
class PactNote:
    """The Pact of Free Cities membership in words, with its source line and link (None if no safe link)."""

    text: str
    notes: str
    source: str
    link: str | None


@dataclass(frozen=True)
class CityView:
    """The city page's derived data for one (city, edition, language)."""

    head: dict                       # explorer.views.city.tables.headline
    metrics: tuple[Metric, ...]      # rank, index score and (where known) data coverage
    band_caption: str | None         # "Rank 21, likely 17–26" (capitalised), None without a band or rank
    band_help: str | None            # its tooltip
    not_ranked_note: str | None      # why the city is not ranked in the edition
    first_edition_note: str | None   # the first edition has no change to show
    table: pd.DataFrame              # explorer.views.city.tables.indicator_table
    top: pd.DataFrame                # strengths (name, value_year, score)
    bottom: pd.DataFrame             # weaknesses (name, value_year, score)
    n_missing: int                   # indicators without data
    missing_note: str | None         # the sentence saying they are left out, not counted as zero
    trend: pd.DataFrame              # explorer.views.city.tables.trend
    trend_ranks: pd.DataFrame        # trend rows with a rank (float), for the rank chart
    trend_labels: tuple[str, ...]    # the trend's series labels in order
    trend_wide: pd.DataFrame         # editions x pillar names, scores (edition a column)
    documented: pd.DataFrame         # the project's notes on old or missing values, indicator names in the language
    twin_value_text: str | None      # the twin-city indicator's value when observed
    side: dict                       # twins, networks, pact, whc, g500, io (explorer.views.city.tables)
    pact: PactNote | None            # the Pact membership in words
    side_lists: tuple[SideList, ...]  # twins, networks, World Heritage, Global 500, organisations


def default_peers(city_id: str) -> str:
    """The peer set a city is compared with unless the link says otherwise."""
    return "focus" if city_id in FOCUS else "region"


def _metrics(head: dict, edition: int, lang: str) -> tuple[Metric, ...]:
    _ = translator(lang)
    if head["ranked"]:
        rc, sc = head["rank_change"], head["score_change"]
        n = head["n_ranked"]
        out = [Metric(_("Rank"), _("{rank} of {n_ranked}").format(rank=head["rank"], n_ranked=n),
                      delta=None if rc is None else (_("no change") if rc == 0 else P.places(rc, lang)),
                      direction=direction_of(rc),
                      help=_.ngettext("Rank among the {n_ranked} city ranked in {edition}; change since the previous "
                                      "edition (+ = moved up).",
                                      "Rank among the {n_ranked} cities ranked in {edition}; change since the "
                                      "previous edition (+ = moved up).", n).format(n_ranked=n, edition=edition)),
               Metric(_("Index score"), fmt_number(head["score"], lang, 1),
                      delta=None if sc is None else (_("no change") if round(sc, 1) == 0
                                                     else fmt_number(sc, lang, 1, sign=True)),
                      direction=direction_of(sc, 1),
                      help=_("0-100, the mean of the four pillar scores; change since the previous edition."))]
    else:
        out = [Metric(_("Rank"), _("not ranked")), Metric(_("Index score"), _("none"))]
    if head["coverage"] is not None:
        out.append(Metric(_("Data coverage"), fmt_percent(head["coverage"], lang, 0),
                          help=_("Share of the index's indicators with data.")))
    return tuple(out)


def _pact_note(pact: dict | None, lang: str) -> PactNote | None:
    if not pact:
        return None
    _ = translator(lang)
    when = pact["joined_date"]
    text = (_("Pact of Free Cities: {role}, joined {when} ({certainty})").format(
                role=pact["role"], when=fmt_date(when, lang) if when[:4].isdigit() and len(when) == 10 else when,
                certainty=pact["certainty"])
            + (f"; {pact['event']}" if pact["event"] and pact["event"] != "not found" else "")
            + ("; " + _("mayor at signing: {mayor}").format(mayor=pact["mayor"]) if pact["mayor"] else "") + ".")
    source = _("Source: {source} · {grade} · {licence}").format(source=pact["source"], grade=pact["grade"],
                                                                 licence=pact["licence"])
    return PactNote(text=text, notes=pact["notes"], source=source, link=pact["link"])


def _side_lists(side: dict, twin_value: str | None, lang: str) -> tuple[SideList, ...]:
    _ = translator(lang)
    twins, nets, whc, g500, io = side["twins"], side["networks"], side["whc"], side["g500"], side["io"]
    return (
        SideList("city_twins", _("Twin and partner cities ({n_twins} among the reference cities)").format(
                     n_twins=len(twins)), twins, _("No partner city among the reference cities."),
                 ("partner", "country_iso2", "start_year", "listed_in", "source", "grade", "link"),
                 {"partner": _("Partner"), "country_iso2": _("Country"), "start_year": _("Since"),
                  "listed_in": _("Listed in")}, helps={"start_year": _("Blank: not known")},
                 caption=None if twin_value is None else _(
                     "The indicator counts {value_text}; this list shows the partners that are among the index's "
                     "reference cities.").format(value_text=twin_value)),
        SideList("city_networks", _("City networks ({n_nets})").format(n_nets=len(nets)), nets,
                 _("No membership recorded in the networks the index follows."),
                 ("network", "role", "since", "source", "grade", "licence", "link"),
                 {"network": _("Network"), "role": _("Role"), "since": _("Since")}),
        SideList("city_whc", _("World Heritage properties within 25 km ({n_whc})").format(n_whc=len(whc)), whc,
                 _("None within 25 km (the UNESCO list is complete, so this is a true zero)."),
                 ("name_en", "date_inscribed", "distance_km", "source", "grade", "licence", "link"),
                 {"name_en": _("Property"), "date_inscribed": _("Inscribed"), "distance_km": _("Distance (km)")}),
        SideList("city_g500", _("Fortune Global 500 headquarters ({n_g500})").format(n_g500=len(g500)), g500,
                 _("None in the latest list year with a published count (a true zero only where the count is "
                   "published: a country's counts are withheld while any of its firms has no known headquarters)."),
                 ("company", "year", "hq_town", "source", "grade", "link"),
                 {"company": _("Company"), "year": _("List year"), "hq_town": _("Headquarters town")},
                 whole=("year",)),
        SideList("city_org_seats", _("International organisations seated ({n_io})").format(n_io=len(io)), io,
                 _("None recorded."),
                 ("organisation", "acronym", "type", "counted_from", "counted_until", "source", "grade", "link"),
                 {"organisation": _("Organisation"), "acronym": _("Acronym"), "type": _("Type"),
                  "counted_from": _("From"), "counted_until": _("Until")}),
    )


def _band(bands: pd.DataFrame, head: dict, city_id: str, edition: int, lang: str) -> tuple[str | None, str | None]:
    if not head["ranked"]:
        return None, None
    band = bands_for(bands, edition)
    if city_id not in band.index:
        return None, None
    _ = translator(lang)
    b = band.loc[city_id]
    return (band_text(head["rank"], b["rank_low"], b["rank_high"], lang).capitalize(),
            _("The rank stays in this range in 90 % of {runs} re-computations of the index with other "
              "reasonable weights, normalisations, aggregations and missing-data rules (see "
              "Methodology). Median rank over the runs: {median}.").format(
                runs=fmt_number(int(b["n_runs"]), lang, 0), median=int(b["rank_median"])))


@memo
def city_view(data: IndexData, bands: pd.DataFrame, city_id: str, edition: int, lang: str = "en") -> CityView:
    """The page's view (the shared IndexData and rank bands by identity, both read-only for the process)."""
    _ = translator(lang)
    head = P.headline(data, city_id, edition, lang)
    band_caption, band_help = _band(bands, head, city_id, edition, lang)
    table = P.indicator_table(data, city_id, edition, lang)
    top, bottom = P.strengths_weaknesses(table)
    n_missing = int((table["status"] == "missing").sum())
    tr = P.trend(data, city_id, lang)
    wide = tr.pivot(index="edition", columns="pillar_name", values="score")
    wide = wide[[c for c in dict.fromkeys(tr["pillar_name"]) if c in wide.columns]].reset_index()
    wide.columns.name = None
    ab = data.absences
    documented = ab[(ab["city_id"] == city_id) & (ab["edition"].astype(int) == edition)]
    names_by_id = dict(zip(data.framework["indicator"], data.framework["name"]))
    documented = documented.assign(indicator=documented["indicator"].map(lambda i: _(names_by_id.get(i, i))))
    twin_row = table[table["indicator"] == "twin_cities"]
    twin_value = (str(twin_row.iloc[0]["value_text"]) if not twin_row.empty and twin_row.iloc[0]["status"] == "observed"
                  else None)
    side = {"twins": P.twin_cities(data, city_id, lang), "networks": P.networks(data, city_id, lang),
            "pact": P.pact_membership(data, city_id, lang), "whc": P.heritage_sites(data, city_id, lang),
            "g500": P.global500(data, city_id, lang), "io": P.org_seats(data, city_id, lang)}
    return CityView(
        head=head, metrics=_metrics(head, edition, lang), band_caption=band_caption, band_help=band_help,
        not_ranked_note=None if head["ranked"] else _(
            "Not ranked in {edition}: {x}. Pillar scores and indicator values below are shown where they exist."
        ).format(edition=edition, x=_(head["reason"]).split(": ", 1)[-1]),
        first_edition_note=_("{edition} is the first edition, so there is no change to show.").format(
            edition=edition) if head["first_edition"] else None,
        table=table, top=top[SW_COLUMNS], bottom=bottom[SW_COLUMNS], n_missing=n_missing,
        missing_note=_.ngettext(
            "{n_missing} of {n_table} indicators has no data for this city: it is left out of its pillar means, "
            "not counted as zero.",
            "{n_missing} of {n_table} indicators have no data for this city: they are left out of its pillar "
            "means, not counted as zero.", n_missing).format(n_missing=n_missing, n_table=len(table))
        if n_missing else None,
        trend=tr, trend_ranks=tr.dropna(subset=["rank"]).astype({"rank": "float64"}),
        trend_labels=tuple(dict.fromkeys(tr["label"])), trend_wide=wide, documented=documented,
        twin_value_text=twin_value, side=side, pact=_pact_note(side["pact"], lang),
        side_lists=_side_lists(side, twin_value, lang))


# --- charts (Altair builders for explorer.widgets.charts.spec) ------------------------------------------------------

def peers_chart(vs: pd.DataFrame, lang: str) -> alt.LayerChart:
    """The city's index and pillar scores beside the peer median (explorer.views.city.tables.pillar_vs_peers)."""
    _ = translator(lang)
    series_order = list(dict.fromkeys(vs["series"]))
    bars = alt.Chart(vs.dropna(subset=["score"])).encode(
        y=alt.Y("label:N", sort=list(dict.fromkeys(vs["label"])), title=None, axis=alt.Axis(labelLimit=140)),
        yOffset=alt.YOffset("series:N", sort=series_order),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=_("Score (0-100)")),
        color=alt.Color("series:N", title=None, sort=series_order, legend=alt.Legend(orient="top", columns=2)),
        tooltip=[alt.Tooltip("series:N", title=_("Series")), alt.Tooltip("pillar_name:N", title=_("Pillar")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    )
    return (bars.mark_bar() + bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("score:Q", format=".0f"), color=alt.value("#555"))).properties(height=280)


def trend_scores_chart(trend: pd.DataFrame, labels: tuple[str, ...], lang: str) -> alt.Chart:
    """The index and pillar scores over the editions, a line per score (CityView.trend)."""
    _ = translator(lang)
    return alt.Chart(trend.dropna(subset=["score"])).mark_line(point=True).encode(
        x=alt.X("edition:O", title=_("Edition")),
        y=alt.Y("score:Q", title=_("Score (0-100)"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("label:N", title=None, sort=list(labels), legend=alt.Legend(orient="top", columns=2)),
        tooltip=[alt.Tooltip("pillar_name:N", title=_("Score")), alt.Tooltip("edition:O", title=_("Edition")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    ).properties(height=300)


def trend_ranks_chart(ranks: pd.DataFrame, labels: tuple[str, ...], lang: str) -> alt.Chart:
    """The index and pillar ranks over the editions (1 at the top), a line per rank (CityView.trend_ranks)."""
    _ = translator(lang)
    return alt.Chart(ranks).mark_line(point=True).encode(
        x=alt.X("edition:O", title=_("Edition")),
        y=alt.Y("rank:Q", title=_("Rank (1 = top)"), scale=alt.Scale(reverse=True, zero=False)),
        color=alt.Color("label:N", title=None, sort=list(labels), legend=alt.Legend(orient="top", columns=2)),
        tooltip=[alt.Tooltip("pillar_name:N", title=_("Rank")), alt.Tooltip("edition:O", title=_("Edition")),
                 alt.Tooltip("rank:Q", title=_("Rank"), format="d")],
    ).properties(height=300)
