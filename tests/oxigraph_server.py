"""A real Oxigraph SPARQL server for tests: ``oxigraph serve`` on 127.0.0.1.

The server is :class:`collabkg.serve.OxigraphServer` (the ``oxigraph``
package from PyPI). It listens on a free loopback port, keeps its data in a
temporary folder, and is stopped (and the folder removed) when the fixture
ends::

    from oxigraph_server import oxigraph_server  # a pytest fixture

    def test_something(oxigraph_server):
        oxigraph_server.load("data.ttl", graph="https://example.org/g")
        ... collabkg query NAME --store sparql:{oxigraph_server.query_url} ...

Endpoints: ``query_url`` (SPARQL 1.1 query), ``update_url`` (update) and
``store_url`` (Graph Store Protocol). The server treats the default graph as
the union of all graphs, as collabkg's embedded store does.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabkg import serve
from collabkg.serve import free_port
from collabkg.formats import RdfFormat

__all__ = ["OxigraphServer", "free_port", "oxigraph_server"]


class OxigraphServer(serve.OxigraphServer):
    """A writable server that RDF files can be posted to."""

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


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[OxigraphServer]:
    """An empty Oxigraph server for the session (union default graph).

    Fails, rather than skips, where the server is not installed: the remote
    engine must be tested.
    """
    with OxigraphServer() as server:
        yield server
