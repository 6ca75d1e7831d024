"""The Methodology & data page's longer texts, in the reader's language: the introduction, the rules (with the
published spec's parameters), and the sentences that introduce each section. Pure (no Streamlit); the msgids are the
ones the page always used. Text from the data never becomes markup: numbers and editions only."""

from __future__ import annotations

from explorer.perf.memo import memo
from explorer.text.i18n import fmt_number, fmt_percent, translator


def intro(lang: str) -> str:
    _ = translator(lang)
    return _("The City Diplomacy Index follows the OECD/JRC Handbook on Constructing "
             "Composite Indicators: a declared framework of indicators, each transformed, "
             "normalised to 0–100 and averaged into four pillars and the index. Everything on "
             "this page is read from the published data files, which you can download below.")


@memo
def rules(manifest: dict, n_ind: int, lang: str) -> str:
    """The rules section (markdown of catalogue text and the spec's numbers from the manifest)."""
    _ = translator(lang)
    r = manifest.get("spec", {}).get("rules", {})
    return _("\n- **Which value an edition uses.** Edition Y takes each indicator's latest "
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
             "measures any city has data for in that edition (the {n_ind} indicators, the "
             "foreign-born and\n  foreign-citizen shares counting as one measure) and for at least "
             "{pillar_min} measures in\n  every pillar (all of a pillar's measures where it has fewer). "
             "Other cities are\n  listed as not ranked, with the reason; their pillar scores are still "
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
        coverage_min=fmt_percent(float(r.get("coverage_min", 0.65)), lang, 0), n_ind=n_ind,
        pillar_min=int(r.get("pillar_min_measures", 1)),
        x=int(r.get("winsor_max_points", 5)), x2=float(r.get("skew_max", 2.0)), x3=float(r.get("kurtosis_max", 3.5)))


def coverage_sentence(cities: int, edition: int, lang: str) -> str:
    _ = translator(lang)
    return _("Of the {x} reference cities in the {edition} edition, how many have a measured "
             "value (and how many of those are a true 0), a below-threshold mark, or no data, "
             "per indicator; and how old the values used are.").format(x=cities, edition=edition)


def focus_sentence(edition: int, lang: str) -> str:
    _ = translator(lang)
    return _("The data year of each value the {edition} edition uses for the five focus cities. Where no value from "
             "2019 or later exists, the project searched for one; the reason none could be used is listed below the "
             "table. The counts for all cities before and after the project's own curated facts are in "
             "docs/completeness/ in the repository.").format(edition=edition)


def quality_sentence(held: int, lang: str) -> str:
    _ = translator(lang)
    return _("Before computing the index, the build checks every input: estimates in measured series, implausible "
             "jumps, names close to a reference city, municipalities near a larger city, values too old to carry "
             "forward. Each finding is applied by a rule of the methodology or by a reviewed decision with its "
             "reason; {held} values are held out of the index.").format(held=fmt_number(held, lang, 0))


def uncertainty_sentence(manifest: dict, lang: str) -> str:
    """The Monte Carlo analysis in words, with its runs and seed from the manifest."""
    _ = translator(lang)
    mc = manifest.get("uncertainty", {})
    return _("**Uncertainty.** The index was recomputed {x} times (seed {x2}), each time "
             "drawing every indicator and pillar weight between 75 % and 125 % of its "
             "official value, the normalisation (min-max, z-score or percentile rank), the "
             "aggregation (arithmetic, or geometric on 1-100) and the missing-data rule "
             "(leave out, or the edition's median). Every rank in the explorer is shown with "
             "its likely range: the 5 % to 95 % band of the ranks over these runs. The runs "
             "reuse the index's own computation, so the bands reflect only these method "
             "choices.").format(x=fmt_number(int(mc.get("runs", 1000)), lang, 0), x2=mc.get("seed", ""))


def coherence_sentence(lang: str) -> str:
    _ = translator(lang)
    return _("Over the cities ranked in the edition, on the normalised scores. Cronbach's "
             "alpha measures whether a pillar's indicators move together (0.7 or more is the "
             "usual bar); flagged are indicator pairs correlated above 0.9 within a pillar "
             "(redundant) and indicators correlated negatively with their own pillar.")


def drop_one_sentence(lang: str) -> str:
    _ = translator(lang)
    return _("Dropping one indicator at a time and recomputing the index: how many places a "
             "city's rank moves on average (and at most). Also each indicator's correlation "
             "with its pillar and with the index, and its skewness and kurtosis after "
             "treatment (flagged where the winsorisation rule's thresholds are still "
             "exceeded). A large drop-one change on few cities means that, without the "
             "indicator, many cities would no longer have enough data to be ranked.")


def licence(lang: str) -> str:
    _ = translator(lang)
    return _("Licence of the published data: the index tables are shared under CC BY-SA 4.0, because they derive from "
             "share-alike lists (Wikipedia's twin-town lists, SupraVerden's list of international organisations). The "
             "air-destination counts are made from OpenFlights and published as an ODbL Produced Work: contains "
             "information from OpenFlights, which is made available here under the Open Database License (ODbL). "
             "The per-airport input table is ODbL, the city names from Unicode CLDR keep the Unicode License, and "
             "Fortune's Global 500 list is proprietary. The terms of each file are in data/LICENSE.md; the code is "
             "MIT.")


def sources_sentence(n_src: int, lang: str) -> str:
    _ = translator(lang)
    return _("All {n_src} sources of the inputs, with their producer, licence and the "
             "attribution they ask for.").format(n_src=n_src)


def downloads_sentence(lang: str) -> str:
    _ = translator(lang)
    return _("The published files, as the explorer reads them: each table as Parquet (byte "
             "for byte) and as CSV, and the manifest with the methodology version, row counts "
             "and checksums.")


def downloads_licence(lang: str) -> str:
    _ = translator(lang)
    return _("Each file's licence is in data/LICENSE.md (see above): the index tables are CC BY-SA 4.0, the "
             "per-airport OpenFlights table is ODbL; cite the City Diplomacy Index and the sources you use.")


def languages(lang: str) -> str:
    """The two paragraphs on the translations, as one markdown element."""
    _ = translator(lang)
    return "\n\n".join([
        _("The explorer is available in English, Hungarian, Czech, Slovak, Polish and German (choose at the top of "
          "the page, or add ?lang=hu, cs, sk, pl or de to a link). The translations were drafted by the project's "
          "developers with AI assistance and have not yet been reviewed by native-speaker translators. City names "
          "in each language are the CLDR exemplar city names shipped with Babel; sources' titles stay as their "
          "producers wrote them."),
        _("Corrections are welcome: open an issue on the project's issue tracker, or edit the language's "
          "explorer/text/locale/<lang>/LC_MESSAGES/messages.po file and propose the change.")])


def version_caption(ver: dict, lang: str) -> str:
    """The build time, package version and number of reference cities
        (explorer.views.methodology.notes.data_version)."""
    _ = translator(lang)
    return _("Build time {built_at}, package version {package_version}, {reference_cities} "
             "reference cities.").format(built_at=ver["built_at"], package_version=ver["package_version"],
                                         reference_cities=ver["reference_cities"])
