"""Methodology & data: the framework, every indicator's definition and rule, how zero / missing / below-threshold
are treated, indicator coverage and freshness per edition, the build's quality report, the uncertainty analysis and
statistical audit, sources and licences, downloads, and the data version.

URL: /methodology?edition=YYYY (the edition of the coverage table and of the audit)
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from explorer.data.cache import get_index, get_quality, get_robust
from explorer.data.store import TABLES
from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import fmt_number, fmt_percent
from explorer.text.markdown import plain
from explorer.views import method_notes as mn
from explorer.views import methodology as mp
from explorer.views import quality as qv
from explorer.views.bands import ROBUST_TABLES
from explorer.views.changes import CHANGE_TABLES
from explorer.widgets import charts
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.present import exit_button, presenting
from explorer.widgets.tables import nf, table

data = get_index()
lang, _ = page_setup()
if presenting():  # no presentation view of its own: offer the way back to the normal page
    exit_button()
rules = data.manifest.get("spec", {}).get("rules", {})
coverage_min = float(rules.get("coverage_min", 0.65))
n_ind = len(data.framework)


st.title(_("Methodology & data"))
st.write(_("The City Diplomacy Index follows the OECD/JRC Handbook on Constructing "
            "Composite Indicators: a declared framework of indicators, each transformed, "
            "normalised to 0–100 and averaged into four pillars and the index. Everything on "
            "this page is read from the published data files, which you can download below."))

# --- framework ----------------------------------------------------------------------------------------------------
st.header(_("Framework"))
st.write(mp.framework_summary(data.framework, lang))

st.dataframe(
    table(mp.shown(mp.framework_view(data.framework, data.indicators, lang),
                                                          mp.FRAMEWORK_COLUMNS), lang), hide_index=True,
    column_config={
        "pillar_name": _("Pillar"), "name": _("Indicator"),
        "definition": st.column_config.TextColumn(_("Definition"), width="large"),
        "unit": _("Unit"), "direction_text": _("Direction"),
        "weight": st.column_config.NumberColumn(_("Weight"), format="%g"),
        "transform_text": _("Transform"), "winsorisation": _("Winsorisation"),
        "goalpost_low_raw": st.column_config.NumberColumn(
            _("Scores 0 at"), format=nf("%.4g", lang),
            help=_("Lower goalpost, in the indicator's unit (fixed across editions)")),
        "goalpost_high_raw": st.column_config.NumberColumn(
            _("Scores 100 at"), format=nf("%.4g", lang),
            help=_("Upper goalpost, in the indicator's unit (fixed across editions)")),
        "value_years": st.column_config.TextColumn(_("Years of values"),
                                                   help=_("Years of the values the editions use")),
    },
)

st.subheader(_("Each indicator: rule, zero and threshold, years, sources"))
for note in mp.indicator_notes(data.framework, data.indicators, lang):  # built once per process and language
    box = lazy_expander(note.label, f"method_{note.indicator}")  # drawn only while open (explorer.widgets.page)
    if box.open:
        box.markdown(note.body)  # one element for the four paragraphs
        box.caption(note.caption)
# the sources of every indicator's values in one table (one table per indicator sent 14 tables per session)
st.dataframe(
    table(mp.shown(mp.sources_by_indicator(data.indicators, data.sources, data.framework, lang),
                   mp.SOURCES_BY_INDICATOR_COLUMNS), lang), hide_index=True,
    column_config={"name": _("Indicator"), "title": _("Source"), "producer": _("Producer"),
                   "grade": st.column_config.TextColumn(_("Source grade"), help=_(GRADE_HELP)),
                   "licence": _("Licence"), "attribution": _("Attribution"),
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
               "rank. The change is measured against\n  the previous edition (+ = moved up).\n").format(
    coverage_min=fmt_percent(coverage_min, lang, 0), n_ind=n_ind, x=int(rules.get("winsor_max_points", 5)),
    x2=float(rules.get("skew_max", 2.0)), x3=float(rules.get("kurtosis_max", 3.5))))

# --- coverage -----------------------------------------------------------------------------------------------------
st.header(_("Indicator coverage"))
edition = edition_control(data, key="method_edition", lang=lang)
cov = mp.coverage(data, edition)
st.write(_("Of the {x} reference cities in the {edition} edition, how many have a measured "
            "value (and how many of those are a true 0), a below-threshold mark, or no data, "
            "per indicator; and how old the values used are.").format(x=int(cov["cities"].max()), edition=edition))
st.dataframe(
    table(mp.shown(cov, mp.COVERAGE_COLUMNS), lang), hide_index=True,
    column_config={
        "name": _("Indicator"),
        "observed": st.column_config.NumberColumn(_("Measured"), format="%d"),
        "zero": st.column_config.NumberColumn(_("of which 0"), format="%d", help=_("a true zero of a complete list")),
        "below_threshold": st.column_config.NumberColumn(_("Below threshold"), format="%d"),
        "missing": st.column_config.NumberColumn(_("No data"), format="%d"),
        "with_data_pct": st.column_config.ProgressColumn(_("With data"), min_value=0, max_value=100,
                                                         format="%.0f%%"),
        "current": st.column_config.NumberColumn(_("Value of the edition's year"), format="%d"),
        "carried_forward": st.column_config.NumberColumn(_("Carried forward"), format="%d"),
        "later_vintage": st.column_config.NumberColumn(_("Later vintage"), format="%d"),
    },
)

# --- completeness for the focus cities -----------------------------------------------------------------------------
st.subheader(_("The V4 capitals and Vienna: how recent is each value?"))
grid, why = mp.focus(data, edition, lang)
st.write(_("The data year of each value the {edition} edition uses for the five focus cities. Where no value from "
           "2019 or later exists, the project searched for one; the reason none could be used is listed below the "
           "table. The counts for all cities before and after the project's own curated facts are in "
           "docs/completeness/ in the repository.").format(edition=edition))
st.dataframe(table(grid, locale_format=False),
             hide_index=True, column_config={"indicator": _("Indicator")})
if len(why):
    st.markdown("**" + _("Why there is no value from 2019 or later") + "**")
    st.caption(_("The reasons are the project's own notes and are shown in English."))
    st.dataframe(table(why, locale_format=False),
                 hide_index=True, column_config={
        "city": _("City"), "indicator_name": _("Indicator"),
        "year": st.column_config.NumberColumn(_("Year of the value used"), format="%d"),
        "reason": st.column_config.TextColumn(_("Reason"), width="large"),
        "searched": st.column_config.TextColumn(_("Searched"), width="medium")})

# --- freshness and the quality report ------------------------------------------------------------------------------
quality = get_quality()
st.subheader(_("Which indicators got new data in {edition}?").format(edition=edition))
fresh = qv.freshness(quality, data.framework, edition, lang)
st.write(plain(qv.new_data_sentence(fresh, edition, min(data.editions), lang)))
st.dataframe(table(mp.shown(fresh, qv.FRESH_COLUMNS), lang),
             hide_index=True, column_config={
    "name": _("Indicator"),
    "new_data": st.column_config.CheckboxColumn(_("New data"),
                                                help=_("A value newer than every value of the previous edition")),
    "newest_year": st.column_config.NumberColumn(_("Newest year"), format="%d"),
    "values": st.column_config.NumberColumn(_("Values used"), format="%d"),
    "recent_values": st.column_config.NumberColumn(_("Of the edition's year or the year before"), format="%d"),
    "releases": _("Source releases"),
    "next_release": st.column_config.TextColumn(_("Next release"), width="large")})
st.caption(_("Release notes are the producers' announcements, shown in English."))

st.header(_("Quality checks"))
st.write(_("Before computing the index, the build checks every input: estimates in measured series, implausible "
           "jumps, names close to a reference city, municipalities near a larger city, values too old to carry "
           "forward. Each finding is applied by a rule of the methodology or by a reviewed decision with its "
           "reason; {held} values are held out of the index.").format(held=fmt_number(qv.held_count(quality), lang, 0)))
st.dataframe(table(qv.check_counts(quality, lang), lang),
             hide_index=True, column_config={
    "check": _("Check"), "action": _("What the build did"),
    "findings": st.column_config.NumberColumn(_("Findings"), format="%d")})
st.markdown("**" + _("Held-out values and reviewed decisions") + "**")
st.caption(_("Keys, rules and reasons are the build's and the reviewers' own words and are shown in English."))
st.dataframe(table(qv.decisions(quality, lang), locale_format=False),
             hide_index=True, column_config={
    "check": _("Check"), "key": _("Key"), "rule": st.column_config.TextColumn(_("Rule"), width="medium"),
    "decision": _("Decision"), "reason": st.column_config.TextColumn(_("Reason"), width="large")})

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
            "choices.").format(x=fmt_number(int(mc.get('runs', 1000)), lang, 0), x2=mc.get('seed', '')))
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
    st.dataframe(table(mp.shown(
        mp.audit_pillars(data, ap, edition), mp.AUDIT_PILLAR_COLUMNS), lang), hide_index=True,
                 column_config={"pillar_name": _("Pillar"), "n_indicators": st.column_config.NumberColumn(
                     _("Indicators"), format="%d"), "n_complete": st.column_config.NumberColumn(
                     _("Cities with every indicator"), format="%d", help=_("Alpha uses these cities")),
                     "cronbach_alpha": st.column_config.NumberColumn(_("Cronbach's alpha"), format=nf("%.2f", lang)),
                     "flags": _("Flags")})
    pillar_ids = list(dict.fromkeys(data.framework["pillar"]))
    which = st.selectbox(_("Correlations within the pillar"), pillar_ids, format_func=pillar_names.get,
                         key="method_audit_pillar")
    heat_spec, n_heat = charts.correlation_spec(data, ac, edition, which, lang)
    charts.draw(heat_spec, width="stretch", height=120 + 44 * n_heat)
    st.subheader(_("Each indicator's weight in the ranking, {edition}").format(edition=edition))
    st.write(_("Dropping one indicator at a time and recomputing the index: how many places a "
                "city's rank moves on average (and at most). Also each indicator's correlation "
                "with its pillar and with the index, and its skewness and kurtosis after "
                "treatment (flagged where the winsorisation rule's thresholds are still "
                "exceeded). A large drop-one change on few cities means that, without the "
                "indicator, many cities would no longer have enough data to be ranked."))
    st.dataframe(table(mp.shown(
        mp.audit_indicators(data, ai, edition), mp.AUDIT_INDICATOR_COLUMNS), lang), hide_index=True,
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
st.write(_("Licence of the published data: the index tables are shared under CC BY-SA 4.0, because they derive from "
           "share-alike lists (Wikipedia's twin-town lists, SupraVerden's list of international organisations). The "
           "air-destination counts are made from OpenFlights and published as an ODbL Produced Work: contains "
           "information from OpenFlights, which is made available here under the Open Database License (ODbL). "
           "The per-airport input table is ODbL, the city names from Unicode CLDR keep the Unicode License, and "
           "Fortune's Global 500 list is proprietary. The terms of each file are in data/LICENSE.md; the code is "
           "MIT."))
st.write(_("All {n_src} sources of the inputs, with their producer, licence and the "
            "attribution they ask for.").format(n_src=len(data.sources)))
st.dataframe(
    table(mp.shown(mp.sources_view(data.sources, lang), mp.SOURCES_COLUMNS), lang),
    hide_index=True,
    column_config={"title": _("Source"), "producer": _("Producer"),
                   "grade": st.column_config.TextColumn(_("Source grade"), help=_(GRADE_HELP)),
                   "licence": _("Licence"), "attribution": _("Attribution"),
                   "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
                   "retrieved": _("Retrieved"), "year": _("Year"), "source_id": _("Source id")},
)

# --- downloads ----------------------------------------------------------------------------------------------------
st.header(_("Downloads"))
st.write(_("The published files, as the explorer reads them: each table as Parquet (byte "
            "for byte) and as CSV, and the manifest with the methodology version, row counts "
            "and checksums."))
FILES = mp.downloads(TABLES, (*ROBUST_TABLES, *CHANGE_TABLES, *qv.QUALITY_TABLES), data.manifest.get("row_counts", {}),
                     {t: len(getattr(data, t)) for t in TABLES})


@st.fragment
def _download_picker() -> None:
    """One picker and one button for every published file (a button per file sent 33 buttons per session); a
    fragment, so choosing a file reruns only this part of the page."""
    f = st.selectbox(_("File"), FILES, format_func=lambda f: f.label, key="method_download")
    st.download_button(f.label, data=partial(mp.file_bytes, data, f), file_name=f.file_name, mime=f.mime,
                       key="dl_file", on_click="ignore", icon=":material/download:")
    if f.rows is not None:
        st.caption(_("**{table}** · {x} rows").format(table=f.table, x=fmt_number(f.rows, lang, 0)))


_download_picker()
st.caption(_("Each file's licence is in data/LICENSE.md (see above): the index tables are CC BY-SA 4.0, the "
              "per-airport OpenFlights table is ODbL; cite the City Diplomacy Index and the sources you use."))

# --- languages ----------------------------------------------------------------------------------------------------
st.header(_("Languages"))
st.markdown("\n\n".join([  # one element for the two paragraphs
    _("The explorer is available in English, Hungarian, Czech, Slovak, Polish and German (choose at the top of "
      "the page, or add ?lang=hu, cs, sk, pl or de to a link). The translations were drafted by the project's "
      "developers with AI assistance and have not yet been reviewed by native-speaker translators. City names "
      "in each language are the CLDR exemplar city names shipped with Babel; sources' titles stay as their "
      "producers wrote them."),
    _("Corrections are welcome: open an issue on the project's issue tracker, or edit the language's "
      "explorer/text/locale/<lang>/LC_MESSAGES/messages.po file and propose the change.")]))

# --- version ------------------------------------------------------------------------------------------------------
st.header(_("Data version"))
ver = mn.data_version(data.manifest)
c1, c2, c3 = st.columns(3)
c1.metric(_("Methodology"), f"v{ver['methodology_version']}")
c2.metric(_("Built"), ver["built_at"][:10])
c3.metric(_("Editions"), f"{min(ver['editions'])}–{max(ver['editions'])}")
st.caption(_("Build time {built_at}, package version {package_version}, {reference_cities} "
              "reference cities.").format(built_at=ver["built_at"], package_version=ver["package_version"],
                                          reference_cities=ver["reference_cities"]))
st.markdown(_("**Input checksums** (SHA-256, first 12 characters)"))
st.dataframe(table(ver["inputs"], lang), hide_index=True,
             column_config={"input": _("Input file"), "sha256": _("SHA-256")})
st.markdown(_("**Published files**"))
st.dataframe(table(ver["outputs"], lang), hide_index=True,
             column_config={"file": _("File"), "rows": st.column_config.NumberColumn(_("Rows"), format="%d"),
                            "sha256": _("SHA-256")})
footer(data, lang)
