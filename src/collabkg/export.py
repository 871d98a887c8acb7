"""Export the knowledge graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

Every export is deterministic: the same graphs give the same bytes on every
run. Prefixes come from :data:`collabkg.namespaces.PREFIXES`; statements are
sorted; blank nodes are labelled by RDF canonicalisation (RDFC-1.0) over the
whole dataset, never with a parser's random labels.

The dataset formats (TriG, N-Quads) keep the ontology, the data and the
inferences in their named graphs (:data:`~collabkg.namespaces.GRAPH_ONTOLOGY`,
``GRAPH_DATA``, ``GRAPH_INFERRED``); the triple formats merge the graphs
asked for. Turtle is written by :func:`collabkg.build.serialize_turtle`, so
``collabkg export`` and ``collabkg build`` give the same file.

The entry point is :func:`export`; :func:`serialize` turns quads already in
memory into bytes.
"""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from collabkg import CollabkgError, logs
from collabkg.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    PREFIXES,
    RDF,
    RDF_TYPE,
    XSD_STRING,
    compact,
)
from collabkg.sources import PathLike, RdfFormat

log = logs.get(__name__)


FORMAT_NAMES: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}
"""The ``--format`` names, each the usual file extension of its format."""

GRAPH_ORDER: tuple[str, ...] = (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED)
DEFAULT_GRAPHS: tuple[str, ...] = (GRAPH_ONTOLOGY, GRAPH_DATA)
"""What ``collabkg export`` writes without ``--graph``: the built graph."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class ExportError(CollabkgError):
    """An export that cannot be made: unknown format, a graph RDF/XML cannot carry."""


class GraphChoice(enum.Enum):
    """Which of the store's graphs to export (``--graph``)."""

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


def graphs_for(choice: GraphChoice | str | None) -> tuple[str, ...]:
    """The graph IRIs of a ``--graph`` choice; None is the built graph (ontology and data)."""
    if choice is None:
        return DEFAULT_GRAPHS
    return GraphChoice(choice).graphs


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote."""

    format: RdfFormat
    graphs: tuple[str, ...]
    statements: int
    """Distinct triples written, or quads for a dataset format."""
    output: Path | None
    """The file written, or None for standard output."""


# ---------------------------------------------------------------------------
# Choosing the format


def format_for(name: str | None, output: PathLike | None) -> RdfFormat:
    """The format named by ``--format``, else the output file's extension, else Turtle.

    >>> format_for("nq", None).label
    'N-Quads'
    >>> format_for(None, "kg.jsonld").label
    'JSON-LD'
    >>> format_for(None, "-").label
    'Turtle'
    """
    if name:
        fmt = FORMAT_NAMES.get(name.lower().lstrip("."))
        if fmt is None:
            raise ExportError(f"unknown format {name!r}: use one of {', '.join(FORMAT_NAMES)}")
        return fmt
    if output is None or str(output) == "-":
        return RdfFormat.TURTLE
    fmt = RdfFormat.from_path(output)
    if fmt is None:
        raise ExportError(
            f"{output}: cannot tell the format from the extension "
            f"{Path(output).suffix or '(none)'!r}; add --format {'|'.join(FORMAT_NAMES)}"
        )
    return fmt


# ---------------------------------------------------------------------------
# Reading the graphs


def read_quads(
    graphs: Sequence[str] = DEFAULT_GRAPHS,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
) -> list[ox.Quad]:
    """The quads of the named graphs ``graphs``.

    The ontology is the bundled one; the data is ``data`` (files or folders)
    or the bundled data; the inferences are the file ``collabkg reason`` wrote
    (``inferred``, default ``dist/inferred.ttl``).
    """
    from collabkg import resources
    from collabkg.sources import iter_quads

    quads: list[ox.Quad] = []
    for iri in graphs:
        if iri == GRAPH_ONTOLOGY:
            quads.extend(iter_quads([resources.ontology_path()], GRAPH_ONTOLOGY))
        elif iri == GRAPH_DATA:
            quads.extend(iter_quads(list(data) if data else [resources.data_dir()], GRAPH_DATA))
        elif iri == GRAPH_INFERRED:
            from collabkg.resources import inferred_path

            quads.extend(iter_quads([inferred_path(inferred)], GRAPH_INFERRED))
        else:
            raise ExportError(f"unknown graph <{iri}>")
    return quads


# ---------------------------------------------------------------------------
# Writers


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The distinct ``quads`` with RDFC-1.0 blank-node labels, sorted by their N-Quads line.

    The whole dataset is labelled at once, so a blank node keeps one label
    in every graph it appears in.
    """
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def serialize(quads: Iterable[ox.Quad], fmt: RdfFormat) -> bytes:
    """``quads`` as bytes of ``fmt``, deterministically.

    Triple formats merge the graphs; dataset formats keep them, in the
    order ontology, data, inferred, then any other graph by IRI.
    """
    if fmt is RdfFormat.TURTLE:  # the Turtle writer merges, orders and labels itself
        from collabkg.build import serialize_turtle

        return serialize_turtle(quads)
    ordered = canonical(quads)
    if fmt is RdfFormat.N_QUADS:
        groups = _by_graph(ordered).values()
        return "".join(f"{quad} .\n" for group in groups for quad in group).encode("utf-8")
    if fmt is RdfFormat.TRIG:
        return _trig(ordered).encode("utf-8")
    triples = _triples(ordered)
    if fmt is RdfFormat.N_TRIPLES:
        return "".join(f"{triple} .\n" for triple in triples).encode("utf-8")
    if fmt is RdfFormat.JSON_LD:
        return _jsonld(triples).encode("utf-8")
    if fmt is RdfFormat.RDF_XML:
        return _rdfxml(triples).encode("utf-8")
    raise ExportError(f"cannot export {fmt.label}")  # pragma: no cover - every format has a writer


def _triples(quads: Sequence[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads``, sorted by their N-Triples line."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def _graph_key(name: str) -> tuple[int, str]:
    return (GRAPH_ORDER.index(name) if name in GRAPH_ORDER else len(GRAPH_ORDER), name)


def _by_graph(quads: Sequence[ox.Quad]) -> dict[str, list[ox.Quad]]:
    groups: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        groups.setdefault(name, []).append(quad)
    return {name: groups[name] for name in sorted(groups, key=_graph_key)}


def _trig(quads: Sequence[ox.Quad]) -> str:
    """TriG: one block per named graph, each the deterministic Turtle of its triples.

    Turtle nests blank nodes (``[ ]``) and gives the rest per-graph labels, but
    TriG's labels are shared by the whole document; so a graph whose Turtle
    would need a label, or one sharing a blank node with another graph, is
    written as plain statements with the dataset's canonical labels.
    """
    from collabkg.build import turtle_parts

    groups = _by_graph(quads)
    graphs_of: dict[ox.BlankNode, set[str]] = {}
    for name, group in groups.items():
        for quad in group:
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.BlankNode):
                    graphs_of.setdefault(term, set()).add(name)
    shared = {node for node, names in graphs_of.items() if len(names) > 1}

    header: dict[str, str] = {}
    blocks: list[str] = []
    for name, group in groups.items():
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in group]
        plain = any(t.subject in shared or t.object in shared for t in triples)
        if not plain:
            prefix_lines, statements, plain = turtle_parts(triples)
            body = "\n\n".join(statements)
        if plain:
            body = "\n".join(f"{t} ." for t in triples)
        else:
            for line in prefix_lines:
                header[line.split()[1]] = line
        opening = f"{ox.NamedNode(name)} {{" if name else "{"
        blocks.append(f"{opening}\n{body}\n}}\n")
    ordered_header = [header[key] for key in sorted(header)]
    return "\n".join(ordered_header) + ("\n\n" if ordered_header else "") + "\n".join(blocks)


def _used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The prefixes of PREFIXES that compact some IRI of ``triples``, in PREFIXES order."""
    used: set[str] = set()
    for triple in triples:
        for term in triple:
            iri = _iri_of(term)
            if iri is not None:
                name = compact(iri)
                if name is not None:
                    used.add(name.split(":", 1)[0])
    return {name: ns for name, ns in PREFIXES.items() if name in used}


def _iri_of(term: Term) -> str | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value != XSD_STRING:
        return term.datatype.value
    return None


def _jsonld(triples: Sequence[ox.Triple]) -> str:
    """Compact JSON-LD: a context of the prefixes used, and one flat node object per subject.

    Properties and ``@type`` are compacted with the context; values that
    occur once are written bare, several values as a sorted array; plain
    strings as JSON strings. RDF lists stay ``rdf:first``/``rdf:rest`` nodes.
    """
    context = _used_prefixes(triples)

    def name(iri: str) -> str:
        return compact(iri, context) or iri

    def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else name(term.value)

    def value(term: Term) -> object:
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": name(term.datatype.value)}

    nodes: dict[Term, dict[str, list[object]]] = {}
    for triple in triples:
        node = nodes.setdefault(triple.subject, {})
        if triple.predicate.value == RDF_TYPE and not isinstance(triple.object, ox.Literal):
            node.setdefault("@type", []).append(node_id(triple.object))
        else:
            node.setdefault(name(triple.predicate.value), []).append(value(triple.object))

    def sort_key(item: object) -> str:
        return json.dumps(item, sort_keys=True, ensure_ascii=False)

    graph = []
    for subject in sorted(nodes, key=lambda s: (isinstance(s, ox.BlankNode), s.value)):
        obj: dict[str, object] = {"@id": node_id(subject)}
        for key in sorted(nodes[subject]):
            values = sorted(nodes[subject][key], key=sort_key)
            obj[key] = values[0] if len(values) == 1 else values
        graph.append(obj)
    document = {"@context": context, "@graph": graph}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rdfxml(triples: Sequence[ox.Triple]) -> str:
    """RDF/XML: one ``rdf:Description`` per subject, subjects and properties sorted.

    Plain striped RDF/XML with ``rdf:nodeID`` for blank nodes: the form that
    every RDF/XML reader (Protégé's OWL API, owlready2, Jena, rdflib) reads.
    """
    namespaces: dict[str, str] = {"rdf": RDF}  # prefix -> namespace
    by_namespace: dict[str, str] = {RDF: "rdf"}
    qnames: dict[str, str] = {}

    def qname(predicate: str) -> str:
        if predicate in qnames:
            return qnames[predicate]
        namespace, local = _split_xml_name(predicate)
        if namespace not in by_namespace:
            prefix = next(
                (p for p, ns in PREFIXES.items() if ns == namespace and _is_ncname(p)), None
            )
            if prefix is None or prefix in namespaces:
                n = 1
                while f"ns{n}" in namespaces:
                    n += 1
                prefix = f"ns{n}"
            namespaces[prefix] = namespace
            by_namespace[namespace] = prefix
        qnames[predicate] = f"{by_namespace[namespace]}:{local}"
        return qnames[predicate]

    def node_attr(term: Term, about: str = "rdf:about") -> str:
        if isinstance(term, ox.BlankNode):
            return f"rdf:nodeID={quoteattr(term.value)}"
        return f"{about}={quoteattr(term.value)}"

    # Predicates are named in sorted order, so that any ns1, ns2... is stable.
    for predicate in sorted({t.predicate.value for t in triples}):
        qname(predicate)

    by_subject: dict[Term, list[ox.Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject, []).append(triple)
    body: list[str] = []
    for subject in sorted(by_subject, key=lambda s: (isinstance(s, ox.BlankNode), s.value)):
        body.append(f"  <rdf:Description {node_attr(subject)}>\n")
        statements = sorted(
            by_subject[subject], key=lambda t: (t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object))
        )
        for triple in statements:
            tag = qname(triple.predicate.value)
            obj = triple.object
            if isinstance(obj, ox.Literal):
                _check_xml_text(obj.value)
                if obj.language:
                    attr = f" xml:lang={quoteattr(obj.language)}"
                elif obj.datatype.value != XSD_STRING:
                    attr = f" rdf:datatype={quoteattr(obj.datatype.value)}"
                else:
                    attr = ""
                text = escape(obj.value, {"\r": "&#13;"})
                body.append(f"    <{tag}{attr}>{text}</{tag}>\n")
            else:
                body.append(f"    <{tag} {node_attr(obj, 'rdf:resource')}/>\n")
        body.append("  </rdf:Description>\n")

    declarations = "".join(
        f"\n   xmlns:{prefix}={quoteattr(namespaces[prefix])}" for prefix in sorted(namespaces)
    )
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}>\n{"".join(body)}</rdf:RDF>\n'


def _is_ncname(name: str) -> bool:
    return bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        ch.isalnum() or ch in "_-." for ch in name
    )


def _split_xml_name(iri: str) -> tuple[str, str]:
    """Split a property IRI into a namespace and an XML local name (RDF/XML needs one)."""
    index = len(iri)
    while index > 0 and (iri[index - 1].isalnum() or iri[index - 1] in "_-."):
        index -= 1
    while index < len(iri) and not (iri[index].isalpha() or iri[index] == "_"):
        index += 1
    if index >= len(iri) or index == 0:
        raise ExportError(
            f"the property <{iri}> cannot be written in RDF/XML (its IRI does not end "
            "in an XML name); export another format"
        )
    return iri[:index], iri[index:]


def _check_xml_text(text: str) -> None:
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or code in (0xFFFE, 0xFFFF):
            raise ExportError(
                f"a literal holds the character U+{code:04X}, which XML 1.0 cannot carry; "
                "export another format"
            )


# ---------------------------------------------------------------------------
# The verb


def export(
    output: PathLike | None = None,
    fmt: RdfFormat | None = None,
    graphs: Sequence[str] = DEFAULT_GRAPHS,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
    stream: BinaryIO | None = None,
) -> ExportResult:
    """Export the named graphs ``graphs`` of the knowledge graph to ``output``.

    ``output`` None or ``"-"`` writes to ``stream`` (default: standard
    output); a file is replaced atomically, never left half-written.
    ``fmt`` None: the format of ``output``'s extension, else Turtle. ``data``:
    files or folders of data instead of the bundled data; ``inferred``: the
    file of inferences (for ``GRAPH_INFERRED``).
    """
    from collabkg.files import atomic_write

    to_stdout = output is None or str(output) == "-"
    if fmt is None:
        fmt = format_for(None, None if to_stdout else output)
    quads = read_quads(graphs, data, inferred)
    payload = serialize(quads, fmt)
    if fmt.is_dataset:
        count = len(set(quads))
    else:
        count = len({(q.subject, q.predicate, q.object) for q in quads})
    if to_stdout:
        target = stream if stream is not None else sys.stdout.buffer
        target.write(payload)
        target.flush()
        path = None
    else:
        path = Path(output)  # type: ignore[arg-type]
        atomic_write(path, payload)
    log.info("exported %d statements as %s", count, fmt.label)
    return ExportResult(fmt, tuple(graphs), count, path)
