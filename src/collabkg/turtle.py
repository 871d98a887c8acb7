"""Deterministic Turtle: the same triples give the same bytes.

Whatever the order the triples were read in, the Python hash seed or the
machine: subjects, predicates and objects are sorted; blank nodes are
written inline (``[ ]`` and ``( )``) wherever the graph allows, and
otherwise get labels from RDF canonicalisation (RDFC-1.0), never random
ones. Prefixes come from :data:`collabkg.namespaces.PREFIXES`.

One cohesive writer, so one module: :mod:`collabkg.formats` looks it up for
Turtle, and uses :func:`turtle_parts` for the graphs of TriG.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

import pyoxigraph as ox

from collabkg import CollabkgError
from collabkg.namespaces import (
    OWL,
    PREFIXES,
    RDF_FIRST,
    RDF_LANGSTRING,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_PREFLABEL,
    XSD,
    XSD_STRING,
    compact,
)

Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""An object of a triple; :meth:`TurtleWriter.term` refuses a triple term (RDF 1.2)."""

_INDENT = "    "
# rdf:type first, then labels, then the other predicates in IRI order
_FIRST_PREDICATES = {RDF_TYPE: 0, RDFS_LABEL: 1, SKOS_PREFLABEL: 2}
_LINE = 100
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_BATCH = 50_000
_IRI_CACHE = 100_000
_STORED_AS_IS = frozenset({XSD_STRING, RDF_LANGSTRING})
"""Datatypes whose literals an Oxigraph store gives back exactly as they were given."""
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


_ESCAPED = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _ECHAR.get(ch) or f"\\u{ord(ch):04X}"


def quote_string(text: str) -> str:
    """``text`` as a quoted Turtle / N-Triples string literal, escapes and all.

    >>> print(quote_string('say "hi"\\n\\x01'))
    "say \\"hi\\"\\n\\u0001"
    """
    return '"' + _ESCAPED.sub(_escape, text) + '"'


class TurtleWriter:
    """Deterministic Turtle of a set of triples.

    The triples are kept in an in-memory Oxigraph store and read back one
    subject at a time, so that a large graph stays in Oxigraph's memory, not
    in Python objects. Two kinds are held in Python instead: those that
    mention a blank node (their labels are canonicalised, RDFC-1.0), and those
    whose object is a typed literal other than a string, since the store
    keeps such a literal by value and would give back, say, ``"13.0"`` as
    ``"13"``.
    """

    def __init__(self, triples: Iterable[ox.Triple | ox.Quad], prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.used: set[str] = set()
        self.written: dict[str, str] = {}
        """How each IRI met so far is written (predicates, classes and objects recur)."""
        self.named: set[ox.NamedNode] = set()
        self.kept: dict[ox.NamedNode, dict[str, list[Node]]] = {}
        """The properties of named subjects held in Python, by subject."""
        kept: set[tuple[ox.NamedNode, ox.NamedNode, Node]] = set()
        blank = ox.Dataset()

        def stored() -> Iterator[ox.Quad]:
            for triple in triples:
                subject, predicate, obj = triple.subject, triple.predicate, triple.object
                if isinstance(subject, ox.Triple):
                    raise CollabkgError(f"cannot write this RDF term as Turtle: {subject!r}")
                if isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
                    blank.add(ox.Quad(subject, predicate, obj))
                    continue
                self.named.add(subject)
                if isinstance(obj, ox.Literal) and obj.datatype.value not in _STORED_AS_IS:
                    kept.add((subject, predicate, obj))
                else:
                    yield ox.Quad(subject, predicate, obj)

        self.store = ox.Store()
        quads = stored()
        # one transaction per batch: a single one would buffer the whole graph
        while batch := list(islice(quads, _BATCH)):
            self.store.extend(batch)
        for subject, predicate, obj in kept:
            self.kept.setdefault(subject, {}).setdefault(predicate.value, []).append(obj)
        # RDFC-1.0 labels a blank node from the triples that mention it, so
        # canonicalising these alone gives the labels the whole graph would get
        blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        self.props: dict[ox.BlankNode, dict[str, list[Node]]] = {}
        """The properties of each blank node."""
        self.refs: dict[ox.BlankNode, int] = {}
        for quad in blank:
            subject, obj = quad.subject, quad.object
            assert not isinstance(subject, ox.Triple)  # stored() refused it
            if isinstance(subject, ox.BlankNode):
                self.props.setdefault(subject, {}).setdefault(quad.predicate.value, []).append(obj)
            else:
                self.kept.setdefault(subject, {}).setdefault(quad.predicate.value, []).append(obj)
                self.named.add(subject)
            if isinstance(obj, ox.BlankNode):
                self.refs[obj] = self.refs.get(obj, 0) + 1
        self.triples = len(self.store) + len(kept) + len(blank)
        """The number of distinct triples."""
        self.labelled = self._labelled_blank_nodes()

    def named_props(self, subject: ox.NamedNode) -> dict[str, list[Node]]:
        """The properties of a named subject."""
        props: dict[str, list[Node]] = {}
        for quad in self.store.quads_for_pattern(subject, None, None, None):
            props.setdefault(quad.predicate.value, []).append(quad.object)
        for predicate, objects in self.kept.get(subject, {}).items():
            props.setdefault(predicate, []).extend(objects)
        return props

    # Which blank nodes need a label: those referenced more than once, and one
    # node of each cycle of blank nodes that are each referenced once.
    def _labelled_blank_nodes(self) -> set[ox.BlankNode]:
        labelled = {b for b, n in self.refs.items() if n > 1}
        reached: set[ox.BlankNode] = set()

        def reach(start: ox.BlankNode) -> None:
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

        for props in self.kept.values():
            for objects in props.values():
                for obj in objects:
                    if isinstance(obj, ox.BlankNode) and obj not in labelled:
                        reach(obj)
        for subject in self.props:
            if subject in labelled or self.refs.get(subject, 0) == 0:
                reach(subject)
        cyclic = sorted((s for s in self.props if s not in reached), key=lambda b: b.value)
        for node in cyclic:
            if node not in reached:
                labelled.add(node)
                reach(node)
        return labelled

    def iri(self, value: str) -> str:
        written = self.written.get(value)
        if written is None:
            name = compact(value, self.prefixes)
            if name is None:
                written = f"<{value}>"
            else:
                self.used.add(name.split(":", 1)[0])
                written = name
            if len(self.written) < _IRI_CACHE:
                self.written[value] = written
        return written

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
            return "[\n" + inner + self.predicate_objects(self.props[node], inner) + "\n" + indent + "]"
        raise CollabkgError(f"cannot write this RDF term as Turtle: {node!r}")

    def predicate_objects(self, props: dict[str, list[Node]], indent: str) -> str:
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

    def blocks(self) -> Iterator[str]:
        """One Turtle statement per subject: the ontology header first, then by IRI."""
        ontologies = {
            quad.subject
            for quad in self.store.quads_for_pattern(
                None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + "Ontology"), None
            )
        }
        named = sorted(self.named, key=lambda s: (s not in ontologies, s.value))
        for s in named:
            yield f"{self.iri(s.value)} {self.predicate_objects(self.named_props(s), _INDENT)} ."
        yield from sorted(
            "[\n" + _INDENT + self.predicate_objects(props, _INDENT) + "\n] ."
            for s, props in self.props.items()
            if s not in self.labelled and self.refs.get(s, 0) == 0
        )
        for node in sorted(self.labelled & self.props.keys(), key=lambda b: b.value):
            yield f"_:{node.value} {self.predicate_objects(self.props[node], _INDENT)} ."

    def parts(self) -> tuple[list[str], list[str]]:
        """The ``@prefix`` lines the document uses, and its statements."""
        body = list(self.blocks())  # the prefixes used are known only at the end
        header = [f"@prefix {name}: <{ns}> ." for name, ns in self.prefixes.items() if name in self.used]
        return header, body

    def chunks(self) -> Iterator[bytes]:
        """The document as UTF-8 chunks: the prefixes it uses, then the statements."""
        header, body = self.parts()
        yield ("\n".join(header) + "\n").encode("utf-8")
        for block in body:
            yield ("\n" + block + "\n").encode("utf-8")


def serialize_turtle(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
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
    return b"".join(TurtleWriter(triples, PREFIXES).chunks())


def turtle_parts(triples: Iterable[ox.Triple | ox.Quad]) -> tuple[list[str], list[str], bool]:
    """:func:`serialize_turtle` in parts: its ``@prefix`` lines, its statements,
    and whether some blank node needed a label (``_:...``) rather than ``[ ]``."""
    writer = TurtleWriter(triples, PREFIXES)
    header, body = writer.parts()
    return header, body, bool(writer.labelled)


__all__ = ["TurtleWriter", "quote_string", "serialize_turtle", "turtle_parts"]
