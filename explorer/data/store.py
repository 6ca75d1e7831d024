"""The published index as read-only frames, with no Streamlit import: the pages (through explorer.data.cache's cached
copy) and the static snapshots (explorer.publish.snapshots) read the same tables through the same code.

Nothing here computes the index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from cdi_core.paths import INDEX_DIR
from cdi_core.registry_build import FOCUS as REGISTRY_FOCUS
from cdi_core.text import normalize_name

TABLES = ("cities", "scores", "indicators", "framework", "sources", "pact_members", "twinnings",
          "network_memberships", "whc_sites", "global500_hq", "intl_org_seats", "twinning_events", "absences")
FOCUS = list(REGISTRY_FOCUS)
INDEX = "index"


@dataclass(frozen=True)
class IndexData:
    """All published tables plus the manifest. Treat as read-only: it is shared by every session."""

    tables: dict[str, pd.DataFrame]
    manifest: dict
    index_dir: Path

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = object.__getattribute__(self, "tables")
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def editions(self) -> list[int]:
        return [int(e) for e in self.manifest["editions"]]

    @cached_property
    def city_ids(self) -> frozenset[str]:
        """Every reference city's id; built once per IndexData (it was a new set on every page run)."""
        return frozenset(self.tables["cities"]["city_id"])

    @property
    def pillar_names(self) -> dict[str, str]:
        fw = self.tables["framework"]
        return dict(zip(fw["pillar"], fw["pillar_name"]))

    def city_name(self, city_id: str) -> str:
        return str(self.tables["cities"].set_index("city_id").at[city_id, "name"])


def load_index(index_dir: Path = INDEX_DIR) -> IndexData:
    tables = {name: pd.read_parquet(index_dir / f"{name}.parquet") for name in TABLES}
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    return IndexData(tables=tables, manifest=manifest, index_dir=index_dir)


def search_cities(data: IndexData, query: str, limit: int = 8) -> list[str]:
    """City ids whose name, own-language name (Bécs, Wiedeń) or any alternate spelling (Wien, Praha, Kiev, ...)
    starts with or equals the query."""
    q = normalize_name(query)
    if not q:
        return []
    cities = data.cities
    from explorer.text.i18n import city_names  # the CLDR names of data/index/city_names.parquet, if it is there

    own: dict[str, list[str]] = {}
    for (cid, _lang), local in city_names(str(data.index_dir)).items():
        own.setdefault(cid, []).append(local)
    exact, prefix = [], []
    for cid, name, alts in zip(cities["city_id"], cities["name"], cities["alt_names"]):
        keys = [normalize_name(n) for n in [name, *own.get(cid, []), *str(alts or "").split("|")]]
        if q in keys:
            exact.append(cid)
        elif any(k.startswith(q) for k in keys):
            prefix.append(cid)
    return (exact + prefix)[:limit]
