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

import contextlib
import enum
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from collabkg import CollabkgError, PathLike, bundle, logs, progress
from collabkg.namespaces import (
    CKG,
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_ORDER,
    RDF_TYPE,
    RDFS_SUBCLASSOF,
)
from collabkg.readers import (
    SourceError,
    check_xml_entities,
    expand,
    gc_paused,
    iter_file_quads,
    rdflib_graph,
)

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
    bundled data. ``added`` (``--add``) are files and folders added to that
    data, whichever it is: evidence imported with ``collabkg import`` or
    written by hand, next to the report. ``inferred`` is a file of
    inferences (see :func:`inferred_file`); None leaves the inferred part out.
    """

    def __init__(
        self,
        data: Sequence[PathLike] | None = None,
        inferred: PathLike | None = None,
        added: Sequence[PathLike] | None = None,
    ) -> None:
        self.data_given = bool(data)
        self.data: list[PathLike] = list(data) if data else []
        self.added: list[PathLike] = list(added) if added else []
        self.inferred: Path | None = Path(inferred) if inferred is not None else None
        self._quads: dict[str, list[ox.Quad]] = {}

    def __repr__(self) -> str:
        return f"KnowledgeGraph(data={self.data!r}, inferred={self.inferred!r}, added={self.added!r})"

    @property
    def graphs(self) -> tuple[str, ...]:
        """The parts this graph has: ontology and data, and the inferences if given."""
        return GRAPH_ORDER if self.inferred is not None else DEFAULT_GRAPHS

    def sources(self, graph: str) -> list[PathLike]:
        """The files and folders that make the part ``graph``, as given."""
        if graph == GRAPH_ONTOLOGY:
            return [bundle.ontology_path()]
        if graph == GRAPH_DATA:
            return (list(self.data) if self.data_given else [bundle.data_dir()]) + self.added
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
                files = expand(self.sources(graph))
                with _parsing(files) as bar, gc_paused():
                    cached = []
                    for path in files:
                        cached.extend(iter_file_quads(path, graph, bar.update))
                    self._quads[graph] = cached
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
            files = self.files(graph)
            with _parsing(files) as bar:
                for path in files:
                    _load_file(store, path, graph)
                    bar.update(_size([path]))
        log.debug("Oxigraph store of %s: %d quads", graphs or self.graphs, len(store))
        return store

    def rdflib(self, *graphs: str, into: rdflib.Graph | None = None) -> rdflib.Graph:
        """An rdflib graph of the parts ``graphs`` (default: the ontology and the data), merged.

        ``into`` is the graph to add to (a graph of an rdflib Dataset, say).
        """
        return rdflib_graph(quads=self.quads(*graphs), graph=into)

    def use_inferred(self, quads: Sequence[ox.Quad]) -> None:
        """Take ``quads`` as the inferred part (computed, not read from a file), in its named graph."""
        target = ox.NamedNode(GRAPH_INFERRED)
        self._quads[GRAPH_INFERRED] = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        if self.inferred is None:
            self.inferred = DEFAULT_INFERRED

    def holds_no_report(self, ask: Callable[[str], object] | None = None) -> bool:
        """Whether the data was given (``--data``) and holds neither a report nor a case study.

        Such data validates, counts and builds without a complaint, which is
        how a wrong path goes unnoticed; the verbs say so (:meth:`no_report_warning`).
        Subclasses of ``ckg:Report`` and ``ckg:CaseStudy`` count. ``ask``, the
        query method of a store of this graph, answers where given (the ASK
        query :data:`DESCRIBES_REPORT`), so that a verb that reads the data into
        a store does not parse it again.
        """
        if not self.data_given:
            return False
        if ask is not None:
            return ask(DESCRIBES_REPORT) is False
        return not describes_report(self.quads(GRAPH_DATA), self.quads(GRAPH_ONTOLOGY))

    def no_report_warning(self, verb: str, ask: Callable[[str], object] | None = None) -> list[str]:
        """The warning line of :meth:`holds_no_report` (answered by ``ask`` if given), for ``collabkg VERB``, or none."""
        if not self.holds_no_report(ask):
            return []
        return [no_report_warning(verb, self.data)]

    def rdflib_dataset(self) -> Dataset:
        """An rdflib Dataset of every part this graph has, each in its named graph, the default graph their union."""
        import rdflib

        dataset = rdflib.Dataset(default_union=True)
        for graph in self.graphs:
            self.rdflib(graph, into=dataset.graph(rdflib.URIRef(graph)))
        return dataset


def with_added(data: Sequence[PathLike] | None, added: Sequence[PathLike] | None) -> list[PathLike] | None:
    """The data files of ``--data`` and ``--add`` as one ``--data`` list: what every verb takes.

    ``added`` goes after ``data``, else after the bundled data; with nothing
    added, ``data`` is returned as it was (None for the bundled data).

    >>> with_added(["a.ttl"], ["b.ttl"])
    ['a.ttl', 'b.ttl']
    >>> with_added(None, None) is None
    True
    """
    if not added:
        return list(data) if data else None
    return [*(data or [bundle.data_dir()]), *added]


def _parsing(files: Sequence[Path]) -> contextlib.AbstractContextManager[Any]:
    """The "parsing" stage of ``files`` (:func:`collabkg.progress.stage`), sized by their bytes."""
    return progress.stage("parsing", total=_size(files))


def _size(files: Sequence[Path]) -> int:
    """The bytes of ``files``, for a bar of their parsing."""
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


REPORT_CLASSES = (CKG + "Report", CKG + "CaseStudy")
"""What data about the report holds: a report, or a case study."""

DESCRIBES_REPORT = (
    f"ASK {{ VALUES ?class {{ {' '.join(f'<{iri}>' for iri in REPORT_CLASSES)} }} "
    f"GRAPH <{GRAPH_DATA}> {{ ?thing a ?type }} ?type <{RDFS_SUBCLASSOF}>* ?class }}"
)
""":func:`describes_report` as a SPARQL query, for a store of the graph (its default graph the union of the parts)."""


def describes_report(data: Sequence[ox.Quad], ontology: Sequence[ox.Quad] = ()) -> bool:
    """Whether ``data`` has an instance of ``ckg:Report`` or ``ckg:CaseStudy`` (or of a subclass)."""
    subclass, rdf_type = ox.NamedNode(RDFS_SUBCLASSOF), ox.NamedNode(RDF_TYPE)
    children: dict[str, set[str]] = {}
    for quad in (*ontology, *data):
        if quad.predicate == subclass and isinstance(quad.object, ox.NamedNode):
            children.setdefault(quad.object.value, set()).add(str(quad.subject))
    classes: set[str] = set()
    stack = [f"<{iri}>" for iri in REPORT_CLASSES]
    while stack:
        found = stack.pop()
        if found not in classes:
            classes.add(found)
            stack.extend(children.get(found[1:-1], ()))
    return any(quad.predicate == rdf_type and str(quad.object) in classes for quad in data)


def no_report_warning(verb: str, sources: Sequence[PathLike]) -> str:
    """The warning that the data given holds no report and no case study."""
    shown = ", ".join(str(path) for path in sources) or "the data"
    return (
        f"collabkg: {verb}: warning: the data ({shown}) holds no report and no case study "
        "(no ckg:Report, no ckg:CaseStudy); is the path right?"
    )


def _load_file(store: ox.Store, path: Path, graph: str) -> None:
    """Parse one RDF file into the named graph ``graph`` of ``store``; a SourceError if it does not parse."""
    from collabkg.formats import RdfFormat

    fmt = RdfFormat.from_path(path)
    if fmt is None or fmt.is_dataset:
        store.extend(iter_file_quads(path, graph))
        return
    if fmt is RdfFormat.RDF_XML:
        check_xml_entities(path)
    try:
        store.load(path=path, format=fmt.oxigraph, to_graph=ox.NamedNode(graph))
    except (SyntaxError, OSError, ValueError, MemoryError) as error:
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
    "with_added",
]
