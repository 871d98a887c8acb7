"""Query engines behind one small interface.

A :class:`Store` answers SPARQL and knows its size. Results come back in
engine-neutral types (:class:`Term`, :class:`Solutions`), so that callers
never depend on the engine. :func:`open_store` picks an engine from a selector
string:

- ``memory`` (the default): an embedded Oxigraph store in memory, holding the
  ontology and the data in their named graphs;
- ``oxigraph:DIR``: a persistent Oxigraph store on disk, made once by
  ``collabkg build --store oxigraph:DIR`` (:func:`create_oxigraph_store`);
- ``rdflib``: rdflib's own SPARQL engine, a slow reference (imported lazily);
- ``sparql:URL``: any SPARQL 1.1 query endpoint, through SPARQLWrapper
  (imported lazily): queries by POST, JSON results, a timeout, HTTP basic
  auth with the password read from an environment variable.

Every engine sees the union of all graphs as the default graph.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Literal as Kind
from typing import NamedTuple

import pyoxigraph as ox

from collabkg import CollabkgError, logs
from collabkg.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    RDF_LANGSTRING,
    XSD,
    XSD_STRING,
)
from collabkg.sources import PathLike, RdfFormat, SourceError, expand, iter_file_quads

log = logs.get(__name__)

SELECTORS = ("memory", "oxigraph:DIR", "rdflib", "sparql:URL")
DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a SPARQL endpoint."""
_SPARQL_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)

_INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


class StoreError(CollabkgError):
    """A store that cannot be opened, or a query it cannot run."""


class Term(NamedTuple):
    """An RDF term in a query result: an IRI, a blank node or a literal."""

    kind: Kind["iri", "bnode", "literal"]
    value: str
    datatype: str | None = None
    language: str | None = None

    def to_python(self) -> object:
        """The value as Python: int, Decimal, float or bool for those XSD types, else str."""
        if self.kind != "literal" or self.datatype is None:
            return self.value
        from decimal import Decimal, InvalidOperation

        try:
            if self.datatype in _INTEGER_TYPES:
                return int(self.value)
            if self.datatype == XSD + "decimal":
                return Decimal(self.value)
            if self.datatype in (XSD + "double", XSD + "float"):
                return float(self.value)
            if self.datatype == XSD + "boolean":
                return self.value in ("true", "1")
        except (ValueError, InvalidOperation):
            pass
        return self.value

    def n3(self) -> str:
        """The term in N-Triples syntax."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        return str(_to_oxigraph(self))

    def __str__(self) -> str:
        return self.value


def _from_oxigraph(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term("literal", term.value, RDF_LANGSTRING, term.language)
        return Term("literal", term.value, term.datatype.value)
    raise StoreError(f"unsupported RDF term in a query result: {term!r}")


def _to_oxigraph(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


class Solutions:
    """The answer to a SELECT query: variable names and rows of terms (None = unbound)."""

    __slots__ = ("rows", "variables")

    def __init__(self, variables: tuple[str, ...], rows: list[tuple[Term | None, ...]]) -> None:
        self.variables = variables
        self.rows = rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Solutions):
            return NotImplemented
        return (self.variables, self.rows) == (other.variables, other.rows)

    def __repr__(self) -> str:
        return f"Solutions(variables={self.variables!r}, rows={self.rows!r})"

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)


QueryResult = Solutions | bool | list[tuple[Term, Term, Term]]
"""SELECT gives :class:`Solutions`, ASK a bool, CONSTRUCT and DESCRIBE triples."""


class Store(ABC):
    """A SPARQL engine over collabkg's graphs."""

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of all graphs."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples (quads) in all graphs."""


class OxigraphStore(Store):
    """An embedded Oxigraph store, in memory.

    The ontology is in the named graph ``GRAPH_ONTOLOGY`` and the data in
    ``GRAPH_DATA``; queries see their union as the default graph.
    """

    def __init__(self, store: ox.Store | None = None) -> None:
        self.oxigraph = store if store is not None else ox.Store()

    @classmethod
    def from_sources(
        cls,
        data: Sequence[PathLike] | None = None,
        into: ox.Store | None = None,
        inferred: PathLike | None = None,
    ) -> OxigraphStore:
        """A store of the bundled ontology and of ``data`` (default: the bundled data).

        ``into`` is the pyoxigraph store to fill (a new one in memory by
        default); ``inferred``, a file of inferences (``collabkg reason``
        writes one), goes into the graph ``GRAPH_INFERRED``.
        """
        from collabkg import resources

        store = cls(into)
        store.load([resources.ontology_path()], GRAPH_ONTOLOGY)
        store.load(data if data else [resources.data_dir()], GRAPH_DATA)
        if inferred is not None:
            store.load([inferred], GRAPH_INFERRED)
        return store

    def load(self, paths: Sequence[PathLike], graph: str) -> None:
        """Parse the RDF files and folders ``paths`` into the named graph ``graph``.

        Each triple file is parsed by Oxigraph itself, in one transaction,
        which is several times faster than handing it quads from Python;
        files of quads go through :func:`~collabkg.sources.iter_file_quads`,
        which moves every quad into ``graph``. A file that does not parse is
        reported, with its line and column, as a SourceError.
        """
        target = ox.NamedNode(graph)
        for path in expand(paths):
            fmt = RdfFormat.from_path(path)
            if fmt is None or fmt.is_dataset:
                self.oxigraph.extend(iter_file_quads(path, graph))
                continue
            try:
                self.oxigraph.load(path=path, format=fmt.oxigraph, to_graph=target)
            except (SyntaxError, OSError, ValueError) as error:
                for _quad in iter_file_quads(path, graph):
                    pass  # parsed again only to say what is wrong, and where
                raise SourceError(path, " ".join(str(error).split())) from error
        log.debug("loaded %s into <%s>: %d quads in store", paths, graph, len(self.oxigraph))

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self.oxigraph.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise StoreError(_sparql_syntax_message(str(error.msg or error))) from error
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            # Results repeat terms (a case's label on every row of it): each
            # distinct term is converted once and its Term shared, which
            # halves the cost of large answers.
            terms: dict[object, Term] = {}

            def convert(term: object) -> Term | None:
                if term is None:
                    return None
                found = terms.get(term)
                if found is None:
                    found = terms[term] = _from_oxigraph(term)
                return found

            return Solutions(variables, [tuple(map(convert, solution)) for solution in result])
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return [
            (_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
            for t in result
        ]

    def count(self, graph: str | None = None) -> int:
        """The number of triples in the named graph ``graph``, or in all graphs."""
        if graph is None:
            return len(self)
        return sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def __len__(self) -> int:
        return len(self.oxigraph)


def _sparql_syntax_message(raw: str) -> str:
    located = _SPARQL_ERROR.match(raw)
    if located:
        line, column, message = located.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {message}"
    return f"SPARQL syntax error: {raw}"


def open_store(
    selector: str | None = None,
    sources: Sequence[PathLike] | None = None,
    *,
    user: str | None = None,
    password_env: str | None = None,
    timeout: float | None = None,
    default_graphs: Sequence[str] = (),
    inferred: PathLike | None = None,
) -> Store:
    """The store named by ``selector``, loaded with the ontology and ``sources``.

    ``None`` or ``"memory"``: an in-memory Oxigraph store; ``"rdflib"``:
    rdflib's engine. ``sources`` are RDF files or folders of data for these
    two; None means the bundled data; ``inferred`` is a file of inferences
    to add to them as the graph ``GRAPH_INFERRED``. ``"oxigraph:DIR"`` and
    ``"sparql:URL"`` hold their own data. ``user``, ``password_env`` (the
    name of the environment variable holding the password) and ``timeout``
    (seconds) are for ``sparql:URL``, and so are ``default_graphs``: the
    graphs the endpoint is to query as its default graph (the SPARQL
    protocol's ``default-graph-uri``), for stores whose default graph is
    not the union of their graphs.
    """
    name, _, argument = (selector or "memory").partition(":")
    if not (selector in (None, "memory", "rdflib") or (name in ("oxigraph", "sparql") and argument)):
        raise StoreError(f"unknown store {selector!r} (use one of: {', '.join(SELECTORS)})")
    if name != "sparql" and (default_graphs or user or password_env):
        given = "--default-graph" if default_graphs else "--user and --password-env"
        raise StoreError(f"{given} apply to a sparql:URL store only, not {selector or 'memory'}")
    if name == "memory":
        return OxigraphStore.from_sources(sources, inferred=inferred)
    if name == "rdflib":
        return RdflibStore.from_sources(sources, inferred=inferred)
    if sources or inferred is not None:
        given = "--data" if sources else "--inferred"
        raise StoreError(f"{given} applies to the memory and rdflib stores; {selector} holds its own data")
    if name == "oxigraph":
        return open_oxigraph_store(argument)
    return SparqlStore(
        argument,
        user=user,
        password=password_from_env(user, password_env),
        timeout=timeout or DEFAULT_TIMEOUT,
        default_graphs=default_graphs,
    )


# --------------------------------------------------------------------------
# oxigraph:DIR, a persistent Oxigraph store
# --------------------------------------------------------------------------


def create_oxigraph_store(directory: PathLike, sources: Sequence[PathLike] | None = None) -> int:
    """Make, or make again, the persistent store ``directory`` of the ontology and ``sources``.

    Whatever the folder held is replaced. Returns the number of quads.
    """
    import os

    path = os.fspath(directory)
    try:
        os.makedirs(path, exist_ok=True)
        target = ox.Store(path)
    except OSError as error:
        raise StoreError(f"{path}: cannot make an Oxigraph store there ({error})") from error
    target.clear()
    OxigraphStore.from_sources(sources, into=target)
    target.flush()
    target.optimize()
    log.info("made Oxigraph store %s: %d quads", path, len(target))
    return len(target)


def open_oxigraph_store(directory: PathLike) -> OxigraphStore:
    """The persistent store made by :func:`create_oxigraph_store`, opened read-only."""
    import os

    path = os.fspath(directory)
    if not os.path.isdir(path) or not os.listdir(path):
        raise StoreError(
            f"no Oxigraph store at {path}; make one with: collabkg build --store oxigraph:{path}"
        )
    try:
        return OxigraphStore(ox.Store.read_only(path))
    except OSError as error:
        raise StoreError(f"{path}: not an Oxigraph store, or in use ({error})") from error


# --------------------------------------------------------------------------
# rdflib, the reference engine
# --------------------------------------------------------------------------


class RdflibStore(Store):
    """rdflib's own SPARQL engine over a Dataset whose default graph is the union of all graphs.

    Much slower than Oxigraph; it is here as an independent reference, so
    that the contract tests can check one engine against another.
    """

    def __init__(self, dataset: object) -> None:
        self.dataset = dataset

    @classmethod
    def from_sources(
        cls,
        data: Sequence[PathLike] | None = None,
        inferred: PathLike | None = None,
    ) -> RdflibStore:
        """A dataset of the bundled ontology, ``data`` (default: the bundled data) and ``inferred``."""
        import rdflib

        from collabkg import resources
        from collabkg.sources import rdflib_graph

        dataset = rdflib.Dataset(default_union=True)
        rdflib_graph([resources.ontology_path()], graph=dataset.graph(rdflib.URIRef(GRAPH_ONTOLOGY)))
        rdflib_graph(data if data else [resources.data_dir()], graph=dataset.graph(rdflib.URIRef(GRAPH_DATA)))
        if inferred is not None:
            rdflib_graph([inferred], graph=dataset.graph(rdflib.URIRef(GRAPH_INFERRED)))
        return cls(dataset)

    def query(self, sparql: str) -> QueryResult:
        import warnings

        try:
            with warnings.catch_warnings():
                # rdflib's own SPARQL engine calls its deprecated Dataset.default_context.
                warnings.filterwarnings("ignore", "Dataset.default_context", DeprecationWarning)
                result = self.dataset.query(sparql)  # type: ignore[attr-defined]
                rows = list(result) if result.type == "SELECT" else None
        except Exception as error:  # noqa: BLE001 - pyparsing and evaluation errors alike
            raise StoreError(f"rdflib could not run the query: {error}") from error
        if result.type == "ASK":
            return bool(result.askAnswer)
        if rows is not None:
            variables = tuple(str(v) for v in result.vars)
            return Solutions(variables, [tuple(None if t is None else _from_rdflib(t) for t in row) for row in rows])
        return [(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o)) for s, p, o in result]

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]


def _from_rdflib(term: object) -> Term:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return Term("iri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        if term.language:
            return Term("literal", str(term), RDF_LANGSTRING, term.language)
        datatype = str(term.datatype) if term.datatype else XSD_STRING
        value = str(term)
        if datatype == XSD + "dateTime" and value.endswith("+00:00"):
            value = value[: -len("+00:00")] + "Z"  # rdflib rewrites Z; XSD's canonical form keeps it
        return Term("literal", value, datatype)
    raise StoreError(f"unsupported RDF term in a query result: {term!r}")


# --------------------------------------------------------------------------
# sparql:URL, any SPARQL 1.1 endpoint
# --------------------------------------------------------------------------


def password_from_env(user: str | None, password_env: str | None) -> str | None:
    """The password for ``user``, read from the environment variable ``password_env``.

    None when neither is given; both or neither must be. The password is
    never taken from the command line. Used by every verb that talks to a
    store over HTTP.
    """
    import os

    if user is None and password_env is None:
        return None
    if user is None or password_env is None:
        raise StoreError(
            "HTTP authentication needs both --user NAME and --password-env VAR "
            "(the environment variable that holds the password)"
        )
    password = os.environ.get(password_env)
    if password is None:
        raise StoreError(f"environment variable {password_env} is not set (it should hold the password for {user})")
    return password


def _public_url(url: str) -> str:
    """``url`` without any user:password@ part, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=host))


class SparqlStore(Store):
    """A remote SPARQL 1.1 query endpoint, through SPARQLWrapper.

    Queries go by POST (so that long queries fit) with the results asked
    for by content negotiation: SPARQL JSON for SELECT and ASK, Turtle for
    CONSTRUCT and DESCRIBE. The store is read-only: it has no update
    endpoint. The password is kept in memory only, never logged or shown.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        default_graphs: Sequence[str] = (),
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"sparql:{endpoint}: the endpoint must be an http:// or https:// URL")
        self.endpoint = endpoint
        self.user = user
        self._password = password
        self.timeout = timeout
        self.default_graphs = tuple(default_graphs)

    def __repr__(self) -> str:
        return f"SparqlStore({_public_url(self.endpoint)!r}, user={self.user!r})"

    def _request(self, sparql: str, form: str) -> object:
        from SPARQLWrapper import BASIC, JSON, POST, TURTLE, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
        wrapper.setTimeout(self.timeout)
        if self.user is not None:
            wrapper.setHTTPAuth(BASIC)
            wrapper.setCredentials(self.user, self._password)
        for graph in self.default_graphs:
            wrapper.addDefaultGraph(graph)
        wrapper.setQuery(sparql)
        # SPARQLWrapper guesses the form from the first keyword it finds, and
        # its guess reads words in comments ("description" holds "DESCRIBE",
        # "address" holds "ADD", which it then sends as an update): say it.
        wrapper.queryType = form
        return wrapper.query()

    def query(self, sparql: str) -> QueryResult:
        from collabkg.catalogue import query_form

        form = query_form(sparql) or "SELECT"
        construct = form in ("CONSTRUCT", "DESCRIBE")
        where = _public_url(self.endpoint)
        try:
            response = self._request(sparql, form)
            body = response.response.read()  # type: ignore[attr-defined]
        except Exception as error:  # noqa: BLE001 - see _endpoint_error
            raise _endpoint_error(where, error, self.timeout) from None
        if construct:
            try:
                return [
                    (_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                    for t in ox.parse(body, format=ox.RdfFormat.TURTLE)
                ]
            except SyntaxError as error:
                raise StoreError(f"SPARQL endpoint {where} did not answer with Turtle: {error}") from None
        return _from_sparql_json(body, where)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(result, Solutions)
        return int(result.rows[0][0].value)  # type: ignore[union-attr]


def _endpoint_error(where: str, error: Exception, timeout: float) -> StoreError:
    """A one-line message that names the endpoint and says what went wrong."""
    import socket
    import urllib.error

    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException, Unauthorized

    if isinstance(error, Unauthorized):
        return StoreError(
            f"SPARQL endpoint {where} refused the credentials (HTTP 401); check --user and --password-env"
        )
    if isinstance(error, SPARQLWrapperException):
        detail = " ".join(str(error).split())[:300]
        return StoreError(f"SPARQL endpoint {where} refused the query: {detail}")
    if isinstance(error, urllib.error.HTTPError):
        return StoreError(f"SPARQL endpoint {where} refused the query: HTTP {error.code} {error.reason}")
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return StoreError(f"SPARQL endpoint {where} did not answer within {timeout:g} s")
    return StoreError(f"SPARQL endpoint {where} is unreachable: {reason}")


def _from_sparql_json(body: bytes, where: str) -> QueryResult:
    """SELECT or ASK results in the W3C SPARQL 1.1 JSON format."""
    import json

    try:
        document = json.loads(body)
        if "boolean" in document:
            return bool(document["boolean"])
        variables = tuple(document["head"]["vars"])
        rows = [
            tuple(_from_json_term(binding[v]) if v in binding else None for v in variables)
            for binding in document["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise StoreError(f"SPARQL endpoint {where} did not answer with SPARQL JSON results ({error})") from None
    return Solutions(variables, rows)


def _from_json_term(term: dict[str, str]) -> Term:
    kind = term["type"]
    if kind == "uri":
        return Term("iri", term["value"])
    if kind == "bnode":
        return Term("bnode", term["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in term:
            return Term("literal", term["value"], RDF_LANGSTRING, term["xml:lang"])
        return Term("literal", term["value"], term.get("datatype", XSD_STRING))
    raise ValueError(f"unknown term type {kind!r}")
