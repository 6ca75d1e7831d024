"""st.metric for an explorer.views.metric.Metric: colour and arrow set from the change's direction (green up, red
down, grey without an arrow for none), so the delta's text (locale number formats, words) is never parsed."""

from __future__ import annotations

from typing import Any

from explorer.views.metric import DOWN, UP, Metric

_STYLE = {UP: ("green", "up"), DOWN: ("red", "down")}


def metric(into: Any, m: Metric) -> None:
    """Draw `m` into a column or container (`into`, e.g. one of st.columns)."""
    color, arrow = _STYLE.get(m.direction, ("gray", "off"))
    into.metric(m.label, m.value, delta=m.delta, help=m.help, delta_color=color, delta_arrow=arrow)
