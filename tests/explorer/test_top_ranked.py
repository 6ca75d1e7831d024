"""One selection of the ranked top N (explorer.views.ranking.top_ranked): the home page's headline, presentation
mode's chart and the static snapshots' ranking page and preview card list the same cities in the same order."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from explorer.data.store import IndexData
from explorer.publish import snapshots
from explorer.views import ranking as R
from explorer.widgets import charts


@pytest.fixture(scope="module")
def tied(data) -> IndexData:
    """The published index with a tie at rank 1 between two cities whose English names sort the other way round
    from their ids (Bratislava / Braşov: bratislava / brasov)."""
    e = max(data.editions)
    s = data.scores.copy()
    at = (s["edition"] == e) & (s["pillar"] == "index") & s["city_id"].isin(["bratislava", "brasov"])
    s.loc[at, "rank"] = 1
    s.loc[at, "ranked"] = True
    return IndexData(tables={**data.tables, "scores": s}, manifest=data.manifest, index_dir=data.index_dir)


def _chart_ids(data: IndexData, edition: int, n: int, lang: str) -> list[str]:
    import pyarrow as pa

    spec = charts.spec(R.top_chart, data, edition, n, lang)
    frame = pa.ipc.open_stream(next(iter(spec["datasets"].values()))).read_pandas()
    return list(frame["city_id"])


def _snapshot_ids(data: IndexData, edition: int, lang: str) -> list[str]:
    html = snapshots.ranking_page(data, edition, bands=pd.DataFrame(columns=["rank_low", "rank_high"]), lang=lang)
    return re.findall(r'href="(?:\.\./)*city/([a-z0-9-]+)\.html"', html)


def test_top_ranked_is_the_published_order(data):
    e = max(data.editions)
    s = data.scores[(data.scores["edition"] == e) & (data.scores["pillar"] == "index") & data.scores["ranked"]]
    top = R.top_ranked(data, e, 10, "hu")
    assert list(top["city_id"]) == list(s.sort_values(["rank", "city_id"])["city_id"].head(10))
    assert list(top["score"]) == pytest.approx(list(s.sort_values(["rank", "city_id"])["score"].head(10)))
    assert R.top_ranked(data, e, 10, "hu") is top                       # memoised: one shared frame
    assert len(R.top_ranked(data, e)) == int(data.manifest["ranked_cities"][str(e)])


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_home_presentation_and_snapshots_agree(tied, lang):
    e = max(tied.editions)
    home = list(R.headline_view(tied, e, lang, 10).top["city_id"])
    assert home[:2] == ["brasov", "bratislava"]                         # a tie goes by id, in every language
    assert _chart_ids(tied, e, 10, lang) == home
    assert _snapshot_ids(tied, e, lang)[:10] == home
    assert list(snapshots._ranked(tied, e).head(10)["city_id"]) == home  # the preview card's rows
