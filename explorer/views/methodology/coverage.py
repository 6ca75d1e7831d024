"""Indicator coverage per edition as the methodology page shows it: cdi_core.completeness counts (cities with a
measured value, a true zero, a below-threshold mark or no data, and the vintage of the values used); this module
only orders and names the rows, and lays out the focus cities' value years. Pure pandas, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from cdi_core import completeness
from cdi_core.completeness import FOCUS, focus_table
from explorer.text.i18n import translator

COUNT_COLUMNS = completeness.COUNT_COLUMNS


def indicator_coverage(indicators: pd.DataFrame, edition: int | None = None,
                       framework: pd.DataFrame | None = None) -> pd.DataFrame:
    """cdi_core.completeness.indicator_counts (one row per edition and indicator: cities by status and vintage, and
    the share with data), counted by cdi_core; with `framework`, in its indicator order with each indicator's name
    and pillar."""
    out = completeness.indicator_counts(indicators, edition)
    if framework is None:
        return out
    meta = framework[["indicator", "name", "pillar"]].reset_index(drop=True)
    meta = meta.assign(_order=range(len(meta)))
    return (out.merge(meta, on="indicator", how="left").sort_values(["edition", "_order"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def focus_recency(indicators: pd.DataFrame, sources: pd.DataFrame, absences: pd.DataFrame, framework: pd.DataFrame,
                  city_names: dict[str, str], edition: int, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """For the five focus cities in one edition: a grid (indicator rows, city columns) giving each value's data year,
    "below (year)" for a below-threshold mark or "no data", marked where no value from 2019 or later exists and the
    reason is documented; and the documented absences themselves (city, indicator, year used, reason, searched).
    The reasons are project-curated English text (data/curated/absences.csv) and are shown as written."""
    _ = translator(lang)
    f = focus_table(indicators, sources, absences, edition)

    def cell(r) -> str:
        text = (_("no data") if r.status == "missing"
                else _("below ({year})").format(year=r.year) if r.status == "below_threshold" else str(r.year))
        if r.recent:
            return text
        return _("{value} – see why below").format(value=text) if r.reason else _("{value} – undocumented").format(
            value=text)

    f["cell"] = [cell(r) for r in f.itertuples()]
    names = {i: _(n) for i, n in zip(framework["indicator"], framework["name"])}
    grid = (f.pivot(index="indicator", columns="city_id", values="cell")
            .reindex(index=list(framework["indicator"]), columns=FOCUS)
            .rename(columns=city_names).rename(index=names).rename_axis(index="indicator", columns=None)
            .reset_index())
    why = f[~f["recent"] & (f["reason"] != "")].assign(
        city=lambda d: d["city_id"].map(city_names), indicator_name=lambda d: d["indicator"].map(names))
    return grid, why[["city", "indicator_name", "year", "reason", "searched"]].reset_index(drop=True)
