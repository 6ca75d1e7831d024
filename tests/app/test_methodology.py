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
                 "changes", "rank_changes", "data_diff", "events", "quality", "freshness")  # Parquet only


def test_framework_and_rules():
    at = open_page(PAGE)
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet")
    table = frame_with(at, "goalpost_high_raw")
    assert list(table["name"]) == list(fw["name"])
    assert "rule" not in table.columns  # only the columns shown are sent
    assert len(at.expander) >= len(fw)
    text = " ".join(str(m.value) for m in at.markdown)
    for phrase in ("below the list's threshold", "no data", "later vintage", "65%", "goalposts fixed"):
        assert phrase in text, phrase


def test_sources_of_every_indicator_in_one_table():
    at = open_page(PAGE)
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet")
    ind = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    table = frame_with(at, "values")
    assert list(dict.fromkeys(table["name"])) == [n for i, n in zip(fw["indicator"], fw["name"])
                                                  if (ind.loc[ind["indicator"] == i, "source_id"] != "").any()]
    cited = ind[ind["source_id"] != ""].groupby(["indicator"]).size()
    by_name = table.groupby("name")["values"].sum()
    assert {i: by_name[n] for i, n in zip(fw["indicator"], fw["name"]) if n in by_name} == cited.to_dict()
    assert all(u is None or str(u).startswith(("https://", "http://")) for u in table["link"])


def test_sources_table_has_every_source():
    at = open_page(PAGE)
    sources = pd.read_parquet(INDEX_DIR / "sources.parquet")
    table = frame_with(at, "retrieved")
    assert sorted(table["source_id"]) == sorted(sources["source_id"])
    assert all(u is None or str(u).startswith(("https://", "http://")) for u in table["link"])


def test_coverage_table_for_the_linked_edition():
    at = open_page(PAGE, edition="2019")
    assert at.query_params["edition"] == "2019"
    cov = frame_with(at, "below_threshold").set_index("name")
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet")
    icca_name = fw.set_index("indicator").at["icca_meetings", "name"]
    ind = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    icca = ind[(ind["edition"] == 2019) & (ind["indicator"] == "icca_meetings")]["status"].value_counts()
    assert cov.at[icca_name, "observed"] == icca.get("observed", 0)
    assert cov.at[icca_name, "below_threshold"] == icca.get("below_threshold", 0)
    assert cov.at[icca_name, "missing"] == icca.get("missing", 0)


def test_bad_edition_falls_back():
    at = open_page(PAGE, edition="<script>")
    assert len(at.info) == 1 and "<" not in at.info[0].value


def test_downloads_are_the_published_files(deferred):
    at = open_page(PAGE)
    assert len(at.get("download_button")) == 1  # one picker and one button, not a button per file
    picker = at.selectbox(key="method_download")
    labels = [o for o in picker.options]
    assert labels == [f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")] \
        + [f"{t}.parquet" for t in ROBUST_TABLES] + ["manifest.json"]
    assert set(deferred) == {"cdi_cities.parquet"}  # the first file is the default
    for label in ("rank_uncertainty.parquet", "scores.parquet", "scores.csv", "pact_members.parquet",
                  "pact_members.csv", "manifest.json"):
        at.selectbox(key="method_download").select(next(o for o in picker.options if o == label)).run()
        assert not at.exception
    assert deferred["cdi_rank_uncertainty.parquet"]() == (INDEX_DIR / "rank_uncertainty.parquet").read_bytes()
    at.selectbox(key="method_download").select("quality.parquet").run()
    assert deferred["cdi_quality.parquet"]() == (INDEX_DIR / "quality.parquet").read_bytes()
    for table in ("scores", "pact_members"):
        path = INDEX_DIR / f"{table}.parquet"
        assert deferred[f"cdi_{table}.parquet"]() == path.read_bytes()
        csv = pd.read_csv(io.BytesIO(deferred[f"cdi_{table}.csv"]()))
        frame = pd.read_parquet(path)
        assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame)
    assert json.loads(deferred["cdi_manifest.json"]()) == json.loads((INDEX_DIR / "manifest.json").read_text())
    rows = json.loads((INDEX_DIR / "manifest.json").read_text())["row_counts"]
    at.selectbox(key="method_download").select("scores.csv").run()
    assert any(f"**scores** · {rows['scores']:,} rows" == c.value for c in at.caption)


def test_data_version_from_the_manifest():
    at = open_page(PAGE)
    manifest = json.loads((INDEX_DIR / "manifest.json").read_text())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Methodology"] == f"v{manifest['methodology_version']}"
    assert metrics["Built"] == manifest["built_at"][:10]
    hashes = frame_with(at, "input")
    assert dict(zip(hashes["input"], hashes["sha256"])) == {k: v[:12] for k, v in manifest["input_hashes"].items()}


def test_quality_report_counts_every_finding_and_lists_the_decisions():
    at = open_page(PAGE)
    quality = pd.read_parquet(INDEX_DIR / "quality.parquet")
    assert "Quality checks" in [h.value for h in at.header]
    counts = frame_with(at, "findings")
    assert counts["findings"].sum() == len(quality)
    held = int((quality["action"] == "held").sum())
    assert counts.loc[counts["action"] == "held out of the index", "findings"].sum() == held
    assert any(f"{held:,} values are held out of the index" in str(m.value) for m in at.markdown)
    decisions = frame_with(at, "decision")
    assert list(decisions.columns) == ["check", "key", "rule", "decision", "reason"]
    reviewed = quality[(quality["action"] == "held") | ~quality["decision"].isin(["", "rule"])]
    assert len(decisions) == len(reviewed)
    row = decisions.set_index("key").loc["vienna|tourist_nights|2022->2023"]
    assert row["decision"] == "a real change" and row["reason"].startswith("Post-pandemic recovery")
    # no finding's text becomes markup: the keys, rules and reasons are only in the table's cells
    texts = [str(m.value) for m in at.markdown] + [str(c.value) for c in at.caption]
    assert not any(r in t for r in set(quality["reason"]) | set(quality["rule"]) for t in texts)


def test_freshness_of_the_selected_edition():
    fresh = pd.read_parquet(INDEX_DIR / "freshness.parquet")
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet").set_index("indicator")
    at = open_page(PAGE, edition="2025")
    assert "Which indicators got new data in 2025?" in [s.value for s in at.subheader]
    table = frame_with(at, "new_data").set_index("name")
    mine = fresh[fresh["edition"] == 2025]
    assert set(table.index[table["new_data"]]) == {fw.at[i, "name"] for i in mine.loc[mine["new_data"], "indicator"]}
    g500 = mine.set_index("indicator").loc["global500_hq"]
    assert table.at[fw.at["global500_hq", "name"], "newest_year"] == g500["newest_year"]
    assert table.at[fw.at["global500_hq", "name"], "next_release"] == g500["next_release"]
    assert any("Indicators with newer data in the 2025 edition" in str(m.value) for m in at.markdown)
    icca = fw.at["icca_meetings", "name"]  # no ICCA values in the pandemic editions
    assert frame_with(open_page(PAGE, edition="2020"), "new_data").set_index("name").at[icca, "values"] == 0


def test_quality_and_freshness_in_german():
    at = open_page(PAGE, lang="de", edition="2025")
    assert "Qualitätsprüfungen" in [h.value for h in at.header]
    assert "Welche Indikatoren haben 2025 neue Daten erhalten?" in [s.value for s in at.subheader]
    decisions = frame_with(at, "decision")
    assert "eine echte Veränderung" in set(decisions["decision"])
    assert "nicht angekündigt" in set(frame_with(at, "new_data")["next_release"])
