"""``collabkg stats``: exact counts, on the report and on the tiny graph; a light import path."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASE_ALPHA, CASE_BETA, Result, subprocess_env

from collabkg import bundle
from collabkg.readers import iter_quads
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


def test_report_counts() -> None:
    s = stats()
    assert s.case_studies == 6
    assert s.participants == 37  # Table 1, the blank cell recorded as derived
    assert s.participants_stated_total == 37  # "interviewed 37 participants"
    assert s.themes == 3
    assert s.factors == 29
    assert s.factors_by_theme == TABLE_2
    assert s.dimensions == 3
    assert s.poles == 6
    assert s.examples == 6
    assert s.quotations >= 6  # at least one per example
    assert s.quantitative_facts >= 3  # gowns a day, six weeks against 18-24 months, 18 months
    assert s.organisations >= 6  # at least each case's lead organisation
    assert set(s.assertions_by_status) <= {"stated", "derived", "interpretive"}
    assert s.assertions_by_status.get("derived", 0) >= 1  # the blank cell of Table 1
    assert sum(s.assertions_by_status.values()) == s.assertions
    assert s.triples == s.ontology_triples + s.data_triples


def test_report_stats_text(cli: Callable[..., Result]) -> None:
    result = cli("stats")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    width = len(lines[0])
    assert all(len(line) == width for line in lines)  # numbers right-aligned in one column
    table = dict(line.strip().rsplit(None, 1) for line in lines)
    table = {label.strip(): value for label, value in table.items()}
    assert table["case studies"] == "6"
    assert table["participants (sum over cases)"] == "37"
    assert table["participants (stated total)"] == "37"
    assert table["themes"] == "3"
    assert table["factors"] == "29"
    assert [table[f"{f.theme} / {f.polarity}"] for f in TABLE_2] == ["5", "4", "5", "5", "5", "5"]
    assert table["dimensions"] == "3"
    assert table["poles"] == "6"
    assert table["illustrative examples"] == "6"


def test_report_stats_json(cli: Callable[..., Result]) -> None:
    result = cli("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["case_studies"] == 6
    assert document["participants"] == 37
    assert document["factors_by_theme"] == [
        {"theme": f.theme, "polarity": f.polarity, "count": f.count} for f in TABLE_2
    ]


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
    assert result.exit_code == 0
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
    s = stats([path])
    assert (s.case_studies, s.participants, s.participants_stated_total) == (1, 2, None)
    result = cli("--data", str(path), "stats", "--format", "json")
    assert json.loads(result.stdout)["participants_stated_total"] is None
    lines = cli("--data", str(path), "stats").stdout.splitlines()
    assert "participants (stated total)      -" in lines


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
    assert len(triples) == 4


def test_store_reports_sparql_syntax_errors_with_line_and_column(tiny: Path) -> None:
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores import StoreError, open_store

    store = open_store(None, KnowledgeGraph([tiny]))
    with pytest.raises(StoreError, match=r"^SPARQL syntax error at line 2, column \d+: "):
        store.query("SELECT ?x WHERE {\n  ?x ?y }")
