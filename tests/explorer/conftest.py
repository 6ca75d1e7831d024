"""Fixtures of the view-model tests: the committed published index (one per test module) and its latest edition."""

from __future__ import annotations

import pytest

from explorer.data.store import load_index


@pytest.fixture(scope="module")
def data():
    return load_index()


@pytest.fixture(scope="module")
def latest(data) -> int:
    return max(data.editions)
