"""Ranking: every ranked city of an edition with score bars, change since the previous edition, filters kept in
the URL (?edition=, ?region=, ?group=, ?unranked=1) and a CSV of exactly the rows and columns shown."""

from __future__ import annotations

import streamlit as st

from explorer.data import get_index
from explorer.params import parse_choice, parse_flag
from explorer.present import present_view
from explorer.ranking_view import (
    GROUPS,
    LINK_TEXT_PATTERN,
    display_frame,
    export_filename,
    export_frame,
    filter_ranking,
    region_choices,
)
from explorer.ui import edition_control, footer, ranking_table

data = get_index()
present_view(data, page="ranking")  # ?present=1: large-type top-10 chart and a QR code, then stop


@st.cache_data(show_spinner=False, max_entries=32)
def _table(edition: int):
    return ranking_table(get_index(), edition)


def _param(name: str):
    return st.query_params.get_all(name) or None


def _sync(name: str, value: str, default: str) -> None:
    """Write a control's value back to the URL (absent when it is the default, so links stay short)."""
    if value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


st.title("Ranking")
edition = edition_control(data)

regions = region_choices(data.cities)
region_p = parse_choice(_param("region"), list(regions), "all")
group_p = parse_choice(_param("group"), list(GROUPS), "all")
for notice in dict.fromkeys(n for n in (region_p.notice, group_p.notice) if n):
    st.info(notice)

region = st.selectbox("Region", list(regions), index=list(regions).index(region_p.value),
                      format_func=regions.get, key="ranking_region")
group = st.selectbox("Group", list(GROUPS), index=list(GROUPS).index(group_p.value),
                     format_func=lambda g: GROUPS[g][0], key="ranking_group")
show_unranked = st.toggle("Show not-ranked cities", value=parse_flag(_param("unranked")), key="ranking_unranked",
                          help="Reference cities without enough data to be ranked, with the reason.")
_sync("region", region, "all")
_sync("group", group, "all")
_sync("unranked", "1" if show_unranked else "0", "0")

table = _table(edition)
rows = filter_ranking(table, None if region == "all" else regions[region], group, show_unranked)
shown = display_frame(rows, edition, show_unranked)
n_ranked = int(rows["ranked"].fillna(False).astype(bool).sum())
total_ranked = int(table["ranked"].fillna(False).astype(bool).sum())

caption = f"{n_ranked} of the {total_ranked} cities ranked in {edition}"
if show_unranked:
    caption += f", and {len(rows) - n_ranked} not-ranked reference cities"
st.caption(caption + ". Scores run from 0 to 100; change is since the previous edition. "
           "Open a city's name for its profile, with every value and its source.")

pillars = data.pillar_names
if rows.empty:
    st.write("No city matches these filters.")
else:
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d", width="small"),
            "profile": st.column_config.LinkColumn("City", display_text=LINK_TEXT_PATTERN,
                                                   help="Opens the city's profile"),
            "country": st.column_config.TextColumn("Country", width="small"),
            "region": "Region",
            "index": st.column_config.ProgressColumn("Index", min_value=0, max_value=100, format="%.1f"),
            **{p: st.column_config.ProgressColumn(name, min_value=0, max_value=100, format="%.1f")
               for p, name in pillars.items()},
            "rank_change": st.column_config.NumberColumn(
                "Rank change", format="%+d", help="Places gained (+) or lost (−) since the previous edition"),
            "score_change": st.column_config.NumberColumn(
                "Score change", format="%+.1f", help="Index points gained or lost since the previous edition"),
            "status": st.column_config.TextColumn("Status", help="Why a reference city is not ranked"),
        },
    )
    if edition == min(data.editions):
        st.caption(f"{edition} is the first edition: there is no earlier edition to compare with.")

    csv = export_frame(shown, rows, pillars).to_csv(index=False).encode("utf-8")
    st.download_button("Download these rows (CSV)", csv, file_name=export_filename(edition, region, group,
                                                                                    show_unranked),
                       mime="text/csv", key="ranking_csv")

st.page_link("pages/home.py", label="Find a city by name")
footer(data)
