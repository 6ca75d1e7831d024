"""Source grades in words, in the explorer's languages (no Streamlit): shown as plain text beside every value's
source. The grades themselves are cdi_core.sources.base.GRADES."""

from __future__ import annotations

from explorer.text.i18n import N_, translator

GRADE_LABELS = {
    "official statistics": N_("official statistics"),
    "producer's own publication": N_("producer's own publication"),
    "reputable secondary": N_("reputable secondary"),
    "other": N_("other (not used by the index)"),
}

GRADE_HELP = N_("How a data journalist would rank the source: official statistics (a statistics office's own table), "
                "producer's own publication (a government body or organisation publishing its own figure), "
                "reputable secondary (a news or research report naming the producer and year). Values on any other "
                "source are not used by the index.")


def grade_text(grades: object, lang: str = "en") -> str:
    """One grade or several joined by ';' -> their labels in the language, each once, joined by '; '."""
    _ = translator(lang)
    out: list[str] = []
    for g in str(grades or "").split(";"):
        g = g.strip()
        label = _(GRADE_LABELS[g]) if g in GRADE_LABELS else g
        if label and label not in out:
            out.append(label)
    return "; ".join(out)
