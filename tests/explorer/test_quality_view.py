"""The quality report and freshness for the methodology page (explorer.views.methodology.quality): every finding
counted once,
the held-out values and reviewed decisions listed with their reasons as written, the edition's freshness in
framework order; labels in the reader's language."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.views.methodology import quality as qv


@pytest.fixture(scope="module")
def quality(data):
    return qv.load_quality(data.index_dir)


def _finding(**cols) -> dict:
    base = {"check": "series", "key": "a|tourist_nights|2020", "file": "observations.csv", "row": 2,
            "rule": "the producer flags the value as an estimate", "detail": "value 1", "action": "held",
            "decision": "rule", "reason": "held by the methodology's rule"}
    return {**base, **cols}


def _quality(rows: list[dict], freshness: pd.DataFrame | None = None) -> qv.QualityData:
    return qv.QualityData(pd.DataFrame(rows, columns=qv.QUALITY_COLUMNS),
                          freshness if freshness is not None else pd.DataFrame(columns=qv.FRESHNESS_COLUMNS))


def test_counts_cover_every_published_finding_once(quality):
    counts = qv.check_counts(quality)
    assert list(counts.columns) == qv.COUNT_COLUMNS
    assert counts["findings"].sum() == len(quality.quality)
    assert len(counts) == len(quality.quality.groupby(["check", "action"]))
    held = quality.quality.groupby("action").size()["held"]
    assert counts.loc[counts["action"] == "held out of the index", "findings"].sum() == held


def test_counts_in_words_of_the_language():
    q = _quality([_finding(), _finding(key="b|tourist_nights|2020"),
                  _finding(check="near_misses", key="X|DE", action="rejected", decision="reject", reason="r")])
    de = qv.check_counts(q, "de").set_index("action")
    assert de.at["aus dem Index zurückgehalten", "findings"] == 2
    assert de.at["abgelehnt", "check"] == "nicht zugeordnete Namen ähnlich einer Referenzstadt"


def test_decisions_are_the_held_values_and_the_reviewed_ones(quality):
    table = qv.decisions(quality)
    assert list(table.columns) == qv.DECISION_COLUMNS
    f = quality.quality
    wanted = f[(f["action"] == "held") | ~f["decision"].isin(["", "rule"])]
    assert sorted(table["key"]) == sorted(wanted["key"])
    stale = set(f.loc[(f["check"] == "stale"), "key"])
    assert stale and not stale & set(table["key"])  # the carry-forward rule's notes are counted, not listed
    vienna = table.set_index("key").loc["vienna|tourist_nights|2022->2023"]
    assert vienna["decision"] == "a real change" and "Post-pandemic recovery" in vienna["reason"]


def test_data_strings_stay_as_written():
    hostile = "<script>alert(1)</script> **bold** [link](javascript:x)"
    q = _quality([_finding(key=hostile, rule=hostile, reason=hostile, decision="unknown_word")])
    row = qv.decisions(q).iloc[0]
    assert row["key"] == row["rule"] == row["reason"] == hostile
    assert row["decision"] == "unknown_word"  # a word the explorer does not know is shown as it is


def test_freshness_of_an_edition_in_framework_order(data, quality):
    fresh = qv.freshness(quality, data.framework, 2025)
    assert list(fresh["indicator"]) == [i for i in data.framework["indicator"] if i in set(fresh["indicator"])]
    published = quality.freshness[quality.freshness["edition"] == 2025].set_index("indicator")
    assert set(fresh.loc[fresh["new_data"], "indicator"]) == set(published.index[published["new_data"]])
    row = fresh.set_index("indicator").loc["global500_hq"]
    assert row["newest_year"] == published.at["global500_hq", "newest_year"]
    assert row["next_release"] == published.at["global500_hq", "next_release"]  # the producer's note as written
    de = qv.freshness(quality, data.framework, 2025, "de").set_index("indicator")
    assert de.at["air_destinations", "next_release"] == "nicht angekündigt"


def test_an_indicator_without_values_in_the_edition(data, quality):
    fresh = qv.freshness(quality, data.framework, 2020).set_index("indicator")
    assert fresh.at["icca_meetings", "values"] == 0 and pd.isna(fresh.at["icca_meetings", "newest_year"])


def test_new_data_sentence():
    fresh = pd.DataFrame({"name": ["Tourist nights", "Twin and partner cities"], "new_data": [True, False]})
    assert qv.new_data_sentence(fresh, 2025, 2019) == (
        "Indicators with newer data in the 2025 edition than in the previous one: Tourist nights.")
    assert "No indicator" in qv.new_data_sentence(fresh.assign(new_data=False), 2025, 2019)
    assert "first edition" in qv.new_data_sentence(fresh, 2019, 2019)


def test_a_release_without_the_tables_reads_as_empty(tmp_path, data):
    q = qv.load_quality(tmp_path)
    assert q.quality.empty and q.freshness.empty
    assert qv.check_counts(q).empty and qv.decisions(q).empty and qv.held_count(q) == 0
    assert qv.freshness(q, data.framework, 2025).empty
