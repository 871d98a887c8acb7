"""Every namespace, prefix and named-graph IRI of collabkg, defined once.

Plain strings, so that any module can use them without importing an RDF
library. ``PREFIXES`` is the one prefix map used for serialising Turtle,
for SPARQL prologues and for showing IRIs in reports.
"""

from __future__ import annotations

import re

# The project's own namespaces: terms (ontology, shapes) apart from data.
ONTOLOGY_IRI = "https://w3id.org/collabkg/ontology"
CKG = "https://w3id.org/collabkg/ontology#"
CKS = "https://w3id.org/collabkg/shapes#"
ID = "https://w3id.org/collabkg/id/"

# Data IRIs are https://w3id.org/collabkg/id/KIND/SLUG: prefix -> KIND.
DATA_KINDS = {
    "doc": "doc",  # the report, its sections, methodology, cited works and claims
    "case": "case",  # case studies
    "collab": "collaboration",  # the collaboration a case study describes
    "agent": "agent",  # organisations and groups of organisations
    "mem": "membership",  # an organisation's role in a collaboration
    "theme": "theme",  # the three themes
    "factor": "factor",  # the 29 factors of Table 2
    "dim": "dimension",  # dimensions of collaboration and their poles
    "example": "example",  # illustrative examples
    "quote": "quote",  # quotations of the report
    "fact": "fact",  # quantitative facts
    "assert": "assertion",  # assertion records: stated, derived or interpretive
}
DATA = {prefix: f"{ID}{kind}/" for prefix, kind in DATA_KINDS.items()}

# Named graphs of the store.
GRAPH = "https://w3id.org/collabkg/graph/"
GRAPH_ONTOLOGY = GRAPH + "ontology"
GRAPH_DATA = GRAPH + "data"
GRAPH_INFERRED = GRAPH + "inferred"
GRAPH_ORDER = (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED)
"""The graph's parts, in the order they are read and written."""
GRAPH_LOAD_TARGET = GRAPH + "kg"  # where `collabkg load` puts the graph unless told otherwise
GRAPH_STAGING = GRAPH + "staging/"  # + a random id: a load's staging graph, dropped after the load

# Reused vocabularies.
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
QUDT_UNIT = "http://qudt.org/vocab/unit/"

RDF_TYPE = RDF + "type"
RDF_FIRST = RDF + "first"
RDF_REST = RDF + "rest"
RDF_NIL = RDF + "nil"
RDF_LANGSTRING = RDF + "langString"
RDFS_LABEL = RDFS + "label"
RDFS_SUBCLASSOF = RDFS + "subClassOf"
SKOS_PREFLABEL = SKOS + "prefLabel"
XSD_STRING = XSD + "string"

# Prefix -> namespace, in the order they are declared in output.
PREFIXES: dict[str, str] = {
    "ckg": CKG,
    "cks": CKS,
    **DATA,
    "dcterms": DCTERMS,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "qudt-unit": QUDT_UNIT,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "skos": SKOS,
    "xsd": XSD,
}


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """PREFIX lines for a SPARQL query, one per prefix."""
    items = (prefixes or PREFIXES).items()
    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in items)


_DECLARED = r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:"


def undeclared_prologue(text: str, prefixes: dict[str, str] | None = None) -> str:
    """One line of PREFIX declarations for the project's prefixes that ``text`` does not declare.

    What a query file or ``--sparql`` text gets in front, as the stores' web
    query pages do, so that ``ckg:CaseStudy`` works without a prologue. The
    declarations are on one line (ending in a newline): a line number in the
    text is one more in the declared text. Empty when the text declares them all.

    >>> undeclared_prologue("PREFIX ckg: <x:> SELECT * {}", {"ckg": "x:", "owl": "o:"})
    'PREFIX owl: <o:>\\n'
    """
    declared = {match.group(1) or "" for match in re.finditer(_DECLARED, text)}
    items = [(name, ns) for name, ns in (prefixes or PREFIXES).items() if name not in declared]
    if not items:
        return ""
    return " ".join(f"PREFIX {name}: <{ns}>" for name, ns in items) + "\n"


_SIMPLE_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")
"""Local names written without escapes: ASCII letters, digits, ``_ - .``; not
starting with ``-`` or ``.``, not ending with ``.``."""


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """The prefixed name of ``iri`` (``ckg:CaseStudy``), or None if none fits.

    The longest matching namespace wins; local names are kept to the plain
    ASCII subset of Turtle's PN_LOCAL so that the result is valid in both
    Turtle and SPARQL without escapes.

    >>> compact("https://w3id.org/collabkg/ontology#CaseStudy")
    'ckg:CaseStudy'
    >>> compact("https://w3id.org/collabkg/id/case/northumbria")
    'case:northumbria'
    >>> compact("https://example.org/x") is None
    True
    """
    best: tuple[int, str] | None = None
    for name, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and (best is None or len(ns) > best[0]):
            if _SIMPLE_LOCAL.fullmatch(iri, len(ns)):
                best = (len(ns), name)
    if best is None:
        return None
    return f"{best[1]}:{iri[best[0]:]}"


def show(iri: str) -> str:
    """An IRI as a reader should see it: prefixed if possible, else ``<iri>``."""
    return compact(iri) or f"<{iri}>"


_UNSAFE = r"[^A-Za-z0-9_-]+"


def slug_of(iri: str) -> str:
    """A name for a node that serves as an HTML id and as a file name.

    The local name of a ``ckg:`` term; the prefixed name of another IRI, with
    ``-`` for ``:``; the path of any other IRI under the project's ``id/``.
    Characters other than ASCII letters, digits, ``_`` and ``-`` become ``-``.
    An IRI that gives no such name of at most 80 characters gets its last
    segment and a hash of the IRI.

    >>> slug_of("https://w3id.org/collabkg/ontology#CaseStudy")
    'CaseStudy'
    >>> slug_of("https://w3id.org/collabkg/id/theme/motivations")
    'theme-motivations'
    >>> slug_of("https://w3id.org/collabkg/id/case/a b")
    'case-a-b'
    >>> slug_of("http://example.org/cases/A b")
    'A-b-564b26d0'
    """
    if iri.startswith(CKG):
        name = iri[len(CKG) :]
    else:
        name = compact(iri) or (iri[len(ID) :] if iri.startswith(ID) else "")
    text = re.sub(_UNSAFE, "-", name).strip("-")
    if text and len(text) <= 80:
        return text
    import hashlib

    tail = re.sub(_UNSAFE, "-", re.split(r"[#/]", iri.rstrip("/#"))[-1]).strip("-")[:40]
    return f"{tail or 'node'}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:8]}"
