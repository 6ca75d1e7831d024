"""Element cost: what Streamlit itself charges a session for each element a page sends, as a ratio to a bare page.

Why: the page target (each page's 50-burst within 1.5x the bare one-line page's) is set against a page of one
element, and Streamlit does a fixed amount of work for every element it sends (build the protobuf, hand it to the
event loop, serialise, write to the socket). This measures that floor with synthetic pages of N constant, trivial
elements and no data at all, so it holds for any page with that many elements, however its own code is written.

Two servers with the same flags and .streamlit/config.toml as the explorer: the bare page (benchmarks/pages.py's)
and a synthetic page whose `?n=` sets how many `st.markdown` elements it draws (`&kind=` caption, dataframe, expander:
N expanders of two paragraphs each, lazy: the same with on_change="rerun", closed, so their content does not run;
`&one=1` puts all N paragraphs into one markdown element). Bursts alternate bare, variant, bare, ...;
a variant's ratio is its burst wall time over the mean of the bare bursts around it, median over rounds. Server CPU
a session comes from /proc (both servers, over the same bursts).

    python benchmarks/element_cost.py           # n = 1, 10, 25, 50, 75, 100 markdown + a few other kinds
    python benchmarks/element_cost.py --quick   # 1 round of 20-bursts

Writes benchmarks/results/element_cost.json (--out) and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from st_client import (
    REPO,
    bare_neighbours,
    burst_with_cpu,
    free_port,
    machine,
    one_session,
    start_server,
    stop_server,
    write_results,
)

from pages import BARE_APP, TARGET_RATIO, bare_dir

RESULTS = REPO / "benchmarks" / "results" / "element_cost.json"
SYNTH_APP = '''import pandas as pd
import streamlit as st

q = st.query_params
n, kind = int(q.get("n", "1")), q.get("kind", "markdown")
if q.get("one") == "1":
    st.markdown("\\n\\n".join(f"Paragraph {i} of a constant text." for i in range(n)))
elif kind == "caption":
    for i in range(n):
        st.caption(f"Caption {i} of a constant text.")
elif kind == "expander":
    for i in range(n):
        with st.expander(f"Section {i}"):
            st.markdown(f"Paragraph {i} of a constant text.")
            st.markdown(f"Another paragraph {i}.")
elif kind == "lazy":
    for i in range(n):
        box = st.expander(f"Section {i}", key=f"s{i}", on_change="rerun")
        if box.open:
            with box:
                st.markdown(f"Paragraph {i} of a constant text.")
                st.markdown(f"Another paragraph {i}.")
elif kind == "dataframe":
    df = pd.DataFrame({"a": range(10), "b": [f"x{i}" for i in range(10)]})
    for i in range(n):
        st.dataframe(df, hide_index=True)
else:
    for i in range(n):
        st.markdown(f"Paragraph {i} of a constant text.")
'''
# (label, query string)
VARIANTS = [("markdown x1", "n=1"), ("markdown x10", "n=10"), ("markdown x25", "n=25"), ("markdown x50", "n=50"),
            ("markdown x75", "n=75"), ("markdown x100", "n=100"), ("one markdown of 75 paragraphs", "n=75&one=1"),
            ("caption x25", "n=25&kind=caption"), ("expander x14, 2 markdown in each", "n=14&kind=expander"),
            ("lazy expander x14, closed", "n=14&kind=lazy"), ("dataframe x10 (10 rows)", "n=10&kind=dataframe")]


async def rounds(bare: tuple[int, int], synth: tuple[int, int], n: int, n_rounds: int, variants: list) -> list[dict]:
    """Alternate bare and variant bursts; each record has the wall time, errors and both servers' CPU a session."""
    runs = []

    async def one(kind: str, label: str, port: int, query: str, r: int) -> None:
        res = await burst_with_cpu(port, n, "", query, (bare[1], synth[1]))
        cpu = res["server_cpu_ms_per_session"]
        runs.append({"round": r, "kind": kind, "variant": label, "wall_seconds": res["wall_seconds"],
                     "errors": res["errors"], "server_cpu_ms_per_session": cpu})
        print(f"  round {r} {label:32s} wall {res['wall_seconds']:6.2f} s  cpu/session {cpu:5.1f} ms  "
              f"errors {len(res['errors'])}", flush=True)
        await asyncio.sleep(0.5)

    for r in range(n_rounds):
        for label, query in variants:
            await one("bare", "bare", bare[0], "", r)
            await one("variant", label, synth[0], query, r)
        await one("bare", "bare", bare[0], "", r)
    return runs


def summarise(runs: list[dict]) -> dict:
    """Per variant: median over rounds of the ratio to the surrounding bare bursts, and of the CPU a session."""
    out: dict = {}
    for rec, bare in bare_neighbours(runs):
        v = out.setdefault(rec["variant"], {"ratio": [], "cpu": [], "errors": 0})
        v["ratio"].append(round(rec["wall_seconds"] / bare, 2))
        v["cpu"].append(round(rec["server_cpu_ms_per_session"], 2))
        v["errors"] += len(rec["errors"])
    bare_cpu = [r["server_cpu_ms_per_session"] for r in runs if r["kind"] == "bare"]
    return {"variants": {k: {"ratio_by_round": v["ratio"], "ratio_median": round(statistics.median(v["ratio"]), 2),
                             "server_cpu_ms_per_session_median": round(statistics.median(v["cpu"]), 2),
                             "errors": v["errors"]} for k, v in out.items()},
            "bare": {"server_cpu_ms_per_session_median": round(statistics.median(bare_cpu), 2),
                     "errors": sum(len(r["errors"]) for r in runs if r["kind"] == "bare")}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 round of 20-session bursts")
    ap.add_argument("--n", type=int, default=50, help="sessions per burst")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    if args.quick:
        args.n, args.rounds = 20, 1
    t_run = time.perf_counter()
    res: dict = {"machine": machine(), "settings": {"n": args.n, "rounds": args.rounds, "bare_app": BARE_APP,
                                                    "synthetic_app": SYNTH_APP}}
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "bare.log", "w") as bare_log, \
            open(Path(tmp) / "synth.log", "w") as synth_log:
        repo = bare_dir(Path(tmp) / "apps")
        (repo / "synth_app.py").write_text(SYNTH_APP, encoding="utf-8")
        ports = free_port(), free_port()
        procs = [start_server(ports[0], bare_log, repo, "bare_app.py")]
        try:
            procs.append(start_server(ports[1], synth_log, repo, "synth_app.py"))
            for _, query in VARIANTS:  # warm both servers (imports, first runs)
                asyncio.run(one_session(ports[1], "", query))
            asyncio.run(one_session(ports[0], "", ""))
            runs = asyncio.run(rounds((ports[0], procs[0].pid), (ports[1], procs[1].pid), args.n, args.rounds,
                                      VARIANTS))
        finally:
            for p in procs:
                stop_server(p)
    res.update(summarise(runs))
    res["run_seconds"] = round(time.perf_counter() - t_run, 1)
    res["note"] = ("ratio = variant burst wall / mean of the bare bursts around it, median over rounds; server CPU "
                   "a session = both servers' /proc CPU over the burst / sessions. A page with that many elements "
                   f"cannot be cheaper than its variant; the page target is <= {TARGET_RATIO}.")
    write_results(args.out, res)
    print(f"{args.n}-session bursts, {args.rounds} round(s); bare page server CPU a session "
          f"{res['bare']['server_cpu_ms_per_session_median']} ms")
    for label, v in res["variants"].items():
        print(f"{label:32s} ratio to bare {v['ratio_median']:5.2f}  server CPU a session "
              f"{v['server_cpu_ms_per_session_median']:5.1f} ms  errors {v['errors']}")
    print(f"-> {args.out} ({res['run_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
