"""The one per-process memo (explorer.perf.memo): keyed on the function's own arguments, results shared and
read-only, a change in place caught when CDI_MEMO_CHECK=1."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.perf.memo import MemoMutated, memo


def test_keys_on_plain_values_and_object_identity():
    calls = []

    @memo
    def f(df: pd.DataFrame, k: int, names: tuple = ()) -> pd.DataFrame:
        calls.append(k)
        return df.assign(y=df["x"] * k)

    df = pd.DataFrame({"x": [1, 2]})
    a = f(df, 2)
    assert f(df, 2) is a and calls == [2]                  # the same shared result
    f(df, 3)
    f(pd.DataFrame({"x": [1, 2]}), 2)                      # another object: computed again
    f(df, 2, ("a",))
    assert f(df, 2, ("a",)) is f(df, 2, ("a",))
    assert calls == [2, 3, 2, 2]
    assert f(df, True) is not f(df, 1)                     # True and 1 are different keys


def test_a_change_in_place_is_caught_when_checking(monkeypatch):
    monkeypatch.setenv("CDI_MEMO_CHECK", "1")

    @memo
    def g(k: int) -> pd.DataFrame:
        return pd.DataFrame({"x": [k, k]})

    g(1).assign(z=0)                                       # deriving a new frame is fine
    g(1)
    g(1).loc[0, "x"] = 99                                  # changing the shared one is not
    with pytest.raises(MemoMutated, match="g"):
        g(1)


def test_entries_are_bounded_and_clearable():
    @memo(max_entries=2)
    def h(k: int) -> list:
        return [k]

    first = h(1)
    h(2), h(3)                                             # 1 is evicted
    assert h(1) is not first
    h.cache_clear()
    assert h(2) == [2]


def test_frames_with_list_cells_are_checked_too(monkeypatch):
    monkeypatch.setenv("CDI_MEMO_CHECK", "1")

    @memo
    def lists() -> pd.DataFrame:
        return pd.DataFrame({"colour": [[1, 2, 3], [4, 5, 6]]})

    lists()
    lists()
    lists().at[0, "colour"] = [9, 9, 9]
    with pytest.raises(MemoMutated):
        lists()
