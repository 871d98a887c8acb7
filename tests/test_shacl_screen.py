"""The SHACL screen (``collabkg.shacl_screen``): validate gives exactly pySHACL's results, faster.

The reference is pySHACL alone on rdflib graphs of the same data. A small
generated corpus gets violations injected of every kind the shapes check
(cardinalities, datatypes, ill-typed literals, classes, value lists,
patterns, lengths, node kinds, value ranges, property pairs, sh:or and
sh:xone, a blank-node focus, subjects-of and objects-of targets); validate must report the very same
violations, whether it starts from files, quads or rdflib graphs.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import corpus_generator

from collabkg import bundle
from collabkg.shacl_screen import Graph, screen
from collabkg.readers import iter_quads, rdflib_graph
from collabkg.shacl import Violation, _conforming_report, _pyshacl, validate_graphs, validate_quads
from collabkg.validate import validate

INJECTED = """
@prefix ckg: <https://w3id.org/collabkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix case: <https://w3id.org/collabkg/id/case/> .
@prefix collab: <https://w3id.org/collabkg/id/collaboration/> .
@prefix agent: <https://w3id.org/collabkg/id/agent/> .
@prefix mem: <https://w3id.org/collabkg/id/membership/> .
@prefix doc: <https://w3id.org/collabkg/id/doc/> .
@prefix quote: <https://w3id.org/collabkg/id/quote/> .
@prefix example: <https://w3id.org/collabkg/id/example/> .
@prefix fact: <https://w3id.org/collabkg/id/fact/> .
@prefix factor: <https://w3id.org/collabkg/id/factor/> .
@prefix assert: <https://w3id.org/collabkg/id/assertion/> .

case:synthetic-00001 ckg:participantCount "abc"^^xsd:integer , -1 , "5"^^xsd:decimal ; rdfs:label "second label" .
case:synthetic-00002 ckg:describesCollaboration quote:synthetic-00002-bullet .
case:synthetic-00003 rdfs:label "x"@en .
mem:injected a org:Membership ; org:member agent:nothing ; org:role ckg:stated ;
    org:organization collab:synthetic-00001 , collab:synthetic-00002 .
doc:synthetic-report-0001 dcterms:issued "20x1" .
assert:injected a ckg:Assertion ; rdfs:label "" ; ckg:assertedSubject "lit" ; ckg:assertedProperty ckg:nope ;
    ckg:assertedObject ckg:x ; ckg:assertedValue 3 ; ckg:assertionStatus ckg:derived ;
    prov:wasDerivedFrom case:synthetic-00001 .
fact:injected-range a ckg:QuantitativeFact ; rdfs:label "f" ; ckg:measure "m" ; ckg:value 1.0 ; ckg:minValue 5.0 ;
    ckg:maxValue 2.0 ; ckg:unit ckg:week ; ckg:aboutCase case:synthetic-00001 ; ckg:assertionStatus ckg:interpretive ;
    prov:wasDerivedFrom quote:synthetic-00001-bullet .
fact:injected-ill-typed a ckg:QuantitativeFact ; rdfs:label "f" ; ckg:measure "m" ; ckg:value "x"^^xsd:decimal ;
    ckg:unit ckg:week ; ckg:aboutCase case:synthetic-00001 ; ckg:assertionStatus ckg:stated ;
    prov:wasDerivedFrom quote:synthetic-00001-bullet .
doc:synthetic-report-0001-methodology ckg:fieldworkStart "2030-01-01T00:00:00Z"^^xsd:dateTime ;
    ckg:caseCount "7"^^xsd:nonNegativeInteger .
[] a ckg:Assertion ; rdfs:label "blank" .
agent:injected-group a ckg:OrganisationGroup ; rdfs:label "g" ; org:classification ckg:publicSector , doc:x ;
    prov:wasDerivedFrom quote:synthetic-00001-bullet ; skos:notation 5 .
example:synthetic-00002-1 ckg:hasPolarity ckg:stated .
collab:synthetic-00003 ckg:showsPole factor:competing-priorities .
quote:synthetic-00003-bullet-selector oa:exact "a" , "b" .
agent:injected-case a ckg:CaseStudy ; rdfs:label 12 .
factor:competing-priorities ckg:addresses factor:clear-shared-purpose , collab:synthetic-00003 .
"""




@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus with violations injected, and with required triples taken out."""
    folder = tmp_path_factory.mktemp("screen")
    clean = folder / "clean.nt"
    corpus_generator().main(["--triples", "6000", "--seed", "11", "-o", str(clean)])
    kept = []
    for line in clean.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("<https://w3id.org/collabkg/id/case/synthetic-00001> <http://www.w3.org/2000/01/rdf-schema#label>"):
            continue  # a case without its label (and with a second one, below)
        if line.startswith("<https://w3id.org/collabkg/id/quote/synthetic-00002-table1> <http://www.w3.org/1999/02/22"):
            continue  # an untyped quotation: sh:class fails wherever it is cited
        kept.append(line)
    (folder / "data").mkdir()
    (folder / "data" / "corpus.nt").write_text("".join(kept), encoding="utf-8")
    (folder / "data" / "injected.ttl").write_text(INJECTED, encoding="utf-8")
    return folder / "data"


def _key(v: Violation) -> str:
    """A violation with blank-node labels blanked (each parse names blank nodes afresh), as text to sort."""
    def blank(text: str | None) -> str | None:
        return "_:" if text is not None and text.startswith("_:") else text

    return repr((blank(v.focus), v.focus_label, v.path, blank(v.value), v.message, v.shape, v.component, v.severity))


def _reference(paths: list[Path], shapes: Path | None = None) -> list[str]:
    report = _pyshacl(
        rdflib_graph(paths), rdflib_graph([bundle.ontology_path()]), rdflib_graph([shapes or bundle.shapes_path()])
    )
    return sorted(map(_key, report.violations))


def test_injected_violations_are_exactly_pyshacls(broken: Path) -> None:
    expected = _reference([broken])
    components = {v.component.rsplit("#", 1)[-1] for v in _pyshacl(
        rdflib_graph([broken]), rdflib_graph([bundle.ontology_path()]), rdflib_graph([bundle.shapes_path()])
    ).violations}
    assert {
        "MinCountConstraintComponent", "MaxCountConstraintComponent", "DatatypeConstraintComponent",
        "ClassConstraintComponent", "InConstraintComponent", "PatternConstraintComponent",
        "MinLengthConstraintComponent", "NodeKindConstraintComponent", "MinInclusiveConstraintComponent",
        "LessThanConstraintComponent", "LessThanOrEqualsConstraintComponent", "OrConstraintComponent",
        "XoneConstraintComponent",
    } <= components  # the injected data does exercise every kind of check
    report = validate([broken])
    assert not report.conforms
    assert sorted(map(_key, report.violations)) == expected


def test_quads_and_graphs_give_the_same_report(broken: Path) -> None:
    data = list(iter_quads([broken]))
    ontology = list(iter_quads([bundle.ontology_path()]))
    expected = sorted(map(_key, validate([broken]).violations))
    assert sorted(map(_key, validate_quads(data, ontology).violations)) == expected
    from_graphs = validate_graphs(rdflib_graph(quads=data), rdflib_graph(quads=ontology))
    assert sorted(map(_key, from_graphs.violations)) == expected


def test_report_graph_holds_only_the_results_reported(broken: Path) -> None:
    report = validate([broken])
    store = ox.Store()
    store.load(report.to_turtle().encode(), format=ox.RdfFormat.TURTLE)
    sh = "http://www.w3.org/ns/shacl#"
    rows = list(store.query(f"SELECT ?r ?focus WHERE {{ ?report <{sh}conforms> false ; <{sh}result> ?r . ?r <{sh}focusNode> ?focus }}"))
    assert len(rows) == len(report.violations)
    assert {r["focus"].value for r in rows if isinstance(r["focus"], ox.NamedNode)} == {
        v.focus for v in report.violations if not v.focus.startswith("_:")
    }


def test_conforming_data_never_reaches_pyshacl(monkeypatch: pytest.MonkeyPatch) -> None:
    import collabkg.shacl as module

    def refuse(*_args: object) -> None:
        raise AssertionError("pySHACL was called on conforming data")

    monkeypatch.setattr(module, "_pyshacl", refuse)
    report = validate()
    assert report.conforms and report.violations == []


def test_conforming_report_graph_is_pyshacls() -> None:
    from rdflib.compare import isomorphic

    reference = _pyshacl(
        rdflib_graph([bundle.data_dir()]), rdflib_graph([bundle.ontology_path()]),
        rdflib_graph([bundle.shapes_path()]),
    )
    assert reference.conforms
    assert isomorphic(reference.report_graph, _conforming_report())


SHAPES_BEYOND_THE_SCREEN = """
@prefix ckg: <https://w3id.org/collabkg/ontology#> .
@prefix cks: <https://w3id.org/collabkg/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
cks:CollaborationShape a sh:NodeShape ; sh:targetClass ckg:Collaboration ; sh:property cks:Collaboration-describedBy .
cks:Collaboration-describedBy a sh:PropertyShape ; sh:path [ sh:inversePath ckg:describesCollaboration ] ; sh:maxCount 0 .
"""

SHAPES_WITH_NOT = """
@prefix ckg: <https://w3id.org/collabkg/ontology#> .
@prefix cks: <https://w3id.org/collabkg/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
cks:CaseStudyShape a sh:NodeShape ; sh:targetClass ckg:CaseStudy ; sh:property cks:CaseStudy-count .
cks:CaseStudy-count a sh:PropertyShape ; sh:path ckg:participantCount ;
    sh:not [ sh:datatype xsd:integer ] ; sh:message "not an integer, please" .
"""


@pytest.mark.parametrize("shapes_text", [SHAPES_BEYOND_THE_SCREEN, SHAPES_WITH_NOT], ids=["inverse-path", "sh-not"])
def test_other_shapes_give_pyshacls_results_too(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shapes_text: str
) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(shapes_text, encoding="utf-8")
    monkeypatch.setattr(bundle, "shapes_path", lambda: shapes)
    expected = _reference([broken], shapes)
    assert expected  # each shape is violated somewhere
    assert sorted(map(_key, validate([broken]).violations)) == expected


def test_screen_says_when_shapes_are_beyond_it(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES_BEYOND_THE_SCREEN, encoding="utf-8")
    result = screen(iter_quads([bundle.ontology_path()]), iter_quads([shapes]))
    assert not result.supported and "sh:path" in result.reason


def test_screen_of_the_bundled_data_clears_every_focus_node() -> None:
    data = list(iter_quads([bundle.data_dir(), bundle.ontology_path()]))
    result = screen(data, iter_quads([bundle.shapes_path()]))
    assert result.supported, result.reason
    assert result.suspects == set()
    assert result.focus_nodes > 400


def test_graph_instances_follow_subclasses() -> None:
    ckg = "https://w3id.org/collabkg/ontology#"
    graph = Graph(iter_quads([bundle.ontology_path(), bundle.data_dir()]))
    organisations = graph.instances(ox.NamedNode("http://www.w3.org/ns/org#Organization"))
    assert ox.NamedNode("https://w3id.org/collabkg/id/agent/age-uk") in organisations  # an org:FormalOrganization
    assert ox.NamedNode("https://w3id.org/collabkg/id/collaboration/northumbria-ppe") in organisations  # a ckg:Collaboration
    assert ox.NamedNode(ckg + "Collaboration") in graph.supers(ox.NamedNode(ckg + "Collaboration"))
