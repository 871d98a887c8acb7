"""The contract suite: every canned query on every engine, identical answers.

Engines: embedded Oxigraph in memory (the default), a persistent Oxigraph
store made by ``collabkg build --store oxigraph:DIR``, rdflib's own SPARQL
engine, and a real Oxigraph server (``oxigraph serve``) reached over HTTP as
``sparql:URL``. Each answer must equal the expected answer written from the
report, and the same rows in the same order as the default engine's.
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

from collabkg import catalogue, bundle
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY
from collabkg.query import run
from collabkg.readers import expand
from collabkg.stores import Store, StoreError, open_store
from collabkg.stores.oxigraph import OxigraphStore, create_oxigraph_store
from collabkg.stores.rdflib_engine import RdflibStore
from collabkg.stores.sparql import SparqlStore, _from_sparql_json

NAMES = sorted(catalogue.catalogue())
ENGINES = ["memory", "oxigraph-dir", "rdflib", "sparql"]
CASE = "https://w3id.org/collabkg/id/case/"

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
    assert len(set(sizes.values())) == 1, sizes


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", NAMES)
def test_every_canned_query_gives_the_expected_answer_on_every_engine(name, engine, engines):
    query = catalogue.find(name)
    answer = run(query, store=engines[engine])
    assert_same(answer, load_expected(name), ordered=is_ordered(query.text), label=f"{name} on {engine}")
    if engine != "memory":
        reference = run(query, store=engines["memory"])
        assert normal_rows(answer) == normal_rows(reference), (
            f"{name}: {engine} and memory differ in rows or order"
        )


@pytest.mark.parametrize("engine", ENGINES[1:])
@pytest.mark.parametrize(("name", "params"), WITH_PARAMETERS, ids=[n for n, _ in WITH_PARAMETERS])
def test_parameters_bind_alike_on_every_engine(name, params, engine, engines):
    reference = run(name, params, store=engines["memory"])
    assert reference.rows, f"{name} {params}: the reference answer should not be empty"
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
    counts = {s.value: int(o.value) for s, _, o in triples}
    assert counts[CASE + "homelessness-prevention"] == 8
    assert sum(counts.values()) == 2 * 37  # the six cases and the methodology's total


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
    assert len(run(path, {"label": "Clear, shared purpose"}, store=store)) == 1


# --------------------------------------------------------------------------
# oxigraph:DIR, made by collabkg build
# --------------------------------------------------------------------------


def test_build_makes_a_persistent_store_that_query_uses(tmp_path):
    directory = tmp_path / "kg"
    built = run_collabkg("build", "-o", str(tmp_path / "kg.ttl"), "--store", f"oxigraph:{directory}")
    assert built.returncode == 0, built.stderr
    assert f"made Oxigraph store {directory}" in built.stdout.decode()
    answered = run_collabkg(
        "query", "participants-by-case", "--format", "tsv", "--store", f"oxigraph:{directory}"
    )
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.decode().splitlines()[-1] == '\t"TOTAL"\t37\t"stated"\t'


def test_a_missing_persistent_store_says_how_to_make_one(cli, tmp_path):
    result = cli("query", "methodology", "--store", f"oxigraph:{tmp_path / 'none'}")
    assert result.exit_code == 2
    assert (
        f"no Oxigraph store at {tmp_path / 'none'}; make one with: collabkg build --store oxigraph:"
        in result.output
    )


def test_data_does_not_apply_to_stores_that_hold_their_own(cli, tmp_path, tiny):
    result = cli("--data", str(tiny), "query", "methodology", "--store", "sparql:http://127.0.0.1:9/sparql")
    assert result.exit_code == 2
    assert "--data applies to the memory and rdflib stores" in result.output


def test_build_store_takes_only_oxigraph_dir(cli, tmp_path):
    result = cli("build", "-o", str(tmp_path / "kg.ttl"), "--store", "rdflib")
    assert result.exit_code == 2
    assert result.stderr == "collabkg: error: --store takes oxigraph:DIR, not 'rdflib'\n"
    assert not (tmp_path / "kg.ttl").exists()  # refused before anything was built


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--default-graph", "https://example.org/g"], "--default-graph apply to a sparql:URL store only, not memory"),
        (["--store", "rdflib", "--user", "me"], "--user and --password-env apply to a sparql:URL store only, not rdflib"),
        (["--store", "nosuch", "--default-graph", "https://example.org/g"], "unknown store 'nosuch'"),
    ],
)
def test_options_for_a_remote_store_are_refused_elsewhere(cli, args, message):
    result = cli("query", "methodology", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"collabkg: error: {message}")


# --------------------------------------------------------------------------
# sparql:URL: the CLI, refusals, and HTTP basic auth
# --------------------------------------------------------------------------


def test_cli_queries_a_remote_endpoint(cli, served):
    result = cli("query", "enablers-by-case", "--store", f"sparql:{served.query_url}", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = _from_sparql_json(result.stdout_bytes, "collabkg query")
    assert_same(answer, load_expected("enablers-by-case"), ordered=True, label="enablers-by-case over HTTP")


def test_an_unreachable_endpoint_exits_2_naming_it(cli):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = cli("query", "methodology", "--store", f"sparql:{url}", "--timeout", "5")
    assert result.exit_code == 2
    assert f"SPARQL endpoint {url} is unreachable" in result.output
    assert "Traceback" not in result.output


def test_an_endpoint_that_refuses_exits_2_naming_it(cli, served):
    url = served.base_url + "/no-such-path"
    result = cli("query", "methodology", "--store", f"sparql:{url}")
    assert result.exit_code == 2
    assert f"SPARQL endpoint {url} refused the query" in result.output


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
    assert refused.exit_code == 2
    assert f"SPARQL endpoint {auth_endpoint} refused the credentials (HTTP 401)" in refused.output
    assert "wrong password" not in refused.output
    unset = cli(*args, "--user", "reader", "--password-env", "NO_SUCH_VARIABLE_SET")
    assert unset.exit_code == 2 and "environment variable NO_SUCH_VARIABLE_SET is not set" in unset.output
    half = cli(*args, "--user", "reader")
    assert half.exit_code == 2 and "needs both --user NAME and --password-env VAR" in half.output


def test_the_password_is_never_an_option_of_the_command_line(cli):
    result = cli("query", "--password", "x", "methodology")
    assert result.exit_code == 2
    assert result.stderr.endswith("collabkg: error: unrecognized arguments: --password methodology\n")
    assert "--password-env" in cli("query", "--help").output


def test_credentials_in_the_url_are_not_repeated_in_messages():
    store = SparqlStore(f"http://user:hunter2@127.0.0.1:{free_port()}/sparql", timeout=5)
    with pytest.raises(StoreError) as error:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    assert "hunter2" not in str(error.value) and "127.0.0.1" in str(error.value)
    assert "hunter2" not in repr(store)


def test_the_server_helper_stops_and_cleans_up():
    server = OxigraphServer()
    folder: Path = server.folder
    server.stop()
    assert server.process.poll() is not None
    assert not folder.exists()
