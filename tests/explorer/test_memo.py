"""The per-process memo of the pages' table helpers: same result as uncached, a private copy per caller."""

from __future__ import annotations

import pandas as pd

from explorer.perf.memo import per_process


def test_hits_on_the_same_object_and_hands_out_copies():
    calls = []

    @per_process
    def f(df: pd.DataFrame, k: int) -> pd.DataFrame:
        calls.append(k)
        return df.assign(y=df["x"] * k)

    df = pd.DataFrame({"x": [1, 2]})
    a = f(df, 2)
    a["y"] = 0                                   # a caller changing its copy...
    b = f(df, 2)
    assert calls == [2] and b["y"].tolist() == [2, 4]   # ...changes nobody else's
    f(df, 3)
    f(pd.DataFrame({"x": [1, 2]}), 2)            # another object: computed again
    assert calls == [2, 3, 2]
