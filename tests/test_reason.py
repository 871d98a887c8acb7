"""Reasoning: consistency, the exact inferences of each inference axiom, clashes.

``tests/fixtures/reason/inference.ttl`` is a tiny graph on which every axiom
of the ontology's "Axioms for inference" section fires and fails to fire in
known ways; its IRIs are the constants below. The bundled data is checked
against the inferences a reader of the report expects. HermiT runs once per
graph (session-scoped fixtures), so the suite stays fast.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from conftest import FIXTURES, TABLE_1_CASES

from collabkg import bundle, reason
from collabkg.graph import inferred_file
from collabkg.namespaces import CKG, GRAPH_INFERRED, ID
from collabkg.reason import Reasoner, ReasoningResult
from collabkg.readers import SourceError

REASON = FIXTURES / "reason"
INFERENCE = REASON / "inference.ttl"
INCONSISTENT_POLARITY = REASON / "inconsistent-polarity.ttl"
INCONSISTENT_THEME = REASON / "inconsistent-theme.ttl"
UNSATISFIABLE = REASON / "unsatisfiable-class.ttl"

requires_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs java")

# IRIs of the inference fixture
COLLAB_ALPHA, COLLAB_BETA, COLLAB_GAMMA, COLLAB_DELTA = (
    f"{ID}collaboration/{n}" for n in ("alpha", "beta", "gamma", "delta")
)
CASE_ALPHA, CASE_BETA, CASE_GAMMA = (f"{ID}case/{n}" for n in ("alpha", "beta", "gamma"))
EXAMPLE_ALPHA, EXAMPLE_BETA = (f"{ID}example/{n}" for n in ("alpha", "beta"))
COUNCIL, COUNCIL_TEAM, CHARITY, ALL_SECTORS, FIRM, RESIDENTS = (
    f"{ID}agent/{n}"
    for n in ("council", "council-team", "charity", "all-sectors", "firm", "residents")
)
MOTIVATIONS, STRUCTURES, RELATIONSHIPS = (
    f"{ID}theme/{n}" for n in ("motivations", "structures", "relationships")
)
PUBLIC, PRIVATE, CHARITY_SECTOR, COMMUNITY = (
    CKG + n for n in ("publicSector", "privateSector", "charitySector", "communitySector")
)


def factor(slug: str) -> str:
    return f"{ID}factor/{slug}"


def membership(slug: str) -> str:
    return f"{ID}membership/{slug}"


CELLS = {
    "MotivationsChallenge": "motivations-challenge",
    "MotivationsEnabler": "motivations-enabler",
    "StructuresChallenge": "structures-challenge",
    "StructuresEnabler": "structures-enabler",
    "RelationshipsChallenge": "relationships-challenge",
    "RelationshipsEnabler": "relationships-enabler",
}


@pytest.fixture(scope="session")
def hermit() -> ReasoningResult:
    result = reason.reason([INFERENCE], Reasoner.HERMIT)
    if result.reasoner is not Reasoner.HERMIT:  # no java: it fell back to owlrl
        pytest.skip("HermiT needs java")
    return result


@pytest.fixture(scope="session")
def owlrl() -> ReasoningResult:
    return reason.reason([INFERENCE], Reasoner.OWLRL)


@pytest.fixture(scope="session")
def bundled() -> ReasoningResult:
    return reason.reason(None, Reasoner.HERMIT)


@pytest.fixture(scope="session")
def inconsistent() -> ReasoningResult:
    return reason.reason([INCONSISTENT_POLARITY], Reasoner.HERMIT)


# --- the inference fixture, with HermiT ------------------------------------------


@requires_java
def test_hermit_runs_and_finds_the_fixture_consistent(hermit: ReasoningResult):
    assert (hermit.requested, hermit.reasoner) == (Reasoner.HERMIT, Reasoner.HERMIT)
    assert hermit.consistent and hermit.ok
    assert hermit.unsatisfiable == () and hermit.clashes == () and hermit.notes == ()


def test_cross_sector_collaborations(hermit: ReasoningResult):
    """Two or more sectors, counted over all members (a group may span sectors)."""
    assert hermit.memberships(CKG + "CrossSectorCollaboration") == {
        COLLAB_ALPHA,
        COLLAB_GAMMA,
        COLLAB_DELTA,
    }


def test_involves_sector_and_organisation(hermit: ReasoningResult):
    assert hermit.pairs(CKG + "involvesSector") == {
        (COLLAB_ALPHA, PUBLIC),
        (COLLAB_ALPHA, CHARITY_SECTOR),
        (COLLAB_BETA, PUBLIC),
        (COLLAB_GAMMA, PUBLIC),
        (COLLAB_GAMMA, PRIVATE),
        (COLLAB_GAMMA, CHARITY_SECTOR),
        (COLLAB_GAMMA, COMMUNITY),
        (COLLAB_DELTA, PRIVATE),
        (COLLAB_DELTA, COMMUNITY),
    }
    assert hermit.pairs(CKG + "involvesOrganisation") == {
        (COLLAB_ALPHA, COUNCIL),
        (COLLAB_ALPHA, CHARITY),
        (COLLAB_BETA, COUNCIL),
        (COLLAB_BETA, COUNCIL_TEAM),
        (COLLAB_GAMMA, ALL_SECTORS),
        (COLLAB_DELTA, FIRM),
        (COLLAB_DELTA, RESIDENTS),
    }
    assert hermit.pairs(CKG + "membership") == {
        (COLLAB_ALPHA, membership("alpha-council")),
        (COLLAB_ALPHA, membership("alpha-charity")),
        (COLLAB_BETA, membership("beta-council")),
        (COLLAB_BETA, membership("beta-council-team")),
        (COLLAB_GAMMA, membership("gamma-all-sectors")),
        (COLLAB_DELTA, membership("delta-firm")),
        (COLLAB_DELTA, membership("delta-residents")),
    }


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_factor_by_theme_and_polarity(hermit: ReasoningResult, cell: str):
    assert hermit.memberships(CKG + cell) == {factor(CELLS[cell])}


def test_challenges_and_enablers(hermit: ReasoningResult):
    """The factor with no polarity is in no cell and neither polarity class."""
    assert hermit.memberships(CKG + "ChallengeFactor") == {
        factor(s) for s in ("motivations-challenge", "structures-challenge", "relationships-challenge")
    }
    assert hermit.memberships(CKG + "EnablerFactor") == {
        factor(s) for s in ("motivations-enabler", "structures-enabler", "relationships-enabler")
    }
    cells = set().union(*(hermit.memberships(CKG + cell) for cell in CELLS))
    assert factor("no-polarity") not in cells


def test_case_exemplifies_factors_and_themes(hermit: ReasoningResult):
    """Themes come from the example's heading and from the factors it shows."""
    assert hermit.pairs(CKG + "hasExample") == {
        (CASE_ALPHA, EXAMPLE_ALPHA),
        (CASE_BETA, EXAMPLE_BETA),
    }
    assert hermit.pairs(CKG + "exemplifiesFactor") == {
        (CASE_ALPHA, factor("structures-enabler")),
        (CASE_ALPHA, factor("motivations-enabler")),
        (CASE_BETA, factor("relationships-challenge")),
    }
    assert hermit.pairs(CKG + "exemplifiesTheme") == {
        (CASE_ALPHA, STRUCTURES),
        (CASE_ALPHA, MOTIVATIONS),
        (CASE_BETA, RELATIONSHIPS),
    }


def test_inferred_graph_holds_only_new_triples(hermit: ReasoningResult):
    from collabkg.readers import rdflib_graph

    asserted = rdflib_graph([bundle.ontology_path(), INFERENCE])
    assert len(hermit.inferred) == 100
    assert not set(hermit.inferred) & set(asserted)
    assert all(isinstance(term, rdflib.URIRef) for triple in hermit.inferred for term in triple)


def test_summary_counts_the_projects_terms(hermit: ReasoningResult):
    assert dict(hermit.summary()) == {
        "ckg:ChallengeFactor": 3,
        "ckg:CrossSectorCollaboration": 3,
        "ckg:EnablerFactor": 3,
        **{f"ckg:{cell}": 1 for cell in CELLS},
        "ckg:exemplifiesFactor": 3,
        "ckg:exemplifiesTheme": 3,
        "ckg:hasExample": 2,
        "ckg:involvesOrganisation": 7,
        "ckg:involvesSector": 9,
        "ckg:membership": 7,
    }


def test_owlrl_draws_the_same_inferences(hermit: ReasoningResult, owlrl: ReasoningResult):
    assert owlrl.consistent and owlrl.reasoner is Reasoner.OWLRL
    assert set(owlrl.inferred) == set(hermit.inferred)


# --- the bundled data ------------------------------------------------------------


def case(slug: str) -> str:
    return f"{ID}case/{slug}"


def test_bundled_data_is_consistent(bundled: ReasoningResult):
    assert bundled.ok, bundled.clashes or bundled.unsatisfiable


def test_bundled_cross_sector_collaborations(bundled: ReasoningResult):
    """Northumbria's PPE factory (NHS trust and a private company), Kent's meals
    (fire service and the charity Age UK), East Ayrshire (council and community
    resilience groups) and Stepping Up (organisations from all sectors); the
    courts, the prison and probation service, Northumbria's discharge pathway and
    Kent's support for the ambulance service involve public bodies only."""
    assert bundled.memberships(CKG + "CrossSectorCollaboration") == {
        f"{ID}collaboration/{slug}"
        for slug in ("northumbria-ppe", "kent-fire-rescue-age-uk", "vibrant-communities", "stepping-up")
    }


def test_bundled_factor_cells_follow_table_2(bundled: ReasoningResult):
    sizes = {cell: len(bundled.memberships(CKG + cell)) for cell in CELLS}
    assert sizes == {
        "MotivationsChallenge": 5,
        "MotivationsEnabler": 4,
        "StructuresChallenge": 5,
        "StructuresEnabler": 5,
        "RelationshipsChallenge": 5,
        "RelationshipsEnabler": 5,
    }
    assert bundled.memberships(CKG + "MotivationsEnabler") == {
        factor(slug)
        for slug in (
            "clear-shared-purpose",
            "buy-in-from-all-organisational-levels-and-collaborators",
            "listening-to-and-gathering-data-from-all-stakeholders",
            "focusing-on-outcomes",
        )
    }


def test_bundled_cases_exemplify_themes(bundled: ReasoningResult):
    """Each case's example heading, plus the themes of the factors it shows:
    the Nightingale courts example (a Structures enabler) also shows buy-in, a
    Motivations enabler; East Ayrshire's (a Relationships enabler) also shows
    listening to stakeholders."""
    assert bundled.pairs(CKG + "exemplifiesTheme") == {
        (case("stepping-up"), MOTIVATIONS),
        (case("northumbria"), MOTIVATIONS),
        (case("homelessness-prevention"), STRUCTURES),
        (case("nightingale-courts"), STRUCTURES),
        (case("nightingale-courts"), MOTIVATIONS),
        (case("kent-fire-rescue"), RELATIONSHIPS),
        (case("vibrant-communities"), RELATIONSHIPS),
        (case("vibrant-communities"), MOTIVATIONS),
    }
    assert {c for c, _ in bundled.pairs(CKG + "hasExample")} == {case(slug) for slug in TABLE_1_CASES}


# --- inconsistency and unsatisfiable classes -----------------------------------------


def test_factor_both_challenge_and_enabler_is_inconsistent(inconsistent: ReasoningResult):
    assert not inconsistent.consistent and not inconsistent.ok
    assert inconsistent.inferred is None
    assert inconsistent.clashes == (
        "factor:both-ways has 2 different values of the functional property "
        "ckg:hasPolarity: ckg:challenge and ckg:enabler",
        "Disjoint classes ckg:ChallengeFactor and ckg:EnablerFactor have a common "
        "individual factor:both-ways",
    )


def test_factor_under_two_themes_is_inconsistent_with_owlrl():
    result = reason.reason([INCONSISTENT_THEME], Reasoner.OWLRL)
    assert not result.consistent
    assert result.clashes == (
        "factor:two-themes has 2 different values of the functional property "
        "ckg:hasTheme: theme:motivations and theme:structures",
    )


@requires_java
def test_unsatisfiable_class_is_named():
    result = reason.reason([UNSATISFIABLE], Reasoner.HERMIT)
    assert result.consistent and not result.ok
    assert result.unsatisfiable == ("https://example.org/fixture#ChallengingEnabler",)
    assert result.inferred is None


def test_missing_java_falls_back_to_owlrl(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reason, "_java", lambda: None)
    result = reason.reason([INCONSISTENT_THEME], Reasoner.HERMIT)
    assert (result.requested, result.reasoner) == (Reasoner.HERMIT, Reasoner.OWLRL)
    (note,) = result.notes
    assert note.startswith("java was not found on PATH, so HermiT cannot run; reasoning with owlrl")


def test_java_failure_names_the_java_needed():
    message = (
        "Java error message is:\nException in thread \"main\" java.lang.UnsupportedClassVersionError: "
        "org/apache/jena/riot/lang/LangRDFXML has been compiled by a more recent version of the Java "
        "Runtime (class file version 69.0), this version of the Java Runtime only recognizes class "
        "file versions up to 61.0\n\tat java.base/java.lang.ClassLoader.defineClass1(Native Method)"
    )
    assert reason._java_failure(Reasoner.PELLET, message) == (
        "Pellet cannot run on this Java: the Pellet bundled with owlready2 needs Java 25 or newer "
        "(class file version 69), and the java on PATH is Java 17; use the default reasoner, "
        "HermiT (--reasoner hermit), or put Java 25 or newer on PATH."
    )


# --- the inferred graph on disk --------------------------------------------------


def _small_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.add((rdflib.URIRef(COLLAB_ALPHA), rdflib.RDF.type, rdflib.URIRef(CKG + "CrossSectorCollaboration")))
    g.add((rdflib.URIRef(CASE_ALPHA), rdflib.URIRef(CKG + "hasExample"), rdflib.URIRef(EXAMPLE_ALPHA)))
    return g


@pytest.mark.parametrize("name", ["inferred.ttl", "inferred.nt", "inferred.jsonld", "inferred.rdf"])
def test_write_inferred_round_trips(tmp_path: Path, name: str):
    path = reason.write_inferred(_small_graph(), tmp_path / "out" / name)
    assert set(reason.read_inferred(path)) == set(_small_graph())
    assert sorted(p.name for p in path.parent.iterdir()) == [name]  # no temporary file left


@pytest.mark.parametrize("name", ["inferred.trig", "inferred.nq"])
def test_write_inferred_puts_quads_in_the_inferred_graph(tmp_path: Path, name: str):
    from collabkg.readers import iter_file_quads

    path = reason.write_inferred(_small_graph(), tmp_path / name)
    quads = list(iter_file_quads(path))
    assert {q.graph_name.value for q in quads} == {GRAPH_INFERRED}
    assert {(q.subject.value, q.predicate.value, q.object.value) for q in quads} == {
        tuple(str(t) for t in triple) for triple in _small_graph()
    }


def test_turtle_output_is_deterministic(tmp_path: Path, hermit: ReasoningResult, owlrl: ReasoningResult):
    # the same triples, found by two reasoners into two graphs built apart
    first = reason.write_inferred(hermit.inferred, tmp_path / "a.ttl").read_bytes()
    second = reason.write_inferred(owlrl.inferred, tmp_path / "b.ttl").read_bytes()
    assert first == second
    assert first.startswith(b"@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n")


def test_write_inferred_refuses_an_unknown_extension(tmp_path: Path):
    with pytest.raises(SourceError, match=r"inferred\.txt: cannot tell the RDF format"):
        reason.write_inferred(_small_graph(), tmp_path / "inferred.txt")


def test_inferred_path_says_to_run_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceError) as caught:
        inferred_file()
    assert str(caught.value) == (
        "dist/inferred.ttl: no inferred graph here; run 'collabkg reason' first (it writes one)"
    )
    assert inferred_file(must_exist=False) == Path("dist/inferred.ttl")


# --- the command -------------------------------------------------------------------


@requires_java
def test_cli_reason_writes_the_inferred_graph(cli, tmp_path: Path, hermit: ReasoningResult):
    out = tmp_path / "inferred.ttl"
    result = cli("--data", str(INFERENCE), "reason", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("consistent (HermiT, ")
    assert lines[0].endswith(" asserted triples entail 100 more")
    assert lines[1] == f"wrote {out} (100 triples; graph <{GRAPH_INFERRED}>)"
    assert "  ckg:CrossSectorCollaboration  3" in lines
    assert set(reason.read_inferred(out)) == set(hermit.inferred)


def test_cli_reason_inconsistent_exits_1_naming_the_clash(cli, tmp_path: Path):
    out = tmp_path / "inferred.ttl"
    result = cli("--data", str(INCONSISTENT_POLARITY), "reason", "--reasoner", "owlrl", "-o", str(out))
    assert result.exit_code == 1
    assert "collabkg: reason: inconsistent (owlrl (OWL 2 RL), " in result.output
    assert (
        "  - factor:both-ways has 2 different values of the functional property "
        "ckg:hasPolarity: ckg:challenge and ckg:enabler\n"
    ) in result.output
    assert not out.exists()


@requires_java
def test_cli_reason_pellet_names_the_java_it_needs(cli, tmp_path: Path):
    """Pellet either runs (a new enough Java) or stops with exit 2 saying which Java it needs."""
    result = cli("--data", str(INFERENCE), "reason", "--reasoner", "pellet", "-o", str(tmp_path / "x.ttl"))
    if result.exit_code == 2:
        assert "collabkg: error: Pellet cannot run on this Java: the Pellet bundled with owlready2 needs Java " in result.output
        assert "Traceback" not in result.output
    else:
        assert result.exit_code == 0, result.output


def _canned(monkeypatch: pytest.MonkeyPatch, **fields) -> None:
    """Make ``collabkg reason`` report ``fields`` without running a reasoner."""
    result = ReasoningResult(
        requested=Reasoner.HERMIT, reasoner=Reasoner.HERMIT, consistent=True, asserted=10, seconds=0.5
    )
    for name, value in fields.items():
        setattr(result, name, value)
    monkeypatch.setattr(reason, "reason", lambda paths, reasoner: result)


def test_cli_reason_names_unsatisfiable_classes(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    _canned(monkeypatch, unsatisfiable=(CKG + "ChallengingEnabler",))
    result = cli("reason", "-o", str(tmp_path / "x.ttl"))
    assert result.exit_code == 1
    assert result.stderr == (
        "collabkg: reason: unsatisfiable class (HermiT, 0.5 s): no individual can belong to it; "
        "nothing written.\n  - ckg:ChallengingEnabler\n"
    )
    assert not (tmp_path / "x.ttl").exists()


def test_cli_reason_to_standard_output(cli, monkeypatch: pytest.MonkeyPatch):
    _canned(monkeypatch, inferred=_small_graph(), notes=("a note",))
    result = cli("reason", "-o", "-")
    assert result.exit_code == 0
    assert set(rdflib.Graph().parse(data=result.stdout, format="turtle")) == set(_small_graph())
    # the same bytes as the file reason writes, and as export writes Turtle
    assert result.stdout_bytes == reason.serialize_inferred(_small_graph())
    assert result.stderr.splitlines() == [
        "collabkg: reason: note: a note",
        "consistent (HermiT, 0.5 s): 10 asserted triples entail 2 more",
        "inferred, by term of the ontology:",
        "  ckg:CrossSectorCollaboration  1",
        "  ckg:hasExample                1",
    ]


def test_query_with_inferred_sees_the_bundled_inferences(
    bundled: ReasoningResult, tmp_path: Path, cli
) -> None:
    inferred = reason.write_inferred(bundled.inferred, tmp_path / "inferred.ttl")
    sparql = (
        "SELECT ?c WHERE { GRAPH <https://w3id.org/collabkg/graph/inferred> "
        "{ ?c a <https://w3id.org/collabkg/ontology#CrossSectorCollaboration> } } ORDER BY ?c"
    )
    without = cli("query", "--sparql", sparql, "--format", "csv")
    with_inferred = cli("query", "--inferred-file", str(inferred), "--sparql", sparql, "--format", "csv")
    assert without.exit_code == with_inferred.exit_code == 0
    assert without.stdout.splitlines() == ["c"]
    assert with_inferred.stdout.splitlines() == ["c"] + [
        f"{ID}collaboration/{slug}"
        for slug in ("kent-fire-rescue-age-uk", "northumbria-ppe", "stepping-up", "vibrant-communities")
    ]


def test_inferred_without_a_reasoned_graph_says_run_reason(tmp_path: Path, cli) -> None:
    missing = tmp_path / "none.ttl"
    result = cli("query", "factors-by-theme", "--inferred-file", str(missing))
    assert result.exit_code == 2
    assert result.stderr == (
        f"collabkg: error: {missing}: no inferred graph here; "
        "run 'collabkg reason' first (it writes one)\n"
    )
