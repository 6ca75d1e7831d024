"""Presentation mode (?present=1), run from the entry point: large-type view, one chart, a QR code of the normal
view's link (without present=1), and a way back."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"



def chart_data(at: AppTest) -> pd.DataFrame:
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1  # one chart
    return pa.ipc.open_stream(charts[0].proto.datasets[0].data.data).read_pandas()


def shared_url(at: AppTest) -> str:
    assert len(at.get("image")) == 1  # the QR code
    assert len(at.code) == 1
    return at.code[0].value


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "scores.parquet")


@pytest.mark.parametrize("page", ["pages/home.py", "pages/ranking.py"])
def test_top_ten_chart_and_qr(page, scores):
    at = open_page(page, present="1", edition="2023")
    assert [t.value for t in at.title] == ["City Diplomacy Index 2023"]
    data = chart_data(at)
    s = scores[(scores["edition"] == 2023) & (scores["pillar"] == "index") & scores["rank"].notna()]
    top = s.sort_values(["rank", "city_id"]).head(10)
    assert list(data["city_id"]) == list(top["city_id"])
    assert list(data["score"]) == pytest.approx(list(top["score"].round(1)))
    url = shared_url(at)
    assert "present" not in url and "edition=2023" in url
    if page == "pages/home.py":  # the default page lives at the app's root: /home would be "page not found"
        assert url.split("?")[0] == "http://localhost:8501/"
    else:
        assert url.split("?")[0] == "http://localhost:8501/ranking"
    assert not at.text_input and not at.selectbox and not at.dataframe  # minimal chrome: no controls, no tables


def test_the_link_keeps_the_view_but_drops_hostile_parameters():
    at = open_page("pages/ranking.py", present="1", group="v4", region="<script>", x="y" * 10_000)
    url = shared_url(at)
    assert url.endswith("/ranking?group=v4") or "group=v4" in url
    assert "<" not in url and "yyyy" not in url and "present" not in url


def test_bad_edition_in_presentation_mode():
    at = open_page("pages/home.py", present="1", edition="abc")
    assert len(at.info) == 1
    latest = max(json.loads((INDEX_DIR / "manifest.json").read_text())["editions"])
    assert at.title[0].value == f"City Diplomacy Index {latest}"


@pytest.fixture
def published(tmp_path, monkeypatch) -> Path:
    """A rendered snapshot folder (python -m explorer.publish) with the pages these tests open."""
    from explorer.text import urls

    for rel in ("index.html", "pact.html", "hu/index.html", "pl/pact.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<!doctype html>", encoding="utf-8")
    monkeypatch.setattr(urls, "SNAPSHOT_DIR", tmp_path)
    return tmp_path


@pytest.fixture
def unpublished(tmp_path, monkeypatch) -> Path:
    """A fresh checkout: nothing rendered yet."""
    from explorer.text import urls

    monkeypatch.setattr(urls, "SNAPSHOT_DIR", tmp_path / "snapshots")
    return tmp_path


def test_map_and_pact_presentations(published):
    at = open_page("pages/map.py", present="1", city="vienna", metric="business")
    assert len(at.get("deck_gl_json_chart")) == 1 and not at.selectbox
    url = shared_url(at)
    assert "city=vienna" in url and "metric=business" in url and "present" not in url
    at = open_page("pages/pact.py", present="1")
    assert len(at.get("vega_lite_chart")) == 1 and len(at.get("deck_gl_json_chart")) == 0
    assert shared_url(at) == "http://localhost:8501/app/static/snapshots/pact.html"  # the light snapshot


@pytest.mark.parametrize("page", ["pages/home.py", "pages/ranking.py"])
def test_latest_edition_qr_opens_the_static_snapshot(page, published):
    """A whole room scanning at once loads a plain file, not a Streamlit script run each."""
    at = open_page(page, present="1")
    assert shared_url(at) == "http://localhost:8501/app/static/snapshots/index.html"
    assert any("snapshot" in c.value for c in at.caption)


@pytest.mark.parametrize("page, live", [("pages/home.py", "http://localhost:8501/"),
                                        ("pages/ranking.py", "http://localhost:8501/ranking"),
                                        ("pages/pact.py", "http://localhost:8501/pact")])
def test_before_publishing_the_qr_code_opens_the_live_view(page, live, unpublished):
    """A fresh checkout (nothing rendered by python -m explorer.publish): the QR code and link are the live view's,
    never a snapshot address that would answer 404."""
    at = open_page(page, present="1")
    assert shared_url(at) == live
    assert not any("snapshot" in c.value for c in at.caption)


@pytest.mark.parametrize("page, lang, target", [("pages/home.py", "hu", "hu/index.html"),
                                                ("pages/pact.py", "pl", "pl/pact.html")])
def test_the_qr_code_opens_the_snapshot_in_the_views_language(page, lang, target, published):
    at = open_page(page, present="1", lang=lang)
    assert shared_url(at) == f"http://localhost:8501/app/static/snapshots/{target}"


def test_exit_returns_to_the_normal_page():
    at = open_page("pages/home.py", present="1")
    at.button(key="exit_present").click().run()
    assert not at.exception
    assert "present" not in at.query_params
    assert at.title[0].value == "City Diplomacy Index"
    assert at.text_input  # the normal home page with its search box


def test_without_the_flag_nothing_changes():
    at = open_page("pages/home.py", present="0")
    assert at.title[0].value == "City Diplomacy Index" and not at.get("image")
