"""The city profile page's derived tables, once per process and (city, edition, language). No Streamlit.

Why: every run of the city page re-derived the same frames from the shared, read-only IndexData: strengths and
weaknesses (two sorts), the trend's rank frame and wide table (a pivot), the documented absences (a filter over all
cities), the twin-city indicator row, and a private copy of each explorer.views.profile result. All of it is the same
for every session of a process, so `city_view` builds it once per key and hands every session the same object.
The frames in it are read-only by contract: the page only reads them (and hands them to explorer.widgets.tables and
explorer.widgets.charts, which convert them on a cache miss only).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explorer.data.store import IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import fmt_number, translator
from explorer.views import profile as P
from explorer.views.bands import band_text, bands_for


@dataclass(frozen=True)
class CityView:
    """The city page's derived data for one (city, edition, language)."""

    head: dict                       # explorer.views.profile.headline
    band_caption: str | None         # "Rank 21, likely 17–26" (capitalised), None without a band or rank
    band_help: str | None            # its tooltip
    table: pd.DataFrame              # explorer.views.profile.indicator_table
    top: pd.DataFrame                # strengths (name, value_year, score)
    bottom: pd.DataFrame             # weaknesses (name, value_year, score)
    n_missing: int                   # indicators without data
    trend: pd.DataFrame              # explorer.views.profile.trend
    trend_ranks: pd.DataFrame        # trend rows with a rank (float), for the rank chart
    trend_labels: tuple[str, ...]    # the trend's series labels in order
    trend_wide: pd.DataFrame         # editions x pillar names, scores
    documented: pd.DataFrame         # the project's notes on old or missing values, indicator names in the language
    twin_value_text: str | None      # the twin-city indicator's value when observed
    side: dict                       # twins, networks, pact, whc, g500, io (explorer.views.profile)


SW_COLUMNS = ["name", "value_year", "score"]

@memo
def city_view(data: IndexData, bands: pd.DataFrame, city_id: str, edition: int, lang: str = "en") -> CityView:
    """The page's view, built once per process and key (explorer.perf.memo.memo: the shared IndexData and rank
    bands by identity, both read-only for the life of the process)."""
    _ = translator(lang)
    head = P.headline(data, city_id, edition, lang)
    band_caption = band_help = None
    if head["ranked"]:
        band = bands_for(bands, edition)
        if city_id in band.index:
            b = band.loc[city_id]
            band_caption = band_text(head["rank"], b["rank_low"], b["rank_high"], lang).capitalize()
            band_help = _("The rank stays in this range in 90 % of {runs} re-computations of the index with other "
                          "reasonable weights, normalisations, aggregations and missing-data rules (see "
                          "Methodology). Median rank over the runs: {median}.").format(
                runs=fmt_number(int(b["n_runs"]), lang, 0), median=int(b["rank_median"]))
    table = P.indicator_table(data, city_id, edition, lang)
    top, bottom = P.strengths_weaknesses(table)
    tr = P.trend(data, city_id, lang)
    wide = tr.pivot(index="edition", columns="pillar_name", values="score")
    wide = wide[[c for c in dict.fromkeys(tr["pillar_name"]) if c in wide.columns]]
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
    return CityView(head=head, band_caption=band_caption, band_help=band_help, table=table,
                    top=top[SW_COLUMNS], bottom=bottom[SW_COLUMNS], n_missing=int((table["status"] == "missing").sum()),
                    trend=tr, trend_ranks=tr.dropna(subset=["rank"]).astype({"rank": "float64"}),
                    trend_labels=tuple(dict.fromkeys(tr["label"])), trend_wide=wide, documented=documented,
                    twin_value_text=twin_value, side=side)
