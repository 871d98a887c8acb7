"""The query catalogue: every listed query exists, documents itself and gives its expected answer.

Expected answers (``tests/expected/NAME.tsv``) were written from the report by
reading it, not by running the queries; a changed answer fails here with the
missing and extra rows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_collabkg, subprocess_env
from expected_results import assert_same, expected_path, is_ordered, load_expected

import collabkg
from collabkg import catalogue
from collabkg.catalogue import (
    HeaderError,
    Parameter,
    ParameterError,
    ParamType,
    UnknownQuery,
)
from collabkg.query import SparqlSyntaxError, bind, run
from collabkg.results import ResultFormat, render
from collabkg.stores import Solutions
from collabkg.stores.oxigraph import OxigraphStore
from collabkg.stores.sparql import _from_sparql_json

# The catalogue the issue asks for, by name.
LISTED = [
    "enablers-by-case",
    "challenges-by-case",
    "factors-by-theme",
    "participants-by-case",
    "case-factor-matrix",
    "evidence",
    "dimensions-by-case",
    "cases-by-dimension",
    "organisations",
    "cross-sector-collaborations",
    "theme-summary",
    "figures",
    "methodology",
    "references",
    "provenance",
    # The evidence browser's (queries/passages.rq, tests/expected/passages.tsv).
    "passages",
    # Which enablers' words answer which challenges (queries/enablers-for-challenges.rq).
    "enablers-for-challenges",
]
CASE = "https://w3id.org/collabkg/id/case/"
FACTOR = "https://w3id.org/collabkg/id/factor/"


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return OxigraphStore.from_graph()


def test_every_listed_query_is_in_the_catalogue_and_no_other():
    assert sorted(catalogue.catalogue()) == sorted(LISTED)


@pytest.mark.parametrize("name", LISTED)
def test_query_documents_itself(name):
    query = catalogue.find(name)
    assert query.summary and query.description, "a query needs a summary and a description"
    assert query.tags
    assert query.form == "SELECT"
    for parameter in query.parameters:
        assert parameter.name in query.description, (
            f"{name}: the description should say what {parameter.name} is"
        )
        # grlc answers 500 where a required parameter is left out and does not apply '#+ defaults':
        # a parameter with a default is optional, and the query applies the default itself
        # (tests/test_portability.py checks that it is the header's).
        assert not parameter.required, f"{name}: make {parameter.name!r} optional (?__{parameter.variable.lstrip('_')})"


@pytest.mark.parametrize("name", LISTED)
def test_query_gives_its_expected_answer(name, store):
    query = catalogue.find(name)
    expected = load_expected(name)
    actual = run(query, store=store)
    assert isinstance(actual, Solutions)
    # In order, always: the expected files give the rows in the order the report gives them (Table 1's
    # cases, Table 2's factors...), so an answer in another order, or a query that lost its ORDER BY, fails.
    assert_same(actual, expected, ordered=True, label=name)


@pytest.mark.parametrize("name", LISTED)
def test_every_canned_query_orders_its_answer(name):
    """An engine may return an unordered answer in any order: every canned query says its order."""
    assert is_ordered(catalogue.find(name).text), f"{name}: the query has no ORDER BY"


def test_every_expected_file_belongs_to_a_query():
    names = {p.stem for p in expected_path("x").parent.glob("*.tsv")}
    assert names == set(LISTED)


def test_table_2_has_29_factors_and_table_1_six_cases_and_a_total(store):
    assert len(run("factors-by-theme", store=store)) == 29
    table1 = run("participants-by-case", store=store)
    assert [row["caseLabel"].value for row in table1][-1] == "TOTAL"
    counts = [row["participants"].to_python() for row in table1]
    assert sum(counts[:-1]) == counts[-1] == 37


def test_matrix_cell_counts_match_the_evidence_rows_behind_them(store):
    """The drill-down: a cell of the matrix counts exactly the rows 'evidence' gives for it."""
    cells = {
        (row["case"].value, row["factor"].value): row["evidence"].to_python()
        for row in run("case-factor-matrix", store=store)
    }
    for (case, factor), count in cells.items():
        if count:
            rows = run("evidence", {"case": case, "factor": factor}, store=store)
            assert len(rows) == count, (case, factor)
    assert sum(cells.values()) == len(run("evidence", store=store))


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------


def test_optional_parameters_narrow_the_answer(store):
    northumbria = run("enablers-by-case", {"case": "case:northumbria"}, store=store)
    assert {row["factorLabel"].value for row in northumbria} == {
        "Clear, shared purpose",
        "Focusing on outcomes",
    }
    structures = run("factors-by-theme", {"theme": "theme:structures"}, store=store)
    assert len(structures) == 10
    assert {row["themeLabel"].value for row in structures} == {"Structures"}


def test_a_required_parameter_takes_its_default_or_the_value_given(store):
    default = run("cases-by-dimension", store=store)
    explicit = run(
        "cases-by-dimension", {"pole": "https://w3id.org/collabkg/id/dimension/horizontal"}, store=store
    )
    assert default.rows == explicit.rows
    vertical = run(
        "cases-by-dimension", {"pole": "https://w3id.org/collabkg/id/dimension/vertical"}, store=store
    )
    assert [row["case"].value for row in vertical] == [CASE + "nightingale-courts"]


def test_provenance_of_a_factor_lists_its_table_2_cell(store):
    rows = run("provenance", {"resource": FACTOR + "clear-shared-purpose"}, store=store)
    passages = {row["passage"].value.rsplit("/", 1)[1] for row in rows}
    assert "table2-clear-shared-purpose" in passages


@pytest.mark.parametrize("engine", ["memory", "rdflib"])
def test_provenance_of_an_assertion_without_a_passage_is_one_row_without_text(engine, tmp_path):
    # The shapes forbid it, but a query must not join such a row with every quotation.
    extra = tmp_path / "unsourced.ttl"
    extra.write_text(
        "@prefix ckg: <https://w3id.org/collabkg/ontology#> .\n"
        "<https://example.org/unsourced> ckg:assertedSubject <%snorthumbria> ;\n"
        "    ckg:assertedProperty <http://www.w3.org/2000/01/rdf-schema#comment> ;\n"
        '    ckg:assertedValue "zz unsourced" ; ckg:assertionStatus ckg:interpretive .\n' % CASE,
        encoding="utf-8",
    )
    from collabkg import bundle

    params = {"resource": CASE + "northumbria"}
    before = run("provenance", params, store=engine).rows
    after = run("provenance", params, store=engine, data=[bundle.data_dir(), extra])
    assert len(after) == len(before) + 1
    added = [row for row in after if row["value"] is not None and row["value"].value == "zz unsourced"]
    assert [(row["status"].value, row["passage"], row["text"]) for row in added] == [
        ("interpretive", None, None)
    ]


def test_parameters_are_read_the_basil_way():
    assert Parameter.from_variable("_case_iri") == Parameter("case", "_case_iri", ParamType.IRI, True)
    assert Parameter.from_variable("__theme_iri") == Parameter("theme", "__theme_iri", ParamType.IRI, False)
    assert Parameter.from_variable("_year_integer").type is ParamType.INTEGER
    assert Parameter.from_variable("_label").type is ParamType.LITERAL
    assert Parameter.from_variable("_case_study_iri").name == "case_study"
    assert Parameter.from_variable("label") is None


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (ParamType.IRI, "http://x> } INSERT DATA { <a> <b> <c> } #"),
        (ParamType.IRI, "case:northumbria>"),
        (ParamType.IRI, 'https://example.org/"quoted"'),
        (ParamType.IRI, "https://example.org/a\nb"),
        (ParamType.IRI, "not an iri"),
        (ParamType.INTEGER, "7 } INSERT"),
        (ParamType.INTEGER, "7.5"),
        (ParamType.INTEGER, True),
    ],
)
def test_values_that_do_not_fit_their_type_are_refused(kind, value):
    with pytest.raises(ParameterError):
        kind.to_sparql("p", value)


def test_unknown_and_missing_parameters_list_the_query_parameters():
    with pytest.raises(
        ParameterError, match=r"no parameter 'colour'.*case \(IRI, optional\).*theme \(IRI, optional\)"
    ):
        run("enablers-by-case", {"colour": "red"})
    query = catalogue.read_query("q.rq", text="SELECT ?x WHERE { ?x ?p ?_thing_iri }", require_summary=False)
    with pytest.raises(ParameterError, match=r"needs parameter 'thing'.*thing \(IRI, required\)"):
        bind(query, {})


# --------------------------------------------------------------------------
# Injection: a value is one RDF term, whatever it holds
# --------------------------------------------------------------------------

HOSTILE = [
    'x" } INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "x' . ?s ?p ?o . #",
    'Clear, shared purpose" || true || "',
    "a\n} } SELECT * WHERE { ?s ?p ?o",
    "> } ; DROP ALL ; <",
    "# comment",
    "}",
]
LABEL_QUERY = """#+ summary: Factors with a given label
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?factor WHERE { ?factor skos:prefLabel ?_label }
"""


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_literal_is_matched_as_a_plain_value(value, tmp_path):
    store = OxigraphStore.from_graph()
    before = len(store)
    path = tmp_path / "by-label.rq"
    path.write_text(LABEL_QUERY, encoding="utf-8")
    assert run(path, {"label": value}, store=store).rows == []
    assert len(store) == before
    # ...and the same query finds a real label, so the empty answer means something.
    found = run(path, {"label": "Clear, shared purpose"}, store=store)
    assert [row["factor"].value for row in found] == [FACTOR + "clear-shared-purpose"]


@pytest.mark.parametrize("value", [v for v in HOSTILE if any(c in v for c in '<>"{}|^`\\ \n')])
def test_a_hostile_iri_is_refused_and_the_store_unchanged(value):
    store = OxigraphStore.from_graph()
    before = len(store)
    with pytest.raises(ParameterError):
        run("enablers-by-case", {"case": value}, store=store)
    assert len(store) == before


def test_a_parameter_named_twice_with_different_types_is_an_error(tmp_path):
    path = tmp_path / "twice.rq"
    path.write_text("SELECT * WHERE { ?_case_iri ?p ?__case_literal }\n", encoding="utf-8")
    with pytest.raises(HeaderError, match=r"twice\.rq:1: a parameter is named twice with different types or flags"):
        catalogue.read_query(path, require_summary=False)


def test_an_update_is_not_a_query():
    with pytest.raises(SparqlSyntaxError):
        run(sparql="INSERT DATA { <urn:a> <urn:b> <urn:c> }")


# --------------------------------------------------------------------------
# The catalogue's files: strict headers, errors that say where
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#+ summary hello\nSELECT * {}", ":1: expected '#+ key: value'"),
        ("#+ sumary: x\nSELECT * {}", ":1: unknown key 'sumary'"),
        ("#+ summary: x\n#+   - y\nSELECT * {}", ":2: list item 'y' outside a list key"),
        ("#+ summary: x\n#+ summary: y\nSELECT * {}", ":2: key 'summary' given twice"),
        ("#+ summary: x\n#+ tags: a\nSELECT * {}", ":2: 'tags' takes a list"),
        ("#+ summary: x\n#+ tags:\nSELECT * {}", ":2: 'tags' has no items"),
        ("#+ summary: x\nSELECT * {}\n#+ tags:", ":3: '#+' line after the header"),
        ("#+ description: x\nSELECT * {}", ":1: the header has no '#+ summary:' line"),
        (
            "#+ summary: x\n#+ defaults:\n#+   - pole: http://x\nSELECT * {}",
            ":3: default for 'pole', which is not a parameter",
        ),
        (
            "#+ summary: x\n#+ defaults:\n#+   - n: seven\nSELECT * { ?s ?p ?_n_integer }",
            ":3: default: parameter 'n' takes an integer",
        ),
        # What YAML (and so grlc) would read otherwise, or not at all:
        ("#+ summary: a: b\nSELECT * {}", ":1: the value 'a: b' has a ': ', which YAML reads as a key: quote it"),
        ("#+ summary: x #1\nSELECT * {}", ":1: the value 'x #1' has a ' #', which YAML reads as the start"),
        ("#+ summary: [x]\nSELECT * {}", ":1: the value '[x]' starts with '[', which YAML reads as syntax"),
        ("#+ summary: x\n#+ tags:\n#+   - yes\nSELECT * {}", ":3: the value 'yes' is not text to YAML"),
        ("#+ summary: 2021-01-31\nSELECT * {}", ":1: the value '2021-01-31' is not text to YAML"),
        ("#+ summary: 'it's'\nSELECT * {}", ":1: the value \"'it's'\" is not one 'quoted' string"),
        ('#+ summary: "a \\q"\nSELECT * {}', ":1: the value '\"a \\\\q\"' has an escape YAML does not read: \\q"),
        ("#+ summary: x\n#+ defaults:\n#+   - pole\nSELECT * { ?s ?p ?__pole_iri }", ":3: default 'pole' is not 'name: value'"),
        ("#+ summary: x\n#+ tags:\n#+ \t- y\nSELECT * {}", ":3: expected '#+ key: value'"),
    ],
)
def test_a_malformed_header_is_an_error_not_empty_metadata(text, message, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HeaderError) as error:
        catalogue.read_query(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_quoted_header_values_read_as_yaml_reads_them(tmp_path):
    path = tmp_path / "quoted.rq"
    path.write_text(
        "#+ summary: 'How it was done: the ''evidence'' query'\n"
        '#+ description: "Table 2, \\"Summary\\": one row per factor\\tin order \\u00e9"\n'
        "#+ tags:\n#+   - 'true'\n#+   - plain text, with commas\n"
        "#+ defaults:\n#+   - case: 'https://w3id.org/collabkg/id/case/northumbria'\n"
        "SELECT * { ?s ?p ?__case_iri }\n",
        encoding="utf-8",
    )
    query = catalogue.read_query(path)
    assert query.summary == "How it was done: the 'evidence' query"
    assert query.description == 'Table 2, "Summary": one row per factor\tin order \u00e9'
    assert query.tags == ("true", "plain text, with commas")
    assert query.parameters[0].default == "https://w3id.org/collabkg/id/case/northumbria"


def test_an_unknown_query_names_the_closest_ones():
    with pytest.raises(UnknownQuery, match="Did you mean: enablers-by-case, challenges-by-case"):
        catalogue.find("enabler-by-case")


def test_malformed_sparql_says_line_and_column(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: broken\nSELECT ?x\nWHERE { ?x ?p ?o . FILTER(?x = ) }\n", encoding="utf-8")
    with pytest.raises(
        SparqlSyntaxError, match=r"broken\.rq: SPARQL syntax error at line 3, column 20 \(near 'FILTER"
    ):
        run(path)


def test_values_go_at_the_start_of_the_where_clause_whatever_comes_before():
    text = (
        "#+ summary: x\n# a comment with { and ?_fake_iri\nPREFIX : <urn:x#>\n"
        'SELECT ?x (EXISTS { ?x :p "{" } AS ?e) WHERE { ?x :q ?_case_iri }'
    )
    query = catalogue.read_query("q.rq", text=text)
    assert [p.name for p in query.parameters] == ["case"]
    bound = bind(query, {"case": "urn:a"})
    assert bound.endswith("WHERE { VALUES ?_case_iri { <urn:a> } ?x :q ?_case_iri }")
    construct = catalogue.read_query(
        "c.rq", text="#+ summary: c\nCONSTRUCT { ?s ?p ?_o_iri } WHERE { ?s ?p ?_o_iri }"
    )
    assert bind(construct, {"o": "urn:o"}).endswith("WHERE { VALUES ?_o_iri { <urn:o> } ?s ?p ?_o_iri }")


# --------------------------------------------------------------------------
# Output formats
# --------------------------------------------------------------------------


def test_csv_tsv_and_json_are_the_w3c_formats_pyoxigraph_writes(store):
    """Our serialisations parse back, with pyoxigraph's W3C parsers, to the same solutions."""
    import pyoxigraph as ox

    result = run("figures", store=store)
    for fmt, ox_fmt in [
        (ResultFormat.CSV, None),
        (ResultFormat.TSV, ox.QueryResultsFormat.TSV),
        (ResultFormat.JSON, ox.QueryResultsFormat.JSON),
    ]:
        text = render(result, fmt)
        if ox_fmt is None:
            assert text.splitlines()[0] == ",".join(result.variables)
            assert text.endswith("\r\n")
            continue
        parsed = ox.parse_query_results(text.encode(), format=ox_fmt)
        rows = [tuple(None if s[v] is None else str(s[v]) for v in result.variables) for s in parsed]
        assert rows == [tuple(None if t is None else t.n3() for t in row) for row in result.rows]


def test_the_table_cuts_wide_cells_unless_full(store):
    result = run("enablers-by-case", {"case": "case:northumbria"}, store=store)
    cut = render(result, ResultFormat.TABLE, width=100)
    assert all(len(line) <= 100 for line in cut.splitlines())
    assert "…" in cut
    assert cut.splitlines()[-1] == (
        "(2 rows; IRIs of case, theme, factor in --format csv, tsv or json; --full shows cut cells whole)"
    )
    whole = render(result, ResultFormat.TABLE, width=100, full=True)
    assert all(len(line) <= 100 for line in whole.splitlines())
    assert "…" not in whole
    # One block per row; each value, unwrapped, is the whole cell.
    blocks = whole.split("-- row ")[1:]
    assert len(blocks) == 2
    values: dict[str, str] = {}
    name = ""
    for line in blocks[0].splitlines()[1:]:
        if line[:1].strip():
            name, _, value = line.partition("  ")
            values[name] = value.strip()
        else:
            values[name] += " " + line.strip()
    assert values["text"] == result.rows[0][result.variables.index("text")].value
    assert values["status"] == "interpretive"


def test_a_table_that_fits_is_the_same_with_or_without_full(store):
    result = run("participants-by-case", store=store)
    assert render(result, ResultFormat.TABLE, width=400) == render(
        result, ResultFormat.TABLE, width=400, full=True
    )


def test_markdown_escapes_pipes_and_newlines():
    from collabkg.stores import Term

    result = Solutions(("a",), [(Term("literal", "x|y\nz"),)])
    assert render(result, ResultFormat.MD) == "| a |\n|---|\n| x\\|y<br>z |\n"


def test_ask_and_construct(store):
    assert (
        render(run(sparql="ASK { ?c a <https://w3id.org/collabkg/ontology#CaseStudy> }", store=store))
        == "true\n"
    )
    turtle = render(
        run(
            sparql="CONSTRUCT { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE "
            "{ ?c a <https://w3id.org/collabkg/ontology#CaseStudy> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
            store=store,
        )
    )
    assert (
        "@prefix case: " in turtle
        and 'case:northumbria rdfs:label "Responding to COVID-19 in Northumbria"' in turtle
    )


# --------------------------------------------------------------------------
# CLI and Python API
# --------------------------------------------------------------------------


def test_the_python_api_returns_rows_as_dicts():
    rows = collabkg.query("participants-by-case")
    assert rows[-1] == {
        "case": None,
        "caseLabel": "TOTAL",
        "participants": 37,
        "status": "stated",
        "basis": None,
    }
    hmpps = next(r for r in rows if r["case"] == CASE + "homelessness-prevention")
    assert hmpps["participants"] == 8 and hmpps["status"] == "derived"
    assert (
        collabkg.query("cases-by-dimension", pole="https://w3id.org/collabkg/id/dimension/vertical")[0][
            "caseLabel"
        ]
        == "Her Majesty's Courts and Tribunal Service, Nightingale Courts"
    )


def test_cli_queries_lists_names_summaries_and_parameters(cli):
    result = cli("queries")
    assert result.exit_code == 0
    for name in LISTED:
        assert f"\n{name}\n" in "\n" + result.output
    assert (
        "parameters: pole (IRI, optional, default https://w3id.org/collabkg/id/dimension/horizontal)"
        in result.output
    )


def test_cli_query_answers_the_headline_question(cli):
    result = cli("query", "enablers-by-case", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = _from_sparql_json(result.stdout_bytes, "collabkg query")
    assert_same(answer, load_expected("enablers-by-case"), ordered=True, label="enablers-by-case as JSON")


def test_cli_query_params_limit_and_formats(cli):
    result = cli(
        "query", "enablers-by-case", "--param", "case=case:northumbria", "--format", "csv", "--limit", "1"
    )
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode().split("\r\n")  # .output would turn CRLF into LF
    assert lines[0].startswith("case,caseLabel,theme") and lines[1].startswith(CASE + "northumbria,")
    assert lines[2:] == [""]
    tsv = cli("query", "methodology", "--format", "tsv").output.splitlines()
    period = '"fieldwork period"\t"January to March 2021"\t"stated"\t'
    assert tsv[1] == "<https://w3id.org/collabkg/ontology#fieldworkPeriod>\t" + period


def test_cli_ask_sets_the_exit_code(cli):
    assert (
        cli("query", "--sparql", "ASK { ?s a <https://w3id.org/collabkg/ontology#CaseStudy> }").exit_code == 0
    )
    false = cli("query", "--sparql", "ASK { ?s a <urn:nothing> }")
    assert (false.exit_code, false.output) == (1, "false\n")


def test_cli_runs_a_query_file(cli, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text(
        "SELECT (COUNT(*) AS ?cases) WHERE { ?c a <https://w3id.org/collabkg/ontology#CaseStudy> }"
    )
    result = cli("query", str(path), "--format", "tsv")
    assert (result.exit_code, result.stdout) == (0, "?cases\n6\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "enabler-by-case"], "unknown query 'enabler-by-case'. Did you mean: enablers-by-case"),
        (
            ["query", "evidence", "--param", "kase=case:northumbria"],
            "has no parameter 'kase'; its parameters: case (IRI, optional), factor (IRI, optional)",
        ),
        (["query", "evidence", "--param", "case"], "--param takes NAME=VALUE"),
        (["query", "evidence", "--param", "case=case:north>umbria"], "parameter 'case' takes an IRI"),
        (["query", "--sparql", "SELECT ?x WHERE {\n  ?x ?y }"], "SPARQL syntax error at line 2, column "),
        (["query", "--sparql", "SELECT * {}", "--store", "nowhere:x"], "unknown store 'nowhere:x'"),
        (["query"], "give a query NAME or FILE.rq, or --sparql TEXT"),
        (["query", "missing.rq"], "missing.rq: cannot read the query file"),
    ],
)
def test_cli_bad_input_exits_2_with_a_clear_message(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------
# Speed: the query path stays light
# --------------------------------------------------------------------------


def test_the_query_path_imports_no_heavy_library_and_does_not_validate():
    probe = (
        "import sys\n"
        "from collabkg.cli import main\n"
        "try:\n"
        "    main(['query', 'enablers-by-case', '--format', 'csv'])\n"
        "finally:\n"
        "    heavy = sorted(m for m in ('rdflib', 'pyshacl', 'owlready2', 'requests', 'collabkg.stores.remote',\n"
        "                               'collabkg.shacl', 'collabkg.validate',\n"
        "                               'logging', 'dataclasses', 'json', 'yaml',\n"
        "                               'threading', 'shutil', 'tqdm')\n"
        "                   if m in sys.modules)\n"
        "    print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        check=False,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    assert done.stdout.startswith("case,caseLabel,")


def test_a_query_is_parsed_and_checked_once_and_read_again_when_edited(tmp_path, store, monkeypatch):
    import pyoxigraph

    parsed, checked = [], []
    parse_header = catalogue.parse_header
    monkeypatch.setattr(catalogue, "parse_header", lambda *a: parsed.append(a) or parse_header(*a))
    monkeypatch.setattr(pyoxigraph, "Store", lambda *a, _s=pyoxigraph.Store: checked.append(a) or _s(*a))
    path = tmp_path / "by-label.rq"
    text = LABEL_QUERY.replace("Factors", f"Factors ({tmp_path.name})")  # a text no other test ran
    path.write_text(text, encoding="utf-8")
    for _ in range(3):
        found = run(path, {"label": "Clear, shared purpose"}, store=store)
        assert found.variables == ("factor",) and len(found) == 1
    assert (len(parsed), len(checked)) == (1, 1)
    # At once and to the same size, so that a cache keyed on mtime and size would miss the edit.
    path.write_text(text.replace("?factor", "?entity"), encoding="utf-8")
    edited = run(path, {"label": "Clear, shared purpose"}, store=store)
    assert edited.variables == ("entity",) and edited.rows == found.rows
    assert (len(parsed), len(checked)) == (2, 2)
    assert catalogue.find("by-label", tmp_path) is catalogue.find("by-label", tmp_path)
    assert "?entity" in catalogue.find("by-label", tmp_path).text


def test_a_bad_query_fails_alike_each_time_and_names_its_own_file(tmp_path):
    broken = "#+ summary: broken\nSELECT ?x\nWHERE { ?x ?p ?o . FILTER(?x = ) }\n"
    for name in ("one.rq", "two.rq", "one.rq"):
        path = tmp_path / name
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(SparqlSyntaxError, match=rf"^{path}: SPARQL syntax error at line 3, column 20 "):
            run(path)
    header = tmp_path / "header.rq"
    header.write_text("#+ sumary: x\nSELECT * {}", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(HeaderError, match=rf"^{header}:1: unknown key 'sumary'"):
            catalogue.read_query(header)


def test_the_command_line_entry_point_answers(tmp_path):
    done = run_collabkg("query", "participants-by-case", "--format", "tsv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[-1].startswith('\t"TOTAL"\t37\t"stated"')


def test_queries_ship_in_the_wheel_layout():
    """The catalogue is read through collabkg.bundle, which finds the bundled copy when installed."""
    assert catalogue.queries_dir() == REPO / "queries"  # a source checkout; test_install checks the wheel
    assert Path(catalogue.queries_dir(), "enablers-by-case.rq").is_file()


def test_the_readme_shows_the_real_answer_to_the_headline_question(store):
    """The excerpts in README.md and docs/querying.md are the real output (at 118 and 100 columns)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = next(b for b in readme.split("```") if b.startswith("\ncaseLabel              themeLabel"))
    assert table.lstrip("\n") == render(run("enablers-by-case", store=store), ResultFormat.TABLE, width=118)
    querying = (REPO / "docs" / "querying.md").read_text(encoding="utf-8")
    record = next(b for b in querying.split("```") if b.startswith("\n-- row 1 "))
    northumbria = run("enablers-by-case", {"case": "case:northumbria"}, store=store)
    assert render(northumbria, ResultFormat.TABLE, width=100, full=True).startswith(record.lstrip("\n"))
    assert "pip install . && collabkg query enablers-by-case" in readme
