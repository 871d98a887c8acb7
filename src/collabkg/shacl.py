"""SHACL validation: data against the shapes, in one report.

The machinery of ``collabkg validate`` (:mod:`collabkg.validate`), and of
``collabkg build``, which validates before it writes.

The data graph is the data files; the ontology is given to pySHACL as its
ontology graph, so that ``sh:class`` follows ``rdfs:subClassOf``; the shapes
are the bundled ``ontology/shapes.ttl``. pySHACL runs on rdflib graphs with
no inference, and its results are the report. Each result becomes a
:class:`Violation`; a :class:`ValidationReport` lists them in a stable order
and renders them as text, Turtle or JSON.

pySHACL is slow at scale, so :func:`validate` first screens the data
(:mod:`collabkg.shacl_screen`: the same shapes evaluated on pyoxigraph terms, in
one pass) and gives pySHACL only the focus nodes the screen could not clear,
with the triples it needs to judge them. Data that conforms never reaches
pySHACL; data that does not gets exactly the results pySHACL gives on the
whole graph. Shapes the screen does not cover are validated by pySHACL on
the whole graph, as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

from collabkg import PathLike, bundle, logs
from collabkg.graph import KnowledgeGraph
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY, RDFS_LABEL, SH, SKOS_PREFLABEL, show
from collabkg.outcome import Exit, Outcome
from collabkg.readers import iter_quads, quads_from_rdflib, rdflib_graph, to_rdflib

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

log = logs.get(__name__)

FORMATS = ("text", "turtle", "json")


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    """IRI of the focus node (or ``_:b0`` style for a blank node)."""
    focus_label: str | None
    """``rdfs:label`` or ``skos:prefLabel`` of the focus node, if any."""
    path: str | None
    """IRI of ``sh:resultPath`` (a SPARQL property path for complex paths), or None."""
    value: str | None
    """The offending value in N-Triples form, or None."""
    message: str
    """``sh:resultMessage``."""
    shape: str
    """IRI of ``sh:sourceShape``."""
    component: str
    """IRI of ``sh:sourceConstraintComponent``."""
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""


@dataclass
class ValidationReport(Outcome):
    """The outcome of a validation: does the data conform, and if not, why."""

    FORMATS = FORMATS

    conforms: bool
    violations: list[Violation]
    report_graph: rdflib.Graph = field(repr=False)
    warnings: list[str] = field(default_factory=list, compare=False)
    """Lines for standard error about the data (say, that it holds no case study)."""

    @property
    def exit_code(self) -> Exit:
        return Exit.OK if self.conforms else Exit.FAILED

    def messages(self) -> list[str]:
        return list(self.warnings)

    def to_text(self) -> str:
        """A readable report: each violation with focus label (IRI), path, message and shape."""
        if self.conforms and not self.violations:
            return "Conforms: no violations.\n"
        counts: dict[str, int] = {}
        for v in self.violations:
            counts[v.severity] = counts.get(v.severity, 0) + 1
        summary = ", ".join(
            f"{n} {severity.lower()}{'s' if n != 1 else ''}" for severity, n in sorted(counts.items())
        )
        verdict = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{verdict}: {summary}.", ""]
        for number, v in enumerate(self.violations, 1):
            focus = show(v.focus) if not v.focus.startswith("_:") else v.focus
            title = f"{v.focus_label} ({focus})" if v.focus_label else focus
            lines.append(f"{number}. {v.severity}: {title}")
            if v.path is not None:
                lines.append(f"   path:    {_show_path(v.path)}")
            if v.value is not None:
                lines.append(f"   value:   {_show_value(v.value)}{_ill_typed(v.value)}")
            lines.append(f"   message: {v.message}")
            lines.append(f"   shape:   {show(v.shape)} ({_local(v.component)})")
            lines.append("")
        return "\n".join(lines)

    def to_json(self) -> str:
        """``{"conforms": bool, "violations": [{Violation fields}, ...]}``."""
        document = {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        """The SHACL validation report graph as deterministic Turtle."""
        from collabkg.turtle import serialize_turtle

        return serialize_turtle(_to_oxigraph_triples(self.report_graph)).decode("utf-8")

    def render(self, fmt: str | None = None) -> str:
        """The report in one of :data:`FORMATS`."""
        chosen = self._format(fmt)
        if chosen == "json":
            return self.to_json()
        if chosen == "turtle":
            return self.to_turtle()
        return self.to_text()


def validate_graph(graph: KnowledgeGraph) -> ValidationReport:
    """SHACL-validate the data of ``graph``, with its ontology, against the bundled shapes.

    Raises :class:`collabkg.readers.SourceError` on unreadable input.

    >>> report = validate_graph(KnowledgeGraph())
    >>> report.conforms, report.violations, report.exit_code
    (True, [], <Exit.OK: 0>)
    """
    from collabkg import progress

    shapes = list(iter_quads([bundle.shapes_path()]))
    ontology, data = graph.quads(GRAPH_ONTOLOGY), graph.quads(GRAPH_DATA)
    with progress.stage("validating"):
        return _validate(lambda: data, ontology, shapes, graphs=None)


def validate_quads(
    data: Sequence[ox.Quad], ontology: Sequence[ox.Quad], shapes: Iterable[ox.Quad] | None = None
) -> ValidationReport:
    """Validate pyoxigraph quads: the report :func:`validate_graphs` gives on their rdflib graphs.

    ``shapes`` defaults to the bundled shapes; graph names are ignored. The
    data is screened first (:mod:`collabkg.shacl_screen`); pySHACL judges only what
    the screen could not clear, on the triples about it.
    """
    shape_quads = list(shapes) if shapes is not None else list(iter_quads([bundle.shapes_path()]))
    return _validate(lambda: data, ontology, shape_quads, graphs=None)


def validate_graphs(
    data: rdflib.Graph, ontology: rdflib.Graph, shapes: rdflib.Graph | None = None
) -> ValidationReport:
    """Validate rdflib graphs: ``data`` against ``shapes`` (default: the bundled shapes).

    The results are pySHACL's on these graphs. Plain graphs whose terms
    convert exactly to pyoxigraph are screened first, as in
    :func:`validate_quads`; others go to pySHACL whole.
    """
    from rdflib import Graph

    if shapes is None:
        shapes = rdflib_graph([bundle.shapes_path()])
    graphs = (data, ontology, shapes)
    if all(type(g) is Graph for g in graphs):
        data_quads, ontology_quads, shape_quads = [quads_from_rdflib(g) for g in graphs]
        if data_quads is not None and ontology_quads is not None and shape_quads is not None:
            return _validate(lambda: data_quads, ontology_quads, shape_quads, graphs)
    return _pyshacl(data, ontology, shapes)


def _validate(
    data: Callable[[], Iterable[ox.Quad]],
    ontology: Sequence[ox.Quad],
    shapes: Sequence[ox.Quad],
    graphs: tuple[rdflib.Graph, rdflib.Graph, rdflib.Graph] | None,
) -> ValidationReport:
    """Screen, then let pySHACL judge what the screen could not clear.

    ``data()`` gives the same data quads at each call. ``graphs`` are the
    rdflib graphs of the three inputs when the caller has them (so that
    they are not built again), else None.
    """
    from collabkg.shacl_screen import neighbourhood, screen

    result = screen(chain(data(), ontology), shapes)
    log.debug(
        "screen: %s; %d focus nodes checked, %d not cleared",
        "supported" if result.supported else f"not supported ({result.reason})",
        result.focus_nodes,
        len(result.suspects),
    )
    if result.supported and not result.suspects:
        return ValidationReport(True, [], _conforming_report())
    if graphs is None:
        data_graph = None
        ontology_graph, shapes_graph = rdflib_graph(quads=ontology), rdflib_graph(quads=shapes)
    else:
        data_graph, ontology_graph, shapes_graph = graphs
    if not result.supported:
        return _pyshacl(data_graph or rdflib_graph(quads=data()), ontology_graph, shapes_graph)
    subset = rdflib_graph(quads=neighbourhood(data(), result.suspects, result.incoming))
    report = _pyshacl(subset, ontology_graph, shapes_graph)
    return _about(report, {to_rdflib(node) for node in result.suspects})


def _pyshacl(data: rdflib.Graph, ontology: rdflib.Graph, shapes: rdflib.Graph) -> ValidationReport:
    """pySHACL's report on rdflib graphs, as a :class:`ValidationReport`."""
    import pyshacl

    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_infos=False,
        allow_warnings=False,
    )
    labels = (data, ontology)
    violations = sorted(
        (_violation(results, result, labels) for result in _results(results)),
        key=lambda v: (v.focus, v.path or "", v.shape, v.component, v.value or "", v.message),
    )
    return ValidationReport(bool(conforms), violations, results)


def _conforming_report() -> rdflib.Graph:
    """The report graph pySHACL gives for conforming data."""
    from rdflib import RDF, BNode, Graph, Literal, URIRef

    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, URIRef(SH + "ValidationReport")))
    graph.add((report, URIRef(SH + "conforms"), Literal(True)))
    return graph


def _about(report: ValidationReport, foci: set[rdflib.term.Node]) -> ValidationReport:
    """``report`` with only the results whose focus node is one of ``foci``."""
    from rdflib import RDF, BNode, Graph, Literal, URIRef

    graph = report.report_graph
    focus_node, result_link = URIRef(SH + "focusNode"), URIRef(SH + "result")
    conforms = URIRef(SH + "conforms")
    results = _results(graph)
    kept = [r for r in results if graph.value(r, focus_node) in foci]
    if len(kept) == len(results):
        return report
    restricted = Graph()
    for prefix, namespace in graph.namespaces():
        restricted.bind(prefix, namespace, override=True, replace=True)
    for node in graph.subjects(RDF.type, URIRef(SH + "ValidationReport")):
        for p, o in graph.predicate_objects(node):
            if p not in (result_link, conforms):
                restricted.add((node, p, o))
        restricted.add((node, conforms, Literal(not kept)))
        for r in kept:
            restricted.add((node, result_link, r))
    seen: set[rdflib.term.Node] = set()
    stack = list(kept)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            restricted.add((node, p, o))
            if isinstance(o, BNode):
                stack.append(o)
    ids = {_id(f) for f in foci}
    violations = [v for v in report.violations if v.focus in ids]
    return ValidationReport(not kept, violations, restricted)


def _results(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    from rdflib import RDF, URIRef

    return list(graph.subjects(RDF.type, URIRef(SH + "ValidationResult")))


def _violation(
    graph: rdflib.Graph, result: rdflib.term.Node, labels: tuple[rdflib.Graph, ...]
) -> Violation:
    from rdflib import URIRef
    from rdflib.term import Identifier

    def one(name: str) -> rdflib.term.Identifier | None:
        values = sorted(o for o in graph.objects(result, URIRef(SH + name)) if isinstance(o, Identifier))
        return values[0] if values else None

    focus = one("focusNode")
    path = one("resultPath")
    value = one("value")
    shape = one("sourceShape")
    component = one("sourceConstraintComponent")
    severity = one("resultSeverity")
    messages = sorted({str(m) for m in graph.objects(result, URIRef(SH + "resultMessage"))})
    return Violation(
        focus=_id(focus),
        focus_label=_label(focus, labels),
        path=None if path is None else _path(graph, path),
        value=None if value is None else _ntriples(value),
        message="; ".join(messages) or f"{_local(str(component))} not satisfied",
        shape=_id(shape),
        component=str(component),
        severity=_local(str(severity)) if severity is not None else "Violation",
    )


def _id(node: rdflib.term.Node | None) -> str:
    from rdflib import BNode

    if node is None:
        return ""
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _label(node: rdflib.term.Node | None, graphs: tuple[rdflib.Graph, ...]) -> str | None:
    from rdflib import URIRef

    if node is None:
        return None
    for predicate in (URIRef(RDFS_LABEL), URIRef(SKOS_PREFLABEL)):
        found = [o for g in graphs for o in g.objects(node, predicate)]
        if found:
            # English or untagged first, then any; sorted for a stable choice
            found.sort(key=lambda o: (getattr(o, "language", None) not in (None, "en"), str(o)))
            return str(found[0])
    return None


def _path(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A SHACL path as an IRI, or as a SPARQL property path for complex paths."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    if isinstance(node, URIRef):
        return str(node)

    def sub(name: str) -> rdflib.term.Node | None:
        return graph.value(node, URIRef(SH + name))

    def inner(n: rdflib.term.Node) -> str:
        text = _path(graph, n)
        return f"<{text}>" if isinstance(n, URIRef) else f"({text})"

    if isinstance(node, BNode):
        for name, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            target = sub(name)
            if target is not None:
                return inner(target) + suffix
        target = sub("inversePath")
        if target is not None:
            return "^" + inner(target)
        target = sub("alternativePath")
        if target is not None:
            return "|".join(inner(n) for n in Collection(graph, target))
        if graph.value(node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")):
            return "/".join(inner(n) for n in Collection(graph, node))
    return _id(node)


def _show_path(path: str) -> str:
    """A path for reading: an IRI prefixed, or a property path with its IRIs prefixed."""
    if path.startswith(("^", "(", "<")) or ">" in path:
        return re.sub(r"<([^<>\s]*)>", lambda m: show(m.group(1)), path)
    return show(path)


_IRI_IN_NT = re.compile(r"<([^<>\s]*)>$")


def _show_value(value: str) -> str:
    """An N-Triples term with its IRI (or its literal's datatype) shown prefixed."""
    return _IRI_IN_NT.sub(lambda m: show(m.group(1)), value)


def _ill_typed(value: str) -> str:
    """`` (not a valid xsd:integer)`` for an ill-typed literal in N-Triples form, else ``""``.

    >>> _ill_typed('"seven"^^<http://www.w3.org/2001/XMLSchema#integer>')
    ' (not a valid xsd:integer)'
    >>> _ill_typed('"7"^^<http://www.w3.org/2001/XMLSchema#integer>')
    ''
    """
    if not value.startswith('"') or "^^" not in value:
        return ""
    import pyoxigraph as ox

    try:
        quad = next(iter(ox.parse(f"<urn:s> <urn:p> {value} .".encode(), format=ox.RdfFormat.N_TRIPLES)))
    except (SyntaxError, StopIteration):
        return ""
    term = to_rdflib(quad.object)
    if getattr(term, "ill_typed", False):
        return f" (not a valid {show(quad.object.datatype.value)})"
    return ""


def _ntriples(node: rdflib.term.Node) -> str:
    from rdflib import BNode, Literal

    if isinstance(node, Literal):
        from collabkg.turtle import quote_string

        text = quote_string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^<{node.datatype}>"
        return text
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _to_oxigraph_triples(graph: rdflib.Graph) -> list[ox.Triple]:
    import pyoxigraph as ox

    from collabkg.readers import from_rdflib, triple_terms

    return [ox.Triple(*triple_terms(from_rdflib(s), from_rdflib(p), from_rdflib(o))) for s, p, o in graph]
