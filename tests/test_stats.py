"""``collabkg stats``: exact counts, on the report and on the tiny graph; a light import path."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import pyoxigraph as ox
from conftest import CASE_ALPHA, CASE_BETA, COLLAB_ALPHA, Result, subprocess_env

from collabkg import bundle
from collabkg.readers import expand, iter_quads
from collabkg.stats import FactorCount, Stats, stats

# --------------------------------------------------------------------------
# The report (Table 1, Table 2, Figure 1 and the six illustrative examples)
# --------------------------------------------------------------------------

TABLE_2 = (
    FactorCount("Motivations", "challenge", 5),
    FactorCount("Motivations", "enabler", 4),
    FactorCount("Structures", "challenge", 5),
    FactorCount("Structures", "enabler", 5),
    FactorCount("Relationships", "challenge", 5),
    FactorCount("Relationships", "enabler", 5),
)


CKG = "https://w3id.org/collabkg/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _triples(paths: list[Path]) -> set[ox.Triple]:
    return {quad.triple for quad in iter_quads(paths)}


def counted_from_the_files() -> Stats:
    """The report's counts: the report's own numbers, and what the data files hold, counted here without SPARQL.

    Case studies and participants are Table 1's, factors Table 2's, dimensions and poles Figure 1's, the
    illustrative examples the six of the report; the rest are counted over the parsed files.
    """
    ontology = _triples([bundle.ontology_path()])
    data = _triples(expand([bundle.data_dir()]))
    subclass: dict[str, set[str]] = {}
    for t in ontology | data:
        if t.predicate.value == SUBCLASS and isinstance(t.object, ox.NamedNode):
            subclass.setdefault(t.subject.value, set()).add(t.object.value)

    def under(cls: str, top: str) -> bool:
        seen, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current == top:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(subclass.get(current, ()))
        return False

    types: dict[object, set[str]] = {}
    for t in data:
        if t.predicate.value == RDF_TYPE:
            types.setdefault(t.subject, set()).add(t.object.value)

    def instances(cls: str) -> set[object]:
        return {node for node, classes in types.items() if CKG + cls in classes}

    def of_kind(node_classes: set[str], top: str) -> bool:
        return any(under(c, top) for c in node_classes)

    groups = {n for n, cs in types.items() if of_kind(cs, CKG + "OrganisationGroup")}
    organisations = {
        n for n, cs in types.items()
        if of_kind(cs, ORG + "Organization") and n not in groups and not of_kind(cs, ORG + "OrganizationalCollaboration")
    }
    assertions = instances("Assertion")
    statuses: dict[str, int] = {}
    for t in data:
        if t.subject in assertions and t.predicate.value == CKG + "assertionStatus":
            name = t.object.value.removeprefix(CKG)
            statuses[name] = statuses.get(name, 0) + 1
    return Stats(
        case_studies=6,
        organisations=len(organisations),
        organisation_groups=len(groups),
        participants=37,  # Table 1, the blank cell recorded as derived
        participants_stated_total=37,  # "interviewed 37 participants"
        themes=3,
        factors=29,
        factors_by_theme=TABLE_2,
        dimensions=3,
        poles=6,
        examples=6,
        quotations=len(instances("Quotation")),
        quantitative_facts=len(instances("QuantitativeFact")),
        assertions=len(assertions),
        assertions_by_status=dict(sorted(statuses.items())),
        triples=len(ontology) + len(data),
        ontology_triples=len(ontology),
        data_triples=len(data),
    )


def as_json(counts: Stats) -> dict[str, object]:
    """What ``stats --format json`` says of ``counts``: every count by its name, and no value left out."""
    names = [
        "case_studies", "organisations", "organisation_groups", "participants", "participants_stated_total",
        "themes", "factors", "factors_by_theme", "dimensions", "poles", "examples", "quotations",
        "quantitative_facts", "assertions", "assertions_by_status", "triples", "ontology_triples", "data_triples",
    ]
    document: dict[str, object] = {name: getattr(counts, name) for name in names}
    document["factors_by_theme"] = [
        {"theme": f.theme, "polarity": f.polarity, "count": f.count} for f in counts.factors_by_theme
    ]
    document["skipped"] = []
    return document


@pytest.fixture(scope="module")
def report() -> Stats:
    expected = counted_from_the_files()
    # what the report itself says of them
    assert expected.quotations >= 6  # at least one per example
    assert expected.quantitative_facts >= 3  # gowns a day, six weeks against 18-24 months, 18 months
    assert expected.organisations >= 6  # at least each case's lead organisation
    assert expected.assertions_by_status.get("derived", 0) >= 1  # the blank cell of Table 1
    return expected


def test_report_counts(report: Stats) -> None:
    assert stats() == report


def test_report_stats_text(cli: Callable[..., Result], report: Stats) -> None:
    result = cli("stats")
    assert (result.exit_code, result.stderr) == (0, ""), result.output

    width = len(str(report.triples))

    def line(label: str, value: object) -> str:  # numbers right-aligned in one column, after the longest label
        return f"{label:<31}{value!s:>{width}}"

    assert result.stdout.splitlines() == [
        line("case studies", 6),
        line("organisations", report.organisations),
        line("organisation groups", report.organisation_groups),
        line("participants (sum over cases)", 37),
        line("participants (stated total)", 37),
        line("themes", 3),
        line("factors", 29),
        *(line(f"  {f.theme} / {f.polarity}", f.count) for f in TABLE_2),
        line("dimensions", 3),
        line("poles", 6),
        line("illustrative examples", 6),
        line("quotations", report.quotations),
        line("quantitative facts", report.quantitative_facts),
        line("assertions", report.assertions),
        *(line(f"  {status}", n) for status, n in report.assertions_by_status.items()),
        line("triples", report.triples),
        line("  ontology", report.ontology_triples),
        line("  data", report.data_triples),
    ]


def test_report_stats_json(cli: Callable[..., Result], report: Stats) -> None:
    result = cli("stats", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert json.loads(result.stdout) == as_json(report)


# --------------------------------------------------------------------------
# The tiny graph: every number known
# --------------------------------------------------------------------------


def test_tiny_counts(tiny: Path) -> None:
    s = stats([tiny])
    assert isinstance(s, Stats)
    ontology = s.ontology_triples
    assert s == Stats(
        case_studies=2,
        organisations=2,
        organisation_groups=1,
        participants=7,
        participants_stated_total=7,
        themes=2,
        factors=4,
        factors_by_theme=(
            FactorCount("Motivations", "challenge", 2),
            FactorCount("Motivations", "enabler", 1),
            FactorCount("Structures", "challenge", 1),
        ),
        dimensions=1,
        poles=2,
        examples=1,
        quotations=1,
        quantitative_facts=1,
        assertions=4,
        assertions_by_status={"derived": 1, "interpretive": 1, "stated": 2},
        triples=ontology + 69,
        ontology_triples=ontology,
        data_triples=69,
    )
    assert ontology > 500


def test_tiny_text(cli: Callable[..., Result], tiny: Path) -> None:
    result = cli("--data", str(tiny), "stats")
    assert (result.exit_code, result.stderr) == (0, "")
    ontology = len({q.triple for q in iter_quads([bundle.ontology_path()])})  # changes with it
    assert result.stdout.splitlines() == [
        "case studies                     2",
        "organisations                    2",
        "organisation groups              1",
        "participants (sum over cases)    7",
        "participants (stated total)      7",
        "themes                           2",
        "factors                          4",
        "  Motivations / challenge        2",
        "  Motivations / enabler          1",
        "  Structures / challenge         1",
        "dimensions                       1",
        "poles                            2",
        "illustrative examples            1",
        "quotations                       1",
        "quantitative facts               1",
        "assertions                       4",
        "  derived                        1",
        "  interpretive                   1",
        "  stated                         2",
        f"{'triples':<29}{ontology + 69:>5}",
        f"{'  ontology':<29}{ontology:>5}",
        f"{'  data':<29}{69:>5}",
    ]


def test_no_stated_total_is_shown_as_a_dash(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "one.ttl"
    path.write_text(
        "@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n"
        "<https://w3id.org/collabkg/id/case/one> a ckg:CaseStudy ; ckg:participantCount 2 .\n"
    )
    ontology = len(_triples([bundle.ontology_path()]))
    s = stats([path])
    assert s == Stats(
        case_studies=1, organisations=0, organisation_groups=0, participants=2, participants_stated_total=None,
        themes=0, factors=0, factors_by_theme=(), dimensions=0, poles=0, examples=0, quotations=0,
        quantitative_facts=0, assertions=0, assertions_by_status={}, triples=ontology + 2,
        ontology_triples=ontology, data_triples=2,
    )
    result = cli("--data", str(path), "stats", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    assert document["participants_stated_total"] is None
    assert document == as_json(s)
    text = cli("--data", str(path), "stats")
    assert (text.exit_code, text.stderr) == (0, "")
    zero = ["themes", "factors", "dimensions", "poles", "illustrative examples", "quotations", "quantitative facts",
            "assertions"]
    assert text.stdout.splitlines() == [
        "case studies                     1",
        "organisations                    0",
        "organisation groups              0",
        "participants (sum over cases)    2",
        "participants (stated total)      -",
        *(f"{label:<29}{0:>5}" for label in zero),
        f"{'triples':<29}{ontology + 2:>5}",
        f"{'  ontology':<29}{ontology:>5}",
        f"{'  data':<29}{2:>5}",
    ]


# --------------------------------------------------------------------------
# The query path stays light
# --------------------------------------------------------------------------


def test_stats_imports_neither_rdflib_nor_pyshacl_nor_owlready2(tiny: Path) -> None:
    script = (
        "import json, sys\n"
        "from collabkg.cli import main\n"
        "code = main(['--data', sys.argv[1], 'stats'])\n"
        "heavy = [m for m in ('rdflib', 'pyshacl', 'owlready2') if m in sys.modules]\n"
        "print(json.dumps({'code': code, 'heavy': heavy}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tiny)],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout.splitlines()[-1])
    assert outcome == {"code": 0, "heavy": []}


# --------------------------------------------------------------------------
# The store behind stats
# --------------------------------------------------------------------------


def test_store_answers_select_ask_and_construct(tiny: Path) -> None:
    from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores import Solutions, Term, open_store
    from collabkg.stores.oxigraph import OxigraphStore

    store = open_store("memory", KnowledgeGraph([tiny]))
    assert isinstance(store, OxigraphStore)
    assert len(store) == store.count(GRAPH_ONTOLOGY) + store.count(GRAPH_DATA)
    assert store.count(GRAPH_DATA) == 69

    result = store.query(
        "PREFIX ckg: <https://w3id.org/collabkg/ontology#>\n"
        "SELECT ?case ?n ?missing WHERE { ?case a ckg:CaseStudy ; ckg:participantCount ?n "
        "OPTIONAL { ?case ckg:nothing ?missing } } ORDER BY ?case"
    )
    assert isinstance(result, Solutions)
    assert result.variables == ("case", "n", "missing")
    assert [(r["case"].value, r["n"].to_python(), r["missing"]) for r in result] == [
        (CASE_ALPHA, 3, None),
        (CASE_BETA, 4, None),
    ]
    assert result.rows[0][1] == Term("literal", "3", "http://www.w3.org/2001/XMLSchema#integer")
    assert result.rows[0][1].n3() == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'

    # the default graph is the union: the ontology's subclass axioms are visible
    assert store.query(
        "PREFIX ckg: <https://w3id.org/collabkg/ontology#> "
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "ASK { ?c a ckg:Collaboration ; a/rdfs:subClassOf* org:Organization }"
    ) is True
    triples = store.query(f"CONSTRUCT WHERE {{ <{CASE_ALPHA}> ?p ?o }}")
    assert {(s.value, p.value, o.value) for s, p, o in triples} == {
        (CASE_ALPHA, RDF_TYPE, CKG + "CaseStudy"),
        (CASE_ALPHA, "http://www.w3.org/2000/01/rdf-schema#label", "Alpha"),
        (CASE_ALPHA, CKG + "participantCount", "3"),
        (CASE_ALPHA, CKG + "describesCollaboration", COLLAB_ALPHA),
    }


def test_store_reports_sparql_syntax_errors_with_line_and_column(tiny: Path) -> None:
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores import StoreError, open_store

    store = open_store(None, KnowledgeGraph([tiny]))
    with pytest.raises(StoreError) as refused:
        store.query("SELECT ?x WHERE {\n  ?x ?y }")
    assert str(refused.value) == "SPARQL syntax error at line 2, column 10: expected one of LATERAL, SERVICE, [_]"
