"""``collabkg load`` into a real Virtuoso 7 (Debian's package), by every path docs/stores.md gives.

- the anonymous ``/sparql`` endpoint, once the ``SPARQL`` user has the
  ``SPARQL_UPDATE`` grant: ``INSERT DATA`` batches into a staging graph
  (Virtuoso refuses blank nodes there: collabkg skolemizes them), then
  ``MOVE`` or ``ADD`` and ``DROP SILENT`` (Virtuoso's plain ``DROP`` fails on
  a graph it did not "explicitly create");
- ``/sparql-auth`` for updates and ``/sparql-graph-crud-auth`` for the Graph
  Store, behind HTTP Digest (Virtuoso answers credentials sent up front by
  Basic with a 401 and no challenge, so collabkg waits for the challenge).
  Virtuoso's Graph Store applies a ``PUT`` in parts (one that fails part-way
  keeps the triples before the failure, the old ones gone), so a graph that
  holds triples is replaced there through a staging graph and ``MOVE``, not
  by one ``PUT`` as on Oxigraph.

Each with ``--replace`` and ``--append``, into an absent graph and one that
holds triples; after each load the graph holds exactly the local triples
(plus the old ones with ``--append``), and loading again gives the same graph.
Skipped where ``virtuoso-t`` is not installed (see virtuoso_server.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest
from conftest import Result
from virtuoso_server import VirtuosoServer

from collabkg.load import GENID, STAGING, local_triples, skolemize

pytestmark = pytest.mark.slow

OLD = "https://example.org/test/old"
OLD_TRIPLES = {f'<{OLD}#a> <{OLD}#p> "kept"', f"<{OLD}#a> <{OLD}#p> <{OLD}#b>"}
PASSWORD_VARIABLE = "COLLABKG_TEST_VIRTUOSO_PASSWORD"


def _as_stored(ntriples: bytes) -> set[str]:
    """The triples of an N-Triples document, literals in canonical form ("13.0" is "13"), as Oxigraph keeps them."""
    store = ox.Store()
    store.extend(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return {str(quad.triple) for quad in store}


@pytest.fixture(scope="module")
def local() -> set[str]:
    """The local graph as it is loaded: blank nodes skolemized."""
    return _as_stored("".join(line + " .\n" for line in skolemize(local_triples())).encode("utf-8"))


def held(virtuoso: VirtuosoServer, graph: str) -> set[str]:
    return _as_stored(virtuoso.construct(graph))


def staging_graphs(virtuoso: VirtuosoServer) -> set[str]:
    result = virtuoso.sparql_json(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
    )
    return {row["g"]["value"] for row in result["results"]["bindings"]}


def put_old(virtuoso: VirtuosoServer, graph: str) -> None:
    triples = " ".join(line + " ." for line in sorted(OLD_TRIPLES))
    virtuoso.isql(f"SPARQL INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }};")
    assert virtuoso.count(graph) == len(OLD_TRIPLES)


@pytest.fixture
def anonymous_updates(virtuoso: VirtuosoServer) -> Iterator[VirtuosoServer]:
    """The server with the SPARQL_UPDATE grant for the anonymous endpoints, taken back afterwards."""
    virtuoso.grant_anonymous_updates()
    try:
        yield virtuoso
    finally:
        virtuoso.revoke_anonymous_updates()


def anonymous(virtuoso: VirtuosoServer) -> list[str]:
    return ["--endpoint", virtuoso.sparql_url]


def digest(virtuoso: VirtuosoServer) -> list[str]:
    return [
        "--endpoint", virtuoso.sparql_url,
        "--update-endpoint", virtuoso.auth_url,
        "--gsp", virtuoso.crud_auth_url,
        "--user", virtuoso.user, "--password-env", PASSWORD_VARIABLE,
    ]


PATHS = {"anonymous-sparql": (anonymous, "insert-data"), "digest-auth": (digest, "graph-store")}


@pytest.mark.parametrize("before", ["absent", "holding-triples"])
@pytest.mark.parametrize("mode", ["--replace", "--append"])
@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_documented_path_loads_exactly_the_local_graph_and_again_the_same(
    path: str,
    mode: str,
    before: str,
    anonymous_updates: VirtuosoServer,
    cli: Callable[..., Result],
    local: set[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    virtuoso = anonymous_updates
    monkeypatch.setenv(PASSWORD_VARIABLE, virtuoso.password)
    options, method = PATHS[path]
    target = f"https://example.org/test/{uuid.uuid4().hex}"
    old = set()
    if before == "holding-triples":
        put_old(virtuoso, target)
        old = OLD_TRIPLES
    expected = local | old if mode == "--append" else local

    for attempt in (1, 2):
        result = cli("load", *options(virtuoso), "--graph", target, mode)
        assert result.exit_code == 0, f"load {attempt}: {result.output}"
        assert f"({method}," in result.stdout
        assert virtuoso.count(target) == len(expected), f"load {attempt}"
        assert held(virtuoso, target) == expected, f"load {attempt}"
        assert not staging_graphs(virtuoso)
        assert virtuoso.password not in result.output


def test_blank_nodes_arrive_as_stable_skolem_iris(
    anonymous_updates: VirtuosoServer, cli: Callable[..., Result]
) -> None:
    virtuoso = anonymous_updates
    target = f"https://example.org/test/{uuid.uuid4().hex}"
    assert cli("load", "--endpoint", virtuoso.sparql_url, "--graph", target).exit_code == 0
    result = virtuoso.sparql_json(
        f"SELECT (COUNT(*) AS ?blank) (SUM(IF(STRSTARTS(STR(?o), \"{GENID}\"), 1, 0)) AS ?skolem) "
        f"WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} FILTER(isBlank(?s) || isBlank(?o) || STRSTARTS(STR(?o), \"{GENID}\")) }}"
    )
    row = result["results"]["bindings"][0]
    assert int(row["skolem"]["value"]) > 0  # the ontology's restrictions and lists
    assert int(row["blank"]["value"]) == int(row["skolem"]["value"])  # and no blank node


def test_a_wrong_password_is_refused_by_digest_without_echoing_it(
    virtuoso: VirtuosoServer, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "not-the-password-" + uuid.uuid4().hex[:8]
    monkeypatch.setenv(PASSWORD_VARIABLE, secret)
    target = f"https://example.org/test/{uuid.uuid4().hex}"
    result = cli("load", *digest(virtuoso), "--graph", target)
    assert result.exit_code == 2
    assert f"{virtuoso.crud_auth_url}?graph=" in result.stderr and "HTTP 401" in result.stderr
    assert f"check the user name '{virtuoso.user}' and the password" in result.stderr
    assert secret not in result.output
    assert virtuoso.count(target) == 0


def test_the_anonymous_endpoint_without_the_grant_says_updates_are_not_allowed(
    virtuoso: VirtuosoServer, cli: Callable[..., Result]
) -> None:
    target = f"https://example.org/test/{uuid.uuid4().hex}"
    result = cli("load", "--endpoint", virtuoso.sparql_url, "--graph", target)
    assert result.exit_code == 2
    assert f"{virtuoso.sparql_url} does not allow updates" in result.stderr
    assert virtuoso.count(target) == 0
    assert not staging_graphs(virtuoso)


def test_the_graph_store_applies_a_put_in_parts_so_replacing_goes_through_a_staging_graph(
    virtuoso: VirtuosoServer, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, local: set[str],
) -> None:
    import logging

    import requests
    from requests.auth import HTTPDigestAuth

    target = f"https://example.org/test/{uuid.uuid4().hex}"
    put_old(virtuoso, target)
    new = "".join(f'<{OLD}#n{i}> <{OLD}#p> "{i}" .\n' for i in range(50))
    answer = requests.put(
        f"{virtuoso.crud_auth_url}?graph={target}",
        data=(new + f'<{OLD}#x> <{OLD}#p> "unterminated .\n').encode(),
        headers={"Content-Type": "application/n-triples"},
        auth=HTTPDigestAuth(virtuoso.user, virtuoso.password),
        timeout=60,
    )
    assert answer.status_code == 500
    assert virtuoso.count(target) == 50  # the old triples gone, the new ones before the error kept

    monkeypatch.setenv(PASSWORD_VARIABLE, virtuoso.password)
    caplog.set_level(logging.INFO, logger="collabkg.load")
    result = cli("load", *digest(virtuoso), "--graph", target, "--replace")
    assert result.exit_code == 0, result.output
    assert virtuoso.password not in result.output
    assert any("applies a Graph Store PUT in parts" in message for message in caplog.messages)
    assert any(message.startswith("loading ") and " through <" in message for message in caplog.messages)
    assert held(virtuoso, target) == local
    assert not staging_graphs(virtuoso)
