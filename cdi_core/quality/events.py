"""Undated events: a membership that enters the index in some edition must be dated, either by its accession or by
the earliest dated source that confirms it (then it is "newly recorded", not "joined"). The ingest refuses an
undated Pact member; this check guards the committed inputs the build reads."""

from __future__ import annotations

import pandas as pd

from cdi_core.quality.findings import UNREVIEWED

DATE_KINDS = ("accession", "earliest_confirmation")


def check_events(pact_members: pd.DataFrame, file: str) -> list[dict]:
    rows = []
    kinds = pact_members["date_kind"] if "date_kind" in pact_members else pd.Series("", index=pact_members.index)
    for i, (r, kind) in enumerate(zip(pact_members.itertuples(), kinds), start=1):
        date = "" if pd.isna(r.joined_date) else str(r.joined_date).strip()
        if date and kind in DATE_KINDS:
            continue
        rows.append({"check": "events", "key": f"{r.city_id}|pact_members", "file": file, "row": i,
                     "rule": "an undated membership would move an edition with no event: date it by accession or "
                             "by the earliest source confirming it",
                     "detail": f"joined_date {date!r}, date_kind {kind!r}", "action": UNREVIEWED,
                     "decision": "", "reason": ""})
    return rows
