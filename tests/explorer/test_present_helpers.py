"""Presentation-mode helpers (explorer.widgets.present): the shared link drops present=1 and anything unsafe."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.data.store import load_index
from explorer.text import urls
from explorer.widgets import present


def test_clean_params_keeps_plain_values_only():
    params = {"present": ["1"], "edition": ["2024"], "cities": ["budapest,vienna,prague"], "city": ["<script>"],
              "metric": "tourism", "x": ["a" * 10_000], "BAD KEY": ["1"], "group": []}
    assert urls.clean_params(params) == {"edition": "2024", "cities": "budapest,vienna,prague",
                                            "metric": "tourism"}


def test_share_url():
    """The presentation link (explorer.text.urls.share_url with the page already in the base, as current_url)."""
    url = urls.share_url("https://cdi.example.org/compare?present=1#x", "",
                         {"present": "1", "cities": "budapest,vienna", "edition": "2025"})
    assert url == "https://cdi.example.org/compare?cities=budapest,vienna&edition=2025"
    assert urls.share_url("javascript:alert(1)", "", {}) == present.FALLBACK_BASE + "/"
    assert urls.share_url("https://cdi.example.org", "", {"edition": "2024"}) == "https://cdi.example.org/?edition=2024"
    long = urls.share_url("https://x.org/p", "", {f"k{chr(97 + i)}": "v" * 190 for i in range(10)})
    assert len(long) <= urls.MAX_URL_LEN and long.startswith("https://x.org/p?")


def test_qr_png_is_a_png():
    png = present.qr_png("https://cdi.example.org/ranking?edition=2025")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 200


def test_top_chart_is_the_published_top_ten():
    from explorer.views.ranking import top_chart

    data = load_index()
    edition = max(data.editions)
    chart = top_chart(data, edition).to_dict()
    top = pd.DataFrame(next(iter(chart["datasets"].values())))
    s = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == "index")]
    expected = s[s["rank"] <= 10].sort_values(["rank", "city_id"])
    assert list(top["city_id"]) == list(expected["city_id"])[:10]
    assert list(top["score"]) == pytest.approx(list(expected["score"].round(1))[:10])
    assert chart["layer"][0]["mark"]["type"] == "bar"
