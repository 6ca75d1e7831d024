"""The one publish command: static snapshots with their preview cards (explorer.publish.snapshots, cards) and the
PDF reports (explorer.documents.report) of the latest edition, from data/index into static/, atomically. These
files are generated, never committed; the live app works without them (its light-page and QR links fall back to
the live view until the snapshot exists: explorer.text.urls.snapshot_url).

The public base URL is one setting: `--base-url` (else the CDI_PUBLIC_URL environment variable), the address the
deployment's explorer is reached at, e.g. https://cdi.example.org. With it, citations, canonical links, og:url,
og:image / twitter:image, hreflang and every link into the live explorer are absolute (the static files under
<base>/app/static, or `--static-url` when static/ is hosted elsewhere); without it they are root-relative, which
suits the app's own server but not link-preview crawlers.

Deterministic: the same data/index and the same base URL give the same bytes (dates come from the manifest's
built_at). tests/golden holds a handful of rendered pages that guard the renderer; `--update-golden` rewrites them
after an intended change of the renderer or of data/index.

    python -m explorer.publish                                   # static/snapshots + static/reports, root-relative
    python -m explorer.publish --base-url https://cdi.example.org
    python -m explorer.publish --lang en --lang hu --out /tmp/static   # a subset of the languages elsewhere
    python -m explorer.publish --update-golden                   # re-render tests/golden
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cdi_core.paths import INDEX_DIR
from cdi_core.store import replace_dir_atomically
from explorer.data.store import IndexData, load_index
from explorer.documents import report
from explorer.publish import cards, snapshots
from explorer.publish.forked import run_forked
from explorer.text.i18n import LANG_CODES
from explorer.text.urls import PUBLIC_URL_ENV, STATIC_DIR, STATIC_PATH, env_base_url, public_base_url

REPORT_CHUNKS = 2  # the reports render as this many jobs beside the languages, so no worker waits for one long job


def static_base(base_url: str, static_url: str = "") -> str:
    """Where static/ is served: `static_url`, else <base_url>/app/static, else '' (root-relative)."""
    return static_url.rstrip("/") if static_url else (f"{base_url}{STATIC_PATH}" if base_url else "")


def _reports_job(data: IndexData, out: Path, base_url: str, cities: list[str]) -> None:
    report.render(data, out, base_url, cities)


def render(data: IndexData, snap_out: Path, report_out: Path, base_url: str = "", static_url: str = "",
           langs: tuple[str, ...] = LANG_CODES, cities: list[str] | None = None) -> dict[str, int]:
    """Write the snapshots into `snap_out` and the reports into `report_out` (no swap: `publish` does that), as
    parallel jobs (one per language, the reports in REPORT_CHUNKS); returns what was written. `cities`: only
    these cities' pages and reports (with the ranking and the Pact pages), for the golden pages and tests."""
    cards.font_paths()
    report.font_paths()  # fail before writing anything if the fonts are missing
    snap_base = f"{static_base(base_url, static_url)}/snapshots" if (base_url or static_url) else ""
    ids = report.report_cities(data) if cities is None else [c for c in report.report_cities(data) if c in cities]
    jobs = [(_reports_job, (report_out, base_url, chunk)) for chunk in (ids[i::REPORT_CHUNKS]
                                                                         for i in range(REPORT_CHUNKS)) if chunk]
    jobs += [(snapshots.render_language, (snap_out, lang, base_url, snap_base, cities)) for lang in langs]
    run_forked(data, jobs)
    n_cities = len(data.city_ids) if cities is None else len(cities)
    return {"pages": (2 + n_cities) * len(langs), "languages": len(langs), "reports": len(ids)}


def publish(index_dir: Path = INDEX_DIR, out: Path = STATIC_DIR, base_url: str = "", static_url: str = "",
            langs: tuple[str, ...] = LANG_CODES, cities: list[str] | None = None) -> dict[str, int]:
    """Render everything into temporary folders beside out/snapshots and out/reports, then swap both in (the
    reports, then the snapshots): a failure leaves the published files untouched."""
    base_url = public_base_url(base_url)
    static_url = public_base_url(static_url, "--static-url")
    data = load_index(index_dir)
    out = Path(out)
    result: dict[str, int] = {}

    def write_snapshots(snap_tmp: Path) -> None:
        def write_reports(report_tmp: Path) -> None:
            result.update(render(data, snap_tmp, report_tmp, base_url, static_url, langs, cities))

        replace_dir_atomically(out / "reports", write_reports)

    replace_dir_atomically(out / "snapshots", write_snapshots)
    return result


def _base_arg(what: str):
    def check(value: str) -> str:
        try:
            return public_base_url(value, what)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    return check


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m explorer.publish", description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", type=_base_arg("--base-url"), default=None,
                    help=f"the explorer's public address, e.g. https://cdi.example.org (default: ${PUBLIC_URL_ENV}, "
                         "else root-relative links for the app's own server)")
    ap.add_argument("--static-url", type=_base_arg("--static-url"), default="",
                    help="where static/ is served if not at <base-url>/app/static (a CDN)")
    ap.add_argument("--out", type=Path, default=STATIC_DIR, help="output folder (default static/)")
    ap.add_argument("--index", type=Path, default=INDEX_DIR, help="published index folder (default data/index)")
    ap.add_argument("--lang", action="append", choices=LANG_CODES, default=None,
                    help="render only this language's snapshots (repeatable; default: all six)")
    ap.add_argument("--update-golden", action="store_true",
                    help="re-render the golden pages in tests/golden (after an intended renderer or index change)")
    args = ap.parse_args(argv)
    try:
        base = args.base_url if args.base_url is not None else env_base_url()
    except ValueError as e:
        ap.error(str(e))
    try:
        if args.update_golden:
            from explorer.publish import golden

            files = golden.update(args.index)
            print(f"publish: {len(files)} golden files in {golden.GOLDEN_DIR}")
            return 0
        langs = tuple(c for c in LANG_CODES if c in args.lang) if args.lang else LANG_CODES
        start = time.perf_counter()
        n = publish(args.index, args.out, base, args.static_url, langs)
    except RuntimeError as e:  # missing fonts
        print(f"publish: {e}", file=sys.stderr)
        return 2
    where = base or "root-relative links"
    langs_text = f"{n['languages']} language" + ("s" if n["languages"] != 1 else "")
    print(f"publish: {n['pages']} snapshot pages and preview cards ({langs_text}) and {n['reports']} PDF reports "
          f"in {args.out} ({where}) in {time.perf_counter() - start:.0f} s")
    return 0
