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
import math
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
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
    STAGING,
    Endpoints,
    LoadError,
    LoadMode,
    batches,
    local_triples,
    skolemize,
)
from collabkg.stores import RemoteOptions, StoreError

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


def stored_dataset(lines: list[str]) -> ox.Dataset:
    """N-Triples lines as Oxigraph stores them (literals in canonical form: "13.0" is "13")."""
    text = "".join(line.removesuffix(" .") + " .\n" for line in lines if line.strip())
    store = ox.Store()
    store.extend(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def local_dataset(*extra: str) -> ox.Dataset:
    """The local graph as it is loaded (blank nodes skolemized), with the ``extra`` N-Triples lines."""
    return stored_dataset([*skolemize(local_triples()), *extra])


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
(answer nothing until the test ends), "echo:STATUS" (answer STATUS with
the request line and its Authorization header as the body, as a server
that repeats the request does), or an HTTP status to answer."""


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
                elif action.startswith("echo:"):  # a status, with the request's credentials as the body
                    authorization = request.headers["Authorization"]
                    echoed = f"{request.method} {request.path}\nAuthorization: {authorization}\n"
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


def assert_loaded(
    result: Result, endpoint: str, target: str, *, before: int, after: int, method: str = "graph-store",
    requests: int = 1, triples: int | None = None,
) -> None:
    """Exit 0, nothing on standard error, and the one line that says what was loaded where."""
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    triples = after if triples is None else triples
    name = "the default graph" if target == "default" else f"<{target}>"
    line = (
        re.escape(f"loaded {triples} triples into {name} at {endpoint} ({method}, {requests} request{'' if requests == 1 else 's'}, ")
        + r"\d+\.\d\d s"
        + re.escape(f"); the graph held {before} triples before, {after} now")
        + "\n"
    )
    assert re.fullmatch(line, result.stdout), result.stdout


def assert_refused(result: Result, message: str, debug: bool = False) -> None:
    """Exit 2, nothing on standard output, and ``message`` as the one line on standard error
    (with ``--debug``, the last line, after the traceback)."""
    line = f"collabkg: error: {message}\n"
    if debug:
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr.startswith("Traceback (most recent call last):\n"), result.stderr
        assert result.stderr.endswith("\n" + line), result.stderr
        assert result.stderr.count("collabkg: error:") == 1, result.stderr
    else:
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", line)


def staging_named(proxy: Proxy) -> str:
    """The one staging graph the load's requests through ``proxy`` name (its claim is named alike)."""
    pattern = re.escape(STAGING) + r"[0-9a-f]{32}"
    texts = [urllib.parse.unquote_plus(r.path + " " + r.body.decode("utf-8", "replace")) for r in proxy.seen]
    named = {found for text in texts for found in re.findall(pattern, text)}
    (staging,) = named
    return staging


def check_command(target: str, endpoint: str) -> str:
    return (
        f"collabkg query --sparql 'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}' "
        f"--store sparql:{endpoint}"
    )


def gsp_url(proxy: Proxy, graph: str) -> str:
    return proxy.url("/store?" + urllib.parse.urlencode({"graph": graph}))


def warnings_of(caplog: pytest.LogCaptureFixture, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno == logging.WARNING]


def infos_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "collabkg.load" and r.levelno == logging.INFO]


DROPPED = "the server closed the connection without answering"
LOST = "dropped the connection during the {what}: "
UNANSWERED = f"{DROPPED} (not sent again: the store may have applied it)"
RETRY_ADVICE = "Try again; if it persists, the store rewrites some triples (see its log)"


def dropped_after(tries: int) -> str:
    return f"{DROPPED} (tried {tries} time(s)). Is the server running? See its log"


def in_trouble(tries: int, said: str) -> str:
    return f"{tries} time(s), last with {said}. The server is in trouble: see its log, then try again"


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def test_load_puts_exactly_the_local_triples_in_the_project_graph(
    server: OxigraphServer, cli: Callable[..., Result], local_count: int
) -> None:
    before = count(server, DEFAULT_TARGET)
    result = load(cli, server.query_url)
    assert_loaded(result, server.query_url, DEFAULT_TARGET, before=before, after=local_count)
    assert graph_dataset(server, DEFAULT_TARGET) == local_dataset()
    assert not staging_graphs(server) and not claims(server, DEFAULT_TARGET)


def test_second_replace_is_idempotent(server: OxigraphServer, cli: Callable[..., Result], local_count: int) -> None:
    target = new_graph()
    first = load(cli, server.query_url, "--graph", target, "--replace")
    assert_loaded(first, server.query_url, target, before=0, after=local_count)
    snapshot = graph_dataset(server, target)
    second = load(cli, server.query_url, "--graph", target, "--replace")
    assert_loaded(second, server.query_url, target, before=local_count, after=local_count)
    assert graph_dataset(server, target) == snapshot == local_dataset()


def test_replace_touches_no_other_graph(
    server: OxigraphServer, cli: Callable[..., Result], local_count: int
) -> None:
    target, neighbour = new_graph(), new_graph()
    put_graph(server, target, OLD_TRIPLES)
    put_graph(server, neighbour, OLD_TRIPLES)
    others = {name: graph_lines(server, name) for name in graph_names(server) if name != target}
    result = load(cli, server.query_url, "--graph", target)
    assert_loaded(result, server.query_url, target, before=len(OLD_TRIPLES), after=local_count)
    assert graph_dataset(server, target) == local_dataset()  # replaced: the old triples are gone
    assert {name: graph_lines(server, name) for name in graph_names(server) if name != target} == others


def test_append_keeps_what_the_graph_held(server: OxigraphServer, cli: Callable[..., Result], local_count: int) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    result = load(cli, server.query_url, "--graph", target, "--append")
    assert_loaded(
        result, server.query_url, target, before=len(OLD_TRIPLES), after=local_count + len(OLD_TRIPLES),
        triples=local_count,
    )
    assert graph_dataset(server, target) == local_dataset(*OLD_TRIPLES)
    assert not staging_graphs(server) and not claims(server, target)


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
    assert_loaded(result, proxy.url("/query"), target, before=0, after=local_count)
    assert graph_dataset(server, target) == local_dataset()
    # an empty upload finds the Graph Store, then one request carries every triple
    assert [(r.method, r.graph, len(r.body.splitlines())) for r in proxy.uploads()] == [
        ("POST", target, 0), ("POST", target, local_count)
    ]
    assert not [r for r in proxy.seen if r.is_swap or r.is_put]
    assert infos_of(caplog) == [
        f"uploading through the Graph Store at {proxy.url('/store')}",
        f"loading {local_count} triples straight into <{target}>, which is empty",
    ]
    assert not staging_graphs(server) and not claims(server, target)


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
    assert_loaded(result, proxy.url("/query"), target, before=len(OLD_TRIPLES), after=local_count)
    assert graph_dataset(server, target) == local_dataset()
    (put,) = [r for r in proxy.seen if r.is_put]  # one transaction, no copy of a staging graph
    assert put.graph == target and len(put.body.splitlines()) == local_count
    # the empty upload that finds the Graph Store, into the staging graph it never fills
    assert [(r.graph, len(r.body.splitlines())) for r in proxy.uploads()] == [(staging_named(proxy), 0)]
    assert not [r for r in proxy.seen if r.is_swap]
    assert infos_of(caplog) == [
        f"uploading through the Graph Store at {proxy.url('/store')}",
        f"replacing the {len(OLD_TRIPLES)} triples of <{target}> by {local_count} in one Graph Store PUT",
    ]
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
    assert_loaded(
        result, proxy.url("/query"), target, before=len(OLD_TRIPLES), after=local_count, method="insert-data"
    )
    assert graph_dataset(server, target) == local_dataset()
    staging = staging_named(proxy)
    (swap,) = [r for r in proxy.seen if r.is_swap]
    moved = [f"MOVE GRAPH <{staging}> TO GRAPH <{target}>"]
    assert urllib.parse.parse_qs(swap.body.decode())["update"] == moved
    assert infos_of(caplog) == [f"loading {local_count} triples into <{target}> through <{staging}>"]
    assert not staging_graphs(server) and not claims(server, target)


def test_insert_data_batches_keep_blank_nodes_whole(
    server: OxigraphServer, cli: Callable[..., Result], local_count: int
) -> None:
    target = new_graph()
    result = load(cli, server.query_url, "--graph", target, "--no-gsp", "--batch-size", "200")
    assert_loaded(
        result, server.query_url, target, before=0, after=local_count, method="insert-data",
        requests=math.ceil(local_count / 200),
    )
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
    assert_loaded(result, server.query_url, target, before=0, after=local_count)
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
    assert Endpoints.derive("http://localhost:3030/kg/query") == Endpoints(
        "http://localhost:3030/kg/query",
        "http://localhost:3030/kg/update",
        ("http://localhost:3030/kg/store", "http://localhost:3030/kg/data"),
        False,
    )
    assert Endpoints.derive("http://localhost:7200/repositories/kg") == Endpoints(
        "http://localhost:7200/repositories/kg",
        "http://localhost:7200/repositories/kg/statements",
        ("http://localhost:7200/repositories/kg/rdf-graphs/service",),
        False,
    )
    assert Endpoints.derive(
        "http://localhost:8890/sparql", gsp="http://localhost:8890/sparql-graph-crud-auth"
    ) == Endpoints(
        "http://localhost:8890/sparql",
        "http://localhost:8890/sparql",
        ("http://localhost:8890/sparql-graph-crud-auth",),
        True,
    )
    assert Endpoints.derive("http://localhost:7878/query", use_gsp=False) == Endpoints(
        "http://localhost:7878/query", "http://localhost:7878/update", (), False
    )
    with pytest.raises(LoadError) as refused:
        Endpoints.derive("localhost:7878/query")
    assert str(refused.value) == "--endpoint 'localhost:7878/query' is not an http:// or https:// URL"


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
    if before:  # a batch into the load's own staging graph may be sent again: it adds nothing twice
        if method == "graph-store":  # the empty upload that finds the Graph Store, then two tries of a batch
            url, what = gsp_url(proxy, staging_named(proxy)), "Graph Store upload"
        else:  # a first batch, then two tries of the next
            url, what = proxy.url("/update"), "INSERT DATA request"
        assert_refused(result, f"{url} dropped the connection during the {what}: {dropped_after(2)}")
        assert len(proxy.uploads()) == 3
    else:  # the one upload into the target may have been applied: never sent again, the target counted
        assert_refused(
            result,
            f"{gsp_url(proxy, target)} dropped the connection during the Graph Store upload: {UNANSWERED}. "
            f"{emptied(target)}",
        )
        # the empty upload that finds the Graph Store, then the one try of the upload
        assert len(proxy.uploads()) == 2
    assert graph_lines(server, target) == before
    assert before or target not in graph_names(server)
    assert not staging_graphs(server) and not claims(server, target)  # dropped on the way out


LAST_STEPS = {"move": ["--no-gsp"], "put": []}
"""How a graph that holds triples is replaced: MOVE of a staging graph (no Graph Store), or one PUT."""


def is_last_step(request: Seen) -> bool:
    return request.is_swap or request.is_put


def last_step_failed(step: str, proxy: Proxy, target: str, problem: str) -> str:
    """The first part of the error for a last step that failed with ``problem``."""
    if step == "move":
        return f"{proxy.url('/update')} {problem.format(what='final MOVE/ADD update')}"
    return f"{gsp_url(proxy, target)} {problem.format(what='Graph Store replacement')}"


@pytest.mark.parametrize("step", sorted(LAST_STEPS))
def test_lost_final_update_leaves_the_target_unchanged(
    step: str, server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy]
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to(lambda request, seen: "drop" if is_last_step(request) else "forward")
    result = load(cli, proxy.url("/query"), "--graph", target, "--retries", "2", *LAST_STEPS[step])
    # the MOVE is not sent again (it may have been applied); the PUT may be, and is
    problem = UNANSWERED if step == "move" else dropped_after(2)
    assert_refused(
        result,
        last_step_failed(step, proxy, target, LOST + problem)
        + f". <{target}> is as it was ({len(OLD_TRIPLES)} triples)",
    )
    assert len([r for r in proxy.seen if is_last_step(r)]) == (1 if step == "move" else 2)
    assert graph_lines(server, target) == OLD_TRIPLES
    assert not staging_graphs(server) and not claims(server, target)


@pytest.mark.parametrize("step", sorted(LAST_STEPS))
def test_final_update_applied_but_its_answer_lost_is_a_success(
    step: str,
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    proxy = proxy_to(lambda request, seen: "forward-then-drop" if is_last_step(request) else "forward")
    result = load(cli, proxy.url("/query"), "--graph", target, *LAST_STEPS[step])
    method = "insert-data" if step == "move" else "graph-store"
    assert_loaded(
        result, proxy.url("/query"), target, before=len(OLD_TRIPLES), after=local_count, method=method
    )
    assert graph_dataset(server, target) == local_dataset()
    if step == "move":  # never sent twice
        assert len([r for r in proxy.seen if r.is_swap]) == 1
        failure = last_step_failed(step, proxy, target, LOST + UNANSWERED)
        found = f"the final update reported a failure, but the triples are in place: {failure}"
    else:  # a PUT may be sent again: it is, as often as --retries (3) allows
        assert len([r for r in proxy.seen if r.is_put]) == 3
        failure = last_step_failed(step, proxy, target, LOST + dropped_after(3))
        found = f"the Graph Store PUT reported a failure, but <{target}> holds the triples sent: {failure}"
    assert warnings_of(caplog, "collabkg.load") == [found]
    assert not staging_graphs(server) and not claims(server, target)


@pytest.mark.parametrize("before", [OLD_TRIPLES, set()], ids=["holding-triples", "absent"])
def test_server_killed_mid_load_leaves_the_target_as_it_was(
    before: set[str], cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
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
        if before:  # the first batch after the empty upload: the staging graph, not dropped, is named
            staging = staging_named(proxy)
            assert_refused(
                result,
                f"{gsp_url(proxy, staging)} dropped the connection during the Graph Store upload: "
                f"{dropped_after(2)}. The staging graph <{staging}> may be left on the server; drop it with: "
                f"DROP SILENT GRAPH <{staging}>",
            )
        else:  # the one upload into the empty target: it may have been applied, and nothing can tell
            assert_refused(
                result,
                f"{gsp_url(proxy, target)} dropped the connection during the Graph Store upload: "
                f"{UNANSWERED}. The store may have applied it, and cannot be asked what it did ({DROPPED}): "
                f"whether the load was applied is unknown. <{target}> holds either its old 0 triples or the "
                f"{local_count} new ones; once the store answers, this tells which: "
                f"{check_command(target, proxy.url('/query'))}. "
                "Loading again puts the graph in place either way",
            )

        # A server on the killed one's database: the target is as it was.
        with OxigraphServer(doomed.folder, read_only=True) as view:
            assert graph_lines(view, target) == before
            assert before or target not in graph_names(view)
            assert not staging_graphs(view)
    finally:
        doomed.stop()


def test_5xx_is_retried_and_the_load_completes(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()

    def policy(request: Seen, seen: list[Seen]) -> Action:
        return 503 if request.is_upload and len([r for r in seen if r.is_upload]) == 1 else "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target)
    assert_loaded(result, proxy.url("/query"), target, before=0, after=local_count)
    # the empty upload's 503, its retry, then the upload
    assert [len(r.body.splitlines()) for r in proxy.uploads()] == [0, 0, local_count]
    assert warnings_of(caplog, "collabkg.stores.remote") == [
        f"{gsp_url(proxy, target)}: Graph Store upload failed (HTTP 503 Service Unavailable: refused by the "
        "test proxy); retrying in 0.5 s"
    ]
    assert graph_dataset(server, target) == local_dataset()


@pytest.mark.parametrize(
    ("before", "mode"),
    [(OLD_TRIPLES, "--append"), (set(), "--replace"), (OLD_TRIPLES, "--replace")],
    ids=["holding-triples-staging", "absent", "holding-triples-put"],
)
def test_a_count_mismatch_says_what_the_target_holds(
    before: set[str], mode: str, server: OxigraphServer, cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy], local_count: int,
) -> None:
    """Staged or straight into an empty target, nothing is kept; a PUT is one transaction that replaced
    the old triples, which cannot come back: the error says so."""
    target = new_graph()
    if before:
        put_graph(server, target, before)
    proxy = proxy_to(lose_a_triple)
    result = load(cli, proxy.url("/query"), "--graph", target, mode)
    held = f"holds {local_count - 1} triples, not the {local_count} sent"
    if not before:
        message = f"<{target}> {held}. {RETRY_ADVICE}. {emptied(target)}"
    elif mode == "--append":
        message = f"the staging graph {held}; nothing was changed. {RETRY_ADVICE}"
    else:
        message = (
            f"<{target}> {held}: the store replaced its {len(before)} triples but changed some of the new "
            "ones (see its log). Load again to put it in the intended state"
        )
    assert_refused(result, f"{proxy.url('/query')}: {message}")
    assert not [r for r in proxy.seen if r.is_swap]
    if before and mode == "--replace":  # what the PUT carried, one triple short
        (put,) = [r for r in proxy.seen if r.is_put]
        assert graph_dataset(server, target) == stored_dataset(put.body.decode().splitlines())
        assert len(put.body.splitlines()) == local_count - 1
    else:
        assert graph_lines(server, target) == before
        assert before or target not in graph_names(server)
    assert not staging_graphs(server) and not claims(server, target)


# --------------------------------------------------------------------------
# Time running out, at each step
# --------------------------------------------------------------------------


def test_upload_timeout_into_an_absent_graph_says_the_upload_may_still_land(
    server: OxigraphServer, cli: Callable[..., Result], proxy_to: Callable[..., Proxy], local_count: int
) -> None:
    target = new_graph()

    def policy(request: Seen, seen: list[Seen]) -> Action:
        return "stall" if request.is_upload and len([r for r in seen if r.is_upload]) == 2 else "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target, "--timeout", "0.5")
    wait = local_count * SECONDS_PER_TRIPLE  # more than --timeout: the whole graph
    assert_refused(
        result,
        f"{gsp_url(proxy, target)} did not answer the Graph Store upload within {wait:g} s. Raise --timeout: "
        "the whole graph goes in one request. The store may still be applying the upload: once it is idle, "
        f"empty <{target}> again with: DROP SILENT GRAPH <{target}>",
    )
    assert len(proxy.uploads()) == 2  # a timeout is not retried
    assert target not in graph_names(server)  # the stalled upload never reached the server
    assert not staging_graphs(server)


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
    staging = staging_named(proxy)
    assert_refused(
        result,
        f"{proxy.url('/update')} did not answer the final update within 0.5 s; the store may still be "
        f"applying it. When it is idle, <{target}> holds either its old triples or the 69 new ones (this "
        f"tells which: {check_command(target, proxy.url('/query'))}); if the staging graph <{staging}> is "
        f"still there, drop it with: DROP SILENT GRAPH <{staging}>. Raise --timeout for large graphs",
    )
    assert graph_lines(server, target) == OLD_TRIPLES  # the update never reached the store
    assert staging_graphs(server) == {staging}
    # kept until it expires: the store may still be applying the update
    (claim,) = claims(server, target)
    assert re.fullmatch(re.escape(target) + r"\t\d+\.\d{3}", claim), claim
    drop_graph(server, staging)


def test_an_empty_target_without_a_graph_store_is_loaded_through_a_staging_graph(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = new_graph()
    proxy = proxy_to()
    caplog.set_level(logging.INFO, logger="collabkg.load")
    result = load(cli, proxy.url("/query"), "--graph", target, "--no-gsp", "--batch-size", "1000")
    batches_sent = math.ceil(local_count / 1000)
    assert_loaded(
        result, proxy.url("/query"), target, before=0, after=local_count, method="insert-data",
        requests=batches_sent,
    )
    assert graph_dataset(server, target) == local_dataset()
    staging = staging_named(proxy)
    uploads = proxy.uploads()  # INSERT DATA batches, each its own transaction, into the staging graph
    assert [r.path for r in uploads] == ["/update"] * batches_sent
    opening = f"INSERT DATA {{\nGRAPH <{staging}> {{\n"
    assert all(urllib.parse.parse_qs(r.body.decode())["update"][0].startswith(opening) for r in uploads)
    assert infos_of(caplog) == [f"loading {local_count} triples into <{target}> through <{staging}>"]
    assert not staging_graphs(server) and not claims(server, target)


# --------------------------------------------------------------------------
# Clear exit-2 errors
# --------------------------------------------------------------------------


ProxyTo = Callable[..., Proxy]


@dataclass
class Refusal:
    """A store that fails a load before it writes anything: where to load, and what is said."""

    endpoint: str
    args: list[str]
    message: str
    proxy: Proxy | None = None
    requests: int | None = None
    """How many requests reach the proxy (every refusal but a 5xx or a lost connection is final)."""


def unreachable(server: OxigraphServer, proxy_to: ProxyTo, stack: ExitStack, target: str) -> Refusal:
    url = f"http://127.0.0.1:{free_port()}/query"
    return Refusal(
        url, ["--retries", "2"],
        f"cannot reach {url}: connection refused (tried 2 time(s)). "
        "Is the server running, and is the URL right?",
    )


def wrong_path(server: OxigraphServer, proxy_to: ProxyTo, stack: ExitStack, target: str) -> Refusal:
    url = server.base_url + "/nothing/query"
    return Refusal(
        url, [],
        f"{url} answered HTTP 404 Not Found: POST /nothing/query is not supported by this server: no SPARQL "
        "service there. Check the URL (--endpoint); see the README for the URLs of Oxigraph, Fuseki, "
        "GraphDB and Virtuoso",
    )


def read_only(server: OxigraphServer, proxy_to: ProxyTo, stack: ExitStack, target: str) -> Refusal:
    from collabkg.serve import running

    store = stack.enter_context(running(port=0))
    url = store.url + "store?" + urllib.parse.urlencode({"graph": target})
    return Refusal(
        store.query_url, [],
        f"{url} does not allow updates (HTTP 403 Forbidden: The server is read-only). Use a store or an "
        "update endpoint that accepts writes (--update-endpoint), or credentials with update rights",
    )


def no_answer(server: OxigraphServer, proxy_to: ProxyTo, stack: ExitStack, target: str) -> Refusal:
    proxy = proxy_to(lambda request, seen: "stall")
    return Refusal(
        proxy.url("/query"), ["--timeout", "0.5"],
        f"{proxy.url('/query')} did not answer the count query within 0.5 s. Raise --timeout: the store "
        "takes longer to count",
        proxy, 1,  # a timeout is not retried
    )


def upload_rejected(server: OxigraphServer, proxy_to: ProxyTo, stack: ExitStack, target: str) -> Refusal:
    proxy = proxy_to(lambda request, seen: 400 if request.is_upload else "forward")
    return Refusal(
        proxy.url("/query"), ["--gsp", proxy.url("/store")],
        f"{gsp_url(proxy, target)} rejected the Graph Store upload "
        "(HTTP 400 Bad Request: refused by the test proxy)",
        proxy, 2,  # the count query, then the empty upload, never sent again
    )


REFUSALS = [unreachable, wrong_path, read_only, no_answer, upload_rejected]


@pytest.mark.parametrize("refusal", REFUSALS, ids=[f.__name__.replace("_", "-") for f in REFUSALS])
def test_a_store_that_fails_the_load_exits_2_in_one_line_and_writes_nothing(
    refusal: Callable[..., Refusal],
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
) -> None:
    target = new_graph()
    with ExitStack() as stack:
        case = refusal(server, proxy_to, stack, target)
        started = time.monotonic()
        result = load(cli, case.endpoint, "--graph", target, *case.args)
        took = time.monotonic() - started
    assert_refused(result, case.message)
    assert took < 5
    if case.proxy is not None:
        assert len(case.proxy.seen) == case.requests
    assert target not in graph_names(server)
    assert not staging_graphs(server) and not claims(server, target)


AUTH = {
    "basic": (auth_policy, Proxy.challenge),
    "digest": (digest_policy, DIGEST_CHALLENGE),
}
"""How a store asks for credentials: the proxy's policy for a user and password, and its challenge."""


@pytest.mark.parametrize("scheme", sorted(AUTH))
def test_credentials_are_answered_as_the_store_asks_and_refused_ones_exit_2(
    scheme: str,
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    monkeypatch: pytest.MonkeyPatch,
    local_count: int,
) -> None:
    policy, challenge = AUTH[scheme]
    proxy = proxy_to(policy("curator", "s3cret"))
    proxy.challenge = challenge
    target = new_graph()
    args = ["--graph", target, "--user", "curator", "--password-env", "KG_PASSWORD"]
    refused = (
        f"{proxy.url('/query')} refused the count query (HTTP 401 Unauthorized: refused by the test proxy): "
    )

    monkeypatch.setenv("KG_PASSWORD", "wrong")
    wrong = load(cli, proxy.url("/query"), *args)
    assert_refused(wrong, refused + "check the user name 'curator' and the password")
    # no credentials up front; the challenge is answered once, and the refusal is not retried
    assert [r.headers.get("Authorization", "").split(" ")[0] for r in proxy.seen] == ["", scheme.capitalize()]

    anonymous = load(cli, proxy.url("/query"), "--graph", target)
    advice = "pass --user NAME --password-env VARIABLE (the password is read from that variable)"
    assert_refused(anonymous, refused + advice)
    assert target not in graph_names(server)

    monkeypatch.setenv("KG_PASSWORD", "s3cret")
    right = load(cli, proxy.url("/query"), *args)
    assert_loaded(right, proxy.url("/query"), target, before=0, after=local_count)
    assert graph_dataset(server, target) == local_dataset()


def test_password_only_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_NO_SUCH_VARIABLE", raising=False)
    with pytest.raises(StoreError) as unset:
        RemoteOptions("curator", "KG_NO_SUCH_VARIABLE").password()
    assert str(unset.value) == (
        "environment variable KG_NO_SUCH_VARIABLE is not set (it should hold the password for curator)"
    )
    with pytest.raises(StoreError) as half:
        RemoteOptions("curator", None).password()
    assert str(half.value) == (
        "HTTP authentication needs both --user NAME and --password-env VAR "
        "(the environment variable that holds the password)"
    )


# --------------------------------------------------------------------------
# Progress, the default graph, and what is refused before any request
# --------------------------------------------------------------------------


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
    n = len(lines)
    assert calls == [(min(sent, n), n) for sent in range(1000, n + 1000, 1000)]
    assert result.requests == len(calls) == math.ceil(n / 1000)


def test_default_graph_only_when_asked(cli: Callable[..., Result], local_count: int) -> None:
    with OxigraphServer(union_default_graph=False) as plain:
        neighbour = new_graph()
        put_graph(plain, neighbour, OLD_TRIPLES)
        result = load(cli, plain.query_url, "--graph", "default")
        assert_loaded(result, plain.query_url, "default", before=0, after=local_count)
        accept = {"Accept": "application/n-triples"}
        request = urllib.request.Request(plain.store_url + "?default", headers=accept)
        with urllib.request.urlopen(request, timeout=30) as response:
            default = ox.Dataset(ox.parse(response.read(), format=ox.RdfFormat.N_TRIPLES))
        default.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        assert default == local_dataset()
        assert graph_lines(plain, neighbour) == OLD_TRIPLES
        assert graph_names(plain) == {neighbour}


def test_the_default_graph_of_a_union_store_is_counted_without_the_load_claim(
    cli: Callable[..., Result], local_count: int
) -> None:
    """Where the default graph is the union of all graphs, it shows the load's claim while it writes:
    the count after the load is the graph's triples, not one more."""
    with OxigraphServer(union_default_graph=True) as union:
        result = load(cli, union.query_url, "--graph", "default")
        assert_loaded(result, union.query_url, "default", before=0, after=local_count)


@pytest.mark.parametrize("graph", ["relative/graph", "https://example.org/a b", "https://example.org/a\tb"])
def test_a_graph_that_is_not_an_iri_is_refused_before_any_request(cli: Callable[..., Result], graph: str) -> None:
    result = load(cli, f"http://127.0.0.1:{free_port()}/query", "--graph", graph)
    assert_refused(result, f"--graph {graph!r} is not an absolute IRI (or 'default' for the default graph)")


def test_nothing_to_load_is_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    result = load(cli, f"http://127.0.0.1:{free_port()}/query", str(empty))
    assert_refused(result, "nothing to load: the input holds no triples")


# --------------------------------------------------------------------------
# No secret in any output
# --------------------------------------------------------------------------


def echo_once_authorized(status: int, scheme: str = "Basic") -> Callable[[Seen, list[Seen]], Action]:
    """401 (a challenge) without credentials; with them, the credentials echoed back with ``status``."""

    def policy(request: Seen, _seen: list[Seen]) -> Action:
        sent = request.headers.get("Authorization", "")
        return f"echo:{status}" if sent.startswith(scheme + " ") else 401

    return policy


def assert_no_secret(texts: list[str], secrets: list[str]) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text, (secret, text)


@pytest.mark.parametrize(
    ("scheme", "status", "failed"),
    [
        ("Basic", 400, "rejected the count query (HTTP 400 Bad Request: POST /query Authorization: ***)"),
        (
            "Basic", 503,
            "failed the count query "
            + in_trouble(2, "HTTP 503 Service Unavailable: POST /query Authorization: ***"),
        ),
        ("Digest", 400, "rejected the count query (HTTP 400 Bad Request: POST /query Authorization: ***)"),
    ],
    ids=["basic-400", "basic-503", "digest-400"],
)
def test_credentials_echoed_by_the_server_are_never_shown(
    scheme: str,
    status: int,
    failed: str,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    password = "pw-" + uuid.uuid4().hex[:10]
    proxy = proxy_to(echo_once_authorized(status, scheme))
    if scheme == "Digest":
        proxy.challenge = DIGEST_CHALLENGE
    monkeypatch.setenv("KG_PASSWORD", password)
    caplog.set_level(logging.DEBUG)
    result = cli(
        "--debug", "load", "--endpoint", proxy.url("/query"), "--graph", new_graph(),
        "--user", "curator", "--password-env", "KG_PASSWORD", "--retries", "2",
    )
    assert_refused(result, f"{proxy.url('/query')} {failed}", debug=True)
    sent = sorted({r.headers["Authorization"] for r in proxy.seen if "Authorization" in r.headers})
    secrets = [password, *sent]
    if scheme == "Basic":  # the same credentials each time, after the challenge
        (answer,) = sent
        encoded = answer.removeprefix("Basic ")
        assert base64.b64decode(encoded).decode() == f"curator:{password}"
        secrets.append(encoded)
    else:
        for answer in sent:
            response = re.search(r'response="([0-9a-f]{32})"', answer)
            assert answer.startswith('Digest username="curator"') and response is not None
            secrets.append(response.group(1))
    assert_no_secret([result.output, caplog.text], secrets)


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
    assert_loaded(result, proxy.url("/query"), target, before=0, after=local_count)
    assert graph_dataset(server, target) == local_dataset()
    assert_no_secret([result.output, caplog.text], [password])

    # and when the server echoes it back
    proxy.policy = echo_once_authorized(400)
    caplog.clear()
    refused = cli("--debug", "load", "--endpoint", endpoint, "--graph", new_graph())
    assert_refused(
        refused,
        f"{proxy.url('/query')} rejected the count query "
        "(HTTP 400 Bad Request: POST /query Authorization: ***)",
        debug=True,
    )
    encoded = base64.b64encode(f"alice:{password}".encode()).decode()
    assert_no_secret([refused.output, caplog.text], [password, encoded])


@pytest.mark.parametrize("password", ["p/ss", "p#ss", "p?ss", "1234/x"])
def test_a_password_in_the_url_that_does_not_parse_is_refused_clearly(
    password: str, cli: Callable[..., Result], caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    endpoint = f"http://alice:{password}@127.0.0.1:{port}/query"
    caplog.set_level(logging.DEBUG)
    result = cli("--debug", "load", "--endpoint", endpoint)
    assert_refused(
        result,
        f"http://***@127.0.0.1:{port}/query: the part before '@' looks like a user and a password, but it "
        "does not parse as one (a '/', '?' or '#' in the password?). Pass --user NAME --password-env "
        "VARIABLE instead (the password is read from that variable), or percent-encode those characters "
        "(and an '@' that is part of the path as %40)",
        debug=True,
    )
    assert_no_secret([result.output, caplog.text], [password])


def test_redact_takes_out_every_form_of_a_secret() -> None:
    from collabkg.stores.remote import redact, secrets_of

    secrets = secrets_of("alice", "s3cr et/+")
    text = (
        "GET /x?password=s3cr%20et%2F%2B HTTP/1.1 Authorization: Basic YWxpY2U6czNjciBldC8r "
        'Proxy-Authorization: Digest username="alice", response="ab12", nc=00000001 '
        "see http://alice:s3cr et/+@host/ and http://bob:x@host:1/q; s3cr et/+"
    )
    assert redact(text, secrets) == (
        "GET /x?password=*** HTTP/1.1 Authorization: Basic *** Proxy-Authorization: *** "
        "see http://***@host/ and http://***@host:1/q; ***"
    )
    assert redact("HTTP Basic auth") == "HTTP Basic auth"


# --------------------------------------------------------------------------
# Blank nodes: stable skolem IRIs, so that appending twice gives the same graph
# --------------------------------------------------------------------------


def test_the_same_data_appended_twice_is_the_same_graph(
    server: OxigraphServer, cli: Callable[..., Result], local_count: int
) -> None:
    target = new_graph()
    put_graph(server, target, OLD_TRIPLES)
    held = len(OLD_TRIPLES)
    for _ in (1, 2):
        result = load(cli, server.query_url, "--graph", target, "--append")
        assert_loaded(
            result, server.query_url, target, before=held, after=local_count + len(OLD_TRIPLES),
            triples=local_count,
        )
        held = local_count + len(OLD_TRIPLES)
    assert graph_dataset(server, target) == local_dataset(*OLD_TRIPLES)  # no blank node: skolem IRIs
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
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
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
    assert_loaded(
        result, proxy.url("/query"), target, before=len(OLD_TRIPLES), after=local_count + len(OLD_TRIPLES),
        triples=local_count,
    )
    assert graph_dataset(server, target) == local_dataset(*OLD_TRIPLES)
    assert warnings_of(caplog, "collabkg.load") == [
        "the final update reported a failure, but the triples are in place: "
        f"{proxy.url('/update')} failed the final MOVE/ADD update "
        + in_trouble(1, "HTTP 500 Internal Server Error: failed, says the test proxy")
    ]
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
    failed = f"{proxy.url('/update')} failed the final MOVE/ADD update "
    assert_refused(
        result,
        failed + in_trouble(1, "HTTP 500 Internal Server Error: failed, says the test proxy")
        + f". <{target}> changed nonetheless: it now holds {len(OLD_TRIPLES) + 1} triples (it held "
        f"{len(OLD_TRIPLES)} before, and the load brought {local_count}). "
        "Load again to put it in the intended state",
    )
    assert graph_lines(server, target) == OLD_TRIPLES | {stray + " ."}
    assert not staging_graphs(server) and not claims(server, target)

    # a final update refused outright: the target is said to be as it was
    proxy.policy = lambda request, seen: 500 if request.is_swap else "forward"
    refused = load(cli, proxy.url("/query"), "--graph", target, "--retries", "1", "--append")
    assert_refused(
        refused,
        failed + in_trouble(1, "HTTP 500 Internal Server Error: refused by the test proxy")
        + f". <{target}> is as it was ({len(OLD_TRIPLES) + 1} triples)",
    )
    assert graph_lines(server, target) == OLD_TRIPLES | {stray + " ."}
    assert not staging_graphs(server) and not claims(server, target)


# --------------------------------------------------------------------------
# A request that may have been applied is never sent again blindly
# --------------------------------------------------------------------------


def test_an_upload_into_an_empty_graph_whose_answer_is_lost_is_not_sent_again(
    server: OxigraphServer,
    cli: Callable[..., Result],
    proxy_to: Callable[..., Proxy],
    local_count: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The server applies the upload; the connection closes without its answer: the target is counted, not written twice."""
    target = new_graph()

    def policy(request: Seen, seen: list[Seen]) -> Action:
        full = request.is_upload and len(request.body.splitlines()) > 0
        return "forward-then-drop" if full else "forward"

    proxy = proxy_to(policy)
    result = load(cli, proxy.url("/query"), "--graph", target, "--retries", "3")
    assert_loaded(result, proxy.url("/query"), target, before=0, after=local_count)
    assert [len(r.body.splitlines()) for r in proxy.uploads()] == [0, local_count]  # sent once
    assert warnings_of(caplog, "collabkg.load") == [
        f"the upload's answer was lost, but <{target}> holds the {local_count} triples sent"
    ]
    assert graph_dataset(server, target) == local_dataset()
    assert not claims(server, target)


def test_a_lost_answer_to_an_update_is_not_retried_but_a_query_is(
    server: OxigraphServer, proxy_to: Callable[..., Proxy]
) -> None:
    from collabkg.stores.remote import Client, RemoteUnanswered

    proxy = proxy_to(lambda request, seen: "drop")
    with Client(retries=3, backoff=0.01) as client:
        with pytest.raises(RemoteUnanswered) as update:
            client.update(proxy.url("/update"), f"INSERT DATA {{ GRAPH <{new_graph()}> {{ <{OLD}#a> <{OLD}#p> 1 }} }}")
        assert str(update.value) == f"{proxy.url('/update')} {LOST.format(what='update')}{UNANSWERED}"
        assert len(proxy.seen) == 1
        with pytest.raises(LoadError) as query:
            client.query(proxy.url("/query"), "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        assert str(query.value) == f"{proxy.url('/query')} {LOST.format(what='query')}{dropped_after(3)}"
        assert len(proxy.seen) == 4
        with pytest.raises(LoadError) as put:
            client.send("PUT", proxy.url("/store?graph=x"), b"")  # a PUT may be sent again
        assert str(put.value) == (
            f"{proxy.url('/store?graph=x')} dropped the connection during the request: {dropped_after(3)}"
        )
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
        if step == "move":  # not sent again; the staging graph may be left
            staging = staging_named(proxy)
            failed = last_step_failed(step, proxy, target, LOST + UNANSWERED)
            drop = f" If the staging graph <{staging}> is still there, drop it with: "
            drop += f"DROP SILENT GRAPH <{staging}>."
        else:  # sent again, to a store that is gone
            failed, drop = last_step_failed(step, proxy, target, LOST + dropped_after(2)), ""
        unknown = (
            f"The store may have applied it, and cannot be asked what it did ({DROPPED}): whether the load "
            f"was applied is unknown. <{target}> holds either its old {len(OLD_TRIPLES)} triples or the "
            f"{local_count} new ones; once the store answers, this tells which: "
            f"{check_command(target, proxy.url('/query'))}.{drop} Loading again puts the graph in place "
            "either way"
        )
        assert_refused(result, f"{failed}. {unknown}")
        with OxigraphServer(doomed.folder, read_only=True) as view:  # it was applied
            assert graph_dataset(view, target) == local_dataset()
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
        method = "insert-data" if step == "move" else "graph-store"
        assert_loaded(
        result, proxy.url("/query"), target, before=len(OLD_TRIPLES), after=local_count, method=method
    )
        assert graph_dataset(revived[0], target) == local_dataset()
        assert not staging_graphs(revived[0]) and not claims(revived[0], target)
    finally:
        for running in revived:
            running.stop()
        doomed.stop()
