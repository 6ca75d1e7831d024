"""Small, shared page furniture: the edition control (kept in the URL), notices, the ranking table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.data import INDEX, IndexData
from explorer.memo import per_process
from explorer.params import parse_edition


def edition_control(data: IndexData, key: str = "edition") -> int:
    """An edition picker in the page body (reachable on a phone), initialised from and written back to ?edition."""
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(parsed.notice)
    options = sorted(data.editions, reverse=True)
    edition = st.selectbox("Edition", options, index=options.index(parsed.value), key=key)
    if st.query_params.get("edition") != str(edition):
        st.query_params["edition"] = str(edition)
    return int(edition)


@per_process
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
    m = data.manifest
    st.caption(f"City Diplomacy Index, methodology v{m['methodology_version']} · editions "
               f"{min(data.editions)}–{max(data.editions)} · built {m['built_at'][:10]}")


_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|~$"


def plain(text: object) -> str:
    """Escape a data-derived string for st.markdown/st.write so it renders as the literal text it is."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
