"""The ``rdflib`` engine: rdflib's own SPARQL engine, a slow independent reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collabkg.namespaces import RDF_LANGSTRING, XSD, XSD_STRING
from collabkg.stores import QueryResult, Selector, Solutions, Store, StoreError, Term

if TYPE_CHECKING:
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores import RemoteOptions


def open_engine(selector: Selector, graph: KnowledgeGraph | None, remote: RemoteOptions | None) -> Store:
    """``rdflib``: a Dataset of the graph, queried by rdflib."""
    return RdflibStore.from_graph(graph)


class RdflibStore(Store):
    """rdflib's own SPARQL engine over a Dataset whose default graph is the union of all graphs.

    Much slower than Oxigraph; it is here as an independent reference, so
    that the contract tests can check one engine against another.
    """

    def __init__(self, dataset: object) -> None:
        self.dataset = dataset

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph | None = None) -> RdflibStore:
        """A dataset of the parts of ``graph`` (default: the bundled ontology and data)."""
        from collabkg.graph import KnowledgeGraph

        return cls((graph or KnowledgeGraph()).rdflib_dataset())

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
            return Solutions(variables, [tuple(None if t is None else from_rdflib(t) for t in row) for row in rows])
        return [(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in result]

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]


def from_rdflib(term: object) -> Term:
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
