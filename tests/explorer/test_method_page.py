"""The methodology page's tables (explorer.views.methodology.tables): one sources table with exactly the
per-indicator rows,
and the list of downloadable files."""

from __future__ import annotations

import pandas as pd

from explorer.data.store import TABLES
from explorer.views.methodology import notes as mn
from explorer.views.methodology import tables as mp


def test_one_sources_table_has_every_indicators_rows(data):
    table = mp.sources_by_indicator(data.indicators, data.sources, data.framework)
    for ind in data.framework["indicator"]:
        per = mn.indicator_sources(data.indicators, data.sources, ind)
        mine = table[table["indicator"] == ind].drop(columns=["indicator", "name"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, per, check_dtype=not per.empty)  # gawc_tier: no usable value
    assert list(mp.shown(table, mp.SOURCES_BY_INDICATOR_COLUMNS).columns) == list(mp.SOURCES_BY_INDICATOR_COLUMNS)


def test_framework_view_carries_the_value_years(data):
    fw = mp.framework_view(data.framework, data.indicators)
    years = mn.value_years(data.indicators)
    assert fw.set_index("indicator").at["global500_hq", "value_years"] == years["global500_hq"]
    assert set(mp.FRAMEWORK_COLUMNS) <= set(fw.columns)


def test_downloads_list_every_file_once():
    rows = {"cities": 3, "scores": 9, "rank_uncertainty": 5}
    files = mp.downloads(["cities", "scores", "absences"], ["rank_uncertainty", "audit_pillars"], rows,
                         {"absences": 2})
    assert [f.label for f in files] == ["cities.parquet", "cities.csv", "scores.parquet", "scores.csv",
                                        "absences.parquet", "absences.csv", "rank_uncertainty.parquet",
                                        "manifest.json"]
    assert [f.rows for f in files] == [3, 3, 9, 9, 2, 2, 5, None]
    assert len({f.file_name for f in files}) == len(files)
    assert len(mp.downloads(TABLES, [], {})) == 2 * len(TABLES) + 1


def test_indicator_notes_are_every_indicator_in_framework_order_and_the_language(data):
    """The expanders' text, built once per process: one per indicator, escaped for markdown, in the language asked
    for (a Hungarian session must not get the English entry, nor the reverse)."""
    en = mp.indicator_notes(data.framework, data.indicators, "en")
    hu = mp.indicator_notes(data.framework, data.indicators, "hu")
    fw = mp.framework_view(data.framework, data.indicators, "en")
    assert [n.label for n in en] == [f"{mp.plain(n)} ({mp.plain(p)})" for n, p in zip(fw["name"], fw["pillar_name"])]
    assert all(n.body.startswith(mp.plain(d)) for n, d in zip(en, fw["definition"]))
    assert all("**How it is counted.**" in n.body and n.caption.startswith("Unit: ") for n in en)
    assert [n.label for n in hu] != [n.label for n in en] and hu[0].caption.startswith("Mértékegység")
    assert mp.indicator_notes(data.framework, data.indicators, "en") == en  # the same text on every call


def test_framework_summary_is_escaped_for_markdown(data):
    text = mp.framework_summary(data.framework, "en")
    assert text == mp.plain(mn.framework_summary(data.framework, "en"))
    assert text.startswith("4 pillars, 14 indicators")


def test_file_bytes_are_the_published_files(data):
    files = {(f.kind, f.table): f for f in mp.downloads(TABLES, (), data.manifest.get("row_counts", {}))}
    assert mp.file_bytes(data, files[("parquet", "scores")]) == mn.parquet_bytes(data.index_dir, "scores")
    assert mp.file_bytes(data, files[("csv", "cities")]) == mn.csv_bytes(data.index_dir, "cities")
    assert mp.file_bytes(data, files[("manifest", None)]) == mn.manifest_bytes(data.index_dir)


def test_framework_view_leaves_the_shared_framework_table_as_it_was(data, monkeypatch):
    """framework_table's result is shared by every caller (explorer.perf.memo): the translated view derives a new
    frame instead of writing its columns into it."""
    monkeypatch.setenv("CDI_MEMO_CHECK", "1")
    mn.framework_table.cache_clear()
    mp.framework_view.cache_clear()
    before = mn.framework_table(data.framework, "cs")
    cols = list(before.columns)
    mp.framework_view(data.framework, data.indicators, "cs")
    after = mn.framework_table(data.framework, "cs")  # raises MemoMutated if the view changed it in place
    assert after is before and list(after.columns) == cols and "value_years" not in cols
