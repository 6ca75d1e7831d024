"""The frame of every page: its setup (language from the URL or the session, the language picker), the footer with
the data version and the lazily drawn expander."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from explorer.data.store import IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import LANG_CODES, LANG_NAMES, Translator, translator
from explorer.text.params import parse_lang
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



@memo
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
    `if box.open:` draw into `box`. Opening or closing it reruns the page. Streamlit sends the elements of a closed
    expander to every session; a lazy one sends none (benchmarks/README.md, "Why the explorer caches ...")."""
    return st.expander(label, key=key, on_change="rerun", **kwargs)


