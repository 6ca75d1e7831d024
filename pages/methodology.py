"""Methodology & data: the framework, every indicator's definition and rule, how zero / missing / below-threshold
are treated, indicator coverage per edition, the uncertainty analysis and statistical audit, sources and licences,
downloads, and the data version.

URL: /methodology?edition=YYYY (the edition of the coverage table and of the audit)
"""

from __future__ import annotations

from functools import partial

import altair as alt
import streamlit as st

from explorer import method_notes as mn
from explorer.coverage import focus_recency, indicator_coverage
from explorer.data import TABLES, get_index
from explorer.present import exit_button, presenting
from explorer.robust import ROBUST_TABLES, get_robust
from explorer.ui import city_names_map, edition_control, footer, nf, num, page_setup, pct, plain, styled
from explorer.whatchanged import CHANGE_TABLES

data = get_index()
lang, _ = page_setup()
if presenting():  # no presentation view of its own: offer the way back to the normal page
    exit_button()
rules = data.manifest.get("spec", {}).get("rules", {})
coverage_min = float(rules.get("coverage_min", 0.65))
n_ind = len(data.framework)


@st.cache_data(show_spinner=False)
def _parquet(table: str) -> bytes:
    return mn.parquet_bytes(get_index().index_dir, table)


@st.cache_data(show_spinner=False)
def _csv(table: str) -> bytes:
    return mn.csv_bytes(get_index().index_dir, table)


@st.cache_data(show_spinner=False)
def _manifest() -> bytes:
    return mn.manifest_bytes(get_index().index_dir)


@st.cache_data(show_spinner=False)
def _coverage(edition: int):
    d = get_index()
    return indicator_coverage(d.indicators, edition=edition, framework=d.framework)


st.title(_("Methodology & data"))
st.write(_("The City Diplomacy Index follows the OECD/JRC Handbook on Constructing "
            "Composite Indicators: a declared framework of indicators, each transformed, "
            "normalised to 0–100 and averaged into four pillars and the index. Everything on "
            "this page is read from the published data files, which you can download below."))

# --- framework ----------------------------------------------------------------------------------------------------
st.header(_("Framework"))
pillars = data.framework.drop_duplicates("pillar")[["pillar_name", "pillar_weight"]]
n_per = data.framework.groupby("pillar", sort=False).size()
st.write(f"{len(pillars)} pillars, {n_ind} indicators. " + "; ".join(
    f"{plain(name)}: {n_per.iloc[i]} indicators, weight {w:g}" for i, (name, w) in enumerate(
        zip(pillars["pillar_name"], pillars["pillar_weight"]))) + ".")

fw = mn.framework_table(data.framework)
years = mn.value_years(data.indicators)
fw["value_years"] = fw["indicator"].map(years).fillna("")
st.dataframe(
    styled(fw, lang), hide_index=True,
    column_order=["pillar_name", "name", "definition", "unit", "direction_text", "weight", "transform_text",
                  "winsorisation", "goalpost_low_raw", "goalpost_high_raw", "value_years"],
    column_config={
        "pillar_name": _("Pillar"), "name": _("Indicator"), "definition": st.column_config.TextColumn(_("Definition"),
                                                                                              width="large"),
        "unit": _("Unit"), "direction_text": _("Direction"), "weight": st.column_config.NumberColumn(_("Weight"), format="%g"),
        "transform_text": _("Transform"), "winsorisation": _("Winsorisation"),
        "goalpost_low_raw": st.column_config.NumberColumn(
            _("Scores 0 at"), format=nf("%.4g", lang), help=_("Lower goalpost, in the indicator's unit (fixed across editions)")),
        "goalpost_high_raw": st.column_config.NumberColumn(
            _("Scores 100 at"), format=nf("%.4g", lang), help=_("Upper goalpost, in the indicator's unit (fixed across editions)")),
        "value_years": st.column_config.TextColumn(_("Years of values"), help=_("Years of the values the editions use")),
    },
)

st.subheader(_("Each indicator: rule, zero and threshold, years, sources"))
for rec in fw.itertuples(index=False):
    with st.expander(f"{plain(rec.name)} ({plain(rec.pillar_name)})"):
        st.write(plain(rec.definition))
        st.write(_("**How it is counted.** {x}").format(x=plain(rec.rule)))
        st.write(_("**Zero, missing, below threshold.** {x}").format(x=plain(rec.zero)))
        st.write(_("**Years.** {x} Years of the values used: {x2}.").format(x=plain(rec.years), x2=plain(rec.value_years or 'none')))
        st.caption(_("Unit: {x}. Direction: {x2}. Transform: {x3}. Goalposts: {goalpost_low_raw:.4g} "
                      "to {goalpost_high_raw:.4g}. Winsorisation: {winsorisation}.").format(x=plain(rec.unit), x2=plain(rec.direction_text), x3=plain(rec.transform_text), goalpost_low_raw=rec.goalpost_low_raw, goalpost_high_raw=rec.goalpost_high_raw, winsorisation=rec.winsorisation))
        st.dataframe(
            styled(mn.indicator_sources(data.indicators, data.sources, rec.indicator), lang), hide_index=True,
            column_order=["title", "producer", "licence", "attribution", "link", "values"],
            column_config={"title": _("Source"), "producer": _("Producer"), "licence": _("Licence"),
                           "attribution": _("Attribution"),
                           "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
                           "values": st.column_config.NumberColumn(_("Values citing it"), format="%d")},
        )

# --- rules --------------------------------------------------------------------------------------------------------
st.header(_("Rules"))
st.markdown(_("\n- **Which value an edition uses.** Edition Y takes each indicator's latest "
               "measured value with a year up to Y\n  (shown as *current* when the year is Y, "
               "*carried forward* when it is older). A measured value, even an older one,\n  "
               "beats a below-threshold mark. Only if the city has neither up to Y is the "
               "earliest later value used, flagged\n  *later vintage* (\"value from 2024\"): the "
               "one imputation rule of this version. Every value shows its own year.\n- **Zero, "
               "missing and below threshold are different.** A complete list (Global 500, C40, "
               "UNESCO lists, Lowy's posts\n  of its senders) makes absence a true **0**. A "
               "top-N list (Euromonitor top 100, ICCA top 10/20, the GaWC 2024 list)\n  makes "
               "absence **below the list's threshold**: scored at the lower goalpost and "
               "flagged, never counted as 0.\n  Anything else is **no data**: it is left "
               "missing, not imputed.\n- **Coverage.** A city is ranked in an edition when it "
               "has data (a below-threshold mark counts) for at least\n  {coverage_min} of the "
               "{n_ind} indicators and for at least one indicator in every pillar. Other cities "
               "are\n  listed as not ranked, with the reason; their pillar scores are still "
               "published.\n- **Transformation.** Heavy-tailed counts are log-transformed, log(1 "
               "+ x) (see the Transform column).\n- **Winsorisation.** On the pool of distinct "
               "values any edition uses, the most extreme value is capped, one at a\n  time and "
               "at most {x} per indicator, while |skewness| >\n  {x2:g} and kurtosis > {x3:g}.\n- "
               "**Normalisation.** Min-max to 0–100 with goalposts fixed across all editions "
               "(the pooled minimum and maximum after\n  treatment), so a score can be compared "
               "from year to year. 100 = most international.\n- **Aggregation.** A pillar is the "
               "arithmetic mean of the indicator scores the city has (missing ones are left "
               "out,\n  weights renormalised); the index is the arithmetic mean of the four "
               "pillars, all weights equal. Only ranked cities\n  get an index score.\n- "
               "**Ranks.** Among ranked cities, per edition and pillar; ties share the better "
               "rank. The change is measured against\n  the previous edition (+ = moved up).\n").format(coverage_min=pct(coverage_min, lang, 0), n_ind=n_ind, x=int(rules.get('winsor_max_points', 5)), x2=float(rules.get('skew_max', 2.0)), x3=float(rules.get('kurtosis_max', 3.5))))

# --- coverage -----------------------------------------------------------------------------------------------------
st.header(_("Indicator coverage"))
edition = edition_control(data, key="method_edition", lang=lang)
cov = _coverage(edition)
st.write(_("Of the {x} reference cities in the {edition} edition, how many have a measured "
            "value (and how many of those are a true 0), a below-threshold mark, or no data, "
            "per indicator; and how old the values used are.").format(x=int(cov['cities'].max()), edition=edition))
st.dataframe(
    styled(cov, lang), hide_index=True,
    column_order=["name", "observed", "zero", "below_threshold", "missing", "with_data_pct", "current",
                  "carried_forward", "later_vintage"],
    column_config={
        "name": _("Indicator"),
        "observed": st.column_config.NumberColumn(_("Measured"), format="%d"),
        "zero": st.column_config.NumberColumn(_("of which 0"), format="%d", help=_("a true zero of a complete list")),
        "below_threshold": st.column_config.NumberColumn(_("Below threshold"), format="%d"),
        "missing": st.column_config.NumberColumn(_("No data"), format="%d"),
        "with_data_pct": st.column_config.ProgressColumn(_("With data"), min_value=0, max_value=100, format="%.0f%%"),
        "current": st.column_config.NumberColumn(_("Value of the edition's year"), format="%d"),
        "carried_forward": st.column_config.NumberColumn(_("Carried forward"), format="%d"),
        "later_vintage": st.column_config.NumberColumn(_("Later vintage"), format="%d"),
    },
)

# --- completeness for the focus cities -----------------------------------------------------------------------------
st.subheader(_("The V4 capitals and Vienna: how recent is each value?"))
names = city_names_map(data, lang)
grid, why = focus_recency(data.indicators, data.sources, data.absences, data.framework,
                          names, edition, lang)
st.write(_("The data year of each value the {edition} edition uses for the five focus cities. Where no value from "
           "2019 or later exists, the project searched for one; the reason none could be used is listed below the "
           "table. The counts for all cities before and after the project's own curated facts are in "
           "docs/completeness/ in the repository.").format(edition=edition))
st.dataframe(grid, hide_index=True, column_config={"indicator": _("Indicator")})
if len(why):
    st.markdown("**" + _("Why there is no value from 2019 or later") + "**")
    st.caption(_("The reasons are the project's own notes and are shown in English."))
    st.dataframe(why, hide_index=True, column_config={
        "city": _("City"), "indicator_name": _("Indicator"),
        "year": st.column_config.NumberColumn(_("Year of the value used"), format="%d"),
        "reason": st.column_config.TextColumn(_("Reason"), width="large"),
        "searched": st.column_config.TextColumn(_("Searched"), width="medium")})

# --- robustness: uncertainty and audit -----------------------------------------------------------------------------
st.header(_("How robust are the ranks?"))
robust = get_robust()
mc = data.manifest.get("uncertainty", {})
st.write(_("**Uncertainty.** The index was recomputed {x} times (seed {x2}), each time "
            "drawing every indicator and pillar weight between 75 % and 125 % of its "
            "official value, the normalisation (min-max, z-score or percentile rank), the "
            "aggregation (arithmetic, or geometric on 1-100) and the missing-data rule "
            "(leave out, or the edition's median). Every rank in the explorer is shown with "
            "its likely range: the 5 % to 95 % band of the ranks over these runs. The runs "
            "reuse the index's own computation, so the bands reflect only these method "
            "choices.").format(x=num(int(mc.get('runs', 1000)), lang, 0), x2=mc.get('seed', '')))
names_by_ind = dict(zip(data.framework["indicator"], data.framework["name"]))
pillar_names = data.pillar_names
ap = robust.tables["audit_pillars"]
ai = robust.tables["audit_indicators"]
ac = robust.tables["audit_correlations"]
if ap.empty or ai.empty or ac.empty:
    st.info(_("The audit tables are not in this data release."))
else:
    st.subheader(_("Statistical coherence, {edition}").format(edition=edition))
    st.write(_("Over the cities ranked in the edition, on the normalised scores. Cronbach's "
                "alpha measures whether a pillar's indicators move together (0.7 or more is the "
                "usual bar); flagged are indicator pairs correlated above 0.9 within a pillar "
                "(redundant) and indicators correlated negatively with their own pillar."))
    ape = ap[ap["edition"] == edition].assign(pillar_name=lambda f: f["pillar"].map(pillar_names))
    st.dataframe(styled(ape, lang), hide_index=True,
                 column_order=["pillar_name", "n_indicators", "n_complete", "cronbach_alpha", "flags"],
                 column_config={"pillar_name": _("Pillar"), "n_indicators": st.column_config.NumberColumn(
                     _("Indicators"), format="%d"), "n_complete": st.column_config.NumberColumn(
                     _("Cities with every indicator"), format="%d", help=_("Alpha uses these cities")),
                     "cronbach_alpha": st.column_config.NumberColumn(_("Cronbach's alpha"), format=nf("%.2f", lang)),
                     "flags": _("Flags")})
    pillar_ids = list(dict.fromkeys(data.framework["pillar"]))
    which = st.selectbox(_("Correlations within the pillar"), pillar_ids, format_func=pillar_names.get,
                         key="method_audit_pillar")
    heat = ac[(ac["edition"] == edition) & (ac["pillar"] == which) & (ac["kind"] == "indicator-indicator")].assign(
        a=lambda f: f["var_a"].map(names_by_ind), b=lambda f: f["var_b"].map(names_by_ind))
    order = [names_by_ind[i] for i in data.framework["indicator"] if i in set(heat["var_a"])]
    base = alt.Chart(heat).encode(
        x=alt.X("a:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, labelAngle=-30, labelOverlap=False)),
        y=alt.Y("b:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, labelOverlap=False)))
    st.altair_chart((base.mark_rect().encode(
        color=alt.Color("r:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue"), title=_("Correlation")),
        tooltip=[alt.Tooltip("a:N", title=_("Indicator")), alt.Tooltip("b:N", title="with"),
                 alt.Tooltip("r:Q", title="r", format=".2f"), alt.Tooltip("n:Q", title=_("Cities"), format="d")])
        + base.mark_text(fontSize=12).encode(
            text=alt.Text("r:Q", format=".2f"),
            color=alt.condition("abs(datum.r) > 0.6", alt.value("white"), alt.value("black")))).properties(
        height=alt.Step(44)), width="stretch", height=120 + 44 * len(order))
    st.subheader(_("Each indicator's weight in the ranking, {edition}").format(edition=edition))
    st.write(_("Dropping one indicator at a time and recomputing the index: how many places a "
                "city's rank moves on average (and at most). Also each indicator's correlation "
                "with its pillar and with the index, and its skewness and kurtosis after "
                "treatment (flagged where the winsorisation rule's thresholds are still "
                "exceeded). A large drop-one change on few cities means that, without the "
                "indicator, many cities would no longer have enough data to be ranked."))
    aie = ai[ai["edition"] == edition].assign(name=lambda f: f["indicator"].map(names_by_ind),
                                              pillar_name=lambda f: f["pillar"].map(pillar_names))
    aie = aie.sort_values("drop_one_mean_abs_rank_change", ascending=False, na_position="last")
    st.dataframe(styled(aie, lang), hide_index=True,
                 column_order=["name", "pillar_name", "drop_one_mean_abs_rank_change", "drop_one_max_abs_rank_change",
                               "drop_one_n_cities", "r_pillar", "r_index", "skew", "kurtosis", "skew_flag"],
                 column_config={
                     "name": _("Indicator"), "pillar_name": _("Pillar"),
                     "drop_one_mean_abs_rank_change": st.column_config.NumberColumn(
                         _("Mean rank change if dropped"), format=nf("%.1f", lang)),
                     "drop_one_max_abs_rank_change": st.column_config.NumberColumn(_("Largest change"), format="%d"),
                     "drop_one_n_cities": st.column_config.NumberColumn(
                         _("Cities ranked both ways"), format="%d"),
                     "r_pillar": st.column_config.NumberColumn(_("r with pillar"), format=nf("%.2f", lang)),
                     "r_index": st.column_config.NumberColumn(_("r with index"), format=nf("%.2f", lang)),
                     "skew": st.column_config.NumberColumn(_("Skewness"), format=nf("%.2f", lang)),
                     "kurtosis": st.column_config.NumberColumn(_("Kurtosis"), format=nf("%.2f", lang)),
                     "skew_flag": st.column_config.CheckboxColumn(_("Still skewed"))})

# --- sources ------------------------------------------------------------------------------------------------------
st.header(_("Sources and licences"))
src = data.sources.assign(link=lambda f: [u if str(u or "").lower().startswith(("https://", "http://")) else None
                                          for u in f["url"]])
st.write(_("All {n_src} sources of the inputs, with their producer, licence and the "
            "attribution they ask for.").format(n_src=len(src)))
st.dataframe(
    styled(src, lang), hide_index=True,
    column_order=["title", "producer", "licence", "attribution", "link", "retrieved", "year", "source_id"],
    column_config={"title": _("Source"), "producer": _("Producer"), "licence": _("Licence"), "attribution": _("Attribution"),
                   "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")), "retrieved": _("Retrieved"),
                   "year": _("Year"), "source_id": _("Source id")},
)

# --- downloads ----------------------------------------------------------------------------------------------------
st.header(_("Downloads"))
st.write(_("The published files, as the explorer reads them: each table as Parquet (byte "
            "for byte) and as CSV, and the manifest with the methodology version, row counts "
            "and checksums."))
rows = data.manifest.get("row_counts", {})
for table in TABLES:
    st.markdown(_("**{table}** · {x} rows").format(table=table, x=num(int(rows.get(table, len(getattr(data, table)))), lang, 0)))
    left, right = st.columns(2)
    left.download_button(f"{table}.parquet", data=partial(_parquet, table), file_name=f"cdi_{table}.parquet",
                         mime="application/vnd.apache.parquet", key=f"dl_parquet_{table}", on_click="ignore",
                         icon=":material/download:")
    right.download_button(f"{table}.csv", data=partial(_csv, table), file_name=f"cdi_{table}.csv", mime="text/csv",
                          key=f"dl_csv_{table}", on_click="ignore", icon=":material/download:")
for table in (*ROBUST_TABLES, *CHANGE_TABLES):  # the audit, the rank bands and what changed
    if table in rows:
        st.markdown(_("**{table}** · {x} rows").format(table=table, x=num(int(rows[table]), lang, 0)))
        st.download_button(f"{table}.parquet", data=partial(_parquet, table), file_name=f"cdi_{table}.parquet",
                           mime="application/vnd.apache.parquet", key=f"dl_parquet_{table}", on_click="ignore",
                           icon=":material/download:")
st.download_button("manifest.json", data=_manifest, file_name="cdi_manifest.json", mime="application/json",
                   key="dl_manifest", on_click="ignore", icon=":material/download:")
st.caption(_("Licences differ by source (see above): Wikipedia-derived values are CC BY-SA, "
              "OpenFlights-derived values ODbL (share-alike); cite the City Diplomacy Index "
              "and the sources you use."))

# --- languages ----------------------------------------------------------------------------------------------------
st.header(_("Languages"))
st.write(_("The explorer is available in English, Hungarian, Czech, Slovak, Polish and German (choose at the top of "
           "the page, or add ?lang=hu, cs, sk, pl or de to a link). The translations were drafted by the project's "
           "developers with AI assistance and have not yet been reviewed by native-speaker translators. City names "
           "in each language are the CLDR exemplar city names shipped with Babel; sources' titles stay as their "
           "producers wrote them."))
st.write(_("Corrections are welcome: open an issue on the project's issue tracker, or edit the language's "
           "explorer/locale/<lang>/LC_MESSAGES/messages.po file and propose the change."))

# --- version ------------------------------------------------------------------------------------------------------
st.header(_("Data version"))
ver = mn.data_version(data.manifest)
c1, c2, c3 = st.columns(3)
c1.metric(_("Methodology"), f"v{ver['methodology_version']}")
c2.metric(_("Built"), ver["built_at"][:10])
c3.metric(_("Editions"), f"{min(ver['editions'])}–{max(ver['editions'])}")
st.caption(_("Build time {built_at}, package version {package_version}, {reference_cities} "
              "reference cities.").format(built_at=ver['built_at'], package_version=ver['package_version'], reference_cities=ver['reference_cities']))
st.markdown(_("**Input checksums** (SHA-256, first 12 characters)"))
st.dataframe(styled(ver["inputs"], lang), hide_index=True, column_config={"input": _("Input file"), "sha256": _("SHA-256")})
st.markdown(_("**Published files**"))
st.dataframe(styled(ver["outputs"], lang), hide_index=True,
             column_config={"file": _("File"), "rows": st.column_config.NumberColumn(_("Rows"), format="%d"),
                            "sha256": _("SHA-256")})
footer(data, lang)
