"""Every touch of a private Streamlit API, behind one door: each has a feature probe, run once per process, and a
fallback through Streamlit's public API when the probe fails; a failed probe is logged once (logger
`explorer.compat`, warning) and the app keeps running, perhaps slower. No probe compares version numbers: each checks
what its shortcut relies on (the attribute, its signature, and where cheap a small behavioural self-check).

The probes (name: what it checks -> fallback; what is lost):
- script_run_ctx: `get_script_run_ctx` takes no required argument and its context has `main_script_path` and
  `pages_manager.main_script_parent` -> no script path (None); the navigation pages are built on every run (~3 ms a
  session in a burst) and the legacy-pages guard is off.
- legacy_pages_flag: `PagesManager.uses_pages_directory` exists (a bool or None) and st.navigation and the script
  runner still read or set it -> the guard is off: on a fresh server, the first visitors on a deep link
  (`/city?city=budapest`) before any session has run app.py get the page run on its own (no navigation menu, no wide
  layout, no page title); the page itself still works.
- page_copies: `StreamlitPage` keeps its per-run state in the `_can_be_called` attribute that st.navigation sets and
  `run` reads, with no custom copy or slots, so a shallow copy has its own -> the pages are built on every run (~3 ms).
- arrow_table: `dataframe_util.convert_pandas_df_to_arrow_table(frame)` returns a pyarrow Table that serialises to
  the bytes st.dataframe makes of the frame itself -> the frame is handed to st.dataframe, which converts it on
  every call (~10 ms for a larger methodology table); same data.
- altair_spec: `vega_charts._convert_altair_to_vega_lite_spec(chart)` returns a spec whose datasets are Arrow IPC
  bytes holding the chart's rows -> Altair's public `chart.to_dict()` (theme "none", inline data) under
  `altair_globals_lock`; st.vega_lite_chart converts the inline rows on each call. Same chart, slower.
- altair_lock: `vega_charts._altair_globals_lock` is a lock the converter still takes -> a lock of this module,
  which serialises this module's conversions but not Streamlit's own st.altair_chart calls (only the presentation
  page makes those): a conversion there could, rarely, see the other's Altair theme or data transformer.
- styler_marshal: `streamlit.elements.arrow.marshall_styler(proto, styler, default_uuid)` is looked up by name in
  that module, and the once-per-process wrapper gives the same proto bytes as the original on a tiny Styler ->
  no patch: every locale-formatted (non-English) table is marshalled on every run (a Hungarian methodology session
  about five times an English one); same output.

`CDI_COMPAT_DISABLE` (environment, read when a probe runs): "all" or a comma list of probe names forces those probes
to fail, to test the fallbacks. `reset()` forgets the results (and removes the Styler patch) for tests.
`python -m explorer.compat` runs every probe on the installed Streamlit (exit 1 if one fails): run it before upgrading.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import logging
import os
import threading
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the class st.expander returns; its module is Streamlit's internal one (a type hint only)
    import altair as alt
    import pandas as pd
    import pyarrow as pa
    from pandas.io.formats.style import Styler
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer  # noqa: F401

log = logging.getLogger("explorer.compat")
DISABLE_ENV = "CDI_COMPAT_DISABLE"

_results: dict[str, bool] = {}
_probe_lock = threading.RLock()


class ProbeFailed(Exception):
    """What a probe raises when something its shortcut relies on is not there."""


def _need(condition: object, what: str) -> None:
    if not condition:
        raise ProbeFailed(what)


def _disabled(name: str) -> bool:
    raw = os.environ.get(DISABLE_ENV, "")
    names = {n.strip() for n in raw.split(",") if n.strip()}
    return "all" in names or name in names


def ok(name: str) -> bool:
    """Whether the probe `name` passed in this process (run on the first call, then remembered)."""
    result = _results.get(name)
    if result is not None:
        return result
    with _probe_lock:
        result = _results.get(name)
        if result is None:
            result = _run(name)
            _results[name] = result
    return result


def _run(name: str) -> bool:
    fallback = FALLBACKS[name]
    if _disabled(name):
        log.warning("Streamlit compat probe %r forced to fail (%s); fallback: %s", name, DISABLE_ENV, fallback)
        return False
    try:
        PROBES[name]()
    except Exception as exc:  # a probe that cannot even run has failed: the fallback is always safe
        log.warning("Streamlit compat probe %r failed (%s: %s); fallback: %s", name, type(exc).__name__, exc,
                    fallback)
        return False
    return True


def report() -> dict[str, bool]:
    """Every probe's result in this process (running those not run yet)."""
    return {name: ok(name) for name in PROBES}


def reset() -> None:
    """Forget the probe results and remove the Styler patch (tests: the next call probes again, reading
    CDI_COMPAT_DISABLE anew). Memoised tables and specs made before are not touched."""
    global _styler_installed
    with _probe_lock:
        _results.clear()
        if _styler_installed:
            from streamlit.elements import arrow

            arrow.marshall_styler = arrow.marshall_styler.original
            _styler_installed = False


def _mentions(module: types.ModuleType, name: str) -> bool:
    """Whether a function or method of `module` (not its top-level code: imports do not count) names `name`, as an
    attribute or a global it reads or sets."""
    loader = getattr(module, "__loader__", None)
    top = loader.get_code(module.__name__) if loader is not None and hasattr(loader, "get_code") else None
    stack = [k for k in top.co_consts if isinstance(k, types.CodeType)] if top is not None else []
    while stack:
        c = stack.pop()
        if name in c.co_names:
            return True
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return False


def _required_params(func: Callable[..., Any]) -> list[str]:
    return [p.name for p in inspect.signature(func).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


# --- the script run context: the main script's path ---------------------------------------------------------------

def _probe_script_run_ctx() -> None:
    import dataclasses

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils import script_run_context as src

    _need(callable(getattr(src, "get_script_run_ctx", None)), "get_script_run_ctx is gone")
    _need(_required_params(src.get_script_run_ctx) == [], "get_script_run_ctx needs arguments")
    fields = ({f.name for f in dataclasses.fields(src.ScriptRunContext)}
              if dataclasses.is_dataclass(src.ScriptRunContext) else set())
    _need({"main_script_path", "pages_manager"} <= fields, "ScriptRunContext has no main_script_path/pages_manager")
    _need(isinstance(inspect.getattr_static(PagesManager, "main_script_parent", None), property),
          "PagesManager.main_script_parent is not a property")


def _ctx() -> Any:
    if not ok("script_run_ctx"):
        return None
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    return get_script_run_ctx()


def main_script_path() -> str | None:
    """The path of the script Streamlit runs as the app (app.py when run through the entry point, the page file in
    an AppTest of one page); None outside a script run or when the probe failed."""
    ctx = _ctx()
    return None if ctx is None else str(ctx.main_script_path)


def main_script_parent() -> str | None:
    """The folder `st.Page` resolves page files against; None outside a script run or when the probe failed."""
    ctx = _ctx()
    return None if ctx is None else str(ctx.pages_manager.main_script_parent)


# --- the legacy pages/ mode ---------------------------------------------------------------------------------------

def _probe_legacy_pages_flag() -> None:
    from streamlit.commands import navigation
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    flag = pages_manager.PagesManager.__dict__.get("uses_pages_directory", ProbeFailed)
    _need(flag is not ProbeFailed, "PagesManager.uses_pages_directory is gone")
    _need(flag is None or isinstance(flag, bool), "PagesManager.uses_pages_directory is not a bool")
    _need(_mentions(navigation, "uses_pages_directory"), "st.navigation no longer sets uses_pages_directory")
    _need(_mentions(script_runner, "uses_pages_directory"), "the script runner no longer reads uses_pages_directory")


def legacy_pages_guard() -> bool:
    """Whether the legacy-`pages/` guard can work here (explorer.widgets.shell.ensure_framed)."""
    return ok("script_run_ctx") and ok("legacy_pages_flag")


def leave_legacy_pages_mode() -> bool:
    """Switch Streamlit's legacy `pages/` mode off for the process, as st.navigation does; False (nothing done)
    when the probes failed, so the caller must not rerun."""
    if not legacy_pages_guard():
        return False
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    return True


# --- navigation pages built once and copied per run ---------------------------------------------------------------

def _probe_page_copies() -> None:
    from streamlit.commands import navigation
    from streamlit.navigation import page

    cls = page.StreamlitPage
    _need("_can_be_called" in inspect.unwrap(cls.run).__code__.co_names, "StreamlitPage.run no longer reads "
                                                                          "_can_be_called")
    _need(_mentions(navigation, "_can_be_called"), "st.navigation no longer sets _can_be_called")
    _need(not any("__slots__" in vars(k) or "__copy__" in vars(k) or "__reduce_ex__" in vars(k)
                  for k in cls.__mro__ if k is not object), "StreamlitPage copies itself its own way")
    probe = object.__new__(cls)      # no __init__: outside a script run it would only half build, inside it counts
    probe._can_be_called = True      # a metric; what matters is that a shallow copy has its own flag
    twin = copy.copy(probe)
    twin._can_be_called = False
    _need(probe._can_be_called is True, "a copied page shares its per-run state")


def page_copies() -> bool:
    """Whether the navigation's pages may be built once per process and shallow-copied for each run."""
    return ok("page_copies")


# --- st.dataframe's Arrow conversion ------------------------------------------------------------------------------

def _probe_arrow_table() -> None:
    import pandas as pd
    import pyarrow as pa
    from streamlit import dataframe_util as du

    _need(_required_params(du.convert_pandas_df_to_arrow_table) == ["df"], "convert_pandas_df_to_arrow_table "
                                                                          "signature changed")
    frame = pd.DataFrame({"name": ["a", None], "n": [1.5, float("nan")], "k": pd.array([1, None], dtype="Int64")},
                         index=[3, 1])
    table = du.convert_pandas_df_to_arrow_table(frame)
    _need(isinstance(table, pa.Table) and table.num_rows == 2, "the conversion does not return a pyarrow Table")
    _need(du.convert_arrow_table_to_arrow_bytes(table) == du.convert_pandas_df_to_arrow_bytes(frame),
          "the Table does not serialise to what st.dataframe makes of the frame")


def arrow_table(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """What to hand st.dataframe for `frame`: the Arrow table st.dataframe would build (to keep per process), or,
    when the probe failed, the frame itself (st.dataframe converts it on each call)."""
    if not ok("arrow_table"):
        return frame
    from streamlit import dataframe_util

    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


# --- st.altair_chart's conversion ---------------------------------------------------------------------------------

def _tiny_chart() -> tuple[alt.Chart, pd.DataFrame]:
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"x": [1, 2], "y": [3.5, 4.0]})
    return alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q"), frame


def _probe_altair_spec() -> None:
    import pyarrow as pa
    from streamlit.elements import vega_charts

    convert = vega_charts._convert_altair_to_vega_lite_spec
    _need(len(_required_params(convert)) == 1, "_convert_altair_to_vega_lite_spec signature changed")
    chart, frame = _tiny_chart()
    spec = convert(chart)
    datasets = spec.get("datasets") if isinstance(spec, dict) else None
    _need(isinstance(datasets, dict) and len(datasets) == 1, "the spec has no datasets")
    (name, data), = datasets.items()
    _need(isinstance(data, bytes) and spec.get("data") == {"name": name}, "the dataset is not Arrow bytes by name")
    _need(pa.ipc.open_stream(data).read_pandas().equals(frame), "the dataset does not hold the chart's rows")


def _probe_altair_lock() -> None:
    from streamlit.elements import vega_charts

    lock = vega_charts._altair_globals_lock
    _need(all(hasattr(lock, a) for a in ("acquire", "release", "__enter__", "__exit__")), "not a lock")
    _need("_altair_globals_lock" in vega_charts._convert_altair_to_vega_lite_spec.__code__.co_names,
          "the converter no longer takes _altair_globals_lock")


_own_altair_lock = threading.Lock()


def altair_globals_lock() -> Any:
    """The lock Streamlit holds while it changes Altair's global theme and data transformer (or, when the probe
    failed, this module's own)."""
    if ok("altair_lock"):
        from streamlit.elements import vega_charts

        return vega_charts._altair_globals_lock
    return _own_altair_lock


def altair_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite dict `st.altair_chart` would send for `chart`, made with Streamlit's own converter (datasets
    as Arrow IPC bytes); when that probe failed, Altair's public `to_dict` with the theme Streamlit uses ("none")
    and inline data, under altair_globals_lock."""
    if ok("altair_spec"):
        from streamlit.elements import vega_charts

        return vega_charts._convert_altair_to_vega_lite_spec(chart)
    import altair as alt

    themes = getattr(alt, "theme", None)
    themes = themes if hasattr(themes, "enable") else alt.themes   # alt.themes before Altair 5.5
    with altair_globals_lock():
        theme = themes.enable("none") if themes.active == "default" else contextlib.nullcontext()
        with theme, alt.data_transformers.enable("default"):
            return chart.to_dict()


# --- the Styler marshalled once per process -----------------------------------------------------------------------

_MARK = "_cdi_shared_styler"   # set on a shared Styler: the marshalled bytes once done, else b""
_styler_lock = threading.Lock()
_styler_installed = False


def share_styler(styler: Styler) -> Styler:
    """Mark a Styler that many sessions will draw, so it is marshalled once per process (when the styler_marshal
    probe passed): it must not change afterwards (explorer.widgets.tables keeps it per process and never hands it
    out to be modified)."""
    setattr(styler, _MARK, b"")
    return styler


def _memoised(original: Callable[..., None]) -> Callable[..., None]:
    def marshall_styler(proto, styler, default_uuid: str) -> None:
        done = getattr(styler, _MARK, None)
        if done is None:                      # not a shared Styler: Streamlit's own, per run
            original(proto, styler, default_uuid)
            return
        if not done:
            with _styler_lock:                # one session marshals; the others wait for its bytes
                done = getattr(styler, _MARK)
                if not done:
                    original(proto, styler, default_uuid)
                    done = proto.styler.SerializeToString()
                    setattr(styler, _MARK, done)
                    return
        proto.styler.ParseFromString(done)

    marshall_styler.original = original
    return marshall_styler


def _probe_styler_marshal() -> None:
    import pandas as pd
    from streamlit.elements import arrow
    from streamlit.proto.ArrowData_pb2 import ArrowData

    original = getattr(arrow.marshall_styler, "original", arrow.marshall_styler)
    _need(list(inspect.signature(original).parameters) == ["proto", "styler", "default_uuid"],
          "marshall_styler signature changed")
    _need(_mentions(arrow, "marshall_styler"), "st.dataframe no longer calls marshall_styler by name")
    frame = pd.DataFrame({"v": [1234.5, 2.25], "t": ["a", "b"]})

    def tiny() -> Styler:
        return frame.style.format(precision=1, decimal=",", thousands=".").set_uuid("probe")

    def marshalled(fn: Callable[..., None], styler: Styler) -> bytes:
        proto = ArrowData()
        fn(proto, styler, "probe")
        return proto.styler.SerializeToString()

    expected = marshalled(original, tiny())
    _need(b"1.234,5" in expected, "the Styler's display values are not in the proto")
    memo, shared = _memoised(original), share_styler(tiny())
    _need([marshalled(memo, shared) for _ in range(2)] == [expected] * 2, "the memoised marshal differs")
    _need(marshalled(memo, tiny()) == expected, "an unshared Styler is marshalled differently")


def install_styler_memo() -> bool:
    """Wrap Streamlit's marshall_styler where st.dataframe and st.table call it (once per process), so a shared
    Styler (share_styler) is marshalled once. False, and nothing patched, when the probe failed."""
    global _styler_installed
    if not ok("styler_marshal"):
        return False
    with _probe_lock:
        if not _styler_installed:
            from streamlit.elements import arrow

            if not hasattr(arrow.marshall_styler, "original"):
                arrow.marshall_styler = _memoised(arrow.marshall_styler)
            _styler_installed = True
    return True


PROBES: dict[str, Callable[[], None]] = {
    "script_run_ctx": _probe_script_run_ctx,
    "legacy_pages_flag": _probe_legacy_pages_flag,
    "page_copies": _probe_page_copies,
    "arrow_table": _probe_arrow_table,
    "altair_spec": _probe_altair_spec,
    "altair_lock": _probe_altair_lock,
    "styler_marshal": _probe_styler_marshal,
}
FALLBACKS: dict[str, str] = {
    "script_run_ctx": "navigation pages built per run; legacy-pages guard off",
    "legacy_pages_flag": "legacy-pages guard off (a fresh server's first deep links render without the menu)",
    "page_copies": "navigation pages built per run",
    "arrow_table": "st.dataframe converts each frame itself, on every run",
    "altair_spec": "Altair's to_dict (inline data), converted by st.vega_lite_chart on every run",
    "altair_lock": "a lock of explorer.compat's own (does not serialise against st.altair_chart)",
    "styler_marshal": "no patch: locale tables marshalled on every run (slower)",
}


def main() -> int:
    """`python -m explorer.compat`: run every probe on the installed Streamlit, print the results; exit 1 if any
    failed (the app still runs, slower: check before upgrading Streamlit)."""
    import streamlit

    results = report()
    print(f"streamlit {streamlit.__version__}")
    for name, passed in results.items():
        print(f"  ok   {name}" if passed else f"  FAIL {name}: {FALLBACKS[name]}")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
