"""Expected query results: reading ``tests/expected/NAME.tsv`` and comparing answers.

The files are W3C SPARQL 1.1 TSV results (see ``tests/expected/README.md``)
with two conveniences for the reader: IRIs may be prefixed names using the
project's prefixes (``case:northumbria``), and leading ``#`` lines are
comments that say where in the report the answer comes from. Cells are
parsed as Turtle terms by pyoxigraph, so escapes and number forms follow
Turtle.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from collabkg.namespaces import PREFIXES, XSD
from collabkg.stores import Solutions, Term, from_oxigraph

EXPECTED = Path(__file__).parent / "expected"

_NUMERIC = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float"}


def expected_path(name: str) -> Path:
    return EXPECTED / f"{name}.tsv"


def load_expected(name: str) -> Solutions:
    """The expected answer of the canned query ``name``."""
    path = expected_path(name)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header, *body = lines
    variables = tuple(v.removeprefix("?") for v in header.split("\t"))
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    triples = []
    for i, line in enumerate(body):
        cells = line.split("\t")
        if len(cells) != len(variables):
            raise ValueError(f"{path}: row {i + 1} has {len(cells)} cells for {len(variables)} variables")
        triples.extend(f"<urn:row:{i}> <urn:col:{j}> {cell} ." for j, cell in enumerate(cells) if cell != "")
    parsed = ox.parse((prologue + "\n".join(triples)).encode(), format=ox.RdfFormat.TURTLE)
    grid: list[list[Term | None]] = [[None] * len(variables) for _ in body]
    for triple in parsed:
        row = int(triple.subject.value.rsplit(":", 1)[1])
        col = int(triple.predicate.value.rsplit(":", 1)[1])
        grid[row][col] = from_oxigraph(triple.object)
    return Solutions(variables, [tuple(r) for r in grid])


def normal(term: Term | None) -> tuple:
    """A term in a form that engines agree on: numbers by value."""
    if term is None:
        return ("unbound",)
    if term.kind == "literal" and term.datatype in _NUMERIC:
        return ("number", term.datatype, Decimal(term.value))
    if term.kind == "bnode":
        return ("bnode",)
    return (term.kind, term.value, term.datatype or "", term.language or "")


def normal_rows(result: Solutions) -> list[tuple]:
    return [tuple(normal(t) for t in row) for row in result.rows]


def assert_same(actual: Solutions, expected: Solutions, *, ordered: bool, label: str) -> None:
    """Whole-result comparison with a readable difference."""
    assert actual.variables == expected.variables, (
        f"{label}: variables {actual.variables} != expected {expected.variables}"
    )
    got, want = normal_rows(actual), normal_rows(expected)
    if ordered and got == want:
        return
    if not ordered and sorted(got) == sorted(want):
        return
    missing = [r for r in want if r not in got]
    extra = [r for r in got if r not in want]
    detail = "\n".join(
        [f"{label}: {len(got)} rows, expected {len(want)}"]
        + [f"  missing: {_show(r, actual.variables)}" for r in missing[:10]]
        + [f"  extra:   {_show(r, actual.variables)}" for r in extra[:10]]
        + (["  (same rows, different order)"] if not missing and not extra else [])
    )
    raise AssertionError(detail)


def _show(row: tuple, variables: tuple[str, ...]) -> str:
    def value(cell: tuple) -> object:
        return "-" if cell[0] == "unbound" else cell[2] if cell[0] == "number" else cell[1]

    return ", ".join(f"{v}={value(cell)}" for v, cell in zip(variables, row, strict=True))


def is_ordered(text: str) -> bool:
    """Whether a query orders its answer (an ORDER BY outside comments and strings)."""
    from collabkg.catalogue import tokens

    words = [t.text.upper() for t in tokens(text) if t.kind == "word"]
    return any(a == "ORDER" and b == "BY" for a, b in zip(words, words[1:], strict=False))
