"""The app runs when every probe of explorer.compat fails: each page, opened through the entry point in English and
in Hungarian (the locale Styler path) by a separate process with CDI_COMPAT_DISABLE=all, raises nothing and shows
the same titles, elements, table data, Styler display values and charts as with the probes passing (this process).
Slower, not different: only the per-process shortcuts into Streamlit's internals are off."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from explorer import compat
from tests.app.helpers import ROOT, open_page

PAGES = ("home", "ranking", "compare", "city", "changes", "map", "pact", "methodology")
CASES = [(page, lang) for page in PAGES for lang in ("en", "hu")]


def _kinds(node, counts: collections.Counter) -> collections.Counter:
    for child in getattr(node, "children", {}).values():
        counts[getattr(child, "type", type(child).__name__)] += 1
        _kinds(child, counts)
    return counts


def _records(arrow_bytes: bytes) -> list:
    if not arrow_bytes:
        return []
    return json.loads(pa.ipc.open_stream(arrow_bytes).read_pandas().to_json(orient="records", date_format="iso"))


def _chart(proto) -> dict:
    """A drawn chart: its spec with the dataset names replaced by their order, and each dataset's rows."""
    rows = {d.name: _records(d.data.data) for d in proto.datasets}
    order = sorted(rows, key=lambda n: json.dumps(rows[n], sort_keys=True))
    spec = json.dumps(json.loads(proto.spec), sort_keys=True)
    for i, name in enumerate(order):
        spec = spec.replace(json.dumps(name), json.dumps(f"D{i}"))
    return {"spec": spec, "data": [rows[n] for n in order], "inline": _records(proto.data.data)}


def summary(at: AppTest) -> dict:
    """What a reader of the page sees, as JSON: titles, how many of each element, every table's data and (in
    other languages) its formatted values, every chart."""
    return {
        "titles": [t.value for t in at.title],
        "elements": dict(sorted(_kinds(at._tree, collections.Counter()).items())),
        "tables": [d.value.to_csv() for d in at.dataframe],
        "shown": [_records(d.proto.arrow_data.styler.display_values) for d in at.dataframe],
        "charts": [_chart(c.proto) for c in at.get("vega_lite_chart")],
    }


def summaries() -> dict:
    """Every case's summary (run by the separate process)."""
    return {"probes": compat.report(),
            "pages": {f"{page}/{lang}": summary(open_page(f"pages/{page}.py", lang=lang)) for page, lang in CASES}}


@pytest.fixture(scope="module")
def without_probes() -> tuple[dict, str]:
    env = {**os.environ, compat.DISABLE_ENV: "all", "PYTHONPATH": str(ROOT)}
    code = "import json; from tests.app.test_compat_fallbacks import summaries; print(json.dumps(summaries()))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def test_every_probe_failed_and_said_so(without_probes):
    result, stderr = without_probes
    assert result["probes"] == dict.fromkeys(compat.PROBES, False)
    for name in compat.PROBES:
        assert stderr.count(f"probe {name!r} forced to fail") == 1, name


@pytest.mark.parametrize("page, lang", CASES)
def test_the_page_runs_and_shows_the_same_with_every_probe_failing(without_probes, page, lang):
    got = without_probes[0]["pages"][f"{page}/{lang}"]
    assert got["titles"] and (got["tables"] or got["charts"] or got["elements"].get("deck_gl_json_chart"))
    if lang != "en" and got["tables"]:
        assert any(got["shown"]), "the locale Styler's formatted values are drawn"
    assert got == summary(open_page(f"pages/{page}.py", lang=lang))
