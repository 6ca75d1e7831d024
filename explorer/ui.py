"""Small, shared page furniture: the edition control (kept in the URL), notices, the ranking table, the footer and
the "Embed this view" control."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from explorer import embed
from explorer import profile as P
from explorer.data import INDEX, IndexData
from explorer.params import parse_edition


def edition_control(data: IndexData, key: str = "edition") -> int:
    """An edition picker in the page body (reachable on a phone), initialised from and written back to ?edition;
    inside an embedded view (?embed=true) only a caption naming the edition."""
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(parsed.notice)
    options = sorted(data.editions, reverse=True)
    if st.context.is_embedded:  # an embedded view keeps the edition it was embedded with: a caption, no picker
        edition = int(parsed.value)
        st.caption(f"City Diplomacy Index, edition {edition}")
    else:
        edition = st.selectbox("Edition", options, index=options.index(parsed.value), key=key)
    if st.query_params.get("edition") != str(edition):
        st.query_params["edition"] = str(edition)
    return int(edition)


def ranking_table(data: IndexData, edition: int) -> pd.DataFrame:
    """One row per reference city for an edition: index rank and score, pillar scores, change since last edition.

    Only reshapes the published scores; nothing is computed beyond a join.
    """
    s = data.scores[data.scores["edition"] == edition]
    wide = s.pivot(index="city_id", columns="pillar", values="score")
    idx = s[s["pillar"] == INDEX].set_index("city_id")
    out = data.cities.set_index("city_id")[["name", "country_iso2", "region", "groups"]].join(
        idx[["rank", "rank_change", "score_change", "coverage", "ranked", "not_ranked_reason"]]).join(
        wide.add_prefix("score_"))
    return out.reset_index().sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


def footer(data: IndexData) -> None:
    st.caption(embed.credit_line(data.manifest, data.editions))


def embed_control(data: IndexData, page: str, edition: int) -> str | None:
    """An "Embed this view" expander with the <iframe> snippet of the current view (its URL and query parameters
    plus embed=true), the citation, credit line and licence, as copyable code. Not shown inside an embedded view.
    Returns the snippet (None when embedded)."""
    if st.context.is_embedded:
        return None
    root = P.safe_url(st.context.url) or os.environ.get("CDI_PUBLIC_URL", embed.FALLBACK_BASE)
    base = P.share_url(root, page, {})
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    view = embed.view_url(base, params)
    code = embed.snippet(base, page, P.citation(data, edition, view), embed.credit_line(data.manifest, data.editions),
                         params)
    with st.expander("Embed this view", icon=":material/code:"):
        st.caption("Paste this HTML into a web page to show this view, live, with its credit line. The view keeps "
                   "its current settings; embed=true hides the explorer's navigation.")
        st.code(code, language="html", wrap_lines=True)
    return code


_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|~$"


def plain(text: object) -> str:
    """Escape a data-derived string for st.markdown/st.write so it renders as the literal text it is."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
