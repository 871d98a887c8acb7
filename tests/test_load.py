"""``collabkg load`` against a real Oxigraph server: counts, atomicity, faults and errors.

Faults are made by small HTTP proxies on 127.0.0.1 in front of the server:
one drops connections, answers 503 or stalls when told to; one asks for
HTTP Basic credentials. Each test names the graphs it writes, so that tests
sharing the module's server never see each other's triples.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Result
from oxigraph_server import OxigraphServer, free_port

from collabkg.load import (
    DEFAULT_TARGET,
    SECONDS_PER_TRIPLE,
    LoadMode,
    STAGING,
    Endpoints,
    LoadError,
    batches,
    local_triples,
    skolemize,
)
from collabkg.namespaces import GRAPH_LOAD_TARGET
from collabkg.stores import StoreError
from collabkg.stores import RemoteOptions

OLD = "https://example.org/test/old"
OLD_TRIPLES = {
    f"<{OLD}#a> <{OLD}#p> \"kept\" .",
    f"<{OLD}#a> <{OLD}#p> <{OLD}#b> .",
}
REQUEST_LIMIT = 2_000
"""No test sends more requests than this through a proxy (a bound on every loop)."""


# --------------------------------------------------------------------------
# The server and what is on it
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[OxigraphServer]:
    """An Oxigraph server of this module's own (the default graph is the union)."""
    with OxigraphServer() as running:
        yield running


def _sparql_json(server: OxigraphServer, query: str) -> dict:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        server.query_url, data=body, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def count(server: OxigraphServer, graph: str) -> int:
    result = _sparql_json(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(result["results"]["bindings"][0]["n"]["value"])


def graph_names(server: OxigraphServer) -> set[str]:
    result = _sparql_json(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"]["value"] for row in result["results"]["bindings"]}


def staging_graphs(server: OxigraphServer) -> set[str]:
    return {name for name in graph_names(server) if name.startswith(STAGING)}


def claims(server: OxigraphServer, target: str) -> list[str]:
    """The claims loads hold on ``target`` (none once its loads are over, unless one could not know its outcome)."""
    from collabkg.load import CLAIMS

    result = _sparql_json(server, f"SELECT ?v WHERE {{ GRAPH <{CLAIMS}> {{ ?c ?p ?v }} }}")
    values = [row["v"]["value"] for row in result["results"]["bindings"]]
    return [value for value in values if value.startswith(target + "\t")]


def graph_lines(server: OxigraphServer, graph: str) -> set[str]:
    """The graph's triples as N-Triples lines (for graphs without blank nodes)."""
    url = server.store_url + "?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return set()
        raise
    return {line for line in text.splitlines() if line.strip()}


def graph_dataset(server: OxigraphServer, graph: str) -> ox.Dataset:
    """The graph's triples, blank nodes canonicalised, for comparing with the local graph."""
    url = server.store_url + "?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as response:
        dataset = ox.Dataset(ox.parse(response.read(), format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def local_dataset() -> ox.Dataset:
    """The local graph as it is loaded (blank nodes skolemized) and as Oxigraph stores it
    (literals in canonical form: "13.0" is "13")."""
    text = "".join(line + " .\n" for line in skolemize(local_triples()))
    store = ox.Store()
    store.extend(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def put_graph(server: OxigraphServer, graph: str, lines: set[str]) -> None:
    url = server.store_url + "?" + urllib.parse.urlencode({"graph": graph})
    body = "".join(line + "\n" for line in sorted(lines)).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def drop_graph(server: OxigraphServer, graph: str) -> None:
    body = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH <{graph}>"}).encode()
    with urllib.request.urlopen(urllib.request.Request(server.update_url, data=body), timeout=30):
        pass


def new_graph() -> str:
    return f"https://example.org/test/{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def local_count() -> int:
    return len(local_triples())


# --------------------------------------------------------------------------
# Test proxies
# --------------------------------------------------------------------------


@dataclass
class Seen:
    """A request that reached a proxy."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def is_upload(self) -> bool:
        """A Graph Store POST or an INSERT DATA update: the requests that move triples."""
        return (self.method == "POST" and self.path.startswith("/store")) or (
            b"INSERT+DATA" in self.body and not self.is_claim
        )

    @property
    def is_claim(self) -> bool:
        """An update of the load's claim on its target (see collabkg.load._Claim)."""
        return b"load-claims" in self.body

    @property
    def is_put(self) -> bool:
        """A Graph Store PUT: the one request that replaces a graph that holds triples."""
        return self.method == "PUT" and self.path.startswith("/store")

    @property
    def is_swap(self) -> bool:
        return b"MOVE+GRAPH" in self.body or b"ADD+GRAPH" in self.body

    @property
    def graph(self) -> str | None:
        """The graph a Graph Store request names (``?graph=IRI``), if any."""
        values = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph")
        return values[0] if values else None


Action = str | int
"""What a proxy does with a request: "forward", "drop" (close the connection
unanswered), "forward-then-drop" (the server acts, the answer is lost),
"forward-then-STATUS" (the server acts, the answer is STATUS), "stall"
(answer nothing until the test ends), "echo:STATUS" (answer STATUS
with the request's headers as the body), or an HTTP status to answer."""


@dataclass
class Proxy:
    """An HTTP proxy on 127.0.0.1 in front of ``upstream``, run by a ``policy``."""

    upstream: str
    policy: Callable[[Seen, list[Seen]], Action] = lambda request, seen: "forward"
    seen: list[Seen] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    challenge: str = 'Basic realm="collabkg test"'
    """The WWW-Authenticate header of a 401 answer."""
    on_forwarded: Callable[[Seen], None] | None = None
    """Called once the server has answered a forwarded request, before the answer goes on (or is lost)."""

    def __post_init__(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.handle_request()

            def do_POST(self) -> None:
                self.handle_request()

            def do_PUT(self) -> None:
                self.handle_request()

            def handle_request(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                request = Seen(self.command, self.path, dict(self.headers.items()), body)
                with lock:
                    proxy.seen.append(request)
                    if len(proxy.seen) > REQUEST_LIMIT:
                        raise AssertionError("too many requests through the test proxy")
                    action = proxy.policy(request, list(proxy.seen))
                if action == "drop":
                    self.drop()
                elif action == "stall":
                    proxy.released.wait(10)
                    self.drop()
                elif isinstance(action, int):
                    self.answer(action, b"refused by the test proxy", {})
                elif action.startswith("echo:"):  # a status, with the request's headers as the body
                    echoed = f"{request.method} {request.path}\n" + "".join(
                        f"{key}: {value}\n" for key, value in request.headers.items()
                    )
                    self.answer(int(action[len("echo:"):]), echoed.encode(), {"Content-Type": "text/plain"})
                else:
                    try:
                        status, headers, data = proxy.forward(request)
                    except OSError:
                        self.drop()  # the server is gone: so is the connection
                        return
                    if proxy.on_forwarded is not None:
                        proxy.on_forwarded(request)
                    if action == "forward-then-drop":
                        self.drop()
                    elif action.startswith("forward-then-"):  # the server acts; the answer is an error
                        self.answer(int(action[len("forward-then-"):]), b"failed, says the test proxy", {})
                    else:
                        self.answer(status, data, headers)

            def answer(self, status: int, data: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if status == 401:
                    self.send_header("WWW-Authenticate", proxy.challenge)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def drop(self) -> None:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def forward(self, request: Seen) -> tuple[int, dict[str, str], bytes]:
        parts = urllib.parse.urlsplit(self.upstream)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            headers = {
                k: v
                for k, v in request.headers.items()
                if k.lower() not in ("host", "connection", "authorization")
            }
            connection.request(request.method, request.path, request.body or None, headers)
            response = connection.getresponse()
            data = response.read()
            kept = {
                k: v
                for k, v in response.getheaders()
                if k.lower() in ("content-type",)
            }
            return response.status, kept, data
        finally:
            connection.close()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def uploads(self) -> list[Seen]:
        return [r for r in self.seen if r.is_upload]


@pytest.fixture
def proxy_to(server: OxigraphServer) -> Iterator[Callable[..., Proxy]]:
    made: list[Proxy] = []

    def make(policy: Callable[[Seen, list[Seen]], Action] | None = None, upstream: str | None = None) -> Proxy:
        proxy = Proxy(upstream or server.base_url)
        if policy is not None:
            proxy.policy = policy
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.close()


def auth_policy(user: str, password: str) -> Callable[[Seen, list[Seen]], Action]:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def policy(request: Seen, _seen: list[Seen]) -> Action:
        return "forward" if request.headers.get("Authorization") == expected else 401

    return policy


DIGEST_CHALLENGE = 'Digest realm="kg", nonce="0123456789abcdef", qop="auth", algorithm=MD5'


def digest_policy(user: str, password: str) -> Callable[[Seen, list[Seen]], Action]:
    """Accept only a correct HTTP Digest answer (RFC 7616, MD5, qop=auth) to DIGEST_CHALLENGE."""

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    def policy(request: Seen, _seen: list[Seen]) -> Action:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            return 401
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest "):]))
        expected = md5(
            ":".join([
                md5(f"{user}:kg:{password}"), fields.get("nonce", ""), fields.get("nc", ""),
                fields.get("cnonce", ""), "auth", md5(f"{request.method}:{fields.get('uri', '')}"),
            ])
        )
        ok = fields.get("username") == user and fields.get("response") == expected
        return "forward" if ok else 401

    return policy


def drop_after_first_upload(request: Seen, seen: list[Seen]) -> Action:
    """Forward the first upload; drop the connection of every later one."""
    uploads = [r for r in seen if r.is_upload]
    return "drop" if request.is_upload and len(uploads) > 1 else "forward"


def lose_a_triple(request: Seen, _seen: list[Seen]) -> Action:
    """Forward every request, a Graph Store upload (POST or PUT) without its last triple."""
    if request.is_upload or request.is_put:
        request.body = b"".join(request.body.splitlines(keepends=True)[:-1])
        request.headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        request.headers["Content-Length"] = str(len(request.body))
    return "forward"


def kill_at_second_upload(doomed: OxigraphServer) -> Callable[[Seen, list[Seen]], Action]:
    """Kill the server when the second upload arrives (the first is in by then)."""

    def policy(request: Seen, seen: list[Seen]) -> Action:
        if request.is_upload and len([r for r in seen if r.is_upload]) == 2:
            doomed.process.kill()
            doomed.process.wait(timeout=10)
        return "forward"

    return policy


def load(cli: Callable[..., Result], endpoint: str, *args: str) -> Result:
    return cli("load", "--endpoint", endpoint, *args)


def emptied(target: str) -> str:
    return f"Nothing was kept: <{target}> is empty again, as it was before the load"


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def test_load_puts_exactly_the_local_triples_in_the_project_graph(
    server: OxigraphServer, cli: Callable[..., Result], local_count: int
) -> None:
    result = load(cli, server.query_url)
    assert result.exit_code == 0, result.output
    assert count(server, DEFAULT_TARGET) == local_count
    assert graph_dataset(server, DEFAULT_TARGET) == local_dataset()
    assert f"loaded {local_count} triples into <{DEFAULT_TARGET}>" in result.stdout
    assert "(graph-store," in result.stdout
    assert not staging_graphs(server)


def test_second_replace_is_idempotent(server: OxigraphServer, cli: Callable[..., Result], local_count: int) -> None:
    target = new_graph()
    first = load(cli, server.query_url, "--graph", target, "--replace")
    assert first.exit_code == 0, first.output
    snapshot = graph_dataset(server, target)
    second = load(cli, server.query_url, "--graph", target, "--replace")
    assert second.exit_code == 0, second.output
    assert graph_dataset(server, target) == snapshot == local_dataset()
    assert f"held {local_count} triples before, {local_count} now" in second.stdout


def test_replace_touches_no_other_graph(server: OxigraphServer, cli: Callable[..., Result]) -> None:
    target, neighbour = new_graph(), new_graph()
    put_graph(server, target, OLD_TRIPLES)
    put_graph(server, neighbour, OLD_TRIPLES)
    others = {name: graph_lines(server, name) for name in graph_names(server) if name != target}
    result = load(cli, server.query_url, "--graph", target)
    assert result.exit_code == 0, result.output
    assert not OLD_TRIPLES & graph_lines(server, target)  # replaced
    for name, lines in others.items():
        assert graph_lines(server, name) == lines, name


def test_append_keeps_what_the_graph_held(server: OxigraphServer, cli: Callable[..., Result], local_count: int) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    result = load(cli, server.query_url, "--graph", target, "--append")
    assert result.exit_code == 0, result.output
    assert OLD_TRIPLES <= graph_lines(server, target)
    assert count(server, target) == local_count + len(OLD_TRIPLES)


@pytest.mark.parametrize("mode", ["--replace", "--append"])
def test_an_absent_graph_is_loaded_straight_without_a_staging_graph(
    mode: str,
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()
    proxy = proxy_to()
    caplog.set_level(logging.INFO, logger="collabkg.load")
    result = load(cli, proxy.url("/query"), "--graph", target, mode, "--batch-size", "1000")
    assert result.exit_code == 0, result.output
    assert graph_dataset(server, target) == local_dataset()
    assert f"held 0 triples before, {local_count} now" in result.stdout
    # an empty upload finds the Graph Store, then one request carries every triple
    assert [len(r.body.splitlines()) for r in proxy.uploads()] == [0, local_count]
    assert {r.graph for r in proxy.uploads()} == {target}
    assert not [r for r in proxy.seen if r.is_swap]
    assert f"loading {local_count} triples straight into <{target}>, which is empty" in caplog.messages
    assert not staging_graphs(server)


def test_a_graph_that_holds_triples_is_replaced_by_one_graph_store_put(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to()
    caplog.set_level(logging.INFO, logger="collabkg.load")
    result = load(cli, proxy.url("/query"), "--graph", target)
    assert result.exit_code == 0, result.output
    assert graph_dataset(server, target) == local_dataset()
    assert f"held {len(OLD_TRIPLES)} triples before, {local_count} now" in result.stdout
    (put,) = [r for r in proxy.seen if r.is_put]  # one transaction, no copy of a staging graph
    assert put.graph == target and len(put.body.splitlines()) == local_count
    assert [len(r.body.splitlines()) for r in proxy.uploads()] == [0]  # the empty upload that finds the Graph Store
    assert not [r for r in proxy.seen if r.is_swap]
    assert f"replacing the {len(OLD_TRIPLES)} triples of <{target}> by {local_count} in one Graph Store PUT" in (
        caplog.messages
    )
    assert not staging_graphs(server) and not claims(server, target)


def test_without_a_graph_store_a_graph_that_holds_triples_is_replaced_through_a_staging_graph(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to()
    caplog.set_level(logging.INFO, logger="collabkg.load")
    result = load(cli, proxy.url("/query"), "--graph", target, "--no-gsp")
    assert result.exit_code == 0, result.output
    assert graph_dataset(server, target) == local_dataset()
    (swap,) = [r for r in proxy.seen if r.is_swap]
    staging = urllib.parse.parse_qs(swap.body.decode())["update"][0].split()[2][1:-1]
    assert staging.startswith(STAGING)
    assert urllib.parse.parse_qs(swap.body.decode())["update"] == [f"MOVE GRAPH <{staging}> TO GRAPH <{target}>"]
    assert f"loading {local_count} triples into <{target}> through <{staging}>" in caplog.messages
    assert not staging_graphs(server) and not claims(server, target)


def test_insert_data_batches_keep_blank_nodes_whole(server: OxigraphServer, cli: Callable[..., Result]) -> None:
    target = new_graph()
    result = load(cli, server.query_url, "--graph", target, "--no-gsp", "--batch-size", "200")
    assert result.exit_code == 0, result.output
    assert "(insert-data," in result.stdout
    assert graph_dataset(server, target) == local_dataset()


def test_explicit_endpoints_and_an_exported_file(
    server: OxigraphServer, cli: Callable[..., Result], tmp_path: Path, local_count: int
) -> None:
    exported = tmp_path / "kg.ttl"
    assert cli("export", "-o", str(exported)).exit_code == 0
    target = new_graph()
    result = load(
        cli, server.query_url, str(exported), "--graph", target,
        "--update-endpoint", server.update_url, "--gsp", server.store_url,
    )
    assert result.exit_code == 0, result.output
    assert count(server, target) == local_count
    assert graph_dataset(server, target) == local_dataset()


def test_batches_never_split_a_blank_node() -> None:
    lines = local_triples()
    for size in (1, 5, 50):
        groups = batches(lines, size)
        assert sorted(line for group in groups for line in group) == sorted(lines)
        owner: dict[str, int] = {}
        for index, group in enumerate(groups):
            for line in group:
                subject, _, obj = line.split(" ", 2)
                for term in (subject, obj):
                    if term.startswith("_:"):
                        assert owner.setdefault(term, index) == index, term


def test_endpoints_are_guessed_from_well_known_layouts() -> None:
    fuseki = Endpoints.derive("http://localhost:3030/kg/query")
    assert fuseki.update == "http://localhost:3030/kg/update"
    assert "http://localhost:3030/kg/data" in fuseki.gsp
    graphdb = Endpoints.derive("http://localhost:7200/repositories/kg")
    assert graphdb.gsp == ("http://localhost:7200/repositories/kg/rdf-graphs/service",)
    virtuoso = Endpoints.derive("http://localhost:8890/sparql", gsp="http://localhost:8890/sparql-graph-crud-auth")
    assert virtuoso.update == "http://localhost:8890/sparql" and virtuoso.gsp_given
    assert Endpoints.derive("http://localhost:7878/query", use_gsp=False).gsp == ()
    with pytest.raises(LoadError, match="not an http"):
        Endpoints.derive("localhost:7878/query")


# --------------------------------------------------------------------------
# Faults: the target graph is always as it was
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "method"),
    [(OLD_TRIPLES, "graph-store"), (OLD_TRIPLES, "insert-data"), (set(), "graph-store")],
    ids=["holding-triples", "holding-triples-insert-data", "absent"],
)
def test_dropped_connections_mid_load_leave_the_target_as_it_was(
    before: set[str], method: str, server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    target = new_graph()
    if before:
        put_graph(server, target, before)
    proxy = proxy_to(drop_after_first_upload)
    # --append: a graph that holds triples is appended to through a staging graph, in batches
    args = ["--graph", target, "--batch-size", "500", "--retries", "2", "--append" if before else "--replace"]
    if method == "insert-data":
        args.append("--no-gsp")
    result = load(cli, proxy.url("/query"), *args)
    assert result.exit_code == 2
    what = "Graph Store upload" if method == "graph-store" else "INSERT DATA request"
    assert result.stderr.startswith(f"collabkg: error: {proxy.url('/')}")
    if before:  # a batch into the load's own staging graph may be sent again: it adds nothing twice
        assert result.stderr.endswith(
            f"dropped the connection during the {what}: the server closed the connection without "
            "answering (tried 2 time(s)). Is the server running? See its log\n"
        )
        # a first batch, then two tries of the next
        assert len(proxy.uploads()) == 3
    else:  # the one upload into the target may have been applied: never sent again, the target counted
        assert result.stderr.endswith(
            f"dropped the connection during the {what}: the server closed the connection without "
            f"answering (not sent again: the store may have applied it). {emptied(target)}\n"
        )
        # the empty upload that finds the Graph Store, then the one try of the upload
        assert len(proxy.uploads()) == 2
    assert graph_lines(server, target) == before
    assert before or target not in graph_names(server)
    assert not staging_graphs(server)  # dropped on the way out


LAST_STEPS = {"move": ["--no-gsp"], "put": []}
"""How a graph that holds triples is replaced: MOVE of a staging graph (no Graph Store), or one PUT."""


def is_last_step(request: Seen) -> bool:
    return request.is_swap or request.is_put


@pytest.mark.parametrize("step", sorted(LAST_STEPS))
def test_lost_final_update_leaves_the_target_unchanged(
    step: str, server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to(lambda request, seen: "drop" if is_last_step(request) else "forward")
    result = load(cli, proxy.url("/query"), "--graph", target, "--retries", "2", *LAST_STEPS[step])
    assert result.exit_code == 2
    assert f"<{target}> is as it was ({len(OLD_TRIPLES)} triples)" in result.stderr
    assert graph_lines(server, target) == OLD_TRIPLES
    assert not staging_graphs(server) and not claims(server, target)


@pytest.mark.parametrize("step", sorted(LAST_STEPS))
def test_final_update_applied_but_its_answer_lost_is_a_success(
    step: str,
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to(lambda request, seen: "forward-then-drop" if is_last_step(request) else "forward")
    result = load(cli, proxy.url("/query"), "--graph", target, *LAST_STEPS[step])
    assert result.exit_code == 0, result.output
    assert count(server, target) == local_count
    if step == "move":
        assert len([r for r in proxy.seen if r.is_swap]) == 1  # never sent twice
    assert not staging_graphs(server) and not claims(server, target)


@pytest.mark.parametrize("before", [OLD_TRIPLES, set()], ids=["holding-triples", "absent"])
def test_server_killed_mid_load_leaves_the_target_as_it_was(
    before: set[str], cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    doomed = OxigraphServer()
    try:
        target = new_graph()
        if before:
            put_graph(doomed, target, before)
        proxy = proxy_to(kill_at_second_upload(doomed), upstream=doomed.base_url)
        # --append: into a graph that holds triples, batches go through a staging graph
        mode = "--append" if before else "--replace"
        result = load(cli, proxy.url("/query"), "--graph", target, "--batch-size", "500", "--retries", "2", mode)
        assert result.exit_code == 2
        assert proxy.url("/") in result.stderr
        if before:  # says how to remove the staging graph
            assert re.search(r"DROP SILENT GRAPH <" + re.escape(STAGING), result.stderr)
        else:  # the one upload into the empty target: it may have been applied, and nothing can tell
            assert "whether the load was applied is unknown" in result.stderr
            assert (
                f"<{target}> holds either its old 0 triples or the {len(local_triples())} new ones; once the "
                "store answers, this tells which: collabkg query --sparql 'SELECT (COUNT(*) AS ?n) WHERE "
                f"{{ GRAPH <{target}> {{ ?s ?p ?o }} }}' --store sparql:{proxy.url('/query')}"
            ) in result.stderr

        # A server on the killed one's database: the target is as it was.
        with OxigraphServer(doomed.folder, read_only=True) as view:
            assert graph_lines(view, target) == before
            assert before or target not in graph_names(view)
            assert not staging_graphs(view)
    finally:
        doomed.stop()


def test_5xx_is_retried_and_the_load_completes(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    target = new_graph()

    def policy(request: Seen, seen: list[Seen]) -> Action:
        return 503 if request.is_upload and len([r for r in seen if r.is_upload]) == 1 else "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target)
    assert result.exit_code == 0, result.output
    assert len(proxy.uploads()) == 3  # the empty upload's 503, its retry, then the upload
    assert count(server, target) == local_count


def test_4xx_is_never_retried(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    target = new_graph()
    proxy = proxy_to(lambda request, seen: 400 if request.is_upload else "forward")
    result = load(cli, proxy.url("/query"), "--graph", target, "--gsp", proxy.url("/store"))
    assert result.exit_code == 2
    assert "HTTP 400" in result.stderr and proxy.url("/store") in result.stderr
    assert len(proxy.uploads()) == 1
    assert graph_lines(server, target) == set()
    assert not staging_graphs(server)


@pytest.mark.parametrize("before", [OLD_TRIPLES, set()], ids=["holding-triples", "absent"])
def test_a_count_mismatch_leaves_the_target_as_it_was(
    before: set[str], server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy],
    local_count: int,
) -> None:
    target = new_graph()
    if before:
        put_graph(server, target, before)
    proxy = proxy_to(lose_a_triple)
    # --append: into a graph that holds triples, through a staging graph
    result = load(cli, proxy.url("/query"), "--graph", target, "--append" if before else "--replace")
    assert result.exit_code == 2
    held = f"holds {local_count - 1} triples, not the {local_count} sent"
    retry = "Try again; if it persists, the store rewrites some triples (see its log)"
    if before:
        message = f"the staging graph {held}; nothing was changed. {retry}"
    else:
        message = f"<{target}> {held}. {retry}. {emptied(target)}"
    assert result.stderr == f"collabkg: error: {proxy.url('/query')}: {message}\n"
    assert not [r for r in proxy.seen if r.is_swap]
    assert graph_lines(server, target) == before
    assert before or target not in graph_names(server)
    assert not staging_graphs(server)


def test_a_count_mismatch_after_a_put_says_what_the_target_holds(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    """A PUT is one transaction that replaces the graph: the old triples cannot come back, and the error says so."""
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to(lose_a_triple)
    result = load(cli, proxy.url("/query"), "--graph", target)
    assert result.exit_code == 2
    assert result.stderr == (
        f"collabkg: error: {proxy.url('/query')}: <{target}> holds {local_count - 1} triples, not the "
        f"{local_count} sent: the store replaced its {len(OLD_TRIPLES)} triples but changed some of the new "
        "ones (see its log). Load again to put it in the intended state\n"
    )
    assert count(server, target) == local_count - 1
    assert not claims(server, target)


# --------------------------------------------------------------------------
# Faults on the way straight into an absent graph
# --------------------------------------------------------------------------


def test_upload_timeout_into_an_absent_graph_says_the_upload_may_still_land(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    target = new_graph()

    def policy(request: Seen, seen: list[Seen]) -> Action:
        return "stall" if request.is_upload and len([r for r in seen if r.is_upload]) == 2 else "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target, "--timeout", "0.5")
    assert result.exit_code == 2
    wait = len(local_triples()) * SECONDS_PER_TRIPLE  # more than --timeout: the whole graph
    assert (
        f"did not answer the Graph Store upload within {wait:g} s. Raise --timeout: the whole "
        "graph goes in one request. The store may still be applying the upload: once it is "
        f"idle, empty <{target}> again with: DROP SILENT GRAPH <{target}>"
    ) in result.stderr
    assert len(proxy.uploads()) == 2  # a timeout is not retried
    assert target not in graph_names(server)  # the stalled upload never reached the server
    assert not staging_graphs(server)


def test_an_empty_target_without_a_graph_store_is_loaded_through_a_staging_graph(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()
    proxy = proxy_to()
    caplog.set_level(logging.INFO, logger="collabkg.load")
    result = load(cli, proxy.url("/query"), "--graph", target, "--no-gsp", "--batch-size", "1000")
    assert result.exit_code == 0, result.output
    assert graph_dataset(server, target) == local_dataset()
    uploads = proxy.uploads()  # INSERT DATA batches, each its own transaction
    assert len(uploads) >= 4 and {r.path for r in uploads} == {"/update"}
    (swap,) = [r for r in proxy.seen if r.is_swap]
    staging = urllib.parse.parse_qs(swap.body.decode())["update"][0].split()[2][1:-1]
    assert staging.startswith(STAGING)
    assert all(f"GRAPH <{staging}>" in urllib.parse.parse_qs(r.body.decode())["update"][0] for r in uploads)
    assert f"loading {len(local_triples())} triples into <{target}> through <{staging}>" in caplog.messages
    assert not staging_graphs(server)


# --------------------------------------------------------------------------
# Clear exit-2 errors
# --------------------------------------------------------------------------


def test_wrong_credentials_exit_2_with_a_clear_message(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    monkeypatch: pytest.MonkeyPatch,
    local_count: int,
) -> None:
    proxy = proxy_to(auth_policy("curator", "s3cret"))
    target = new_graph()
    monkeypatch.setenv("KG_PASSWORD", "wrong")
    wrong = load(cli, proxy.url("/query"), "--graph", target, "--user", "curator", "--password-env", "KG_PASSWORD")
    assert wrong.exit_code == 2
    assert proxy.url("/query") in wrong.stderr and "401" in wrong.stderr
    assert "check the user name 'curator' and the password" in wrong.stderr
    assert "wrong" not in wrong.stderr.replace("wrong", "", 0)  # never echoes the password
    # no credentials up front; the challenge is answered once, and the refusal is not retried
    assert ["Authorization" in r.headers for r in proxy.seen] == [False, True]

    anonymous = load(cli, proxy.url("/query"), "--graph", target)
    assert anonymous.exit_code == 2 and "--password-env" in anonymous.stderr

    monkeypatch.setenv("KG_PASSWORD", "s3cret")
    right = load(cli, proxy.url("/query"), "--graph", target, "--user", "curator", "--password-env", "KG_PASSWORD")
    assert right.exit_code == 0, right.output
    assert count(server, target) == local_count


def test_password_only_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_NO_SUCH_VARIABLE", raising=False)
    with pytest.raises(StoreError, match="environment variable KG_NO_SUCH_VARIABLE is not set"):
        RemoteOptions("curator", "KG_NO_SUCH_VARIABLE").password()
    with pytest.raises(StoreError, match="needs both --user NAME and --password-env VAR"):
        RemoteOptions("curator", None).password()


def test_read_only_store_exits_2_saying_updates_are_not_allowed(cli: Callable[..., Result]) -> None:
    from collabkg.serve import running

    with running(port=0) as read_only:
        target = new_graph()
        result = load(cli, read_only.query_url, "--graph", target)
    assert result.exit_code == 2
    assert f"{read_only.url}store" in result.stderr or f"{read_only.url}update" in result.stderr
    assert "does not allow updates" in result.stderr and "403" in result.stderr


def test_unreachable_store_exits_2(cli: Callable[..., Result]) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = load(cli, url, "--retries", "2")
    assert result.exit_code == 2
    assert f"cannot reach {url}: connection refused (tried 2 time(s))" in result.stderr
    assert "Is the server running" in result.stderr


def test_wrong_path_exits_2_with_404(server: OxigraphServer, cli: Callable[..., Result]) -> None:
    url = server.base_url + "/nothing/query"
    result = load(cli, url)
    assert result.exit_code == 2
    assert f"{url} answered HTTP 404" in result.stderr and "--endpoint" in result.stderr


def test_timeout_exits_2(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    proxy = proxy_to(lambda request, seen: "stall")
    started = time.monotonic()
    result = load(cli, proxy.url("/query"), "--timeout", "0.5")
    assert result.exit_code == 2
    assert f"{proxy.url('/query')} did not answer the count query within 0.5 s" in result.stderr
    assert "--timeout" in result.stderr
    assert time.monotonic() - started < 5
    assert len(proxy.seen) == 1  # a timeout is not retried


# --------------------------------------------------------------------------
# Afterwards, the store answers the canned queries as the embedded store does
# --------------------------------------------------------------------------


def test_canned_queries_answer_as_the_embedded_store(cli: Callable[..., Result]) -> None:
    from collabkg import catalogue
    from collabkg.query import run

    with OxigraphServer() as fresh:
        result = load(cli, fresh.query_url)
        assert result.exit_code == 0, result.output
        compared = 0
        for name, canned in sorted(catalogue.catalogue().items()):
            if any(p.required for p in canned.parameters):
                continue
            remote = run(name, store=f"sparql:{fresh.query_url}")
            embedded = run(name)
            assert remote == embedded, name
            compared += 1
        assert compared >= 5


def test_a_store_without_a_union_default_graph_is_queried_through_the_loaded_graph(
    cli: Callable[..., Result],
) -> None:
    with OxigraphServer(union_default_graph=False) as plain:
        assert load(cli, plain.query_url).exit_code == 0
        store = f"sparql:{plain.query_url}"
        unscoped = cli("query", "participants-by-case", "--store", store, "--format", "tsv")
        scoped = cli(
            "query", "participants-by-case", "--store", store, "--format", "tsv",
            "--default-graph", GRAPH_LOAD_TARGET,
        )
        embedded = cli("query", "participants-by-case", "--format", "tsv")
    assert unscoped.exit_code == scoped.exit_code == embedded.exit_code == 0
    assert unscoped.stdout == scoped.stdout == embedded.stdout  # the loaded graph is found without being named
    assert unscoped.stderr == scoped.stderr == ""


def test_final_update_timeout_keeps_the_staging_graph_and_says_so(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    tiny: Path,
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to(lambda request, seen: "stall" if request.is_swap else "forward")
    result = load(cli, proxy.url("/query"), str(tiny), "--graph", target, "--timeout", "0.5", "--no-gsp")
    assert result.exit_code == 2
    assert "did not answer the final update within 0.5 s" in result.stderr
    assert "may still be applying it" in result.stderr
    assert graph_lines(server, target) == OLD_TRIPLES  # the update never reached the store
    left = staging_graphs(server)
    assert len(left) == 1 and f"DROP SILENT GRAPH <{left.pop()}>" in result.stderr
    assert claims(server, target)  # kept until it expires: the store may still be applying the update
    for name in staging_graphs(server):
        drop_graph(server, name)


def test_progress_is_reported_per_request(server: OxigraphServer) -> None:
    from collabkg.load import load as load_lines

    lines = local_triples()
    calls: list[tuple[int, int]] = []
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)  # appended to: the load goes through staging, in batches
    result = load_lines(
        lines, Endpoints.derive(server.query_url), target=target, batch_size=1000, mode=LoadMode.APPEND,
        progress=lambda sent, total: calls.append((sent, total)),
    )
    assert result.requests == len(calls) >= 4
    assert [sent for sent, _ in calls] == sorted(sent for sent, _ in calls)
    assert calls[-1] == (len(lines), len(lines))


def test_digest_credentials_are_answered(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    monkeypatch: pytest.MonkeyPatch,
    local_count: int,
) -> None:
    proxy = proxy_to(digest_policy("dba", "s3cret"))
    proxy.challenge = DIGEST_CHALLENGE
    target = new_graph()
    monkeypatch.setenv("KG_PASSWORD", "s3cret")
    args = ["--graph", target, "--user", "dba", "--password-env", "KG_PASSWORD"]
    result = load(cli, proxy.url("/query"), *args)
    assert result.exit_code == 0, result.output
    assert count(server, target) == local_count
    monkeypatch.setenv("KG_PASSWORD", "wrong")
    refused = load(cli, proxy.url("/query"), *args)
    assert refused.exit_code == 2 and "401" in refused.stderr


def test_default_graph_only_when_asked(cli: Callable[..., Result], local_count: int) -> None:
    with OxigraphServer(union_default_graph=False) as plain:
        neighbour = new_graph()
        put_graph(plain, neighbour, OLD_TRIPLES)
        result = load(cli, plain.query_url, "--graph", "default")
        assert result.exit_code == 0, result.output
        assert "into the default graph" in result.stdout
        total = _sparql_json(plain, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(total["results"]["bindings"][0]["n"]["value"]) == local_count
        assert graph_lines(plain, neighbour) == OLD_TRIPLES
        assert graph_names(plain) == {neighbour}


@pytest.mark.parametrize("graph", ["relative/graph", "https://example.org/a b", "https://example.org/a\tb"])
def test_a_graph_that_is_not_an_iri_is_refused_before_any_request(cli: Callable[..., Result], graph: str) -> None:
    result = load(cli, f"http://127.0.0.1:{free_port()}/query", "--graph", graph)
    assert result.exit_code == 2
    assert result.stderr == (
        f"collabkg: error: --graph {graph!r} is not an absolute IRI (or 'default' for the default graph)\n"
    )


def test_nothing_to_load_is_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    result = load(cli, f"http://127.0.0.1:{free_port()}/query", str(empty))
    assert result.exit_code == 2
    assert result.stderr == "collabkg: error: nothing to load: the input holds no triples\n"


# --------------------------------------------------------------------------
# No secret in any output
# --------------------------------------------------------------------------


def echo_once_authorized(status: int, scheme: str = "Basic") -> Callable[[Seen, list[Seen]], Action]:
    """401 (a challenge) without credentials; with them, the request's headers echoed back with ``status``."""

    def policy(request: Seen, _seen: list[Seen]) -> Action:
        sent = request.headers.get("Authorization", "")
        return f"echo:{status}" if sent.startswith(scheme + " ") else 401

    return policy


def assert_no_secret(texts: list[str], secrets: list[str]) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text, (secret, text)


@pytest.mark.parametrize("status", [400, 503])
def test_basic_credentials_echoed_by_the_server_are_never_shown(
    status: int,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    password = "pw-" + uuid.uuid4().hex[:10]
    proxy = proxy_to(echo_once_authorized(status))
    monkeypatch.setenv("KG_PASSWORD", password)
    caplog.set_level(logging.DEBUG)
    result = cli(
        "--debug", "load", "--endpoint", proxy.url("/query"), "--graph", new_graph(),
        "--user", "curator", "--password-env", "KG_PASSWORD", "--retries", "2",
    )
    assert result.exit_code == 2
    sent = {r.headers["Authorization"] for r in proxy.seen if "Authorization" in r.headers}
    assert len(sent) == 1  # Basic, after the challenge
    encoded = sent.pop().split()[1]
    assert base64.b64decode(encoded).decode() == f"curator:{password}"
    assert "Authorization: ***" in result.stderr  # the echoed header, its value taken out
    assert f"HTTP {status}" in result.stderr and proxy.url("/query") in result.stderr
    assert_no_secret([result.output, caplog.text], [password, encoded])


def test_digest_credentials_echoed_by_the_server_are_never_shown(
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    password = "pw-" + uuid.uuid4().hex[:10]
    proxy = proxy_to(echo_once_authorized(400, scheme="Digest"))
    proxy.challenge = DIGEST_CHALLENGE
    monkeypatch.setenv("KG_PASSWORD", password)
    caplog.set_level(logging.DEBUG)
    result = cli(
        "--debug", "load", "--endpoint", proxy.url("/query"), "--graph", new_graph(),
        "--user", "dba", "--password-env", "KG_PASSWORD",
    )
    assert result.exit_code == 2
    (answer,) = [r.headers["Authorization"] for r in proxy.seen if "Authorization" in r.headers]
    assert answer.startswith("Digest ")
    response = re.search(r'response="([0-9a-f]+)"', answer)
    assert response is not None
    assert "Authorization: ***" in result.stderr
    assert_no_secret([result.output, caplog.text], [password, answer, response.group(1)])


def test_a_password_in_the_url_is_used_and_never_shown(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    caplog: pytest.LogCaptureFixture,
    local_count: int,
) -> None:
    password = "pw-" + uuid.uuid4().hex[:10]
    proxy = proxy_to(auth_policy("alice", password))
    endpoint = proxy.url("/query").replace("http://", f"http://alice:{password}@")
    target = new_graph()
    caplog.set_level(logging.DEBUG)
    result = cli("--debug", "load", "--endpoint", endpoint, "--graph", target)
    assert result.exit_code == 0, result.output
    assert count(server, target) == local_count
    assert f"at {proxy.url('/query')} " in result.stdout
    assert_no_secret([result.output, caplog.text], [password])

    # and when the server echoes it back
    proxy.policy = echo_once_authorized(400)
    caplog.clear()
    refused = cli("--debug", "load", "--endpoint", endpoint, "--graph", new_graph())
    assert refused.exit_code == 2 and "HTTP 400" in refused.stderr
    encoded = base64.b64encode(f"alice:{password}".encode()).decode()
    assert_no_secret([refused.output, caplog.text], [password, encoded])


@pytest.mark.parametrize("password", ["p/ss", "p#ss", "p?ss", "1234/x"])
def test_a_password_in_the_url_that_does_not_parse_is_refused_clearly(
    password: str, cli: Callable[..., Result], caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = f"http://alice:{password}@127.0.0.1:{free_port()}/query"
    caplog.set_level(logging.DEBUG)
    result = cli("--debug", "load", "--endpoint", endpoint)
    assert result.exit_code == 2
    assert "looks like a user and a password, but it does not parse as one" in result.stderr
    assert "--password-env" in result.stderr
    assert "unknown host" not in result.output and "cannot reach" not in result.output
    assert_no_secret([result.output, caplog.text], [password])


def test_redact_takes_out_every_form_of_a_secret() -> None:
    from collabkg.stores.remote import redact, secrets_of

    secrets = secrets_of("alice", "s3cr et/+")
    text = (
        "GET /x?password=s3cr%20et%2F%2B HTTP/1.1 Authorization: Basic YWxpY2U6czNjciBldC8r "
        'Proxy-Authorization: Digest username="alice", response="ab12", nc=00000001 '
        "see http://alice:s3cr et/+@host/ and http://bob:x@host:1/q; s3cr et/+"
    )
    cleaned = redact(text, secrets)
    for secret in ("s3cr", "YWxpY2U6czNjciBldC8r", "ab12", "bob:x"):
        assert secret not in cleaned, cleaned
    assert "HTTP Basic auth" == redact("HTTP Basic auth")


# --------------------------------------------------------------------------
# Blank nodes: stable skolem IRIs, so that appending twice gives the same graph
# --------------------------------------------------------------------------


def test_the_same_data_appended_twice_is_the_same_graph(
    server: OxigraphServer, cli: Callable[..., Result], local_count: int
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    for attempt in (1, 2):
        result = load(cli, server.query_url, "--graph", target, "--append")
        assert result.exit_code == 0, result.output
        assert count(server, target) == local_count + len(OLD_TRIPLES), attempt
    assert OLD_TRIPLES <= graph_lines(server, target)
    assert not any("_:" in line for line in graph_lines(server, target))
    assert not staging_graphs(server)


def test_skolem_iris_depend_on_the_data_not_on_the_labels() -> None:
    from collabkg.load import GENID

    lines = [
        "<https://example.org/C> <http://www.w3.org/2000/01/rdf-schema#subClassOf> _:r",
        "_:r <http://www.w3.org/2002/07/owl#onProperty> <https://example.org/p>",
        "<https://example.org/D> <http://www.w3.org/2000/01/rdf-schema#subClassOf> _:s",
        "_:s <http://www.w3.org/2002/07/owl#onProperty> <https://example.org/p>",
        "<https://example.org/E> <https://example.org/q> _:t",
        "<https://example.org/E> <https://example.org/q> _:u",  # two alike: two IRIs
    ]
    first = skolemize(lines)
    relabelled = skolemize([line.replace("_:", "_:other") for line in lines])
    grown = skolemize([*lines, '<https://example.org/F> <https://example.org/q> "new"'])
    assert first == relabelled
    assert set(first) < set(grown)  # a triple elsewhere leaves every IRI as it was
    assert len(first) == len(lines) and not any("_:" in line for line in first)
    iris = {term for line in first for term in line.split() if term.startswith(f"<{GENID}")}
    assert len(iris) == 4


def test_an_add_applied_but_reported_failed_is_a_success(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    """The store applies the ADD, not the drop of the staging graph, and answers 500 (as Virtuoso did)."""
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)

    def policy(request: Seen, _seen: list[Seen]) -> Action:
        if request.is_swap:
            text = urllib.parse.parse_qs(request.body.decode())["update"][0].split(";")[0]
            request.body = urllib.parse.urlencode({"update": text}).encode()
            request.headers["Content-Length"] = str(len(request.body))
            return "forward-then-500"
        return "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target, "--append")
    assert result.exit_code == 0, result.output
    assert count(server, target) == local_count + len(OLD_TRIPLES)
    assert not staging_graphs(server)  # dropped afterwards


def test_a_final_update_that_changed_the_target_yet_failed_says_what_it_holds(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    stray = f"<{OLD}#c> <{OLD}#p> <{OLD}#d>"

    def policy(request: Seen, _seen: list[Seen]) -> Action:
        if request.is_swap:  # a store that changes the target some other way, and fails
            request.body = urllib.parse.urlencode({"update": f"INSERT DATA {{ GRAPH <{target}> {{ {stray} }} }}"}).encode()
            request.headers["Content-Length"] = str(len(request.body))
            return "forward-then-500"
        return "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target, "--append")
    assert result.exit_code == 2
    assert (
        f"<{target}> changed nonetheless: it now holds {len(OLD_TRIPLES) + 1} triples (it held "
        f"{len(OLD_TRIPLES)} before, and the load brought {local_count})"
    ) in result.stderr
    assert "nothing was changed" not in result.stderr
    assert not staging_graphs(server)

    # a final update refused outright: the target is said to be as it was
    proxy.policy = lambda request, seen: 500 if request.is_swap else "forward"
    refused = load(cli, proxy.url("/query"), "--graph", target, "--retries", "1", "--append")
    assert refused.exit_code == 2
    assert f"<{target}> is as it was ({len(OLD_TRIPLES) + 1} triples)" in refused.stderr
    assert not staging_graphs(server)


# --------------------------------------------------------------------------
# A request that may have been applied is never sent again blindly
# --------------------------------------------------------------------------


def test_an_upload_into_an_empty_graph_whose_answer_is_lost_is_not_sent_again(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    """The server applies the upload; the connection closes without its answer: the target is counted, not written twice."""
    target = new_graph()

    def policy(request: Seen, seen: list[Seen]) -> Action:
        full = request.is_upload and len(request.body.splitlines()) > 0
        return "forward-then-drop" if full else "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target, "--retries", "3")
    assert result.exit_code == 0, result.output
    assert [len(r.body.splitlines()) for r in proxy.uploads()] == [0, local_count]  # sent once
    assert f"held 0 triples before, {local_count} now" in result.stdout
    assert graph_dataset(server, target) == local_dataset()
    assert not claims(server, target)


def test_a_lost_answer_to_an_update_is_not_retried_but_a_query_is(
    server: OxigraphServer, proxy_to: Callable[..., Proxy]
) -> None:
    from collabkg.stores.remote import Client, RemoteUnanswered

    proxy = proxy_to(lambda request, seen: "drop")
    with Client(retries=3, backoff=0.01) as client:
        with pytest.raises(RemoteUnanswered, match="not sent again: the store may have applied it"):
            client.update(proxy.url("/update"), f"INSERT DATA {{ GRAPH <{new_graph()}> {{ <{OLD}#a> <{OLD}#p> 1 }} }}")
        assert len(proxy.seen) == 1
        with pytest.raises(LoadError, match=r"tried 3 time\(s\)"):
            client.query(proxy.url("/query"), "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        assert len(proxy.seen) == 4
        with pytest.raises(LoadError, match=r"tried 3 time\(s\)"):
            client.send("PUT", proxy.url("/store?graph=x"), b"")  # a PUT may be sent again
        assert len(proxy.seen) == 7


# --------------------------------------------------------------------------
# The store killed during the last step: unknown is said as unknown
# --------------------------------------------------------------------------


@pytest.mark.parametrize("step", sorted(LAST_STEPS))
def test_store_killed_during_the_last_step_says_the_outcome_is_unknown_and_how_to_check(
    step: str, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    doomed = OxigraphServer()
    try:
        target = new_graph()
        put_graph(doomed, target, OLD_TRIPLES)
        proxy = proxy_to(lambda request, seen: "forward-then-drop" if is_last_step(request) else "forward",
                         upstream=doomed.base_url)

        def kill(request: Seen) -> None:  # the store applied the last step, then died
            if is_last_step(request):
                doomed.process.kill()
                doomed.process.wait(timeout=10)

        proxy.on_forwarded = kill
        result = load(cli, proxy.url("/query"), "--graph", target, "--retries", "2", *LAST_STEPS[step])
        assert result.exit_code == 2
        assert "whether the load was applied is unknown" in result.stderr
        assert "failed the" not in result.stderr and "is as it was" not in result.stderr
        assert (
            f"<{target}> holds either its old {len(OLD_TRIPLES)} triples or the {local_count} new ones; once "
            "the store answers, this tells which: collabkg query --sparql 'SELECT (COUNT(*) AS ?n) WHERE "
            f"{{ GRAPH <{target}> {{ ?s ?p ?o }} }}' --store sparql:{proxy.url('/query')}"
        ) in result.stderr
        if step == "move":
            assert re.search(r"drop it with: DROP SILENT GRAPH <" + re.escape(STAGING), result.stderr)
        with OxigraphServer(doomed.folder, read_only=True) as view:  # it was applied
            assert count(view, target) == local_count
            assert not staging_graphs(view)
    finally:
        doomed.stop()


@pytest.mark.parametrize("step", sorted(LAST_STEPS))
def test_store_restarted_during_the_last_step_is_asked_again_and_the_load_confirmed(
    step: str, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    doomed = OxigraphServer()
    revived: list[OxigraphServer] = []
    try:
        target = new_graph()
        put_graph(doomed, target, OLD_TRIPLES)
        proxy = proxy_to(lambda request, seen: "forward-then-drop" if is_last_step(request) else "forward",
                         upstream=doomed.base_url)

        def restart(request: Seen) -> None:  # applied; the store dies and is back a moment later
            if is_last_step(request) and not revived:
                doomed.process.kill()
                doomed.process.wait(timeout=10)

                def later() -> None:
                    time.sleep(0.3)
                    revived.append(OxigraphServer(doomed.folder))
                    proxy.upstream = revived[0].base_url

                threading.Thread(target=later, daemon=True).start()

        proxy.on_forwarded = restart
        result = load(cli, proxy.url("/query"), "--graph", target, "--retries", "6", *LAST_STEPS[step])
        assert result.exit_code == 0, result.output
        assert f"held {len(OLD_TRIPLES)} triples before, {local_count} now" in result.stdout
        assert count(revived[0], target) == local_count
        assert not staging_graphs(revived[0]) and not claims(revived[0], target)
    finally:
        for running in revived:
            running.stop()
        doomed.stop()
