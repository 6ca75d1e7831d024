"""The numpy column rank behind the normalise (percentile) and rank stages equals pandas' rank bit for bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cdi_core.compute import _column_rank


def _pandas(x: np.ndarray, **kw) -> np.ndarray:
    return pd.DataFrame(x.reshape(x.shape[0], -1)).rank(axis=0, **kw).to_numpy(float).reshape(x.shape)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("kw", [dict(pct=True), dict(ascending=False, method="min"), dict(method="min"),
                                dict(ascending=False), dict(ascending=False, pct=True, method="min")])
def test_equals_pandas(seed: int, kw: dict) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 60)), int(rng.integers(1, 4)), int(rng.integers(1, 5)))
    x = rng.integers(0, 8, shape).astype(float) * 12.5     # many ties
    x[rng.random(shape) < 0.3] = np.nan
    if seed % 3 == 0:
        x[:, 0] = np.nan                                    # an all-missing column
    if seed % 4 == 0:
        x = x + rng.normal(size=shape)                      # no ties
    np.testing.assert_array_equal(_column_rank(x, **kw), _pandas(x, **kw))


def test_negative_zero_ties_with_zero() -> None:
    x = np.array([[0.0], [-0.0], [1.0], [np.nan]])
    np.testing.assert_array_equal(_column_rank(x, ascending=False, method="min"),
                                  _pandas(x, ascending=False, method="min"))
