"""Monte Carlo uncertainty analysis of the ranks (DESIGN.md section 4, JRC practice).

Each run draws, independently: every indicator weight x U(0.75, 1.25), every pillar weight x U(0.75, 1.25), the
normalisation (minmax | zscore | rank), the aggregation (arithmetic | geometric) and the missing-data rule
(none | median), and re-runs stages 4-7 of cdi_core.compute (`finish_arrays`) on data prepared once by
`prepare`: the same functions as the official build, so a rank band can only reflect the method choices, never a
second implementation's quirks. Seeded, so the published bands are reproducible bit for bit.
"""

from __future__ import annotations

import mmap
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cdi_core.compute import INDEX, Prepared, finish_arrays, normalised
from cdi_core.processes import fork_workers
from cdi_core.spec import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS, Spec

N_RUNS = 1000
SEED = 20250401
WEIGHT_NOISE = 0.25
BAND = (0.05, 0.95)
BATCH = 16            # runs per finish_arrays call (memory: ~15 MB per run at 100x the cities)
WORKERS = fork_workers(cap=2)
UNCERTAINTY_COLUMNS = ["city_id", "edition", "pillar", "rank", "rank_median", "rank_low", "rank_high", "n_ranked",
                       "n_runs"]


@dataclass(frozen=True)
class Draw:
    """One run's choices, kept so a surprising band can be traced to the runs behind it."""

    pillar_weights: dict[str, float]
    indicator_weights: dict[str, float]
    normalisation: str
    aggregation: str
    imputation: str

    def spec(self, base: Spec) -> Spec:
        return base.override(pillar_weights=self.pillar_weights, indicator_weights=self.indicator_weights,
                             normalisation=self.normalisation, aggregation=self.aggregation,
                             imputation=self.imputation)


def draws(spec: Spec, n_runs: int = N_RUNS, seed: int = SEED) -> list[Draw]:
    """The runs' parameters, from one seeded generator in a fixed order."""
    rng = np.random.default_rng(seed)
    lo, hi = 1 - WEIGHT_NOISE, 1 + WEIGHT_NOISE
    out = []
    for _ in range(n_runs):
        iw = rng.uniform(lo, hi, len(spec.indicators))
        pw = rng.uniform(lo, hi, len(spec.pillars))
        out.append(Draw(
            pillar_weights={p.id: p.weight * f for p, f in zip(spec.pillars, pw)},
            indicator_weights={i.id: i.weight * f for i, f in zip(spec.indicators, iw)},
            normalisation=NORMALISATIONS[rng.integers(len(NORMALISATIONS))],
            aggregation=AGGREGATIONS[rng.integers(len(AGGREGATIONS))],
            imputation=IMPUTATIONS[rng.integers(len(IMPUTATIONS))],
        ))
    return out


def batches(runs: list[Draw], size: int = BATCH) -> list[list[int]]:
    """Run numbers grouped by the (normalisation, imputation, aggregation) rules they drew, in draw order within a
    group, cut into batches of at most `size`: a batch goes through `finish_arrays` in one call, whose passes that
    do not depend on the weights then run once per batch instead of once per run."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for k, d in enumerate(runs):
        groups.setdefault((d.normalisation, d.imputation, d.aggregation), []).append(k)
    return [ks[j:j + size] for ks in groups.values() for j in range(0, len(ks), size)]


def simulate_ranks(prep: Prepared, n_runs: int = N_RUNS, seed: int = SEED,
                   cells: np.ndarray | None = None, batch: int = BATCH, workers: int = 1) -> np.ndarray:
    """Ranks of every run: (runs, cities, editions, pillars + index), NaN where a city is not ranked. With `cells`
    (a boolean mask of that shape without the runs axis) only those cells are kept, as (runs, cells.sum()), in the
    smallest integer type that holds the ranks: 1.1 GB instead of 4.5 GB for 1,000 runs at 100x the cities.

    Runs go through `finish_arrays` in batches of `batch` runs (`batches`) and on the cities ranked in some edition
    only; each run's ranks are the same as from its own call with all cities (tests/core/test_robust.py), and
    land in the row of its draw, so the output depends neither on the batching nor on `workers`, the number of
    processes sharing the batches (this one and forked ones, writing into one shared array)."""
    out, fill, jobs = _plan(prep, n_runs, seed, cells, batch, shared=workers > 1)
    parts = _split(jobs, workers)
    wait = _start(fill, parts[1:])
    try:
        fill(parts[0])
    finally:
        wait()
    return out


def _plan(prep: Prepared, n_runs: int, seed: int, cells: np.ndarray | None, batch: int,
          shared: bool) -> tuple[np.ndarray, Callable[[list[list[int]]], None], list[list[int]]]:
    """The output array (in memory forked processes share if `shared`), the function that fills the rows of a
    list of batches, and the batches."""
    shape = (len(prep.city_ids), len(prep.editions), len(prep.spec.pillars) + 1)
    if cells is None:
        out = _shared((n_runs,) + shape, np.float32, shared)
        out[:] = np.nan
    else:
        out = _shared((n_runs, int(cells.sum())), np.uint16 if len(prep.city_ids) < 2 ** 16 else np.float64, shared)
    rows = prep.ranked.any(axis=1)
    runs = draws(prep.spec, n_runs, seed)
    pos = None if cells is None else _positions(cells[rows])
    for d in {(d.normalisation, d.imputation): d for d in runs}.values():
        normalised(prep, d.spec(prep.spec))           # memoised before any fork: computed once, shared read-only

    def fill(jobs: list[list[int]]) -> None:
        for ks in jobs:
            ranks = finish_arrays(prep, [runs[k].spec(prep.spec) for k in ks], rows=rows).ranks
            if pos is None:
                for j, k in enumerate(ks):
                    out[k, rows] = ranks[j]
                continue
            kept = np.moveaxis(ranks, 1, -1).reshape(len(ks), -1)[:, pos]
            if np.isnan(kept).any():
                raise ValueError("simulate_ranks: a kept cell is not ranked in a run")
            out[ks] = kept

    return out, fill, batches(runs, batch)


def _split(jobs: list, workers: int) -> list[list]:
    """Interleaved shares of the batches (the groups of rules alternate, so each share gets a mix)."""
    return [jobs[w::workers] for w in range(workers)] if workers > 1 else [jobs]


def _shared(shape: tuple[int, ...], dtype: type, shared: bool) -> np.ndarray:
    """An uninitialised array, in memory that forked processes share if `shared`."""
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if not shared or nbytes == 0:
        return np.empty(shape, dtype)
    return np.frombuffer(mmap.mmap(-1, nbytes), dtype=dtype).reshape(shape)


def _start(fn: Callable[[list], None], parts: list[list]) -> Callable[[], float]:
    """fn(part) for every part, each in a forked child (which sees this process's memory as it was and writes its
    results into shared memory), started now; returns `wait`, which joins them, re-raises a child's exception
    here and returns the perf_counter time at which the last one finished."""
    ctx = multiprocessing.get_context("fork")
    children = []
    for part in parts:
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_child, args=(fn, part, send), daemon=True)
        p.start()
        send.close()
        children.append((p, recv))

    def wait() -> float:
        errors, done = [], time.perf_counter() if not children else 0.0
        for p, recv in children:
            try:
                error, finished = recv.recv()
            except EOFError:
                error, finished = RuntimeError(f"simulate_ranks: a worker died (exit code {p.exitcode})"), 0.0
            p.join()
            done = max(done, finished)
            if error is not None:
                errors.append(error)
        if errors:
            raise errors[0]
        return done

    return wait


def _in_processes(fn: Callable[[list], None], parts: list[list]) -> None:
    """fn(part) for every part: the first in this process, the others in forked children, all at once."""
    wait = _start(fn, parts[1:])
    try:
        fn(parts[0])
    finally:
        wait()


def _child(fn: Callable[[list], None], part: list, conn) -> None:
    try:
        fn(part)
        conn.send((None, time.perf_counter()))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which re-raises it
        conn.send((exc, time.perf_counter()))
    finally:
        conn.close()


def _positions(cells: np.ndarray) -> np.ndarray:
    """Where each True cell of a (cities, editions, k) mask, in its C order, sits in the same array laid out as
    (editions, k, cities): the layout the rank stage sorts in, so a run's kept ranks are one integer gather."""
    c, e, k = np.nonzero(cells)
    n_c, _, n_k = cells.shape
    return (e * n_k + k) * n_c + c


def _bands(prep: Prepared, nominal: np.ndarray, sims: np.ndarray, chunk: int = 20_000) -> pd.DataFrame:
    """The published table from the official ranks and the runs' ranks of the officially ranked cells
    (runs, cells). The quantiles are 'inverted_cdf', i.e. fixed order statistics of each cell's runs (which ones
    depends only on the number of runs: `_order_statistics`), so a partial sort of a block of cells at a time in
    the runs' own integer type gives np.quantile's values exactly, at half its time and without float64 copies."""
    ranked = ~np.isnan(nominal)
    pos = _order_statistics(sims.shape[0], [BAND[0], 0.5, BAND[1]])
    q = np.empty((3, sims.shape[1]))
    for j in range(0, sims.shape[1], chunk):
        block = np.ascontiguousarray(sims[:, j:j + chunk].T)                   # (cells, runs)
        q[:, j:j + chunk] = np.partition(block, pos, axis=-1)[:, pos].T
    idx = np.argwhere(ranked)
    columns = prep.spec.pillar_ids + [INDEX]
    out = pd.DataFrame({
        "city_id": np.array(prep.city_ids)[idx[:, 0]],
        "edition": np.array(prep.editions)[idx[:, 1]],
        "pillar": np.array(columns)[idx[:, 2]],
        "rank": nominal[ranked].astype(int),
        "rank_median": q[1].astype(int),
        "rank_low": q[0].astype(int),
        "rank_high": q[2].astype(int),
        "n_ranked": ranked.sum(axis=0)[idx[:, 1], idx[:, 2]].astype(int),
        "n_runs": int(sims.shape[0]),
    })
    return out.sort_values(["edition", "pillar", "rank", "city_id"]).reset_index(drop=True)[UNCERTAINTY_COLUMNS]


def _order_statistics(n: int, qs: list[float]) -> np.ndarray:
    """The sorted positions np.quantile(..., method='inverted_cdf') picks among n values: its quantiles of the
    positions 0..n-1 themselves (that method never interpolates)."""
    return np.quantile(np.arange(n), qs, method="inverted_cdf").astype(int)


def rank_bands(prep: Prepared, runs: np.ndarray) -> pd.DataFrame:
    """Per city x edition x (pillar | index) among cities ranked: the nominal (official) rank, the median rank and
    the 5 %-95 % band over the runs. Quantiles are 'inverted_cdf' so they are ranks that occurred, and the band
    always contains the median."""
    nominal = finish_arrays(prep, prep.spec).ranks
    return _bands(prep, nominal, runs[:, ~np.isnan(nominal)])


def rank_uncertainty(prep: Prepared, n_runs: int = N_RUNS, seed: int = SEED, workers: int = WORKERS) -> pd.DataFrame:
    """The published table: bands from `n_runs` seeded runs (only the officially ranked cells are kept), the runs
    shared by `workers` processes (the bands do not depend on it)."""
    nominal = finish_arrays(prep, prep.spec).ranks
    return _bands(prep, nominal, simulate_ranks(prep, n_runs, seed, cells=~np.isnan(nominal), workers=workers))


def start_rank_uncertainty(prep: Prepared, n_runs: int = N_RUNS, seed: int = SEED,
                           workers: int = WORKERS) -> Callable[[], tuple[pd.DataFrame, float]]:
    """`rank_uncertainty` with its runs in `workers` forked processes started now, so that this process can run
    the build's other stages meanwhile (on 2 cores the runs and those pandas stages then overlap). Returns
    `result`, which waits for the runs and returns (the table, the perf_counter time the runs finished). The
    table is rank_uncertainty's (tested). Without fork (workers 0 or no fork), the runs happen here, now."""
    nominal = finish_arrays(prep, prep.spec).ranks
    background = workers >= 1 and "fork" in multiprocessing.get_all_start_methods()
    out, fill, jobs = _plan(prep, n_runs, seed, ~np.isnan(nominal), BATCH, shared=background)
    if background:
        wait = _start(fill, _split(jobs, workers))
    else:
        fill(jobs)
        finished = time.perf_counter()

        def wait() -> float:
            return finished

    def result() -> tuple[pd.DataFrame, float]:
        done = wait()
        return _bands(prep, nominal, out), done

    return result
