"""The annual feedback reports (explorer.documents.report): PDFs are valid, complete and carry the published numbers.

The focus cities' reports are rendered here (the publish command's code path); the published set in static/reports
(`python -m explorer.publish`) is checked when it exists (scripts/test.sh renders it first and sets
CDI_REQUIRE_PUBLISHED=1, so there a missing set fails)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from cdi_core import METHODOLOGY_VERSION
from cdi_core.paths import INDEX_DIR
from explorer.data.store import FOCUS
from explorer.documents import report as R
from explorer.text.urls import REPORT_DIR

EDITION = 2025


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory) -> Path:
    """The focus cities' and Gdańsk's reports of the latest edition, root-relative."""
    out = tmp_path_factory.mktemp("reports")
    R.render(data, out, cities=[*FOCUS, "gdansk"])
    return out / str(EDITION)


@pytest.fixture(scope="module")
def published() -> Path:
    folder = REPORT_DIR / str(EDITION)
    if not folder.is_dir():
        if os.environ.get("CDI_REQUIRE_PUBLISHED") == "1":
            pytest.fail("static/reports is missing: run python -m explorer.publish")
        pytest.skip("static/reports not rendered yet (python -m explorer.publish)")
    return folder


def _text(path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def test_every_focus_city_and_pact_member_has_a_published_report(data, published):
    have = {p.stem for p in published.glob("*.pdf")}
    pact = set(data.pact_members["city_id"])
    assert set(FOCUS) <= have and pact <= have
    assert have == set(R.report_cities(data))


@pytest.mark.parametrize("city_id", FOCUS)
def test_reports_are_valid_pdfs(rendered, city_id):
    raw = (rendered / f"{city_id}.pdf").read_bytes()
    assert raw.startswith(b"%PDF-")
    assert raw.rstrip().endswith(b"%%EOF")
    n = len(PdfReader(io.BytesIO(raw)).pages)
    assert 2 <= n <= 6
    assert len(re.findall(rb"/Type\s*/Page\b", raw)) == n


def test_budapest_report_carries_the_published_numbers(data, rendered):
    text = _text(rendered / "budapest.pdf")
    s = data.scores
    row = s[(s["city_id"] == "budapest") & (s["edition"] == EDITION) & (s["pillar"] == "index")].iloc[0]
    assert f"{int(row['rank'])} of {int(row['n_ranked'])}" in text
    assert f"{row['score']:.1f} / 100" in text
    b = pd.read_parquet(INDEX_DIR / "rank_uncertainty.parquet")
    band = b[(b["city_id"] == "budapest") & (b["edition"] == EDITION) & (b["pillar"] == "index")].iloc[0]
    assert f"likely {int(band['rank_low'])}–{int(band['rank_high'])}" in text
    for pillar in ("relations", "tourism", "business", "multiculturalism"):
        v = s[(s["city_id"] == "budapest") & (s["edition"] == EDITION) & (s["pillar"] == pillar)].iloc[0]["score"]
        assert f"{v:.1f}" in text
    assert "No dated event is known for Budapest" in text
    assert f"City Diplomacy Index 2025, methodology v{METHODOLOGY_VERSION}" in text
    assert "Lowy Institute" in text


def test_accented_names_survive(data, rendered):
    gdansk = _text(rendered / "gdansk.pdf")
    assert data.city_name("gdansk") in gdansk


def test_a_report_with_events_lists_them(data):
    from explorer.views.bands import load_robust
    from explorer.views.changes.tables import load_changes

    raw = R.report_pdf(data, load_changes(INDEX_DIR), load_robust(INDEX_DIR), "budapest", 2023)
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(raw)).pages)
    assert "organisation left" in text and "International Investment Bank" in text


def test_missing_font_fails_clearly(tmp_path):
    with pytest.raises(RuntimeError, match="fonts-dejavu-core"):
        R.font_paths(tmp_path)


def test_the_citation_names_the_live_profile_under_the_base_url(data, rendered, tmp_path):
    R.render(data, tmp_path, "https://cdi.example.org", ["budapest"])
    text = " ".join(_text(tmp_path / str(EDITION) / "budapest.pdf").split())
    assert f"https://cdi.example.org/city?city=budapest&edition={EDITION}" in text
    plain = " ".join(_text(rendered / "budapest.pdf").split())  # without a base URL: root-relative
    assert f"/city?city=budapest&edition={EDITION}" in plain and "example.org" not in plain
