"""The contract suite: every canned query on every engine, identical answers.

Engines: embedded Oxigraph in memory (the default), a persistent Oxigraph
store made by ``collabkg build --store oxigraph:DIR``, rdflib's own SPARQL
engine, and a real Oxigraph server (``oxigraph serve``) reached over HTTP as
``sparql:URL``. Each answer must equal the expected answer written from the
report, and the same rows in the same order as the default engine's.

tests/test_portability.py asks every canned query, with its defaults and
with each parameter alone, of the default engine (against the expected
answer), rdflib and an Oxigraph server: here the persistent store answers
every canned query, and every engine binds several parameters together.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from conftest import run_collabkg
from expected_results import assert_same, is_ordered, load_expected, normal_rows
from oxigraph_server import OxigraphServer, free_port, oxigraph_server  # noqa: F401 - a fixture
from test_portability import CASES as PORTABLE_CASES

from collabkg import bundle, catalogue
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY
from collabkg.query import run
from collabkg.readers import expand
from collabkg.stats import stats
from collabkg.stores import Store, StoreError, open_store
from collabkg.stores.oxigraph import OxigraphStore, create_oxigraph_store
from collabkg.stores.rdflib_engine import RdflibStore
from collabkg.stores.sparql import SparqlStore, _from_sparql_json

NAMES = sorted(catalogue.catalogue())
ENGINES = ["memory", "oxigraph-dir", "rdflib", "sparql"]
CASE = "https://w3id.org/collabkg/id/case/"
TABLE_1 = {
    CASE + "nightingale-courts": 5,
    CASE + "homelessness-prevention": 8,  # the blank cell: 37 less the other five
    CASE + "northumbria": 7,
    CASE + "kent-fire-rescue": 5,
    CASE + "vibrant-communities": 6,
    CASE + "stepping-up": 6,
    "https://w3id.org/collabkg/id/doc/methodology": 37,  # "interviewed 37 participants"
}
"""Participants by case study (the report's Table 1), and in all."""

# Parameter values beyond the defaults, so that binding is tested on every engine too.
WITH_PARAMETERS = [
    ("enablers-by-case", {"case": "case:northumbria"}),
    ("challenges-by-case", {"theme": "theme:relationships"}),
    (
        "evidence",
        {"case": "case:vibrant-communities", "factor": "factor:adopting-facilitative-styles-of-leadership"},
    ),
    ("case-factor-matrix", {"case": "case:kent-fire-rescue", "theme": "theme:relationships"}),
    ("cases-by-dimension", {"pole": "dim:vertical"}),
    ("provenance", {"resource": "fact:nightingale-speed-up"}),
    ("dimensions-by-case", {"case": "case:northumbria"}),
    ("factors-by-theme", {"theme": "theme:motivations"}),
]


@pytest.fixture(scope="module")
def served(oxigraph_server: OxigraphServer) -> OxigraphServer:  # noqa: F811
    """The Oxigraph server, loaded with the ontology and the data in their named graphs."""
    oxigraph_server.load(bundle.ontology_path(), GRAPH_ONTOLOGY)
    oxigraph_server.load_all(expand([bundle.data_dir()]), GRAPH_DATA)
    return oxigraph_server


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, served: OxigraphServer) -> dict[str, Store]:
    directory = tmp_path_factory.mktemp("store") / "oxigraph"
    create_oxigraph_store(directory)
    return {
        "memory": open_store(),
        "oxigraph-dir": open_store(f"oxigraph:{directory}"),
        "rdflib": open_store("rdflib"),
        "sparql": open_store(f"sparql:{served.query_url}"),
    }


def test_the_engines_are_the_ones_named(engines):
    assert isinstance(engines["memory"], OxigraphStore)
    assert isinstance(engines["oxigraph-dir"], OxigraphStore)
    assert isinstance(engines["rdflib"], RdflibStore)
    assert isinstance(engines["sparql"], SparqlStore)
    sizes = {name: len(store) for name, store in engines.items() if name != "sparql"}
    assert sizes == {name: stats().triples for name in sizes}  # the ontology and the data, each


@pytest.mark.parametrize("name", NAMES)
def test_every_canned_query_gives_the_expected_answer_from_a_persistent_store(name, engines):
    query = catalogue.find(name)
    answer = run(query, store=engines["oxigraph-dir"])
    assert_same(answer, load_expected(name), ordered=is_ordered(query.text), label=f"{name} on oxigraph-dir")
    reference = run(query, store=engines["memory"])
    assert normal_rows(answer) == normal_rows(reference), f"{name}: oxigraph-dir and memory differ"


BINDINGS = [
    pytest.param(name, params, engine, id=f"{name}-{engine}")
    for engine in ENGINES[1:]
    for name, params in WITH_PARAMETERS
    if engine == "oxigraph-dir" or (name, params) not in PORTABLE_CASES
]
"""Each value set on each engine but the default, unless tests/test_portability.py asks it already."""


@pytest.mark.parametrize(("name", "params", "engine"), BINDINGS)
def test_parameters_bind_alike_on_every_engine(name, params, engine, engines):
    reference = run(name, params, store=engines["memory"])
    everything = run(name, {}, store=engines["memory"])
    assert reference.rows, f"{name} {params}: the reference answer should not be empty"
    assert normal_rows(reference) != normal_rows(everything), f"{name} {params}: nothing less is selected"
    answer = run(name, params, store=engines[engine])
    assert answer.variables == reference.variables
    assert normal_rows(answer) == normal_rows(reference)


@pytest.mark.parametrize("engine", ENGINES)
def test_ask_and_construct_on_every_engine(engine, engines):
    store = engines[engine]
    assert run(sparql="ASK { ?c a <https://w3id.org/collabkg/ontology#CaseStudy> }", store=store) is True
    assert run(sparql="ASK { ?c a <urn:nothing> }", store=store) is False
    triples = run(
        sparql="CONSTRUCT { ?c <urn:count> ?n } WHERE { ?c <https://w3id.org/collabkg/ontology#participantCount> ?n }",
        store=store,
    )
    assert {(s.value, p.value, int(o.value)) for s, p, o in triples} == {
        (subject, "urn:count", n) for subject, n in TABLE_1.items()
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_a_hostile_literal_matches_nothing_and_changes_nothing_on_every_engine(engine, engines, tmp_path):
    store = engines[engine]
    path = tmp_path / "by-label.rq"
    path.write_text(
        "#+ summary: by label\nSELECT ?f WHERE { ?f <http://www.w3.org/2004/02/skos/core#prefLabel> ?_label }"
    )
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = run(sparql=count, store=store).rows
    hostile = 'x" } ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #\n}'
    assert run(path, {"label": hostile}, store=store).rows == []
    assert run(sparql=count, store=store).rows == before
    found = run(path, {"label": "Clear, shared purpose"}, store=store)
    assert [row[0].value for row in found.rows] == ["https://w3id.org/collabkg/id/factor/clear-shared-purpose"]


# --------------------------------------------------------------------------
# oxigraph:DIR, made by collabkg build
# --------------------------------------------------------------------------


def test_build_makes_a_persistent_store_that_query_uses(tmp_path):
    directory = tmp_path / "kg"
    built = run_collabkg("build", "-o", str(tmp_path / "kg.ttl"), "--store", f"oxigraph:{directory}")
    assert (built.returncode, built.stderr) == (0, b""), built.stderr
    triples = stats().triples
    assert built.stdout.decode().splitlines() == [
        f"wrote {tmp_path / 'kg.ttl'} ({triples} triples)",
        f"made Oxigraph store {directory} ({triples} quads)",  # in their named graphs
    ]
    answered = run_collabkg(
        "query", "participants-by-case", "--format", "tsv", "--store", f"oxigraph:{directory}"
    )
    embedded = run_collabkg("query", "participants-by-case", "--format", "tsv")
    assert (answered.returncode, answered.stderr) == (0, b""), answered.stderr
    assert answered.stdout == embedded.stdout
    assert answered.stdout.decode().splitlines()[-1] == '\t"TOTAL"\t37\t"stated"\t'


def test_a_missing_persistent_store_says_how_to_make_one(cli, tmp_path):
    result = cli("query", "methodology", "--store", f"oxigraph:{tmp_path / 'none'}")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"collabkg: error: no Oxigraph store at {tmp_path / 'none'}; make one with: collabkg build --store "
        f"oxigraph:{tmp_path / 'none'}\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_data_does_not_apply_to_stores_that_hold_their_own(cli, tmp_path, tiny):
    result = cli("--data", str(tiny), "query", "methodology", "--store", "sparql:http://127.0.0.1:9/sparql")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "collabkg: error: --data applies to the memory and rdflib stores; sparql:http://127.0.0.1:9/sparql "
        "holds its own data\n",
    )


def test_build_store_takes_only_oxigraph_dir(cli, tmp_path):
    result = cli("build", "-o", str(tmp_path / "kg.ttl"), "--store", "rdflib")
    assert result.exit_code == 2
    assert result.stderr == "collabkg: error: --store takes oxigraph:DIR, not 'rdflib'\n"
    assert not (tmp_path / "kg.ttl").exists()  # refused before anything was built


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--default-graph", "https://example.org/g"], "--default-graph applies to a sparql:URL store only, not memory"),
        (["--store", "rdflib", "--user", "me"], "--user and --password-env apply to a sparql:URL store only, not rdflib"),
        (
            ["--store", "nosuch", "--default-graph", "https://example.org/g"],
            "unknown store 'nosuch' (use one of: memory, oxigraph:DIR, rdflib, sparql:URL)",
        ),
    ],
    ids=["default-graph-on-memory", "user-on-rdflib", "unknown-store"],
)
def test_options_for_a_remote_store_are_refused_elsewhere(cli, args, message):
    result = cli("query", "methodology", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"collabkg: error: {message}\n")


# --------------------------------------------------------------------------
# sparql:URL: the CLI, refusals, and HTTP basic auth
# --------------------------------------------------------------------------


def test_cli_queries_a_remote_endpoint(cli, served):
    result = cli("query", "enablers-by-case", "--store", f"sparql:{served.query_url}", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    answer = _from_sparql_json(result.stdout_bytes, "collabkg query")
    assert_same(answer, load_expected("enablers-by-case"), ordered=True, label="enablers-by-case over HTTP")


def test_an_unreachable_endpoint_exits_2_naming_it(cli):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = cli("query", "methodology", "--store", f"sparql:{url}", "--timeout", "5")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"collabkg: error: SPARQL endpoint {url} is unreachable: connection refused\n"
    )


def test_an_endpoint_that_refuses_exits_2_naming_it(cli, served):
    url = served.base_url + "/no-such-path"
    result = cli("query", "methodology", "--store", f"sparql:{url}")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"collabkg: error: SPARQL endpoint {url} refused the query: HTTP 404 Not Found: POST /no-such-path is "
        "not supported by this server\n",
    )


class _AuthHandler(BaseHTTPRequestHandler):
    """A SPARQL endpoint that wants HTTP basic auth and answers one fixed SELECT."""

    expected = "Basic " + base64.b64encode(b"reader:s3cret pass").decode()
    seen: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        type(self).seen.append(dict(self.headers))
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.end_headers()
            return
        body = json.dumps(
            {"head": {"vars": ["ok"]}, "results": {"bindings": [{"ok": {"type": "literal", "value": "yes"}}]}}
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def auth_endpoint() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _AuthHandler)
    _AuthHandler.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    server.server_close()


def test_basic_auth_reads_the_password_from_the_environment(cli, auth_endpoint, monkeypatch, caplog):
    monkeypatch.setenv("KG_PASSWORD", "s3cret pass")
    caplog.set_level(logging.DEBUG)
    result = cli(
        "--debug",
        "query",
        "--sparql",
        "SELECT ?ok WHERE { ?s ?p ?ok }",
        "--store",
        f"sparql:{auth_endpoint}",
        "--user",
        "reader",
        "--password-env",
        "KG_PASSWORD",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["ok", "yes"]
    request = _AuthHandler.seen[-1]
    assert request["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert "application/sparql-results+json" in request["Accept"]
    assert "s3cret" not in result.output and "s3cret" not in caplog.text


def test_wrong_or_missing_credentials_exit_2_without_showing_the_password(cli, auth_endpoint, monkeypatch):
    monkeypatch.setenv("KG_PASSWORD", "wrong password")
    args = ["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--store", f"sparql:{auth_endpoint}"]
    refused = cli(*args, "--user", "reader", "--password-env", "KG_PASSWORD")
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        2,
        "",
        f"collabkg: error: SPARQL endpoint {auth_endpoint} refused the credentials (HTTP 401); check --user "
        "and --password-env\n",
    )
    unset = cli(*args, "--user", "reader", "--password-env", "NO_SUCH_VARIABLE_SET")
    assert (unset.exit_code, unset.stdout, unset.stderr) == (
        2,
        "",
        "collabkg: error: environment variable NO_SUCH_VARIABLE_SET is not set (it should hold the password "
        "for reader)\n",
    )
    half = cli(*args, "--user", "reader")
    assert (half.exit_code, half.stdout, half.stderr) == (
        2,
        "",
        "collabkg: error: HTTP authentication needs both --user NAME and --password-env VAR (the environment "
        "variable that holds the password)\n",
    )
    # only the first reached the endpoint: the others were refused before any request
    assert [request.get("Authorization", "").split(" ")[0] for request in _AuthHandler.seen] == ["", "Basic"]


def test_the_password_is_never_an_option_of_the_command_line(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # the width argparse wraps its usage at
    result = cli("query", "--password", "x", "methodology")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "usage: collabkg [-h] [--data PATH] [--add PATH] [--debug] [--version]\n"
        "                COMMAND ...\n"
        "collabkg: error: unrecognized arguments: --password methodology\n",
    )
    shown = cli("query", "--help").stdout.splitlines()
    assert [line.split()[0] for line in shown if line.lstrip().startswith("--password")] == ["--password-env"]


def test_credentials_in_the_url_are_not_repeated_in_messages():
    port = free_port()
    store = SparqlStore(f"http://user:hunter2@127.0.0.1:{port}/sparql", timeout=5)
    with pytest.raises(StoreError) as error:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    url = f"http://127.0.0.1:{port}/sparql"
    assert str(error.value) == f"SPARQL endpoint {url} is unreachable: connection refused"
    assert repr(store) == f"SparqlStore('http://127.0.0.1:{port}/sparql', user='user')"


def test_the_server_helper_stops_and_cleans_up():
    server = OxigraphServer()
    folder: Path = server.folder
    server.stop()
    assert server.process.poll() is not None
    assert not folder.exists()
