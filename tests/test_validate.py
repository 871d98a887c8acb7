"""``collabkg validate``: the bundled data conforms; reports name focus, path, message and shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from conftest import CASE_GAMMA, CKG, CKS, ID, SH, XSD, Result

from collabkg.shacl import ValidationReport, Violation
from collabkg.validate import validate

GAMMA = Violation(
    focus=CASE_GAMMA,
    focus_label="Gamma",
    path=CKG + "participantCount",
    value=f'"-1"^^<{XSD}integer>',
    message="A case study has one participant count, a non-negative integer.",
    shape=CKS + "CaseStudy-participantCount",
    component=SH + "MinInclusiveConstraintComponent",
    severity="Violation",
)
DELTA_CLASS = Violation(
    focus=ID + "case/delta",
    focus_label=None,
    path=CKG + "describesCollaboration",
    value=f"<{ID}doc/not-a-collaboration>",
    message="Value does not have class org:Organization",
    shape=CKS + "CaseStudy-describesCollaboration",
    component=SH + "ClassConstraintComponent",
    severity="Violation",
)
DELTA_COUNT = Violation(
    focus=ID + "case/delta",
    focus_label=None,
    path=CKG + "participantCount",
    value=None,
    message="A case study has one participant count, a non-negative integer.",
    shape=CKS + "CaseStudy-participantCount",
    component=SH + "MinCountConstraintComponent",
    severity="Violation",
)


# --------------------------------------------------------------------------
# The bundled report
# --------------------------------------------------------------------------


def test_bundled_data_conforms() -> None:
    report = validate()
    assert report.violations == [], report.to_text()
    assert report.conforms


def test_cli_validate_bundled_data_exits_0(cli: Callable[..., Result]) -> None:
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Conforms: no violations.\n"


# --------------------------------------------------------------------------
# Reports, on the tiny graph and the tiny shapes
# --------------------------------------------------------------------------


def test_conforming_tiny_data(tiny: Path, tiny_shapes: Path) -> None:
    report = validate([tiny])
    assert report.conforms
    assert report.violations == []


def test_sh_class_follows_subclasses_in_the_ontology(tiny: Path, tiny_shapes: Path) -> None:
    # collab:alpha is only a ckg:Collaboration; the shape asks for org:Organization
    report = validate([tiny])
    assert not any(v.component == SH + "ClassConstraintComponent" for v in report.violations)


def test_violations_are_exact_and_sorted(tiny_bad: Path, tiny_shapes: Path) -> None:
    report = validate([tiny_bad])
    assert not report.conforms
    assert report.violations == [DELTA_CLASS, DELTA_COUNT, GAMMA]


def test_text_report(cli: Callable[..., Result], tiny_bad: Path, tiny_shapes: Path) -> None:
    result = cli("validate", str(tiny_bad))
    assert result.exit_code == 1
    assert result.stdout == (
        "Does not conform: 3 violations.\n"
        "\n"
        "1. Violation: case:delta\n"
        "   path:    ckg:describesCollaboration\n"
        "   value:   doc:not-a-collaboration\n"
        "   message: Value does not have class org:Organization\n"
        "   shape:   cks:CaseStudy-describesCollaboration (ClassConstraintComponent)\n"
        "\n"
        "2. Violation: case:delta\n"
        "   path:    ckg:participantCount\n"
        "   message: A case study has one participant count, a non-negative integer.\n"
        "   shape:   cks:CaseStudy-participantCount (MinCountConstraintComponent)\n"
        "\n"
        "3. Violation: Gamma (case:gamma)\n"
        "   path:    ckg:participantCount\n"
        '   value:   "-1"^^xsd:integer\n'
        "   message: A case study has one participant count, a non-negative integer.\n"
        "   shape:   cks:CaseStudy-participantCount (MinInclusiveConstraintComponent)\n"
    )


def test_json_report(cli: Callable[..., Result], tiny_bad: Path, tiny_shapes: Path) -> None:
    result = cli("validate", "--format", "json", str(tiny_bad))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    assert [Violation(**v) for v in document["violations"]] == [DELTA_CLASS, DELTA_COUNT, GAMMA]


def test_json_report_when_conforming(cli: Callable[..., Result], tiny: Path, tiny_shapes: Path) -> None:
    result = cli("validate", "--format", "json", str(tiny))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"conforms": True, "violations": []}


def test_turtle_report_is_the_shacl_report_graph(
    cli: Callable[..., Result], tiny_bad: Path, tiny_shapes: Path
) -> None:
    result = cli("validate", "--format", "turtle", str(tiny_bad))
    assert result.exit_code == 1
    store = ox.Store()
    store.load(result.stdout_bytes, format=ox.RdfFormat.TURTLE)
    rows = store.query(
        f"""PREFIX sh: <{SH}>
        SELECT ?focus ?component WHERE {{
          ?report a sh:ValidationReport ; sh:conforms false ; sh:result ?r .
          ?r sh:focusNode ?focus ; sh:sourceConstraintComponent ?component .
        }} ORDER BY ?focus ?component"""
    )
    assert [(r["focus"].value, r["component"].value) for r in rows] == [
        (DELTA_CLASS.focus, DELTA_CLASS.component),
        (DELTA_COUNT.focus, DELTA_COUNT.component),
        (GAMMA.focus, GAMMA.component),
    ]


def test_paths_override_global_data(
    cli: Callable[..., Result], tiny: Path, tiny_bad: Path, tiny_shapes: Path
) -> None:
    assert cli("--data", str(tiny_bad), "validate", str(tiny)).exit_code == 0
    assert cli("--data", str(tiny_bad), "validate").exit_code == 1


def test_folder_of_files_is_validated_together(tmp_path: Path, tiny_shapes: Path) -> None:
    folder = tmp_path / "data"
    (folder / "cases").mkdir(parents=True)
    prefixes = (
        "@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n"
        "@prefix case: <https://w3id.org/collabkg/id/case/> .\n"
        "@prefix collab: <https://w3id.org/collabkg/id/collaboration/> .\n"
    )
    (folder / "collaborations.ttl").write_text(prefixes + "collab:x a ckg:Collaboration .\n")
    (folder / "cases" / "x.ttl").write_text(
        prefixes + "case:x a ckg:CaseStudy ; ckg:participantCount 2 ; ckg:describesCollaboration collab:x .\n"
    )
    assert validate([folder]).conforms
    # the case file alone lacks the collaboration's type
    report = validate([folder / "cases" / "x.ttl"])
    assert [v.component for v in report.violations] == [SH + "ClassConstraintComponent"]


def test_blank_node_focus_is_shown_as_a_blank_node(tmp_path: Path, tiny_shapes: Path) -> None:
    path = tmp_path / "blank.ttl"
    path.write_text(
        "@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n"
        "[] a ckg:CaseStudy ; ckg:participantCount 1, 2 .\n"
    )
    report = validate([path])
    assert len(report.violations) == 1
    violation = report.violations[0]
    assert violation.focus.startswith("_:")
    assert violation.component == SH + "MaxCountConstraintComponent"
    assert f"1. Violation: {violation.focus}\n" in report.to_text()


def test_report_render_formats(tiny: Path, tiny_shapes: Path) -> None:
    report = validate([tiny])
    assert isinstance(report, ValidationReport)
    assert report.render("text") == "Conforms: no violations.\n"
    assert json.loads(report.render("json")) == {"conforms": True, "violations": []}
    assert "sh:conforms true" in report.render("turtle")


def test_complex_paths_are_shown_as_property_paths(tmp_path: Path) -> None:
    from collabkg import bundle
    from collabkg.readers import rdflib_graph
    from collabkg.shacl import validate_graphs

    shapes = tmp_path / "inverse.ttl"
    shapes.write_text(
        "@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n"
        "@prefix cks: <https://w3id.org/collabkg/shapes#> .\n"
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "cks:CollaborationShape a sh:NodeShape ; sh:targetClass ckg:Collaboration ;\n"
        "    sh:property cks:Collaboration-describedBy .\n"
        "cks:Collaboration-describedBy a sh:PropertyShape ;\n"
        "    sh:path [ sh:inversePath ckg:describesCollaboration ] ; sh:minCount 1 .\n"
    )
    data = tmp_path / "lonely.ttl"
    data.write_text(
        "@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n"
        "<https://w3id.org/collabkg/id/collaboration/lonely> a ckg:Collaboration .\n"
    )
    report = validate_graphs(
        rdflib_graph([data]), rdflib_graph([bundle.ontology_path()]), rdflib_graph([shapes])
    )
    assert [(v.focus, v.path, v.component) for v in report.violations] == [
        (ID + "collaboration/lonely", f"^<{CKG}describesCollaboration>", SH + "MinCountConstraintComponent")
    ]
    assert "   path:    ^ckg:describesCollaboration\n" in report.to_text()
