"""Tables for the Methodology & data page, shaped for as few and as small page elements as possible: the sources of
every indicator's values in one table (instead of one table per indicator), the list of downloadable files (one
picker instead of a button per file), and the columns each table shows. Pure (no Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explorer.perf.memo import memo
from explorer.text.grades import grade_text
from explorer.text.i18n import city_names_of, translator
from explorer.text.markdown import plain
from explorer.views.methodology import notes as mn
from explorer.views.methodology.coverage import focus_recency, indicator_coverage

# the columns each table shows, in order: the page sends only these to the browser
FRAMEWORK_COLUMNS = ("pillar_name", "name", "definition", "unit", "direction_text", "weight", "transform_text",
                     "winsorisation", "goalpost_low_raw", "goalpost_high_raw", "value_years")
SOURCES_BY_INDICATOR_COLUMNS = ("name", "title", "producer", "grade", "licence", "attribution", "link", "values")
COVERAGE_COLUMNS = ("name", "observed", "zero", "below_threshold", "missing", "with_data_pct", "current",
                    "carried_forward", "later_vintage")
AUDIT_PILLAR_COLUMNS = ("pillar_name", "n_indicators", "n_complete", "cronbach_alpha", "flags")
AUDIT_INDICATOR_COLUMNS = ("name", "pillar_name", "drop_one_mean_abs_rank_change", "drop_one_max_abs_rank_change",
                           "drop_one_n_cities", "r_pillar", "r_index", "skew", "kurtosis", "skew_flag")
SOURCES_COLUMNS = ("title", "producer", "grade", "licence", "attribution", "link", "retrieved", "year", "source_id")

PARQUET_MIME = "application/vnd.apache.parquet"


@memo
def shown(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Only the columns a table shows (those the frame has), in that order: one frame per shared frame and columns,
    so the page's table is converted once (explorer.widgets.tables.table)."""
    return frame[[c for c in columns if c in frame.columns]]


@memo
def framework_view(framework: pd.DataFrame, indicators: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """method_notes.framework_table in the language, with the framework's pillar names, indicator names, units and
    definitions through the catalogue, and `value_years` (the years of the values the editions use, "" if none)."""
    _ = translator(lang)
    fw = mn.framework_table(framework, lang)  # shared and read-only: derive, never assign into it
    return fw.assign(
        **{col: [_(str(v)) if isinstance(v, str) and v else v for v in fw[col]]
           for col in ("pillar_name", "name", "unit", "definition")},
        value_years=fw["indicator"].map(mn.value_years(indicators)).fillna(""))


@memo
def framework_summary(framework: pd.DataFrame, lang: str = "en") -> str:
    """method_notes.framework_summary, escaped for st.write: the same sentence for every session of a language."""
    return plain(mn.framework_summary(framework, lang))


@dataclass(frozen=True)
class IndicatorNote:
    """One indicator's expander on the page: the indicator's id (its expander's key), its label, the four
    paragraphs (markdown) and the caption line."""

    indicator: str
    label: str
    body: str
    caption: str


@memo
def indicator_notes(framework: pd.DataFrame, indicators: pd.DataFrame, lang: str = "en") -> tuple[IndicatorNote, ...]:
    """Every indicator's definition, counting rule, zero/missing/threshold rule and years, in framework order and the
    language, as the page shows them; once per process and language."""
    _ = translator(lang)
    notes = []
    for rec in framework_view(framework, indicators, lang).itertuples(index=False):
        body = "\n\n".join([
            plain(rec.definition),
            _("**How it is counted.** {x}").format(x=plain(rec.rule)),
            _("**Zero, missing, below threshold.** {x}").format(x=plain(rec.zero)),
            _("**Years.** {x} Years of the values used: {x2}.").format(
                x=plain(rec.years), x2=plain(rec.value_years or _("none")))])
        caption = _("Unit: {x}. Direction: {x2}. Transform: {x3}. Goalposts: {goalpost_low_raw:.4g} "
                    "to {goalpost_high_raw:.4g}. Winsorisation: {winsorisation}.").format(
            x=plain(rec.unit), x2=plain(rec.direction_text), x3=plain(rec.transform_text),
            goalpost_low_raw=rec.goalpost_low_raw, goalpost_high_raw=rec.goalpost_high_raw,
            winsorisation=rec.winsorisation)
        notes.append(IndicatorNote(rec.indicator, f"{plain(rec.name)} ({plain(rec.pillar_name)})", body, caption))
    return tuple(notes)


@memo
def sources_by_indicator(indicators: pd.DataFrame, sources: pd.DataFrame, framework: pd.DataFrame,
                         lang: str = "en") -> pd.DataFrame:
    """method_notes.indicator_sources of every indicator in one table, in framework order, with the indicator's id
    and name first: the rows are exactly those of the per-indicator tables; the grade in words, in the language."""
    parts = [mn.indicator_sources(indicators, sources, ind).assign(indicator=ind, name=name)
             for ind, name in zip(framework["indicator"], framework["name"])]
    parts = [p for p in parts if len(p)]  # an indicator without a usable value adds no row (nor an object dtype)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["source_id", "title", "producer", "grade", "licence", "attribution", "link", "values", "indicator",
                 "name"])
    out["grade"] = [grade_text(g, lang) for g in out["grade"]]
    return out[["indicator", "name", "source_id", "title", "producer", "grade", "licence", "attribution", "link",
                "values"]]


@dataclass(frozen=True)
class Download:
    """One downloadable file: the name shown, the table it holds (None for the manifest), its format, its row
    count when the manifest gives one, and the file name it is saved under."""

    label: str
    table: str | None
    kind: str            # "parquet", "csv" or "manifest"
    rows: int | None
    file_name: str
    mime: str


def downloads(tables: list[str] | tuple[str, ...], parquet_only: list[str] | tuple[str, ...],
              row_counts: dict[str, int], fallback_rows: dict[str, int] | None = None) -> list[Download]:
    """Every published file the page offers, in the page's order: each of `tables` as Parquet and CSV, each of
    `parquet_only` present in the manifest's row counts as Parquet, then the manifest. `fallback_rows` gives the
    row count of a table the manifest does not count."""
    fallback_rows = fallback_rows or {}
    out: list[Download] = []
    for t in tables:
        rows = row_counts.get(t, fallback_rows.get(t))
        rows = None if rows is None else int(rows)
        out.append(Download(f"{t}.parquet", t, "parquet", rows, f"cdi_{t}.parquet", PARQUET_MIME))
        out.append(Download(f"{t}.csv", t, "csv", rows, f"cdi_{t}.csv", "text/csv"))
    for t in parquet_only:
        if t in row_counts:
            out.append(Download(f"{t}.parquet", t, "parquet", int(row_counts[t]), f"cdi_{t}.parquet", PARQUET_MIME))
    out.append(Download("manifest.json", None, "manifest", None, "cdi_manifest.json", "application/json"))
    return out


@memo
def file_bytes(data, f: Download) -> bytes:
    """The bytes of one downloadable file, read (or, for CSV, converted) once per process on the first download:
    the page's download button asks for them only when clicked."""
    if f.kind == "manifest":
        return mn.manifest_bytes(data.index_dir)
    if f.kind == "parquet":
        return mn.parquet_bytes(data.index_dir, f.table)
    return mn.csv_bytes(data.index_dir, f.table)


@memo
def coverage(data, edition: int) -> pd.DataFrame:
    """explorer.views.methodology.coverage.indicator_coverage of one edition, in framework order with the indicators'
        names."""
    return indicator_coverage(data.indicators, edition=edition, framework=data.framework)


@memo
def focus(data, edition: int, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """explorer.views.methodology.coverage.focus_recency of one edition with the cities' names in the language."""
    return focus_recency(data.indicators, data.sources, data.absences, data.framework, city_names_of(data, lang),
                         edition, lang)


@memo
def audit_pillars(data, audit_pillars: pd.DataFrame, edition: int) -> pd.DataFrame:
    """The edition's rows of the published audit_pillars table with the pillars' names."""
    names = data.pillar_names
    return audit_pillars[audit_pillars["edition"] == edition].assign(pillar_name=lambda f: f["pillar"].map(names))


@memo
def audit_indicators(data, audit_indicators: pd.DataFrame, edition: int) -> pd.DataFrame:
    """The edition's rows of the published audit_indicators table with the indicators' and pillars' names, the
    largest mean drop-one rank change first."""
    names_by_ind = dict(zip(data.framework["indicator"], data.framework["name"]))
    names = data.pillar_names
    aie = audit_indicators[audit_indicators["edition"] == edition].assign(
        name=lambda f: f["indicator"].map(names_by_ind), pillar_name=lambda f: f["pillar"].map(names))
    return aie.sort_values("drop_one_mean_abs_rank_change", ascending=False, na_position="last")


@memo
def sources_view(sources: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Every source with `link` (its URL when http(s), else None) and its grade in words, in the language."""
    return sources.assign(link=[u if str(u or "").lower().startswith(("https://", "http://")) else None
                                for u in sources["url"]],
                          grade=[grade_text(g, lang) for g in sources["grade"]])
