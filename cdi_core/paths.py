"""Default locations, relative to the checkout, so every command works from a fresh clone."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW_DIR = REPO_ROOT.parent / "shared" / "data"
INPUTS_DIR = REPO_ROOT / "data" / "inputs"
INDEX_DIR = REPO_ROOT / "data" / "index"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REVIEWS_DIR = REPO_ROOT / "data" / "reviews"
PREVIOUS_INDEX_DIR = REPO_ROOT / "data" / "index_previous"
