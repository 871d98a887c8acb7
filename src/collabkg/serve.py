"""Serve the knowledge graph as a local, read-only SPARQL endpoint.

:class:`ServerProcess` runs a server command in a process group of its
own, waits until it answers and stops the whole group. :class:`OxigraphServer`
runs the ``oxigraph`` server command (the server of the ``oxigraph`` package
on PyPI) that way on a database folder, writable or read-only.
:func:`running` loads the graphs into a temporary Oxigraph database, starts
``oxigraph serve-read-only`` on it, and stops the server and removes the
database when the ``with`` block ends. The graphs keep their named graphs
(``GRAPH_ONTOLOGY``, ``GRAPH_DATA``, ``GRAPH_INFERRED``) and queries see
their union as the default graph, as in the embedded store, so the canned
queries answer the same over HTTP.

The server binds to the loopback interface unless told otherwise.
"""

from __future__ import annotations

import contextlib
import ipaddress
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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from collabkg import CollabkgError, PathLike, logs
from collabkg.graph import DEFAULT_GRAPHS, KnowledgeGraph
from collabkg.outcome import Outcome

log = logs.get(__name__)

DEFAULT_PORT = 7878
DEFAULT_BIND = "127.0.0.1"
START_TIMEOUT = 30.0
"""Seconds to wait for the server to answer before giving up."""
STOP_TIMEOUT = 10.0
"""Seconds to wait for the server to exit after it is asked to stop."""


class ServeError(CollabkgError):
    """The server cannot be started: no ``oxigraph`` command, a port in use, a failed load."""


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


def free_port(bind: str = DEFAULT_BIND) -> int:
    """A port that is free on ``bind`` now."""
    return _check_port(bind, 0)


class ServerProcess:
    """A server command in a process group of its own, its output in ``log_path``; started when made.

    :meth:`wait_until_answering` returns once a URL answers; :meth:`stop`
    ends the whole group. Its own group (a new session) also keeps a Ctrl-C
    on the terminal from reaching the server: Python gets it and stops the
    server in order. A context manager: the ``with`` block ends with :meth:`stop`.
    """

    STOP_SIGNAL = signal.SIGTERM
    """What :meth:`stop` sends first (a server whose quick shutdown is another signal says so)."""

    def __init__(
        self,
        name: str,
        arguments: Sequence[str],
        log_path: Path,
        cwd: PathLike | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        """What messages call the server, e.g. ``the Oxigraph server``."""
        self.log_path = log_path
        with log_path.open("wb") as output:
            self.process = subprocess.Popen(
                list(arguments),
                cwd=cwd,
                env=None if env is None else dict(env),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log_tail(self, limit: int = 800) -> str:
        """The end of the server's output, on one line."""
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""
        return " ".join(text[-limit:].split())

    def wait_until_answering(self, url: str, timeout: float = START_TIMEOUT) -> None:
        """Return once a GET of ``url`` answers 200; a :class:`ServeError` if the server stops or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServeError(
                    f"{self.name} stopped at start (exit code {self.process.returncode}): "
                    f"{self.log_tail() or 'no message'}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise ServeError(
            f"{self.name} did not answer at {url.partition('?')[0]} within {timeout:g} s: "
            f"{self.log_tail() or 'no message'}"
        )

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """End the process group: :attr:`STOP_SIGNAL`, then SIGKILL if the server has not stopped within
        ``timeout`` seconds; then SIGKILL to anything of the group still there (a worker left behind)."""
        # Only while the leader runs: once it is reaped, its group's number may be another's.
        if self.process.poll() is not None:
            return
        self._signal(kill=False)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in %g s; killing it", self.name, timeout)
            self._signal(kill=True)
            self.process.wait(timeout=timeout)
            return
        if os.name != "nt":
            self._signal(kill=True)

    def _signal(self, kill: bool) -> None:
        if os.name == "nt":  # no process groups to signal
            self.process.kill() if kill else self.process.terminate()
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL if kill else self.STOP_SIGNAL)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


DATABASE = "db"
"""The database of an :class:`OxigraphServer`, in its folder."""


class OxigraphServer(ServerProcess):
    """An ``oxigraph serve`` process on ``bind``, started when made and ready to answer.

    ``folder`` holds the database (:data:`DATABASE`) and the server's log
    (``server.log``); None makes a temporary folder, removed by :meth:`stop`.
    ``port`` 0 picks a free port. ``read_only`` runs ``serve-read-only``;
    ``union_default_graph`` makes queries see the union of all graphs as the
    default graph. A context manager: the ``with`` block ends with :meth:`stop`.
    Raises :class:`ServeError` when the server cannot start.
    """

    def __init__(
        self,
        folder: PathLike | None = None,
        *,
        port: int = 0,
        bind: str = DEFAULT_BIND,
        read_only: bool = False,
        union_default_graph: bool = True,
    ) -> None:
        command = oxigraph_command()
        self.port = _check_port(bind, port)
        host = f"[{bind}]" if ":" in bind else bind
        self.base_url = f"http://{host}:{self.port}"
        """The server's root, e.g. ``http://127.0.0.1:7878``: the web query page is there."""
        self.temporary = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="collabkg-oxigraph-") if folder is None else folder)
        arguments = [
            command,
            "serve-read-only" if read_only else "serve",
            "--location",
            str(self.folder / DATABASE),
            "--bind",
            f"{host}:{self.port}",
        ]
        if union_default_graph:
            arguments.append("--union-default-graph")
        super().__init__("the Oxigraph server", arguments, self.folder / "server.log")
        try:
            self.wait_until_answering(self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"}))
        except BaseException:
            self.stop()
            raise
        log.info("Oxigraph server (pid %d) answering at %s", self.process.pid, self.base_url)

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint (refused by a read-only server)."""
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        """The SPARQL Graph Store Protocol endpoint."""
        return self.base_url + "/store"

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the server (killing it if it does not stop in time); remove a temporary folder."""
        super().stop(timeout)
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class Server:
    """A running read-only Oxigraph server of the knowledge graph."""

    oxigraph: OxigraphServer
    triples: int
    """Quads loaded, over all the graphs served."""
    graphs: tuple[str, ...]

    @property
    def url(self) -> str:
        """The web query page, e.g. ``http://127.0.0.1:7878/``."""
        return self.oxigraph.base_url + "/"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return self.oxigraph.query_url

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The ``oxigraph serve-read-only`` process."""
        return self.oxigraph.process

    def announcement(self) -> list[str]:
        """What is served, and where: the lines ``collabkg serve`` prints once the server answers."""
        names = ", ".join(iri.rsplit("/", 1)[-1] for iri in self.graphs)
        return [
            f"serving {self.triples} triples ({names}), read-only",
            f"SPARQL endpoint: {self.query_url}",
            f"web query page:  {self.url}",
            "press Ctrl-C to stop",
        ]


@dataclass(frozen=True)
class ServeResult(Outcome):
    """A server that ran and was stopped."""

    bind: str

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        return "stopped\n"


def _write_quads(
    path: Path,
    graphs: Sequence[str],
    data: Sequence[PathLike] | None,
    inferred: PathLike | None,
) -> int:
    """Write the graphs as N-Quads to ``path``; returns the number of distinct quads."""
    quads = set(KnowledgeGraph(data, inferred).quads(*graphs))
    with path.open("wb") as stream:
        for quad in quads:
            stream.write(f"{quad} .\n".encode())
    return len(quads)


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
    folder = Path(tempfile.mkdtemp(prefix="collabkg-serve-"))
    try:
        quads_path = folder / "graph.nq"
        triples = _write_quads(quads_path, graphs, data, inferred)
        loaded = subprocess.run(
            [command, "load", "--location", str(folder / DATABASE), "--file", str(quads_path)],
            capture_output=True,
            timeout=600,
            check=False,
        )
        if loaded.returncode != 0:
            message = " ".join(loaded.stderr.decode("utf-8", "replace").split())[-800:]
            raise ServeError(f"oxigraph load failed: {message or 'no message'}")
        quads_path.unlink()
        with OxigraphServer(folder, port=port, bind=bind, read_only=True) as oxigraph:
            yield Server(oxigraph, triples, tuple(graphs))
    finally:
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
    report: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> ServeResult:
    """Serve until interrupted (Ctrl-C or SIGTERM).

    ``warn`` is called first with a warning when ``bind`` is not a loopback
    address; ``report`` with each line of :meth:`Server.announcement` once
    the server answers. Raises :class:`ServeError` if the server cannot
    start or dies.
    """
    check_bind(bind)
    if warn is not None and not is_loopback(bind):
        warn(f"collabkg: serve: warning: listening on {bind}: other machines can query it")

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a shell starts a background job ('collabkg serve &' in a
    # script) with SIGINT ignored, and the server must still stop on it.
    stops = (signal.SIGINT, signal.SIGTERM)
    in_main_thread = _in_main_thread()
    previous = {signum: signal.getsignal(signum) for signum in stops} if in_main_thread else {}
    for signum in previous:
        signal.signal(signum, interrupt)
    try:
        with running(port, bind, graphs, data, inferred) as server, serving_site(server, bind, port) as site:
            try:  # from the first line on: a signal right after "press Ctrl-C" stops it cleanly too
                if report is not None:
                    lines = server.announcement()
                    lines.insert(-1, f"evidence browser: {site}")
                    for line in lines:
                        report(line)
                while True:
                    code = server.process.poll()
                    if code is not None:
                        raise ServeError(f"the Oxigraph server stopped unexpectedly (exit code {code})")
                    time.sleep(0.5)
            except KeyboardInterrupt:
                log.info("stopping the Oxigraph server")
        return ServeResult(bind)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def check_bind(bind: str) -> None:
    """A :class:`ServeError` if ``bind`` is not an address of this machine (or a name that resolves to one)."""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(bind, None, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError) as error:
        raise ServeError(f"--bind {bind}: unknown address ({getattr(error, 'strerror', None) or error})") from None
    for address in sorted(addresses):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))
            return
    raise ServeError(f"--bind {bind}: not an address of this machine ({', '.join(sorted(addresses))})")


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def serving_site(server: Server, bind: str, port: int) -> Iterator[str]:
    """The evidence browser (``collabkg report``) of the served graph, served over HTTP; yields its URL.

    The Oxigraph server serves no files of its own, so the site is built
    from the server's SPARQL endpoint into a temporary folder and served by
    a small :mod:`http.server` thread on the same address, on the next port
    (``port`` + 1; any free port if that is taken or ``port`` is 0).
    """
    import functools
    import http.server
    import threading

    from collabkg.report import report

    folder = Path(tempfile.mkdtemp(prefix="collabkg-site-"))
    try:
        report(folder, store=f"sparql:{server.query_url}")
        try:
            site_port = _check_port(bind, port + 1) if 0 < port < 65535 else 0
        except ServeError:
            site_port = 0

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
                log.debug("site: " + format, *args)

        class Site(http.server.ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in bind else socket.AF_INET
            daemon_threads = True

        httpd = Site((bind, site_port), functools.partial(Handler, directory=str(folder)))
        thread = threading.Thread(target=httpd.serve_forever, name="collabkg-site", daemon=True)
        thread.start()
        host = f"[{bind}]" if ":" in bind else bind
        try:
            yield f"http://{host}:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            httpd.server_close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
