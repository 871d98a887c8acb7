"""Run a canned query, a query file or SPARQL text, with typed parameters.

Parameters are bound as RDF terms in a ``VALUES`` block placed at the start
of the query's WHERE clause, never spliced into the text as strings: a value
either becomes one well-formed term (an escaped literal, a checked IRI, an
integer) or is refused with a :class:`~collabkg.catalogue.ParameterError`.
A VALUES block (rather than pyoxigraph's ``substitutions=``) works on every
engine and for variables that the query does not project.

The module is itself callable, so that ``collabkg.query(name, **params)``
is the Python API::

    >>> import collabkg
    >>> rows = collabkg.query("cases-by-dimension", pole="dim:horizontal")
    >>> sorted(row["caseLabel"] for row in rows)[0]
    'East Ayrshire Council, Vibrant Communities Programme'

Only pyoxigraph is imported on this path: no rdflib, pySHACL or owlready2,
and the data is not validated again.
"""

from __future__ import annotations

import os
import re
import sys
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from collabkg import PathLike, catalogue
from collabkg.catalogue import CannedQuery, ParameterError, QueryError
from collabkg.outcome import Exit, Outcome
from collabkg.results import ResultFormat
from collabkg.stores import QueryResult, Solutions, Store, open_store

if TYPE_CHECKING:
    from collabkg.stores import RemoteOptions


class SparqlSyntaxError(QueryError):
    """A query that does not parse; the message gives its line and column."""


def run(
    query: str | os.PathLike[str] | CannedQuery | None = None,
    params: Mapping[str, object] | None = None,
    *,
    sparql: str | None = None,
    store: Store | str | None = None,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
    remote: RemoteOptions | None = None,
) -> QueryResult:
    """Run a query and return its result.

    ``query`` is the name of a canned query (``"enablers-by-case"``), the
    path of a ``.rq`` file, or a loaded :class:`CannedQuery`; or give the
    text as ``sparql``. ``params`` maps parameter names (``case``) to values;
    a value for an IRI parameter may use the project's prefixes
    (``case:northumbria``). ``store`` is a :class:`Store` or a selector
    (``memory``, ``oxigraph:DIR``, ``rdflib``, ``sparql:URL``); ``data``
    replaces the bundled data for stores loaded from files, and
    ``inferred`` (a file written by ``collabkg reason``) adds the
    inferences to them; ``remote`` (credentials, timeout, default graphs)
    is for ``sparql:URL``.

    Raises :class:`QueryError` (unknown query, bad header, unknown, missing
    or ill-typed parameter, SPARQL syntax error) before touching the store.
    """
    return _run(query, params, sparql, store, data, inferred, remote)[0]


def _run(
    query: str | os.PathLike[str] | CannedQuery | None,
    params: Mapping[str, object] | None,
    sparql: str | None,
    store: Store | str | None,
    data: Sequence[PathLike] | None,
    inferred: PathLike | None,
    remote: RemoteOptions | None,
) -> tuple[QueryResult, list[str]]:
    """The steps of :func:`run` and :func:`answer`: the result, and the lines its reader should see.

    Those lines are a warning when the data given holds no report and no
    case study, then the store's notes.
    """
    text = bind(_resolve(query, sparql), params or {})
    if isinstance(store, Store):
        return store.query(text), store.notes()
    from collabkg.graph import KnowledgeGraph

    graph = KnowledgeGraph(data, inferred)
    engine = open_store(store, graph, remote)
    result = engine.query(text)
    return result, graph.no_report_warning("query", engine.query) + engine.notes()


def _resolve(query: str | os.PathLike[str] | CannedQuery | None, sparql: str | None) -> CannedQuery:
    from collabkg.namespaces import undeclared_prologue

    if (query is None) == (sparql is None):
        raise QueryError("give either a query name or file, or SPARQL text, not both")
    if sparql is not None:
        # the project's prefixes, where the text does not declare them itself
        prologue = undeclared_prologue(sparql)
        check_syntax(sparql, prologue=prologue)
        canned = catalogue.read_query("<--sparql>", text=sparql, require_summary=False)
        return canned._replace(text=prologue + canned.text)
    assert query is not None  # exactly one of the two is given
    if isinstance(query, CannedQuery):
        canned = query
    elif str(query).endswith(catalogue.QUERY_SUFFIX) or isinstance(query, os.PathLike):
        path = Path(query)
        if path.is_dir():
            raise QueryError(f"{path}: a folder, not a query file")
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"{path}: cannot read the query file ({error.strerror})") from None
        except UnicodeDecodeError as error:
            raise QueryError(f"{path}: not UTF-8 text (byte {error.start + 1}); save the query as UTF-8") from None
        prologue = undeclared_prologue(text)
        check_syntax(text, path, prologue=prologue)
        canned = catalogue.read_query(path, text=text, require_summary=False)
        return canned._replace(text=prologue + canned.text)
    else:
        canned = catalogue.find(str(query))
    check_syntax(canned.text, canned.path)
    return canned


# Patterns of the error path, compiled there only.
_TOKEN = r"[{}()\[\].,;]|[^\s{}()\[\].,;]+"
_PNAME_BEFORE = r"((?:[A-Za-z][\w.-]*)?):[^\s{}()<>,;]*\s*$"
_IRI_BEFORE = r"<[^<>\s]*>\s*$"


def check_syntax(text: str, path: Path | None = None, *, prologue: str = "") -> None:
    """SparqlSyntaxError, in one line with line, column and token, if ``prologue + text`` is not a query.

    ``prologue`` is what is put in front of the user's ``text`` (the
    prefixes it does not declare); lines and columns refer to ``text``.
    pyoxigraph decides, once per text in a process; where it can only say
    that the query ended too soon (it points past the last character),
    rdflib's parser, imported on this error path only, is asked where the
    faulty clause starts.
    """
    full = prologue + text
    message = _syntax_error(full)
    if message is None:
        return
    where = f"{path}: " if path is not None else ""
    if not message.startswith("error at "):
        raise SparqlSyntaxError(f"{where}SPARQL syntax error: {' '.join(message.split())}")
    position, _, detail = message[len("error at ") :].partition(": ")
    line, column = (int(n) for n in position.split(":"))
    if (line, column) >= _end(full):
        line, column = _rdflib_position(full) or (line, column)
    line = max(1, line - prologue.count("\n"))
    lines = text.splitlines()
    source = lines[line - 1] if line <= len(lines) else ""
    if "Prefix not found" in detail:
        pname = re.search(_PNAME_BEFORE, source[: column - 1])
        if pname is not None:
            name = pname.group(1)
            raise SparqlSyntaxError(
                f"{where}SPARQL syntax error at line {line}, column {pname.start() + 1}: "
                f"undeclared prefix '{name}:' (declare it: PREFIX {name}: <IRI>)"
            )
    if "IRI parsing failed" in detail:
        iri = re.search(_IRI_BEFORE, source[: column - 1])
        if iri is not None:
            raise SparqlSyntaxError(
                f"{where}SPARQL syntax error at line {line}, column {iri.start() + 1}: "
                f"invalid IRI {iri.group(0)!r} (an IRI is absolute, such as <https://example.org/x>, "
                "or prefixed, such as ckg:CaseStudy)"
            )
    tokens = re.compile(_TOKEN)
    start = min(column - 1, len(source))
    while 0 < start < len(source) and tokens.fullmatch(source[start - 1 : start + 1]):
        start -= 1  # pointed into a word: the token is the whole word
    token = tokens.search(source, start)
    if token is None:  # the rest of the line is blank: the token is on a later line
        for number in range(line + 1, len(lines) + 1):
            token = tokens.search(lines[number - 1])
            if token is not None:
                line = number
                break
    if token is None:
        raise SparqlSyntaxError(f"{where}SPARQL syntax error at line {line}, column {column}: the query ends too soon")
    column = token.start() + 1
    near = lines[line - 1][token.start() :].strip()[:40]
    raise SparqlSyntaxError(
        f"{where}SPARQL syntax error at line {line}, column {column} (near {near!r}): "
        f"unexpected {token.group(0)[:40]!r}"
    )


@catalogue.cached
def _syntax_error(text: str) -> str | None:
    """pyoxigraph's complaint about the query ``text``, or None if it parses."""
    import pyoxigraph as ox

    try:
        ox.Store().query(text)
    except SyntaxError as error:
        return str(error.msg or error)
    except Exception:  # noqa: BLE001 - it parsed; evaluating it on an empty store may fail
        return None
    return None


def _end(text: str) -> tuple[int, int]:
    """The line and column just after the last character that is not white space."""
    lines = text.rstrip().splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


def _rdflib_position(text: str) -> tuple[int, int] | None:
    try:
        from pyparsing import ParseException
        from rdflib.plugins.sparql.parser import parseQuery
    except ImportError:  # pragma: no cover - rdflib is a dependency
        return None
    try:
        parseQuery(text)
    except ParseException as error:
        return error.lineno, error.col
    except Exception:  # noqa: BLE001 - any other complaint has no position
        return None
    return None


def bind(canned: CannedQuery, params: Mapping[str, object]) -> str:
    """The query text with a VALUES block for each given or default parameter.

    >>> q = catalogue.read_query("q.rq", text="SELECT ?x WHERE { ?x ?p ?_case_iri }", require_summary=False)
    >>> bind(q, {"case": "case:northumbria"})
    'SELECT ?x WHERE { VALUES ?_case_iri { <https://w3id.org/collabkg/id/case/northumbria> } ?x ?p ?_case_iri }'
    """
    known = ", ".join(p.describe() for p in canned.parameters) or "none"
    unknown = sorted(set(params) - set(canned.parameter_names))
    if unknown:
        raise ParameterError(
            f"query {canned.name!r} has no parameter {', '.join(map(repr, unknown))}; its parameters: {known}"
        )
    values = []
    for parameter in canned.parameters:
        value = params.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise ParameterError(
                    f"query {canned.name!r} needs parameter {parameter.name!r} "
                    f"(--param {parameter.name}=VALUE); its parameters: {known}"
                )
            continue
        term = parameter.type.to_sparql(parameter.name, value)
        values.append(f"VALUES ?{parameter.variable} {{ {term} }} ")
    if not values:
        return canned.text
    brace = catalogue.where_brace(canned.text)
    if brace is None:
        raise QueryError(f"query {canned.name!r} has parameters but no WHERE clause to bind them in")
    return canned.text[: brace + 1] + " " + "".join(values) + canned.text[brace + 1 :].lstrip(" ")


class Answer(Outcome):
    """``collabkg query``: a query's result, rendered in one of :class:`~collabkg.results.ResultFormat`.

    An ASK answered false exits 1, as ``test`` does.
    """

    FORMATS = tuple(ResultFormat.names())

    def __init__(self, result: QueryResult, *, full: bool = False, notes: Sequence[str] = ()) -> None:
        self.result = result
        self.full = full
        self.notes = tuple(notes)

    def messages(self) -> list[str]:
        return list(self.notes)

    @property
    def exit_code(self) -> Exit:
        return Exit.FAILED if self.result is False else Exit.OK

    def render(self, fmt: str | None = None) -> str:
        from collabkg.results import render

        return render(self.result, ResultFormat.from_name(self._format(fmt)), full=self.full)


def answer(
    query: str | os.PathLike[str] | None = None,
    params: Mapping[str, object] | None = None,
    *,
    sparql: str | None = None,
    store: Store | str | None = None,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
    remote: RemoteOptions | None = None,
    limit: int | None = None,
    full: bool = False,
) -> Answer:
    """:func:`run` as the verb ``collabkg query``: the result, its first ``limit`` rows, to render.

    What the store noted about the answer (say, which graph of a remote
    store it queried, or that none holds the knowledge graph) comes with it,
    after a warning if the data given holds no report and no case study.

    >>> print(answer("participants-by-case").render("csv").splitlines()[-1])
    ,TOTAL,37,stated,
    >>> asked = answer(sparql="ASK { ?case a <https://w3id.org/collabkg/ontology#Nothing> }")
    >>> asked.render(), asked.exit_code
    ('false\\n', <Exit.FAILED: 1>)
    """
    result, notes = _run(query, params, sparql, store, data, inferred, remote)
    if limit is not None and isinstance(result, Solutions):
        result = Solutions(result.variables, result.rows[:limit])
    return Answer(result, full=full, notes=notes)


class QueryList(Outcome):
    """``collabkg queries``: the catalogue, as text for the terminal or a Markdown table."""

    FORMATS = ("text", "md")

    def __init__(self, queries: Sequence[CannedQuery]) -> None:
        self.queries = tuple(queries)

    def render(self, fmt: str | None = None) -> str:
        lines = []
        if self._format(fmt) == "md":
            lines.append("| query | answers | parameters |\n|---|---|---|")
            for q in self.queries:
                params = ", ".join(f"`{p.describe()}`" for p in q.parameters) or "none"
                lines.append(f"| `{q.name}` | {q.summary} | {params} |")
        else:
            for q in self.queries:
                lines.append(q.name)
                lines.append(f"    {q.summary}")
                if q.parameters:
                    lines.append(f"    parameters: {', '.join(p.describe() for p in q.parameters)}")
        return "".join(line + "\n" for line in lines)


def queries() -> QueryList:
    """The canned queries, by name."""
    return QueryList(list(catalogue.catalogue().values()))


def rows(name: str | os.PathLike[str], /, **params: object) -> list[dict[str, object]]:
    """The rows of a SELECT query as dicts of Python values (None where unbound).

    IRIs come back as strings, numbers as int or Decimal, other literals as
    strings. Runs on the default store (the bundled graph, in memory).
    """
    result = run(name, params)
    if not isinstance(result, Solutions):
        raise QueryError(f"query {str(name)!r} is not a SELECT query; use collabkg.query.run()")
    return [{var: None if term is None else term.to_python() for var, term in row.items()} for row in result]


class _CallableModule(types.ModuleType):
    """Makes ``collabkg.query(name, **params)`` call :func:`rows`.

    Importing the submodule ``collabkg.query`` binds the name ``query`` in the
    package to this module, so the module itself is the API function.
    """

    def __call__(self, name: str | os.PathLike[str], /, **params: object) -> list[dict[str, object]]:
        return rows(name, **params)


sys.modules[__name__].__class__ = _CallableModule
