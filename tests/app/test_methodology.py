"""Methodology & data page (/methodology), run from the entry point: framework, coverage, sources, downloads and
the data version are the published ones."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from tests.app.helpers import frame_with, open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"
PAGE = "pages/methodology.py"
TABLES = ("cities", "scores", "indicators", "framework", "sources", "pact_members", "twinnings",
          "network_memberships", "whc_sites", "global500_hq", "intl_org_seats", "twinning_events", "absences")
ROBUST_TABLES = ("rank_uncertainty", "audit_pillars", "audit_indicators", "audit_correlations",
                 "changes", "rank_changes", "data_diff", "events")  # Parquet only


def test_framework_and_rules():
    at = open_page(PAGE)
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet")
    table = frame_with(at, "goalpost_high_raw")
    assert list(table["indicator"]) == list(fw["indicator"])
    assert len(at.expander) >= len(fw)
    text = " ".join(str(m.value) for m in at.markdown)
    for phrase in ("below the list's threshold", "no data", "later vintage", "65%", "goalposts fixed"):
        assert phrase in text, phrase


def test_sources_table_has_every_source():
    at = open_page(PAGE)
    sources = pd.read_parquet(INDEX_DIR / "sources.parquet")
    table = frame_with(at, "retrieved")
    assert sorted(table["source_id"]) == sorted(sources["source_id"])
    assert all(u is None or str(u).startswith(("https://", "http://")) for u in table["link"])


def test_coverage_table_for_the_linked_edition():
    at = open_page(PAGE, edition="2019")
    assert at.query_params["edition"] == "2019"
    cov = frame_with(at, "below_threshold").set_index("indicator")
    ind = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    icca = ind[(ind["edition"] == 2019) & (ind["indicator"] == "icca_meetings")]["status"].value_counts()
    assert cov.at["icca_meetings", "observed"] == icca.get("observed", 0)
    assert cov.at["icca_meetings", "below_threshold"] == icca.get("below_threshold", 0)
    assert cov.at["icca_meetings", "missing"] == icca.get("missing", 0)


def test_bad_edition_falls_back():
    at = open_page(PAGE, edition="<script>")
    assert len(at.info) == 1 and "<" not in at.info[0].value


def test_downloads_are_the_published_files(deferred):
    at = open_page(PAGE)
    assert len(at.get("download_button")) == 2 * len(TABLES) + len(ROBUST_TABLES) + 1
    assert set(deferred) == ({f"cdi_{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")}
                             | {f"cdi_{t}.parquet" for t in ROBUST_TABLES} | {"cdi_manifest.json"})
    assert deferred["cdi_rank_uncertainty.parquet"]() == (INDEX_DIR / "rank_uncertainty.parquet").read_bytes()
    for table in ("scores", "pact_members"):
        path = INDEX_DIR / f"{table}.parquet"
        assert deferred[f"cdi_{table}.parquet"]() == path.read_bytes()
        csv = pd.read_csv(io.BytesIO(deferred[f"cdi_{table}.csv"]()))
        frame = pd.read_parquet(path)
        assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame)
    assert json.loads(deferred["cdi_manifest.json"]()) == json.loads((INDEX_DIR / "manifest.json").read_text())


def test_data_version_from_the_manifest():
    at = open_page(PAGE)
    manifest = json.loads((INDEX_DIR / "manifest.json").read_text())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Methodology"] == f"v{manifest['methodology_version']}"
    assert metrics["Built"] == manifest["built_at"][:10]
    hashes = frame_with(at, "input")
    assert dict(zip(hashes["input"], hashes["sha256"])) == {k: v[:12] for k, v in manifest["input_hashes"].items()}
