"""The golden pages: a handful of published files, rendered with a fixed base URL through the publish command's own
code path (explorer.publish.command.render, limited to Budapest in English and Hungarian), kept in tests/golden so
that a test can re-render exactly those and compare them byte for byte.

Pages are kept whole (small HTML files, easy to read in a diff); the preview card and the PDF are kept as their
SHA-256 (their bytes are fixed by the manifest's built_at). GOLDEN.json records the index they were rendered from
(methodology version, built_at), so a failing comparison says whether data/index changed or the renderer did.

After an intended change of the renderer, or a rebuild of data/index:

    python -m explorer.publish --update-golden
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from cdi_core.paths import INDEX_DIR, REPO_ROOT
from explorer.data.store import IndexData, load_index

GOLDEN_DIR = REPO_ROOT / "tests" / "golden"
BASE_URL = "https://cdi.example.org"
CITY = "budapest"
LANGS = ("en", "hu")
PAGES = ("snapshots/index.html", "snapshots/pact.html", f"snapshots/city/{CITY}.html", f"snapshots/hu/city/{CITY}.html")
MANIFEST = "GOLDEN.json"


def hashed(data: IndexData) -> tuple[str, ...]:
    """The files kept as their SHA-256: the city's English preview card and its PDF report."""
    return (f"snapshots/city/{CITY}.png", f"reports/{max(data.editions)}/{CITY}.pdf")


def render_subset(data: IndexData, out: Path) -> None:
    """The ranking, the Pact page and the city's page, card and report, in LANGS, with BASE_URL, into out/."""
    from explorer.publish.command import render

    render(data, out / "snapshots", out / "reports", BASE_URL, langs=LANGS, cities=[CITY])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def index_stamp(data: IndexData) -> dict[str, str]:
    m = data.manifest
    return {"methodology_version": str(m["methodology_version"]), "built_at": str(m["built_at"])}


def update(index_dir: Path = INDEX_DIR, golden: Path = GOLDEN_DIR) -> list[str]:
    """Re-render the golden files into `golden`; returns the files written."""
    data = load_index(index_dir)
    with tempfile.TemporaryDirectory() as tmp:
        render_subset(data, Path(tmp))
        golden.mkdir(parents=True, exist_ok=True)
        for rel in PAGES:
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / rel, golden / rel)
        record = {"base_url": BASE_URL, "index": index_stamp(data),
                  "sha256": {rel: sha256(Path(tmp) / rel) for rel in hashed(data)},
                  "update": "python -m explorer.publish --update-golden"}
    (golden / MANIFEST).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return [*PAGES, MANIFEST]
