"""The knowledge graph: which files make each of its parts, decided once, parsed once.

The graph has three parts, each a named graph (:data:`~collabkg.namespaces.GRAPH_ORDER`):
the ontology (always the bundled one), the data (the files and folders given
with ``--data``, else the bundled report) and the inferences (the file
``collabkg reason`` wrote, when asked for). A :class:`KnowledgeGraph` makes
that decision in one place and hands each verb what it needs:

- :meth:`KnowledgeGraph.quads`: the pyoxigraph quads of some parts, each
  part parsed once per graph object and kept;
- :meth:`KnowledgeGraph.oxigraph`: an Oxigraph store of some parts, parsed
  by Oxigraph itself (the fast path of every query);
- :meth:`KnowledgeGraph.rdflib`: an rdflib graph of some parts, for pySHACL
  and owlready2, built from the same quads.

>>> kg = KnowledgeGraph()
>>> kg.data_given, [p.name for p in kg.files(GRAPH_ONTOLOGY)]
(False, ['collabkg.ttl'])
>>> len(kg.oxigraph()) == len(kg.quads(GRAPH_ONTOLOGY, GRAPH_DATA))
True
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from collabkg import CollabkgError, PathLike, bundle, logs
from collabkg.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_ORDER
from collabkg.readers import SourceError, expand, gc_paused, iter_file_quads, iter_quads, rdflib_graph

if TYPE_CHECKING:
    import rdflib
    from rdflib import Dataset  # in the class, the name rdflib is the method KnowledgeGraph.rdflib

log = logs.get(__name__)

DEFAULT_INFERRED = Path("dist") / "inferred.ttl"
"""Where ``collabkg reason`` writes the inferred graph, and where ``--inferred`` looks."""

DEFAULT_GRAPHS: tuple[str, ...] = (GRAPH_ONTOLOGY, GRAPH_DATA)
"""The built graph: what verbs read unless told otherwise."""


class GraphChoice(enum.Enum):
    """Which parts of the graph a verb works on (``--graph``)."""

    ONTOLOGY = "ontology"
    DATA = "data"
    INFERRED = "inferred"
    ALL = "all"

    @property
    def graphs(self) -> tuple[str, ...]:
        """The named-graph IRIs this choice stands for, in output order."""
        if self is GraphChoice.ALL:
            return GRAPH_ORDER
        return ({"ontology": GRAPH_ONTOLOGY, "data": GRAPH_DATA, "inferred": GRAPH_INFERRED}[self.value],)

    @classmethod
    def names(cls) -> list[str]:
        return [choice.value for choice in cls]


def graphs_for(choice: GraphChoice | str | None) -> tuple[str, ...]:
    """The graph IRIs of a ``--graph`` choice; None is the built graph (ontology and data).

    >>> [iri.rsplit("/", 1)[1] for iri in graphs_for("all")]
    ['ontology', 'data', 'inferred']
    """
    if choice is None:
        return DEFAULT_GRAPHS
    return GraphChoice(choice).graphs


def inferred_file(path: PathLike | None = None, *, must_exist: bool = True) -> Path:
    """The file holding the inferred graph: ``path``, or :data:`DEFAULT_INFERRED`.

    With ``must_exist`` (the default) a missing file is a
    :class:`~collabkg.readers.SourceError` that says to run ``collabkg reason``.
    """
    found = Path(path) if path is not None else DEFAULT_INFERRED
    if must_exist and not found.is_file():
        raise SourceError(found, "no inferred graph here; run 'collabkg reason' first (it writes one)")
    return found


class KnowledgeGraph:
    """The ontology, the data (``data``, else the bundled report) and, if given, the inferences.

    ``data`` is a sequence of RDF files and folders; empty or None means the
    bundled data. ``inferred`` is a file of inferences (see
    :func:`inferred_file`); None leaves the inferred part out.
    """

    def __init__(self, data: Sequence[PathLike] | None = None, inferred: PathLike | None = None) -> None:
        self.data_given = bool(data)
        self.data: list[PathLike] = list(data) if data else []
        self.inferred: Path | None = Path(inferred) if inferred is not None else None
        self._quads: dict[str, list[ox.Quad]] = {}

    def __repr__(self) -> str:
        return f"KnowledgeGraph(data={self.data!r}, inferred={self.inferred!r})"

    @property
    def graphs(self) -> tuple[str, ...]:
        """The parts this graph has: ontology and data, and the inferences if given."""
        return GRAPH_ORDER if self.inferred is not None else DEFAULT_GRAPHS

    def sources(self, graph: str) -> list[PathLike]:
        """The files and folders that make the part ``graph``, as given."""
        if graph == GRAPH_ONTOLOGY:
            return [bundle.ontology_path()]
        if graph == GRAPH_DATA:
            return list(self.data) if self.data_given else [bundle.data_dir()]
        if graph == GRAPH_INFERRED:
            return [inferred_file(self.inferred)]
        raise CollabkgError(f"unknown graph <{graph}>; the graph's parts are {', '.join(GRAPH_ORDER)}")

    def files(self, graph: str) -> list[Path]:
        """The RDF files of the part ``graph``: folders searched (see :func:`~collabkg.readers.expand`)."""
        return expand(self.sources(graph))

    def quads(self, *graphs: str) -> list[ox.Quad]:
        """The quads of the parts ``graphs`` (default: the ontology and the data), in their named graphs.

        Each part is parsed once, on first use, and kept.
        """
        found: list[ox.Quad] = []
        for graph in graphs or DEFAULT_GRAPHS:
            cached = self._quads.get(graph)
            if cached is None:
                paths = self.sources(graph)
                with gc_paused():
                    cached = self._quads[graph] = list(iter_quads(paths, graph))
                log.debug("parsed <%s>: %d quads", graph, len(cached))
            found.extend(cached)
        return found

    def oxigraph(self, *graphs: str, into: ox.Store | None = None) -> ox.Store:
        """An Oxigraph store of the parts ``graphs`` (default: all this graph has), each in its named graph.

        ``into`` is the store to fill (default: a new one in memory). Files
        of triples are parsed by Oxigraph itself, in one transaction each,
        several times faster than handing it quads from Python; parts
        already parsed here, and files of quads, go in as quads.
        """
        store = into if into is not None else ox.Store()
        for graph in graphs or self.graphs:
            if graph in self._quads:
                store.extend(self._quads[graph])
                continue
            for path in self.files(graph):
                _load_file(store, path, graph)
        log.debug("Oxigraph store of %s: %d quads", graphs or self.graphs, len(store))
        return store

    def rdflib(self, *graphs: str, into: rdflib.Graph | None = None) -> rdflib.Graph:
        """An rdflib graph of the parts ``graphs`` (default: the ontology and the data), merged.

        ``into`` is the graph to add to (a graph of an rdflib Dataset, say).
        """
        return rdflib_graph(quads=self.quads(*graphs), graph=into)

    def rdflib_dataset(self) -> Dataset:
        """An rdflib Dataset of every part this graph has, each in its named graph, the default graph their union."""
        import rdflib

        dataset = rdflib.Dataset(default_union=True)
        for graph in self.graphs:
            self.rdflib(graph, into=dataset.graph(rdflib.URIRef(graph)))
        return dataset


def _load_file(store: ox.Store, path: Path, graph: str) -> None:
    """Parse one RDF file into the named graph ``graph`` of ``store``; a SourceError if it does not parse."""
    from collabkg.formats import RdfFormat

    fmt = RdfFormat.from_path(path)
    if fmt is None or fmt.is_dataset:
        store.extend(iter_file_quads(path, graph))
        return
    try:
        store.load(path=path, format=fmt.oxigraph, to_graph=ox.NamedNode(graph))
    except (SyntaxError, OSError, ValueError) as error:
        for _quad in iter_file_quads(path, graph):
            pass  # parsed again only to say what is wrong, and where
        raise SourceError(path, " ".join(str(error).split())) from error


__all__ = [
    "DEFAULT_GRAPHS",
    "DEFAULT_INFERRED",
    "GraphChoice",
    "KnowledgeGraph",
    "graphs_for",
    "inferred_file",
]
