"""Command line: `python -m cdi_core ingest|build [--check]`. Bad input exits 2 with one line naming file, row, rule."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdi_core.errors import InputError
from cdi_core.paths import DEFAULT_RAW_DIR, INDEX_DIR, INPUTS_DIR
from cdi_core.release_gate import ReleaseGateError
from cdi_core.spec import SpecError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cdi_core", description="City Diplomacy Index pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ing = sub.add_parser("ingest", help="raw sources -> data/inputs (needs ../shared/data)")
    p_ing.add_argument("--raw", type=Path, default=DEFAULT_RAW_DIR, help="the shared/data folder")
    p_ing.add_argument("--inputs", type=Path, default=INPUTS_DIR, help="where to write the inputs")
    p_b = sub.add_parser("build", help="data/inputs -> data/index (Parquet + manifest.json)")
    p_b.add_argument("--inputs", type=Path, default=INPUTS_DIR)
    p_b.add_argument("--out", type=Path, default=INDEX_DIR)
    p_b.add_argument("--check", action="store_true", help="exit 1 if the outputs differ from a fresh build")
    p_b.add_argument("--spec", type=Path, default=None, help="a methodology spec TOML (default: the packaged one)")
    p_b.add_argument("--new-release", action="store_true",
                     help="first make the published index in --out the previous release (data/index_previous), "
                          "the base of release_diff.parquet")
    p_b.add_argument("--allow-shrink", action="store_true",
                     help="publish even if ranked cities or row counts fall beyond the release gate's bounds "
                          "(cdi_core/release_gate.py) against the index in --out: for an intended shrink")
    p_q = sub.add_parser("quality", help="list the quality findings of data/inputs (exit 1 if any is unreviewed)")
    p_q.add_argument("--inputs", type=Path, default=INPUTS_DIR)
    p_q.add_argument("--all", action="store_true", help="every finding, not only the unreviewed ones")
    args = parser.parse_args(argv)
    try:
        if args.command == "ingest":
            from cdi_core.ingest import ingest

            report = ingest(args.raw, args.inputs)
            print(f"ingest: {report['cities']} cities, {report['observations']} observations, "
                  f"{report['sources']} sources, {report['unmatched']} unmatched rows reported "
                  f"in {args.inputs / 'unmatched.csv'} ({report['seconds']} s)")
            return 0
        from cdi_core.build import build, check
        from cdi_core.spec import load_spec

        if args.command == "quality":
            return _quality(args.inputs, args.all)

        spec = load_spec(args.spec) if args.spec else None

        if args.check:
            problems = check(args.inputs, args.out, spec)
            for p in problems:
                print(p, file=sys.stderr)
            print("build --check: " + ("outputs match the inputs" if not problems else f"{len(problems)} differences"))
            return 1 if problems else 0
        if args.new_release:
            from cdi_core.paths import PREVIOUS_INDEX_DIR
            from cdi_core.release_diff import start_new_release

            start_new_release(args.out, PREVIOUS_INDEX_DIR)
        manifest = build(args.inputs, args.out, spec, allow_shrink=args.allow_shrink)
        ranked = ", ".join(f"{k}: {v}" for k, v in manifest["ranked_cities"].items())
        print(f"build: {manifest['reference_cities']} cities, ranked per edition {ranked} "
              f"({manifest['build_seconds']} s, of which {manifest['uncertainty']['runs']} Monte Carlo runs "
              f"{manifest['uncertainty_seconds']} s) -> {args.out}")
        return 0
    except (InputError, SpecError, ReleaseGateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _quality(inputs_dir: Path, show_all: bool) -> int:
    from cdi_core.quality import screen_inputs
    from cdi_core.quality.findings import UNREVIEWED
    from cdi_core.spec import load_spec
    from cdi_core.validate import read_inputs

    spec = load_spec()
    q = screen_inputs(read_inputs(inputs_dir, spec), spec, inputs_dir)
    f = q.findings
    print(f.groupby(["check", "action"]).size().to_string())
    shown = f if show_all else f[f["action"] == UNREVIEWED]
    for r in shown.itertuples():
        print(f"{r.check}\t{r.action}\t{r.key}\t{r.detail}\t{r.rule}")
    return 1 if (f["action"] == UNREVIEWED).any() else 0


if __name__ == "__main__":
    sys.exit(main())
