"""``collabkg stats``: what the graph holds, counted by SPARQL.

Every number comes from a query on a :class:`collabkg.stores.Store` (by default
the embedded Oxigraph store), so this path imports neither rdflib nor pySHACL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

from collabkg import PathLike
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY, sparql_prologue
from collabkg.outcome import Outcome
from collabkg.stores import Solutions, Store, StoreError, Term, open_store

FORMATS = ("text", "json")
"""The formats a :class:`Stats` renders in."""

_PROLOGUE = sparql_prologue()

# One query per number or table; each counts distinct nodes.
_COUNT_BY_CLASS = {
    "case_studies": "ckg:CaseStudy",
    "themes": "ckg:Theme",
    "factors": "ckg:Factor",
    "dimensions": "ckg:Dimension",
    "poles": "ckg:Pole",
    "examples": "ckg:IllustrativeExample",
    "quotations": "ckg:Quotation",
    "quantitative_facts": "ckg:QuantitativeFact",
    "assertions": "ckg:Assertion",
}

# Organisations: instances of org:Organization or any subclass of it, except
# collaborations (org:OrganizationalCollaboration) and unnamed groups.
_ORGANISATIONS = """
SELECT (COUNT(DISTINCT ?o) AS ?n) (COUNT(DISTINCT ?g) AS ?groups) WHERE {
  { ?o a ?class . ?class rdfs:subClassOf* org:Organization .
    FILTER NOT EXISTS { ?o a ?c . ?c rdfs:subClassOf* org:OrganizationalCollaboration }
    FILTER NOT EXISTS { ?o a ?c . ?c rdfs:subClassOf* ckg:OrganisationGroup } }
  UNION
  { ?g a ?class . ?class rdfs:subClassOf* ckg:OrganisationGroup }
}
"""

# Sums over the values that are numbers; a value that is not (an ill-typed
# "seven"^^xsd:integer, a string) would make SUM an error, that is 0 rows'
# worth of nothing: it is skipped, and named (_NOT_NUMBERS).
_PARTICIPANTS = """
SELECT (SUM(?n) AS ?total) (COUNT(?case) AS ?cases) WHERE {
  ?case a ckg:CaseStudy ; ckg:participantCount ?n . FILTER(isNumeric(?n))
}
"""

_STATED_PARTICIPANTS = """
SELECT (SUM(?n) AS ?total) (COUNT(?m) AS ?methodologies) WHERE {
  ?m a ckg:Methodology ; ckg:participantCount ?n . FILTER(isNumeric(?n))
}
"""

_NOT_NUMBERS = """
SELECT DISTINCT ?x ?n WHERE {
  { ?x a ckg:CaseStudy } UNION { ?x a ckg:Methodology }
  ?x ckg:participantCount ?n . FILTER(!isNumeric(?n))
}
ORDER BY STR(?x) STR(?n)
"""

_FACTORS_BY_THEME = """
SELECT ?theme (SAMPLE(?themeLabel) AS ?themeName) (MIN(?order) AS ?themeOrder)
       (MIN(?section) AS ?themeSection)
       ?polarity (SAMPLE(?polarityLabel) AS ?polarityName)
       (COUNT(DISTINCT ?factor) AS ?n)
WHERE {
  ?factor a ckg:Factor ; ckg:hasTheme ?theme ; ckg:hasPolarity ?polarity .
  OPTIONAL { ?factor ckg:explainedBy/ckg:inSection/ckg:sectionNumber ?section }
  OPTIONAL { ?theme skos:notation ?notation }
  OPTIONAL { ?theme rdfs:label ?tl FILTER(LANG(?tl) IN ("", "en")) }
  OPTIONAL { ?theme skos:prefLabel ?tp FILTER(LANG(?tp) IN ("", "en")) }
  OPTIONAL { ?polarity rdfs:label ?pl FILTER(LANG(?pl) IN ("", "en")) }
  BIND(STR(COALESCE(?tl, ?tp, STRAFTER(STR(?theme), "/theme/"), STR(?theme))) AS ?themeLabel)
  BIND(STR(COALESCE(?pl, ?polarity)) AS ?polarityLabel)
  BIND(COALESCE(STR(?notation), ?themeLabel) AS ?order)
}
GROUP BY ?theme ?polarity
"""

_ASSERTIONS_BY_STATUS = """
SELECT ?status (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a a ckg:Assertion .
  OPTIONAL { ?a ckg:assertionStatus ?s }
  BIND(COALESCE(STRAFTER(STR(?s), STR(ckg:)), STR(?s), "(none)") AS ?status)
}
GROUP BY ?status ORDER BY ?status
"""

_GRAPH_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }"


@dataclass(frozen=True)
class FactorCount:
    """The number of factors of one theme and polarity."""

    theme: str
    polarity: str
    count: int


@dataclass(frozen=True)
class Stats(Outcome):
    """Counts of what the graph holds."""

    FORMATS = FORMATS

    case_studies: int
    organisations: int
    organisation_groups: int
    participants: int
    """Sum of the case studies' participant counts (Table 1's rows)."""
    participants_stated_total: int | None
    """The total the methodology states, or None if no methodology states one."""
    themes: int
    factors: int
    factors_by_theme: tuple[FactorCount, ...]
    dimensions: int
    poles: int
    examples: int
    quotations: int
    quantitative_facts: int
    assertions: int
    assertions_by_status: dict[str, int]
    triples: int
    ontology_triples: int
    data_triples: int
    skipped: tuple[str, ...] = ()
    """The participant counts left out of the sums, as ``NODE VALUE``: values that are not numbers."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """Lines for standard error about the data (say, that it holds no case study)."""

    def to_dict(self) -> dict[str, object]:
        document = asdict(self)
        del document["warnings"]
        document["skipped"] = list(self.skipped)
        return document

    def messages(self) -> list[str]:
        lines = list(self.warnings)
        if self.skipped:
            lines.append(
                f"collabkg: stats: warning: {len(self.skipped)} participant count(s) are not numbers "
                "and were left out of the sums:"
            )
            lines.extend(f"  {value}" for value in self.skipped)
        return lines

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """Aligned ``label  number`` lines, with indented breakdowns."""
        stated = self.participants_stated_total
        rows: list[tuple[str, object]] = [
            ("case studies", self.case_studies),
            ("organisations", self.organisations),
            ("organisation groups", self.organisation_groups),
            ("participants (sum over cases)", self.participants),
            *([("  not numbers, left out", len(self.skipped))] if self.skipped else []),
            ("participants (stated total)", "-" if stated is None else stated),
            ("themes", self.themes),
            ("factors", self.factors),
        ]
        rows += [(f"  {f.theme} / {f.polarity}", f.count) for f in self.factors_by_theme]
        rows += [
            ("dimensions", self.dimensions),
            ("poles", self.poles),
            ("illustrative examples", self.examples),
            ("quotations", self.quotations),
            ("quantitative facts", self.quantitative_facts),
            ("assertions", self.assertions),
        ]
        rows += [(f"  {status}", n) for status, n in self.assertions_by_status.items()]
        rows += [
            ("triples", self.triples),
            ("  ontology", self.ontology_triples),
            ("  data", self.data_triples),
        ]
        width = max(len(label) for label, _ in rows)
        digits = max(len(str(value)) for _, value in rows)
        return "".join(f"{label:<{width}}  {value!s:>{digits}}\n" for label, value in rows)

    def render(self, fmt: str | None = None) -> str:
        return self.to_json() if self._format(fmt) == "json" else self.to_text()


def _select(store: Store, query: str) -> Solutions:
    result = store.query(_PROLOGUE + query)
    if not isinstance(result, Solutions):
        raise StoreError("expected SELECT results from the store")
    return result


def _number(store: Store, query: str, variable: str = "n") -> int | None:
    rows = list(_select(store, query))
    return _int(rows[0][variable]) if rows else None


def _count(store: Store, cls: str) -> int:
    return _number(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}") or 0


def _factors_by_theme(store: Store) -> tuple[FactorCount, ...]:
    """Factor counts, themes in the order the report explains them, challenges first.

    A theme's place is the first report section that explains one of its
    factors (``ckg:explainedBy/ckg:inSection/ckg:sectionNumber``); themes
    without sections follow, by ``skos:notation`` or else by label.
    """
    rows = list(_select(store, _FACTORS_BY_THEME))
    first_section: dict[str, float] = {}
    for row in rows:
        theme = str(row["theme"])
        section = _int(row["themeSection"])
        place = float("inf") if section is None else float(section)
        first_section[theme] = min(place, first_section.get(theme, float("inf")))
    keyed = []
    for row in rows:
        theme = str(row["theme"])
        name, polarity = str(row["themeName"]), str(row["polarityName"])
        key = (first_section[theme], str(row["themeOrder"]), name, polarity)
        keyed.append((key, FactorCount(name, polarity, _int(row["n"]) or 0)))
    return tuple(count for _, count in sorted(keyed, key=lambda item: item[0]))


def _int(term: Term | None) -> int | None:
    if term is None:
        return None
    try:
        return int(term.to_python())
    except (TypeError, ValueError):
        return None


def _assertions_by_status(store: Store) -> dict[str, int]:
    return {
        str(row["status"]): _int(row["n"]) or 0
        for row in _select(store, _ASSERTIONS_BY_STATUS)
    }


def _stated_participants(store: Store) -> int | None:
    rows = list(_select(store, _STATED_PARTICIPANTS))
    if not rows or not _int(rows[0]["methodologies"]):
        return None  # SUM over no methodology is 0, which no methodology states
    return _int(rows[0]["total"])


def _not_numbers(store: Store) -> tuple[str, ...]:
    """The participant counts that are not numbers, each as ``NODE VALUE`` (prefixed where possible)."""
    from collabkg.namespaces import show

    def shown(term: Term | None) -> str:
        if term is None:
            return "?"
        if term.kind == "iri":
            return show(term.value)
        text = term.n3()
        if term.kind == "literal" and term.datatype and not term.language:
            text = text.replace(f"<{term.datatype}>", show(term.datatype))
        return text

    return tuple(f"{shown(row['x'])} {shown(row['n'])}" for row in _select(store, _NOT_NUMBERS))


def compute(store: Store) -> Stats:
    """Count what ``store`` holds."""
    counts = {name: _count(store, cls) for name, cls in _COUNT_BY_CLASS.items()}
    organisations = list(_select(store, _ORGANISATIONS))[0]
    return Stats(
        case_studies=counts["case_studies"],
        organisations=_int(organisations["n"]) or 0,
        organisation_groups=_int(organisations["groups"]) or 0,
        participants=_number(store, _PARTICIPANTS, "total") or 0,
        participants_stated_total=_stated_participants(store),
        themes=counts["themes"],
        factors=counts["factors"],
        factors_by_theme=_factors_by_theme(store),
        dimensions=counts["dimensions"],
        poles=counts["poles"],
        examples=counts["examples"],
        quotations=counts["quotations"],
        quantitative_facts=counts["quantitative_facts"],
        assertions=counts["assertions"],
        assertions_by_status=_assertions_by_status(store),
        triples=len(store),
        ontology_triples=_number(store, _GRAPH_TRIPLES % GRAPH_ONTOLOGY) or 0,
        data_triples=_number(store, _GRAPH_TRIPLES % GRAPH_DATA) or 0,
        skipped=_not_numbers(store),
    )


def stats(data: Sequence[PathLike] | None = None, store: Store | None = None) -> Stats:
    """Counts for ``store``, or for a new in-memory store of the ontology and ``data`` (default: the bundled data).

    >>> counts = stats()
    >>> counts.case_studies, counts.participants, counts.factors
    (6, 37, 29)
    """
    if store is None:
        from collabkg.graph import KnowledgeGraph, no_report_warning

        store = open_store(None, KnowledgeGraph(data))
        counts = compute(store)
        if data and not counts.case_studies and not _count(store, "ckg:Report"):
            return replace(counts, warnings=(no_report_warning("stats", data),))
        return counts
    return compute(store)


__all__ = ["FORMATS", "FactorCount", "Stats", "compute", "stats"]
