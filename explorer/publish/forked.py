"""Run publishing jobs in forked worker processes (one per core; CDI_PUBLISH_WORKERS to override), each job a
function of the index and its own arguments. The workers inherit the index from the parent by fork, never by
pickling it; every job writes its own files, so the output does not depend on the number of workers."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from cdi_core.processes import fork_workers
from explorer.data.store import IndexData

WORKERS_ENV = "CDI_PUBLISH_WORKERS"
Job = tuple[Callable[..., object], tuple]
_DATA: IndexData | None = None


def run_forked(data: IndexData, jobs: Sequence[Job]) -> None:
    """Call fn(data, *args) for every (fn, args) in `jobs`, in parallel where fork and cores allow; a job's error is
    raised here. `fn` must be a module-level function (it is sent to the worker by name)."""
    workers = min(len(jobs), fork_workers(env=WORKERS_ENV))
    if workers <= 1:
        for fn, args in jobs:
            fn(data, *args)
        return
    global _DATA
    _DATA = data  # inherited by the forked workers
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [pool.submit(_call, fn, args) for fn, args in jobs]
            for future in futures:
                future.result()  # re-raises a worker's error here
    finally:
        _DATA = None


def _call(fn: Callable[..., object], args: tuple) -> None:
    assert _DATA is not None
    fn(_DATA, *args)
