"""Query results as text: a terminal table, CSV, TSV, JSON, Markdown, Turtle.

CSV, TSV and JSON follow the W3C SPARQL 1.1 Query Results formats, so that
any SPARQL tool reads them. An ASK answer is ``true`` or ``false`` in every
format but JSON (``{"head": {}, "boolean": true}``); a CONSTRUCT or DESCRIBE
answer is always Turtle. Importing this module is cheap (the CLI reads
:class:`ResultFormat` for its options); the store types come in when a
result is rendered.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from collabkg.namespaces import PREFIXES, RDF_LANGSTRING, XSD, XSD_STRING, show

if TYPE_CHECKING:  # the store (and pyoxigraph) is imported only to render
    from collabkg.stores import QueryResult, Solutions, Term

ELLIPSIS = "…"
# The narrowest a table column is squeezed to before the table is cut.
MIN_COLUMN = 8


class ResultFormat(enum.Enum):
    """The output formats of ``collabkg query``, each with its media type."""

    TABLE = ("table", "text/plain")
    CSV = ("csv", "text/csv")
    TSV = ("tsv", "text/tab-separated-values")
    JSON = ("json", "application/sparql-results+json")
    MD = ("md", "text/markdown")

    def __init__(self, label: str, media_type: str) -> None:
        self.label = label
        self.media_type = media_type

    @classmethod
    def from_name(cls, name: str) -> ResultFormat:
        """The format called ``name`` (``"csv"``); ValueError lists the known ones."""
        for fmt in cls:
            if fmt.label == name.lower():
                return fmt
        raise ValueError(f"unknown format {name!r} (use one of: {', '.join(cls.names())})")

    @classmethod
    def names(cls) -> list[str]:
        return [fmt.label for fmt in cls]


def render(
    result: QueryResult,
    fmt: ResultFormat = ResultFormat.TABLE,
    *,
    full: bool = False,
    width: int | None = None,
) -> str:
    """``result`` as text in ``fmt``.

    ``full`` shows every cell of a table whole (wrapped); otherwise cells too
    wide for ``width`` (the terminal's by default) are cut with an ellipsis.
    """
    from collabkg.stores import Solutions

    if isinstance(result, bool):
        if fmt is ResultFormat.JSON:
            import json

            return json.dumps({"head": {}, "boolean": result}) + "\n"
        return ("true" if result else "false") + "\n"
    if not isinstance(result, Solutions):
        return turtle(result)
    if fmt is ResultFormat.CSV:
        return to_csv(result)
    if fmt is ResultFormat.TSV:
        return to_tsv(result)
    if fmt is ResultFormat.JSON:
        return to_json(result)
    if fmt is ResultFormat.MD:
        return to_markdown(result)
    return to_table(result, full=full, width=width)


# --------------------------------------------------------------------------
# W3C formats
# --------------------------------------------------------------------------


def to_csv(result: Solutions) -> str:
    """SPARQL 1.1 Query Results CSV: values only, CRLF line ends."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else _csv_value(t) for t in row])
    return out.getvalue()


def _csv_value(term: Term) -> str:
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def to_tsv(result: Solutions) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax, numbers and booleans bare."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _turtle_term(t) for t in row))
    return "\n".join(lines) + "\n"


# Turtle's abbreviated forms, usable where the lexical form already has their shape.
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _turtle_term(term: Term) -> str:
    pattern = _BARE.get(term.datatype or "") if term.kind == "literal" else None
    if pattern is not None and pattern.fullmatch(term.value):
        return term.value
    return term.n3()


def to_json(result: Solutions) -> str:
    """SPARQL 1.1 Query Results JSON."""
    import json

    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if term.kind == "iri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype not in (XSD_STRING, RDF_LANGSTRING):
        out["datatype"] = term.datatype
    return out


def turtle(triples: Sequence[tuple[Term, Term, Term]]) -> str:
    """CONSTRUCT or DESCRIBE triples as Turtle with the project's prefixes."""
    import pyoxigraph as ox

    text = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)
    parsed = ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    serialized = ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert serialized is not None  # None only when written to an output
    return serialized.decode()


# --------------------------------------------------------------------------
# For people: a terminal table and Markdown
# --------------------------------------------------------------------------


def cell_text(term: Term | None) -> str:
    """A term as a reader sees it: IRIs prefixed where possible, literals bare."""
    if term is None:
        return ""
    if term.kind == "iri":
        return show(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def to_markdown(result: Solutions) -> str:
    """A GitHub-flavoured Markdown table."""

    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")

    lines = [
        "| " + " | ".join(result.variables) + " |",
        "|" + "|".join("---" for _ in result.variables) + "|",
    ]
    for row in result.rows:
        lines.append("| " + " | ".join(md(cell_text(t)) for t in row) + " |")
    return "\n".join(lines) + "\n"


LABEL_SUFFIX = "Label"


def to_table(result: Solutions, *, full: bool = False, width: int | None = None) -> str:
    """A plain-text table that fits ``width`` columns.

    Where a query gives both ``?x`` and ``?xLabel``, the table shows the
    label and leaves the IRI to the other formats, and says so under the
    table. Narrow columns keep their width; the wide ones share what is left,
    their cells cut with an ellipsis. With ``full`` nothing is cut: a table
    too wide for the terminal is shown as one block per row instead, each
    value wrapped to the width.
    """
    if width is None:
        import shutil

        width = shutil.get_terminal_size((120, 24)).columns
    hidden = [v for v in result.variables if v + LABEL_SUFFIX in result.variables]
    shown = [i for i, v in enumerate(result.variables) if v not in hidden]
    header = [result.variables[i] for i in shown]
    cells = [[" ".join(cell_text(row[i]).split()) for i in shown] for row in result.rows]
    natural = [max([len(header[c])] + [len(row[c]) for row in cells]) for c in range(len(header))]
    widths = _fit(natural, width - 2 * (len(header) - 1))
    count = len(result.rows)
    footer = f"({count} row{'s' if count != 1 else ''}"
    if hidden:
        footer += f"; IRIs of {', '.join(hidden)} in --format csv, tsv or json"
    cut = widths != natural
    if full and cut:
        return _records(header, cells, width) + footer + ")\n"
    if cut:
        footer += "; --full shows cut cells whole"

    def line(texts: list[str]) -> str:
        return "  ".join(
            (text if len(text) <= w else text[: w - 1] + ELLIPSIS).ljust(w)
            for text, w in zip(texts, widths, strict=True)
        ).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    out.append(footer + ")")
    return "\n".join(out) + "\n"


def _records(header: list[str], cells: list[list[str]], width: int) -> str:
    """Rows as blocks of ``name  value`` lines, values wrapped to ``width``."""
    import textwrap

    name_width = max(len(name) for name in header)
    value_width = max(MIN_COLUMN, width - name_width - 2)
    out = []
    for number, row in enumerate(cells, start=1):
        out.append(f"-- row {number} " + "-" * max(0, min(width, 60) - len(f"-- row {number} ")))
        for name, text in zip(header, row, strict=True):
            lines = textwrap.wrap(text, value_width, break_long_words=True) or [""]
            out.append(f"{name.ljust(name_width)}  {lines[0]}".rstrip())
            out.extend(f"{'':{name_width}}  {more}" for more in lines[1:])
    return "\n".join(out) + "\n"


def _fit(natural: list[int], room: int) -> list[int]:
    """Column widths within ``room``: narrow columns keep their width, wide ones share the rest.

    >>> _fit([5, 40, 12, 60], 60)
    [5, 22, 12, 21]
    """
    widths = list(natural)
    if sum(widths) <= room:
        return widths
    wide = list(range(len(widths)))
    budget = room
    while wide:
        share = budget // len(wide)
        narrow = [i for i in wide if widths[i] <= share]
        if not narrow:
            break
        for i in narrow:
            budget -= widths[i]
            wide.remove(i)
    for rank, i in enumerate(wide):
        widths[i] = max(MIN_COLUMN, budget // len(wide) + (1 if rank < budget % len(wide) else 0))
    return widths
