"""``collabkg serve``: a read-only Oxigraph endpoint on loopback that answers the canned queries."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, Result, subprocess_env
from oxigraph_server import free_port

from collabkg import serve as serve_module
from collabkg.graph import GraphChoice
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY
from collabkg.query import run
from collabkg.serve import ServeError, ServerProcess, is_loopback, running
from collabkg.stores import Solutions, Term

CANNED = "factors-by-theme"
READY_TIMEOUT = 60.0


def _select(url: str, query: str) -> dict:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _solutions(results: dict) -> Solutions:
    """SPARQL JSON results as the engine-neutral Solutions of collabkg.stores."""
    variables = tuple(results["head"]["vars"])
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for var in variables:
            cell = binding.get(var)
            if cell is None:
                row.append(None)
            elif cell["type"] == "uri":
                row.append(Term("iri", cell["value"]))
            elif cell["type"] == "bnode":
                row.append(Term("bnode", cell["value"]))
            elif "xml:lang" in cell:
                row.append(Term("literal", cell["value"], "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", cell["xml:lang"]))
            else:
                row.append(Term("literal", cell["value"], cell.get("datatype", "http://www.w3.org/2001/XMLSchema#string")))
        rows.append(tuple(row))
    return Solutions(variables, rows)


def _canned_text(name: str) -> str:
    from collabkg import catalogue

    return catalogue.find(name).text


def _refused(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return False
    except OSError:
        return True


def _read_until(process: subprocess.Popen[bytes], marker: str, timeout: float) -> list[str]:
    """Lines of the process's output up to and including one that starts with ``marker``."""
    assert process.stdout is not None
    lines: list[str] = []
    buffer = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if not ready:
            if process.poll() is not None:
                break
            continue
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            lines.append(line.decode("utf-8"))
            if lines[-1].startswith(marker):
                return lines
    raise AssertionError(f"no line starting with {marker!r} within {timeout} s: {lines}")


def test_serve_answers_a_canned_query_and_stops_on_ctrl_c() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "collabkg", "serve", "--port", str(port)],
        cwd=REPO,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        lines = _read_until(process, "SPARQL endpoint:", READY_TIMEOUT)
        endpoint = lines[-1].split(": ", 1)[1].strip()
        assert endpoint == f"http://127.0.0.1:{port}/query"
        assert lines[0].startswith("serving ") and "(ontology, data), read-only" in lines[0]

        answer = _solutions(_select(endpoint, _canned_text(CANNED)))
        assert answer == run(CANNED)  # the same rows as the embedded store
        assert len(answer) == 29  # Table 2's factors

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()  # the web query page

        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
        assert process.returncode == 0, stderr.decode()
        assert stdout.decode().splitlines()[-1] == "stopped"
        assert b"Traceback" not in stderr
        assert _refused(endpoint)  # the Oxigraph server stopped with it
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)


def test_served_graph_is_read_only_and_keeps_its_named_graphs() -> None:
    with running(port=0) as server:
        assert server.graphs == (GRAPH_ONTOLOGY, GRAPH_DATA)
        graphs = _select(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert {row["g"]["value"] for row in graphs["results"]["bindings"]} == {GRAPH_ONTOLOGY, GRAPH_DATA}
        total = _select(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(total["results"]["bindings"][0]["n"]["value"]) == server.triples
        update = urllib.request.Request(
            server.url + "update",
            data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        folder = Path(server.process.args[server.process.args.index("--location") + 1]).parent
        pid = server.process.pid
    assert server.process.poll() is not None, f"server {pid} still running"
    assert not folder.exists()  # the temporary database is removed


def test_serve_binds_to_loopback_by_default() -> None:
    with running(port=0) as server:
        bind = server.process.args[server.process.args.index("--bind") + 1]
        assert bind.startswith("127.0.0.1:")
        assert server.url.startswith("http://127.0.0.1:")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")


def test_port_in_use_exits_2(cli: Callable[..., Result]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in result.stderr and "--port" in result.stderr


def test_missing_oxigraph_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(serve_module.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(serve_module.shutil, "which", lambda name: None)
    with pytest.raises(ServeError, match="pip install oxigraph"):
        serve_module.oxigraph_command()


def test_serve_with_inferences(tmp_path: Path) -> None:
    inferred = tmp_path / "inferred.ttl"
    inferred.write_text(
        "<https://w3id.org/collabkg/id/case/x> a <https://w3id.org/collabkg/ontology#Thing> .\n",
        encoding="utf-8",
    )
    with running(port=0, graphs=GraphChoice.ALL.graphs, inferred=inferred) as server:
        result = _select(
            server.query_url,
            "ASK { GRAPH <https://w3id.org/collabkg/graph/inferred> "
            "{ <https://w3id.org/collabkg/id/case/x> a ?c } }",
        )
        assert result["boolean"] is True


# A server with a child process: it prints the child's pid, then answers HTTP on the port given.
_GROUP_SERVER = """
import http.server, signal, subprocess, sys
if sys.argv[2] == "ignore-sigterm":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the child inherits it
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
print(child.pid, flush=True)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while _running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
@pytest.mark.parametrize("on_sigterm", ["stop", "ignore-sigterm"])
def test_stopping_a_server_process_ends_its_whole_group(tmp_path: Path, on_sigterm: str) -> None:
    """SIGTERM to the group; SIGKILL to the group where the server has not stopped in time."""
    port = free_port()
    arguments = [sys.executable, "-c", _GROUP_SERVER, str(port), on_sigterm]
    server = ServerProcess("a test server", arguments, tmp_path / "server.log", cwd=tmp_path)
    try:
        server.wait_until_answering(f"http://127.0.0.1:{port}/", timeout=READY_TIMEOUT)
        child = int(server.log_path.read_text().split()[0])
        assert _running(child)
    finally:
        server.stop(timeout=1)
    assert server.process.returncode == (-signal.SIGTERM if on_sigterm == "stop" else -signal.SIGKILL)
    assert _gone(child), f"the server's child {child} still runs"


def test_a_server_process_that_stops_at_start_says_why(tmp_path: Path) -> None:
    arguments = [sys.executable, "-c", "import sys; sys.exit('cannot open the database')"]
    expected = r"^a test server stopped at start \(exit code 1\): cannot open the database$"
    with ServerProcess("a test server", arguments, tmp_path / "server.log") as server:
        with pytest.raises(ServeError, match=expected):
            server.wait_until_answering(f"http://127.0.0.1:{free_port()}/", timeout=READY_TIMEOUT)
