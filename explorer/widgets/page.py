"""Small, shared page furniture: the edition control (kept in the URL), notices, the ranking table, the footer and
the "Embed this view" control."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from explorer.data.store import IndexData
from explorer.perf.memo import per_process
from explorer.text.i18n import (  # noqa: F401 - city_ids_by_name re-exported for the pages
    LANG_CODES,
    LANG_NAMES,
    Translator,
    city_ids_by_name,
    city_name,
    city_names_of,
    fmt_number,
    fmt_percent,
    translator,
)
from explorer.text.markdown import plain  # noqa: F401 (re-exported: the pages import it from here)
from explorer.text.params import notice_text, parse_edition, parse_lang
from explorer.views import profile as P
from explorer.views.ranking import ranking_table  # noqa: F401 - re-exported for the pages
from explorer.widgets import embed
from explorer.widgets.present import presenting
from explorer.widgets.shell import ensure_framed

if TYPE_CHECKING:  # the class st.expander returns; its module is Streamlit's internal one
    from explorer.compat import ExpanderContainer

LANG_STATE = "_cdi_lang"  # the session's language, so a page reached through the navigation menu keeps it
LANG_WIDGET = "lang_pick"


def current_lang() -> str:
    """The page's language: ?lang= when the URL has one (validated: anything unknown is English), else the
    session's last choice (the navigation menu drops query parameters). Written back to the URL, so a copied link
    keeps the language; English is the default and is left out of the URL."""
    raw = st.query_params.get_all("lang") or None
    lang = parse_lang(raw) if raw else st.session_state.get(LANG_STATE, "en")
    st.session_state[LANG_STATE] = lang
    _sync_lang(lang)
    return lang


def _sync_lang(lang: str) -> None:
    if lang == "en":
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang


def _on_lang_change() -> None:
    lang = st.session_state.get(LANG_WIDGET) or "en"
    st.session_state[LANG_STATE] = lang
    _sync_lang(lang)


def language_selector(lang: str) -> None:
    """The language picker at the top of every page (the languages in their own names)."""
    _ = translator(lang)
    st.session_state[LANG_WIDGET] = lang  # the URL decides; set before the widget exists (no default passed)
    # one right-aligned row, not st.columns([4, 1]): two messages a session instead of four
    st.container(horizontal=True, horizontal_alignment="right").selectbox(
        _("Language"), LANG_CODES, format_func=LANG_NAMES.get, key=LANG_WIDGET, on_change=_on_lang_change,
        label_visibility="collapsed", width=180)


def page_setup() -> tuple[str, Translator]:
    """(language, its translator) for a page script; draws the language picker at the top of the page (not in
    presentation mode). It lives here, not in app.py: elements the entry point draws before `page.run()` are not
    shown in the browser with top navigation (Streamlit 1.67), though AppTest sees them."""
    ensure_framed()  # a deep link on a fresh server: rerun through app.py (explorer/widgets/shell.py)
    lang = current_lang()
    if not presenting() and not st.context.is_embedded:  # an embed keeps the language it was embedded with
        language_selector(lang)
    return lang, translator(lang)


def with_lang(params: dict, lang: str) -> dict:
    """Query parameters for an internal link, with ?lang= unless the language is English."""
    return {**params, "lang": lang} if lang != "en" else dict(params)


def city_names_map(data: IndexData, lang: str) -> dict[str, str]:
    """city_id -> the city's name in the language (CLDR exemplar name, else the registry's English name); the one
    read-only dict per process and language of explorer.text.i18n.city_names_of."""
    return city_names_of(data, lang)


def pillar_names(data: IndexData, lang: str) -> dict[str, str]:
    """pillar id -> the framework's pillar name, translated through the catalogue (msgid = the English name)."""
    _ = translator(lang)
    return {p: _(n) for p, n in data.pillar_names.items()}


def num(x: object, lang: str, decimals: int = 1, sign: bool = False) -> str:
    return fmt_number(x, lang, decimals, sign=sign)


def pct(x: object, lang: str, decimals: int = 0) -> str:
    return fmt_percent(x, lang, decimals)


def styled(frame: pd.DataFrame, lang: str, decimals: dict[str, int] | None = None):
    """The frame for st.dataframe with its float columns shown in the locale's format (1 decimal unless `decimals`
    says otherwise). A Styler: the values stay numbers, so sorting by a column still sorts by value. English keeps
    the plain frame (its columns are formatted by column_config). Pair with nf() and score_column(). For a table
    that is the same for every session, explorer.widgets.tables.table keeps one Styler per process instead."""
    if lang == "en":
        return frame
    decimals = decimals or {}
    cols = {c: decimals.get(c, 1) for c in frame.columns
            if c in decimals or pd.api.types.is_float_dtype(frame[c].dtype)}
    return frame.style.format({c: (lambda v, d=d: "" if v is None or v != v else fmt_number(v, lang, d))
                               for c, d in cols.items()})


def nf(fmt: str, lang: str) -> str | None:
    """A column_config number format for English; None otherwise, so the Styler's locale text is shown."""
    return fmt if lang == "en" else None


def score_column(label: str, lang: str, decimals: int = 1, **kwargs):
    """A 0-100 score column: a bar with the score in English; in other languages the locale-formatted number
    (Streamlit's progress bars print numbers only in the English format)."""
    if lang == "en":
        return st.column_config.ProgressColumn(label, min_value=0, max_value=100, format=f"%.{decimals}f", **kwargs)
    return st.column_config.NumberColumn(label, **kwargs)


def edition_control(data: IndexData, key: str = "edition", lang: str = "en") -> int:
    """An edition picker in the page body (reachable on a phone), initialised from and written back to ?edition;
    inside an embedded view (?embed=true) only a caption naming the edition."""
    _ = translator(lang)
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(notice_text(parsed.notice, _))
    options = sorted(data.editions, reverse=True)
    if st.context.is_embedded:  # an embedded view keeps the edition it was embedded with: a caption, no picker
        edition = int(parsed.value)
        st.caption(_("City Diplomacy Index, edition {edition}").format(edition=edition))
    else:
        edition = st.selectbox(_("Edition"), options, index=options.index(parsed.value), key=key)
    if st.query_params.get("edition") != str(edition):
        st.query_params["edition"] = str(edition)
    return int(edition)


@per_process
def footer_text(data: IndexData, lang: str = "en") -> str:
    """The footer line in the language (once per process: the locale date formatting is not free)."""
    from explorer.text.i18n import fmt_date

    _ = translator(lang)
    m = data.manifest
    return _("City Diplomacy Index, methodology v{version} · editions {first}–{last} · built {built}").format(
        version=m["methodology_version"], first=min(data.editions), last=max(data.editions),
        built=fmt_date(m["built_at"][:10], lang))


def footer(data: IndexData, lang: str = "en", note: str | None = None) -> None:
    """The footer line; `note`, a caption the page would draw just before it, shares its element (one message a
    session fewer: each costs ~0.13 ms of server CPU in a burst, benchmarks/README.md). `note` is markdown: escape
    data-derived text with plain() first."""
    st.caption(f"{note}\n\n{footer_text(data, lang)}" if note else footer_text(data, lang))


def lazy_expander(label: str, key: str, **kwargs: object) -> ExpanderContainer:
    """An expander whose content the page draws only while it is open: `box = lazy_expander(...)`, then
    `if box.open:` draw into `box`. Opening or closing it reruns the page.

    Why: Streamlit sends every element inside a closed expander to every session. Fourteen closed expanders of two
    paragraphs each cost a 50-burst 2.85x the bare page, the same fourteen drawn lazily 1.54x
    (benchmarks/element_cost.py)."""
    return st.expander(label, key=key, on_change="rerun", **kwargs)


def embed_control(data: IndexData, page: str, edition: int, lang: str = "en") -> str | None:
    """An "Embed this view" expander with the <iframe> snippet of the current view (its URL and query parameters
    plus embed=true), the citation, credit line and licence, as copyable code. Not shown inside an embedded view;
    drawn lazily (`lazy_expander`). Returns the snippet while the expander is open, else None."""
    if st.context.is_embedded:
        return None
    _ = translator(lang)
    box = lazy_expander(_("Embed this view"), f"{page}_embed", icon=":material/code:")
    if not box.open:
        return None
    root = P.safe_url(st.context.url) or os.environ.get("CDI_PUBLIC_URL", embed.FALLBACK_BASE)
    base = P.share_url(root, page, {})
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    view = embed.view_url(base, params)
    code = embed.snippet(base, page, P.citation(data, edition, view, lang),
                         embed.credit_line(data.manifest, data.editions, lang), params, lang=lang)
    box.caption(_("Paste this HTML into a web page to show this view, live, with its credit line. The view "
                  "keeps its current settings; embed=true hides the explorer's navigation."))
    box.code(code, language="html", wrap_lines=True)
    return code


def city_search(data: IndexData, lang: str, page: str, params_for, key: str) -> None:
    """A search field that finds a city by any of its names (English, the six languages' own names, GeoNames
    alternate spellings) and lists the hits as links: params_for(city_id) gives the link's query parameters."""
    from explorer.data.store import search_cities

    _ = translator(lang)
    query = st.text_input(_("Find a city by any of its names"), placeholder=_("e.g. Budapest, Wien, Praha, Kiev"),
                          key=key, max_chars=80)
    if query:
        hits = search_cities(data, query)
        if not hits:
            st.write(_("No city of the index matches that name."))
        names = city_names_map(data, lang)
        for cid in hits:
            st.page_link(page, label=plain(names[cid]), query_params=with_lang(params_for(cid), lang))
