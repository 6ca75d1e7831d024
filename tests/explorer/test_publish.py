"""The one publish command (python -m explorer.publish): the golden pages in tests/golden guard the renderer, the same
index and base URL give the same bytes, the base URL makes every public address absolute, a failed run changes
nothing, and the live app never imports explorer.publish."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdi_core.paths import INDEX_DIR
from explorer.data.store import load_index
from explorer.publish import command, golden
from explorer.publish import snapshots as S

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "golden"
UPDATE = "python -m explorer.publish --update-golden"


@pytest.fixture(scope="module")
def fresh(data, tmp_path_factory) -> Path:
    """The golden subset, rendered now by the publish command's code path."""
    out = tmp_path_factory.mktemp("golden")
    golden.render_subset(data, out)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_golden_pages_are_what_the_renderer_makes(data, fresh):
    record = json.loads((golden.GOLDEN_DIR / golden.MANIFEST).read_text(encoding="utf-8"))
    stamp = golden.index_stamp(data)
    why = (f"data/index changed since the golden pages were made ({record['index']} -> {stamp}): if intended, run "
           f"{UPDATE}" if record["index"] != stamp else
           f"the renderer's output changed; if intended, run {UPDATE} (fresh files in {ARTIFACTS})")
    problems = []
    for rel in golden.PAGES:
        want = (golden.GOLDEN_DIR / rel).read_text(encoding="utf-8")
        got = (fresh / rel).read_text(encoding="utf-8")
        if got != want:
            diff = difflib.unified_diff(want.replace(">", ">\n").splitlines(), got.replace(">", ">\n").splitlines(),
                                        f"golden/{rel}", f"fresh/{rel}", n=1, lineterm="")
            problems.append("\n".join(list(diff)[:30]))
    for rel, digest in record["sha256"].items():
        if hashlib.sha256((fresh / rel).read_bytes()).hexdigest() != digest:
            problems.append(f"{rel}: sha256 differs")
    if problems:
        for rel in (*golden.PAGES, *record["sha256"]):
            (ARTIFACTS / rel).parent.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / rel).write_bytes((fresh / rel).read_bytes())
    assert not problems, why + "\n" + "\n\n".join(problems)


def test_the_golden_pages_are_absolute_under_the_fixed_base_url(data):
    base = golden.BASE_URL
    version = data.manifest["methodology_version"]
    page = (golden.GOLDEN_DIR / "snapshots" / "city" / "budapest.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}/app/static/snapshots/city/budapest.html">' in page
    assert f'property="og:image" content="{base}/app/static/snapshots/city/budapest.png"' in page
    assert f'name="twitter:image" content="{base}/app/static/snapshots/city/budapest.png"' in page
    assert f'class="live" href="{base}/city?city=budapest&amp;edition=' in page
    assert f"methodology v{version}, {base}/city?city=budapest&amp;edition=" in page  # the citation
    assert 'href="/' not in page and 'content="/' not in page  # nothing root-relative left


def test_the_same_index_and_base_url_give_the_same_bytes(fresh, tmp_path):
    """Rendered again in another process with another hash seed: every file (pages, cards, PDF) is identical."""
    code = ("import sys; from pathlib import Path; from explorer.data.store import load_index; "
            "from explorer.publish import golden; golden.render_subset(load_index(), Path(sys.argv[1]))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, env=env, check=True)
    again, first = _files(tmp_path), _files(fresh)
    assert len(first) >= 10 and again.keys() == first.keys()
    assert [rel for rel in first if first[rel] != again[rel]] == []


def test_publish_swaps_both_folders_in_with_the_base_url(tmp_path):
    out = tmp_path / "static"
    n = command.publish(INDEX_DIR, out, "https://cdi.example.org/", langs=("en",), cities=["budapest"])
    assert n == {"pages": 3, "languages": 1, "reports": 1}
    page = (out / "snapshots" / "city" / "budapest.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://cdi.example.org/app/static/snapshots/city/budapest.html">' in page
    assert (out / "reports" / str(max(load_index().editions)) / "budapest.pdf").read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in out.iterdir()) == ["reports", "snapshots"]  # no temporary folder left


def test_static_url_for_a_cdn(tmp_path):
    out = tmp_path / "static"
    command.publish(INDEX_DIR, out, "https://cdi.example.org", "https://cdn.example.net/cdi", langs=("en",),
                    cities=["budapest"])
    page = (out / "snapshots" / "index.html").read_text(encoding="utf-8")
    # the preview tags name the CDN; the links into the explorer keep the explorer's address
    assert 'content="https://cdn.example.net/cdi/snapshots/index.png"' in page
    assert 'href="https://cdi.example.org/ranking?edition=' in page


def test_a_failed_run_changes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "static"
    command.publish(INDEX_DIR, out, langs=("en",), cities=["budapest"])
    before = _files(out)

    def broken(*args, **kwargs):
        raise RuntimeError("the renderer broke")

    monkeypatch.setenv("CDI_PUBLISH_WORKERS", "1")  # in this process, where the patch is
    monkeypatch.setattr(S, "render_language", broken)
    with pytest.raises(RuntimeError, match="the renderer broke"):
        command.publish(INDEX_DIR, out, "https://cdi.example.org", langs=("en",), cities=["budapest"])
    assert _files(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["reports", "snapshots"]


LIVE_APP = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.app.helpers import open_page
pages = sorted(str(p.relative_to(sys.argv[1])) for p in Path(sys.argv[1], "pages").glob("*.py"))
for page in pages:
    open_page(page)
    open_page(page, present="1")
open_page("pages/city.py", city="budapest", lang="hu")
loaded = sorted(m for m in sys.modules if m == "explorer.publish" or m.startswith("explorer.publish."))
print(len(pages), "loaded:" + ",".join(loaded))
"""


def test_the_live_app_never_imports_explorer_publish():
    """Every page, plain and in presentation mode, run from the entry point in a fresh interpreter."""
    run = subprocess.run([sys.executable, "-c", LIVE_APP, str(ROOT)], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    n_pages, loaded = run.stdout.strip().splitlines()[-1].split(" ", 1)
    assert int(n_pages) >= 8
    assert loaded == "loaded:", f"the live app imported {loaded}"
