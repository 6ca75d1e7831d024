"""Fixtures shared by the page tests."""

from __future__ import annotations

import os

import pytest

# every memoised view-model result is re-fingerprinted on each hit: a page that changes a shared result in place
# fails here (explorer.perf.memo)
os.environ.setdefault("CDI_MEMO_CHECK", "1")
from streamlit.runtime.media_file_manager import MediaFileManager


@pytest.fixture
def deferred(monkeypatch) -> dict[str, object]:
    """The callables the page's download buttons hand to Streamlit (run on click), by file name."""
    captured: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured
