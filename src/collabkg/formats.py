"""RDF formats: one enum for reading and writing, and one table of writers.

:class:`RdfFormat` names each format with its ``--format`` name, its file
extensions and its media type; :mod:`collabkg.readers` parses by it and
:func:`serialize` writes by it, looking the writer up in :data:`WRITERS`.
A new format is a new member of the enum and a new entry in the table,
both here.

Every writer is deterministic: the same quads give the same bytes on every
run. Prefixes come from :data:`collabkg.namespaces.PREFIXES`; statements
are sorted; blank nodes are labelled by RDF canonicalisation (RDFC-1.0)
over the whole dataset, never with a parser's random labels. The dataset
formats (TriG, N-Quads) keep the named graphs, in the order of
:data:`~collabkg.namespaces.GRAPH_ORDER`; the triple formats merge them.
Turtle is :mod:`collabkg.turtle`'s writer.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from collabkg import CollabkgError, PathLike
from collabkg.namespaces import GRAPH_ORDER, PREFIXES, RDF, RDF_TYPE, XSD_STRING, compact

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Writer = Callable[[Iterable[ox.Quad]], bytes]


class FormatError(CollabkgError):
    """Output that cannot be made: an unknown format, a graph a format cannot carry."""


class RdfFormat(enum.Enum):
    """The RDF formats collabkg reads, each with its file extensions."""

    TURTLE = ("Turtle", "ttl", (".ttl",), "text/turtle")
    N_TRIPLES = ("N-Triples", "nt", (".nt",), "application/n-triples")
    N_QUADS = ("N-Quads", "nq", (".nq",), "application/n-quads")
    TRIG = ("TriG", "trig", (".trig",), "application/trig")
    JSON_LD = ("JSON-LD", "jsonld", (".jsonld",), "application/ld+json")
    RDF_XML = ("RDF/XML", "xml", (".rdf", ".owl", ".xml"), "application/rdf+xml")

    def __init__(self, label: str, short: str, extensions: tuple[str, ...], media_type: str) -> None:
        self.label = label
        self.short = short
        """The ``--format`` name: the usual file extension."""
        self.extensions = extensions
        self.media_type = media_type

    @classmethod
    def from_extension(cls, extension: str) -> RdfFormat | None:
        """The format of a file extension (``"ttl"`` or ``".ttl"``), or None.

        >>> RdfFormat.from_extension(".owl")
        <RdfFormat.RDF_XML: ...>
        >>> RdfFormat.from_extension("txt") is None
        True
        """
        ext = extension.lower()
        if not ext.startswith("."):
            ext = "." + ext
        for fmt in cls:
            if ext in fmt.extensions:
                return fmt
        return None

    @classmethod
    def from_name(cls, name: str) -> RdfFormat | None:
        """The format of a ``--format`` name (``"ttl"``, ``"jsonld"``), or None.

        >>> RdfFormat.from_name("nq").label
        'N-Quads'
        """
        wanted = name.lower().lstrip(".")
        return next((fmt for fmt in cls if fmt.short == wanted), None)

    @classmethod
    def names(cls) -> list[str]:
        """The ``--format`` names, in the enum's order."""
        return [fmt.short for fmt in cls]

    @classmethod
    def from_path(cls, path: PathLike) -> RdfFormat | None:
        """The format of a file, from its extension, or None."""
        return cls.from_extension(Path(path).suffix)

    @property
    def oxigraph(self) -> ox.RdfFormat:
        """The matching ``pyoxigraph.RdfFormat``."""
        return getattr(ox.RdfFormat, self.name)

    @property
    def is_dataset(self) -> bool:
        """Whether the format holds named graphs (N-Quads, TriG), not only triples.

        >>> RdfFormat.TRIG.is_dataset, RdfFormat.TURTLE.is_dataset
        (True, False)
        """
        return self.oxigraph.supports_datasets




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
        named = RdfFormat.from_name(name)
        if named is None:
            raise FormatError(f"unknown format {name!r}: use one of {', '.join(RdfFormat.names())}")
        return named
    if output is None or str(output) == "-":
        return RdfFormat.TURTLE
    fmt = RdfFormat.from_path(output)
    if fmt is None:
        raise FormatError(
            f"{output}: cannot tell the format from the extension "
            f"{Path(output).suffix or '(none)'!r}; add --format {'|'.join(RdfFormat.names())}"
        )
    return fmt


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The distinct ``quads`` with RDFC-1.0 blank-node labels, sorted by their N-Quads line.

    The whole dataset is labelled at once, so a blank node keeps one label
    in every graph it appears in.
    """
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def serialize(quads: Iterable[ox.Quad], fmt: RdfFormat) -> bytes:
    """``quads`` as bytes of ``fmt``, deterministically, by the writer :data:`WRITERS` holds for it.

    Triple formats merge the graphs; dataset formats keep them, in the
    order ontology, data, inferred, then any other graph by IRI.

    >>> t = ox.Quad(ox.NamedNode("https://w3id.org/collabkg/id/case/x"),
    ...             ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("X"))
    >>> print(serialize([t], RdfFormat.N_TRIPLES).decode(), end="")
    <https://w3id.org/collabkg/id/case/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .
    """
    return WRITERS[fmt](quads)


def _turtle(quads: Iterable[ox.Quad]) -> bytes:
    from collabkg.turtle import serialize_turtle  # merges, orders and labels itself

    return serialize_turtle(quads)


def _n_quads(quads: Iterable[ox.Quad]) -> str:
    groups = _by_graph(canonical(quads)).values()
    return "".join(f"{quad} .\n" for group in groups for quad in group)


def _n_triples(quads: Iterable[ox.Quad]) -> str:
    return "".join(f"{triple} .\n" for triple in _triples(canonical(quads)))


def _triples(quads: Sequence[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads``, sorted by their N-Triples line."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def _terms(triple: ox.Triple, fmt: str) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]:
    """The subject, predicate and object of ``triple``; a :class:`FormatError`
    for a triple term (RDF 1.2), which ``fmt`` cannot carry."""
    subject, obj = triple.subject, triple.object
    if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
        raise FormatError(f"{fmt} cannot carry the RDF triple term in {triple}; export another format")
    return subject, triple.predicate, obj


def _graph_key(name: str) -> tuple[int, str]:
    return (GRAPH_ORDER.index(name) if name in GRAPH_ORDER else len(GRAPH_ORDER), name)


def _by_graph(quads: Sequence[ox.Quad]) -> dict[str, list[ox.Quad]]:
    groups: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        groups.setdefault(name, []).append(quad)
    return {name: groups[name] for name in sorted(groups, key=_graph_key)}


def _trig(quads: Iterable[ox.Quad]) -> str:
    """TriG: one block per named graph, each the deterministic Turtle of its triples.

    Turtle nests blank nodes (``[ ]``) and gives the rest per-graph labels, but
    TriG's labels are shared by the whole document; so a graph whose Turtle
    would need a label, or one sharing a blank node with another graph, is
    written as plain statements with the dataset's canonical labels.
    """
    from collabkg.turtle import turtle_parts

    groups = _by_graph(canonical(quads))
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


def _jsonld(quads: Iterable[ox.Quad]) -> str:
    """Compact JSON-LD: a context of the prefixes used, and one flat node object per subject.

    Properties and ``@type`` are compacted with the context; values that
    occur once are written bare, several values as a sorted array; plain
    strings as JSON strings. RDF lists stay ``rdf:first``/``rdf:rest`` nodes.
    """
    import json

    triples = _triples(canonical(quads))
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

    nodes: dict[ox.NamedNode | ox.BlankNode, dict[str, list[object]]] = {}
    for triple in triples:
        s, p, o = _terms(triple, "JSON-LD")
        node = nodes.setdefault(s, {})
        if p.value == RDF_TYPE and not isinstance(o, ox.Literal):
            node.setdefault("@type", []).append(node_id(o))
        else:
            node.setdefault(name(p.value), []).append(value(o))

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


def _rdfxml(quads: Iterable[ox.Quad]) -> str:
    """RDF/XML: one ``rdf:Description`` per subject, subjects and properties sorted.

    Plain striped RDF/XML with ``rdf:nodeID`` for blank nodes: the form that
    every RDF/XML reader (Protégé's OWL API, owlready2, Jena, rdflib) reads.
    """
    from xml.sax.saxutils import escape, quoteattr

    triples = _triples(canonical(quads))
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

    by_subject: dict[ox.NamedNode | ox.BlankNode, list[tuple[ox.NamedNode, Term]]] = {}
    for triple in triples:
        s, p, o = _terms(triple, "RDF/XML")
        by_subject.setdefault(s, []).append((p, o))
    body: list[str] = []
    for subject in sorted(by_subject, key=lambda s: (isinstance(s, ox.BlankNode), s.value)):
        body.append(f"  <rdf:Description {node_attr(subject)}>\n")
        statements = sorted(
            by_subject[subject], key=lambda po: (po[0].value != RDF_TYPE, po[0].value, str(po[1]))
        )
        for prop, obj in statements:
            tag = qname(prop.value)
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
        raise FormatError(
            f"the property <{iri}> cannot be written in RDF/XML (its IRI does not end "
            "in an XML name); export another format"
        )
    return iri[:index], iri[index:]


def _check_xml_text(text: str) -> None:
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or code in (0xFFFE, 0xFFFF):
            raise FormatError(
                f"a literal holds the character U+{code:04X}, which XML 1.0 cannot carry; "
                "export another format"
            )




def _utf8(write: Callable[[Iterable[ox.Quad]], str]) -> Writer:
    return lambda quads: write(quads).encode("utf-8")


WRITERS: dict[RdfFormat, Writer] = {
    RdfFormat.TURTLE: _turtle,
    RdfFormat.N_TRIPLES: _utf8(_n_triples),
    RdfFormat.N_QUADS: _utf8(_n_quads),
    RdfFormat.TRIG: _utf8(_trig),
    RdfFormat.JSON_LD: _utf8(_jsonld),
    RdfFormat.RDF_XML: _utf8(_rdfxml),
}
"""The writer of each format: quads in, deterministic bytes out."""
