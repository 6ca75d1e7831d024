"""The embed snippet (explorer.widgets.embed): the view's URL plus embed=true, only plain query values kept and those
URL-encoded, every attribute and text HTML-escaped, the credit line and licence after the iframe; no Streamlit."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explorer.widgets import embed

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = {"methodology_version": "1.0", "built_at": "2026-12-01T10:00:00+00:00"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(snippet: str) -> _Tags:
    p = _Tags()
    p.feed(snippet)
    return p


def test_city_snippet_is_an_iframe_of_the_view_with_embed_true():
    s = embed.snippet("http://h:8501/city", "city", "City Diplomacy Index 2025, methodology v1.0, http://h:8501/city"
                      "?city=budapest&edition=2025", embed.credit_line(MANIFEST, [2019, 2025]),
                      {"city": ["budapest"], "edition": ["2025"]})
    tags = parse(s)
    assert [t for t, _ in tags.tags] == ["iframe", "p", "a", "br"]
    frame = tags.tags[0][1]
    assert frame["src"] == "http://h:8501/city?city=budapest&edition=2025&embed=true"
    assert frame["width"] == "100%" and frame["height"] == str(embed.HEIGHTS["city"])
    assert tags.tags[2][1]["href"] == "http://h:8501/city?city=budapest&edition=2025"
    text = "".join(tags.text)
    assert "City Diplomacy Index, methodology v1.0 · editions 2019–2025 · built 2026-12-01" in text
    assert "CC BY-SA" in text and "ODbL" in text


def test_hostile_values_are_dropped_and_the_snippet_escaped():
    hostile = '"><script>alert(1)</script>&x=1 ü'
    s = embed.snippet("https://cdi.example.org/compare", "compare", f"cite {hostile}", "credit",
                      {"cities": hostile, "edition": "2025", "group": "v4"})
    assert "<script" not in s.lower() and '"><script' not in s
    frame = parse(s).tags[0][1]
    assert frame["src"] == "https://cdi.example.org/compare?edition=2025&group=v4&embed=true"
    assert "cite " + hostile in "".join(parse(s).text)  # escaped text reads back as the literal string


def test_kept_values_are_url_encoded():
    assert embed.embed_url("http://h/compare", {"cities": "budapest,prague"}) == \
        "http://h/compare?cities=budapest,prague&embed=true"
    assert embed.view_url("http://h/x", {"a": "1.5_x-y"}) == "http://h/x?a=1.5_x-y"
    assert embed.view_url("http://h/city?city=a%20b&edition=2025") == "http://h/city?edition=2025"


@pytest.mark.parametrize("params, expected", [
    ({"city": "vienna", "embed": "true", "embed_options": "dark_theme", "present": "1"}, "city=vienna"),
    ({"Embed": "true", "city": "vienna"}, "city=vienna"),
    ({"cities": ["budapest,prague", "ignored"]}, "cities=budapest,prague"),
    ({"weights": "40,20,20,20", "BAD KEY": "x", "a" * 30: "y"}, "weights=40,20,20,20"),
    ({"city": "x" * 500, "edition": "2025"}, "edition=2025"),
    ({"city": "<b>", "metric": "javascript:alert(1)", "edition": "2025"}, "edition=2025"),
])
def test_params_are_cleaned(params, expected):
    assert embed.embed_url("http://h/city", params) == f"http://h/city?{expected}&embed=true"


@pytest.mark.parametrize("base", [None, "", "javascript:alert(1)", "http://[", "ftp://h/x", "http://h h/x",
                                  'http://"onload="x/city'])
def test_a_bad_page_url_falls_back(base):
    assert embed.embed_url(base, {"city": "budapest"}).startswith(embed.FALLBACK_BASE + "/?city=budapest")


def test_the_page_url_keeps_its_path_and_drops_its_own_query():
    assert embed.embed_url("https://h/base/ranking?x=1#top", {"group": "v4"}) == \
        "https://h/base/ranking?x=1&group=v4&embed=true"
    assert embed.view_url("https://h/base/ranking?embed=true") == "https://h/base/ranking"


def test_embed_module_needs_no_streamlit():
    code = "import sys, explorer.widgets.embed; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
