"""Ranking: every ranked city of an edition with score bars, its likely rank range (the 5-95 % band of the
uncertainty analysis), change since the previous edition, filters kept in the URL (?edition=, ?region=, ?group=,
?unranked=1), a CSV of exactly the rows and columns shown, and the what-if weights (?weights=40,20,20,20): the
reader's own weighting, always labelled as not the official CDI."""

from __future__ import annotations

import streamlit as st

from explorer.data.cache import get_index, get_robust, get_whatif_base
from explorer.text.params import format_weights, notice_text, parse_choice, parse_flag, parse_weights
from explorer.text.urls import with_lang
from explorer.views import ranking as rv
from explorer.views.framework import pillar_names
from explorer.views.whatif import official_weights, weight_pillars, weights_caption, whatif_view
from explorer.widgets.controls import edition_control, embed_control
from explorer.widgets.page import footer, lazy_expander, page_setup
from explorer.widgets.present import present_view
from explorer.widgets.tables import nf, score_column, table

data = get_index()
lang, _ = page_setup()
present_view(data, page="ranking")  # ?present=1: large-type top-10 chart and a QR code, then stop


def _param(name: str):
    return st.query_params.get_all(name) or None


def _sync(name: str, value: str, default: str) -> None:
    """Write a control's value back to the URL (absent when it is the default, so links stay short)."""
    if value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


st.title(_("Ranking"))
edition = edition_control(data, lang=lang)

regions = rv.region_choices(data.cities)
region_p = parse_choice(_param("region"), list(regions), "all")
group_p = parse_choice(_param("group"), list(rv.GROUPS), "all")
for notice in dict.fromkeys(n for n in (region_p.notice, group_p.notice) if n):
    st.info(notice_text(notice, _))

region = st.selectbox(_("Region"), list(regions), index=list(regions).index(region_p.value),
                      format_func=lambda r: _(regions[r]), key="ranking_region")
group = st.selectbox(_("Group"), list(rv.GROUPS), index=list(rv.GROUPS).index(group_p.value),
                     format_func=lambda g: _(rv.GROUPS[g][0]), key="ranking_group")
show_unranked = st.toggle(_("Show not-ranked cities"), value=parse_flag(_param("unranked")), key="ranking_unranked",
                          help=_("Reference cities without enough data to be ranked, with the reason."))
_sync("region", region, "all")
_sync("group", group, "all")
_sync("unranked", "1" if show_unranked else "0", "0")

# rows, displayed frame, counts and CSV: once per process and (edition, filters, language), shared read-only
view = rv.ranking_view(data, get_robust().bands, edition, None if region == "all" else regions[region], group,
                    show_unranked, lang)
rows, total_ranked = view.rows, view.total_ranked
st.caption(rv.ranking_caption(view, edition, show_unranked, lang))
pillars = pillar_names(data, lang)

# --- what-if weights: the reader's own index, never presented as the CDI ------------------------------------------
pillar_ids = list(weight_pillars(data))
official = official_weights(data)
weights_p = parse_weights(st.query_params.get_all("weights") or None, official)
if weights_p.notice:
    st.info(notice_text(weights_p.notice, _))
keys = [f"whatif_{p}" for p in pillar_ids]
for key, w in zip(keys, weights_p.value):
    st.session_state.setdefault(key, int(w))


def _reset() -> None:
    for key, w in zip(keys, official):
        st.session_state[key] = int(w)


if tuple(weights_p.value) != official:
    st.session_state.setdefault("whatif_open", True)   # a shared what-if link opens with its sliders
weights = official  # closed, the section leaves the table below the official CDI
box = lazy_expander(_("Try your own weights"), "whatif_open")  # drawn only while open
if box.open:
    with box:
        st.caption(_("Move the sliders to weight the four pillars as you see fit (0-100, relative to "
                      "each other). The result is your own weighting of the published scores, not the "
                      "official CDI."))
        weights = tuple(int(st.slider(pillars.get(p, p), 0, 100, step=5, key=k)) for p, k in zip(pillar_ids, keys))
        st.button(_("Reset to the official weights"), on_click=_reset, key="whatif_reset")
        if weights != official:
            st.subheader(_("Your own weighting - not the official CDI"))
            if sum(weights) == 0:
                st.warning(_("All weights are 0: give at least one pillar some weight."))
            else:
                st.caption(weights_caption(data, weights, total_ranked, edition, lang))
                own = whatif_view(get_whatif_base(), data, rows, weights, edition, lang)
                st.dataframe(table(own, lang), hide_index=True, key="whatif_table", column_config={
                    "own_rank": st.column_config.NumberColumn(_("Your rank"), format="%d", width="small"),
                    "city": _("City"),
                    "own_score": score_column(_("Your score"), lang, 1),
                    "official_rank": st.column_config.NumberColumn(_("Official CDI rank"), format="%d"),
                    "difference": st.column_config.NumberColumn(
                        _("Difference"), format="%+d", help=_("Places higher (+) or lower (−) than officially")),
                })
        else:
            st.caption(_("These are the official weights: the table below is the CDI."))
_sync("weights", format_weights(weights), format_weights(official))

if weights != official:
    st.subheader(_("The official CDI ranking"))

if rows.empty:
    st.write(_("No city matches these filters."))
else:
    st.dataframe(
        table(view.shown, lang),
        hide_index=True,
        column_config={
            "rank": st.column_config.NumberColumn(_("Rank"), format="%d", width="small"),
            "band": st.column_config.TextColumn(
                _("Likely"), width="small",
                help=_("Rank band: 5-95 % of the ranks over 1,000 runs varying weights, normalisation, "
                        "aggregation and the missing-data rule")),
            "profile": st.column_config.LinkColumn(_("City"), display_text=rv.LINK_TEXT_PATTERN,
                                                   help=_("Opens the city's profile")),
            "country": st.column_config.TextColumn(_("Country"), width="small"),
            "region": _("Region"),
            "index": score_column(_("Index"), lang, 1),
            **{p: score_column(name, lang, 1)
               for p, name in pillars.items()},
            "rank_change": st.column_config.NumberColumn(
                _("Rank change"), format="%+d", help=_("Places gained (+) or lost (−) since the previous edition")),
            "score_change": st.column_config.NumberColumn(
                _("Score change"), format=nf("%+.1f", lang),
                help=_("Index points gained or lost since the previous edition")),
            "status": st.column_config.TextColumn(_("Status"), help=_("Why a reference city is not ranked")),
        },
    )
    if edition == min(data.editions):
        st.caption(_("{edition} is the first edition: there is no earlier edition to compare "
                     "with.").format(edition=edition))

    st.download_button(_("Download these rows (CSV)"), view.csv,
                       file_name=rv.export_filename(edition, region, group, show_unranked), mime="text/csv",
                       key="ranking_csv")

st.page_link("pages/home.py", label=_("Find a city by name"), query_params=with_lang({}, lang))
embed_control(data, "ranking", edition, lang)
footer(data, lang)
