"""The SHACL shapes (ontology/shapes.ttl) accept good data and reject bad data precisely.

``tests/fixtures/shapes/valid.ttl`` is a tiny made-up report with a node of
every class the shapes target; it conforms. Each row of ``BROKEN`` is a
minimally broken copy of it: the triples to remove and the triples to add
(Turtle, with the fixture's prefixes), and the exact set of validation results
that copy must give, as ``"FOCUS PATH COMPONENT SHAPE"`` (``-`` for no path,
``_:`` for a blank focus node, the component without its
``ConstraintComponent`` suffix). ``ACCEPTED`` lists edits in other spellings
that the data conventions allow and that must still conform.

Every constraint a named shape itself uses (its ``sh:minCount``, ``sh:class``,
``sh:or`` and so on; ``COMPONENT`` maps each to its component) has a row that
gives that constraint's result: alone, or with other results of the same shape
where one edit cannot help breaking both (a string for a count is neither an
integer nor at least 0).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from collabkg import bundle, readers
from collabkg.namespaces import CKS
from collabkg.shacl import ValidationReport
from collabkg.validate import validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = FIXTURES / "valid.ttl"

_VALID_TEXT = VALID.read_text(encoding="utf-8")
_PREFIX_LINES = re.findall(r"^@prefix .*$", _VALID_TEXT, flags=re.MULTILINE)
PREFIXES = dict(re.match(r"@prefix (\S*):\s*<([^>]*)>", line).groups() for line in _PREFIX_LINES)
PREFIXES["cks"] = CKS


# --- editing the fixture -----------------------------------------------------


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def _key(expected: str) -> tuple[str, str | None, str, str]:
    focus, path, component, shape = expected.split()
    return (
        "_:" if focus == "_:" else _expand(focus),
        None if path == "-" else _expand(path),
        str(SH) + component + "ConstraintComponent",
        _expand(shape),
    )


def _observed(report: ValidationReport) -> set[tuple[str, str | None, str, str]]:
    return {
        ("_:" if v.focus.startswith("_:") else v.focus, v.path, v.component, v.shape)
        for v in report.violations
    }


def _triples(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data="\n".join(_PREFIX_LINES) + "\n" + turtle, format="turtle")


def _edited(tmp_path: Path, remove: str, add: str) -> Path:
    """A copy of the valid fixture with ``remove`` taken out and ``add`` put in."""
    graph = rdflib.Graph().parse(VALID)
    for triple in _triples(remove):
        assert triple in graph, f"the edit removes a triple the fixture lacks: {triple}"
        graph.remove(triple)
    added = _triples(add)
    for triple in added:
        assert triple not in graph, f"the edit adds a triple the fixture has: {triple}"
    graph += added
    path = tmp_path / "edited.ttl"
    graph.serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(bundle.shapes_path())


# --- the table of broken copies ---------------------------------------------


def broken(name: str, remove: str, add: str, *expected: str):
    return pytest.param(remove, add, expected, id=name)


# fmt: off
BROKEN = [
    # cks:ReportShape
    broken("report-blank-node", "",
           '[] a ckg:Report ; dcterms:title "Riverside Review" ; ckg:commissionedBy agent:fixture-centre ; '
           "ckg:researchedBy agent:fixture-agency ; ckg:hasMethodology doc:fixture-interim-methodology ; "
           "ckg:hasCaseStudy case:hillside .",
           "_: - NodeKind cks:ReportShape"),
    broken("report-two-labels", "", 'doc:fixture-report rdfs:label "Riverside Review" .',
           "doc:fixture-report rdfs:label MaxCount cks:Report-label"),
    broken("report-label-language-tagged", 'doc:fixture-report rdfs:label "Riverside Collaboration Review" .',
           'doc:fixture-report rdfs:label "Riverside Collaboration Review"@en .',
           "doc:fixture-report rdfs:label Datatype cks:Report-label"),
    broken("report-empty-label", 'doc:fixture-report rdfs:label "Riverside Collaboration Review" .',
           'doc:fixture-report rdfs:label "" .',
           "doc:fixture-report rdfs:label MinLength cks:Report-label"),
    broken("report-no-title", 'doc:fixture-report dcterms:title "Riverside Collaboration Review" .', "",
           "doc:fixture-report dcterms:title MinCount cks:Report-title"),
    broken("report-two-titles", "", 'doc:fixture-report dcterms:title "Riverside Review" .',
           "doc:fixture-report dcterms:title MaxCount cks:Report-title"),
    broken("report-title-language-tagged",
           'doc:fixture-report dcterms:title "Riverside Collaboration Review" .',
           'doc:fixture-report dcterms:title "Riverside Collaboration Review"@en .',
           "doc:fixture-report dcterms:title Datatype cks:Report-title"),
    broken("report-empty-title", 'doc:fixture-report dcterms:title "Riverside Collaboration Review" .',
           'doc:fixture-report dcterms:title "" .',
           "doc:fixture-report dcterms:title MinLength cks:Report-title"),
    broken("report-two-issue-years", "", 'doc:fixture-report dcterms:issued "2022" .',
           "doc:fixture-report dcterms:issued MaxCount cks:Report-issued"),
    # An IRI cannot start with a digit, so it fails the pattern too.
    broken("report-issued-an-iri", 'doc:fixture-report dcterms:issued "2021" .',
           "doc:fixture-report dcterms:issued doc:fixture-programme .",
           "doc:fixture-report dcterms:issued NodeKind cks:Report-issued",
           "doc:fixture-report dcterms:issued Pattern cks:Report-issued"),
    broken("report-issued-not-a-year", 'doc:fixture-report dcterms:issued "2021" .',
           'doc:fixture-report dcterms:issued "in 2021" .',
           "doc:fixture-report dcterms:issued Pattern cks:Report-issued"),
    broken("report-not-commissioned", "doc:fixture-report ckg:commissionedBy agent:fixture-centre .", "",
           "doc:fixture-report ckg:commissionedBy MinCount cks:Report-commissionedBy"),
    broken("report-commissioned-by-the-programme",
           "doc:fixture-report ckg:commissionedBy agent:fixture-centre .",
           "doc:fixture-report ckg:commissionedBy doc:fixture-programme .",
           "doc:fixture-report ckg:commissionedBy Class cks:Report-commissionedBy"),
    broken("report-not-researched", "doc:fixture-report ckg:researchedBy agent:fixture-agency .", "",
           "doc:fixture-report ckg:researchedBy MinCount cks:Report-researchedBy"),
    broken("report-researched-by-a-quotation", "doc:fixture-report ckg:researchedBy agent:fixture-agency .",
           "doc:fixture-report ckg:researchedBy quote:fixture-partners .",
           "doc:fixture-report ckg:researchedBy Class cks:Report-researchedBy"),
    broken("report-part-of-a-section", "doc:fixture-report dcterms:isPartOf doc:fixture-programme .",
           "doc:fixture-report dcterms:isPartOf doc:fixture-section-findings .",
           "doc:fixture-report dcterms:isPartOf Class cks:Report-isPartOf"),
    broken("report-no-methodology", "doc:fixture-report ckg:hasMethodology doc:fixture-methodology .", "",
           "doc:fixture-report ckg:hasMethodology MinCount cks:Report-hasMethodology"),
    broken("report-two-methodologies", "",
           "doc:fixture-report ckg:hasMethodology doc:fixture-interim-methodology .",
           "doc:fixture-report ckg:hasMethodology MaxCount cks:Report-hasMethodology"),
    broken("report-methodology-a-section", "doc:fixture-report ckg:hasMethodology doc:fixture-methodology .",
           "doc:fixture-report ckg:hasMethodology doc:fixture-section-findings .",
           "doc:fixture-report ckg:hasMethodology Class cks:Report-hasMethodology"),
    broken("report-no-case-study", "doc:fixture-report ckg:hasCaseStudy case:riverside .", "",
           "doc:fixture-report ckg:hasCaseStudy MinCount cks:Report-hasCaseStudy"),
    broken("report-case-study-a-collaboration", "doc:fixture-report ckg:hasCaseStudy case:riverside .",
           "doc:fixture-report ckg:hasCaseStudy collab:riverside .",
           "doc:fixture-report ckg:hasCaseStudy Class cks:Report-hasCaseStudy"),
    broken("report-part-not-a-section", "", "doc:fixture-report dcterms:hasPart doc:fixture-methodology .",
           "doc:fixture-report dcterms:hasPart Class cks:Report-hasPart"),
    broken("report-references-a-claim", "doc:fixture-report dcterms:references doc:fixture-cited-work .",
           "doc:fixture-report dcterms:references doc:fixture-claim .",
           "doc:fixture-report dcterms:references Class cks:Report-references"),
    # cks:ReportSectionShape
    broken("section-blank-node", "",
           '[] a ckg:ReportSection ; dcterms:title "Methods" ; ckg:sectionNumber 3 ; '
           "dcterms:isPartOf doc:fixture-report ; prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:ReportSectionShape"),
    broken("section-two-labels", "", 'doc:fixture-section-findings rdfs:label "Results" .',
           "doc:fixture-section-findings rdfs:label MaxCount cks:ReportSection-label"),
    broken("section-label-language-tagged", 'doc:fixture-section-findings rdfs:label "Findings" .',
           'doc:fixture-section-findings rdfs:label "Findings"@en .',
           "doc:fixture-section-findings rdfs:label Datatype cks:ReportSection-label"),
    broken("section-empty-label", 'doc:fixture-section-findings rdfs:label "Findings" .',
           'doc:fixture-section-findings rdfs:label "" .',
           "doc:fixture-section-findings rdfs:label MinLength cks:ReportSection-label"),
    broken("section-no-title", 'doc:fixture-section-findings dcterms:title "Findings" .', "",
           "doc:fixture-section-findings dcterms:title MinCount cks:ReportSection-title"),
    broken("section-two-titles", "", 'doc:fixture-section-findings dcterms:title "Results" .',
           "doc:fixture-section-findings dcterms:title MaxCount cks:ReportSection-title"),
    broken("section-title-language-tagged", 'doc:fixture-section-findings dcterms:title "Findings" .',
           'doc:fixture-section-findings dcterms:title "Findings"@en .',
           "doc:fixture-section-findings dcterms:title Datatype cks:ReportSection-title"),
    broken("section-empty-title", 'doc:fixture-section-findings dcterms:title "Findings" .',
           'doc:fixture-section-findings dcterms:title "" .',
           "doc:fixture-section-findings dcterms:title MinLength cks:ReportSection-title"),
    broken("section-no-number", "doc:fixture-section-findings ckg:sectionNumber 1 .", "",
           "doc:fixture-section-findings ckg:sectionNumber MinCount cks:ReportSection-sectionNumber"),
    broken("section-two-numbers", "", "doc:fixture-section-findings ckg:sectionNumber 2 .",
           "doc:fixture-section-findings ckg:sectionNumber MaxCount cks:ReportSection-sectionNumber"),
    broken("section-number-decimal", "doc:fixture-section-findings ckg:sectionNumber 1 .",
           "doc:fixture-section-findings ckg:sectionNumber 1.0 .",
           "doc:fixture-section-findings ckg:sectionNumber Or cks:ReportSection-sectionNumber"),
    broken("section-number-zero", "doc:fixture-section-findings ckg:sectionNumber 1 .",
           "doc:fixture-section-findings ckg:sectionNumber 0 .",
           "doc:fixture-section-findings ckg:sectionNumber MinInclusive cks:ReportSection-sectionNumber"),
    broken("section-of-no-report", "doc:fixture-section-findings dcterms:isPartOf doc:fixture-report .", "",
           "doc:fixture-section-findings dcterms:isPartOf MinCount cks:ReportSection-isPartOf"),
    broken("section-of-two-reports", "",
           "doc:fixture-section-findings dcterms:isPartOf doc:fixture-interim-report .",
           "doc:fixture-section-findings dcterms:isPartOf MaxCount cks:ReportSection-isPartOf"),
    broken("section-of-the-programme", "doc:fixture-section-findings dcterms:isPartOf doc:fixture-report .",
           "doc:fixture-section-findings dcterms:isPartOf doc:fixture-programme .",
           "doc:fixture-section-findings dcterms:isPartOf Class cks:ReportSection-isPartOf"),
    broken("section-untraced", "doc:fixture-section-findings prov:wasDerivedFrom quote:fixture-partners .", "",
           "doc:fixture-section-findings prov:wasDerivedFrom MinCount cks:ReportSection-wasDerivedFrom"),
    broken("section-derived-from-a-selector",
           "doc:fixture-section-findings prov:wasDerivedFrom quote:fixture-partners .",
           "doc:fixture-section-findings prov:wasDerivedFrom quote:fixture-partners-selector .",
           "doc:fixture-section-findings prov:wasDerivedFrom Class cks:ReportSection-wasDerivedFrom"),
    # cks:ResearchProgrammeShape
    broken("programme-blank-node", "",
           '[] a ckg:ResearchProgramme ; rdfs:label "Research on recovery" ; '
           "prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:ResearchProgrammeShape"),
    broken("programme-no-label",
           'doc:fixture-programme rdfs:label "Research on local leadership during the pandemic" .', "",
           "doc:fixture-programme rdfs:label MinCount cks:ResearchProgramme-label"),
    broken("programme-two-labels", "", 'doc:fixture-programme rdfs:label "Local leadership research" .',
           "doc:fixture-programme rdfs:label MaxCount cks:ResearchProgramme-label"),
    broken("programme-label-language-tagged",
           'doc:fixture-programme rdfs:label "Research on local leadership during the pandemic" .',
           'doc:fixture-programme rdfs:label "Research on local leadership during the pandemic"@en .',
           "doc:fixture-programme rdfs:label Datatype cks:ResearchProgramme-label"),
    broken("programme-empty-label",
           'doc:fixture-programme rdfs:label "Research on local leadership during the pandemic" .',
           'doc:fixture-programme rdfs:label "" .',
           "doc:fixture-programme rdfs:label MinLength cks:ResearchProgramme-label"),
    broken("programme-commissioned-by-the-report",
           "doc:fixture-programme ckg:commissionedBy agent:fixture-centre .",
           "doc:fixture-programme ckg:commissionedBy doc:fixture-report .",
           "doc:fixture-programme ckg:commissionedBy Class cks:ResearchProgramme-commissionedBy"),
    broken("programme-associated-with-a-case",
           "doc:fixture-programme prov:wasAssociatedWith agent:fixture-agency .",
           "doc:fixture-programme prov:wasAssociatedWith case:riverside .",
           "doc:fixture-programme prov:wasAssociatedWith Class cks:ResearchProgramme-wasAssociatedWith"),
    broken("programme-untraced", "doc:fixture-programme prov:wasDerivedFrom quote:fixture-partners .", "",
           "doc:fixture-programme prov:wasDerivedFrom MinCount cks:ResearchProgramme-wasDerivedFrom"),
    broken("programme-derived-from-a-case", "doc:fixture-programme prov:wasDerivedFrom quote:fixture-partners .",
           "doc:fixture-programme prov:wasDerivedFrom case:riverside .",
           "doc:fixture-programme prov:wasDerivedFrom Class cks:ResearchProgramme-wasDerivedFrom"),
    # cks:CitedWorkShape
    broken("cited-work-blank-node", "",
           '[] a ckg:CitedWork ; dcterms:title "Partnerships in Practice" ; '
           "prov:wasDerivedFrom quote:fixture-claim .",
           "_: - NodeKind cks:CitedWorkShape"),
    broken("cited-work-no-title",
           'doc:fixture-cited-work dcterms:title "Working Across Boundaries: A Review" .', "",
           "doc:fixture-cited-work dcterms:title MinCount cks:CitedWork-title"),
    broken("cited-work-two-titles", "", 'doc:fixture-cited-work dcterms:title "Working Across Boundaries" .',
           "doc:fixture-cited-work dcterms:title MaxCount cks:CitedWork-title"),
    broken("cited-work-title-language-tagged",
           'doc:fixture-cited-work dcterms:title "Working Across Boundaries: A Review" .',
           'doc:fixture-cited-work dcterms:title "Working Across Boundaries: A Review"@en .',
           "doc:fixture-cited-work dcterms:title Datatype cks:CitedWork-title"),
    broken("cited-work-empty-title",
           'doc:fixture-cited-work dcterms:title "Working Across Boundaries: A Review" .',
           'doc:fixture-cited-work dcterms:title "" .',
           "doc:fixture-cited-work dcterms:title MinLength cks:CitedWork-title"),
    broken("cited-work-two-dates", "", 'doc:fixture-cited-work dcterms:issued "2019" .',
           "doc:fixture-cited-work dcterms:issued MaxCount cks:CitedWork-issued"),
    # An IRI cannot start with a digit, so it fails the pattern too.
    broken("cited-work-issued-an-iri", 'doc:fixture-cited-work dcterms:issued "2020" .',
           "doc:fixture-cited-work dcterms:issued doc:fixture-programme .",
           "doc:fixture-cited-work dcterms:issued NodeKind cks:CitedWork-issued",
           "doc:fixture-cited-work dcterms:issued Pattern cks:CitedWork-issued"),
    broken("cited-work-issued-not-a-year", 'doc:fixture-cited-work dcterms:issued "2020" .',
           'doc:fixture-cited-work dcterms:issued "spring 2020" .',
           "doc:fixture-cited-work dcterms:issued Pattern cks:CitedWork-issued"),
    broken("cited-work-url-plain-string",
           'doc:fixture-cited-work ckg:url "https://www.gov.uk/working-across-boundaries"^^xsd:anyURI .',
           'doc:fixture-cited-work ckg:url "https://www.gov.uk/working-across-boundaries" .',
           "doc:fixture-cited-work ckg:url Datatype cks:CitedWork-url"),
    broken("cited-work-url-without-scheme",
           'doc:fixture-cited-work ckg:url "https://www.gov.uk/working-across-boundaries"^^xsd:anyURI .',
           'doc:fixture-cited-work ckg:url "www.gov.uk/working-across-boundaries"^^xsd:anyURI .',
           "doc:fixture-cited-work ckg:url Pattern cks:CitedWork-url"),
    broken("cited-work-footnote-decimal", "doc:fixture-cited-work ckg:footnoteNumber 1 .",
           "doc:fixture-cited-work ckg:footnoteNumber 1.0 .",
           "doc:fixture-cited-work ckg:footnoteNumber Or cks:CitedWork-footnoteNumber"),
    broken("cited-work-footnote-zero", "doc:fixture-cited-work ckg:footnoteNumber 1 .",
           "doc:fixture-cited-work ckg:footnoteNumber 0 .",
           "doc:fixture-cited-work ckg:footnoteNumber MinInclusive cks:CitedWork-footnoteNumber"),
    broken("cited-work-footnote-a-string", "doc:fixture-cited-work ckg:footnoteNumber 1 .",
           'doc:fixture-cited-work ckg:footnoteNumber "one" .',
           "doc:fixture-cited-work ckg:footnoteNumber Or cks:CitedWork-footnoteNumber",
           "doc:fixture-cited-work ckg:footnoteNumber MinInclusive cks:CitedWork-footnoteNumber"),
    broken("cited-work-untraced", "doc:fixture-cited-work prov:wasDerivedFrom quote:fixture-claim .", "",
           "doc:fixture-cited-work prov:wasDerivedFrom MinCount cks:CitedWork-wasDerivedFrom"),
    broken("cited-work-derived-from-a-claim",
           "doc:fixture-cited-work prov:wasDerivedFrom quote:fixture-claim .",
           "doc:fixture-cited-work prov:wasDerivedFrom doc:fixture-claim .",
           "doc:fixture-cited-work prov:wasDerivedFrom Class cks:CitedWork-wasDerivedFrom"),
    # cks:CitedClaimShape
    broken("claim-blank-node", "",
           '[] a ckg:CitedClaim ; rdfs:label "Trust sustains collaboration" ; '
           "ckg:citedWork doc:fixture-cited-work ; ckg:footnoteNumber 1 ; "
           "ckg:hasQuotation quote:fixture-claim ; prov:wasDerivedFrom quote:fixture-claim .",
           "_: - NodeKind cks:CitedClaimShape"),
    broken("claim-no-label", 'doc:fixture-claim rdfs:label "Shared goals sustain collaboration" .', "",
           "doc:fixture-claim rdfs:label MinCount cks:CitedClaim-label"),
    broken("claim-two-labels", "", 'doc:fixture-claim rdfs:label "Goals sustain collaboration" .',
           "doc:fixture-claim rdfs:label MaxCount cks:CitedClaim-label"),
    broken("claim-label-language-tagged",
           'doc:fixture-claim rdfs:label "Shared goals sustain collaboration" .',
           'doc:fixture-claim rdfs:label "Shared goals sustain collaboration"@en .',
           "doc:fixture-claim rdfs:label Datatype cks:CitedClaim-label"),
    broken("claim-empty-label", 'doc:fixture-claim rdfs:label "Shared goals sustain collaboration" .',
           'doc:fixture-claim rdfs:label "" .',
           "doc:fixture-claim rdfs:label MinLength cks:CitedClaim-label"),
    broken("claim-cites-nothing", "doc:fixture-claim ckg:citedWork doc:fixture-cited-work .", "",
           "doc:fixture-claim ckg:citedWork MinCount cks:CitedClaim-citedWork"),
    broken("claim-cites-the-report", "doc:fixture-claim ckg:citedWork doc:fixture-cited-work .",
           "doc:fixture-claim ckg:citedWork doc:fixture-report .",
           "doc:fixture-claim ckg:citedWork Class cks:CitedClaim-citedWork"),
    broken("claim-no-footnote", "doc:fixture-claim ckg:footnoteNumber 1 .", "",
           "doc:fixture-claim ckg:footnoteNumber MinCount cks:CitedClaim-footnoteNumber"),
    broken("claim-two-footnotes", "", "doc:fixture-claim ckg:footnoteNumber 2 .",
           "doc:fixture-claim ckg:footnoteNumber MaxCount cks:CitedClaim-footnoteNumber"),
    broken("claim-footnote-decimal", "doc:fixture-claim ckg:footnoteNumber 1 .",
           "doc:fixture-claim ckg:footnoteNumber 1.0 .",
           "doc:fixture-claim ckg:footnoteNumber Or cks:CitedClaim-footnoteNumber"),
    broken("claim-footnote-zero", "doc:fixture-claim ckg:footnoteNumber 1 .",
           "doc:fixture-claim ckg:footnoteNumber 0 .",
           "doc:fixture-claim ckg:footnoteNumber MinInclusive cks:CitedClaim-footnoteNumber"),
    broken("claim-no-quotation", "doc:fixture-claim ckg:hasQuotation quote:fixture-claim .", "",
           "doc:fixture-claim ckg:hasQuotation MinCount cks:CitedClaim-hasQuotation"),
    broken("claim-quotation-a-selector", "doc:fixture-claim ckg:hasQuotation quote:fixture-claim .",
           "doc:fixture-claim ckg:hasQuotation quote:fixture-claim-selector .",
           "doc:fixture-claim ckg:hasQuotation Class cks:CitedClaim-hasQuotation"),
    broken("claim-relates-to-a-theme", "doc:fixture-claim ckg:relatesToFactor factor:fixture-shared-goal .",
           "doc:fixture-claim ckg:relatesToFactor theme:fixture-motivations .",
           "doc:fixture-claim ckg:relatesToFactor Class cks:CitedClaim-relatesToFactor"),
    broken("claim-untraced", "doc:fixture-claim prov:wasDerivedFrom quote:fixture-claim .", "",
           "doc:fixture-claim prov:wasDerivedFrom MinCount cks:CitedClaim-wasDerivedFrom"),
    broken("claim-derived-from-a-cited-work", "doc:fixture-claim prov:wasDerivedFrom quote:fixture-claim .",
           "doc:fixture-claim prov:wasDerivedFrom doc:fixture-cited-work .",
           "doc:fixture-claim prov:wasDerivedFrom Class cks:CitedClaim-wasDerivedFrom"),
    # cks:MethodologyShape
    broken("methodology-blank-node", "",
           '[] a ckg:Methodology ; rdfs:label "How the follow-up was done" ; '
           "prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:MethodologyShape"),
    broken("methodology-two-labels", "", 'doc:fixture-methodology rdfs:label "How the review was done" .',
           "doc:fixture-methodology rdfs:label MaxCount cks:Methodology-label"),
    broken("methodology-label-language-tagged",
           'doc:fixture-methodology rdfs:label "Methodology of the Riverside Collaboration Review" .',
           'doc:fixture-methodology rdfs:label "Methodology of the Riverside Collaboration Review"@en .',
           "doc:fixture-methodology rdfs:label Datatype cks:Methodology-label"),
    broken("methodology-empty-label",
           'doc:fixture-methodology rdfs:label "Methodology of the Riverside Collaboration Review" .',
           'doc:fixture-methodology rdfs:label "" .',
           "doc:fixture-methodology rdfs:label MinLength cks:Methodology-label"),
    broken("methodology-two-periods", "", 'doc:fixture-methodology ckg:fieldworkPeriod "early 2021" .',
           "doc:fixture-methodology ckg:fieldworkPeriod MaxCount cks:Methodology-fieldworkPeriod"),
    broken("methodology-period-language-tagged",
           'doc:fixture-methodology ckg:fieldworkPeriod "January to March 2021" .',
           'doc:fixture-methodology ckg:fieldworkPeriod "January to March 2021"@en .',
           "doc:fixture-methodology ckg:fieldworkPeriod Datatype cks:Methodology-fieldworkPeriod"),
    broken("methodology-empty-period",
           'doc:fixture-methodology ckg:fieldworkPeriod "January to March 2021" .',
           'doc:fixture-methodology ckg:fieldworkPeriod "" .',
           "doc:fixture-methodology ckg:fieldworkPeriod MinLength cks:Methodology-fieldworkPeriod"),
    broken("methodology-two-starts", "",
           'doc:fixture-methodology ckg:fieldworkStart "2021-02-01T00:00:00Z"^^xsd:dateTime .',
           "doc:fixture-methodology ckg:fieldworkStart MaxCount cks:Methodology-fieldworkStart"),
    # A date is not comparable with a date-time (sh:lessThan), so the end goes too.
    broken("methodology-start-a-date-and-no-end",
           'doc:fixture-methodology ckg:fieldworkStart "2021-01-01T00:00:00Z"^^xsd:dateTime . '
           'doc:fixture-methodology ckg:fieldworkEnd "2021-03-31T23:59:59Z"^^xsd:dateTime .',
           'doc:fixture-methodology ckg:fieldworkStart "2021-01-01"^^xsd:date .',
           "doc:fixture-methodology ckg:fieldworkStart Datatype cks:Methodology-fieldworkStart"),
    broken("methodology-starts-after-it-ends",
           'doc:fixture-methodology ckg:fieldworkStart "2021-01-01T00:00:00Z"^^xsd:dateTime .',
           'doc:fixture-methodology ckg:fieldworkStart "2021-04-01T00:00:00Z"^^xsd:dateTime .',
           "doc:fixture-methodology ckg:fieldworkStart LessThan cks:Methodology-fieldworkStart"),
    broken("methodology-two-ends", "",
           'doc:fixture-methodology ckg:fieldworkEnd "2021-04-30T23:59:59Z"^^xsd:dateTime .',
           "doc:fixture-methodology ckg:fieldworkEnd MaxCount cks:Methodology-fieldworkEnd"),
    # A date is not comparable with a date-time (sh:lessThan), so the start goes too.
    broken("methodology-end-a-date-and-no-start",
           'doc:fixture-methodology ckg:fieldworkStart "2021-01-01T00:00:00Z"^^xsd:dateTime . '
           'doc:fixture-methodology ckg:fieldworkEnd "2021-03-31T23:59:59Z"^^xsd:dateTime .',
           'doc:fixture-methodology ckg:fieldworkEnd "2021-03-31"^^xsd:date .',
           "doc:fixture-methodology ckg:fieldworkEnd Datatype cks:Methodology-fieldworkEnd"),
    broken("methodology-two-case-counts", "", "doc:fixture-methodology ckg:caseCount 2 .",
           "doc:fixture-methodology ckg:caseCount MaxCount cks:Methodology-caseCount"),
    broken("methodology-case-count-decimal", "doc:fixture-methodology ckg:caseCount 1 .",
           "doc:fixture-methodology ckg:caseCount 1.5 .",
           "doc:fixture-methodology ckg:caseCount Or cks:Methodology-caseCount"),
    broken("methodology-case-count-negative", "doc:fixture-methodology ckg:caseCount 1 .",
           "doc:fixture-methodology ckg:caseCount -1 .",
           "doc:fixture-methodology ckg:caseCount MinInclusive cks:Methodology-caseCount"),
    broken("methodology-two-participant-counts", "", "doc:fixture-methodology ckg:participantCount 5 .",
           "doc:fixture-methodology ckg:participantCount MaxCount cks:Methodology-participantCount"),
    broken("methodology-participant-count-decimal", "doc:fixture-methodology ckg:participantCount 4 .",
           "doc:fixture-methodology ckg:participantCount 4.5 .",
           "doc:fixture-methodology ckg:participantCount Or cks:Methodology-participantCount"),
    broken("methodology-participant-count-negative", "doc:fixture-methodology ckg:participantCount 4 .",
           "doc:fixture-methodology ckg:participantCount -4 .",
           "doc:fixture-methodology ckg:participantCount MinInclusive cks:Methodology-participantCount"),
    broken("methodology-two-network-counts", "", "doc:fixture-methodology ckg:casesFromCommissionerNetwork 2 .",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork MaxCount "
           "cks:Methodology-casesFromCommissionerNetwork"),
    broken("methodology-network-count-decimal",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork 1 .",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork 1.0 .",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork Or "
           "cks:Methodology-casesFromCommissionerNetwork"),
    broken("methodology-network-count-negative",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork 1 .",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork -1 .",
           "doc:fixture-methodology ckg:casesFromCommissionerNetwork MinInclusive "
           "cks:Methodology-casesFromCommissionerNetwork"),
    broken("methodology-two-interview-counts", "",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews 1 .",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews MaxCount "
           "cks:Methodology-casesFromEarlierInterviews"),
    broken("methodology-interview-count-decimal",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews 0 .",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews 0.5 .",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews Or "
           "cks:Methodology-casesFromEarlierInterviews"),
    broken("methodology-interview-count-negative", "doc:fixture-methodology ckg:casesFromEarlierInterviews 0 .",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews -1 .",
           "doc:fixture-methodology ckg:casesFromEarlierInterviews MinInclusive "
           "cks:Methodology-casesFromEarlierInterviews"),
    broken("methodology-case-selection-language-tagged",
           "doc:fixture-methodology ckg:caseSelection \"identified from the commissioner's network\" .",
           "doc:fixture-methodology ckg:caseSelection \"identified from the commissioner's network\"@en .",
           "doc:fixture-methodology ckg:caseSelection Datatype cks:Methodology-caseSelection"),
    broken("methodology-empty-case-selection",
           "doc:fixture-methodology ckg:caseSelection \"identified from the commissioner's network\" .",
           'doc:fixture-methodology ckg:caseSelection "" .',
           "doc:fixture-methodology ckg:caseSelection MinLength cks:Methodology-caseSelection"),
    broken("methodology-recruitment-language-tagged",
           'doc:fixture-methodology ckg:recruitmentMethod "snowball" .',
           'doc:fixture-methodology ckg:recruitmentMethod "snowball"@en .',
           "doc:fixture-methodology ckg:recruitmentMethod Datatype cks:Methodology-recruitmentMethod"),
    broken("methodology-empty-recruitment", 'doc:fixture-methodology ckg:recruitmentMethod "snowball" .',
           'doc:fixture-methodology ckg:recruitmentMethod "" .',
           "doc:fixture-methodology ckg:recruitmentMethod MinLength cks:Methodology-recruitmentMethod"),
    broken("methodology-attribution-an-iri",
           'doc:fixture-methodology ckg:attributionAgreement "fully attributed in reporting" .',
           "doc:fixture-methodology ckg:attributionAgreement agent:fixture-centre .",
           "doc:fixture-methodology ckg:attributionAgreement Datatype cks:Methodology-attributionAgreement"),
    broken("methodology-empty-attribution",
           'doc:fixture-methodology ckg:attributionAgreement "fully attributed in reporting" .',
           'doc:fixture-methodology ckg:attributionAgreement "" .',
           "doc:fixture-methodology ckg:attributionAgreement MinLength cks:Methodology-attributionAgreement"),
    broken("methodology-untraced", "doc:fixture-methodology prov:wasDerivedFrom quote:fixture-partners .", "",
           "doc:fixture-methodology prov:wasDerivedFrom MinCount cks:Methodology-wasDerivedFrom"),
    broken("methodology-derived-from-a-case",
           "doc:fixture-methodology prov:wasDerivedFrom quote:fixture-partners .",
           "doc:fixture-methodology prov:wasDerivedFrom case:riverside .",
           "doc:fixture-methodology prov:wasDerivedFrom Class cks:Methodology-wasDerivedFrom"),
    # cks:CaseStudyShape
    broken("case-blank-node", "",
           '[] a ckg:CaseStudy ; rdfs:label "Lakeside Meals" ; ckg:describesCollaboration collab:riverside ; '
           "prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:CaseStudyShape"),
    broken("case-no-label", 'case:riverside rdfs:label "Riverside Food Network" .', "",
           "case:riverside rdfs:label MinCount cks:CaseStudy-label"),
    broken("case-two-labels", "", 'case:riverside rdfs:label "Riverside" .',
           "case:riverside rdfs:label MaxCount cks:CaseStudy-label"),
    broken("case-label-language-tagged", 'case:riverside rdfs:label "Riverside Food Network" .',
           'case:riverside rdfs:label "Riverside Food Network"@en .',
           "case:riverside rdfs:label Datatype cks:CaseStudy-label"),
    broken("case-empty-label", 'case:riverside rdfs:label "Riverside Food Network" .',
           'case:riverside rdfs:label "" .',
           "case:riverside rdfs:label MinLength cks:CaseStudy-label"),
    broken("case-describes-nothing", "case:riverside ckg:describesCollaboration collab:riverside .", "",
           "case:riverside ckg:describesCollaboration MinCount cks:CaseStudy-describesCollaboration"),
    broken("case-describes-an-organisation", "case:riverside ckg:describesCollaboration collab:riverside .",
           "case:riverside ckg:describesCollaboration agent:riverside-council .",
           "case:riverside ckg:describesCollaboration Class cks:CaseStudy-describesCollaboration"),
    broken("case-two-participant-counts", "", "case:riverside ckg:participantCount 5 .",
           "case:riverside ckg:participantCount MaxCount cks:CaseStudy-participantCount"),
    broken("case-participant-count-decimal", "case:riverside ckg:participantCount 4 .",
           "case:riverside ckg:participantCount 4.5 .",
           "case:riverside ckg:participantCount Or cks:CaseStudy-participantCount"),
    broken("case-participant-count-a-string", "case:riverside ckg:participantCount 4 .",
           'case:riverside ckg:participantCount "4" .',
           "case:riverside ckg:participantCount Or cks:CaseStudy-participantCount",
           "case:riverside ckg:participantCount MinInclusive cks:CaseStudy-participantCount"),
    broken("case-participant-count-negative", "case:riverside ckg:participantCount 4 .",
           "case:riverside ckg:participantCount -1 .",
           "case:riverside ckg:participantCount MinInclusive cks:CaseStudy-participantCount"),
    broken("case-untraced", "case:riverside prov:wasDerivedFrom quote:fixture-partners .", "",
           "case:riverside prov:wasDerivedFrom MinCount cks:CaseStudy-wasDerivedFrom"),
    broken("case-derived-from-a-collaboration", "case:riverside prov:wasDerivedFrom quote:fixture-partners .",
           "case:riverside prov:wasDerivedFrom collab:riverside .",
           "case:riverside prov:wasDerivedFrom Class cks:CaseStudy-wasDerivedFrom"),
    # cks:CollaborationShape
    broken("collaboration-blank-node", "",
           '[] a ckg:Collaboration ; rdfs:label "Lakeside meals" ; ckg:purpose "to cook for residents" ; '
           "prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:CollaborationShape"),
    broken("collaboration-no-label", 'collab:riverside rdfs:label "Riverside food network" .', "",
           "collab:riverside rdfs:label MinCount cks:Collaboration-label"),
    broken("collaboration-two-labels", "", 'collab:riverside rdfs:label "Riverside meals" .',
           "collab:riverside rdfs:label MaxCount cks:Collaboration-label"),
    broken("collaboration-label-language-tagged", 'collab:riverside rdfs:label "Riverside food network" .',
           'collab:riverside rdfs:label "Riverside food network"@en .',
           "collab:riverside rdfs:label Datatype cks:Collaboration-label"),
    broken("collaboration-empty-label", 'collab:riverside rdfs:label "Riverside food network" .',
           'collab:riverside rdfs:label "" .',
           "collab:riverside rdfs:label MinLength cks:Collaboration-label"),
    broken("collaboration-no-purpose",
           'collab:riverside ckg:purpose "to deliver meals to residents self-isolating" .', "",
           "collab:riverside ckg:purpose MinCount cks:Collaboration-purpose"),
    broken("collaboration-purpose-language-tagged",
           'collab:riverside ckg:purpose "to deliver meals to residents self-isolating" .',
           'collab:riverside ckg:purpose "to deliver meals to residents self-isolating"@en .',
           "collab:riverside ckg:purpose Datatype cks:Collaboration-purpose"),
    broken("collaboration-empty-purpose",
           'collab:riverside ckg:purpose "to deliver meals to residents self-isolating" .',
           'collab:riverside ckg:purpose "" .',
           "collab:riverside ckg:purpose MinLength cks:Collaboration-purpose"),
    broken("collaboration-shows-a-dimension", "collab:riverside ckg:showsPole dim:fixture-horizontal .",
           "collab:riverside ckg:showsPole dim:fixture-direction .",
           "collab:riverside ckg:showsPole Class cks:Collaboration-showsPole"),
    broken("collaboration-untraced", "collab:riverside prov:wasDerivedFrom quote:fixture-partners .", "",
           "collab:riverside prov:wasDerivedFrom MinCount cks:Collaboration-wasDerivedFrom"),
    broken("collaboration-derived-from-a-selector",
           "collab:riverside prov:wasDerivedFrom quote:fixture-partners .",
           "collab:riverside prov:wasDerivedFrom quote:fixture-partners-selector .",
           "collab:riverside prov:wasDerivedFrom Class cks:Collaboration-wasDerivedFrom"),
    # cks:OrganisationShape, cks:OrganisationalUnitShape
    broken("organisation-blank-node", "",
           '[] a org:FormalOrganization ; rdfs:label "Lakeside Council" ; '
           "org:classification ckg:publicSector ; prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:OrganisationShape"),
    broken("group-no-label", 'agent:riverside-volunteer-groups rdfs:label "volunteer groups in Riverside" .', "",
           "agent:riverside-volunteer-groups rdfs:label MinCount cks:Organisation-label"),
    broken("organisation-label-language-tagged",
           'agent:fixture-centre rdfs:label "Fixture Leadership Centre" .',
           'agent:fixture-centre rdfs:label "Fixture Leadership Centre"@en .',
           "agent:fixture-centre rdfs:label Datatype cks:Organisation-label"),
    broken("organisation-empty-label", 'agent:fixture-centre rdfs:label "Fixture Leadership Centre" .',
           'agent:fixture-centre rdfs:label "" .',
           "agent:fixture-centre rdfs:label MinLength cks:Organisation-label"),
    broken("organisation-other-name-language-tagged",
           'agent:riverside-council skos:altLabel "Riverside District Council" .',
           'agent:riverside-council skos:altLabel "Riverside District Council"@en .',
           "agent:riverside-council skos:altLabel Datatype cks:Organisation-altLabel"),
    broken("organisation-empty-other-name",
           'agent:riverside-council skos:altLabel "Riverside District Council" .',
           'agent:riverside-council skos:altLabel "" .',
           "agent:riverside-council skos:altLabel MinLength cks:Organisation-altLabel"),
    broken("organisation-acronym-language-tagged", 'agent:fixture-centre skos:notation "FLC" .',
           'agent:fixture-centre skos:notation "FLC"@en .',
           "agent:fixture-centre skos:notation Datatype cks:Organisation-notation"),
    broken("organisation-empty-acronym", 'agent:fixture-centre skos:notation "FLC" .',
           'agent:fixture-centre skos:notation "" .',
           "agent:fixture-centre skos:notation MinLength cks:Organisation-notation"),
    broken("organisation-no-sector", "agent:fixture-agency org:classification ckg:privateSector .", "",
           "agent:fixture-agency org:classification MinCount cks:Organisation-classification"),
    broken("unit-sector-not-a-sector", "agent:riverside-council-food-team org:classification ckg:publicSector .",
           "agent:riverside-council-food-team org:classification ckg:leadRole .",
           "agent:riverside-council-food-team org:classification In cks:Organisation-classification"),
    broken("organisation-untraced", "agent:fixture-agency prov:wasDerivedFrom quote:fixture-partners .", "",
           "agent:fixture-agency prov:wasDerivedFrom MinCount cks:Organisation-wasDerivedFrom"),
    broken("organisation-derived-from-a-case",
           "agent:riverside-council prov:wasDerivedFrom quote:fixture-partners .",
           "agent:riverside-council prov:wasDerivedFrom case:riverside .",
           "agent:riverside-council prov:wasDerivedFrom Class cks:Organisation-wasDerivedFrom"),
    broken("unit-of-nothing", "agent:riverside-council-food-team org:unitOf agent:riverside-council .", "",
           "agent:riverside-council-food-team org:unitOf MinCount cks:OrganisationalUnit-unitOf"),
    broken("unit-of-a-case", "agent:riverside-council-food-team org:unitOf agent:riverside-council .",
           "agent:riverside-council-food-team org:unitOf case:riverside .",
           "agent:riverside-council-food-team org:unitOf Class cks:OrganisationalUnit-unitOf"),
    # cks:MembershipShape
    broken("membership-blank-node", "",
           "[] a org:Membership ; org:member agent:riverside-council ; org:organization collab:hillside ; "
           "org:role ckg:partnerRole ; prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:MembershipShape"),
    broken("membership-two-labels", "", 'mem:riverside-volunteer-groups rdfs:label "Volunteers as partners" .',
           "mem:riverside-volunteer-groups rdfs:label MaxCount cks:Membership-label"),
    broken("membership-label-language-tagged",
           'mem:riverside-riverside-council rdfs:label "Riverside Council leads the food network" .',
           'mem:riverside-riverside-council rdfs:label "Riverside Council leads the food network"@en .',
           "mem:riverside-riverside-council rdfs:label Datatype cks:Membership-label"),
    broken("membership-empty-label",
           'mem:riverside-riverside-council rdfs:label "Riverside Council leads the food network" .',
           'mem:riverside-riverside-council rdfs:label "" .',
           "mem:riverside-riverside-council rdfs:label MinLength cks:Membership-label"),
    broken("membership-no-member", "mem:riverside-volunteer-groups org:member agent:riverside-volunteer-groups .",
           "", "mem:riverside-volunteer-groups org:member MinCount cks:Membership-member"),
    broken("membership-two-members", "",
           "mem:riverside-volunteer-groups org:member agent:riverside-council .",
           "mem:riverside-volunteer-groups org:member MaxCount cks:Membership-member"),
    broken("membership-member-a-case",
           "mem:riverside-volunteer-groups org:member agent:riverside-volunteer-groups .",
           "mem:riverside-volunteer-groups org:member case:riverside .",
           "mem:riverside-volunteer-groups org:member Class cks:Membership-member"),
    broken("membership-of-nothing", "mem:riverside-volunteer-groups org:organization collab:riverside .", "",
           "mem:riverside-volunteer-groups org:organization MinCount cks:Membership-organization"),
    broken("membership-of-two-collaborations", "",
           "mem:riverside-volunteer-groups org:organization collab:hillside .",
           "mem:riverside-volunteer-groups org:organization MaxCount cks:Membership-organization"),
    broken("membership-of-a-case", "mem:riverside-volunteer-groups org:organization collab:riverside .",
           "mem:riverside-volunteer-groups org:organization case:riverside .",
           "mem:riverside-volunteer-groups org:organization Class cks:Membership-organization"),
    broken("membership-no-role", "mem:riverside-volunteer-groups org:role ckg:partnerRole .", "",
           "mem:riverside-volunteer-groups org:role MinCount cks:Membership-role"),
    broken("membership-lead-and-partner", "", "mem:riverside-riverside-council org:role ckg:partnerRole .",
           "mem:riverside-riverside-council org:role MaxCount cks:Membership-role"),
    broken("membership-role-not-a-role", "mem:riverside-volunteer-groups org:role ckg:partnerRole .",
           "mem:riverside-volunteer-groups org:role ckg:enabler .",
           "mem:riverside-volunteer-groups org:role In cks:Membership-role"),
    broken("membership-untraced",
           "mem:riverside-volunteer-groups prov:wasDerivedFrom quote:fixture-partners .", "",
           "mem:riverside-volunteer-groups prov:wasDerivedFrom MinCount cks:Membership-wasDerivedFrom"),
    broken("membership-derived-from-a-case",
           "mem:riverside-volunteer-groups prov:wasDerivedFrom quote:fixture-partners .",
           "mem:riverside-volunteer-groups prov:wasDerivedFrom case:riverside .",
           "mem:riverside-volunteer-groups prov:wasDerivedFrom Class cks:Membership-wasDerivedFrom"),
    # cks:ConceptSchemeShape
    broken("scheme-blank-node", "", '[] a skos:ConceptScheme ; rdfs:label "Themes of collaboration" .',
           "_: - NodeKind cks:ConceptSchemeShape"),
    broken("scheme-no-label", 'factor:fixture-scheme rdfs:label "Factors of collaboration" .', "",
           "factor:fixture-scheme rdfs:label MinCount cks:ConceptScheme-label"),
    broken("scheme-label-an-iri", 'dim:fixture-scheme rdfs:label "Dimensions of collaboration" .',
           "dim:fixture-scheme rdfs:label dim:fixture-direction .",
           "dim:fixture-scheme rdfs:label NodeKind cks:ConceptScheme-label"),
    broken("scheme-empty-label", 'dim:fixture-scheme rdfs:label "Dimensions of collaboration" .',
           'dim:fixture-scheme rdfs:label "" .',
           "dim:fixture-scheme rdfs:label MinLength cks:ConceptScheme-label"),
    broken("scheme-two-footnotes", "", "dim:fixture-scheme ckg:footnoteNumber 3 .",
           "dim:fixture-scheme ckg:footnoteNumber MaxCount cks:ConceptScheme-footnoteNumber"),
    broken("scheme-footnote-decimal", "dim:fixture-scheme ckg:footnoteNumber 2 .",
           "dim:fixture-scheme ckg:footnoteNumber 2.0 .",
           "dim:fixture-scheme ckg:footnoteNumber Or cks:ConceptScheme-footnoteNumber"),
    broken("scheme-footnote-zero", "dim:fixture-scheme ckg:footnoteNumber 2 .",
           "dim:fixture-scheme ckg:footnoteNumber 0 .",
           "dim:fixture-scheme ckg:footnoteNumber MinInclusive cks:ConceptScheme-footnoteNumber"),
    # cks:DimensionShape
    broken("dimension-blank-node", "",
           '[] a ckg:Dimension ; skos:prefLabel "scale" ; rdfs:label "scale" ; '
           "skos:inScheme dim:fixture-scheme ; prov:wasDerivedFrom quote:fixture-poles .",
           "_: - NodeKind cks:DimensionShape"),
    broken("dimension-no-preferred-label", 'dim:fixture-direction skos:prefLabel "direction" .', "",
           "dim:fixture-direction skos:prefLabel MinCount cks:Dimension-prefLabel"),
    broken("dimension-two-preferred-labels", "",
           'dim:fixture-direction skos:prefLabel "direction of working" .',
           "dim:fixture-direction skos:prefLabel MaxCount cks:Dimension-prefLabel"),
    broken("dimension-preferred-label-language-tagged", 'dim:fixture-direction skos:prefLabel "direction" .',
           'dim:fixture-direction skos:prefLabel "direction"@en .',
           "dim:fixture-direction skos:prefLabel Datatype cks:Dimension-prefLabel"),
    broken("dimension-empty-preferred-label", 'dim:fixture-direction skos:prefLabel "direction" .',
           'dim:fixture-direction skos:prefLabel "" .',
           "dim:fixture-direction skos:prefLabel MinLength cks:Dimension-prefLabel"),
    broken("dimension-no-label", 'dim:fixture-direction rdfs:label "direction" .', "",
           "dim:fixture-direction rdfs:label MinCount cks:Dimension-label"),
    broken("dimension-two-labels", "", 'dim:fixture-direction rdfs:label "direction of collaboration" .',
           "dim:fixture-direction rdfs:label MaxCount cks:Dimension-label"),
    broken("dimension-label-language-tagged", 'dim:fixture-direction rdfs:label "direction" .',
           'dim:fixture-direction rdfs:label "direction"@en .',
           "dim:fixture-direction rdfs:label Datatype cks:Dimension-label"),
    broken("dimension-empty-label", 'dim:fixture-direction rdfs:label "direction" .',
           'dim:fixture-direction rdfs:label "" .',
           "dim:fixture-direction rdfs:label MinLength cks:Dimension-label"),
    broken("dimension-two-definitions", "",
           'dim:fixture-direction skos:definition "from horizontal to vertical" .',
           "dim:fixture-direction skos:definition MaxCount cks:Dimension-definition"),
    broken("dimension-definition-language-tagged",
           'dim:fixture-direction skos:definition "how the partners stand to one another" .',
           'dim:fixture-direction skos:definition "how the partners stand to one another"@en .',
           "dim:fixture-direction skos:definition Datatype cks:Dimension-definition"),
    broken("dimension-empty-definition",
           'dim:fixture-direction skos:definition "how the partners stand to one another" .',
           'dim:fixture-direction skos:definition "" .',
           "dim:fixture-direction skos:definition MinLength cks:Dimension-definition"),
    broken("dimension-in-no-scheme", "dim:fixture-direction skos:inScheme dim:fixture-scheme .", "",
           "dim:fixture-direction skos:inScheme MinCount cks:Dimension-inScheme"),
    broken("dimension-in-the-report", "dim:fixture-direction skos:inScheme dim:fixture-scheme .",
           "dim:fixture-direction skos:inScheme doc:fixture-report .",
           "dim:fixture-direction skos:inScheme Class cks:Dimension-inScheme"),
    broken("dimension-untraced", "dim:fixture-direction prov:wasDerivedFrom quote:fixture-poles .", "",
           "dim:fixture-direction prov:wasDerivedFrom MinCount cks:Dimension-wasDerivedFrom"),
    broken("dimension-derived-from-a-selector",
           "dim:fixture-direction prov:wasDerivedFrom quote:fixture-poles .",
           "dim:fixture-direction prov:wasDerivedFrom quote:fixture-poles-selector .",
           "dim:fixture-direction prov:wasDerivedFrom Class cks:Dimension-wasDerivedFrom"),
    # cks:PoleShape
    broken("pole-blank-node", "",
           '[] a ckg:Pole ; skos:prefLabel "diagonal" ; rdfs:label "diagonal" ; '
           'skos:definition "across services and levels" ; skos:inScheme dim:fixture-scheme ; '
           "ckg:poleOf dim:fixture-direction ; ckg:oppositePole dim:fixture-vertical ; "
           "prov:wasDerivedFrom quote:fixture-poles .",
           "_: - NodeKind cks:PoleShape"),
    broken("pole-no-preferred-label", 'dim:fixture-vertical skos:prefLabel "vertical" .', "",
           "dim:fixture-vertical skos:prefLabel MinCount cks:Pole-prefLabel"),
    broken("pole-two-preferred-labels", "", 'dim:fixture-vertical skos:prefLabel "hierarchical" .',
           "dim:fixture-vertical skos:prefLabel MaxCount cks:Pole-prefLabel"),
    broken("pole-preferred-label-language-tagged", 'dim:fixture-vertical skos:prefLabel "vertical" .',
           'dim:fixture-vertical skos:prefLabel "vertical"@en .',
           "dim:fixture-vertical skos:prefLabel Datatype cks:Pole-prefLabel"),
    broken("pole-empty-preferred-label", 'dim:fixture-vertical skos:prefLabel "vertical" .',
           'dim:fixture-vertical skos:prefLabel "" .',
           "dim:fixture-vertical skos:prefLabel MinLength cks:Pole-prefLabel"),
    broken("pole-no-label", 'dim:fixture-vertical rdfs:label "vertical" .', "",
           "dim:fixture-vertical rdfs:label MinCount cks:Pole-label"),
    broken("pole-two-labels", "", 'dim:fixture-vertical rdfs:label "hierarchical" .',
           "dim:fixture-vertical rdfs:label MaxCount cks:Pole-label"),
    broken("pole-label-language-tagged", 'dim:fixture-vertical rdfs:label "vertical" .',
           'dim:fixture-vertical rdfs:label "vertical"@en .',
           "dim:fixture-vertical rdfs:label Datatype cks:Pole-label"),
    broken("pole-empty-label", 'dim:fixture-vertical rdfs:label "vertical" .',
           'dim:fixture-vertical rdfs:label "" .',
           "dim:fixture-vertical rdfs:label MinLength cks:Pole-label"),
    broken("pole-no-definition",
           'dim:fixture-vertical skos:definition "between levels within an organisation" .', "",
           "dim:fixture-vertical skos:definition MinCount cks:Pole-definition"),
    broken("pole-two-definitions", "", 'dim:fixture-vertical skos:definition "up and down a hierarchy" .',
           "dim:fixture-vertical skos:definition MaxCount cks:Pole-definition"),
    broken("pole-definition-language-tagged",
           'dim:fixture-vertical skos:definition "between levels within an organisation" .',
           'dim:fixture-vertical skos:definition "between levels within an organisation"@en .',
           "dim:fixture-vertical skos:definition Datatype cks:Pole-definition"),
    broken("pole-empty-definition",
           'dim:fixture-vertical skos:definition "between levels within an organisation" .',
           'dim:fixture-vertical skos:definition "" .',
           "dim:fixture-vertical skos:definition MinLength cks:Pole-definition"),
    broken("pole-in-no-scheme", "dim:fixture-vertical skos:inScheme dim:fixture-scheme .", "",
           "dim:fixture-vertical skos:inScheme MinCount cks:Pole-inScheme"),
    broken("pole-in-a-dimension-as-scheme", "dim:fixture-vertical skos:inScheme dim:fixture-scheme .",
           "dim:fixture-vertical skos:inScheme dim:fixture-direction .",
           "dim:fixture-vertical skos:inScheme Class cks:Pole-inScheme"),
    broken("pole-of-no-dimension", "dim:fixture-vertical ckg:poleOf dim:fixture-direction .", "",
           "dim:fixture-vertical ckg:poleOf MinCount cks:Pole-poleOf"),
    broken("pole-of-two-dimensions", "", "dim:fixture-vertical ckg:poleOf dim:fixture-formality .",
           "dim:fixture-vertical ckg:poleOf MaxCount cks:Pole-poleOf"),
    broken("pole-of-a-pole", "dim:fixture-vertical ckg:poleOf dim:fixture-direction .",
           "dim:fixture-vertical ckg:poleOf dim:fixture-horizontal .",
           "dim:fixture-vertical ckg:poleOf Class cks:Pole-poleOf"),
    broken("pole-without-opposite", "dim:fixture-horizontal ckg:oppositePole dim:fixture-vertical .", "",
           "dim:fixture-horizontal ckg:oppositePole MinCount cks:Pole-oppositePole"),
    broken("pole-two-opposites", "", "dim:fixture-horizontal ckg:oppositePole dim:fixture-horizontal .",
           "dim:fixture-horizontal ckg:oppositePole MaxCount cks:Pole-oppositePole"),
    broken("pole-opposite-a-dimension", "dim:fixture-horizontal ckg:oppositePole dim:fixture-vertical .",
           "dim:fixture-horizontal ckg:oppositePole dim:fixture-direction .",
           "dim:fixture-horizontal ckg:oppositePole Class cks:Pole-oppositePole"),
    broken("pole-untraced", "dim:fixture-vertical prov:wasDerivedFrom quote:fixture-poles .", "",
           "dim:fixture-vertical prov:wasDerivedFrom MinCount cks:Pole-wasDerivedFrom"),
    broken("pole-derived-from-a-selector", "dim:fixture-vertical prov:wasDerivedFrom quote:fixture-poles .",
           "dim:fixture-vertical prov:wasDerivedFrom quote:fixture-poles-selector .",
           "dim:fixture-vertical prov:wasDerivedFrom Class cks:Pole-wasDerivedFrom"),
    # cks:ThemeShape
    broken("theme-blank-node", "",
           '[] a ckg:Theme ; skos:prefLabel "Trust" ; rdfs:label "Trust" ; '
           "skos:inScheme factor:fixture-scheme ; prov:wasDerivedFrom quote:fixture-factor .",
           "_: - NodeKind cks:ThemeShape"),
    broken("theme-no-preferred-label", 'theme:fixture-motivations skos:prefLabel "Motivations" .', "",
           "theme:fixture-motivations skos:prefLabel MinCount cks:Theme-prefLabel"),
    broken("theme-two-preferred-labels", "", 'theme:fixture-motivations skos:prefLabel "Motives" .',
           "theme:fixture-motivations skos:prefLabel MaxCount cks:Theme-prefLabel"),
    broken("theme-preferred-label-language-tagged",
           'theme:fixture-motivations skos:prefLabel "Motivations" .',
           'theme:fixture-motivations skos:prefLabel "Motivations"@en .',
           "theme:fixture-motivations skos:prefLabel Datatype cks:Theme-prefLabel"),
    broken("theme-empty-preferred-label", 'theme:fixture-motivations skos:prefLabel "Motivations" .',
           'theme:fixture-motivations skos:prefLabel "" .',
           "theme:fixture-motivations skos:prefLabel MinLength cks:Theme-prefLabel"),
    broken("theme-no-label", 'theme:fixture-motivations rdfs:label "Motivations" .', "",
           "theme:fixture-motivations rdfs:label MinCount cks:Theme-label"),
    broken("theme-two-labels", "", 'theme:fixture-motivations rdfs:label "Motives" .',
           "theme:fixture-motivations rdfs:label MaxCount cks:Theme-label"),
    broken("theme-label-language-tagged", 'theme:fixture-motivations rdfs:label "Motivations" .',
           'theme:fixture-motivations rdfs:label "Motivations"@en .',
           "theme:fixture-motivations rdfs:label Datatype cks:Theme-label"),
    broken("theme-empty-label", 'theme:fixture-motivations rdfs:label "Motivations" .',
           'theme:fixture-motivations rdfs:label "" .',
           "theme:fixture-motivations rdfs:label MinLength cks:Theme-label"),
    broken("theme-two-definitions", "",
           'theme:fixture-motivations skos:definition "What draws partners in." .',
           "theme:fixture-motivations skos:definition MaxCount cks:Theme-definition"),
    broken("theme-definition-language-tagged",
           'theme:fixture-motivations skos:definition "Why organisations work together." .',
           'theme:fixture-motivations skos:definition "Why organisations work together."@en .',
           "theme:fixture-motivations skos:definition Datatype cks:Theme-definition"),
    broken("theme-empty-definition",
           'theme:fixture-motivations skos:definition "Why organisations work together." .',
           'theme:fixture-motivations skos:definition "" .',
           "theme:fixture-motivations skos:definition MinLength cks:Theme-definition"),
    broken("theme-in-no-scheme", "theme:fixture-motivations skos:inScheme factor:fixture-scheme .", "",
           "theme:fixture-motivations skos:inScheme MinCount cks:Theme-inScheme"),
    broken("theme-in-a-dimension-as-scheme",
           "theme:fixture-motivations skos:inScheme factor:fixture-scheme .",
           "theme:fixture-motivations skos:inScheme dim:fixture-direction .",
           "theme:fixture-motivations skos:inScheme Class cks:Theme-inScheme"),
    broken("theme-untraced", "theme:fixture-motivations prov:wasDerivedFrom quote:fixture-factor .", "",
           "theme:fixture-motivations prov:wasDerivedFrom MinCount cks:Theme-wasDerivedFrom"),
    broken("theme-derived-from-a-selector",
           "theme:fixture-motivations prov:wasDerivedFrom quote:fixture-factor .",
           "theme:fixture-motivations prov:wasDerivedFrom quote:fixture-factor-selector .",
           "theme:fixture-motivations prov:wasDerivedFrom Class cks:Theme-wasDerivedFrom"),
    broken("theme-list-position-zero", "theme:fixture-motivations ckg:listPosition 1 .",
           "theme:fixture-motivations ckg:listPosition 0 .",
           "theme:fixture-motivations ckg:listPosition MinInclusive cks:listPosition"),
    # cks:FactorShape
    broken("factor-blank-node", "",
           '[] a ckg:Factor ; skos:prefLabel "Trust" ; rdfs:label "Trust" ; '
           'skos:definition "Partners rely on one another." ; skos:inScheme factor:fixture-scheme ; '
           "skos:broader theme:fixture-motivations ; ckg:hasTheme theme:fixture-motivations ; "
           "ckg:hasPolarity ckg:enabler ; prov:wasDerivedFrom quote:fixture-factor .",
           "_: - NodeKind cks:FactorShape"),
    broken("factor-no-preferred-label", 'factor:fixture-shared-goal skos:prefLabel "Shared goal" .', "",
           "factor:fixture-shared-goal skos:prefLabel MinCount cks:Factor-prefLabel"),
    broken("factor-two-preferred-labels", "", 'factor:fixture-shared-goal skos:prefLabel "Common goal" .',
           "factor:fixture-shared-goal skos:prefLabel MaxCount cks:Factor-prefLabel"),
    broken("factor-preferred-label-language-tagged",
           'factor:fixture-shared-goal skos:prefLabel "Shared goal" .',
           'factor:fixture-shared-goal skos:prefLabel "Shared goal"@en .',
           "factor:fixture-shared-goal skos:prefLabel Datatype cks:Factor-prefLabel"),
    broken("factor-empty-preferred-label", 'factor:fixture-shared-goal skos:prefLabel "Shared goal" .',
           'factor:fixture-shared-goal skos:prefLabel "" .',
           "factor:fixture-shared-goal skos:prefLabel MinLength cks:Factor-prefLabel"),
    broken("factor-no-label", 'factor:fixture-shared-goal rdfs:label "Shared goal" .', "",
           "factor:fixture-shared-goal rdfs:label MinCount cks:Factor-label"),
    broken("factor-two-labels", "", 'factor:fixture-shared-goal rdfs:label "Common goal" .',
           "factor:fixture-shared-goal rdfs:label MaxCount cks:Factor-label"),
    broken("factor-label-language-tagged", 'factor:fixture-shared-goal rdfs:label "Shared goal" .',
           'factor:fixture-shared-goal rdfs:label "Shared goal"@en .',
           "factor:fixture-shared-goal rdfs:label Datatype cks:Factor-label"),
    broken("factor-empty-label", 'factor:fixture-shared-goal rdfs:label "Shared goal" .',
           'factor:fixture-shared-goal rdfs:label "" .',
           "factor:fixture-shared-goal rdfs:label MinLength cks:Factor-label"),
    broken("factor-no-definition",
           'factor:fixture-shared-goal skos:definition "A goal all partners share." .',
           "", "factor:fixture-shared-goal skos:definition MinCount cks:Factor-definition"),
    broken("factor-two-definitions", "",
           'factor:fixture-shared-goal skos:definition "Partners want the same." .',
           "factor:fixture-shared-goal skos:definition MaxCount cks:Factor-definition"),
    broken("factor-definition-language-tagged",
           'factor:fixture-shared-goal skos:definition "A goal all partners share." .',
           'factor:fixture-shared-goal skos:definition "A goal all partners share."@en .',
           "factor:fixture-shared-goal skos:definition Datatype cks:Factor-definition"),
    broken("factor-empty-definition",
           'factor:fixture-shared-goal skos:definition "A goal all partners share." .',
           'factor:fixture-shared-goal skos:definition "" .',
           "factor:fixture-shared-goal skos:definition MinLength cks:Factor-definition"),
    broken("factor-in-no-scheme", "factor:fixture-shared-goal skos:inScheme factor:fixture-scheme .", "",
           "factor:fixture-shared-goal skos:inScheme MinCount cks:Factor-inScheme"),
    broken("factor-in-a-theme-as-scheme", "factor:fixture-shared-goal skos:inScheme factor:fixture-scheme .",
           "factor:fixture-shared-goal skos:inScheme theme:fixture-motivations .",
           "factor:fixture-shared-goal skos:inScheme Class cks:Factor-inScheme"),
    broken("factor-no-broader", "factor:fixture-shared-goal skos:broader theme:fixture-motivations .", "",
           "factor:fixture-shared-goal skos:broader MinCount cks:Factor-broader"),
    broken("factor-broader-a-scheme", "factor:fixture-shared-goal skos:broader theme:fixture-motivations .",
           "factor:fixture-shared-goal skos:broader factor:fixture-scheme .",
           "factor:fixture-shared-goal skos:broader Class cks:Factor-broader"),
    broken("factor-no-theme", "factor:fixture-shared-goal ckg:hasTheme theme:fixture-motivations .", "",
           "factor:fixture-shared-goal ckg:hasTheme MinCount cks:Factor-hasTheme"),
    broken("factor-two-themes", "", "factor:fixture-shared-goal ckg:hasTheme theme:fixture-resources .",
           "factor:fixture-shared-goal ckg:hasTheme MaxCount cks:Factor-hasTheme"),
    broken("factor-theme-not-a-theme", "factor:fixture-shared-goal ckg:hasTheme theme:fixture-motivations .",
           "factor:fixture-shared-goal ckg:hasTheme factor:fixture-scheme .",
           "factor:fixture-shared-goal ckg:hasTheme Class cks:Factor-hasTheme"),
    broken("factor-no-polarity", "factor:fixture-shared-goal ckg:hasPolarity ckg:enabler .", "",
           "factor:fixture-shared-goal ckg:hasPolarity MinCount cks:Factor-hasPolarity"),
    # (These two drop the goal's ckg:addresses, whose shapes check the polarity too.)
    broken("factor-challenge-and-enabler", "factor:fixture-shared-goal ckg:addresses factor:fixture-distance .",
           "factor:fixture-shared-goal ckg:hasPolarity ckg:challenge .",
           "factor:fixture-shared-goal ckg:hasPolarity MaxCount cks:Factor-hasPolarity"),
    broken("factor-polarity-a-status",
           "factor:fixture-shared-goal ckg:hasPolarity ckg:enabler . "
           "factor:fixture-shared-goal ckg:addresses factor:fixture-distance .",
           "factor:fixture-shared-goal ckg:hasPolarity ckg:stated .",
           "factor:fixture-shared-goal ckg:hasPolarity In cks:Factor-hasPolarity"),
    broken("factor-addresses-a-theme", "factor:fixture-shared-goal ckg:addresses factor:fixture-distance .",
           "factor:fixture-shared-goal ckg:addresses theme:fixture-motivations .",
           "factor:fixture-shared-goal ckg:addresses Class cks:Factor-addresses"),
    # cks:AddressingShape, cks:AddressedShape
    broken("challenge-addresses-a-challenge", "", "factor:fixture-distance ckg:addresses factor:fixture-distance .",
           "factor:fixture-distance ckg:hasPolarity In cks:Addressing-hasPolarity"),
    broken("enabler-addresses-an-enabler", "",
           "factor:fixture-shared-goal ckg:addresses factor:fixture-shared-goal .",
           "factor:fixture-shared-goal ckg:hasPolarity In cks:Addressed-hasPolarity"),
    broken("factor-explained-by-a-selector", "factor:fixture-shared-goal ckg:explainedBy quote:fixture-factor .",
           "factor:fixture-shared-goal ckg:explainedBy quote:fixture-factor-selector .",
           "factor:fixture-shared-goal ckg:explainedBy Class cks:Factor-explainedBy"),
    broken("factor-untraced", "factor:fixture-shared-goal prov:wasDerivedFrom quote:fixture-factor .", "",
           "factor:fixture-shared-goal prov:wasDerivedFrom MinCount cks:Factor-wasDerivedFrom"),
    broken("factor-derived-from-a-selector",
           "factor:fixture-shared-goal prov:wasDerivedFrom quote:fixture-factor .",
           "factor:fixture-shared-goal prov:wasDerivedFrom quote:fixture-factor-selector .",
           "factor:fixture-shared-goal prov:wasDerivedFrom Class cks:Factor-wasDerivedFrom"),
    broken("factor-two-list-positions", "", "factor:fixture-shared-goal ckg:listPosition 2 .",
           "factor:fixture-shared-goal ckg:listPosition MaxCount cks:listPosition"),
    broken("factor-list-position-decimal", "factor:fixture-shared-goal ckg:listPosition 1 .",
           "factor:fixture-shared-goal ckg:listPosition 1.0 .",
           "factor:fixture-shared-goal ckg:listPosition Or cks:listPosition"),
    # cks:IllustrativeExampleShape
    broken("example-blank-node", "",
           '[] a ckg:IllustrativeExample ; rdfs:label "Council staff shop for residents" ; '
           "ckg:ofCase case:riverside ; ckg:hasTheme theme:fixture-motivations ; "
           "ckg:hasPolarity ckg:enabler ; ckg:hasQuotation quote:fixture-example ; "
           "ckg:exemplifies factor:fixture-shared-goal ; prov:wasDerivedFrom quote:fixture-example .",
           "_: - NodeKind cks:IllustrativeExampleShape"),
    broken("example-no-label",
           'example:riverside rdfs:label "Riverside volunteers and council deliver meals together" .', "",
           "example:riverside rdfs:label MinCount cks:IllustrativeExample-label"),
    broken("example-two-labels", "", 'example:riverside rdfs:label "Meals delivered together" .',
           "example:riverside rdfs:label MaxCount cks:IllustrativeExample-label"),
    broken("example-label-language-tagged",
           'example:riverside rdfs:label "Riverside volunteers and council deliver meals together" .',
           'example:riverside rdfs:label "Riverside volunteers and council deliver meals together"@en .',
           "example:riverside rdfs:label Datatype cks:IllustrativeExample-label"),
    broken("example-empty-label",
           'example:riverside rdfs:label "Riverside volunteers and council deliver meals together" .',
           'example:riverside rdfs:label "" .',
           "example:riverside rdfs:label MinLength cks:IllustrativeExample-label"),
    broken("example-no-case", "example:riverside ckg:ofCase case:riverside .", "",
           "example:riverside ckg:ofCase MinCount cks:IllustrativeExample-ofCase"),
    broken("example-of-two-cases", "", "example:riverside ckg:ofCase case:hillside .",
           "example:riverside ckg:ofCase MaxCount cks:IllustrativeExample-ofCase"),
    broken("example-of-a-collaboration", "example:riverside ckg:ofCase case:riverside .",
           "example:riverside ckg:ofCase collab:riverside .",
           "example:riverside ckg:ofCase Class cks:IllustrativeExample-ofCase"),
    broken("example-no-theme", "example:riverside ckg:hasTheme theme:fixture-motivations .", "",
           "example:riverside ckg:hasTheme MinCount cks:IllustrativeExample-hasTheme"),
    broken("example-two-themes", "", "example:riverside ckg:hasTheme theme:fixture-resources .",
           "example:riverside ckg:hasTheme MaxCount cks:IllustrativeExample-hasTheme"),
    broken("example-theme-a-factor", "example:riverside ckg:hasTheme theme:fixture-motivations .",
           "example:riverside ckg:hasTheme factor:fixture-shared-goal .",
           "example:riverside ckg:hasTheme Class cks:IllustrativeExample-hasTheme"),
    broken("example-no-polarity", "example:riverside ckg:hasPolarity ckg:enabler .", "",
           "example:riverside ckg:hasPolarity MinCount cks:IllustrativeExample-hasPolarity"),
    broken("example-challenge-and-enabler", "", "example:riverside ckg:hasPolarity ckg:challenge .",
           "example:riverside ckg:hasPolarity MaxCount cks:IllustrativeExample-hasPolarity"),
    broken("example-polarity-a-status", "example:riverside ckg:hasPolarity ckg:enabler .",
           "example:riverside ckg:hasPolarity ckg:stated .",
           "example:riverside ckg:hasPolarity In cks:IllustrativeExample-hasPolarity"),
    broken("example-no-quotation", "example:riverside ckg:hasQuotation quote:fixture-example .", "",
           "example:riverside ckg:hasQuotation MinCount cks:IllustrativeExample-hasQuotation"),
    broken("example-quotation-a-selector", "example:riverside ckg:hasQuotation quote:fixture-example .",
           "example:riverside ckg:hasQuotation quote:fixture-example-selector .",
           "example:riverside ckg:hasQuotation Class cks:IllustrativeExample-hasQuotation"),
    broken("example-exemplifies-nothing", "example:riverside ckg:exemplifies factor:fixture-shared-goal .", "",
           "example:riverside ckg:exemplifies MinCount cks:IllustrativeExample-exemplifies"),
    broken("example-exemplifies-a-theme", "example:riverside ckg:exemplifies factor:fixture-shared-goal .",
           "example:riverside ckg:exemplifies theme:fixture-motivations .",
           "example:riverside ckg:exemplifies Class cks:IllustrativeExample-exemplifies"),
    broken("example-untraced", "example:riverside prov:wasDerivedFrom quote:fixture-example .", "",
           "example:riverside prov:wasDerivedFrom MinCount cks:IllustrativeExample-wasDerivedFrom"),
    broken("example-derived-from-a-case", "example:riverside prov:wasDerivedFrom quote:fixture-example .",
           "example:riverside prov:wasDerivedFrom case:riverside .",
           "example:riverside prov:wasDerivedFrom Class cks:IllustrativeExample-wasDerivedFrom"),
    # cks:QuotationShape
    broken("quotation-blank-node", "",
           "[] a ckg:Quotation ; oa:hasSource doc:fixture-report ; "
           "oa:hasSelector quote:fixture-claim-selector .",
           "_: - NodeKind cks:QuotationShape"),
    broken("quotation-two-labels", "", 'quote:fixture-example rdfs:label "Four weeks" .',
           "quote:fixture-example rdfs:label MaxCount cks:Quotation-label"),
    broken("quotation-label-language-tagged", 'quote:fixture-example rdfs:label "Meals in four weeks" .',
           'quote:fixture-example rdfs:label "Meals in four weeks"@en .',
           "quote:fixture-example rdfs:label Datatype cks:Quotation-label"),
    broken("quotation-empty-label", 'quote:fixture-example rdfs:label "Meals in four weeks" .',
           'quote:fixture-example rdfs:label "" .',
           "quote:fixture-example rdfs:label MinLength cks:Quotation-label"),
    broken("quotation-no-source", "quote:fixture-example oa:hasSource doc:fixture-report .", "",
           "quote:fixture-example oa:hasSource MinCount cks:Quotation-hasSource"),
    broken("quotation-two-sources", "", "quote:fixture-example oa:hasSource doc:fixture-interim-report .",
           "quote:fixture-example oa:hasSource MaxCount cks:Quotation-hasSource"),
    broken("quotation-of-a-cited-work", "quote:fixture-example oa:hasSource doc:fixture-report .",
           "quote:fixture-example oa:hasSource doc:fixture-cited-work .",
           "quote:fixture-example oa:hasSource Class cks:Quotation-hasSource"),
    broken("quotation-no-selector", "quote:fixture-example oa:hasSelector quote:fixture-example-selector .", "",
           "quote:fixture-example oa:hasSelector MinCount cks:Quotation-hasSelector"),
    broken("quotation-two-selectors", "", "quote:fixture-example oa:hasSelector quote:fixture-claim-selector .",
           "quote:fixture-example oa:hasSelector MaxCount cks:Quotation-hasSelector"),
    broken("quotation-selector-a-quotation",
           "quote:fixture-example oa:hasSelector quote:fixture-example-selector .",
           "quote:fixture-example oa:hasSelector quote:fixture-claim .",
           "quote:fixture-example oa:hasSelector Class cks:Quotation-hasSelector"),
    broken("quotation-in-two-sections", "",
           "quote:fixture-partners ckg:inSection doc:fixture-section-conclusions .",
           "quote:fixture-partners ckg:inSection MaxCount cks:Quotation-inSection"),
    broken("quotation-in-the-report", "quote:fixture-partners ckg:inSection doc:fixture-section-findings .",
           "quote:fixture-partners ckg:inSection doc:fixture-report .",
           "quote:fixture-partners ckg:inSection Class cks:Quotation-inSection"),
    # cks:TextQuoteSelectorShape
    broken("selector-blank-node", "", '[] a oa:TextQuoteSelector ; oa:exact "Shared goals." .',
           "_: - NodeKind cks:TextQuoteSelectorShape"),
    broken("selector-no-exact",
           'quote:fixture-claim-selector oa:exact "Shared goals sustain collaboration." .', "",
           "quote:fixture-claim-selector oa:exact MinCount cks:TextQuoteSelector-exact"),
    broken("selector-two-exacts", "", 'quote:fixture-claim-selector oa:exact "Shared goals." .',
           "quote:fixture-claim-selector oa:exact MaxCount cks:TextQuoteSelector-exact"),
    broken("selector-exact-language-tagged",
           'quote:fixture-claim-selector oa:exact "Shared goals sustain collaboration." .',
           'quote:fixture-claim-selector oa:exact "Shared goals sustain collaboration."@en .',
           "quote:fixture-claim-selector oa:exact Datatype cks:TextQuoteSelector-exact"),
    broken("selector-empty-exact",
           'quote:fixture-claim-selector oa:exact "Shared goals sustain collaboration." .',
           'quote:fixture-claim-selector oa:exact "" .',
           "quote:fixture-claim-selector oa:exact MinLength cks:TextQuoteSelector-exact"),
    broken("selector-two-prefixes", "", 'quote:fixture-partners-selector oa:prefix "Findings " .',
           "quote:fixture-partners-selector oa:prefix MaxCount cks:TextQuoteSelector-prefix"),
    broken("selector-prefix-language-tagged", 'quote:fixture-partners-selector oa:prefix "" .',
           'quote:fixture-partners-selector oa:prefix ""@en .',
           "quote:fixture-partners-selector oa:prefix Datatype cks:TextQuoteSelector-prefix"),
    broken("selector-two-suffixes", "", 'quote:fixture-partners-selector oa:suffix " The food team led." .',
           "quote:fixture-partners-selector oa:suffix MaxCount cks:TextQuoteSelector-suffix"),
    broken("selector-suffix-language-tagged",
           'quote:fixture-partners-selector oa:suffix " The food team led the work." .',
           'quote:fixture-partners-selector oa:suffix " The food team led the work."@en .',
           "quote:fixture-partners-selector oa:suffix Datatype cks:TextQuoteSelector-suffix"),
    # cks:QuantitativeFactShape and its node rules
    broken("fact-blank-node", "",
           '[] a ckg:QuantitativeFact ; rdfs:label "Two weeks to plan deliveries" ; '
           'ckg:measure "time taken to plan deliveries" ; ckg:value 2.0 ; ckg:unit ckg:week ; '
           "ckg:aboutCase case:riverside ; ckg:assertionStatus ckg:stated ; "
           "prov:wasDerivedFrom quote:fixture-example .",
           "_: - NodeKind cks:QuantitativeFactShape"),
    broken("fact-no-label", 'fact:riverside-time-taken rdfs:label "Four weeks to set up deliveries" .', "",
           "fact:riverside-time-taken rdfs:label MinCount cks:QuantitativeFact-label"),
    broken("fact-two-labels", "", 'fact:riverside-time-taken rdfs:label "A month to set up deliveries" .',
           "fact:riverside-time-taken rdfs:label MaxCount cks:QuantitativeFact-label"),
    broken("fact-label-language-tagged",
           'fact:riverside-time-taken rdfs:label "Four weeks to set up deliveries" .',
           'fact:riverside-time-taken rdfs:label "Four weeks to set up deliveries"@en .',
           "fact:riverside-time-taken rdfs:label Datatype cks:QuantitativeFact-label"),
    broken("fact-empty-label", 'fact:riverside-time-taken rdfs:label "Four weeks to set up deliveries" .',
           'fact:riverside-time-taken rdfs:label "" .',
           "fact:riverside-time-taken rdfs:label MinLength cks:QuantitativeFact-label"),
    broken("fact-no-measure",
           'fact:riverside-time-taken ckg:measure "time taken to set up deliveries" .', "",
           "fact:riverside-time-taken ckg:measure MinCount cks:QuantitativeFact-measure"),
    broken("fact-two-measures", "", 'fact:riverside-time-taken ckg:measure "set-up time" .',
           "fact:riverside-time-taken ckg:measure MaxCount cks:QuantitativeFact-measure"),
    broken("fact-measure-language-tagged",
           'fact:riverside-time-taken ckg:measure "time taken to set up deliveries" .',
           'fact:riverside-time-taken ckg:measure "time taken to set up deliveries"@en .',
           "fact:riverside-time-taken ckg:measure Datatype cks:QuantitativeFact-measure"),
    broken("fact-empty-measure", 'fact:riverside-time-taken ckg:measure "time taken to set up deliveries" .',
           'fact:riverside-time-taken ckg:measure "" .',
           "fact:riverside-time-taken ckg:measure MinLength cks:QuantitativeFact-measure"),
    broken("fact-two-values", "", "fact:riverside-time-taken ckg:value 4.5 .",
           "fact:riverside-time-taken ckg:value MaxCount cks:QuantitativeFact-value"),
    broken("fact-value-an-integer", "fact:riverside-time-taken ckg:value 4.0 .",
           "fact:riverside-time-taken ckg:value 4 .",
           "fact:riverside-time-taken ckg:value Datatype cks:QuantitativeFact-value"),
    broken("fact-two-minimums", "", "fact:riverside-usual-time ckg:minValue 3.5 .",
           "fact:riverside-usual-time ckg:minValue MaxCount cks:QuantitativeFact-minValue"),
    broken("fact-minimum-a-double", "fact:riverside-usual-time ckg:minValue 3.0 .",
           "fact:riverside-usual-time ckg:minValue 3.0e0 .",
           "fact:riverside-usual-time ckg:minValue Datatype cks:QuantitativeFact-minValue"),
    broken("fact-range-upside-down", "fact:riverside-usual-time ckg:minValue 3.0 .",
           "fact:riverside-usual-time ckg:minValue 7.0 .",
           "fact:riverside-usual-time ckg:minValue LessThanOrEquals cks:QuantitativeFact-minValue"),
    broken("fact-two-maximums", "", "fact:riverside-usual-time ckg:maxValue 6.5 .",
           "fact:riverside-usual-time ckg:maxValue MaxCount cks:QuantitativeFact-maxValue"),
    broken("fact-maximum-a-double", "fact:riverside-usual-time ckg:maxValue 6.0 .",
           "fact:riverside-usual-time ckg:maxValue 6.0e0 .",
           "fact:riverside-usual-time ckg:maxValue Datatype cks:QuantitativeFact-maxValue"),
    broken("fact-no-unit", "fact:riverside-time-taken ckg:unit ckg:week .", "",
           "fact:riverside-time-taken ckg:unit MinCount cks:QuantitativeFact-unit"),
    broken("fact-two-units", "", "fact:riverside-time-taken ckg:unit ckg:month .",
           "fact:riverside-time-taken ckg:unit MaxCount cks:QuantitativeFact-unit"),
    broken("fact-unit-not-a-unit", "fact:riverside-time-taken ckg:unit ckg:week .",
           "fact:riverside-time-taken ckg:unit ckg:stated .",
           "fact:riverside-time-taken ckg:unit Class cks:QuantitativeFact-unit"),
    broken("fact-about-no-case", "fact:riverside-time-taken ckg:aboutCase case:riverside .", "",
           "fact:riverside-time-taken ckg:aboutCase MinCount cks:QuantitativeFact-aboutCase"),
    broken("fact-about-a-collaboration", "fact:riverside-time-taken ckg:aboutCase case:riverside .",
           "fact:riverside-time-taken ckg:aboutCase collab:riverside .",
           "fact:riverside-time-taken ckg:aboutCase Class cks:QuantitativeFact-aboutCase"),
    broken("fact-compared-with-a-case", "", "fact:riverside-speed-up ckg:comparedWith case:riverside .",
           "fact:riverside-speed-up ckg:comparedWith Class cks:QuantitativeFact-comparedWith"),
    broken("fact-no-status", "fact:riverside-speed-up ckg:assertionStatus ckg:derived .", "",
           "fact:riverside-speed-up ckg:assertionStatus MinCount cks:QuantitativeFact-assertionStatus"),
    broken("fact-stated-and-derived", "", "fact:riverside-time-taken ckg:assertionStatus ckg:derived .",
           "fact:riverside-time-taken ckg:assertionStatus MaxCount cks:QuantitativeFact-assertionStatus"),
    broken("fact-status-not-a-status", "fact:riverside-speed-up ckg:assertionStatus ckg:derived .",
           "fact:riverside-speed-up ckg:assertionStatus ckg:enabler .",
           "fact:riverside-speed-up ckg:assertionStatus In cks:QuantitativeFact-assertionStatus"),
    broken("fact-two-bases", "", 'fact:riverside-speed-up ckg:basis "Three to six months over four weeks." .',
           "fact:riverside-speed-up ckg:basis MaxCount cks:QuantitativeFact-basis"),
    broken("fact-basis-language-tagged",
           'fact:riverside-speed-up ckg:basis "13 and 26 weeks over the 4 weeks taken." .',
           'fact:riverside-speed-up ckg:basis "13 and 26 weeks over the 4 weeks taken."@en .',
           "fact:riverside-speed-up ckg:basis Datatype cks:QuantitativeFact-basis"),
    broken("fact-empty-basis",
           'fact:riverside-speed-up ckg:basis "13 and 26 weeks over the 4 weeks taken." .',
           'fact:riverside-speed-up ckg:basis "" .',
           "fact:riverside-speed-up ckg:basis MinLength cks:QuantitativeFact-basis"),
    broken("fact-untraced", "fact:riverside-time-taken prov:wasDerivedFrom quote:fixture-example .", "",
           "fact:riverside-time-taken prov:wasDerivedFrom MinCount cks:QuantitativeFact-wasDerivedFrom"),
    broken("fact-derived-from-a-case", "fact:riverside-time-taken prov:wasDerivedFrom quote:fixture-example .",
           "fact:riverside-time-taken prov:wasDerivedFrom case:riverside .",
           "fact:riverside-time-taken prov:wasDerivedFrom Or cks:QuantitativeFact-wasDerivedFrom"),
    broken("fact-no-value", "fact:riverside-time-taken ckg:value 4.0 .", "",
           "fact:riverside-time-taken - Xone cks:QuantitativeFact-valueOrRange"),
    broken("fact-value-and-range", "", "fact:riverside-usual-time ckg:value 4.5 .",
           "fact:riverside-usual-time - Xone cks:QuantitativeFact-valueOrRange"),
    broken("fact-half-a-range", "fact:riverside-usual-time ckg:maxValue 6.0 .", "",
           "fact:riverside-usual-time - Xone cks:QuantitativeFact-valueOrRange"),
    broken("fact-derived-without-basis",
           'fact:riverside-speed-up ckg:basis "13 and 26 weeks over the 4 weeks taken." .',
           "", "fact:riverside-speed-up - Or cks:QuantitativeFact-basisUnlessStated"),
    # cks:AssertionShape and its node rules
    broken("assertion-blank-node", "",
           '[] a ckg:Assertion ; rdfs:label "Participants interviewed again" ; '
           "ckg:assertedSubject case:riverside ; ckg:assertedProperty ckg:participantCount ; "
           "ckg:assertedValue 4 ; ckg:assertionStatus ckg:stated ; "
           "prov:wasDerivedFrom quote:fixture-partners .",
           "_: - NodeKind cks:AssertionShape"),
    broken("assertion-no-label",
           'assert:riverside-participants rdfs:label "Participants interviewed for Riverside Food Network" .', "",
           "assert:riverside-participants rdfs:label MinCount cks:Assertion-label"),
    broken("assertion-two-labels", "", 'assert:riverside-participants rdfs:label "Four participants" .',
           "assert:riverside-participants rdfs:label MaxCount cks:Assertion-label"),
    broken("assertion-label-language-tagged",
           'assert:riverside-shows-horizontal rdfs:label "The Riverside food network is horizontal" .',
           'assert:riverside-shows-horizontal rdfs:label "The Riverside food network is horizontal"@en .',
           "assert:riverside-shows-horizontal rdfs:label Datatype cks:Assertion-label"),
    broken("assertion-empty-label",
           'assert:riverside-shows-horizontal rdfs:label "The Riverside food network is horizontal" .',
           'assert:riverside-shows-horizontal rdfs:label "" .',
           "assert:riverside-shows-horizontal rdfs:label MinLength cks:Assertion-label"),
    broken("assertion-no-subject", "assert:riverside-participants ckg:assertedSubject case:riverside .", "",
           "assert:riverside-participants ckg:assertedSubject MinCount cks:Assertion-assertedSubject"),
    broken("assertion-two-subjects", "",
           "assert:riverside-shows-horizontal ckg:assertedSubject case:riverside .",
           "assert:riverside-shows-horizontal ckg:assertedSubject MaxCount cks:Assertion-assertedSubject"),
    broken("assertion-subject-a-literal", "assert:riverside-participants ckg:assertedSubject case:riverside .",
           'assert:riverside-participants ckg:assertedSubject "Riverside Food Network" .',
           "assert:riverside-participants ckg:assertedSubject NodeKind cks:Assertion-assertedSubject"),
    broken("assertion-no-property",
           "assert:riverside-participants ckg:assertedProperty ckg:participantCount .", "",
           "assert:riverside-participants ckg:assertedProperty MinCount cks:Assertion-assertedProperty"),
    broken("assertion-two-properties", "",
           "assert:riverside-participants ckg:assertedProperty ckg:caseCount .",
           "assert:riverside-participants ckg:assertedProperty MaxCount cks:Assertion-assertedProperty"),
    broken("assertion-property-a-class",
           "assert:riverside-participants ckg:assertedProperty ckg:participantCount .",
           "assert:riverside-participants ckg:assertedProperty ckg:CaseStudy .",
           "assert:riverside-participants ckg:assertedProperty Or cks:Assertion-assertedProperty"),
    broken("assertion-two-objects", "",
           "assert:riverside-shows-horizontal ckg:assertedObject dim:fixture-vertical .",
           "assert:riverside-shows-horizontal ckg:assertedObject MaxCount cks:Assertion-assertedObject"),
    broken("assertion-object-a-literal",
           "assert:riverside-shows-horizontal ckg:assertedObject dim:fixture-horizontal .",
           'assert:riverside-shows-horizontal ckg:assertedObject "horizontal" .',
           "assert:riverside-shows-horizontal ckg:assertedObject NodeKind cks:Assertion-assertedObject"),
    broken("assertion-two-values", "", "assert:riverside-participants ckg:assertedValue 5 .",
           "assert:riverside-participants ckg:assertedValue MaxCount cks:Assertion-assertedValue"),
    broken("assertion-value-an-iri", "assert:riverside-participants ckg:assertedValue 4 .",
           "assert:riverside-participants ckg:assertedValue case:riverside .",
           "assert:riverside-participants ckg:assertedValue NodeKind cks:Assertion-assertedValue"),
    broken("assertion-no-status", "assert:riverside-shows-horizontal ckg:assertionStatus ckg:interpretive .", "",
           "assert:riverside-shows-horizontal ckg:assertionStatus MinCount cks:Assertion-assertionStatus"),
    broken("assertion-stated-and-derived", "",
           "assert:riverside-participants ckg:assertionStatus ckg:derived .",
           "assert:riverside-participants ckg:assertionStatus MaxCount cks:Assertion-assertionStatus"),
    broken("assertion-status-not-a-status",
           "assert:riverside-shows-horizontal ckg:assertionStatus ckg:interpretive .",
           "assert:riverside-shows-horizontal ckg:assertionStatus ckg:challenge .",
           "assert:riverside-shows-horizontal ckg:assertionStatus In cks:Assertion-assertionStatus"),
    broken("assertion-two-bases",
           "", 'assert:riverside-shows-horizontal ckg:basis "Volunteers are another service." .',
           "assert:riverside-shows-horizontal ckg:basis MaxCount cks:Assertion-basis"),
    broken("assertion-basis-language-tagged",
           'assert:riverside-shows-horizontal ckg:basis "Council and volunteers: different services." .',
           'assert:riverside-shows-horizontal ckg:basis "Council and volunteers: different services."@en .',
           "assert:riverside-shows-horizontal ckg:basis Datatype cks:Assertion-basis"),
    broken("assertion-empty-basis",
           'assert:riverside-shows-horizontal ckg:basis "Council and volunteers: different services." .',
           'assert:riverside-shows-horizontal ckg:basis "" .',
           "assert:riverside-shows-horizontal ckg:basis MinLength cks:Assertion-basis"),
    broken("assertion-untraced", "assert:riverside-participants prov:wasDerivedFrom quote:fixture-partners .", "",
           "assert:riverside-participants prov:wasDerivedFrom MinCount cks:Assertion-wasDerivedFrom"),
    broken("assertion-derived-from-a-case",
           "assert:riverside-participants prov:wasDerivedFrom quote:fixture-partners .",
           "assert:riverside-participants prov:wasDerivedFrom case:riverside .",
           "assert:riverside-participants prov:wasDerivedFrom Or cks:Assertion-wasDerivedFrom"),
    broken("assertion-object-and-value",
           "", "assert:riverside-shows-horizontal ckg:assertedValue \"horizontal\" .",
           "assert:riverside-shows-horizontal - Xone cks:Assertion-objectOrValue"),
    broken("assertion-neither-object-nor-value", "assert:riverside-participants ckg:assertedValue 4 .", "",
           "assert:riverside-participants - Xone cks:Assertion-objectOrValue"),
    broken("assertion-interpretive-without-basis",
           'assert:riverside-shows-horizontal ckg:basis "Council and volunteers: different services." .',
           "", "assert:riverside-shows-horizontal - Or cks:Assertion-basisUnlessStated"),
]

# Other spellings the data conventions allow: each edit keeps the fixture valid.
ACCEPTED = [
    pytest.param("case:riverside ckg:participantCount 4 .",
                 'case:riverside ckg:participantCount "4"^^xsd:nonNegativeInteger .',
                 id="count-as-nonNegativeInteger"),
    pytest.param("doc:fixture-section-findings ckg:sectionNumber 1 .",
                 'doc:fixture-section-findings ckg:sectionNumber "1"^^xsd:positiveInteger .',
                 id="section-number-as-positiveInteger"),
    pytest.param("fact:riverside-time-taken ckg:value 4.0 .",
                 'fact:riverside-time-taken ckg:value "4"^^xsd:decimal .', id="value-as-typed-decimal"),
    pytest.param('quote:fixture-partners-selector oa:prefix "" .', "", id="selector-without-prefix"),
    pytest.param("", 'assert:riverside-participants ckg:basis "Table 1 states it." .', id="stated-with-a-basis"),
    pytest.param("agent:riverside-council org:classification ckg:publicSector .",
                 "agent:riverside-council org:classification ckg:publicSector , ckg:communitySector .",
                 id="organisation-in-two-sectors"),
]
# fmt: on


# --- tests -------------------------------------------------------------------


def test_valid_fixture_conforms():
    report = validate([VALID])
    assert report.violations == []
    assert report.conforms


@pytest.mark.parametrize(("remove", "add", "expected"), BROKEN)
def test_broken_copy_gives_exactly_the_expected_results(tmp_path, shapes_graph, remove, add, expected):
    report = validate([_edited(tmp_path, remove, add)])
    assert not report.conforms
    assert _observed(report) == {_key(e) for e in expected}
    for v in report.violations:
        assert v.severity == "Violation"
        assert v.message == str(shapes_graph.value(rdflib.URIRef(v.shape), SH.message))


@pytest.mark.parametrize(("remove", "add"), ACCEPTED)
def test_allowed_spelling_still_conforms(tmp_path, remove, add):
    report = validate([_edited(tmp_path, remove, add)])
    assert report.violations == []
    assert report.conforms


def test_bundled_data_conforms():
    report = validate(None)
    assert report.conforms, report.to_text()


# What a named shape says that does not constrain: where it looks, what it
# targets and lists, what it is called and says.
_NOT_CONSTRAINTS = {
    SH.path, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.message, SH.name
}

# Each constraint parameter the shapes use and the component of its results.
# A parameter not listed here fails test_every_constraint_has_a_broken_copy.
COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
}


def _named_shapes(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))


def _own_constraints(shapes: rdflib.Graph, shape: rdflib.term.Node) -> set[rdflib.term.Node]:
    """The SHACL terms ``shape`` itself uses to constrain (not its property shapes)."""
    return {p for p in shapes.predicates(shape, None) if p.startswith(str(SH)) and p not in _NOT_CONSTRAINTS}


def test_every_shape_is_named_with_a_message(shapes_graph):
    for shape in _named_shapes(shapes_graph):
        assert isinstance(shape, rdflib.URIRef) and shape.startswith(CKS), shape
        if _own_constraints(shapes_graph, shape):
            assert shapes_graph.value(shape, SH.message) is not None, f"{shape} has no sh:message"
    for shape in shapes_graph.subjects(RDF.type, SH.PropertyShape):
        assert shapes_graph.value(shape, SH.name) is not None, f"{shape} has no sh:name"
    for node_shape in shapes_graph.subjects(RDF.type, SH.NodeShape):
        for prop in shapes_graph.objects(node_shape, SH.property):
            assert (prop, RDF.type, SH.PropertyShape) in shapes_graph, f"{node_shape}: unnamed {prop}"


def _local(iri: str) -> str:
    return ("cks:" if iri.startswith(CKS) else "") + iri.rpartition("#")[2]


def _constraint_pairs(shapes: rdflib.Graph) -> set[tuple[str, str]]:
    """(shape, component) for each constraint parameter each named shape itself uses."""
    pairs = set()
    for shape in _named_shapes(shapes):
        for parameter in _own_constraints(shapes, shape):
            assert parameter in COMPONENT, (
                f"{_local(shape)} uses sh:{_local(parameter)}: add it to COMPONENT "
                "(or to _NOT_CONSTRAINTS if it does not constrain)"
            )
            pairs.add((str(shape), str(COMPONENT[parameter])))
    return pairs


def _tested_pairs() -> set[tuple[str, str]]:
    """(shape, component) of each result of a broken copy whose results are all of one shape."""
    pairs = set()
    for param in BROKEN:
        keys = [_key(e) for e in param.values[2]]
        if len({shape for _, _, _, shape in keys}) == 1:
            pairs |= {(shape, component) for _, _, component, shape in keys}
    return pairs


def test_every_constraint_has_a_broken_copy(shapes_graph):
    pairs = _constraint_pairs(shapes_graph)
    constraints = [
        (shape, parameter)
        for shape in _named_shapes(shapes_graph)
        for parameter in _own_constraints(shapes_graph, shape)
    ]
    # One pair per constraint: no two constraints of a shape share a component.
    assert len(pairs) == len(constraints)
    missing = sorted(
        f"{_local(shape)} {_local(component).removesuffix('ConstraintComponent')}"
        for shape, component in pairs - _tested_pairs()
    )
    print(f"{len(pairs)} (shape, constraint) pairs, {len(missing)} without a broken copy")
    assert missing == [], f"{len(missing)} of {len(pairs)} pairs have no broken copy:\n" + "\n".join(missing)


def test_every_class_the_data_uses_has_a_shape(shapes_graph):
    targeted = set(shapes_graph.objects(None, SH.targetClass))
    for paths in ([VALID], [bundle.data_dir()]):
        used = set(readers.rdflib_graph(paths).objects(None, RDF.type))
        assert sorted(used - targeted) == [], paths
