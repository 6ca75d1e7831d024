"""Locale-formatted tables marshalled once per process: the pandas Styler work of a non-English table done on its
first run, not on every session's.

Why: in Hungarian, Czech, Slovak, Polish and German the explorer shows numbers in the language's format ("46,7")
and keeps them numbers for sorting, through a pandas Styler (explorer.widgets.page.styled). st.dataframe marshals a
Styler on every call: `Styler._translate` builds a dict per cell and Babel formats every number, which made a Hungarian
methodology session about five times an English one. The published tables are the same for every session, so
explorer.widgets.tables keeps one Styler per table and language per process (marked with `share`), and the marshalled
styler part of the element (uuid, styles, display values) is computed the first time that Styler is drawn and
copied into every later element. Tables not marked are marshalled by Streamlit as before.

This wraps `marshall_styler`, a function inside Streamlit, so it is installed only on the Streamlit version it was
checked against (streamlit==1.67.0, pinned in requirements.in); on any other version nothing is patched and the
tables are marshalled per run as before (slower, same output). tests/explorer/test_styler_memo.py checks the
element is byte-identical to Streamlit's own.
"""

from __future__ import annotations

import threading

import streamlit
from pandas.io.formats.style import Styler

CHECKED_VERSION = "1.67.0"
_MARK = "_cdi_shared_styler"   # set on a shared Styler: the marshalled bytes once done, else b""
_lock = threading.Lock()
_installed = False


def share(styler: Styler) -> Styler:
    """Mark a Styler that many sessions will draw: it must not change afterwards (explorer.widgets.tables keeps it per
    process and never hands it out to be modified)."""
    setattr(styler, _MARK, b"")
    return styler


def _memoised(original):
    def marshall_styler(proto, styler, default_uuid: str) -> None:
        done = getattr(styler, _MARK, None)
        if done is None:                      # not a shared Styler: Streamlit's own, per run
            original(proto, styler, default_uuid)
            return
        if not done:
            with _lock:                       # one session marshals; the others wait for its bytes
                done = getattr(styler, _MARK)
                if not done:
                    original(proto, styler, default_uuid)
                    done = proto.styler.SerializeToString()
                    setattr(styler, _MARK, done)
                    return
        proto.styler.ParseFromString(done)

    marshall_styler.original = original
    return marshall_styler


def install() -> bool:
    """Wrap Streamlit's marshall_styler where st.dataframe and st.table call it (once per process). False when the
    Streamlit version is not the one checked, so nothing is patched."""
    global _installed
    if streamlit.__version__ != CHECKED_VERSION:
        return False
    with _lock:
        if not _installed:
            from streamlit.elements import arrow

            arrow.marshall_styler = _memoised(arrow.marshall_styler)
            _installed = True
    return True
