"""``collabkg build``: merge the ontology and the data, validate, write Turtle.

The output is deterministic: the same triples give the same bytes, whatever
the order they were read in, the Python hash seed or the machine. Subjects,
predicates and objects are sorted; blank nodes are written inline (``[ ]``
and ``( )``) wherever the graph allows, and otherwise get labels from RDF
canonicalisation (RDFC-1.0), never random ones. Prefixes come from
:data:`collabkg.namespaces.PREFIXES`.

The output is written atomically: to a temporary file in the same folder,
synced, then renamed over the target, so that a failed build never leaves a
half-written or truncated file.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from collabkg import CollabkgError, resources
from collabkg.files import atomic_write
from collabkg.namespaces import (
    OWL,
    PREFIXES,
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_PREFLABEL,
    XSD,
    XSD_STRING,
    compact,
)
from collabkg.sources import PathLike, iter_quads, rdflib_graph

if TYPE_CHECKING:
    from collabkg.validate import ValidationReport

log = logging.getLogger(__name__)

DEFAULT_OUTPUT = Path("dist/collabkg.ttl")
STDOUT = "-"


@dataclass
class BuildResult:
    """What a build did: the validation report, and whether output was written."""

    output: str
    """The path written to, or ``"-"`` for standard output."""
    triples: int
    """The number of distinct triples in the merged graph."""
    report: ValidationReport
    written: bool
    """False when the data did not conform: nothing was written."""

    @property
    def conforms(self) -> bool:
        return self.report.conforms


def build(
    output: PathLike = DEFAULT_OUTPUT, sources: Sequence[PathLike] | None = None
) -> BuildResult:
    """Merge the ontology with ``sources`` (default: the bundled data), validate, write Turtle.

    If the data does not conform to the shapes, nothing is written and the
    result's report says why. ``output`` ``"-"`` writes to standard output.
    Raises :class:`collabkg.sources.SourceError` for unreadable input and
    :class:`collabkg.CollabkgError` when the output cannot be written.
    """
    from collabkg.validate import validate_graphs

    ontology = list(iter_quads([resources.ontology_path()]))
    data = list(iter_quads(sources if sources else [resources.data_dir()]))
    report = validate_graphs(rdflib_graph(quads=data), rdflib_graph(quads=ontology))
    triples = {(q.subject, q.predicate, q.object) for q in chain(ontology, data)}
    target = str(output)
    if not report.conforms:
        log.info("data does not conform: %d results; nothing written", len(report.violations))
        return BuildResult(target, len(triples), report, written=False)
    text = serialize_turtle(ox.Triple(*t) for t in triples)
    if target == STDOUT:
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        atomic_write(Path(output), text)
    return BuildResult(target, len(triples), report, written=True)


# --------------------------------------------------------------------------
# Deterministic Turtle
# --------------------------------------------------------------------------

Node = ox.NamedNode | ox.BlankNode | ox.Literal

_INDENT = "    "
# rdf:type first, then labels, then the other predicates in IRI order
_FIRST_PREDICATES = {RDF_TYPE: 0, RDFS_LABEL: 1, SKOS_PREFLABEL: 2}
_LINE = 100
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def quote_string(text: str) -> str:
    """``text`` as a quoted Turtle / N-Triples string literal, escapes and all."""
    out = []
    for ch in text:
        if ch in _ECHAR:
            out.append(_ECHAR[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class _TurtleWriter:
    def __init__(self, triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> None:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        self.prefixes = prefixes
        self.used: set[str] = set()
        self.props: dict[Node, dict[str, list[Node]]] = {}
        self.refs: dict[ox.BlankNode, int] = {}
        for quad in dataset:
            self.props.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(
                quad.object
            )
            if isinstance(quad.object, ox.BlankNode):
                self.refs[quad.object] = self.refs.get(quad.object, 0) + 1
        self.labelled = self._labelled_blank_nodes()

    # Which blank nodes need a label: those referenced more than once, and one
    # node of each cycle of blank nodes that are each referenced once.
    def _labelled_blank_nodes(self) -> set[ox.BlankNode]:
        labelled = {b for b, n in self.refs.items() if n > 1}
        reached: set[Node] = set()

        def reach(start: Node) -> None:
            stack = [start]
            while stack:
                node = stack.pop()
                if node in reached:
                    continue
                reached.add(node)
                for objects in self.props.get(node, {}).values():
                    for obj in objects:
                        if isinstance(obj, ox.BlankNode) and obj not in labelled:
                            stack.append(obj)

        for subject in self.props:
            if not isinstance(subject, ox.BlankNode) or subject in labelled:
                reach(subject)
            elif self.refs.get(subject, 0) == 0:
                reach(subject)
        cyclic = sorted(
            (s for s in self.props if isinstance(s, ox.BlankNode) and s not in reached),
            key=lambda b: b.value,
        )
        for node in cyclic:
            if node not in reached:
                labelled.add(node)
                reach(node)
        return labelled

    def iri(self, value: str) -> str:
        name = compact(value, self.prefixes)
        if name is None:
            return f"<{value}>"
        self.used.add(name.split(":", 1)[0])
        return name

    def literal(self, lit: ox.Literal) -> str:
        if lit.language:
            direction = getattr(lit, "direction", None)
            suffix = f"--{direction}" if direction else ""
            return f"{quote_string(lit.value)}@{lit.language}{suffix}"
        datatype = lit.datatype.value
        if datatype == XSD_STRING:
            return quote_string(lit.value)
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(lit.value):
            return lit.value
        return f"{quote_string(lit.value)}^^{self.iri(datatype)}"

    def list_items(self, head: ox.BlankNode) -> list[Node] | None:
        items: list[Node] = []
        node: Node = head
        seen: set[Node] = set()
        while not (isinstance(node, ox.NamedNode) and node.value == RDF_NIL):
            if not isinstance(node, ox.BlankNode) or node in seen or node in self.labelled:
                return None
            if node != head and self.refs.get(node, 0) != 1:
                return None
            props = self.props.get(node, {})
            first, rest = props.get(RDF_FIRST, []), props.get(RDF_REST, [])
            if set(props) != {RDF_FIRST, RDF_REST} or len(first) != 1 or len(rest) != 1:
                return None
            items.append(first[0])
            seen.add(node)
            node = rest[0]
        return items

    def term(self, node: Node, indent: str) -> str:
        if isinstance(node, ox.NamedNode):
            return "()" if node.value == RDF_NIL else self.iri(node.value)
        if isinstance(node, ox.Literal):
            return self.literal(node)
        if isinstance(node, ox.BlankNode):
            if node in self.labelled or self.refs.get(node, 0) != 1:
                return f"_:{node.value}"
            items = self.list_items(node)
            if items is not None:
                return "( " + " ".join(self.term(i, indent) for i in items) + " )"
            if node not in self.props:
                return "[]"
            inner = indent + _INDENT
            return "[\n" + inner + self.predicate_objects(node, inner) + "\n" + indent + "]"
        raise CollabkgError(f"cannot write this RDF term as Turtle: {node!r}")

    def predicate_objects(self, subject: Node, indent: str) -> str:
        props = self.props[subject]
        order = sorted(props, key=lambda p: (_FIRST_PREDICATES.get(p, len(_FIRST_PREDICATES)), p))
        parts = []
        for predicate in order:
            name = "a" if predicate == RDF_TYPE else self.iri(predicate)
            objects = sorted(self.term(o, indent) for o in props[predicate])
            line = f"{name} " + " , ".join(objects)
            if len(indent) + len(line) > _LINE and not any("\n" in o for o in objects):
                line = f"{name} " + (" ,\n" + indent + _INDENT).join(objects)
            parts.append(line)
        return (" ;\n" + indent).join(parts)

    def blocks(self) -> list[str]:
        def is_ontology(s: Node) -> bool:
            return any(o.value == OWL + "Ontology" for o in self.props[s].get(RDF_TYPE, []))

        named = sorted(
            (s for s in self.props if isinstance(s, ox.NamedNode)),
            key=lambda s: (not is_ontology(s), s.value),
        )
        blocks = [f"{self.iri(s.value)} {self.predicate_objects(s, _INDENT)} ." for s in named]
        roots = sorted(
            "[\n" + _INDENT + self.predicate_objects(s, _INDENT) + "\n] ."
            for s in self.props
            if isinstance(s, ox.BlankNode) and s not in self.labelled and self.refs.get(s, 0) == 0
        )
        blocks.extend(roots)
        for s in sorted(self.labelled & self.props.keys(), key=lambda b: b.value):
            blocks.append(f"_:{s.value} {self.predicate_objects(s, _INDENT)} .")
        return blocks

    def serialize(self) -> str:
        body = self.blocks()
        header = [
            f"@prefix {name}: <{ns}> ." for name, ns in self.prefixes.items() if name in self.used
        ]
        return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def serialize_turtle(
    triples: Iterable[ox.Triple | ox.Quad], prefixes: dict[str, str] | None = None
) -> bytes:
    """Deterministic, readable Turtle (UTF-8) of ``triples``; graph names are ignored.

    >>> import pyoxigraph as ox
    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/collabkg/id/case/x"),
    ...               ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("X"))
    >>> print(serialize_turtle([t]).decode())
    @prefix case: <https://w3id.org/collabkg/id/case/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <BLANKLINE>
    case:x rdfs:label "X" .
    <BLANKLINE>
    """
    plain = (ox.Triple(t.subject, t.predicate, t.object) for t in triples)
    return _TurtleWriter(plain, prefixes or PREFIXES).serialize().encode("utf-8")


__all__ = [
    "DEFAULT_OUTPUT",
    "BuildResult",
        "build",
    "quote_string",
    "serialize_turtle",
]
