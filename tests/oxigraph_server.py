"""A real Oxigraph SPARQL server for tests: ``oxigraph serve`` on 127.0.0.1.

The server is the ``oxigraph`` package from PyPI (the ``test`` extra). It
listens on a free loopback port, keeps its data in a temporary folder, and
is stopped (and the folder removed) when the fixture ends::

    from oxigraph_server import oxigraph_server  # a pytest fixture

    def test_something(oxigraph_server):
        oxigraph_server.load("data.ttl", graph="https://example.org/g")
        ... SPARQLWrapper(oxigraph_server.query_url) ...

Endpoints: ``query_url`` (SPARQL 1.1 query), ``update_url`` (update) and
``store_url`` (Graph Store Protocol). The server treats the default graph as
the union of all graphs, as collabkg's embedded store does.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabkg.sources import RdfFormat

STARTUP_TIMEOUT = 20.0


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` command beside this Python, else on PATH, else None."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """One ``oxigraph serve`` process and its temporary folder."""

    def __init__(self, *, union_default_graph: bool = True) -> None:
        executable = oxigraph_executable()
        if executable is None:
            raise RuntimeError("the 'oxigraph' server is not installed (pip install '.[test]')")
        self.folder = Path(tempfile.mkdtemp(prefix="collabkg-oxigraph-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        command = [
            executable,
            "serve",
            "--location",
            str(self.folder / "store"),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        if union_default_graph:
            command.append("--union-default-graph")
        self.log = (self.folder / "server.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"oxigraph serve exited with {self.process.returncode}: {self.server_log()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"oxigraph serve did not listen on port {self.port} within {STARTUP_TIMEOUT} s")

    def server_log(self) -> str:
        self.log.flush()
        return (self.folder / "server.log").read_text(errors="replace")

    def load(self, path: str | Path, graph: str | None = None) -> None:
        """POST one RDF file into ``graph`` (the default graph if None), by the Graph Store Protocol."""
        path = Path(path)
        fmt = RdfFormat.from_path(path)
        if fmt is None:
            raise ValueError(f"{path}: not an RDF file extension")
        target = self.store_url + ("?" + urllib.parse.urlencode({"graph": graph}) if graph else "?default")
        request = urllib.request.Request(
            target, data=path.read_bytes(), method="POST", headers={"Content-Type": fmt.media_type}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status not in (200, 201, 204):
                raise RuntimeError(f"loading {path} answered {response.status}")

    def load_all(self, paths: list[Path], graph: str | None = None) -> None:
        for path in paths:
            self.load(path, graph)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[OxigraphServer]:
    """An empty Oxigraph server for the session (union default graph).

    Fails, rather than skips, where the server is not installed: the remote
    engine must be tested.
    """
    with OxigraphServer() as server:
        yield server
