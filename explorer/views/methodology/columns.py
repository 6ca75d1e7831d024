"""The columns of the Methodology & data page's tables (explorer.views.columns descriptors), in the reader's
language: labels, number formats and help texts. Pure (no Streamlit)."""

from __future__ import annotations

from explorer.perf.memo import memo
from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import translator
from explorer.views.columns import Col, link, number, text


@memo
def framework(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {
        "pillar_name": _("Pillar"), "name": _("Indicator"), "definition": text(_("Definition"), width="large"),
        "unit": _("Unit"), "direction_text": _("Direction"), "weight": number(_("Weight"), "%g"),
        "transform_text": _("Transform"), "winsorisation": _("Winsorisation"),
        "goalpost_low_raw": number(_("Scores 0 at"), "%.4g", locale=True,
                                   help=_("Lower goalpost, in the indicator's unit (fixed across editions)")),
        "goalpost_high_raw": number(_("Scores 100 at"), "%.4g", locale=True,
                                    help=_("Upper goalpost, in the indicator's unit (fixed across editions)")),
        "value_years": text(_("Years of values"), help=_("Years of the values the editions use")),
    }


@memo
def sources_by_indicator(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"name": _("Indicator"), "title": _("Source"), "producer": _("Producer"),
            "grade": text(_("Source grade"), help=_(GRADE_HELP)), "licence": _("Licence"),
            "attribution": _("Attribution"), "link": link(_("Link"), _("open")),
            "values": number(_("Values citing it"), "%d")}


@memo
def coverage(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {
        "name": _("Indicator"), "observed": number(_("Measured"), "%d"),
        "zero": number(_("of which 0"), "%d", help=_("a true zero of a complete list")),
        "below_threshold": number(_("Below threshold"), "%d"), "missing": number(_("No data"), "%d"),
        "with_data_pct": Col(_("With data"), "progress", fmt="%.0f%%"),
        "current": number(_("Value of the edition's year"), "%d"),
        "carried_forward": number(_("Carried forward"), "%d"), "later_vintage": number(_("Later vintage"), "%d"),
    }


@memo
def focus_grid(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"indicator": _("Indicator")}


@memo
def focus_why(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"city": _("City"), "indicator_name": _("Indicator"), "year": number(_("Year of the value used"), "%d"),
            "reason": text(_("Reason"), width="large"), "searched": text(_("Searched"), width="medium")}


@memo
def freshness(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"name": _("Indicator"),
            "new_data": Col(_("New data"), "checkbox",
                            help=_("A value newer than every value of the previous edition")),
            "newest_year": number(_("Newest year"), "%d"), "values": number(_("Values used"), "%d"),
            "recent_values": number(_("Of the edition's year or the year before"), "%d"),
            "releases": _("Source releases"), "next_release": text(_("Next release"), width="large")}


@memo
def check_counts(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"check": _("Check"), "action": _("What the build did"), "findings": number(_("Findings"), "%d")}


@memo
def decisions(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"check": _("Check"), "key": _("Key"), "rule": text(_("Rule"), width="medium"),
            "decision": _("Decision"), "reason": text(_("Reason"), width="large")}


@memo
def audit_pillars(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"pillar_name": _("Pillar"), "n_indicators": number(_("Indicators"), "%d"),
            "n_complete": number(_("Cities with every indicator"), "%d", help=_("Alpha uses these cities")),
            "cronbach_alpha": number(_("Cronbach's alpha"), "%.2f", locale=True), "flags": _("Flags")}


@memo
def audit_indicators(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"name": _("Indicator"), "pillar_name": _("Pillar"),
            "drop_one_mean_abs_rank_change": number(_("Mean rank change if dropped"), "%.1f", locale=True),
            "drop_one_max_abs_rank_change": number(_("Largest change"), "%d"),
            "drop_one_n_cities": number(_("Cities ranked both ways"), "%d"),
            "r_pillar": number(_("r with pillar"), "%.2f", locale=True),
            "r_index": number(_("r with index"), "%.2f", locale=True),
            "skew": number(_("Skewness"), "%.2f", locale=True), "kurtosis": number(_("Kurtosis"), "%.2f", locale=True),
            "skew_flag": Col(_("Still skewed"), "checkbox")}


@memo
def sources(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"title": _("Source"), "producer": _("Producer"), "grade": text(_("Source grade"), help=_(GRADE_HELP)),
            "licence": _("Licence"), "attribution": _("Attribution"), "link": link(_("Link"), _("open")),
            "retrieved": _("Retrieved"), "year": _("Year"), "source_id": _("Source id")}


@memo
def version_inputs(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"input": _("Input file"), "sha256": _("SHA-256")}


@memo
def version_outputs(lang: str) -> dict[str, Col | str]:
    _ = translator(lang)
    return {"file": _("File"), "rows": number(_("Rows"), "%d"), "sha256": _("SHA-256")}
