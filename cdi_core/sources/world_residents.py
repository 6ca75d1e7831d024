"""Foreign-born and foreign-citizen shares for reference cities outside the Eurostat city statistics (the world
cities: C40 megacities, Lowy's top diplomatic hosts), from data/curated/world_residents.csv: the project's own
selection of cited figures read on the producers' pages or their tables (graded official statistics / producer's
own publication / reputable secondary; nothing graded `other` is in the file).

Rules of the file (see data/curated/README.md): one series per city, of one area and one definition; the area is
the city where a figure for it exists, else the smallest unit the producer publishes that contains it (a county, a
metropolitan area, an emirate or governorate), marked `area_wider`; a share we divided from two printed counts is
marked `derived`; a year the page implies but does not print is marked `year_inferred`. The two measures are never
converted into each other. A city's series here replaces the shared tables' rows for that city and indicator
(`REPLACES_SERIES`): the ingest keeps one series per city, never a mix of areas.
"""

from __future__ import annotations

from pathlib import Path

from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    FLAGS,
    GRADES,
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_curated,
    url_source_id,
)

FILE = "world_residents.csv"
COLUMNS = ["city_id", "indicator", "year", "value", "area", "flags", "definition", "producer", "grade",
           "source_title", "source_url", "other_source_urls", "licence", "retrieved", "derived", "evidence"]
INDICATORS = ("foreign_born_share", "foreign_citizen_share")
USABLE_GRADES = GRADES[:3]
PREFIX = "world"
REPLACES_SERIES = True


def read(raw_dir: Path, registry: Registry, curated_dir: Path | None = None) -> SourceResult:
    from cdi_core.sources.project_curated import CURATED_DIR

    path = Path(curated_dir or CURATED_DIR) / FILE
    df = read_curated(path, COLUMNS)
    rows, sources = [], {}
    for i, r in enumerate(df.itertuples(), start=2):
        if r.city_id not in registry:
            raise InputError(path, "city_id is not a reference city", row=i, detail=r.city_id)
        if r.indicator not in INDICATORS:
            raise InputError(path, f"indicator must be one of {INDICATORS}", row=i, detail=r.indicator)
        if r.grade not in USABLE_GRADES:
            raise InputError(path, f"grade must be one of {USABLE_GRADES}", row=i, detail=r.grade)
        flags = [f for f in r.flags.split(";") if f]
        if set(flags) - set(FLAGS):
            raise InputError(path, f"flags must be among {FLAGS}", row=i, detail=r.flags)
        try:
            value, year = float(r.value), int(r.year)
        except ValueError as exc:
            raise InputError(path, "value and year must be numbers", row=i, detail=f"{r.value} {r.year}") from exc
        if not 0 <= value <= 100:
            raise InputError(path, "a share is between 0 and 100", row=i, detail=r.value)
        sid = url_source_id(PREFIX, r.source_url)
        sources.setdefault(sid, SourceMeta(
            source_id=sid, title=r.source_title, producer=r.producer, url=r.source_url, licence=r.licence,
            attribution=r.producer, retrieved=r.retrieved, year=r.year, grade=r.grade))
        also = f"; also read: {r.other_source_urls}" if r.other_source_urls else ""
        how = "derived by us: " + r.derived.removeprefix("yes:").strip() if r.derived.startswith("yes") else \
            "as printed by the producer"
        rows.append({"city_id": r.city_id, "indicator": r.indicator, "year": year, "value": value,
                     "status": STATUS_OBSERVED, "source_id": sid, "flags": ";".join(flags),
                     "note": f"{r.area}; {r.definition}; {how}; source grade: {r.grade}{also}"})
    return SourceResult(observations=obs_frame(rows), sources=list(sources.values()))
