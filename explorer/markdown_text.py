"""Data-derived text made safe for st.markdown / st.write, without Streamlit, so the per-process helpers that build
a page's markdown once (explorer.method_page) escape it exactly as the pages do."""

from __future__ import annotations

MD_SPECIAL = "\\`*_{}[]<>()#+-.!|~$"


def plain(text: object) -> str:
    """Escape a data-derived string for st.markdown/st.write so it renders as the literal text it is."""
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in str(text))
