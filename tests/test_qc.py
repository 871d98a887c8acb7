"""Quality-control checks (queries/checks/NAME-violation.rq).

Every check returns no rows on the bundled ontology and data, and each trips
on its own fixture, ``tests/fixtures/checks/NAME.ttl``, with exactly the rows
listed in ``TRIPS`` (IRIs as prefixed names, unbound as None, in the query's
order). Each fixture also holds nodes that conform, so that a check that
reports everything would fail too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import FIXTURES

from collabkg import namespaces, qc
from collabkg.catalogue import HeaderError

CHECK_FIXTURES = FIXTURES / "checks"
EXTENSION = "<https://w3id.org/collabkg/ontology/fixture-extension>"

TRIPS: dict[str, list[tuple[str | None, ...]]] = {
    "case-without-example": [("case:without-example",)],
    "duplicate-concept-label": [
        (
            "factor:scheme",
            "factor:competing-priorities",
            "factor:competing-priorities-again",
            "Competing priorities",
        )
    ],
    "duplicate-label": [("ckg:CaseStudy", "ckg:FixtureCaseStudy", "case study")],
    "example-polarity": [("example:mixed", "factor:distance", "ckg:enabler", "ckg:challenge")],
    "example-quotation": [
        ("example:quoted-elsewhere",),
        ("example:quoted-empty",),
        ("example:unquoted",),
    ],
    "factor-theme": [
        ("factor:disagrees", "theme:motivations", "theme:structures"),
        ("factor:no-broader", "theme:relationships", None),
    ],
    "list-position": [
        ("doc:ordered", "ckg:CaseStudy", "case:unplaced", None),
        ("theme:motivations", "ckg:challenge", "factor:also-first", "1"),
        ("theme:motivations", "ckg:challenge", "factor:beyond", "4"),
        ("theme:motivations", "ckg:challenge", "factor:first", "1"),
    ],
    "ontology-header": [
        (EXTENSION, "dcterms:description"),
        (EXTENSION, "dcterms:license"),
        (EXTENSION, "owl:versionIRI"),
    ],
    "organisation-without-case": [("agent:member-team",), ("agent:stray",)],
    "term-comment": [("ckg:fixtureUncommented",)],
    "term-definition": [("ckg:FixtureUndefined", "0"), ("ckg:fixtureTwoDefinitions", "2")],
    "term-label": [("ckg:FixtureUnlabelled", "0"), ("ckg:fixtureTwoLabels", "2")],
    "unrecorded-judgement": [
        ("agent:uncited", "org:classification", "ckg:charitySector"),
        ("agent:unrecorded", "org:classification", "ckg:publicSector"),
        ("collab:unrecorded", "ckg:showsPole", "dim:formal"),
        ("example:unrecorded", "ckg:exemplifies", "factor:recorded"),
        ("example:unrecorded", "ckg:hasPolarity", "ckg:enabler"),
        ("example:unrecorded", "ckg:hasTheme", "theme:motivations"),
        ("example:unrecorded", "ckg:ofCase", "case:alpha"),
        ("factor:unrecorded-enabler", "ckg:addresses", "factor:recorded-challenge"),
        ("mem:unrecorded", "org:role", "ckg:partnerRole"),
    ],
    "undeclared-namespace": [
        ("<http://example.org/stray>",),
        ("<https://w3id.org/collabkg/id/cases/alpha>",),
    ],
}


@pytest.fixture(scope="module")
def bundled_report() -> qc.QcReport:
    return qc.run_checks()


def test_every_check_has_a_fixture_and_expected_rows():
    names = {check.name for check in qc.checks()}
    assert names == set(TRIPS)
    assert names == {path.stem for path in CHECK_FIXTURES.glob("*.ttl")}


@pytest.mark.parametrize("check", qc.checks(), ids=lambda check: check.name)
def test_check_header_says_what_it_checks(check: qc.Check):
    assert check.path.name == f"{check.name}-violation.rq"
    assert check.query.form == "SELECT"
    assert len(check.summary) > 20
    assert len(check.description) > 40
    assert "qc" in check.query.tags


@pytest.mark.parametrize("name", sorted(TRIPS))
def test_check_passes_on_the_bundled_data(bundled_report: qc.QcReport, name: str):
    (result,) = [r for r in bundled_report.results if r.check.name == name]
    assert result.rows == ()


def test_bundled_report_passes(bundled_report: qc.QcReport):
    assert bundled_report.ok
    assert [r.check.name for r in bundled_report.results] == sorted(TRIPS)


@pytest.mark.parametrize("name", sorted(TRIPS))
def test_check_trips_on_its_fixture(name: str):
    report = qc.run_checks([CHECK_FIXTURES / f"{name}.ttl"], names=[name])
    (result,) = report.results
    assert not report.ok
    assert list(result.rows) == TRIPS[name]


def test_ontology_header_reports_a_graph_without_ontology():
    """The second branch of the header check: no owl:Ontology at all."""
    (check,) = [c for c in qc.checks() if c.name == "ontology-header"]
    store = ox.Store()
    store.load(
        b"<https://w3id.org/collabkg/id/case/alpha> a <https://w3id.org/collabkg/ontology#CaseStudy> .",
        format=ox.RdfFormat.TURTLE,
    )
    rows = [[str(term) if term else None for term in row] for row in store.query(check.text)]
    assert rows == [[None, "<http://www.w3.org/2002/07/owl#Ontology>"]]


def test_undeclared_namespace_check_lists_the_declared_prefixes():
    """The check's namespaces are the ones the code declares, plus the ontology's
    version IRIs and the licence namespace: a new prefix must be added in both."""
    (check,) = [c for c in qc.checks() if c.name == "undeclared-namespace"]
    values = re.search(r"VALUES \?namespace \{(.*?)\}", check.text, re.DOTALL).group(1)
    listed = set(re.findall(r'"([^"]+)"', values))
    extra = {namespaces.ONTOLOGY_IRI + "/", "https://creativecommons.org/licenses/"}
    assert listed == set(namespaces.PREFIXES.values()) | extra


def test_text_report_lists_each_check_and_the_offending_rows():
    report = qc.run_checks(
        [CHECK_FIXTURES / "factor-theme.ttl"], names=["factor-theme", "term-label"]
    )
    assert report.to_text() == (
        "FAIL factor-theme  Every factor sits under its own theme in the factor taxonomy (2 rows)\n"
        "ok   term-label    Every class and property of the ontology has exactly one label\n"
        "\n"
        "factor-theme: Every factor sits under its own theme in the factor taxonomy\n"
        "  factor             theme                broader\n"
        "  factor:disagrees   theme:motivations    theme:structures\n"
        "  factor:no-broader  theme:relationships\n"
        "\n"
        "1 of 2 checks passed\n"
    )


def test_unknown_check_names_the_known_ones():
    with pytest.raises(qc.CheckError, match=r"unknown check 'no-such' \(known: case-without-example, "):
        qc.run_checks(names=["no-such"])


def test_a_check_must_be_a_select_query(tmp_path: Path):
    (tmp_path / "ask-violation.rq").write_text(
        "#+ summary: Not a select\n\nASK { ?s ?p ?o }\n", encoding="utf-8"
    )
    with pytest.raises(HeaderError, match="a check must be a SELECT query, not ASK"):
        qc.checks(tmp_path)


# --- the command -------------------------------------------------------------


def test_cli_qc_passes_on_the_bundled_data(cli):
    result = cli("qc")
    assert result.exit_code == 0
    assert result.output.endswith(f"{len(TRIPS)} of {len(TRIPS)} checks passed\n")


def test_cli_qc_exits_1_with_the_offending_rows(cli):
    result = cli("--data", str(CHECK_FIXTURES / "case-without-example.ttl"), "qc")
    assert result.exit_code == 1
    assert "FAIL case-without-example" in result.output
    assert "\ncase-without-example: Every case study has at least one illustrative example\n  case\n  case:without-example\n" in result.output


def test_cli_qc_unknown_check_exits_2(cli):
    result = cli("qc", "--check", "no-such")
    assert result.exit_code == 2
    assert "collabkg: error: unknown check 'no-such'" in result.output


def test_cli_qc_lists_the_checks(cli):
    result = cli("qc", "--list")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == sorted(TRIPS)


def test_a_folder_without_checks_is_an_error(tmp_path: Path):
    with pytest.raises(qc.CheckError, match=r": no checks \(\*-violation\.rq\) in this folder$"):
        qc.checks(tmp_path)
    with pytest.raises(qc.CheckError, match=r"missing: no folder of checks here$"):
        qc.checks(tmp_path / "missing")
