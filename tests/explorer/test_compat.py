"""Streamlit's internals behind one door (explorer.compat): every probe passes on the installed Streamlit; a probe
forced to fail (CDI_COMPAT_DISABLE) or really broken is logged once and its fallback gives what a reader would see
with the shortcut: the same table data, the same chart, the same Styler output, the guard safely off."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
from streamlit import dataframe_util
from streamlit.elements import arrow, vega_charts
from streamlit.proto.ArrowData_pb2 import ArrowData
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils import script_run_context
from streamlit.testing.v1 import AppTest

from explorer import compat
from explorer.data.store import load_index
from explorer.views.pact import members as pv
from explorer.widgets import charts, shell, tables
from explorer.widgets.tables import styled

ROOT = Path(__file__).resolve().parents[2]
FRAME = pd.DataFrame({"city": ["Wien", "Budapest", None], "score": [87.25, float("nan"), 3.0],
                      "rank": pd.array([1, None, 3], dtype="Int64")}).iloc[[2, 0, 1]]


@pytest.fixture(autouse=True)
def fresh_probes(monkeypatch):
    """Each test probes anew; afterwards the process is as the other tests expect it (probes passing, the Styler
    memo installed, as explorer.widgets.tables leaves it)."""
    monkeypatch.delenv(compat.DISABLE_ENV, raising=False)
    compat.reset()
    yield
    monkeypatch.undo()
    compat.reset()
    compat.install_styler_memo()


def force_fail(monkeypatch, *names: str) -> None:
    monkeypatch.setenv(compat.DISABLE_ENV, ",".join(names))
    compat.reset()


@pytest.mark.parametrize("name", list(compat.PROBES))
def test_every_probe_passes_on_the_installed_streamlit(name, caplog):
    with caplog.at_level(logging.WARNING, logger="explorer.compat"):
        assert compat.ok(name)
    assert not caplog.records


def test_every_probe_is_documented_with_its_fallback():
    assert set(compat.FALLBACKS) == set(compat.PROBES)
    for name in compat.PROBES:
        assert f"- {name}:" in compat.__doc__


@pytest.mark.parametrize("name", list(compat.PROBES))
def test_a_forced_failure_is_logged_once_naming_the_probe(name, monkeypatch, caplog):
    force_fail(monkeypatch, name)
    with caplog.at_level(logging.WARNING, logger="explorer.compat"):
        assert not compat.ok(name) and not compat.ok(name)
        others = [n for n in compat.PROBES if n != name]
        assert all(compat.ok(n) for n in others)
    assert [r.getMessage() for r in caplog.records if name in r.getMessage()] and len(caplog.records) == 1
    assert repr(name) in caplog.records[0].getMessage()


def test_all_forces_every_probe_to_fail(monkeypatch):
    force_fail(monkeypatch, "all")
    assert compat.report() == dict.fromkeys(compat.PROBES, False)


def test_the_switch_is_read_when_the_probe_runs(monkeypatch):
    assert compat.ok("arrow_table")
    monkeypatch.setenv(compat.DISABLE_ENV, "arrow_table")
    assert compat.ok("arrow_table")          # remembered for the process
    compat.reset()
    assert not compat.ok("arrow_table")


# --- real breakage, not only the switch: each probe notices what it relies on going away --------------------------

def _bad_marshal(proto, styler):  # a marshall_styler with another signature
    raise AssertionError("never called")


@pytest.mark.parametrize("name, target, attr, value", [
    ("script_run_ctx", script_run_context, "get_script_run_ctx", None),
    ("legacy_pages_flag", PagesManager, "uses_pages_directory", "yes"),
    ("arrow_table", dataframe_util, "convert_pandas_df_to_arrow_table", None),
    ("altair_spec", vega_charts, "_convert_altair_to_vega_lite_spec", None),
    ("altair_spec", vega_charts, "_convert_altair_to_vega_lite_spec", lambda chart: chart.to_dict()),
    ("altair_lock", vega_charts, "_altair_globals_lock", None),
    ("styler_marshal", arrow, "marshall_styler", _bad_marshal),
])
def test_a_probe_fails_when_what_it_relies_on_changes(name, target, attr, value, monkeypatch, caplog):
    compat.reset()   # the Styler patch off, so the probe sees the replaced function
    if value is None:
        monkeypatch.delattr(target, attr)
    else:
        monkeypatch.setattr(target, attr, value)
    with caplog.at_level(logging.WARNING, logger="explorer.compat"):
        assert not compat.ok(name)
    assert f"probe {name!r} failed" in caplog.text


def test_the_styler_probe_checks_the_memoised_bytes(monkeypatch):
    def wrong(original):
        def marshall_styler(proto, styler, default_uuid):
            original(proto, styler, default_uuid)
            proto.styler.caption = "changed"
        return marshall_styler

    monkeypatch.setattr(compat, "_memoised", wrong)
    assert not compat.install_styler_memo()
    assert not hasattr(arrow.marshall_styler, "original")


# --- the fallbacks ------------------------------------------------------------------------------------------------

def _table_script(data) -> None:
    import streamlit as st

    st.dataframe(data)


def _drawn_table(data) -> pd.DataFrame:
    at = AppTest.from_function(_table_script, args=(data,)).run()
    assert not at.exception
    return at.dataframe[0].value


def test_arrow_fallback_hands_st_dataframe_the_frame_and_the_same_table_is_drawn(monkeypatch):
    shortcut = tables.to_arrow(FRAME)
    assert isinstance(shortcut, pa.Table)
    force_fail(monkeypatch, "arrow_table")
    assert tables.to_arrow(FRAME) is FRAME
    pd.testing.assert_frame_equal(_drawn_table(FRAME), _drawn_table(shortcut))


def _normalised(spec: dict) -> tuple[str, list]:
    """The spec with its dataset names replaced by their order, and each dataset's rows (Arrow bytes or inline)."""
    spec = dict(spec)
    datasets = spec.pop("datasets")
    rows = {name: (pa.ipc.open_stream(d).read_pandas() if isinstance(d, bytes) else pd.DataFrame(d))
            for name, d in datasets.items()}
    rows = {name: json.loads(f.to_json(orient="records")) for name, f in rows.items()}
    order = sorted(rows, key=lambda n: json.dumps(rows[n], sort_keys=True))
    text = json.dumps(spec, sort_keys=True)
    for i, name in enumerate(order):
        text = text.replace(json.dumps(name), json.dumps(f"D{i}"))
    return text, [rows[n] for n in order]


def test_altair_fallback_is_the_same_chart_with_inline_data(monkeypatch):
    data = load_index()
    chart = charts.pact_timeline_chart(pv.timeline(data), "en")
    shortcut = charts.to_spec(chart)
    force_fail(monkeypatch, "altair_spec", "altair_lock")
    fallback = charts.to_spec(chart)
    assert all(isinstance(v, list) for v in fallback["datasets"].values())
    assert _normalised(fallback) == _normalised(shortcut)
    assert compat.altair_globals_lock() is not vega_charts._altair_globals_lock


def test_altair_fallback_takes_streamlits_lock_when_that_probe_passes(monkeypatch):
    force_fail(monkeypatch, "altair_spec")
    assert compat.altair_globals_lock() is vega_charts._altair_globals_lock
    with vega_charts._altair_globals_lock:   # held by "another session": the fallback waits for it
        import threading

        done = threading.Event()
        threading.Thread(target=lambda: (charts.to_spec(alt.Chart(FRAME).mark_bar()), done.set()), daemon=True).start()
        assert not done.wait(0.3)
    assert done.wait(10)


def _chart_script(spec) -> None:
    from explorer.widgets import charts

    charts.draw(spec)


def _drawn_chart(spec) -> list:
    at = AppTest.from_function(_chart_script, args=(spec,)).run()
    assert not at.exception
    proto = at.get("vega_lite_chart")[0].proto
    return [pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records") for d in proto.datasets]


def test_a_fallback_chart_is_drawn_with_the_same_data(monkeypatch):
    chart = alt.Chart(FRAME.dropna()).mark_bar().encode(x="city:N", y="score:Q")
    shortcut = _drawn_chart(charts.to_spec(chart))
    force_fail(monkeypatch, "altair_spec")
    assert _drawn_chart(charts.to_spec(chart)) == shortcut


def _styler_bytes(styler) -> bytes:
    proto = ArrowData()
    arrow.marshall_styler(proto, styler, "x")
    return proto.styler.SerializeToString()


def test_without_the_styler_patch_a_shared_styler_is_marshalled_every_time_with_the_same_bytes(monkeypatch):
    force_fail(monkeypatch, "styler_marshal")
    assert not compat.install_styler_memo()
    assert not hasattr(arrow.marshall_styler, "original")
    shared = tables.table(FRAME, "hu")
    fresh = styled(FRAME, "hu").set_uuid(shared.uuid)
    translations = []
    real = type(shared)._translate
    monkeypatch.setattr(type(shared), "_translate", lambda self, *a, **k: translations.append(1) or real(self, *a, **k))
    assert _styler_bytes(shared) == _styler_bytes(shared) == _styler_bytes(fresh)
    assert len(translations) == 3


def _fake_ctx(monkeypatch) -> None:
    ctx = SimpleNamespace(main_script_path=str(shell.ENTRY_POINT), pages_manager=SimpleNamespace(
        main_script_parent=shell.ENTRY_POINT.parent))
    monkeypatch.setattr(script_run_context, "get_script_run_ctx", lambda *a, **k: ctx)


def test_the_script_context_reaches_the_guard_and_the_page_cache(monkeypatch):
    _fake_ctx(monkeypatch)
    assert compat.main_script_path() == str(shell.ENTRY_POINT)
    assert compat.main_script_parent() == str(ROOT)
    assert shell.reached_without_entry_point()


def test_without_the_script_context_the_guard_is_off_and_pages_are_built_per_run(monkeypatch):
    _fake_ctx(monkeypatch)
    force_fail(monkeypatch, "script_run_ctx")
    assert compat.main_script_path() is None and compat.main_script_parent() is None
    assert not shell.reached_without_entry_point()
    assert not compat.leave_legacy_pages_mode()
    before = dict(shell._built)
    assert len(shell.nav_pages("en", str)) == len(shell.PAGE_SPECS)
    assert shell._built == before


def test_without_page_copies_pages_are_built_per_run(monkeypatch):
    _fake_ctx(monkeypatch)
    force_fail(monkeypatch, "page_copies")
    monkeypatch.setattr(shell, "_built", {})
    a, b = shell.nav_pages("en", str), shell.nav_pages("en", str)
    assert len(a) == len(b) == len(shell.PAGE_SPECS) and shell._built == {}


def test_leaving_the_legacy_mode_only_when_the_flag_probe_passes(monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    force_fail(monkeypatch, "legacy_pages_flag")
    assert not compat.leave_legacy_pages_mode()
    assert PagesManager.uses_pages_directory is True      # untouched: the page runs on its own, no rerun loop
    monkeypatch.delenv(compat.DISABLE_ENV)
    compat.reset()
    assert compat.leave_legacy_pages_mode()
    assert PagesManager.uses_pages_directory is False


def _private_touches(path: Path) -> list[str]:
    """Imports of streamlit submodules, `streamlit.x` attribute chains and `st._x` attributes in a module's code."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit."):
            found.append(f"{path.name}:{node.lineno}: from {node.module}")
        elif isinstance(node, ast.ImportFrom) and node.module == "streamlit":
            found.append(f"{path.name}:{node.lineno}: from streamlit import {[a.name for a in node.names]}")
        elif isinstance(node, ast.Import) and any(a.name.startswith("streamlit.") for a in node.names):
            found.append(f"{path.name}:{node.lineno}: import {[a.name for a in node.names]}")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and (node.value.id == "streamlit" or (node.value.id == "st" and node.attr.startswith("_")))):
            found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_callers_reach_streamlits_internals_only_through_compat():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "explorer").rglob("*.py"))]
    offenders = [t for path in files if path.name != "compat.py" for t in _private_touches(path)]
    assert not offenders, offenders
    assert _private_touches(ROOT / "explorer" / "compat.py")   # the check sees them where they are


def test_the_command_line_check_names_a_failed_probe_and_exits_1():
    import os
    import subprocess
    import sys

    run = lambda env: subprocess.run([sys.executable, "-m", "explorer.compat"], cwd=ROOT, capture_output=True,  # noqa: E731
                                     text=True, env={**os.environ, compat.DISABLE_ENV: env}, timeout=300)
    passing, failing = run(""), run("arrow_table")
    assert passing.returncode == 0 and "FAIL" not in passing.stdout
    assert failing.returncode == 1 and "FAIL arrow_table" in failing.stdout and failing.stdout.count("FAIL") == 1
