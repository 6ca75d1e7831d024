"""The one URL module (explorer.text.urls): one safe_url, one share-link builder, and light-page links that point at a
snapshot only once it has been rendered (a fresh checkout's QR codes open the live view)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.text import urls
from explorer.views.city import tables as profile
from explorer.views.pact import members as pact
from explorer.widgets import embed

ROOT = Path(__file__).resolve().parents[2]


def test_there_is_one_safe_url():
    assert profile.safe_url is urls.safe_url and pact.safe_url is urls.safe_url
    assert urls.safe_url(" https://x.org ") == "https://x.org"
    for bad in ("javascript:alert(1)", "https://a b", "//evil.example", "", None, float("nan")):
        assert urls.safe_url(bad) is None


def test_the_embed_link_is_the_share_link_without_embed_parameters():
    params = {"city": "vienna", "embed": "true", "present": "1", "x": "<b>"}
    assert embed.view_url("https://h/city?edition=2025", params) == \
        urls.share_url("https://h/city", "", {"edition": "2025", "city": "vienna"})


def test_with_lang():
    assert urls.with_lang({"city": "x"}, "en") == {"city": "x"}
    assert urls.with_lang({"city": "x"}, "hu") == {"city": "x", "lang": "hu"}


ALL_TARGETS = ["index.html", "pact.html", "city/budapest.html", "city/vienna.html", "hu/index.html",
               "pl/index.html", "de/city/budapest.html", "cs/pact.html"]


@pytest.fixture
def rendered(tmp_path) -> Path:
    for rel in ALL_TARGETS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<!doctype html>", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("url, page, expected", [
    ("http://h:8501/?edition=2025", "", "http://h:8501/app/static/snapshots/index.html"),
    ("http://h:8501/ranking", "ranking", "http://h:8501/app/static/snapshots/index.html"),
    ("https://h/base/city?city=budapest&edition=2025", "city", "https://h/base/app/static/snapshots/city/budapest.html"),
    ("http://h/pact?edition=2025", "pact", "http://h/app/static/snapshots/pact.html"),
    ("http://h/ranking?group=v4", "ranking", None),          # a filtered view has no snapshot
    ("http://h/city?city=budapest&edition=2021", "city", None),  # snapshots are of the latest edition only
    ("http://h/map?city=vienna", "map", None),
    ("http://h/city?city=..%2Fetc", "city", None),
    # a view in language X opens the X snapshot; English keeps the original addresses
    ("http://h:8501/?lang=hu", "", "http://h:8501/app/static/snapshots/hu/index.html"),
    ("http://h/ranking?edition=2025&lang=pl", "ranking", "http://h/app/static/snapshots/pl/index.html"),
    ("https://h/base/city?city=budapest&edition=2025&lang=de", "city",
     "https://h/base/app/static/snapshots/de/city/budapest.html"),
    ("http://h/pact?lang=cs", "pact", "http://h/app/static/snapshots/cs/pact.html"),
    ("http://h/city?city=vienna&lang=en", "city", "http://h/app/static/snapshots/city/vienna.html"),
    ("http://h/city?city=vienna&lang=fr", "city", None),          # no such language set
    ("http://h/city?city=vienna&lang=..%2F", "city", None),
    ("http://h/ranking?group=v4&lang=hu", "ranking", None),
])
def test_snapshot_url_once_rendered(rendered, url, page, expected):
    assert urls.snapshot_url(url, page, 2025, rendered) == expected


@pytest.mark.parametrize("url, page", [("http://h:8501/?edition=2025", ""), ("http://h/pact", "pact"),
                                       ("http://h/city?city=budapest&lang=de", "city")])
def test_before_publishing_there_is_no_snapshot_link(tmp_path, url, page):
    """A fresh checkout: nothing rendered, so the caller keeps the live view's link."""
    assert urls.snapshot_url(url, page, 2025, tmp_path / "snapshots") is None


def test_a_city_not_rendered_keeps_its_live_link(rendered):
    assert urls.snapshot_url("http://h/city?city=prague", "city", 2025, rendered) is None
    (rendered / "city" / "prague.html").write_text("x", encoding="utf-8")  # published while the app runs
    assert urls.snapshot_url("http://h/city?city=prague", "city", 2025, rendered) == \
        "http://h/app/static/snapshots/city/prague.html"


def test_the_existence_check_is_cheap(rendered):
    """One stat per link: far below a millisecond, so it is made on every call rather than cached."""
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        urls.snapshot_url("http://h/city?city=budapest&edition=2025", "city", 2025, rendered)
    per_call = (time.perf_counter() - start) / n
    assert per_call < 1e-3, per_call


def test_the_url_module_needs_no_streamlit():
    code = "import sys, explorer.text.urls; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
