"""The "Embed this view" control on the city, compare and ranking pages: an expander with the iframe snippet of the
current view (its query parameters plus embed=true) as copyable code, with the citation, credit line and licence,
drawn once the reader opens it."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app.helpers import open_page

LABEL = "Embed this view"


def _iframe_src(snippet: str) -> str:
    found: list[str] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "iframe":
                found.append(dict(attrs)["src"])

    P().feed(snippet)
    assert len(found) == 1, snippet
    return found[0]


def _snippet(at) -> str:
    assert LABEL in [e.label for e in at.expander]
    codes = [c.value for c in at.code if c.value.startswith("<iframe")]
    assert len(codes) == 1
    assert codes[0] in [c.value for c in next(e for e in at.expander if e.label == LABEL).code]
    return codes[0]


@pytest.mark.parametrize("page, params, expected", [
    ("pages/city.py", {"city": "budapest", "edition": "2024"}, {"city": ["budapest"], "edition": ["2024"]}),
    ("pages/city.py", {"city": "vienna", "peers": "region"},
     {"city": ["vienna"], "peers": ["region"], "edition": ["2025"]}),
    ("pages/compare.py", {"cities": "budapest,vienna"}, {"cities": ["budapest,vienna"], "edition": ["2025"]}),
    ("pages/ranking.py", {"group": "v4", "edition": "2023"}, {"group": ["v4"], "edition": ["2023"]}),
])
def test_embed_snippet_has_the_current_view_and_embed_true(page, params, expected):
    name = page.split("/")[1][:-3]
    at = open_page(page, context={"url": f"https://cdi.example.org/{name}"}, open_sections=(f"{name}_embed",), **params)
    snippet = _snippet(at)
    src = urlsplit(_iframe_src(snippet))
    assert (src.scheme, src.netloc, src.path) == ("https", "cdi.example.org", "/" + page.split("/")[1][:-3])
    assert parse_qs(src.query) == {**expected, "embed": ["true"]}
    assert 'width="100%"' in snippet
    assert "City Diplomacy Index, methodology v" in snippet and "CC BY-SA" in snippet


def test_hostile_query_values_stay_out_of_the_snippet():
    hostile = '"><script>alert(1)</script>'
    at = open_page("pages/compare.py", cities="budapest,vienna", edition="2025", x=hostile, y="plain-1",
                   open_sections=("compare_embed",))
    snippet = _snippet(at)
    assert "<script" not in snippet.lower() and "alert" not in snippet
    assert parse_qs(urlsplit(_iframe_src(snippet)).query) == {"cities": ["budapest,vienna"], "edition": ["2025"],
                                                               "y": ["plain-1"], "embed": ["true"]}
