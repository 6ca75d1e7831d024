"""The index's framework as the pages show it: pillar ids in the published order and their names in a language,
read from framework.parquet (never hard-coded). Pure pandas, no Streamlit."""

from __future__ import annotations

from explorer.data.store import IndexData
from explorer.text.i18n import translator


def pillar_names(data: IndexData, lang: str) -> dict[str, str]:
    """pillar id -> the framework's pillar name, translated through the catalogue (msgid = the English name)."""
    _ = translator(lang)
    return {p: _(n) for p, n in data.pillar_names.items()}
