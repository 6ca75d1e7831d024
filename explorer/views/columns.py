"""What a table column shows (kind, label, number format, help, width), decided by a view model without Streamlit;
explorer.widgets.columns turns a set of them into st.dataframe's column_config. Labels arrive translated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    """One column: `kind` is text, number, link, checkbox or progress; `fmt` a printf format (with `locale`, used in
    English only: other languages show the locale text of explorer.widgets.tables.styled); `display_text` a link's
    text; `low`/`high` a progress bar's range."""

    label: str
    kind: str = "text"
    fmt: str | None = None
    help: str | None = None
    width: str | None = None
    locale: bool = False
    display_text: str | None = None
    low: float = 0
    high: float = 100


def number(label: str, fmt: str | None = None, help: str | None = None, locale: bool = False) -> Col:
    """A number column (`locale`: the format applies in English only)."""
    return Col(label, "number", fmt=fmt, help=help, locale=locale)


def text(label: str, width: str | None = None, help: str | None = None) -> Col:
    return Col(label, "text", width=width, help=help)


def link(label: str, display_text: str) -> Col:
    return Col(label, "link", display_text=display_text)
