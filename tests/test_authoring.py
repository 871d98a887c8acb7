"""Adding your own evidence: `collabkg template`, `collabkg import` and `--add`.

The round trip (the report's case studies to a workbook and back), the
worked example of docs/authoring.md (tests/fixtures/authoring), and one test
per kind of error, each with its exact message.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from conftest import FIXTURES, REPO, REPORT

AUTHORING = FIXTURES / "authoring"
RIVERSIDE = AUTHORING / "riverside"
SOURCE = "collaboration-executive-summary"


def _triples(files: list[Path]) -> set[tuple[object, object, object]]:
    return {(t.subject, t.predicate, t.object) for f in files for t in ox.parse(path=f, format=ox.RdfFormat.TURTLE)}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from collabkg.cli import main

    folder = tmp_path_factory.mktemp("round-trip")
    book = folder / "report.xlsx"
    assert main(["template", "--from-graph", "-o", str(book)]) == 0
    assert main(["import", str(book), "-o", str(folder / "out"), "--text", f"{SOURCE}={REPORT}"]) == 0
    return folder / "out"


def test_round_trip_gives_the_bundled_case_studies_back(round_trip: Path) -> None:
    bundled = sorted((REPO / "data" / "cases").glob("*.ttl"))
    for path in bundled:  # file by file: the same triples, in the same file
        assert _triples([round_trip / path.name]) == _triples([path]), path.name
    # the source's own triples are the report's, already in report.ttl
    report = _triples(sorted((REPO / "data").glob("*.ttl")))
    assert _triples([round_trip / f"source-{SOURCE}.ttl"]) <= report


def test_round_trip_through_csv(tmp_path: Path, cli) -> None:
    assert cli("template", "--from-graph", "--format", "csv", "-o", str(tmp_path / "book")).exit_code == 0
    assert {p.name for p in (tmp_path / "book").iterdir()} >= {"evidence.csv", "sources.csv", "lists.csv"}
    result = cli("import", str(tmp_path / "book"), "-o", str(tmp_path / "out"), "--text", f"{SOURCE}={REPORT}")
    assert result.exit_code == 0, result.stderr
    bundled = sorted((REPO / "data" / "cases").glob("*.ttl"))
    assert _triples([tmp_path / "out" / p.name for p in bundled]) == _triples(bundled)


def test_empty_template_has_headers_help_and_lists_from_the_graph(tmp_path: Path, cli) -> None:
    book = tmp_path / "empty.xlsx"
    assert cli("template", "-o", str(book)).exit_code == 0
    wb = openpyxl.load_workbook(book)
    assert wb["evidence"]["E1"].value == "passage"
    assert wb["evidence"]["E2"].value.startswith("(required) The passage")
    factors = [row[0] for row in wb["lists"].iter_rows(min_row=2, min_col=3, max_col=3, values_only=True) if row[0]]
    assert len(factors) == 29 and "Clear, shared purpose" in factors
    formulas = [v.formula1 for v in wb["evidence"].data_validations.dataValidation]
    assert "=lists!$C$2:$C$30" in formulas


def test_worked_example_imports_validates_and_answers(tmp_path: Path, cli) -> None:
    out = tmp_path / "riverside-rdf"
    result = cli("import", str(RIVERSIDE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["riverside.food-partnership.ttl", "source-riverside.ttl"]
    assert cli("--add", str(out), "validate").exit_code == 0
    answer = cli("--add", str(out), "query", "enablers-by-case", "--format", "csv")
    cases = {line.split(",")[0] for line in answer.stdout.splitlines()[1:]}
    assert "https://w3id.org/collabkg/id/case/riverside.food-partnership" in cases
    assert "https://w3id.org/collabkg/id/case/northumbria" in cases  # next to the report's
    listed = cli("--add", str(out), "query", "participants-by-case", "--format", "csv")
    listed_cases = [line for line in listed.stdout.splitlines() if line.startswith("https://w3id.org/collabkg/id/case/")]
    assert len(listed_cases) == 7  # the report's six and the new one
    text = (out / "riverside.food-partnership.ttl").read_text()
    # the passage was pasted with a plain dash; the source's en dash is kept
    assert "there to do \u2013 nobody went hungry" in text


def test_import_is_deterministic(tmp_path: Path, cli) -> None:
    cli("import", str(RIVERSIDE), "-o", str(tmp_path / "a"))
    cli("import", str(RIVERSIDE), "-o", str(tmp_path / "b"))
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


# errors: one per kind, with the exact message


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


def _errors(cli, book: Path, tmp_path: Path) -> list[str]:
    result = cli("import", str(book), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("nothing written")
    return lines[:-1]


def test_error_value_outside_its_list_suggests(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "evidence", 4, "factors", "clear purpose")
    assert _errors(cli, book, tmp_path) == [
        f"{book}:evidence!N4: factor 'clear purpose' is not one of the 29 factors; did you mean 'Clear, shared purpose'?"
    ]


def test_error_missing_sheet_and_column(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    (book / "poles.csv").unlink()
    lines = list(csv.reader((book / "figures.csv").open(newline="")))
    with (book / "figures.csv").open("w", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows([line[:-1] for line in lines])
    assert _errors(cli, book, tmp_path) == [
        f"{book}:figures!1: missing column 'derived from'",
        f"{book}:poles: missing sheet 'poles' (poles.csv)",
    ]


def test_error_duplicate_id(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "memberships", 4, "id", "council")
    assert _errors(cli, book, tmp_path) == [f"{book}:memberships!A4: duplicate id 'council' (first at A3)"]


def test_error_reference_to_an_undefined_id(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "memberships", 4, "organisation", "riverside-food-banks")
    assert _errors(cli, book, tmp_path) == [
        f"{book}:memberships!C4: organisation 'riverside-food-banks' is not an id of sheet 'organisations'"
    ]


def test_error_empty_required_cell(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "evidence", 5, "passage", "")
    assert _errors(cli, book, tmp_path) == [f"{book}:evidence!E5: passage is empty; it is required"]


def test_error_passage_not_in_its_source_shows_the_nearest(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "evidence", 5, "passage", "Volunteers and council staff met every week on a video call.")
    assert _errors(cli, book, tmp_path) == [
        f"{book}:evidence!E5: passage not found in source 'riverside' (riverside.md); nearest is line 15, 89% alike: "
        "'Volunteers and council staff met every morning on a video call,'"
    ]


def test_error_passage_found_twice_needs_to_say_which(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "evidence", 5, "passage", "Riverside")
    _edit(book, "evidence", 5, "section", "")
    assert _errors(cli, book, tmp_path) == [
        f"{book}:evidence!E5: passage occurs 4 times in source 'riverside' (riverside.md) (lines 1, 3, 7, 7); "
        "say which with its section, prefix or occurrence"
    ]
    _edit(book, "evidence", 5, "occurrence", "2")
    assert cli("import", str(book), "-o", str(tmp_path / "out")).exit_code == 0


def test_error_not_a_workbook(tmp_path: Path, cli) -> None:
    book = tmp_path / "cases.xlsx"
    book.write_text("not a workbook")
    assert _errors(cli, book, tmp_path) == [f"{book}: not an Excel workbook (.xlsx)"]


def _xlsx(tmp_path: Path, cli) -> Path:
    book = tmp_path / "cases.xlsx"
    assert cli("template", "--from-graph", "-o", str(book)).exit_code == 0
    return book


def test_error_merged_and_formula_cells(tmp_path: Path, cli) -> None:
    book = _xlsx(tmp_path, cli)
    wb = openpyxl.load_workbook(book)
    wb["cases"].merge_cells("C3:C4")
    wb["cases"]["E5"] = "=2+3"
    wb.save(book)
    errors = _errors(cli, book, tmp_path)
    assert f"{book}:cases!C3: merged cells C3:C4 where a value is expected; unmerge them and give each row its value" in errors
    assert f"{book}:cases!E5: formula =2+3 where a value is expected; paste the value instead" in errors


def test_error_shacl_violation_is_reported_at_its_row(tmp_path: Path, cli) -> None:
    book = _copy(tmp_path)
    _edit(book, "sources", 3, "commissioned by", "")
    assert _errors(cli, book, tmp_path) == [
        f"{book}:sources!A3: A report has at least one ckg:commissionedBy, each an org:Organization. (ckg:commissionedBy)"
    ]


def test_two_sources_with_cases_of_the_same_name_do_not_clash(tmp_path: Path, cli) -> None:
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
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "b" / "lakeside.food-partnership.ttl").is_file()
    answer = cli("--add", str(tmp_path / "a"), "--add", str(tmp_path / "b"), "query", "participants-by-case",
                 "--format", "csv")
    assert answer.exit_code == 0, answer.stderr
    assert "case/riverside.food-partnership" in answer.stdout and "case/lakeside.food-partnership" in answer.stdout
    quotes = (tmp_path / "b" / "lakeside.food-partnership.ttl").read_text()
    assert "oa:hasSource doc:lakeside" in quotes


def test_add_keeps_the_bundled_data(tmp_path: Path, cli) -> None:
    cli("import", str(RIVERSIDE), "-o", str(tmp_path / "out"))
    alone = cli("--data", str(tmp_path / "out"), "stats", "--format", "json")
    added = cli("--add", str(tmp_path / "out"), "stats", "--format", "json")
    assert alone.exit_code == 0 and added.exit_code == 0
    assert '"case studies": 7' in added.stdout.replace("_", " ") or "7" in added.stdout
