"""The one cache entry point of the live app: the published index and its side tables (rank bands, change
decomposition, quality report, what-if base), each read once per server process and shared read-only by every
session, and the PDF reports made on demand.

Everything else derived from these objects is memoised by explorer.perf.memo, keyed on the function's own
arguments. The tables and their readers live in explorer.data.store and the view models (no Streamlit).
"""

from __future__ import annotations

import os
from pathlib import Path

from cdi_core.paths import INDEX_DIR
from cdi_core.whatif import PublishedBase, published_base
from explorer.data.store import IndexData, load_index
from explorer.perf import housekeeping
from explorer.perf.memo import memo
from explorer.views.bands import RobustData, load_robust
from explorer.views.changes.tables import ChangesData, load_changes
from explorer.views.methodology.quality import QualityData, load_quality


def get_index() -> IndexData:
    """The one copy per server process: from data/index, or from the folder in CDI_INDEX_DIR if it is set (tests).
    Also starts the process's periodic garbage collection (explorer.perf.housekeeping), once."""
    return _index(str(os.environ.get("CDI_INDEX_DIR") or INDEX_DIR))


@memo
def _index(index_dir: str) -> IndexData:
    housekeeping.start()
    return load_index(Path(index_dir))


def get_quality() -> QualityData:
    """The build's quality findings and the freshness table, from the same folder as get_index."""
    return _get_quality(get_index())


def get_robust() -> RobustData:
    """Rank bands and the statistical audit, from the same folder as get_index."""
    return _get_robust(get_index())


def get_whatif_base() -> PublishedBase:
    """The published indicator scores reshaped once for the what-if sliders."""
    return _whatif_base(get_index())


def get_changes() -> ChangesData:
    """The change decomposition, rank split, data diff and events, from the same folder as get_index."""
    return _get_changes(get_index())


@memo(max_entries=64)
def report_bytes(city_id: str, edition: int) -> bytes:
    """The city's annual feedback report for one edition (explorer.documents.report), made once per city and
    edition."""
    from explorer.documents.report import report_pdf

    return report_pdf(get_index(), get_changes(), get_robust(), city_id, edition)


@memo
def _get_quality(data: IndexData):
    return load_quality(data.index_dir)


@memo
def _get_robust(data: IndexData):
    return load_robust(data.index_dir)


@memo
def _get_changes(data: IndexData):
    return load_changes(data.index_dir)


@memo
def _whatif_base(data: IndexData) -> PublishedBase:
    return published_base(data.indicators, data.scores)
