"""The methodology spec as typed, immutable objects, and the one way to override any of its parameters."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from cdi_core.sources.base import GRADES

SPEC_PATH = Path(__file__).resolve().parent / "methodology" / "spec_v1.toml"
TRANSFORMS = ("none", "log1p")
NORMALISATIONS = ("minmax", "zscore", "rank")
AGGREGATIONS = ("arithmetic", "geometric")
IMPUTATIONS = ("none", "median")
ABSENCES = ("zero", "below_threshold", "missing")


class SpecError(ValueError):
    """The spec (or an override) breaks a rule; the message names the field."""


@dataclass(frozen=True)
class Pillar:
    id: str
    name: str
    weight: float


@dataclass(frozen=True)
class Indicator:
    id: str
    pillar: str
    name: str
    unit: str
    direction: int
    weight: float
    transform: str
    definition: str
    # Carry-forward rule: a value is used for an edition only if |edition - year| <= max_age (a value carried forward
    # from an earlier year, or a later one standing in for an edition before it). A value of an anomalous year
    # (tourism 2020-2021) counts only in its own edition, and an anomalous edition takes only its own year's values.
    max_age: int = 5
    anomalous_years: tuple[int, ...] = ()
    age_reason: str = ""
    # Plausibility: a move between two observations of one city's series is implausible (and held out unless
    # reviewed, cdi_core.quality) when it exceeds both bounds: |change| > jump_abs and |change| / previous > jump_rel.
    jump_abs: float = float("inf")
    jump_rel: float = float("inf")
    # What a city's absence from the indicator's source means: `zero` (a complete list: absence is a true zero),
    # `below_threshold` (a top-N list: below the list's threshold) or `missing` (a partial list: nothing is known).
    absence: str = "missing"
    # Alternative measures of one concept (foreign-born or, where only that is published, foreign-citizen share)
    # share a coverage group: the coverage rule counts the group once, present if any of its measures is.
    coverage_group: str = ""

    @property
    def slot(self) -> str:
        return self.coverage_group or self.id


@dataclass(frozen=True)
class Rules:
    coverage_min: float
    require_all_pillars: bool
    imputation: str
    normalisation: str
    aggregation: str
    skew_max: float
    kurtosis_max: float
    winsor_max_points: int
    # Source grades (cdi_core.sources.base.GRADES) whose values the index may use; the others are excluded before
    # the index is computed (cdi_core.grades.apply_grade_rule).
    allowed_grades: tuple[str, ...] = GRADES[:3]
    # A pillar counts as measured (require_all_pillars) only with data for at least this many of its measures (or
    # all it has in the edition, if fewer), so a pillar score never rests on one indicator of three (a city's
    # "business" being its airport alone).
    pillar_min_measures: int = 1


@dataclass(frozen=True)
class Spec:
    version: str
    first_edition: int
    last_edition: int
    rules: Rules
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    source: str = field(default="", compare=False)

    @property
    def editions(self) -> list[int]:
        return list(range(self.first_edition, self.last_edition + 1))

    @property
    def pillar_ids(self) -> list[str]:
        return [p.id for p in self.pillars]

    @property
    def indicator_ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def indicators_of(self, pillar_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.pillar == pillar_id]

    def override(self, *, pillar_weights: dict[str, float] | None = None,
                 indicator_weights: dict[str, float] | None = None,
                 drop_indicators: tuple[str, ...] | list[str] = (), **rules) -> Spec:
        """A copy of the spec with any weight, rule or indicator set changed; validated like the original.

        `spec.override(pillar_weights={"tourism": 2}, normalisation="zscore", drop_indicators=["gawc_connectivity"])`.
        """
        pw = dict(pillar_weights or {})
        iw = dict(indicator_weights or {})
        unknown = (set(pw) - set(self.pillar_ids)) | (set(iw) - set(self.indicator_ids)) \
            | (set(drop_indicators) - set(self.indicator_ids))
        if unknown:
            raise SpecError(f"override names unknown pillars or indicators: {sorted(unknown)}")
        pillars = tuple(replace(p, weight=float(pw.get(p.id, p.weight))) for p in self.pillars)
        indicators = tuple(replace(i, weight=float(iw.get(i.id, i.weight)))
                           for i in self.indicators if i.id not in set(drop_indicators))
        bad = set(rules) - set(Rules.__dataclass_fields__)
        if bad:
            raise SpecError(f"override names unknown rules: {sorted(bad)}")
        out = replace(self, pillars=pillars, indicators=indicators, rules=replace(self.rules, **rules))
        validate_spec(out)
        return out

    def to_dict(self) -> dict:
        return {
            "version": self.version, "first_edition": self.first_edition, "last_edition": self.last_edition,
            "rules": {k: list(v) if isinstance(v, tuple) else v for k, v in self.rules.__dict__.items()},
            "pillars": [dict(p.__dict__) for p in self.pillars],
            "indicators": [{**i.__dict__, "anomalous_years": list(i.anomalous_years)} for i in self.indicators],
        }


def validate_spec(spec: Spec) -> None:
    """Reject a spec that cannot produce a meaningful index, naming the offending field."""
    r = spec.rules
    if not 0 < r.coverage_min <= 1:
        raise SpecError(f"rules.coverage_min must be in (0, 1], got {r.coverage_min}")
    if not (isinstance(r.pillar_min_measures, int) and r.pillar_min_measures >= 1):
        raise SpecError(f"rules.pillar_min_measures must be a whole number >= 1, got {r.pillar_min_measures!r}")
    for name, allowed in (("imputation", IMPUTATIONS), ("normalisation", NORMALISATIONS),
                          ("aggregation", AGGREGATIONS)):
        if getattr(r, name) not in allowed:
            raise SpecError(f"rules.{name} must be one of {allowed}, got {getattr(r, name)!r}")
    unknown_grades = [g for g in r.allowed_grades if g not in GRADES]
    if unknown_grades or not r.allowed_grades:
        raise SpecError(f"rules.allowed_grades must be a non-empty list of {GRADES}, got {list(r.allowed_grades)}")
    if spec.first_edition > spec.last_edition:
        raise SpecError("first_edition is after last_edition")
    pillar_ids = [p.id for p in spec.pillars]
    if len(set(pillar_ids)) != len(pillar_ids):
        raise SpecError("pillar ids are not unique")
    ids = [i.id for i in spec.indicators]
    if len(set(ids)) != len(ids):
        raise SpecError("indicator ids are not unique")
    for p in spec.pillars:
        if not (p.weight >= 0) or p.weight == float("inf"):
            raise SpecError(f"pillar {p.id}: weight must be a finite number >= 0, got {p.weight}")
    if sum(p.weight for p in spec.pillars) <= 0:
        raise SpecError("pillar weights sum to zero")
    for i in spec.indicators:
        if i.pillar not in pillar_ids:
            raise SpecError(f"indicator {i.id}: unknown pillar {i.pillar!r}")
        if i.direction not in (1, -1):
            raise SpecError(f"indicator {i.id}: direction must be 1 or -1")
        if not (i.weight >= 0) or i.weight == float("inf"):
            raise SpecError(f"indicator {i.id}: weight must be a finite number >= 0, got {i.weight}")
        if i.transform not in TRANSFORMS:
            raise SpecError(f"indicator {i.id}: transform must be one of {TRANSFORMS}")
        if not isinstance(i.max_age, int) or i.max_age < 0:
            raise SpecError(f"indicator {i.id}: max_age must be a whole number of years >= 0, got {i.max_age!r}")
        if i.absence not in ABSENCES:
            raise SpecError(f"indicator {i.id}: absence must be one of {ABSENCES}, got {i.absence!r}")
        if not (i.jump_abs > 0 and i.jump_rel > 0):
            raise SpecError(f"indicator {i.id}: jump_abs and jump_rel must be > 0")
    for p in spec.pillars:
        members = [i for i in spec.indicators if i.pillar == p.id]
        if not members or sum(i.weight for i in members) <= 0:
            raise SpecError(f"pillar {p.id}: has no indicator with a positive weight")


def _rules(raw: dict) -> Rules:
    raw = dict(raw)
    if "allowed_grades" in raw:
        raw["allowed_grades"] = tuple(raw["allowed_grades"])
    return Rules(**raw)


def load_spec(path: Path = SPEC_PATH) -> Spec:
    """Read and validate the TOML spec."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        spec = Spec(
            version=str(raw["version"]), first_edition=int(raw["first_edition"]),
            last_edition=int(raw["last_edition"]), rules=_rules(raw["rules"]),
            pillars=tuple(Pillar(**p) for p in raw["pillars"]),
            indicators=tuple(Indicator(**{**i, "anomalous_years": tuple(int(y) for y in i.get("anomalous_years", ()))})
                             for i in raw["indicators"]), source=str(path),
        )
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"{path}: malformed spec ({exc})") from exc
    try:
        validate_spec(spec)
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from exc
    return spec


__all__ = ["Spec", "Pillar", "Indicator", "Rules", "SpecError", "load_spec", "validate_spec"]
