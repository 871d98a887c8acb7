"""The ``sparql:URL`` engine: any SPARQL 1.1 query endpoint, read-only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from collabkg.namespaces import (
    GRAPH_LOAD_TARGET,
    GRAPH_ONTOLOGY,
    GRAPH_ORDER,
    ONTOLOGY_IRI,
    OWL,
    RDF_LANGSTRING,
    RDF_TYPE,
    XSD_STRING,
)
from collabkg.stores import QueryResult, Selector, Solutions, Store, StoreError, Term, from_oxigraph
from collabkg.stores.remote import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    JSON_RESULTS,
    Client,
    RemoteError,
    RemoteOptions,
    RemoteTimeout,
    public_url,
    split_credentials,
)

if TYPE_CHECKING:
    from collabkg.graph import KnowledgeGraph


def open_engine(selector: Selector, graph: KnowledgeGraph | None, remote: RemoteOptions | None) -> Store:
    """``sparql:URL``: the endpoint at URL, with the remote options (credentials, timeout, retries, default graphs)."""
    options = remote or RemoteOptions()
    return SparqlStore(
        selector.argument,
        user=options.user,
        password=options.password(),
        timeout=options.timeout or DEFAULT_TIMEOUT,
        retries=options.retries,
        default_graphs=options.default_graphs,
    )


class SparqlStore(Store):
    """A remote SPARQL 1.1 query endpoint, over the one HTTP layer :mod:`collabkg.stores.remote`.

    Queries go by POST, form-encoded (so that long queries fit, and every
    SPARQL 1.1 server takes them), with the results asked for by content
    negotiation: SPARQL JSON for SELECT and ASK, Turtle for CONSTRUCT and
    DESCRIBE. ``default_graphs`` go as ``default-graph-uri`` parameters.
    Connection errors and 5xx answers are retried (a query changes
    nothing). The store is read-only: it has no update endpoint. The
    password is kept by the client's authentication only, never logged or
    shown; credentials written in the URL are used, and left out of every
    message.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        default_graphs: Sequence[str] = (),
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"sparql:{public_url(endpoint)}: the endpoint must be an http:// or https:// URL")
        self.endpoint, in_url = split_credentials(endpoint)
        if user is None and in_url is not None:
            user, password = in_url
        self.user = user
        self.timeout = timeout
        self.default_graphs = tuple(default_graphs)
        self._dataset: tuple[str, ...] | None = self.default_graphs or None
        """The graphs queries see as their default graph: given, or found by :meth:`dataset`."""
        self._notes: list[str] = []
        self._client = Client(user, password, timeout=timeout, retries=retries)

    def __repr__(self) -> str:
        return f"SparqlStore({self.endpoint!r}, user={self.user!r})"

    def notes(self) -> list[str]:
        return list(self._notes)

    def dataset(self) -> tuple[str, ...]:
        """The graphs each query is to see as its default graph; empty: the store's own default graph.

        Given ``default_graphs`` are used as they are. Otherwise the store is
        asked, once, whether its default graph holds the knowledge graph (the
        ontology's header, which every load carries). A store whose default
        graph is the union of its graphs (Virtuoso, GraphDB, Oxigraph started
        with ``--union-default-graph``) does, and is queried as it is. On
        another, the graphs that hold it are named as the dataset: the graph
        ``collabkg load`` writes by default, or the parts ``collabkg serve``
        and an N-Quads export keep apart, or the one graph that holds the
        ontology. Where none does, or several could, the answer comes with a
        note that says what to add.
        """
        if self._dataset is None:
            self._dataset = self._find_dataset()
        return self._dataset

    def _find_dataset(self) -> tuple[str, ...]:
        if self._ask(f"ASK {{ {_HEADER} }}"):
            return ()
        known = " ".join(f"<{iri}>" for iri in (GRAPH_LOAD_TARGET, *GRAPH_ORDER))
        found = self._graphs(f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {known} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        if GRAPH_LOAD_TARGET in found:
            return (GRAPH_LOAD_TARGET,)
        if GRAPH_ONTOLOGY in found:
            return tuple(iri for iri in GRAPH_ORDER if iri in found)
        holding = self._graphs(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {_HEADER} }} }}")
        if len(holding) == 1:
            return (holding[0],)
        if holding:
            self._notes.append(
                f"collabkg: note: several graphs of {self.endpoint} hold the knowledge graph "
                f"({', '.join(f'<{g}>' for g in sorted(holding))}); the answer is from the store's default "
                "graph: name the graphs to query with --default-graph IRI"
            )
        else:
            self._notes.append(
                f"collabkg: note: no graph of {self.endpoint} holds the knowledge graph (its ontology "
                f"<{ONTOLOGY_IRI}>); load it with 'collabkg load --endpoint URL', or name the graphs to "
                "query with --default-graph IRI"
            )
        return ()

    def _ask(self, sparql: str) -> bool:
        return self._send(sparql, ()) is True

    def _graphs(self, sparql: str) -> list[str]:
        result = self._send(sparql, ())
        assert isinstance(result, Solutions)
        return [row[0].value for row in result.rows if row[0] is not None]

    def query(self, sparql: str) -> QueryResult:
        return self._send(sparql, self.dataset())

    def _send(self, sparql: str, default_graphs: tuple[str, ...]) -> QueryResult:
        from collabkg.catalogue import query_form

        form = query_form(sparql) or "SELECT"
        construct = form in ("CONSTRUCT", "DESCRIBE")
        where = self.endpoint
        try:
            body = self._client.query(
                self.endpoint,
                sparql,
                accept="text/turtle" if construct else JSON_RESULTS,
                default_graphs=default_graphs,
                option="--store",
            )
        except RemoteError as error:
            raise _endpoint_error(where, error, self.timeout) from None
        if construct:
            try:
                return [
                    (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                    for t in ox.parse(body, format=ox.RdfFormat.TURTLE)
                ]
            except SyntaxError as error:
                raise StoreError(f"SPARQL endpoint {where} did not answer with Turtle: {error}") from None
        return _from_sparql_json(body, where)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(result, Solutions)
        count = result.rows[0][0]
        assert count is not None
        return int(count.value)


_HEADER = f"<{ONTOLOGY_IRI}> <{RDF_TYPE}> <{OWL}Ontology>"
"""The ontology's header: the triple every graph that holds collabkg's knowledge graph has."""


def _endpoint_error(where: str, error: RemoteError, timeout: float) -> StoreError:
    """The remote layer's error as a one-line message that names the endpoint and says what went wrong."""
    if isinstance(error, RemoteTimeout):
        return StoreError(f"SPARQL endpoint {where} did not answer within {timeout:g} s")
    if error.status == 401:
        return StoreError(
            f"SPARQL endpoint {where} refused the credentials (HTTP 401); check --user and --password-env"
        )
    if error.status is not None:
        return StoreError(f"SPARQL endpoint {where} refused the query: {error.problem}")
    return StoreError(f"SPARQL endpoint {where} is unreachable: {error.problem}")


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
