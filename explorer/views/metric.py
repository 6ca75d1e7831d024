"""A headline figure as the pages draw it with st.metric: its value and signed change as text in the reader's
language, and the direction of the change taken from the number itself, never parsed back from the text (a
locale's typographic minus, "−0.8", reads as a rise to st.metric). No Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

UP, NONE, DOWN = 1, 0, -1


@dataclass(frozen=True)
class Metric:
    """One headline figure: `direction` is UP, DOWN or NONE (no change, or a change not to colour)."""

    label: str
    value: str
    delta: str | None = None
    direction: int = NONE
    help: str | None = None


def direction_of(change: float | int | None, decimals: int = 0) -> int:
    """UP or DOWN for a change that is not zero once rounded to the decimals it is shown with; else NONE."""
    if change is None or change != change:
        return NONE
    shown = round(float(change), decimals)
    return UP if shown > 0 else DOWN if shown < 0 else NONE
