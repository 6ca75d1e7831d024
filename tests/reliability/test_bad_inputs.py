"""Bad inputs never break the published index: each kind below is made by corrupting a copy of data/inputs (or of
the methodology spec, or of a built index), run through the CLI (`python -m cdi_core build`), and must give a
non-zero exit, exactly one `error: ...` line naming the file, the row (where a row applies) and the rule, and leave
the output folder byte-for-byte unchanged (the build writes to a temporary folder and renames it in).

Kinds (the ids of the parametrised test):
 1. malformed_extra_fields      a row with more fields than the header (observations.csv)
 2. malformed_open_quote        a quote opened and never closed (last row of sources.csv)
 3. latin1_encoding             latin-1 bytes instead of UTF-8 (cities.csv)
 4. binary_garbage              NUL bytes / a binary file saved as CSV (observations.csv)
 5. missing_column              a required column dropped (observations.csv: source_id)
 6. renamed_column              a required column renamed (observations.csv: value -> val)
 7. side_table_renamed_column   a side table's column renamed (tables/twinnings.csv: city_id_a)
 8. empty_file                  a zero-byte input file (observations.csv)
 9. header_only                 a header and no rows (cities.csv)
10. missing_file                an input file deleted (sources.csv)
11. missing_side_table          a side table deleted (tables/pact_members.csv)
12. unknown_city                an observation for a city not in cities.csv
13. duplicate_observation       the same city, indicator and year twice
14. nan_value                   NaN as an observed value
15. inf_value                   inf as an observed value
16. empty_observed_value        an observed row with no value
17. non_numeric_value           text in the value column
18. negative_count              a count below zero
19. share_above_100             a share of 140 %
20. year_after_editions         a year after the last edition (2031)
21. year_before_range           a year before 1950
22. non_integer_year            year 2019.5
23. text_year                   year "twenty-twenty"
24. source_without_row          an observation citing a source_id that sources.csv lacks
25. source_without_licence      a source with an empty licence
26. source_without_title        a source with an empty title
27. duplicate_source            a source_id twice in sources.csv
28. indicator_not_in_spec       an indicator the methodology spec does not define
29. bad_status                  a status other than observed / below_threshold
30. below_threshold_with_value  a below-threshold mark that carries a value
31. duplicate_city              a city_id twice in cities.csv
32. bad_latitude                lat 95
33. non_numeric_longitude       lon "east"
34. city_id_not_a_slug          a city_id with capitals and a space
35. bad_is_capital              is_capital "maybe"
36. empty_city_name             a city with no name
37. side_table_unknown_city     a side table row for a city not in cities.csv (tables/twinnings.csv)
38. side_table_unknown_source   a side table row citing an unknown source (tables/whc_sites.csv)
39. spec_pillar_weights_zero    a spec whose pillar weights sum to zero (--spec)
40. spec_negative_weight        a spec with a negative pillar weight (--spec)
41. spec_indicator_weights_zero a spec where one pillar's indicator weights are all zero (--spec)
42. spec_malformed_toml         a spec that is not valid TOML (--spec)
43. truncated_parquet_check     a truncated Parquet file in the output folder, found by `build --check`
44. stale_absence               a documented absence for a cell that has a value from 2019 or later
45. absence_unknown_indicator   a documented absence naming an indicator the spec lacks
46. name_bidi_override          a city name with a right-to-left override (U+202E) that reverses what follows
47. name_zero_width             a Pact member's name with a zero-width space (U+200B)
48. name_control_newline        a city name with a newline (a control character in a name)
49. mayor_bidi_isolate          a mayor's name with a bidi isolate (U+2066)
50. side_table_name_control     an organisation's name with an escape character (tables/intl_org_seats.csv)
51. note_zero_width             an observation note with a zero-width joiner (notes may break lines, not hide text)
52. javascript_url              a source URL javascript:alert(1) (sources.csv)
53. relative_url                a source URL with no scheme or host
54. data_url_in_pact_links      a data: URL among a Pact member's other source URLs

Upstream format changes in `ingest` (a renamed or dropped column, a non-UTF-8 or malformed raw file, a row count
outside the documented range) are tested per source in tests/sources (test_*_fails / test_missing_column_fails).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cdi_core.__main__ import main
from cdi_core.build import build
from cdi_core.paths import INPUTS_DIR
from cdi_core.spec import SPEC_PATH

ROW = 5  # the data row (1-based, header excluded) most corruptions touch


# ---------------------------------------------------------------------------------------------- corruption helpers
def _read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(rel: str, column: str, value: str, row: int = ROW, where: Callable[[dict], bool] | None = None):
    """Set `column` of data row `row` (or of the first row matching `where`) to `value`; returns the row used."""

    def corrupt(inputs: Path) -> int:
        rows = _read(inputs / rel)
        col = rows[0].index(column)
        if where is not None:
            row_ = next(i for i, r in enumerate(rows[1:], start=1) if where(dict(zip(rows[0], r))))
        else:
            row_ = row
        rows[row_][col] = value
        _write(inputs / rel, rows)
        return row_

    return corrupt


def edit_rows(rel: str, fn: Callable[[list[list[str]]], int | None]):
    def corrupt(inputs: Path) -> int | None:
        rows = _read(inputs / rel)
        out = fn(rows)
        _write(inputs / rel, rows)
        return out

    return corrupt


def edit_bytes(rel: str, fn: Callable[[bytes], bytes]):
    def corrupt(inputs: Path) -> None:
        (inputs / rel).write_bytes(fn((inputs / rel).read_bytes()))

    return corrupt


def delete(rel: str):
    def corrupt(inputs: Path) -> None:
        (inputs / rel).unlink()

    return corrupt


def rename_column(rel: str, old: str, new: str):
    def fn(rows):
        rows[0][rows[0].index(old)] = new

    return edit_rows(rel, fn)


def drop_column(rel: str, column: str):
    def fn(rows):
        i = rows[0].index(column)
        for r in rows:
            del r[i]

    return edit_rows(rel, fn)


def duplicate_row(rel: str, row: int = ROW):
    def fn(rows):
        rows.insert(row + 1, list(rows[row]))
        return row + 1

    return edit_rows(rel, fn)


def append_fields(rel: str, row: int = ROW):
    def fn(rows):
        rows[row] += ["surplus", "fields"]

    return edit_rows(rel, fn)


def first_where(column: str, value: str) -> Callable[[dict], bool]:
    return lambda r: r[column] == value


OBS, CITIES, SOURCES = "observations.csv", "cities.csv", "sources.csv"
PACT = "tables/pact_members.csv"
OBSERVED = first_where("status", "observed")


def _latin1(data: bytes) -> bytes:
    # put a latin-1 encoded 'Kraków' into data row ROW's name
    lines = data.split(b"\n")
    name = lines[ROW].split(b",")[2]
    lines[ROW] = lines[ROW].replace(b"," + name + b",", b",Krak\xf3w,", 1)
    return b"\n".join(lines)


def _nul(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[ROW] = b"\x00\x00\x00\rIHDR\x00\x00"
    return b"\n".join(lines)


def open_quote(rel: str):
    """Open a quote in the last row and never close it (quotes elsewhere would swallow the rows in between)."""

    def corrupt(inputs: Path) -> int:
        lines = (inputs / rel).read_bytes().rstrip(b"\n").split(b"\n")
        lines[-1] = b'"' + lines[-1].replace(b'"', b"")
        (inputs / rel).write_bytes(b"\n".join(lines) + b"\n")
        return len(lines) - 1

    return corrupt


def spec_edit(fn: Callable[[str], str]):
    def corrupt(inputs: Path) -> None:
        (inputs.parent / "spec.toml").write_text(fn(SPEC_PATH.read_text(encoding="utf-8")), encoding="utf-8")

    return corrupt


def _pillar_weights(text: str, weight: str, only_first: bool = False) -> str:
    blocks = text.split("[[pillars]]")
    for i in range(1, len(blocks)):
        if not only_first or i == 1:
            blocks[i] = re.sub(r"(?m)^weight = .*$", f"weight = {weight}", blocks[i], count=1)
    return "[[pillars]]".join(blocks)


def _zero_indicator_weights_of(pillar: str):
    def fn(text: str) -> str:
        parts = text.split("[[indicators]]")
        for i in range(1, len(parts)):
            if re.search(rf'(?m)^pillar = "{pillar}"$', parts[i]):
                parts[i] = re.sub(r"(?m)^weight = .*$", "weight = 0.0", parts[i], count=1)
        return "[[indicators]]".join(parts)

    return fn


@dataclass(frozen=True)
class Kind:
    id: str
    corrupt: Callable[[Path], int | None]
    file: str  # the file the message must name (relative to the inputs folder, or "spec.toml" / "<out>/x")
    rule: str  # a piece of the rule text the message must contain
    row: int | None | str = "auto"  # "auto": the row the corruption returned (or ROW); None: no row applies
    check: bool = False  # run `build --check` on the output instead of a build
    spec: bool = False  # pass --spec <tmp>/spec.toml


KINDS = [
    Kind("malformed_extra_fields", append_fields(OBS), OBS, "malformed CSV"),
    Kind("malformed_open_quote", open_quote(SOURCES), SOURCES, "malformed CSV"),
    Kind("latin1_encoding", edit_bytes(CITIES, _latin1), CITIES, "not valid UTF-8"),
    Kind("binary_garbage", edit_bytes(OBS, _nul), OBS, "NUL bytes"),
    Kind("missing_column", drop_column(OBS, "source_id"), OBS, "required columns are missing", row=None),
    Kind("renamed_column", rename_column(OBS, "value", "val"), OBS, "required columns are missing", row=None),
    Kind("side_table_renamed_column", rename_column("tables/twinnings.csv", "city_id_a", "city_a"),
         "tables/twinnings.csv", "required columns are missing", row=None),
    Kind("empty_file", edit_bytes(OBS, lambda b: b""), OBS, "input file is empty", row=None),
    Kind("header_only", edit_bytes(CITIES, lambda b: b.split(b"\n")[0] + b"\n"), CITIES, "no rows", row=None),
    Kind("missing_file", delete(SOURCES), SOURCES, "input file is missing", row=None),
    Kind("missing_side_table", delete("tables/pact_members.csv"), "tables/pact_members.csv",
         "input file is missing", row=None),
    Kind("unknown_city", set_cell(OBS, "city_id", "atlantis"), OBS, "unknown city_id"),
    Kind("duplicate_observation", duplicate_row(OBS), OBS, "duplicate observation"),
    Kind("nan_value", set_cell(OBS, "value", "nan", where=OBSERVED), OBS, "finite number"),
    Kind("inf_value", set_cell(OBS, "value", "inf", where=OBSERVED), OBS, "finite number"),
    Kind("empty_observed_value", set_cell(OBS, "value", "", where=OBSERVED), OBS, "finite number"),
    Kind("non_numeric_value", set_cell(OBS, "value", "12 thousand", where=OBSERVED), OBS, "value is not a number"),
    Kind("negative_count", set_cell(OBS, "value", "-3", where=OBSERVED), OBS, "negative value"),
    Kind("share_above_100", set_cell(OBS, "value", "140", where=first_where("indicator", "foreign_born_share")),
         OBS, "share cannot exceed 100"),
    Kind("year_after_editions", set_cell(OBS, "year", "2031"), OBS, "year must be a whole number"),
    Kind("year_before_range", set_cell(OBS, "year", "1900"), OBS, "year must be a whole number"),
    Kind("non_integer_year", set_cell(OBS, "year", "2019.5"), OBS, "year must be a whole number"),
    Kind("text_year", set_cell(OBS, "year", "twenty-twenty"), OBS, "year must be a whole number"),
    Kind("source_without_row", set_cell(OBS, "source_id", "no-such-source"), OBS, "source_id has no row"),
    Kind("source_without_licence", set_cell(SOURCES, "licence", " "), SOURCES, "every source needs a licence"),
    Kind("source_without_title", set_cell(SOURCES, "title", ""), SOURCES, "every source needs a title"),
    Kind("duplicate_source", duplicate_row(SOURCES), SOURCES, "duplicate source_id"),
    Kind("indicator_not_in_spec", set_cell(OBS, "indicator", "happiness"), OBS, "not in the methodology spec"),
    Kind("bad_status", set_cell(OBS, "status", "estimated"), OBS, "status must be"),
    Kind("below_threshold_with_value", set_cell(OBS, "value", "7", where=first_where("status", "below_threshold")),
         OBS, "below-threshold mark carries no value"),
    Kind("duplicate_city", duplicate_row(CITIES), CITIES, "duplicate city_id"),
    Kind("bad_latitude", set_cell(CITIES, "lat", "95"), CITIES, "lat/lon must be numbers"),
    Kind("non_numeric_longitude", set_cell(CITIES, "lon", "east"), CITIES, "lat/lon must be numbers"),
    Kind("city_id_not_a_slug", set_cell(CITIES, "city_id", "New Town"), CITIES, "lower-case slug"),
    Kind("bad_is_capital", set_cell(CITIES, "is_capital", "maybe"), CITIES, "is_capital must be"),
    Kind("empty_city_name", set_cell(CITIES, "name", " "), CITIES, "city name is empty"),
    Kind("side_table_unknown_city", set_cell("tables/twinnings.csv", "city_id_b", "atlantis"),
         "tables/twinnings.csv", "unknown city_id_b"),
    Kind("side_table_unknown_source", set_cell("tables/whc_sites.csv", "source_id", "no-such-source"),
         "tables/whc_sites.csv", "source_id has no row"),
    Kind("spec_pillar_weights_zero", spec_edit(lambda t: _pillar_weights(t, "0.0")), "spec.toml",
         "pillar weights sum to zero", row=None, spec=True),
    Kind("spec_negative_weight", spec_edit(lambda t: _pillar_weights(t, "-1.0", only_first=True)), "spec.toml",
         "weight must be a finite number >= 0", row=None, spec=True),
    Kind("spec_indicator_weights_zero", spec_edit(_zero_indicator_weights_of("tourism")), "spec.toml",
         "has no indicator with a positive weight", row=None, spec=True),
    Kind("spec_malformed_toml", spec_edit(lambda t: t.replace("[rules]", "[rules", 1)), "spec.toml",
         "malformed spec", row=None, spec=True),
    Kind("stale_absence", set_cell("tables/absences.csv", "indicator", "diplomatic_countries", row=1),
         "tables/absences.csv", "stale absence"),
    Kind("absence_unknown_indicator", set_cell("tables/absences.csv", "indicator", "happiness", row=1),
         "tables/absences.csv", "indicator not in the spec"),
    Kind("name_bidi_override", set_cell(CITIES, "name", "Buda\u202epest"), CITIES, "name: a name may not contain"),
    Kind("name_zero_width", set_cell(PACT, "name", "War\u200bsaw", row=2), PACT, "name: a name may not contain"),
    Kind("name_control_newline", set_cell(CITIES, "name", "Vienna\n======"), CITIES, "name: a name may not contain"),
    Kind("mayor_bidi_isolate", set_cell(PACT, "mayor_at_signing", "\u2066Mayor", row=3), PACT,
         "mayor_at_signing: a name may not contain"),
    Kind("side_table_name_control", set_cell("tables/intl_org_seats.csv", "organisation", "Org\x1b[31m"),
         "tables/intl_org_seats.csv", "organisation: a name may not contain"),
    Kind("note_zero_width", set_cell(OBS, "note", "a\u200dnote"), OBS, "note: text may not contain"),
    Kind("javascript_url", set_cell(SOURCES, "url", "javascript:alert(1)"), SOURCES,
         "url: a URL must be an absolute http:// or https:// address"),
    Kind("relative_url", set_cell(SOURCES, "url", "www.example.org/page"), SOURCES, "url: a URL must be"),
    Kind("data_url_in_pact_links", set_cell(PACT, "other_source_urls",
                                            "https://example.org | data:text/html,<script>alert(1)</script>", row=2),
         PACT, "other_source_urls: a URL must be"),
    Kind("truncated_parquet_check", lambda inputs: None, "<out>/scores.parquet", "not a readable Parquet file",
         row=None, check=True),
]


# ------------------------------------------------------------------------------------------------------- the test
@pytest.fixture(scope="module")
def good_index(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "index"
    build(INPUTS_DIR, out)
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind", KINDS, ids=[k.id for k in KINDS])
def test_bad_input_fails_with_one_clear_message_and_leaves_the_index_untouched(kind, good_index, tmp_path, capsys):
    inputs, out = tmp_path / "inputs", tmp_path / "index"
    shutil.copytree(INPUTS_DIR, inputs)
    shutil.copytree(good_index, out)
    row = kind.corrupt(inputs)
    if kind.check:  # damage the published output, then ask --check about it
        path = out / "scores.parquet"
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    before = _snapshot(out)

    argv = ["build", "--inputs", str(inputs), "--out", str(out)]
    if kind.spec:
        argv += ["--spec", str(tmp_path / "spec.toml")]
    if kind.check:
        argv.append("--check")
    code = main(argv)
    err = capsys.readouterr().err

    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    message = lines[0]
    file = str(out / kind.file[len("<out>/"):]) if kind.file.startswith("<out>/") else (
        str(tmp_path / kind.file) if kind.spec else str(inputs / kind.file))
    assert file in message, message
    assert kind.rule in message, message
    expected_row = (row if row is not None else ROW) if kind.row == "auto" else kind.row
    if expected_row is None:
        assert ", row " not in message, message
    else:
        assert f"{file}, row {expected_row}:" in message, message
    assert "Traceback" not in err
    assert _snapshot(out) == before  # byte-for-byte
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_there_are_at_least_25_distinct_kinds():
    assert len({k.id for k in KINDS}) == len(KINDS) >= 25


def test_the_good_inputs_build_through_the_cli_into_the_same_folder(good_index, tmp_path):
    """The control: the uncorrupted copy builds (exit 0) and replaces the folder."""
    out = tmp_path / "index"
    shutil.copytree(good_index, out)
    assert main(["build", "--inputs", str(INPUTS_DIR), "--out", str(out), "--spec", str(SPEC_PATH)]) == 0
    assert (out / "manifest.json").is_file()
