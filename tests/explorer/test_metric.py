"""The direction of a headline change comes from the number as it is shown (explorer.views.metric)."""

from __future__ import annotations

from explorer.text.i18n import fmt_number
from explorer.views.metric import DOWN, NONE, UP, direction_of


def test_direction_follows_the_number_not_its_text():
    assert fmt_number(-0.8, "en", 1, sign=True).startswith("\u2212")     # the text a metric cannot read
    assert direction_of(-0.8, 1) == DOWN and direction_of(0.8, 1) == UP
    assert direction_of(-0.04, 1) == NONE and direction_of(0.004, 2) == NONE  # shown as 0.0 / 0.00
    assert direction_of(None) == NONE and direction_of(float("nan")) == NONE
    assert direction_of(-2) == DOWN and direction_of(0) == NONE
