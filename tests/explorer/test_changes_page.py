"""The /changes page's layout (explorer.views.changes.page): the waterfall chart is a view-model builder drawn
through charts.spec, and the tables' columns are labelled in the reader's language and edition."""

from __future__ import annotations

import pandas as pd

from explorer.views.changes import page as P
from explorer.views.columns import Col
from explorer.widgets import charts


def test_waterfall_spec_is_one_shared_dict_per_frame_and_language():
    wf = pd.DataFrame({"label": ["2022 score", "Twin towns", "2023 score"], "start": [0.0, 40.0, 0.0],
                       "end": [40.0, 41.5, 41.5], "kind": ["score", "up", "score"], "contribution": [40, 1.5, 41.5],
                       "order": [0, 1, 2]})
    en = charts.spec(P.waterfall_chart, wf, "en")
    assert charts.spec(P.waterfall_chart, wf, "en") is en
    assert en["encoding"]["x"]["sort"] == ["2022 score", "Twin towns", "2023 score"]
    de = charts.spec(P.waterfall_chart, wf, "de")
    assert de["encoding"]["y"]["title"] != en["encoding"]["y"]["title"]


def test_columns_name_the_editions_and_every_shown_column():
    cols = P.line_columns(2023, "en")
    assert set(cols) == set(P.LINE_COLUMNS)
    assert cols["value_prev_text"].label == "Value 2022" and cols["value_text"].label == "Value 2023"
    assert cols["contribution"] == Col("Contribution", "number", fmt="%+.3f", locale=True,
                                       help="Points of the index score; the lines sum to the score change")
    assert set(P.peer_columns(2023, "en")) == set(P.PEER_COLUMNS)
    assert P.peer_columns(2023, "hu")["rank_prev"].endswith("2022")
    assert set(P.event_columns("en")) == set(P.EVENT_COLUMNS) and set(P.diff_columns("en")) == set(P.DIFF_COLUMNS)
