from pathlib import Path

import pytest

from cdi_core.paths import DEFAULT_RAW_DIR, INPUTS_DIR
from cdi_core.registry import Registry


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not (DEFAULT_RAW_DIR / "README.md").exists():
        pytest.skip("shared/data is not beside the checkout")
    return DEFAULT_RAW_DIR

@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load(INPUTS_DIR / "cities.csv")
