"""The static snapshots (explorer.snapshots): the same numbers as the published Parquet, nothing executable, and a
presentation-mode QR code that opens them."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from explorer import present
from explorer.snapshots import SNAPSHOT_DIR, city_page, link, pact_page, ranking_page
from explorer.store import load_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data():
    return load_index()


def text_of(html: str) -> str:
    """Roughly what a reader sees: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(b|a|span)\b[^>]*>", "", html)
    return unescape(re.sub(r"<[^>]+>", " ", inline))


def test_budapest_snapshot_shows_the_published_rank_score_and_pillars(data):
    edition = max(data.editions)
    s = data.scores[(data.scores["city_id"] == "budapest") & (data.scores["edition"] == edition)]
    idx = s[s["pillar"] == "index"].iloc[0]
    page = city_page(data, "budapest", edition)
    text = " ".join(text_of(page).split())
    assert f"Rank {int(idx['rank'])} of {int(idx['n_ranked'])}" in text
    assert f"Index score {idx['score']:.1f}" in text
    for r in s[s["pillar"] != "index"].itertuples():
        assert f"{data.pillar_names[r.pillar]} {r.score:.1f} {int(r.rank)} of {int(r.n_ranked)}" in text
    assert f"City Diplomacy Index {edition}, methodology v{data.manifest['methodology_version']}, " \
           f"/city?city=budapest&edition={edition}" in text
    assert 'href="/city?city=budapest&amp;edition=' in page  # into the live explorer


def test_every_indicator_value_has_its_year_and_source(data):
    from explorer import profile as P

    edition = max(data.editions)
    text = " ".join(text_of(city_page(data, "vienna", edition)).split())
    table = P.indicator_table(data, "vienna", edition)
    assert len(table) == len(data.framework)
    for r in table.itertuples():
        year = "" if P.is_missing(r.year) or r.status == "missing" else f" ({int(r.year)})"
        assert f"{r.name}: {r.value_text}{year} · {r.status_text}" in text
        if r.source:
            assert " ".join(r.source.split()) in text


def test_ranking_snapshot_lists_every_ranked_city_in_order(data):
    edition = max(data.editions)
    page = ranking_page(data, edition)
    s = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == "index") & data.scores["ranked"]]
    ids = re.findall(r'href="city/([a-z0-9-]+)\.html"', page)
    assert ids == list(s.sort_values(["rank", "city_id"])["city_id"])


def test_pact_snapshot_has_every_member(data):
    page = pact_page(data, max(data.editions))
    assert set(re.findall(r'href="city/([a-z0-9-]+)\.html"', page)) == set(data.pact_members["city_id"])


def test_no_page_can_run_script():
    pages = list(SNAPSHOT_DIR.rglob("*.html"))
    assert len(pages) > 300
    for path in pages[:: max(1, len(pages) // 40)] + [SNAPSHOT_DIR / "index.html", SNAPSHOT_DIR / "pact.html"]:
        html = path.read_text(encoding="utf-8")
        lower = html.lower()
        assert "<script" not in lower and "javascript:" not in lower and not re.search(r"<[^>]*\son[a-z]+\s*=", lower)
        assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_links_accept_only_web_addresses_and_safe_relative_paths():
    assert link("https://example.org/a?b=1", "x") == '<a href="https://example.org/a?b=1">x</a>'
    assert link("city/budapest.html", "<b>") == '<a href="city/budapest.html">&lt;b&gt;</a>'
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.example", "a b",
                'x" onmouseover="alert(1)', None):
        out = link(bad, "<i>t</i>")
        assert out == "&lt;i&gt;t&lt;/i&gt;", (bad, out)


def test_snapshot_module_needs_no_streamlit():
    code = "import sys, explorer.snapshots; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("url, page, expected", [
    ("http://h:8501/?edition=2025", "", "http://h:8501/app/static/snapshots/index.html"),
    ("http://h:8501/ranking", "ranking", "http://h:8501/app/static/snapshots/index.html"),
    ("https://h/base/city?city=budapest&edition=2025", "city", "https://h/base/app/static/snapshots/city/budapest.html"),
    ("http://h/pact?edition=2025", "pact", "http://h/app/static/snapshots/pact.html"),
    ("http://h/ranking?group=v4", "ranking", None),          # a filtered view has no snapshot
    ("http://h/city?city=budapest&edition=2021", "city", None),  # snapshots are of the latest edition only
    ("http://h/map?city=vienna", "map", None),
    ("http://h/city?city=..%2Fetc", "city", None),
])
def test_snapshot_url(url, page, expected):
    assert present.snapshot_url(url, page, 2025) == expected


def test_live_base_makes_every_link_into_the_explorer_absolute(data):
    edition = max(data.editions)
    for html in (city_page(data, "budapest", edition, "https://cdi.example.org"),
                 ranking_page(data, edition, "https://cdi.example.org"),
                 pact_page(data, edition, "https://cdi.example.org")):
        assert 'href="https://cdi.example.org/methodology"' in html
        assert 'href="/' not in html
