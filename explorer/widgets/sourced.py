"""Tables of sourced values as the city and compare pages draw them: the source columns (source, licence, grade,
link), the indicator table's columns, and the city profile's side lists in lazy expanders."""

from __future__ import annotations

import streamlit as st

from explorer.text.grades import GRADE_HELP
from explorer.text.i18n import translator
from explorer.text.markdown import plain
from explorer.views.city.page import SideList
from explorer.widgets.page import lazy_expander
from explorer.widgets.tables import score_column, table


def source_columns(lang: str) -> dict:
    """column_config of the source, licence, grade and link columns (explorer.views.city.tables.with_sources)."""
    _ = translator(lang)
    return {
        "source": st.column_config.TextColumn(_("Source"), width="medium"),
        "licence": st.column_config.TextColumn(_("Licence")),
        "grade": st.column_config.TextColumn(_("Source grade"), help=_(GRADE_HELP)),
        "link": st.column_config.LinkColumn(_("Link"), display_text=_("open")),
    }


def indicator_columns(lang: str, status_help: bool = False) -> dict:
    """column_config of an indicator table (explorer.views.city.tables.indicator_table): name, value, year, status,
    score and sources; `status_help` adds the status column's explanation (the city page's)."""
    _ = translator(lang)
    help_text = _("'current' = a value for the edition's year; 'carried forward' = the latest "
                  "earlier value; 'later than the edition' = only a later value exists; 'below the "
                  "list's threshold' = not on a top-N list; 'no data' = missing.") if status_help else None
    return {
        "pillar_name": st.column_config.TextColumn(_("Pillar")),
        "name": st.column_config.TextColumn(_("Indicator")),
        "city": st.column_config.TextColumn(_("City")),
        "value_text": st.column_config.TextColumn(_("Value"), help=_("The raw value in its unit")),
        "year": st.column_config.NumberColumn(_("Year"), format="%d", help=_("The year the value refers to")),
        "status_text": st.column_config.TextColumn(_("Status"), help=help_text),
        "score": score_column(_("Score"), lang, 1, help=_("Normalised score, 0-100") if status_help else None),
        **source_columns(lang),
        "note": st.column_config.TextColumn(_("Note")),
    }


def side_list(item: SideList, lang: str) -> None:
    """One side list in a lazy expander (drawn only while open): its caption, then its table with the source
    columns, or the sentence saying why it is empty."""
    box = lazy_expander(item.label, item.key)
    if not box.open:
        return
    if item.caption:
        box.caption(plain(item.caption))
    if item.frame.empty:
        box.write(item.empty)
        return
    config: dict = dict(item.headers)
    for col, text in item.helps.items():
        config[col] = st.column_config.TextColumn(item.headers[col], help=text)
    for col in item.whole:
        config[col] = st.column_config.NumberColumn(item.headers[col], format="%d")
    box.dataframe(table(item.frame, lang), hide_index=True, column_order=list(item.columns),
                  column_config={**config, **source_columns(lang)})
