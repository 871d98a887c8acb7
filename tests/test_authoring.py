"""Adding your own evidence: `collabkg template`, `collabkg import` and `--add`.

The round trip (the report's case studies to a workbook and back), the
worked example of docs/authoring.md (tests/fixtures/authoring), and each
kind of error, with its exact message.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from conftest import FIXTURES, ID, REPO, REPORT, TABLE_1_CASES, Result

AUTHORING = FIXTURES / "authoring"
RIVERSIDE = AUTHORING / "riverside"
SOURCE = "collaboration-executive-summary"
SHEETS = [
    "sources",
    "cases",
    "collaborations",
    "organisations",
    "memberships",
    "evidence",
    "figures",
    "poles",
    "assertions",
]
"""The sheets of the workbook, as docs/authoring.md lists them; then the drop-down lists."""
REPORT_CASES = {ID + "case/" + name for name in TABLE_1_CASES}
"""The six case studies of the report's Table 1."""
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OA = "http://www.w3.org/ns/oa#"


def _triples(files: list[Path]) -> set[tuple[object, object, object]]:
    return {
        (t.subject, t.predicate, t.object)
        for f in files
        for t in ox.parse(path=f, format=ox.RdfFormat.TURTLE)
    }


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))


def _expected_factors() -> list[str]:
    """The 29 factor labels of Table 2, from tests/expected/factors-by-theme.tsv."""
    lines = (REPO / "tests" / "expected" / "factors-by-theme.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    return [row[-1].strip('"') for row in rows]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from collabkg.cli import main

    folder = tmp_path_factory.mktemp("round-trip")
    book = folder / "report.xlsx"
    assert main(["template", "--from-graph", "-o", str(book)]) == 0
    assert main(["import", str(book), "-o", str(folder / "out"), "--text", f"{SOURCE}={REPORT}"]) == 0
    return folder / "out"


def _source_triples() -> set[tuple[object, object, object]]:
    """What data/report.ttl says of the report that the sheet `sources` holds, and its case studies."""
    document = ox.NamedNode(ID + "doc/" + SOURCE)
    kept = {
        RDF_TYPE,
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/issued",
        "https://w3id.org/collabkg/ontology#commissionedBy",
        "https://w3id.org/collabkg/ontology#researchedBy",
        "https://w3id.org/collabkg/ontology#hasCaseStudy",
    }
    return {t for t in _triples([REPO / "data" / "report.ttl"]) if t[0] == document and t[1].value in kept}


def test_round_trip_gives_the_bundled_case_studies_back(round_trip: Path) -> None:
    bundled = sorted((REPO / "data" / "cases").glob("*.ttl"))
    assert sorted(p.name for p in round_trip.iterdir()) == sorted(
        [*(p.name for p in bundled), f"source-{SOURCE}.ttl"]
    )
    for path in bundled:  # file by file: the same triples, in the same file
        assert _triples([round_trip / path.name]) == _triples([path]), path.name
    # the source's own triples are the report's, already in report.ttl
    assert _triples([round_trip / f"source-{SOURCE}.ttl"]) == _source_triples()


def test_round_trip_through_csv(tmp_path: Path, cli: Callable[..., Result]) -> None:
    template = cli("template", "--from-graph", "--format", "csv", "-o", str(tmp_path / "book"))
    assert (template.exit_code, template.stderr) == (0, ""), template.output
    assert sorted(p.name for p in (tmp_path / "book").iterdir()) == sorted(
        f"{s}.csv" for s in [*SHEETS, "lists"]
    )
    result = cli(
        "import", str(tmp_path / "book"), "-o", str(tmp_path / "out"), "--text", f"{SOURCE}={REPORT}"
    )
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    bundled = sorted((REPO / "data" / "cases").glob("*.ttl"))
    written = sorted([*(p.name for p in bundled), f"source-{SOURCE}.ttl"])
    assert result.stdout.splitlines()[1:] == [f"wrote {tmp_path / 'out' / name}" for name in written]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == written
    for path in bundled:
        assert _triples([tmp_path / "out" / path.name]) == _triples([path]), path.name
    assert _triples([tmp_path / "out" / f"source-{SOURCE}.ttl"]) == _source_triples()


def test_empty_template_has_headers_help_and_lists_from_the_graph(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    book = tmp_path / "empty.xlsx"
    result = cli("template", "-o", str(book))
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"wrote {book}\n", "")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [*SHEETS, "lists"]
    evidence = wb["evidence"]
    assert [cell.value for cell in evidence[1]] == [
        "id",
        "case",
        "source",
        "label",
        "passage",
        "section",
        "occurrence",
        "prefix",
        "suffix",
        "example",
        "example label",
        "theme",
        "polarity",
        "factors",
        "status",
        "basis",
        "derived from",
    ]
    assert (
        evidence["E2"].value == "(required) The passage, copied from the source (found there and anchored)."
    )
    assert evidence.max_row == 2  # no rows: headers and help only

    def column(letter: str) -> list[str]:
        return [cell.value for cell in wb["lists"][letter][1:] if cell.value is not None]

    assert column("A") == ["Motivations", "Structures", "Relationships"]
    assert column("B") == ["challenge", "enabler"]
    assert sorted(column("C")) == sorted(_expected_factors()) and len(column("C")) == 29
    assert column("G") == ["derived", "interpretive", "stated"]
    validations = [(str(v.sqref), v.formula1) for v in evidence.data_validations.dataValidation]
    assert validations == [
        ("L3:L1048576", "=lists!$A$2:$A$4"),  # theme
        ("M3:M1048576", "=lists!$B$2:$B$3"),  # polarity
        ("N3:N1048576", "=lists!$C$2:$C$30"),  # factors
        ("O3:O1048576", "=lists!$G$2:$G$4"),  # status
    ]


def test_worked_example_imports_validates_and_answers(tmp_path: Path, cli: Callable[..., Result]) -> None:
    out = tmp_path / "riverside-rdf"
    result = cli("import", str(RIVERSIDE), "-o", str(out))
    # one source, one case, three organisations, three passages (docs/authoring.md)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "imported 1 sources, 1 case studies, 3 organisations, 3 passages, 0 figures\n"
        f"wrote {out / 'riverside.food-partnership.ttl'}\n"
        f"wrote {out / 'source-riverside.ttl'}\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["riverside.food-partnership.ttl", "source-riverside.ttl"]
    validated = cli("--add", str(out), "validate")
    assert (validated.exit_code, validated.stdout, validated.stderr) == (0, "Conforms: no violations.\n", "")

    answer = cli("--add", str(out), "query", "enablers-by-case", "--format", "csv")
    assert (answer.exit_code, answer.stderr) == (0, "")
    rows = _csv(answer.stdout)
    case = ID + "case/riverside.food-partnership"
    assert [row for row in rows if row[0] == case] == [  # its two examples
        [
            case,
            "Riverside Food Partnership",
            ID + "theme/motivations",
            "Motivations",
            ID + "factor/clear-shared-purpose",
            "Clear, shared purpose",
            "interpretive",
            # the passage was pasted with a plain dash; the source's en dash is kept
            "The council's chief executive said that \"everyone knew exactly what we were there to do \u2013 "
            'nobody went hungry on our watch."',
            "'a clear, shared purpose that cut across their usual priorities'",
        ],
        [
            case,
            "Riverside Food Partnership",
            ID + "theme/relationships",
            "Relationships",
            ID + "factor/maintaining-open-frequent-communication",
            "Maintaining open, frequent communication",
            "interpretive",
            "Volunteers and council staff met every morning on a video call, which built trust between "
            "people who had never worked together before.",
            "'built trust between people who had never worked together before'",
        ],
    ]
    alone = cli("query", "enablers-by-case", "--format", "csv")
    assert [row for row in rows if row[0] != case] == _csv(alone.stdout)  # next to the report's, as they were

    listed = cli("--add", str(out), "query", "participants-by-case", "--format", "csv")
    assert (listed.exit_code, listed.stderr) == (0, "")
    by_case = {row[0]: row[2] for row in _csv(listed.stdout)[1:] if row[0]}
    assert set(by_case) == REPORT_CASES | {case}  # the report's six and the new one
    assert by_case[case] == "4"


def test_import_is_deterministic(tmp_path: Path, cli: Callable[..., Result]) -> None:
    first = cli("import", str(RIVERSIDE), "-o", str(tmp_path / "a"))
    second = cli("import", str(RIVERSIDE), "-o", str(tmp_path / "b"))
    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert (
        names
        == sorted(p.name for p in (tmp_path / "b").iterdir())
        == ["riverside.food-partnership.ttl", "source-riverside.ttl"]
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# errors: each kind, with the exact message


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    shutil.copytree(RIVERSIDE, folder)
    shutil.copy(AUTHORING / "riverside.md", tmp_path / "riverside.md")
    return folder


def _edit(folder: Path, sheet: str, row: int, column: str, value: str) -> None:
    path = folder / f"{sheet}.csv"
    lines = list(csv.reader(path.open(newline="")))
    while len(lines) < row:
        lines.append([""] * len(lines[0]))
    lines[row - 1][lines[0].index(column)] = value
    with path.open("w", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(lines)


Make = Callable[[Path, Callable[..., Result]], Path]
"""Makes a workbook with mistakes in ``tmp_path``; returns its path."""


def edited(*edits: tuple[str, int, str, str]) -> Make:
    """The worked example, with each (sheet, row, column, value) of ``edits`` made."""

    def make(tmp_path: Path, cli: Callable[..., Result]) -> Path:
        book = _copy(tmp_path)
        for edit in edits:
            _edit(book, *edit)
        return book

    return make


def without_a_sheet_and_a_column(tmp_path: Path, cli: Callable[..., Result]) -> Path:
    book = _copy(tmp_path)
    (book / "poles.csv").unlink()
    lines = list(csv.reader((book / "figures.csv").open(newline="")))
    with (book / "figures.csv").open("w", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows([line[:-1] for line in lines])
    return book


def not_a_workbook(tmp_path: Path, cli: Callable[..., Result]) -> Path:
    book = tmp_path / "cases.xlsx"
    book.write_text("not a workbook")
    return book


def merged_and_formula_cells(tmp_path: Path, cli: Callable[..., Result]) -> Path:
    book = tmp_path / "cases.xlsx"
    assert cli("template", "--from-graph", "-o", str(book)).exit_code == 0
    wb = openpyxl.load_workbook(book)
    wb["cases"].merge_cells("C3:C4")
    wb["cases"]["E5"] = "=2+3"
    wb["sources"]["F3"] = str(REPORT)  # the report's text, which --text gives otherwise
    wb.save(book)
    return book


ERRORS = [
    pytest.param(
        edited(("evidence", 4, "factors", "clear purpose")),
        [
            "{book}:evidence!N4: factor 'clear purpose' is not one of the 29 factors; did you mean 'Clear, "
            "shared purpose'?"
        ],
        id="value-outside-its-list-suggests",
    ),
    pytest.param(
        without_a_sheet_and_a_column,
        [
            "{book}:figures!1: missing column 'derived from'",
            "{book}:poles: missing sheet 'poles' (poles.csv)",
        ],
        id="missing-sheet-and-column",
    ),
    pytest.param(
        edited(("memberships", 4, "id", "council")),
        ["{book}:memberships!A4: duplicate id 'council' (first at A3)"],
        id="duplicate-id",
    ),
    pytest.param(
        edited(("memberships", 4, "organisation", "riverside-food-banks")),
        ["{book}:memberships!C4: organisation 'riverside-food-banks' is not an id of sheet 'organisations'"],
        id="reference-to-an-undefined-id",
    ),
    pytest.param(
        edited(("evidence", 5, "passage", "")),
        ["{book}:evidence!E5: passage is empty; it is required"],
        id="empty-required-cell",
    ),
    pytest.param(
        edited(("evidence", 5, "passage", "Volunteers and council staff met every week on a video call.")),
        [
            "{book}:evidence!E5: passage not found in source 'riverside' (riverside.md); nearest is line 15, "
            "89% alike: 'Volunteers and council staff met every morning on a video call,'"
        ],
        id="passage-not-in-its-source-shows-the-nearest",
    ),
    pytest.param(
        edited(("evidence", 5, "passage", "Riverside"), ("evidence", 5, "section", "")),
        [
            "{book}:evidence!E5: passage occurs 4 times in source 'riverside' (riverside.md) (lines 1, 3, 7, "
            "7); say which with its section, prefix or occurrence"
        ],
        id="passage-found-twice-needs-to-say-which",
    ),
    pytest.param(
        edited(("evidence", 5, "factors", "Building new relationships")),
        [
            "{book}:evidence!N5: 'Building new relationships' is a challenge, but example 'daily-calls' stands "
            "under the enabler heading: an example shows factors of its own polarity"
        ],
        id="factor-of-the-other-polarity",
    ),
    pytest.param(not_a_workbook, ["{book}: not an Excel workbook (.xlsx)"], id="not-a-workbook"),
    pytest.param(
        merged_and_formula_cells,
        [
            "{book}:cases!C3: merged cells C3:C4 where a value is expected; unmerge them and give each row "
            "its value",
            "{book}:cases!C4: label is empty; it is required",
            "{book}:cases!E5: formula =2+3 where a value is expected; paste the value instead",
        ],
        id="merged-and-formula-cells",
    ),
    pytest.param(
        edited(("sources", 3, "commissioned by", "")),
        [
            "{book}:sources!A3: A report has at least one ckg:commissionedBy, each an org:Organization. "
            "(ckg:commissionedBy)"
        ],
        id="shacl-violation-at-its-row",
    ),
]


@pytest.mark.parametrize(("make", "expected"), ERRORS)
def test_each_error_is_one_line_at_its_cell_and_nothing_is_written(
    make: Make, expected: list[str], tmp_path: Path, cli: Callable[..., Result]
) -> None:
    book = make(tmp_path, cli)
    result = cli("import", str(book), "-o", str(tmp_path / "out"))
    lines = [line.replace("{book}", str(book)) for line in expected]
    problems = f"{len(lines)} problem{'s' if len(lines) > 1 else ''}; nothing written"
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (2, "", [*lines, problems])
    assert not (tmp_path / "out").exists()


def test_an_occurrence_says_which_of_several_equal_passages(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    book = edited(
        ("evidence", 5, "passage", "Riverside"),
        ("evidence", 5, "section", ""),
        ("evidence", 5, "occurrence", "2"),
    )(tmp_path, cli)
    out = tmp_path / "out"
    result = cli("import", str(book), "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    selector = ox.NamedNode(ID + "quote/riverside.morning-calls-selector")
    said = {
        t[1].value: t[2].value for t in _triples([out / "riverside.food-partnership.ttl"]) if t[0] == selector
    }
    assert set(said) == {RDF_TYPE, OA + "exact", OA + "prefix", OA + "suffix"}
    text = (AUTHORING / "riverside.md").read_text(encoding="utf-8")
    second = text.index("Riverside", text.index("Riverside") + 1)  # line 3: "Published by the Riverside ..."
    quoted = said[OA + "prefix"] + said[OA + "exact"] + said[OA + "suffix"]
    assert said[OA + "exact"] == "Riverside" and text.count(quoted) == 1
    assert text.index(quoted) + len(said[OA + "prefix"]) == second


def test_two_sources_with_cases_of_the_same_name_do_not_clash(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    first = _copy(tmp_path)
    second = tmp_path / "second"
    shutil.copytree(first, second)
    for sheet in ("sources", "cases", "organisations"):
        _edit(second, sheet, 3, "id" if sheet == "sources" else "source", "lakeside")
    _edit(second, "sources", 3, "title", "Lakeside Food Partnership")
    _edit(second, "cases", 3, "source", "lakeside")
    for row in (4, 5):
        _edit(second, "organisations", row, "source", "lakeside")
    assert cli("import", str(first), "-o", str(tmp_path / "a")).exit_code == 0
    result = cli("import", str(second), "-o", str(tmp_path / "b"))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "lakeside.food-partnership.ttl",
        "source-lakeside.ttl",
    ]
    answer = cli(
        "--add",
        str(tmp_path / "a"),
        "--add",
        str(tmp_path / "b"),
        "query",
        "participants-by-case",
        "--format",
        "csv",
    )
    assert (answer.exit_code, answer.stderr) == (0, "")
    cases = {row[0] for row in _csv(answer.stdout)[1:] if row[0]}
    assert cases == REPORT_CASES | {
        ID + "case/riverside.food-partnership",
        ID + "case/lakeside.food-partnership",
    }
    quotes = _triples([tmp_path / "b" / "lakeside.food-partnership.ttl"])
    assert {t[2].value for t in quotes if t[1].value == OA + "hasSource"} == {ID + "doc/lakeside"}


def test_add_keeps_the_bundled_data_and_data_replaces_it(tmp_path: Path, cli: Callable[..., Result]) -> None:
    assert cli("import", str(RIVERSIDE), "-o", str(tmp_path / "out")).exit_code == 0
    runs = {
        "bundled": cli("stats", "--format", "json"),
        "alone": cli("--data", str(tmp_path / "out"), "stats", "--format", "json"),
        "added": cli("--add", str(tmp_path / "out"), "stats", "--format", "json"),
    }
    assert {name: (r.exit_code, r.stderr) for name, r in runs.items()} == {name: (0, "") for name in runs}
    bundled, alone, added = (json.loads(runs[name].stdout) for name in ("bundled", "alone", "added"))
    # --data: the worked example alone, without the report's framework
    assert (alone["case_studies"], alone["participants"], alone["factors"], alone["examples"]) == (1, 4, 0, 2)
    # --add: the report's graph and the worked example's, side by side
    assert (added["case_studies"], added["participants"], added["factors"]) == (7, 41, 29)
    summed = {key for key, value in added.items() if isinstance(value, int)} - {"triples", "ontology_triples"}
    assert {key: added[key] for key in summed} == {key: bundled[key] + alone[key] for key in summed}
    assert added["triples"] == bundled["triples"] + alone["data_triples"]
    assert added["factors_by_theme"] == bundled["factors_by_theme"]
    statuses = bundled["assertions_by_status"].keys() | alone["assertions_by_status"].keys()
    assert added["assertions_by_status"] == {
        status: bundled["assertions_by_status"].get(status, 0) + alone["assertions_by_status"].get(status, 0)
        for status in statuses
    }
