"""How many forked worker processes a parallel stage may use (the Monte Carlo runs, the snapshot languages).

Why one place: both stages fork so the workers inherit the parent's data without pickling it, so both need the same
answer to "is fork available, and how many cores may we use?"; 1 means run in this process.
"""

from __future__ import annotations

import multiprocessing
import os


def fork_workers(cap: int | None = None, env: str | None = None) -> int:
    """Worker processes for a forked stage: 1 where fork is unavailable; else the positive integer in the environment
    variable `env` if set, else the usable cores, at most `cap`."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    raw = os.environ.get(env, "") if env else ""
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, cap) if cap else cores)
