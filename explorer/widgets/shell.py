"""The entry point's frame around every page: the navigation's pages, built once per process, and the guard that
keeps Streamlit's legacy `pages/` mode from running a page without app.py.

Why the pages are built once: `st.Page` resolves its file on disk and parses its name on every call; eight of them
cost each session ~3 ms of server CPU in a burst, more than the whole bare one-line page (benchmarks/README.md,
"The shell"). A fresh shallow copy per run keeps the per-run state (`_can_be_called`) private to the session:
sharing the objects themselves makes concurrent sessions fail with "This page cannot be called directly".

Why the guard: `pages/` sits next to app.py (the design card's layout), and until some session has called
`st.navigation`, Streamlit 1.67 treats the app as a legacy `pages/` app. A fresh server's first visitors on a
deep link (`/city?city=budapest`) then got pages/city.py run on its own: no navigation menu, no wide layout, no
page title. The page's setup notices that app.py did not run, switches the legacy mode off (the same flag
`st.navigation` sets) and reruns, so the run goes through app.py.

Both reach into Streamlit's internals only through explorer.compat (probes script_run_ctx, page_copies,
legacy_pages_flag); when a probe fails the pages are built on every run, or the guard is off.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from explorer import compat
from explorer.perf.memo import memo
from explorer.text.i18n import N_

ENTRY_POINT = Path(__file__).resolve().parents[2] / "app.py"
# (url_path, file under the repository, English title, default?) in menu order; titles are translated per language
PAGE_SPECS: tuple[tuple[str, str, str, bool], ...] = (
    ("home", "pages/home.py", N_("Home"), True),
    ("ranking", "pages/ranking.py", N_("Ranking"), False),
    ("compare", "pages/compare.py", N_("Compare"), False),
    ("city", "pages/city.py", N_("City profile"), False),
    ("changes", "pages/changes.py", N_("What changed"), False),
    ("map", "pages/map.py", N_("Map"), False),
    ("pact", "pages/pact.py", N_("Pact of Free Cities"), False),
    ("methodology", "pages/methodology.py", N_("Methodology & data"), False),
)

_built: dict[tuple[str, str], tuple] = {}
_lock = threading.Lock()
_run = threading.local()   # each session's script runs in its own thread
SEEN_KEY = "_cdi_framed_seen"   # session state: this session has had a run


def nav_pages(lang: str, translate: Callable[[str], str]) -> list:
    """The navigation's `st.Page`s in the language: built on the process's first run in it, copied for each run
    (built on every run instead outside a script run, or when explorer.compat's probes for this failed)."""
    parent = compat.main_script_parent()
    if parent is None or not compat.page_copies():
        return _build(translate)
    key = (lang, parent)
    with _lock:
        pages = _built.get(key)
    if pages is None:
        pages = tuple(_build(translate))
        with _lock:
            pages = _built.setdefault(key, pages)
    return [copy.copy(p) for p in pages]


def _build(translate: Callable[[str], str]) -> list:
    return [st.Page(path, title=translate(title), url_path=url, default=default)
            for url, path, title, default in PAGE_SPECS]


@contextmanager
def framed() -> Iterator[None]:
    """app.py runs the chosen page inside this, so the page can tell it was reached through the entry point."""
    _run.framed = True
    try:
        yield
    finally:
        _run.framed = False


def reached_without_entry_point() -> bool:
    """True when this run is the app's (app.py is the main script) but app.py did not run: Streamlit's legacy
    `pages/` mode ran the page directly. False in AppTest runs of a single page file."""
    if getattr(_run, "framed", False):
        return False
    path = compat.main_script_path()
    return path is not None and _is_entry_point(path)


@memo
def _is_entry_point(main_script_path: str) -> bool:
    return Path(main_script_path).resolve() == ENTRY_POINT   # resolved once per path, not on every run


def ensure_framed() -> None:
    """Rerun through app.py if the legacy `pages/` mode ran this page on its own (see the module docstring).

    Only on a session's first run: that is the one a fresh server can send down the legacy path (the rerun turns
    the mode off for the whole process), and it carries no widget event a rerun would drop. AppTest resets the
    mode before every run, so its page tests keep running the page scripts directly, as before."""
    if SEEN_KEY in st.session_state:
        return
    # leaving the mode is what st.navigation does; without it the rerun would loop, so no guard when it cannot
    if reached_without_entry_point() and compat.leave_legacy_pages_mode():
        st.rerun()
    st.session_state[SEEN_KEY] = True
