"""Every page opens in each of the six languages (from the entry point), with translated labels and numbers in the
locale's format; unknown ?lang= values fall back to English."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.text.i18n import LANG_CODES, fmt_number, translator
from tests.app.helpers import INDEX_DIR, open_page

PAGES = ["home", "ranking", "compare", "city", "changes", "map", "pact", "methodology"]


@pytest.mark.parametrize("lang", LANG_CODES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_in_every_language(page, lang):
    at = open_page(f"pages/{page}.py", lang=lang)
    assert not at.exception


def test_budapest_in_hungarian_shows_the_published_score_with_a_decimal_comma():
    s = pd.read_parquet(INDEX_DIR / "scores.parquet")
    row = s[(s["city_id"] == "budapest") & (s["edition"] == 2025) & (s["pillar"] == "index")].iloc[0]
    at = open_page("pages/city.py", city="budapest", edition="2025", lang="hu")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Indexpontszám"] == fmt_number(row["score"], "hu", 1)
    assert "," in metrics["Indexpontszám"]
    assert any(t.value == "Pillérpontszámok a társakhoz mérve" for t in at.subheader)


def test_vienna_in_polish_is_wieden_on_the_compare_page():
    at = open_page("pages/compare.py", cities="budapest,vienna", lang="pl")
    assert [t.value for t in at.title] == [translator("pl")("Compare cities")]
    assert "Wiedeń" in [o for o in at.multiselect[0].options]


@pytest.mark.parametrize("raw", ["xx", "<script>alert(1)</script>", "x" * 10_000])
def test_an_unknown_language_falls_back_to_english(raw):
    at = open_page("pages/city.py", city="budapest", lang=raw)
    assert "Index score" in {m.label for m in at.metric}
