"""Serve the knowledge graph as a local, read-only SPARQL endpoint.

:func:`running` loads the graphs into a temporary Oxigraph database with the
``oxigraph`` command (the server of the ``oxigraph`` package on PyPI), starts
``oxigraph serve-read-only`` on it, and stops the server and removes the
database when the ``with`` block ends. The graphs keep their named graphs
(``GRAPH_ONTOLOGY``, ``GRAPH_DATA``, ``GRAPH_INFERRED``) and queries see their
union as the default graph, as in the embedded store, so the canned queries
answer the same over HTTP.

The server binds to the loopback interface unless told otherwise.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from collabkg import CollabkgError
from collabkg.export import DEFAULT_GRAPHS
from collabkg.sources import PathLike

log = logging.getLogger(__name__)

DEFAULT_PORT = 7878
DEFAULT_BIND = "127.0.0.1"
START_TIMEOUT = 30.0
"""Seconds to wait for the server to answer before giving up."""
STOP_TIMEOUT = 10.0
"""Seconds to wait for the server to exit after it is asked to stop."""


class ServeError(CollabkgError):
    """The server cannot be started: no ``oxigraph`` command, a port in use, a failed load."""


@dataclass(frozen=True)
class Server:
    """A running read-only Oxigraph server."""

    url: str
    """The web query page, e.g. ``http://127.0.0.1:7878/``."""
    triples: int
    """Quads loaded, over all the graphs served."""
    graphs: tuple[str, ...]
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return self.url + "query"


def oxigraph_command() -> str:
    """The path of the ``oxigraph`` server command, or a :class:`ServeError` saying how to get it."""
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError(
        "the Oxigraph server is not installed: install it with 'pip install oxigraph' "
        "(the 'oxigraph' command), then run collabkg serve again"
    )


def _url(host: str, port: int) -> str:
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass
    return f"http://{host}:{port}/"


def _check_port(host: str, port: int) -> int:
    """``port``, or a free port when it is 0; a :class:`ServeError` if it is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ServeError(f"--bind {host}: unknown address ({error.strerror})") from error
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(address)
        except OSError as error:
            raise ServeError(
                f"cannot listen on {host} port {port}: {error.strerror or error}. "
                "Pass another --port (or --port 0 for any free port)"
            ) from error
        return int(probe.getsockname()[1])


def _write_quads(
    path: Path,
    graphs: Sequence[str],
    data: Sequence[PathLike] | None,
    inferred: PathLike | None,
) -> int:
    """Write the graphs as N-Quads to ``path``; returns the number of distinct quads."""
    from collabkg.export import read_quads

    quads = set(read_quads(graphs, data, inferred))
    with path.open("wb") as stream:
        for quad in quads:
            stream.write(f"{quad} .\n".encode())
    return len(quads)


def _log_tail(path: Path, limit: int = 800) -> str:
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return ""
    return " ".join(text[-limit:].split())


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    probe = url + "query?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(
                f"the Oxigraph server stopped at start (exit code {process.returncode}): "
                f"{_log_tail(log_path) or 'no message'}"
            )
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise ServeError(f"the Oxigraph server did not answer at {url} within {START_TIMEOUT:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        log.warning("the Oxigraph server did not stop in %g s; killing it", STOP_TIMEOUT)
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def running(
    port: int = DEFAULT_PORT,
    bind: str = DEFAULT_BIND,
    graphs: Sequence[str] = DEFAULT_GRAPHS,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
) -> Iterator[Server]:
    """A read-only Oxigraph server of ``graphs``, for the duration of the ``with`` block.

    ``port`` 0 picks a free port. Raises :class:`ServeError` when the server
    cannot start.
    """
    command = oxigraph_command()
    port = _check_port(bind, port)
    url = _url(bind, port)
    folder = Path(tempfile.mkdtemp(prefix="collabkg-serve-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        quads_path = folder / "graph.nq"
        database = folder / "db"
        log_path = folder / "server.log"
        triples = _write_quads(quads_path, graphs, data, inferred)
        loaded = subprocess.run(
            [command, "load", "--location", str(database), "--file", str(quads_path)],
            capture_output=True,
            timeout=600,
            check=False,
        )
        if loaded.returncode != 0:
            message = " ".join(loaded.stderr.decode("utf-8", "replace").split())[-800:]
            raise ServeError(f"oxigraph load failed: {message or 'no message'}")
        quads_path.unlink()
        host = f"[{bind}]" if ":" in bind else bind
        with log_path.open("wb") as server_log:
            process = subprocess.Popen(
                [
                    command,
                    "serve-read-only",
                    "--location",
                    str(database),
                    "--bind",
                    f"{host}:{port}",
                    "--union-default-graph",
                ],
                stdin=subprocess.DEVNULL,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C reaches collabkg, which stops the server in order.
                start_new_session=True,
            )
        _wait_until_ready(process, url, log_path)
        log.info("Oxigraph server (pid %d) answering at %s", process.pid, url)
        yield Server(url, triples, tuple(graphs), process)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names the loopback interface only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    port: int = DEFAULT_PORT,
    bind: str = DEFAULT_BIND,
    graphs: Sequence[str] = DEFAULT_GRAPHS,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
    on_ready: Callable[[Server], None] | None = None,
) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); returns the server's exit code if it died.

    ``on_ready`` is called once the server answers (the CLI prints its URL).
    Returns 0 after a clean stop.
    """
    previous = signal.getsignal(signal.SIGTERM)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    in_main_thread = _in_main_thread()
    if in_main_thread:
        signal.signal(signal.SIGTERM, interrupt)
    try:
        with running(port, bind, graphs, data, inferred) as server:
            if on_ready:
                on_ready(server)
            try:
                while True:
                    code = server.process.poll()
                    if code is not None:
                        raise ServeError(f"the Oxigraph server stopped unexpectedly (exit code {code})")
                    time.sleep(0.5)
            except KeyboardInterrupt:
                log.info("stopping the Oxigraph server")
        return 0
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
