"""Load the knowledge graph into a SPARQL 1.1 triplestore over HTTP, all or nothing.

:func:`load`

1. asks the query endpoint how many triples the target graph holds (which
   also proves that the endpoint answers and accepts the credentials);
2. finds the server's SPARQL 1.1 Graph Store HTTP Protocol endpoint, if it
   has one, with an empty upload;
3. uploads the triples. Into an empty target graph, through the Graph Store,
   they go straight in, as one request, which the store applies as one
   transaction (Oxigraph, Fuseki and GraphDB do). Otherwise they go into a
   fresh staging graph, in batches (Graph Store requests, else ``INSERT
   DATA``; a blank node and every triple that mentions it always travel in
   the same batch, so that no blank node is split in two);
4. counts the uploaded triples and compares the count with the local one;
5. for a staging graph, puts it in place with one SPARQL Update request
   (``MOVE`` to replace the target, ``ADD`` then ``DROP`` to append to it).

On any failure before the load completes, the graph uploaded into is dropped:
the staging graph, or the target graph, which was empty; either way the
target graph is as it was. Where that drop cannot be made (the store died)
or an upload may still be running on the store (a timeout), the error gives
the ``DROP`` to run once the store is idle. Other graphs on the server are
never touched. The direct upload relies on the target staying empty from the
count of step 1 to the end of the load: concurrent writers to the same graph
are not supported.
Connection errors and 5xx answers are retried with exponential backoff; 4xx
answers never are. Every failure is a :class:`LoadError` that names the URL
and says what to do; the CLI exits with 2.

Only the standard library speaks HTTP here, so that every request, retry and
timeout is under this module's control.
"""

from __future__ import annotations

import base64
import enum
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from collabkg import CollabkgError, logs
from collabkg.namespaces import GRAPH_LOAD_TARGET, GRAPH_STAGING
from collabkg.sources import PathLike, RdfFormat

log = logs.get(__name__)

DEFAULT_TARGET = GRAPH_LOAD_TARGET
"""The named graph ``collabkg load`` writes to unless ``--graph`` says otherwise."""

DEFAULT_GRAPH = "default"
"""The ``--graph`` value that means the store's default graph."""

STAGING = GRAPH_STAGING
"""Staging graphs are ``STAGING`` + a random id; each lives only during one load."""

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 3
BACKOFF = 0.5
"""Seconds before the first retry; each further retry waits twice as long."""

_NOT_A_GRAPH_STORE = frozenset({400, 404, 405, 415})
"""Answers of a guessed Graph Store URL that mean "not here": use INSERT DATA instead."""

_NOT_ALLOWED = re.compile(r"read[- ]only|not allowed|permission|SR186|forbidden", re.IGNORECASE)


class LoadError(CollabkgError):
    """A load that failed; ``str()`` names the URL and what to do. The target graph is unchanged."""

    keep_staging = False
    """True when the staging graph must be left alone (the store may still be using it)."""


class LoadTimeout(LoadError):
    """A request that got no answer in time; it may still be running on the server."""


class LoadMode(enum.Enum):
    """What to do with triples already in the target graph."""

    REPLACE = "replace"
    """Replace the target graph's content (the default: loading twice gives the same graph)."""
    APPEND = "append"
    """Add to the target graph's content."""


@dataclass(frozen=True)
class Credentials:
    """HTTP Basic credentials (also answered to a Digest challenge)."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one store: SPARQL query, SPARQL update and Graph Store Protocol.

    ``gsp`` holds the Graph Store URLs to try, in order; an empty tuple means
    ``INSERT DATA`` only.
    """

    query: str
    update: str
    gsp: tuple[str, ...] = ()
    gsp_given: bool = False
    """True when the Graph Store URL was given explicitly: then it must work."""

    @classmethod
    def derive(
        cls,
        endpoint: str,
        update: str | None = None,
        gsp: str | None = None,
        use_gsp: bool = True,
    ) -> Endpoints:
        """The endpoints of a store, from its query URL and any URL given explicitly.

        Missing URLs are guessed from well-known layouts: ``.../query`` (Oxigraph,
        Fuseki) has ``.../update`` and a Graph Store at ``.../store`` (Oxigraph)
        or ``.../data`` (Fuseki); ``.../repositories/ID`` (GraphDB, RDF4J) has
        ``.../statements`` and ``.../rdf-graphs/service``; any other URL takes
        updates itself (Virtuoso's ``/sparql``) and has no Graph Store unless
        given.

        >>> e = Endpoints.derive("http://localhost:7878/query")
        >>> e.update, e.gsp
        ('http://localhost:7878/update', ('http://localhost:7878/store', 'http://localhost:7878/data'))
        >>> Endpoints.derive("http://localhost:7200/repositories/kg").update
        'http://localhost:7200/repositories/kg/statements'
        """
        _check_url(endpoint, "--endpoint")
        for url, option in ((update, "--update-endpoint"), (gsp, "--gsp")):
            if url:
                _check_url(url, option)
        parts = urllib.parse.urlsplit(endpoint)
        path = parts.path.rstrip("/")
        guessed_update = endpoint
        guessed_gsp: tuple[str, ...] = ()
        if path.endswith("/query"):
            base = urllib.parse.urlunsplit(parts._replace(path=path[: -len("/query")], query=""))
            guessed_update = base + "/update"
            guessed_gsp = (base + "/store", base + "/data")
        elif re.search(r"/repositories/[^/]+$", path):
            base = urllib.parse.urlunsplit(parts._replace(path=path, query=""))
            guessed_update = base + "/statements"
            guessed_gsp = (base + "/rdf-graphs/service",)
        if not use_gsp:
            candidates: tuple[str, ...] = ()
        elif gsp:
            candidates = (gsp,)
        else:
            candidates = guessed_gsp
        return cls(endpoint, update or guessed_update, candidates, bool(gsp) and use_gsp)


def _check_url(url: str, option: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LoadError(f"{option} {url!r} is not an http:// or https:// URL")


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load` did."""

    target: str
    """The graph loaded: an IRI, or ``"default"``."""
    triples: int
    """Distinct triples sent (and counted on the store once uploaded)."""
    before: int
    """Triples in the target graph before the load."""
    after: int
    """Triples in the target graph after the load."""
    method: str
    """``"graph-store"`` or ``"insert-data"``."""
    requests: int
    """Upload requests sent (excluding retries)."""
    seconds: float


Progress = Callable[[int, int], None]
"""Called with (triples sent so far, triples in all) after each upload request."""


# ---------------------------------------------------------------------------
# The local triples


def local_triples(
    files: Sequence[PathLike] | None = None, data: Sequence[PathLike] | None = None
) -> list[str]:
    """The distinct triples to load, as sorted N-Triples lines (without the final ``.``).

    ``files`` given: the triples of those RDF files (graph names are dropped).
    Otherwise the built graph: the bundled ontology plus ``data`` (default:
    the bundled data).
    """
    from collabkg import resources
    from collabkg.sources import iter_quads

    paths: list[PathLike] = list(files) if files else [resources.ontology_path()]
    if not files:
        paths.extend(data if data else [resources.data_dir()])
    return sorted({str(quad.triple) for quad in iter_quads(paths)})


def _blank_nodes(line: str) -> list[str]:
    # Subjects and predicates hold no space, so the object is all after the second.
    subject, _, obj = line.split(" ", 2)
    return [term for term in (subject, obj) if term.startswith("_:")]


def batches(lines: Sequence[str], size: int) -> list[list[str]]:
    """``lines`` (N-Triples) in batches of at most ``size`` triples, blank nodes kept whole.

    Triples connected through blank nodes form one unit that is never split
    across batches (a unit larger than ``size`` is a batch of its own), since
    a blank node label means a new node in each request.

    >>> batches(["<a> <p> _:x", "_:x <p> <b>", "<c> <p> <d>"], 1)
    [['<a> <p> _:x', '_:x <p> <b>'], ['<c> <p> <d>']]
    """
    if size < 1:
        raise ValueError("batch size must be at least 1")
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    units: dict[str, list[str]] = {}
    order: list[str | int] = []
    singles: list[str] = []
    nodes_of: list[list[str]] = []
    for line in lines:
        nodes = _blank_nodes(line)
        nodes_of.append(nodes)
        for node in nodes:
            parent.setdefault(node, node)
        if len(nodes) == 2:
            a, b = find(nodes[0]), find(nodes[1])
            if a != b:
                parent[max(a, b)] = min(a, b)
    for line, nodes in zip(lines, nodes_of, strict=True):
        if not nodes:
            singles.append(line)
            order.append(len(singles) - 1)
            continue
        root = find(nodes[0])
        if root not in units:
            units[root] = []
            order.append(root)
        units[root].append(line)

    result: list[list[str]] = []
    current: list[str] = []
    for key in order:
        unit = [singles[key]] if isinstance(key, int) else units[key]
        if current and len(current) + len(unit) > size:
            result.append(current)
            current = []
        current.extend(unit)
    if current:
        result.append(current)
    return result


# ---------------------------------------------------------------------------
# HTTP


class _Http:
    """Requests with timeouts, retries and errors that say what to do."""

    def __init__(
        self,
        credentials: Credentials | None,
        timeout: float,
        retries: int,
        backoff: float,
        urls: Sequence[str] = (),
    ) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self.retries = max(1, retries)
        self.backoff = backoff
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None:
            # For a Digest challenge: the password is for the store's servers only.
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:
                parts = urllib.parse.urlsplit(url)
                site = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
                manager.add_password(None, site, credentials.user, credentials.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self.opener = urllib.request.build_opener(*handlers)

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        accept: str | None = None,
        what: str = "request",
        update: bool = False,
        retry: bool = True,
        timeout: float | None = None,
        option: str = "--endpoint",
        slow: str = "Raise --timeout, or lower --batch-size so that each request does less",
    ) -> bytes:
        """Send one request; the response body, or a :class:`LoadError`.

        ``update``: the request writes (a 403 then means updates are refused);
        ``option``: the command-line option that gave ``url``, for messages;
        ``slow``: what to do if the answer takes longer than ``timeout``.
        """
        headers = {"User-Agent": "collabkg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self.credentials is not None:
            token = f"{self.credentials.user}:{self.credentials.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        attempts = self.retries if retry else 1
        wait = timeout or self.timeout
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            try:
                with self.opener.open(request, timeout=wait) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                text = _error_text(error)
                if error.code >= 500 and not (update and _NOT_ALLOWED.search(text)):
                    problem = f"HTTP {error.code} {error.reason}" + (f": {text}" if text else "")
                    if attempt < attempts:
                        self._wait(url, what, problem, attempt)
                        continue
                    raise LoadError(
                        f"{url} failed the {what} {attempts} time(s), last with {problem}. "
                        "The server is in trouble: see its log, then try again"
                    ) from error
                raise self._refusal(url, error.code, error.reason, text, what, update, option) from error
            except TimeoutError as error:
                raise self._timeout(url, what, wait, slow) from error
            except urllib.error.URLError as error:
                if isinstance(error.reason, (TimeoutError, socket.timeout)):
                    raise self._timeout(url, what, wait, slow) from error
                problem = _reason(error.reason)
                if attempt < attempts:
                    self._wait(url, what, problem, attempt)
                    continue
                raise LoadError(
                    f"cannot reach {url}: {problem} (tried {attempts} time(s)). "
                    "Is the server running, and is the URL right?"
                ) from error
            except (OSError, http.client.HTTPException) as error:
                problem = _reason(error)
                if attempt < attempts:
                    self._wait(url, what, problem, attempt)
                    continue
                raise LoadError(
                    f"{url} dropped the connection during the {what}: {problem} "
                    f"(tried {attempts} time(s)). Is the server running? See its log"
                ) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, url: str, what: str, problem: str, attempt: int) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        log.warning("%s: %s failed (%s); retrying in %.1f s", url, what, problem, delay)
        time.sleep(delay)

    def _timeout(self, url: str, what: str, wait: float, slow: str) -> LoadError:
        return LoadTimeout(f"{url} did not answer the {what} within {wait:g} s. {slow}")

    def _refusal(
        self, url: str, code: int, reason: str, text: str, what: str, update: bool, option: str
    ) -> LoadError:
        said = f"HTTP {code} {reason}" + (f": {text}" if text else "")
        if code == 401:
            if self.credentials is None:
                advice = "pass --user NAME --password-env VARIABLE (the password is read from that variable)"
            else:
                advice = f"check the user name {self.credentials.user!r} and the password"
            return LoadError(f"{url} refused the {what} ({said}): {advice}")
        if code == 403 or (update and code >= 500):
            if update:
                return LoadError(
                    f"{url} does not allow updates ({said}). Use a store or an update endpoint "
                    "that accepts writes (--update-endpoint), or credentials with update rights"
                )
            return LoadError(f"{url} refused the {what} ({said}): check the user's rights")
        if code == 404:
            return LoadError(
                f"{url} answered {said}: no SPARQL service there. Check the URL ({option}); "
                "see the README for the URLs of Oxigraph, Fuseki, GraphDB and Virtuoso"
            )
        if code == 405 and update:
            return LoadError(
                f"{url} does not accept this update ({said}). "
                f"Check the store's URL for it ({option})"
            )
        return LoadError(f"{url} rejected the {what} ({said})")


def _error_text(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(2000)
    except (OSError, http.client.HTTPException):
        return ""
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text[:300]


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


# ---------------------------------------------------------------------------
# SPARQL


def _graph_ref(graph: str) -> str:
    return "DEFAULT" if graph == DEFAULT_GRAPH else f"GRAPH <{graph}>"


def graph_name(graph: str) -> str:
    """``<IRI>``, or "the default graph", for messages."""
    return "the default graph" if graph == DEFAULT_GRAPH else f"<{graph}>"


def _pattern(graph: str) -> str:
    if graph == DEFAULT_GRAPH:
        return "?s ?p ?o"
    return f"GRAPH <{graph}> {{ ?s ?p ?o }}"


class _Sparql:
    def __init__(self, http: _Http, endpoints: Endpoints) -> None:
        self.http = http
        self.endpoints = endpoints

    def count(self, graph: str, retry: bool = True, timeout: float | None = None) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_pattern(graph)} }}"
        body = self.http.send(
            "POST",
            self.endpoints.query,
            urllib.parse.urlencode({"query": query}).encode(),
            "application/x-www-form-urlencoded",
            accept="application/sparql-results+json",
            what="count query",
            retry=retry,
            timeout=timeout,
        )
        try:
            results = json.loads(body)
            return int(results["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise LoadError(
                f"{self.endpoints.query} did not answer a SPARQL count query with SPARQL JSON "
                "results: is it a SPARQL query endpoint (--endpoint)?"
            ) from error

    def update(self, text: str, what: str, retry: bool = True, timeout: float | None = None) -> None:
        self.http.send(
            "POST",
            self.endpoints.update,
            urllib.parse.urlencode({"update": text}).encode(),
            "application/x-www-form-urlencoded",
            what=what,
            update=True,
            retry=retry,
            timeout=timeout,
            option="--update-endpoint",
        )


# ---------------------------------------------------------------------------
# The load


def load(
    lines: Sequence[str],
    endpoints: Endpoints,
    target: str = DEFAULT_TARGET,
    mode: LoadMode = LoadMode.REPLACE,
    credentials: Credentials | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = BACKOFF,
    progress: Progress | None = None,
) -> LoadResult:
    """Load the triples ``lines`` (N-Triples, see :func:`local_triples`) into ``target``.

    ``target`` is a graph IRI or :data:`DEFAULT_GRAPH`. Raises
    :class:`LoadError`; the target graph is then as it was.
    """
    if target != DEFAULT_GRAPH:
        _check_iri(target)
    if batch_size < 1:
        raise LoadError("--batch-size must be at least 1")
    if not lines:
        raise LoadError("nothing to load: the input holds no triples")
    started = time.monotonic()
    urls = (endpoints.query, endpoints.update, *endpoints.gsp)
    http = _Http(credentials, timeout, retries, backoff, urls)
    sparql = _Sparql(http, endpoints)
    total = len(lines)

    before = sparql.count(target)
    staging = f"{STAGING}{uuid.uuid4().hex}"
    gsp = _find_graph_store(http, endpoints, target if before == 0 else staging)
    # One Graph Store request is one transaction on the stores collabkg knows;
    # batches are not, so they go to a staging graph even when the target is empty.
    direct = before == 0 and gsp is not None
    graph = target if direct else staging
    if direct:
        log.info("loading %d triples straight into %s, which is empty", total, graph_name(target))
    else:
        log.info("loading %d triples into %s through <%s>", total, graph_name(target), graph)
    uploaded = False
    try:
        if direct:
            method, requests = "graph-store", 1
            http.send(
                "POST",
                _gsp_url(gsp, graph),  # type: ignore[arg-type]
                _ntriples(lines),
                RdfFormat.N_TRIPLES.media_type,
                what="Graph Store upload",
                update=True,
                timeout=max(timeout, total * SECONDS_PER_TRIPLE),
                option="--gsp",
                slow="Raise --timeout: the whole graph goes in one request",
            )
            if progress:
                progress(total, total)
        else:
            method, requests = _upload(http, sparql, gsp, graph, lines, batch_size, progress)
        uploaded = True
        landed = sparql.count(graph)
        if landed != total:
            where = graph_name(target) if direct else "the staging graph"
            raise LoadError(
                f"{endpoints.query}: {where} holds {landed} triples, not the {total} sent"
                f"{'' if direct else '; nothing was changed'}. Try again; if it persists, "
                "the store rewrites some triples (see its log)"
            )
        if not direct:
            _swap(sparql, graph, target, mode, total, timeout)
    except BaseException as error:
        wait = max(10.0, total * SECONDS_PER_TRIPLE)
        if direct:
            _empty_target(sparql, target, error, wait, uploaded)
        else:
            _drop_staging(sparql, graph, error, wait)
        raise
    after = landed if direct else sparql.count(target)
    # A store whose default graph is the union of all graphs counts them all there.
    exact = mode is LoadMode.REPLACE and target != DEFAULT_GRAPH
    if after < total or (exact and after != total):
        raise LoadError(
            f"{endpoints.query}: after the load <{target}> holds {after} triples, not {total}; "
            "another client may be writing to it"
        )
    return LoadResult(
        target, total, before, after, method, requests, time.monotonic() - started
    )


def _check_iri(iri: str) -> None:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError:
        raise LoadError(
            f"--graph {iri!r} is not an absolute IRI (or {DEFAULT_GRAPH!r} for the default graph)"
        ) from None


def _upload(
    http: _Http,
    sparql: _Sparql,
    gsp: str | None,
    graph: str,
    lines: Sequence[str],
    batch_size: int,
    progress: Progress | None,
) -> tuple[str, int]:
    """Send ``lines`` into ``graph`` in batches, to the Graph Store ``gsp`` or by ``INSERT DATA``.

    Returns the method used and the request count.
    """
    groups = batches(lines, batch_size)
    sent = 0
    for group in groups:
        if gsp is not None:
            _gsp_post(http, gsp, graph, group)
        else:
            body = "\n".join(line + " ." for line in group)
            if graph != DEFAULT_GRAPH:
                body = f"GRAPH <{graph}> {{\n{body}\n}}"
            sparql.update(f"INSERT DATA {{\n{body}\n}}", what="INSERT DATA request")
        sent += len(group)
        if progress:
            progress(sent, len(lines))
    return ("graph-store" if gsp is not None else "insert-data"), len(groups)


def _gsp_url(base: str, graph: str) -> str:
    separator = "&" if "?" in base else "?"
    if graph == DEFAULT_GRAPH:
        return f"{base}{separator}default"
    return f"{base}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _ntriples(lines: Sequence[str]) -> bytes:
    return (" .\n".join(lines) + " .\n").encode("utf-8") if lines else b""


def _gsp_post(http: _Http, base: str, graph: str, group: Sequence[str]) -> None:
    http.send(
        "POST",
        _gsp_url(base, graph),
        _ntriples(group),
        RdfFormat.N_TRIPLES.media_type,
        what="Graph Store upload",
        update=True,
        option="--gsp",
    )


def _find_graph_store(http: _Http, endpoints: Endpoints, graph: str) -> str | None:
    """The Graph Store URL that accepts an empty upload into ``graph``, or None for ``INSERT DATA``.

    A guessed URL that answers 400, 404, 405 or 415 is not a Graph Store; an
    explicit ``--gsp`` must work, and any other failure is an error.
    """
    for url in endpoints.gsp:
        try:
            _gsp_post(http, url, graph, [])
        except LoadError as error:
            cause = error.__cause__
            code = cause.code if isinstance(cause, urllib.error.HTTPError) else None
            if endpoints.gsp_given or code not in _NOT_A_GRAPH_STORE:
                raise
            log.info("%s is not a Graph Store (HTTP %s); trying the next way", url, code)
            continue
        log.info("uploading through the Graph Store at %s", url)
        return url
    return None


SECONDS_PER_TRIPLE = 0.001
"""Time allowed per triple, beyond --timeout, for a request that handles the whole
graph (the direct upload, the final update): stores load and copy graphs triple by
triple (Oxigraph moves about 10,000 triples a second)."""


def _swap(
    sparql: _Sparql, staging: str, target: str, mode: LoadMode, total: int, timeout: float
) -> None:
    """Put the staging graph in place with one SPARQL Update request."""
    if mode is LoadMode.REPLACE:
        text = f"MOVE GRAPH <{staging}> TO {_graph_ref(target)}"
    else:
        text = f"ADD GRAPH <{staging}> TO {_graph_ref(target)} ;\nDROP GRAPH <{staging}>"
    wait = max(timeout, total * SECONDS_PER_TRIPLE)
    try:
        # Not retried: the request may have been applied before the answer was lost.
        sparql.update(text, what="final MOVE/ADD update", retry=False, timeout=wait)
    except LoadTimeout as error:
        # The store may still be applying it: neither success nor the old
        # target can be promised, and the staging graph must stay.
        late = LoadError(
            f"{sparql.endpoints.update} did not answer the final update within {wait:g} s; "
            f"the store may still be applying it. When it is idle, <{target}> holds either "
            f"its old triples or the {total} new ones; if the staging graph <{staging}> is "
            f"still there, drop it with: DROP SILENT GRAPH <{staging}>. Raise --timeout for "
            "large graphs"
        )
        late.keep_staging = True
        raise late from error
    except LoadError:
        # Did it happen anyway? A missing staging graph and a target of the
        # right size say that the answer, not the update, was lost.
        staged = sparql.count(staging, retry=False)
        moved = sparql.count(target, retry=False)
        if staged == 0 and (moved == total if mode is LoadMode.REPLACE else moved >= total):
            log.warning("the final update's answer was lost, but the update was applied")
            return
        raise


def _drop_staging(sparql: _Sparql, staging: str, error: BaseException, wait: float) -> None:
    if isinstance(error, LoadError) and error.keep_staging:
        return
    try:
        sparql.update(
            f"DROP SILENT GRAPH <{staging}>", what="staging clean-up", retry=False, timeout=wait
        )
    except LoadError as cleanup:
        log.debug("dropping the staging graph failed: %s", cleanup)
        note = (
            f" The staging graph <{staging}> may be left on the server; "
            f"drop it with: DROP SILENT GRAPH <{staging}>"
        )
        if isinstance(error, LoadError):
            error.args = (str(error) + "." + note,)
        else:
            log.warning(note.strip())


def _empty_target(
    sparql: _Sparql, target: str, error: BaseException, wait: float, uploaded: bool
) -> None:
    """Drop the target graph, empty before the direct upload, and say how it is left.

    ``uploaded``: the upload request was answered. If it timed out or was
    interrupted, the store may still be applying it.
    """
    drop = f"DROP SILENT {_graph_ref(target)}"
    name = graph_name(target)
    try:
        sparql.update(drop, what="clean-up of the target graph", retry=False, timeout=wait)
    except LoadTimeout:
        note = (
            f"The store may still be emptying {name}: if it holds triples once the store is "
            f"idle, empty it with: {drop}"
        )
    except LoadError as cleanup:
        log.debug("dropping the target graph failed: %s", cleanup)
        note = (
            f"{name} holds the upload if the store applied it before it failed; once the "
            f"store answers, empty it with: {drop}"
        )
    else:
        settled = uploaded or (isinstance(error, LoadError) and not isinstance(error, LoadTimeout))
        if settled:
            note = f"Nothing was kept: {name} is empty again, as it was before the load"
        else:
            note = (
                "The store may still be applying the upload: once it is idle, "
                f"empty {name} again with: {drop}"
            )
    if isinstance(error, LoadError):
        error.args = (f"{error}. {note}",)
    else:
        log.warning(note)


def credentials_from_env(user: str | None, password_env: str | None) -> Credentials | None:
    """Credentials from ``--user`` and the environment variable named by ``--password-env``."""
    from collabkg.store import password_from_env

    password = password_from_env(user, password_env)
    return None if password is None else Credentials(user, password)  # type: ignore[arg-type]


def load_graph(
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    gsp: str | None = None,
    use_gsp: bool = True,
    target: str = DEFAULT_TARGET,
    mode: LoadMode = LoadMode.REPLACE,
    credentials: Credentials | None = None,
    files: Sequence[PathLike] | None = None,
    data: Sequence[PathLike] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = BACKOFF,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
) -> LoadResult:
    """Read the local triples (see :func:`local_triples`) and :func:`load` them.

    ``on_start`` is called with the number of triples once they are read.
    """
    endpoints = Endpoints.derive(endpoint, update_endpoint, gsp, use_gsp)
    lines = local_triples(files, data)
    if on_start:
        on_start(len(lines))
    return load(
        lines,
        endpoints,
        target=target,
        mode=mode,
        credentials=credentials,
        batch_size=batch_size,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
    )
