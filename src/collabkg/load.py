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
Every request goes through the one HTTP layer, :mod:`collabkg.stores.remote`
(credentials by HTTP Basic or Digest, timeouts, retries): connection errors
and 5xx answers are retried with exponential backoff; 4xx answers never are.
Every failure is a :class:`LoadError` (the remote layer's
:class:`~collabkg.stores.remote.RemoteError`) that names the URL and says
what to do; the CLI exits with 2.

One module of more than the usual size because it is one thing: the load
protocol, step by step, with what to undo at each step.
"""

from __future__ import annotations

import enum
import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from collabkg import PathLike, logs
from collabkg.formats import RdfFormat
from collabkg.namespaces import GRAPH_LOAD_TARGET, GRAPH_STAGING
from collabkg.outcome import Outcome
from collabkg.stores.remote import (
    BACKOFF,
    DEFAULT_RETRIES,
    JSON_RESULTS,
    Client,
    Endpoints,
    RemoteError,
    RemoteOptions,
    RemoteTimeout,
    public_url,
)

__all__ = [
    "BACKOFF",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_GRAPH",
    "DEFAULT_RETRIES",
    "DEFAULT_TARGET",
    "DEFAULT_TIMEOUT",
    "Endpoints",
    "LoadError",
    "LoadMode",
    "LoadResult",
    "LoadTimeout",
    "RemoteOptions",
    "STAGING",
    "batches",
    "graph_name",
    "load",
    "load_graph",
    "local_triples",
]

log = logs.get(__name__)

DEFAULT_TARGET = GRAPH_LOAD_TARGET
"""The named graph ``collabkg load`` writes to unless ``--graph`` says otherwise."""

DEFAULT_GRAPH = "default"
"""The ``--graph`` value that means the store's default graph."""

STAGING = GRAPH_STAGING
"""Staging graphs are ``STAGING`` + a random id; each lives only during one load."""

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for each answer unless the remote options say otherwise."""

_NOT_A_GRAPH_STORE = frozenset({400, 404, 405, 415})
"""Answers of a guessed Graph Store URL that mean "not here": use INSERT DATA instead."""

_SLOW = "Raise --timeout, or lower --batch-size so that each request does less"
"""What to do about a request that got no answer in time."""

LoadError = RemoteError
"""A load that failed; ``str()`` names the URL and what to do. The target graph is unchanged.

The remote layer's error: requests, URLs and the load's own checks fail alike."""

LoadTimeout = RemoteTimeout
"""A request that got no answer in time; it may still be running on the server."""


class _StillApplying(LoadError):
    """The final update got no answer: the store may still be applying it, so the staging graph must stay."""


class LoadMode(enum.Enum):
    """What to do with triples already in the target graph."""

    REPLACE = "replace"
    """Replace the target graph's content (the default: loading twice gives the same graph)."""
    APPEND = "append"
    """Add to the target graph's content."""


@dataclass(frozen=True)
class LoadResult(Outcome):
    """What :func:`load` did; renders as the line ``collabkg load`` prints."""

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
    endpoint: str
    """The store's query endpoint, without credentials."""

    def render(self, fmt: str | None = None) -> str:
        """The line that says what was loaded where.

        >>> LoadResult("default", 3, 0, 3, "graph-store", 1, 0.5, "http://localhost:7878/query").render()
        'loaded 3 triples into the default graph at http://localhost:7878/query (graph-store, 1 requests, 0.50 s); the graph held 0 triples before, 3 now\\n'
        """
        self._format(fmt)
        return (
            f"loaded {self.triples} triples into {graph_name(self.target)} at {self.endpoint} "
            f"({self.method}, {self.requests} requests, {self.seconds:.2f} s); "
            f"the graph held {self.before} triples before, {self.after} now\n"
        )


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
    if files:
        from collabkg.readers import iter_quads

        quads = iter_quads(files)
    else:
        from collabkg.graph import KnowledgeGraph

        quads = iter(KnowledgeGraph(data).quads())
    return sorted({str(quad.triple) for quad in quads})


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
    """The store's endpoints, and the remote layer's client that talks to them with load's messages."""

    def __init__(self, client: Client, endpoints: Endpoints) -> None:
        self.client = client
        self.endpoints = endpoints

    def count(self, graph: str, retry: bool = True, timeout: float | None = None) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_pattern(graph)} }}"
        body = self.client.query(
            self.endpoints.query,
            query,
            accept=JSON_RESULTS,
            what="count query",
            retry=retry,
            timeout=timeout,
            slow=_SLOW,
        )
        try:
            results = json.loads(body)
            return int(results["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise LoadError(
                f"{public_url(self.endpoints.query)} did not answer a SPARQL count query with SPARQL JSON "
                "results: is it a SPARQL query endpoint (--endpoint)?"
            ) from error

    def update(self, text: str, what: str, retry: bool = True, timeout: float | None = None) -> None:
        self.client.update(self.endpoints.update, text, what=what, retry=retry, timeout=timeout, slow=_SLOW)

    def upload(
        self,
        url: str,
        lines: Sequence[str],
        timeout: float | None = None,
        slow: str = _SLOW,
    ) -> None:
        """POST ``lines`` as N-Triples to the Graph Store request URL ``url``."""
        self.client.send(
            "POST",
            url,
            _ntriples(lines),
            content_type=RdfFormat.N_TRIPLES.media_type,
            what="Graph Store upload",
            update=True,
            timeout=timeout,
            option="--gsp",
            slow=slow,
        )


# ---------------------------------------------------------------------------
# The load


def load(
    lines: Sequence[str],
    endpoints: Endpoints,
    target: str = DEFAULT_TARGET,
    mode: LoadMode = LoadMode.REPLACE,
    remote: RemoteOptions | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    backoff: float = BACKOFF,
    progress: Progress | None = None,
) -> LoadResult:
    """Load the triples ``lines`` (N-Triples, see :func:`local_triples`) into ``target``.

    ``target`` is a graph IRI or :data:`DEFAULT_GRAPH`. ``remote`` gives the
    credentials, the timeout (default :data:`DEFAULT_TIMEOUT`) and the
    attempts per request; ``backoff`` the seconds before the first retry.
    Raises :class:`LoadError`; the target graph is then as it was.
    """
    with Client.from_options(remote, timeout=DEFAULT_TIMEOUT, backoff=backoff) as client:
        return _load(lines, endpoints, client, target, mode, batch_size, progress)


def _load(
    lines: Sequence[str],
    endpoints: Endpoints,
    client: Client,
    target: str,
    mode: LoadMode,
    batch_size: int,
    progress: Progress | None,
) -> LoadResult:
    if target != DEFAULT_GRAPH:
        _check_iri(target)
    if batch_size < 1:
        raise LoadError("--batch-size must be at least 1")
    if not lines:
        raise LoadError("nothing to load: the input holds no triples")
    started = time.monotonic()
    timeout = client.timeout
    sparql = _Sparql(client, endpoints)
    total = len(lines)
    where = public_url(endpoints.query)

    before = sparql.count(target)
    staging = f"{STAGING}{uuid.uuid4().hex}"
    gsp = _find_graph_store(sparql, target if before == 0 else staging)
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
        if direct and gsp is not None:
            method, requests = "graph-store", 1
            sparql.upload(
                _gsp_url(gsp, graph),
                lines,
                timeout=max(timeout, total * SECONDS_PER_TRIPLE),
                slow="Raise --timeout: the whole graph goes in one request",
            )
            if progress:
                progress(total, total)
        else:
            method, requests = _upload(sparql, gsp, graph, lines, batch_size, progress)
        uploaded = True
        landed = sparql.count(graph)
        if landed != total:
            held = graph_name(target) if direct else "the staging graph"
            raise LoadError(
                f"{where}: {held} holds {landed} triples, not the {total} sent"
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
            f"{where}: after the load <{target}> holds {after} triples, not {total}; "
            "another client may be writing to it"
        )
    return LoadResult(
        target, total, before, after, method, requests, time.monotonic() - started, where
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
            sparql.upload(_gsp_url(gsp, graph), group)
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
    from urllib.parse import urlencode

    separator = "&" if "?" in base else "?"
    if graph == DEFAULT_GRAPH:
        return f"{base}{separator}default"
    return f"{base}{separator}{urlencode({'graph': graph})}"


def _ntriples(lines: Sequence[str]) -> bytes:
    return (" .\n".join(lines) + " .\n").encode("utf-8") if lines else b""


def _find_graph_store(sparql: _Sparql, graph: str) -> str | None:
    """The Graph Store URL that accepts an empty upload into ``graph``, or None for ``INSERT DATA``.

    A guessed URL that answers 400, 404, 405 or 415 is not a Graph Store; an
    explicit ``--gsp`` must work, and any other failure is an error.
    """
    endpoints = sparql.endpoints
    for url in endpoints.gsp:
        try:
            sparql.upload(_gsp_url(url, graph), [])
        except LoadError as error:
            if endpoints.gsp_given or error.status not in _NOT_A_GRAPH_STORE:
                raise
            log.info("%s is not a Graph Store (HTTP %s); trying the next way", public_url(url), error.status)
            continue
        log.info("uploading through the Graph Store at %s", public_url(url))
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
        late = _StillApplying(
            f"{public_url(sparql.endpoints.update)} did not answer the final update within {wait:g} s; "
            f"the store may still be applying it. When it is idle, <{target}> holds either "
            f"its old triples or the {total} new ones; if the staging graph <{staging}> is "
            f"still there, drop it with: DROP SILENT GRAPH <{staging}>. Raise --timeout for "
            "large graphs"
        )
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
    if isinstance(error, _StillApplying):
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


def load_graph(
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    gsp: str | None = None,
    use_gsp: bool = True,
    target: str = DEFAULT_TARGET,
    mode: LoadMode = LoadMode.REPLACE,
    remote: RemoteOptions | None = None,
    files: Sequence[PathLike] | None = None,
    data: Sequence[PathLike] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    backoff: float = BACKOFF,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
) -> LoadResult:
    """Read the local triples (see :func:`local_triples`) and :func:`load` them.

    ``remote`` gives the credentials, the timeout (default
    :data:`DEFAULT_TIMEOUT`) and the attempts per request (default
    :data:`~collabkg.stores.remote.DEFAULT_RETRIES`). ``on_start`` is called
    with the number of triples once they are read.
    """
    with Client.from_options(remote, timeout=DEFAULT_TIMEOUT, backoff=backoff) as client:
        endpoints = Endpoints.derive(endpoint, update_endpoint, gsp, use_gsp)
        lines = local_triples(files, data)
        if on_start:
            on_start(len(lines))
        return _load(lines, endpoints, client, target, mode, batch_size, progress)
