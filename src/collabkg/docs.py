"""HTML documentation of the ontology, the report's taxonomies and the query catalogue.

:func:`build_docs` writes a small static site, rendered with the Jinja2
templates in ``collabkg/templates``:

``index.html``
    The ontology's header (title, description, version, licence) and what
    the other pages hold.
``ontology.html``
    Every class and property of the ``ckg:`` namespace with its label,
    definition, the reason it is the project's own, and its axioms written in
    Manchester-like syntax (superclasses, definitions of inferred classes,
    domains, ranges, characteristics, inverses, property chains); then the
    ontology's value sets (polarities, sectors, roles, statuses, units) and
    the reused vocabulary.
``taxonomy.html``
    The factor taxonomy as a tree (theme, then challenges and enablers, then
    factors, with their definitions and the cases whose examples show them)
    and the dimensions of collaboration with their poles and the
    collaborations placed at each. These come from the data, so ``--data``
    applies.
``queries.html``
    Every canned query (``queries/*.rq``) with its summary, description,
    parameters and SPARQL, and every quality check (``queries/checks``).

Pages are deterministic: the same inputs give byte-identical files.

One module of more than the usual size because it is one thing: the pages and
the readers of the graph that fill them, used by this verb alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from collabkg import CollabkgError, PathLike, bundle, logs, namespaces
from collabkg.files import atomic_write
from collabkg.namespaces import CKG, ID, show, slug_of
from collabkg.outcome import PagesWritten

if TYPE_CHECKING:
    import rdflib
    from markupsafe import Markup

    from collabkg.graph import KnowledgeGraph

log = logs.get(__name__)

DEFAULT_OUTPUT = Path("dist/docs")
"""Where ``collabkg docs`` writes the pages unless told otherwise."""
PAGES = ("index.html", "ontology.html", "taxonomy.html", "queries.html")

_OWL = namespaces.OWL
_RDFS = namespaces.RDFS
_SKOS = namespaces.SKOS
_POLARITY_ORDER = (CKG + "challenge", CKG + "enabler")
_POLARITY_HEADINGS = {  # the report's headings
    CKG + "challenge": "Challenges for collaboration",
    CKG + "enabler": "Enablers of collaboration",
}
_CHARACTERISTICS = (
    "FunctionalProperty",
    "InverseFunctionalProperty",
    "SymmetricProperty",
    "AsymmetricProperty",
    "TransitiveProperty",
    "ReflexiveProperty",
    "IrreflexiveProperty",
)


class DocsError(CollabkgError):
    """The documentation cannot be written (an output folder that is a file, say)."""


# --------------------------------------------------------------------------
# What the pages show
# --------------------------------------------------------------------------


@dataclass
class TermDoc:
    """One class, property or individual of the ontology, ready to render."""

    iri: str
    curie: str
    anchor: str
    kind: str
    label: str
    definition: str = ""
    comment: str = ""
    axioms: list[tuple[str, Markup]] = field(default_factory=list)
    inferred: bool = False  # a defined class or a chained property: a reasoner fills it


@dataclass
class NodeDoc:
    """What every documented node of the data shows: where it is, its name, its definition."""

    iri: str
    anchor: str
    label: str
    definition: str


@dataclass
class FactorDoc(NodeDoc):
    cases: list[tuple[str, str]]  # (label, link) of the cases whose examples show it


@dataclass
class PolarityDoc:
    label: str
    factors: list[FactorDoc]


@dataclass
class ThemeDoc(NodeDoc):
    polarities: list[PolarityDoc]


@dataclass
class PoleDoc(NodeDoc):
    opposite: str
    collaborations: list[str]


@dataclass
class DimensionDoc(NodeDoc):
    poles: list[PoleDoc]


@dataclass
class QueryDoc:
    name: str
    anchor: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: list[dict[str, str]]
    sparql: str
    source: str


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def docs(output: PathLike = DEFAULT_OUTPUT, data: Sequence[PathLike] | None = None) -> PagesWritten:
    """``collabkg docs``: write the pages into the folder ``output`` (see :func:`build_docs`)."""
    from collabkg.graph import KnowledgeGraph

    graph = KnowledgeGraph(data)
    pages = tuple(build_docs(output, graph))
    return PagesWritten(Path(output), pages, tuple(graph.no_report_warning("docs")))


def build_docs(output: PathLike, data: Sequence[PathLike] | KnowledgeGraph | None = None) -> list[Path]:
    """Write the documentation pages into the folder ``output``; return their paths.

    ``data`` are the data files or folders for the taxonomy page (None: the
    bundled data), or a :class:`~collabkg.graph.KnowledgeGraph` of them.
    Each page is replaced atomically.
    """
    from collabkg.graph import KnowledgeGraph
    from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY

    from collabkg.files import check_output

    out = Path(output)
    if out.exists() and not out.is_dir():
        raise DocsError(f"{out}: not a folder; give a folder for the pages")
    check_output(out, folder=True)
    kg = data if isinstance(data, KnowledgeGraph) else KnowledgeGraph(data)
    ontology = kg.rdflib(GRAPH_ONTOLOGY)
    graph = kg.rdflib(GRAPH_ONTOLOGY, GRAPH_DATA)
    context = {
        "header": ontology_header(ontology),
        "classes": class_docs(ontology),
        "properties": property_docs(ontology),
        "individuals": individual_docs(ontology),
        "reused": reused_terms(ontology),
        "themes": theme_docs(graph),
        "dimensions": dimension_docs(graph),
        "queries": query_docs(),
        "checks": check_docs(),
    }
    env = bundle.html_templates()
    written = []
    for page in PAGES:
        html = env.get_template(page).render(page=page, **context)
        written.append(_write(out / page, html))
    return written


def _write(path: Path, text: str) -> Path:
    atomic_write(path, text.encode("utf-8"))
    return path


# --------------------------------------------------------------------------
# Reading the graph
# --------------------------------------------------------------------------


def _u(iri: str) -> rdflib.URIRef:
    from rdflib import URIRef

    return URIRef(iri)


def _text(graph: rdflib.Graph, node: rdflib.term.Node, *predicates: str) -> str:
    """The first value of the first predicate that has one, English preferred."""
    for predicate in predicates:
        values = list(graph.objects(node, _u(predicate)))
        if values:
            values.sort(key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))
            return " ".join(str(values[0]).split())
    return ""


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    return _text(graph, node, _SKOS + "prefLabel", _RDFS + "label") or show(str(node))


def link_of(iri: str) -> str:
    """Where a term is documented: a page of this site for the project's IRIs, else the IRI."""
    if iri.startswith(CKG):
        return f"ontology.html#{slug_of(iri)}"
    if iri.startswith(ID + "theme/") or iri.startswith(ID + "factor/"):
        return f"taxonomy.html#{slug_of(iri)}"
    if iri.startswith(ID + "dimension/"):
        return f"taxonomy.html#{slug_of(iri)}"
    return iri


def ontology_header(graph: rdflib.Graph) -> dict[str, str]:
    """Title, description, version, licence and creator of the ontology."""
    node = _u(namespaces.ONTOLOGY_IRI)
    return {
        "iri": namespaces.ONTOLOGY_IRI,
        "title": _text(graph, node, namespaces.DCTERMS + "title"),
        "description": _text(graph, node, namespaces.DCTERMS + "description"),
        "version": _text(graph, node, _OWL + "versionInfo"),
        "version_iri": _text(graph, node, _OWL + "versionIRI"),
        "license": _text(graph, node, namespaces.DCTERMS + "license"),
        "creator": _text(graph, node, namespaces.DCTERMS + "creator"),
        "comment": _text(graph, node, _RDFS + "comment"),
    }


def _own(graph: rdflib.Graph, kind: str) -> list:
    from rdflib import RDF, URIRef

    return sorted(
        (
            s
            for s in graph.subjects(RDF.type, _u(kind))
            if isinstance(s, URIRef) and s.startswith(CKG)
        ),
        key=lambda s: (_label(graph, s).lower(), str(s)),
    )


def _term(graph: rdflib.Graph, node: rdflib.term.Node, kind: str) -> TermDoc:
    iri = str(node)
    return TermDoc(
        iri=iri,
        curie=show(iri),
        anchor=slug_of(iri),
        kind=kind,
        label=_label(graph, node),
        definition=_text(graph, node, _SKOS + "definition"),
        comment=_text(graph, node, _RDFS + "comment"),
    )


def class_docs(graph: rdflib.Graph) -> list[TermDoc]:
    """The ontology's own classes with their axioms, by label."""
    from markupsafe import Markup

    result = []
    for node in _own(graph, _OWL + "Class"):
        doc = _term(graph, node, "class")
        supers = [o for o in graph.objects(node, _u(_RDFS + "subClassOf"))]
        subs = [s for s in graph.subjects(_u(_RDFS + "subClassOf"), node)]
        equivalents = list(graph.objects(node, _u(_OWL + "equivalentClass")))
        disjoint = list(graph.objects(node, _u(_OWL + "disjointWith")))
        disjoint += list(graph.subjects(_u(_OWL + "disjointWith"), node))
        if equivalents:
            doc.axioms.append(("Equivalent to", _join(render(graph, e) for e in equivalents)))
            doc.inferred = any(not _is_enumeration(graph, e) for e in equivalents)
        if supers:
            doc.axioms.append(("Subclass of", _join(render(graph, s) for s in supers)))
        if subs:
            doc.axioms.append(("Superclass of", _join(render(graph, s) for s in subs)))
        if disjoint:
            doc.axioms.append(("Disjoint with", _join(render(graph, d) for d in disjoint)))
        members = sorted(
            str(s)
            for s in graph.subjects(_u(namespaces.RDF_TYPE), node)
            if str(s).startswith(CKG)
        )
        if members:
            doc.axioms.append(("Members", _join(Markup(render(graph, _u(m))) for m in members)))
        result.append(doc)
    return result


def property_docs(graph: rdflib.Graph) -> list[TermDoc]:
    """The ontology's own object, datatype and annotation properties, by label."""
    from markupsafe import Markup

    from collabkg.namespaces import RDF_TYPE

    kinds = (
        (_OWL + "ObjectProperty", "object property"),
        (_OWL + "DatatypeProperty", "datatype property"),
        (_OWL + "AnnotationProperty", "annotation property"),
    )
    result = []
    for kind_iri, kind in kinds:
        for node in _own(graph, kind_iri):
            doc = _term(graph, node, kind)
            characteristics = [
                name.removesuffix("Property").lower()
                for name in _CHARACTERISTICS
                if (node, _u(RDF_TYPE), _u(_OWL + name)) in graph
            ]
            for predicate, title in (
                (_RDFS + "subPropertyOf", "Subproperty of"),
                (_OWL + "inverseOf", "Inverse of"),
                (_RDFS + "domain", "Domain"),
                (_RDFS + "range", "Range"),
            ):
                values = list(graph.objects(node, _u(predicate)))
                if predicate == _OWL + "inverseOf":
                    values += list(graph.subjects(_u(predicate), node))
                if values:
                    doc.axioms.append((title, _join(render(graph, v) for v in values)))
            chains = list(graph.objects(node, _u(_OWL + "propertyChainAxiom")))
            for chain in chains:
                steps = [render(graph, step) for step in _list(graph, chain)]
                doc.axioms.append(("Chain", Markup(" ∘ ").join(steps)))
            if chains:
                doc.inferred = True
            if characteristics:
                doc.axioms.append(("Characteristics", Markup(", ".join(characteristics))))
            result.append(doc)
    return result


def individual_docs(graph: rdflib.Graph) -> list[tuple[TermDoc, list[TermDoc]]]:
    """The ontology's concept schemes (value sets) with their members."""
    from rdflib import RDF

    result = []
    for scheme in _own(graph, _SKOS + "ConceptScheme"):
        doc = _term(graph, scheme, "concept scheme")
        members = [
            m for m in graph.subjects(_u(_SKOS + "inScheme"), scheme) if str(m).startswith(CKG)
        ]
        member_docs = []
        for member in sorted(members, key=lambda m: (_label(graph, m).lower(), str(m))):
            types = [t for t in graph.objects(member, RDF.type) if str(t).startswith(CKG)]
            term = _term(graph, member, "individual")
            if types:
                term.axioms.append(("Type", _join(render(graph, t) for t in types)))
            for match in graph.objects(member, _u(_SKOS + "exactMatch")):
                term.axioms.append(("Exact match", render(graph, match)))
            member_docs.append(term)
        result.append((doc, member_docs))
    return result


def reused_terms(graph: rdflib.Graph) -> list[tuple[str, list[tuple[str, str]]]]:
    """The reused vocabulary the ontology declares, by kind: (kind, [(curie, iri)])."""
    from rdflib import RDF, URIRef

    kinds = (
        (_OWL + "Class", "Classes"),
        (_OWL + "ObjectProperty", "Object properties"),
        (_OWL + "DatatypeProperty", "Datatype properties"),
        (_OWL + "AnnotationProperty", "Annotation properties"),
    )
    result = []
    for kind_iri, title in kinds:
        terms = sorted(
            (show(str(s)), str(s))
            for s in graph.subjects(RDF.type, _u(kind_iri))
            if isinstance(s, URIRef) and not s.startswith(CKG)
        )
        if terms:
            result.append((title, terms))
    return result


def theme_docs(graph: rdflib.Graph) -> list[ThemeDoc]:
    """The factor taxonomy: theme, then challenges and enablers, then factors."""
    from rdflib import RDF

    theme_class = _u(CKG + "Theme")
    themes = set(graph.subjects(RDF.type, theme_class))
    themes |= set(graph.objects(None, _u(CKG + "hasTheme")))

    def listed(term: rdflib.term.Node) -> tuple[int, str, str]:
        """The report's order (ckg:listPosition) first, then the label."""
        position = graph.value(term, _u(CKG + "listPosition"))
        order = int(str(position)) if position is not None else 1 << 30
        return (order, _label(graph, term).lower(), str(term))

    cases_of = _cases_by_factor(graph)
    result = []
    for theme in sorted(themes, key=listed):
        polarities = []
        for polarity in _POLARITY_ORDER:
            factors = [
                f
                for f in graph.subjects(_u(CKG + "hasTheme"), theme)
                if (f, RDF.type, _u(CKG + "Factor")) in graph
                and (f, _u(CKG + "hasPolarity"), _u(polarity)) in graph
            ]
            factor_docs = [
                FactorDoc(**_described(graph, f), cases=cases_of.get(str(f), []))
                for f in sorted(factors, key=listed)
            ]
            polarities.append(PolarityDoc(_POLARITY_HEADINGS[polarity], factor_docs))
        result.append(
            ThemeDoc(**_described(graph, theme), polarities=polarities)
        )
    return result


def _described(graph: rdflib.Graph, node: rdflib.term.Node) -> dict[str, str]:
    """The :class:`NodeDoc` fields of ``node``."""
    return {
        "iri": str(node),
        "anchor": slug_of(str(node)),
        "label": _label(graph, node),
        "definition": _text(graph, node, _SKOS + "definition"),
    }


def _cases_by_factor(graph: rdflib.Graph) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for example, factor in graph.subject_objects(_u(CKG + "exemplifies")):
        for case in graph.objects(example, _u(CKG + "ofCase")):
            found[str(factor)].add((_label(graph, case), str(case)))
    return {k: sorted(v) for k, v in found.items()}


def dimension_docs(graph: rdflib.Graph) -> list[DimensionDoc]:
    """The dimensions of collaboration, each with its two poles."""
    from rdflib import RDF

    shown_by: dict[object, set[str]] = defaultdict(set)
    for collaboration, pole in graph.subject_objects(_u(CKG + "showsPole")):
        cases = list(graph.subjects(_u(CKG + "describesCollaboration"), collaboration))
        shown_by[pole].add(_label(graph, cases[0]) if cases else _label(graph, collaboration))
    result = []
    dimensions = sorted(
        graph.subjects(RDF.type, _u(CKG + "Dimension")),
        key=lambda d: (_label(graph, d).lower(), str(d)),
    )
    for dimension in dimensions:
        name = _label(graph, dimension).lower()

        def pole_key(pole: rdflib.term.Node, name: str = name) -> tuple[int, str, str]:
            # In the order the dimension's name gives them ("Formal to informal"), else by label.
            label = _label(graph, pole).lower()
            found = re.search(rf"\b{re.escape(label)}\b", name)
            return (found.start() if found else len(name), label, str(pole))

        poles = sorted(graph.subjects(_u(CKG + "poleOf"), dimension), key=pole_key)
        pole_docs = []
        for pole in poles:
            opposite = graph.value(pole, _u(CKG + "oppositePole"))
            if opposite is None:
                opposite = graph.value(None, _u(CKG + "oppositePole"), pole)
            pole_docs.append(
                PoleDoc(
                    **_described(graph, pole),
                    opposite=_label(graph, opposite) if opposite is not None else "",
                    collaborations=sorted(shown_by.get(pole, ())),
                )
            )
        result.append(
            DimensionDoc(**_described(graph, dimension), poles=pole_docs)
        )
    return result


def query_docs() -> list[QueryDoc]:
    """The canned queries of the bundled catalogue, by name."""
    from collabkg.catalogue import catalogue

    return [_query_doc(q.name, q, f"queries/{q.path.name}") for q in catalogue().values()]


def check_docs() -> list[QueryDoc]:
    """The bundled quality checks, by name."""
    from collabkg.catalogue import checks

    return [
        _query_doc(c.name, c.query, f"queries/checks/{c.path.name}", anchor=f"check-{c.name}")
        for c in checks()
    ]


def _query_doc(name: str, query: object, source: str, anchor: str | None = None) -> QueryDoc:
    from collabkg.catalogue import CannedQuery

    assert isinstance(query, CannedQuery)
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#+")).strip()
    parameters = [
        {
            "name": p.name,
            "variable": "?" + p.variable,
            "type": p.type.name,
            "required": "required" if p.required else "optional",
            "default": p.default or "",
        }
        for p in query.parameters
    ]
    return QueryDoc(
        name=name,
        anchor=anchor or f"query-{name}",
        summary=query.summary,
        description=query.description,
        tags=query.tags,
        parameters=parameters,
        sparql=body,
        source=source,
    )


# --------------------------------------------------------------------------
# Class expressions in Manchester-like syntax
# --------------------------------------------------------------------------


def _list(graph: rdflib.Graph, node: rdflib.term.Node) -> list[rdflib.term.Node]:
    from rdflib.collection import Collection

    return list(Collection(graph, node))


def _is_enumeration(graph: rdflib.Graph, node: rdflib.term.Node) -> bool:
    return graph.value(node, _u(_OWL + "oneOf")) is not None


def _join(items: Iterable[Markup], sep: str = ", ") -> Markup:
    from markupsafe import Markup

    return Markup(sep).join(items)


def render(graph: rdflib.Graph, node: rdflib.term.Node) -> Markup:
    """A class expression or term as HTML: links for named terms, keywords in bold.

    Named terms link to their documentation (``ckg:`` terms on this site,
    reused terms to their IRI); intersections, unions, enumerations and
    ``value``/``some``/``only``/cardinality restrictions are written as in
    Manchester syntax.
    """
    from markupsafe import Markup, escape
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        iri = str(node)
        return Markup('<a href="{}" title="{}">{}</a>').format(link_of(iri), iri, show(iri))
    if isinstance(node, Literal):
        return Markup("<code>{}</code>").format(node.n3())
    if not isinstance(node, BNode):
        return escape(str(node))

    def kw(word: str) -> Markup:
        return Markup('<span class="kw">{}</span>').format(word)

    def group(parts: list[Markup], word: str) -> Markup:
        # A union of more than two operands gets one operand per line.
        sep = f"<br> {kw(word)} " if word == "or" and len(parts) > 2 else f" {kw(word)} "
        return Markup("(") + Markup(sep).join(parts) + Markup(")")

    members = graph.value(node, _u(_OWL + "intersectionOf"))
    if members is not None:
        return group([render(graph, m) for m in _list(graph, members)], "and")
    members = graph.value(node, _u(_OWL + "unionOf"))
    if members is not None:
        return group([render(graph, m) for m in _list(graph, members)], "or")
    members = graph.value(node, _u(_OWL + "oneOf"))
    if members is not None:
        return Markup("{") + _join(render(graph, m) for m in _list(graph, members)) + Markup("}")
    complement = graph.value(node, _u(_OWL + "complementOf"))
    if complement is not None:
        return kw("not") + Markup(" ") + render(graph, complement)
    inverse = graph.value(node, _u(_OWL + "inverseOf"))
    if inverse is not None:
        return kw("inverse") + Markup(" ") + render(graph, inverse)
    prop = graph.value(node, _u(_OWL + "onProperty"))
    if prop is not None:
        head = render(graph, prop)
        for predicate, word in (
            ("hasValue", "value"),
            ("someValuesFrom", "some"),
            ("allValuesFrom", "only"),
        ):
            value = graph.value(node, _u(_OWL + predicate))
            if value is not None:
                return Markup("({} {} {})").format(head, kw(word), render(graph, value))
        for predicate, word in (
            ("cardinality", "exactly"),
            ("qualifiedCardinality", "exactly"),
            ("minCardinality", "min"),
            ("minQualifiedCardinality", "min"),
            ("maxCardinality", "max"),
            ("maxQualifiedCardinality", "max"),
        ):
            value = graph.value(node, _u(_OWL + predicate))
            if value is not None:
                on_class = graph.value(node, _u(_OWL + "onClass"))
                tail = Markup(" ") + render(graph, on_class) if on_class is not None else Markup("")
                return Markup("({} {} {}{})").format(head, kw(word), str(value), tail)
    return escape("[anonymous expression]")
