"""The build's data-quality gate, in the manner of OWID's inline asserts: every check looks at the committed inputs,
reports what it found in one findings table (published as `quality.parquet`), applies the reviewed decisions in
`data/reviews/*.csv`, and the build stops on the first finding nobody has reviewed, naming file, row and rule.

Checks (one module each): `near_miss` (unmatched names close to a reference city of the same country),
`series` (estimated, approximate, inferred and wider-area values held out of measured series; implausible jumps
and coding changes between two observations of one series), `zeros` (a zero from a list that is not complete),
`events` (an undated membership may not move an edition as news), `stale` (what the carry-forward rule kept out).
"""

from cdi_core.quality.findings import QUALITY_COLUMNS, fail_on_unreviewed, findings_frame
from cdi_core.quality.gate import QualityResult, screen_inputs, usable_observations

__all__ = ["QUALITY_COLUMNS", "QualityResult", "fail_on_unreviewed", "findings_frame", "screen_inputs",
           "usable_observations"]
