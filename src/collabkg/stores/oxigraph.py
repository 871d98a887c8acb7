"""The embedded Oxigraph engines: ``memory`` and ``oxigraph:DIR``.

``memory`` holds the graph's parts in their named graphs in memory, parsed
by Oxigraph itself; ``oxigraph:DIR`` is a persistent store on disk, made
once by ``collabkg build --store oxigraph:DIR`` and opened read-only.
Queries see the union of the graphs as the default graph.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from collabkg import PathLike, logs
from collabkg.stores import QueryResult, Selector, Solutions, Store, StoreError, Term, from_oxigraph

if TYPE_CHECKING:
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores import RemoteOptions

log = logs.get(__name__)

_SPARQL_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def open_engine(selector: Selector, graph: KnowledgeGraph | None, remote: RemoteOptions | None) -> Store:
    """``memory``: the graph in memory; ``oxigraph:DIR``: the persistent store in DIR."""
    if selector.scheme == "oxigraph":
        return open_oxigraph_store(selector.argument)
    return OxigraphStore.from_graph(graph)


class OxigraphStore(Store):
    """An embedded Oxigraph store, in memory.

    The ontology is in the named graph ``GRAPH_ONTOLOGY`` and the data in
    ``GRAPH_DATA``; queries see their union as the default graph.
    """

    def __init__(self, store: ox.Store | None = None) -> None:
        self.oxigraph = store if store is not None else ox.Store()

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph | None = None, into: ox.Store | None = None) -> OxigraphStore:
        """A store of the parts of ``graph`` (default: the bundled ontology and data).

        ``into`` is the pyoxigraph store to fill (a new one in memory by default).
        """
        from collabkg.graph import KnowledgeGraph

        return cls((graph or KnowledgeGraph()).oxigraph(into=into))

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
                    found = terms[term] = from_oxigraph(term)
                return found

            return Solutions(variables, [tuple(map(convert, solution)) for solution in result])
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return [
            (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
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



def create_oxigraph_store(directory: PathLike, graph: KnowledgeGraph | None = None) -> int:
    """Make, or make again, the persistent store ``directory`` of the parts of ``graph`` (default: the bundled graph).

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
    OxigraphStore.from_graph(graph, into=target)
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
