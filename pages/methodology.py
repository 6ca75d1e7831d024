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
from explorer.text.i18n import fmt_number
from explorer.text.markdown import plain
from explorer.views.bands import ROBUST_TABLES
from explorer.views.changes.tables import CHANGE_TABLES
from explorer.views.methodology import columns as cols
from explorer.views.methodology import notes as mn
from explorer.views.methodology import quality as qv
from explorer.views.methodology import tables as mp
from explorer.views.methodology import text as txt
from explorer.widgets import charts
from explorer.widgets.columns import dataframe
from explorer.widgets.controls import edition_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.present import exit_button, presenting

data = get_index()
lang, _ = page_setup()
if presenting():  # no presentation view of its own: offer the way back to the normal page
    exit_button()

show = partial(dataframe, lang=lang)  # one table: a shared view-model frame and its column descriptors

st.title(_("Methodology & data"))
st.write(txt.intro(lang))

# --- framework ----------------------------------------------------------------------------------------------------
st.header(_("Framework"))
st.write(mp.framework_summary(data.framework, lang))
show(mp.shown(mp.framework_view(data.framework, data.indicators, lang), mp.FRAMEWORK_COLUMNS), cols.framework(lang))
st.subheader(_("Each indicator: rule, zero and threshold, years, sources"))
for note in mp.indicator_notes(data.framework, data.indicators, lang):  # built once per process and language
    box = lazy_expander(note.label, f"method_{note.indicator}")  # drawn only while open (explorer.widgets.page)
    if box.open:
        box.markdown(note.body)  # one element for the four paragraphs
        box.caption(note.caption)
# the sources of every indicator's values in one table
show(mp.shown(mp.sources_by_indicator(data.indicators, data.sources, data.framework, lang),
              mp.SOURCES_BY_INDICATOR_COLUMNS), cols.sources_by_indicator(lang))

# --- rules --------------------------------------------------------------------------------------------------------
st.header(_("Rules"))
st.markdown(txt.rules(data.manifest, len(data.framework), lang))

# --- coverage (counted by cdi_core.completeness) ------------------------------------------------------------------
st.header(_("Indicator coverage"))
edition = edition_control(data, key="method_edition", lang=lang)
cov = mp.coverage(data, edition)
st.write(txt.coverage_sentence(int(cov["cities"].max()), edition, lang))
show(mp.shown(cov, mp.COVERAGE_COLUMNS), cols.coverage(lang))

st.subheader(_("The V4 capitals and Vienna: how recent is each value?"))
grid, why = mp.focus(data, edition, lang)
st.write(txt.focus_sentence(edition, lang))
show(grid, cols.focus_grid(lang), locale_format=False)
if len(why):
    st.markdown("**" + _("Why there is no value from 2019 or later") + "**")
    st.caption(_("The reasons are the project's own notes and are shown in English."))
    show(why, cols.focus_why(lang), locale_format=False)

# --- freshness and the quality report ------------------------------------------------------------------------------
quality = get_quality()
st.subheader(_("Which indicators got new data in {edition}?").format(edition=edition))
fresh = qv.freshness(quality, data.framework, edition, lang)
st.write(plain(qv.new_data_sentence(fresh, edition, min(data.editions), lang)))
show(mp.shown(fresh, qv.FRESH_COLUMNS), cols.freshness(lang))
st.caption(_("Release notes are the producers' announcements, shown in English."))

st.header(_("Quality checks"))
st.write(txt.quality_sentence(qv.held_count(quality), lang))
show(qv.check_counts(quality, lang), cols.check_counts(lang))
st.markdown("**" + _("Held-out values and reviewed decisions") + "**")
st.caption(_("Keys, rules and reasons are the build's and the reviewers' own words and are shown in English."))
show(qv.decisions(quality, lang), cols.decisions(lang), locale_format=False)

# --- robustness: uncertainty and audit -----------------------------------------------------------------------------
st.header(_("How robust are the ranks?"))
robust = get_robust()
st.write(txt.uncertainty_sentence(data.manifest, lang))
ap, ai, ac = (robust.tables[t] for t in ("audit_pillars", "audit_indicators", "audit_correlations"))
if ap.empty or ai.empty or ac.empty:
    st.info(_("The audit tables are not in this data release."))
else:
    st.subheader(_("Statistical coherence, {edition}").format(edition=edition))
    st.write(txt.coherence_sentence(lang))
    show(mp.shown(mp.audit_pillars(data, ap, edition), mp.AUDIT_PILLAR_COLUMNS), cols.audit_pillars(lang))
    which = st.selectbox(_("Correlations within the pillar"), list(dict.fromkeys(data.framework["pillar"])),
                         format_func=data.pillar_names.get, key="method_audit_pillar")
    heat_spec, n_heat = charts.correlation_spec(data, ac, edition, which, lang)
    charts.draw(heat_spec, width="stretch", height=120 + 44 * n_heat)
    st.subheader(_("Each indicator's weight in the ranking, {edition}").format(edition=edition))
    st.write(txt.drop_one_sentence(lang))
    show(mp.shown(mp.audit_indicators(data, ai, edition), mp.AUDIT_INDICATOR_COLUMNS), cols.audit_indicators(lang))

# --- sources ------------------------------------------------------------------------------------------------------
st.header(_("Sources and licences"))
st.write(txt.licence(lang))
st.write(txt.sources_sentence(len(data.sources), lang))
show(mp.shown(mp.sources_view(data.sources, lang), mp.SOURCES_COLUMNS), cols.sources(lang))

# --- downloads ----------------------------------------------------------------------------------------------------
st.header(_("Downloads"))
st.write(txt.downloads_sentence(lang))
FILES = mp.downloads(TABLES, (*ROBUST_TABLES, *CHANGE_TABLES, *qv.QUALITY_TABLES), data.manifest.get("row_counts", {}),
                     {t: len(getattr(data, t)) for t in TABLES})


@st.fragment
def _download_picker() -> None:
    """One picker and one button for every published file; a fragment, so choosing a file reruns only this part of
    the page."""
    f = st.selectbox(_("File"), FILES, format_func=lambda f: f.label, key="method_download")
    st.download_button(f.label, data=partial(mp.file_bytes, data, f), file_name=f.file_name, mime=f.mime,
                       key="dl_file", on_click="ignore", icon=":material/download:")
    if f.rows is not None:
        st.caption(_("**{table}** · {x} rows").format(table=f.table, x=fmt_number(f.rows, lang, 0)))


_download_picker()
st.caption(txt.downloads_licence(lang))

# --- languages and version ----------------------------------------------------------------------------------------
st.header(_("Languages"))
st.markdown(txt.languages(lang))  # one element for the two paragraphs

st.header(_("Data version"))
ver = mn.data_version(data.manifest)
c1, c2, c3 = st.columns(3)
c1.metric(_("Methodology"), f"v{ver['methodology_version']}")
c2.metric(_("Built"), ver["built_at"][:10])
c3.metric(_("Editions"), f"{min(ver['editions'])}–{max(ver['editions'])}")
st.caption(txt.version_caption(ver, lang))
st.markdown(_("**Input checksums** (SHA-256, first 12 characters)"))
show(ver["inputs"], cols.version_inputs(lang))
st.markdown(_("**Published files**"))
show(ver["outputs"], cols.version_outputs(lang))
footer(data, lang)
