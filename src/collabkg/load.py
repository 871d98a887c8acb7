"""Load the knowledge graph into a SPARQL 1.1 triplestore over HTTP, all or nothing, one load at a time.

:func:`load`

1. asks the query endpoint how many triples the target graph holds (which
   also proves that the endpoint answers and accepts the credentials), and
   replaces each blank node of the triples by a stable skolem IRI under
   :data:`GENID` (:func:`skolemize`);
2. finds the server's SPARQL 1.1 Graph Store HTTP Protocol endpoint, if it
   has one, with an empty upload;
3. where a Graph Store was found, keeps the whole graph for one request in
   step 5: a ``PUT`` to replace the target (the stores collabkg knows apply
   it as one transaction: Oxigraph, Fuseki, GraphDB; not Virtuoso, which
   applies it in parts and is known by its ``Server`` header), or a ``POST``
   into an empty target. Otherwise the triples go into a fresh staging
   graph, in batches (Graph Store requests, else ``INSERT DATA``; a blank
   node and every triple that mentions it always travel in the same batch),
   and the staging graph is counted against the local count;
4. claims the target graph (:class:`_Claim`): stores do not serialise
   concurrent updates (Oxigraph gives each a snapshot, so two replacements
   at once leave the union of both), so loads write a target one at a time;
5. counts the target again and writes it with one request: the Graph Store
   ``PUT`` or ``POST``, or one SPARQL Update that puts the staging graph in
   place (``MOVE`` to replace the target, ``ADD`` then ``DROP SILENT`` to
   append to it: a store may not count a graph filled by uploads as
   created); counts the target, then gives the claim back.

Blank nodes are skolemized because a blank node label means a new node in
each request: batches could not share one, the same data appended twice
would duplicate every OWL restriction and list, and Virtuoso refuses them in
``INSERT DATA``. Each IRI is a hash of the canonical form (RDFC-1.0) of the
triples connected to the node through blank nodes and of the node's
canonical label there: the same data gets the same IRIs on every run, so
``--append`` of the same data twice gives the same graph, as ``--replace``
does.

Guarantees, with any number of loads into one graph in any interleaving
(``tests/test_load_concurrency.py``): the graph ends as one whole load's
graph or as it was; a load succeeds only if its graph was in place when it
ended (a later successful load may have replaced it since); a load empties
the target only when it found it empty while holding the claim (all it
holds is then this load's upload). On any failure before the last step the
staging graph is dropped and the target is as it was; other graphs are
never touched, but for the load's claim in :data:`CLAIMS`.

A request that may have been applied is never sent again blindly (the
remote layer sends again only idempotent requests after a lost answer:
queries, ``PUT``, ``DROP SILENT``, and the batches into the load's own
staging graph, marked so). When the last step fails or its answer is lost,
the target is counted, asked again until the store answers: a target that
holds what was sent is a success, one that holds what it held is "as it
was", anything else is said with its count. If the store cannot be asked
(it died), the outcome is unknown, and the error says so and gives the one
command that tells (:meth:`_Sparql.check_command`), never a failure that
may not be one. A last step that timed out may still be running: the error
says so, and the claim stays until it expires. Limits: claims order
collabkg's loads, not other writers; a claim left by a killed load holds
the graph until it expires (read on each client's clock); a store that
applies a request in parts is all or nothing only where collabkg can undo
it (the ``POST`` into an empty target).

Every request goes through the one HTTP layer, :mod:`collabkg.stores.remote`
(credentials by HTTP Digest or Basic, as the server's challenge asks;
timeouts; retries; no secret in any message): connection errors
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
    RemoteUnanswered,
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
    "CLAIMS",
    "GENID",
    "batches",
    "graph_name",
    "load",
    "load_graph",
    "local_triples",
    "skolemize",
]

log = logs.get(__name__)

DEFAULT_TARGET = GRAPH_LOAD_TARGET
"""The named graph ``collabkg load`` writes to unless ``--graph`` says otherwise."""

DEFAULT_GRAPH = "default"
"""The ``--graph`` value that means the store's default graph."""

STAGING = GRAPH_STAGING
"""Staging graphs are ``STAGING`` + a random id; each lives only during one load."""

GENID = "https://w3id.org/collabkg/.well-known/genid/"
"""Blank nodes are loaded as IRIs under this prefix (RDF 1.1 skolem IRIs): see :func:`skolemize`."""

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for each answer unless the remote options say otherwise."""

_NOT_A_GRAPH_STORE = frozenset({400, 404, 405, 415})
"""Answers of a guessed Graph Store URL that mean "not here": use INSERT DATA instead."""

_SLOW = "Raise --timeout, or lower --batch-size so that each request does less"
"""What to do about a request that got no answer in time."""

LoadError = RemoteError
"""A load that failed; ``str()`` names the URL and what to do, and what the target graph holds
(as it was, unless the message says otherwise, or that it cannot be known).

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
        'loaded 3 triples into the default graph at http://localhost:7878/query (graph-store, 1 request, 0.50 s); the graph held 0 triples before, 3 now\\n'
        """
        self._format(fmt)
        return (
            f"loaded {self.triples} triples into {graph_name(self.target)} at {self.endpoint} "
            f"({self.method}, {self.requests} request{'' if self.requests == 1 else 's'}, {self.seconds:.2f} s); "
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


def _units(lines: Sequence[str]) -> list[list[str]]:
    """``lines`` in units, in their order: a triple without blank nodes alone, or all the triples
    connected through blank nodes together (in the order of the first)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

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
    units: list[list[str]] = []
    connected: dict[str, list[str]] = {}
    for line, nodes in zip(lines, nodes_of, strict=True):
        if not nodes:
            units.append([line])
            continue
        root = find(nodes[0])
        unit = connected.get(root)
        if unit is None:
            unit = connected[root] = []
            units.append(unit)
        unit.append(line)
    return units


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
    result: list[list[str]] = []
    current: list[str] = []
    for unit in _units(lines):
        if current and len(current) + len(unit) > size:
            result.append(current)
            current = []
        current.extend(unit)
    if current:
        result.append(current)
    return result


def skolemize(lines: Sequence[str]) -> list[str]:
    """``lines`` (N-Triples) with each blank node replaced by a stable IRI under :data:`GENID`.

    The IRI of a blank node is derived from what surrounds it, not from its
    label: the triples connected to it through blank nodes (an OWL
    restriction and the class it restricts, a list and its owner), put in
    canonical form by RDF canonicalisation (RDFC-1.0), and the node's
    canonical label in them. The same data thus gives the same IRIs on
    every run, whatever labels the parser chose, and a change elsewhere in
    the graph leaves them as they are. Two connected parts that are exactly
    alike still get IRIs of their own (a count tells them apart), so the
    skolemized graph has as many triples as the original.

    >>> skolemize(['<https://example.org/a> <https://example.org/p> _:x'])
    ['<https://example.org/a> <https://example.org/p> <https://w3id.org/collabkg/.well-known/genid/...>']
    """
    import hashlib

    import pyoxigraph as ox

    # Only triples that may hold a blank node are looked at (a literal may hold "_:" too).
    maybe = [line for line in lines if "_:" in line]
    if not maybe:
        return list(lines)
    kept = set(maybe)
    result = [line for line in lines if line not in kept]
    seen: dict[str, int] = {}
    for unit in _units(maybe):
        if len(unit) == 1 and not _blank_nodes(unit[0]):
            result.append(unit[0])
            continue
        text = "".join(line + " .\n" for line in unit)
        dataset = ox.Dataset(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        canonical = sorted(str(quad.triple) for quad in dataset)
        form = "\n".join(canonical)
        copy = seen[form] = seen.get(form, -1) + 1
        iris: dict[str, ox.NamedNode] = {}

        def iri(term: object) -> object:
            if not isinstance(term, ox.BlankNode):
                return term
            named = iris.get(term.value)
            if named is None:
                digest = hashlib.sha256(f"{form}\n{copy}\n{term.value}".encode()).hexdigest()[:32]
                named = iris[term.value] = ox.NamedNode(GENID + digest)
            return named

        for quad in dataset:
            triple = quad.triple
            result.append(str(ox.Triple(iri(triple.subject), triple.predicate, iri(triple.object))))  # type: ignore[arg-type]
    return sorted(set(result))


# ---------------------------------------------------------------------------
# SPARQL


def _graph_ref(graph: str) -> str:
    return "DEFAULT" if graph == DEFAULT_GRAPH else f"GRAPH <{graph}>"


def graph_name(graph: str) -> str:
    """``<IRI>``, or "the default graph", for messages."""
    return "the default graph" if graph == DEFAULT_GRAPH else f"<{graph}>"


def _pattern(graph: str) -> str:
    if graph == DEFAULT_GRAPH:
        # Where the default graph is the union of all graphs, it shows the claims of loads
        # (this one's, while it writes): they are not the graph's triples.
        return f"?s ?p ?o FILTER(?p != <{_CLAIMED}>)"
    return f"GRAPH <{graph}> {{ ?s ?p ?o }}"


class _Sparql:
    """The store's endpoints, and the remote layer's client that talks to them with load's messages."""

    def __init__(self, client: Client, endpoints: Endpoints) -> None:
        self.client = client
        self.endpoints = endpoints

    def count(self, graph: str, retry: bool = True, timeout: float | None = None) -> int:
        return self.number(f"SELECT (COUNT(*) AS ?n) WHERE {{ {_pattern(graph)} }}", retry, timeout)

    def number(self, query: str, retry: bool = False, timeout: float | None = None) -> int:
        """The ``?n`` of the first solution of the SELECT ``query``."""
        body = self.client.query(
            self.endpoints.query,
            query,
            accept=JSON_RESULTS,
            what="count query",
            retry=retry,
            timeout=timeout,
            slow="Raise --timeout: the store takes longer to count",
        )
        try:
            results = json.loads(body)
            return int(results["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise LoadError(
                f"{public_url(self.endpoints.query)} did not answer a SPARQL count query with SPARQL JSON "
                "results: is it a SPARQL query endpoint (--endpoint)?"
            ) from error

    def update(
        self, text: str, what: str, retry: bool = True, timeout: float | None = None, idempotent: bool = False
    ) -> None:
        self.client.update(
            self.endpoints.update, text, what=what, retry=retry, timeout=timeout, slow=_SLOW, idempotent=idempotent
        )

    def upload(
        self,
        url: str,
        lines: Sequence[str],
        timeout: float | None = None,
        slow: str = _SLOW,
        method: str = "POST",
        idempotent: bool | None = None,
    ) -> None:
        """Send ``lines`` as N-Triples to the Graph Store request URL ``url``: ``POST`` adds, ``PUT`` replaces.

        ``idempotent``: whether the request may be sent again after a lost
        answer (by default a ``PUT`` may, a ``POST`` may not).
        """
        self.client.send(
            method,
            url,
            _ntriples(lines),
            content_type=RdfFormat.N_TRIPLES.media_type,
            what="Graph Store replacement" if method == "PUT" else "Graph Store upload",
            update=True,
            timeout=timeout,
            option="--gsp",
            slow=slow,
            idempotent=idempotent,
        )

    def check_command(self, graph: str) -> str:
        """The command that says how many triples ``graph`` holds, for messages."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_pattern(graph)} }}"
        user = " --user NAME --password-env VARIABLE" if self.client.user is not None else ""
        return f"collabkg query --sparql '{query}' --store sparql:{public_url(self.endpoints.query)}{user}"


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
    Raises :class:`LoadError`, which says what the target graph holds (as it was, unless it says otherwise).
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
    lines = skolemize(lines)
    timeout = client.timeout
    sparql = _Sparql(client, endpoints)
    total = len(lines)
    where = public_url(endpoints.query)

    before = sparql.count(target)
    owner = uuid.uuid4().hex
    staging = f"{STAGING}{owner}"
    gsp = _find_graph_store(sparql, target if before == 0 else staging)
    # One Graph Store request is one transaction on the stores collabkg knows: the whole
    # graph goes in by one request where a Graph Store was found, to replace the target
    # (PUT) or fill it while it is empty (POST). Batches are not one transaction, so they
    # go to a staging graph first, as does an append to a graph that holds triples.
    direct = gsp is not None and (before == 0 or (mode is LoadMode.REPLACE and _put_is_whole(client, gsp)))
    wait = max(timeout, total * SECONDS_PER_TRIPLE)
    if direct:
        method, requests = "graph-store", 1
    else:
        log.info("loading %d triples into %s through <%s>", total, graph_name(target), staging)
        try:
            method, requests = _upload(sparql, gsp, staging, lines, batch_size, progress)
            landed = sparql.count(staging)
            if landed != total:
                raise LoadError(
                    f"{where}: the staging graph holds {landed} triples, not the {total} sent; nothing was "
                    "changed. Try again; if it persists, the store rewrites some triples (see its log)"
                )
        except BaseException as error:
            _drop_staging(sparql, staging, error, max(10.0, wait))
            raise
    # The last step writes the target: one load at a time (see _Claim).
    claim = _Claim(sparql, target, owner, lease=2 * wait + CLAIM_MARGIN)
    try:
        claim.acquire()
    except BaseException as error:
        claim.release()
        if not direct:
            _drop_staging(sparql, staging, error, max(10.0, wait))
        raise
    settled = False
    try:
        now = sparql.count(target)
        if direct and gsp is not None:
            after = _one_request(sparql, gsp, target, lines, mode, now, wait, progress)
        else:
            after = _swap(sparql, staging, target, mode, total, timeout, now)
        settled = True
    except _Unknown:
        raise  # the store may yet apply the last step: the claim stays until it expires
    except BaseException as error:
        # Else the store may yet write the target (a timeout, an interruption): the claim stays.
        settled = isinstance(error, LoadError) and not isinstance(error, (_StillApplying, LoadTimeout))
        raise
    finally:
        if settled:
            claim.release()
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


CLAIMS = GRAPH_LOAD_TARGET.rsplit("/", 1)[0] + "/load-claims"
"""The graph where each load claims its target graph for its last step (see :class:`_Claim`)."""

_CLAIMED = CLAIMS + "#for"
"""The predicate of a claim: ``<STAGING id> <CLAIMS#for> "target-IRI TAB expiry (Unix seconds)"``."""

CLAIM_MARGIN = 60.0
"""Seconds a claim lasts beyond twice the time allowed for the last step."""


@dataclass(frozen=True)
class _Held:
    subject: str
    target: str
    until: float
    literal: str


class _Claim:
    """One load's claim on its target graph, so that loads write it one at a time.

    Stores do not serialise concurrent updates (Oxigraph gives each one a
    snapshot: two replacements at once leave the union of both), so the
    last step of a load, the one that writes the target graph, runs only
    while this load alone claims it. A claim is one triple in the graph
    :data:`CLAIMS`: the load's id, the target, and when the claim expires.
    To claim, a load adds its triple, then reads all claims on the target:
    if another live one is there, it takes its own back and tries again
    after a random pause. Each write is acknowledged before the read, so of
    two loads the later reader always sees the earlier writer: two never
    both go on. A claim is taken back when the step is done; one left by a
    load that was killed counts no more once expired (the lease: twice the
    time allowed for the step, plus :data:`CLAIM_MARGIN`), as read on each
    client's clock.
    """

    def __init__(self, sparql: _Sparql, target: str, owner: str, lease: float) -> None:
        self.sparql = sparql
        self.target = target
        self.subject = f"{STAGING}{owner}"
        self.lease = lease
        self.literal = ""

    def _triple(self, literal: str, subject: str | None = None) -> str:
        return f"GRAPH <{CLAIMS}> {{ <{subject or self.subject}> <{_CLAIMED}> {json.dumps(literal)} }}"

    def _held(self) -> list[_Held]:
        body = self.sparql.client.query(
            self.sparql.endpoints.query,
            f"SELECT ?c ?v WHERE {{ GRAPH <{CLAIMS}> {{ ?c <{_CLAIMED}> ?v }} }}",
            accept=JSON_RESULTS,
            what="claims query",
            slow=_SLOW,
        )
        held = []
        try:
            for row in json.loads(body)["results"]["bindings"]:
                literal = row["v"]["value"]
                target, _, until = literal.rpartition("\t")
                if target == self.target:
                    held.append(_Held(row["c"]["value"], target, float(until), literal))
        except (ValueError, KeyError, TypeError) as error:
            raise LoadError(
                f"{public_url(self.sparql.endpoints.query)} did not answer a SPARQL query with SPARQL JSON "
                "results: is it a SPARQL query endpoint (--endpoint)?"
            ) from error
        return held

    def _delete(self, literal: str, subject: str | None = None) -> None:
        # Taking back a claim is idempotent: it may be sent again.
        self.sparql.update(
            f"DELETE DATA {{ {self._triple(literal, subject)} }}", what="claim update", idempotent=True
        )

    def acquire(self) -> None:
        import random

        started = time.time()
        pause = 0.05
        while True:
            self.literal = f"{self.target}\t{time.time() + self.lease:.3f}"
            self.sparql.update(
                f"INSERT DATA {{ {self._triple(self.literal)} }}", what="claim update", idempotent=True
            )
            now = time.time()
            others = []
            for held in self._held():
                if held.subject == self.subject:
                    continue
                if held.until < now:  # left by a load that ended without taking it back
                    log.info("removing an expired claim on %s by <%s>", graph_name(self.target), held.subject)
                    self._delete(held.literal, held.subject)
                else:
                    others.append(held)
            if not others:
                return
            self.release()
            if now - started > self.lease:
                first = others[0]
                raise LoadError(
                    f"{public_url(self.sparql.endpoints.query)}: another load has been writing "
                    f"{graph_name(self.target)} for {now - started:.0f} s (its claim <{first.subject}> in "
                    f"<{CLAIMS}> lasts until {time.ctime(first.until)}); nothing was changed. Try again "
                    "once it is done"
                )
            if pause == 0.05:
                first = others[0]
                log.warning(
                    "%s is being written by another load (its claim <%s> lasts until %s at most); waiting for it",
                    graph_name(self.target), first.subject, time.ctime(first.until),
                )
            time.sleep(random.uniform(pause / 2, pause))
            pause = min(pause * 2, 2.0)

    def release(self) -> None:
        if not self.literal:
            return
        try:
            self._delete(self.literal)
        except LoadError as error:
            log.warning(
                "could not take back the claim on %s (%s); it expires by itself at %s",
                graph_name(self.target), error, time.ctime(float(self.literal.rpartition("\t")[2])),
            )
        self.literal = ""


class _Unknown(LoadError):
    """The last step got no answer and the store cannot say what the target holds: the outcome is unknown."""


def _unknown(
    sparql: _Sparql, error: LoadError, target: str, old: int, total: int, why: LoadError, staging: str | None = None
) -> _Unknown:
    """The error for a last step whose outcome cannot be known: what may be, and the command that tells."""
    name = graph_name(target)
    drop = (
        f" If the staging graph <{staging}> is still there, drop it with: DROP SILENT GRAPH <{staging}>."
        if staging
        else ""
    )
    return _Unknown(
        f"{error}. The store may have applied it, and cannot be asked what it did ({why.problem or why}): "
        f"whether the load was applied is unknown. {name} holds either its old {old} triples or the "
        f"{total} new ones; once the store answers, this tells which: {sparql.check_command(target)}.{drop} "
        "Loading again puts the graph in place either way",
        url=error.url,
        status=error.status,
        problem=error.problem,
    )


def _holds_all(sparql: _Sparql, graph: str, lines: Sequence[str]) -> bool | None:
    """Whether ``graph`` holds every triple of ``lines`` (None when there are too many to ask)."""
    if len(lines) > _ASK_AT_MOST or graph == DEFAULT_GRAPH:
        return None
    found = 0
    for start in range(0, len(lines), 500):
        rows = " ".join(f"({line})" for line in lines[start : start + 500])
        found += sparql.number(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} GRAPH <{graph}> {{ ?s ?p ?o }} }}",
            retry=True,
        )
    return found == len(lines)


_ASK_AT_MOST = 20_000
"""Triples at most that :func:`_holds_all` asks the store about (500 a query)."""


def _one_request(
    sparql: _Sparql,
    gsp: str,
    target: str,
    lines: Sequence[str],
    mode: LoadMode,
    now: int,
    wait: float,
    progress: Progress | None,
) -> int:
    """Put ``lines`` in ``target``, which holds ``now`` triples, by one Graph Store request; the count after.

    Into an empty target, a ``POST`` (this load made its content: on a
    failure, it empties it again); otherwise, with ``--replace``, a ``PUT``,
    which the store applies as one transaction (with ``--append``, a
    ``POST``: the target was empty when the load began, and another client
    filled it since). A request whose answer is lost is not sent again: the
    target is counted to find out what holds.
    """
    total = len(lines)
    where = public_url(sparql.endpoints.query)
    name = graph_name(target)
    created = now == 0
    put = not created and mode is LoadMode.REPLACE
    if created:
        log.info("loading %d triples straight into %s, which is empty", total, name)
    elif put:
        log.info("replacing the %d triples of %s by %d in one Graph Store PUT", now, name, total)
    else:
        log.info("adding %d triples to the %d of %s in one Graph Store POST", total, now, name)
    uploaded = False
    try:
        try:
            sparql.upload(
                _gsp_url(gsp, target),
                lines,
                timeout=wait,
                slow="Raise --timeout: the whole graph goes in one request",
                method="PUT" if put else "POST",
                idempotent=put,  # a PUT may be sent again; a POST may not
            )
        except LoadError as error:
            if created or isinstance(error, LoadTimeout):
                raise
            return _found_out(sparql, error, target, lines, now, mode)
        uploaded = True
        if progress:
            progress(total, total)
        landed = sparql.count(target)
        # A store whose default graph is the union of all graphs counts them all there; so
        # does an append to a graph that another client filled since the load began.
        at_least = target == DEFAULT_GRAPH or (mode is LoadMode.APPEND and not created)
        if landed < total or (landed != total and not at_least):
            if created:
                raise LoadError(
                    f"{where}: {name} holds {landed} triples, not the {total} sent. Try again; if it persists, "
                    "the store rewrites some triples (see its log)"
                )
            raise LoadError(
                f"{where}: {name} holds {landed} triples, not the {total} sent: the store replaced its "
                f"{now} triples but changed some of the new ones (see its log). Load again to put it in "
                "the intended state"
            )
        return landed
    except LoadTimeout as error:
        if created:
            _empty_target(sparql, target, error, max(10.0, wait), uploaded)
            raise
        raise _StillApplying(
            f"{error}. The store may still be applying it: once it is idle, {name} holds either its old {now} "
            f"triples or the {total} new ones; this tells which: {sparql.check_command(target)}"
        ) from error
    except _Unknown:
        raise
    except BaseException as error:
        if created:
            if isinstance(error, RemoteUnanswered) and not uploaded:
                # The answer was lost: did the upload land anyway?
                try:
                    held = sparql.count(target)
                except LoadError as why:
                    raise _unknown(sparql, error, target, 0, total, why) from error
                if held == total:
                    log.warning("the upload's answer was lost, but %s holds the %d triples sent", name, total)
                    return held
            _empty_target(sparql, target, error, max(10.0, wait), uploaded)
        raise


def _found_out(
    sparql: _Sparql, error: LoadError, target: str, lines: Sequence[str], old: int, mode: LoadMode
) -> int:
    """After a request into a target that held ``old`` triples, that failed or whose answer was lost:
    the count, if it was applied; else an error that says what the target holds, or that it cannot be known."""
    total = len(lines)
    name = graph_name(target)
    try:
        now = sparql.count(target)
        if mode is LoadMode.REPLACE:
            applied = now == total and (old != total or _holds_all(sparql, target, lines))
        else:
            applied = now >= total and (now != old and _holds_all(sparql, target, lines))
    except LoadError as why:
        raise _unknown(sparql, error, target, old, total, why) from error
    if applied:
        log.warning("the Graph Store PUT reported a failure, but %s holds the triples sent: %s", name, error)
        return now
    if now == old and (old != total or applied is False):
        error.args = (f"{error}. {name} is as it was ({old} triples)",)
        raise error
    if applied is None:
        raise _unknown(sparql, error, target, old, total, LoadError("too many triples to compare"))
    error.args = (
        f"{error}. {name} changed nonetheless: it now holds {now} triples (it held {old} before, and the "
        f"load brought {total}). Load again to put it in the intended state",
    )
    raise error


_PARTIAL_PUT = ("virtuoso",)
"""Servers (``Server`` header) whose Graph Store applies a PUT triple by triple: Virtuoso 7 answers a PUT
that fails part-way with HTTP 500 and keeps the triples before the failure (the old ones gone), as
tests/test_virtuoso.py shows."""


def _put_is_whole(client: Client, gsp: str) -> bool:
    """Whether the Graph Store ``gsp`` applies a PUT all or nothing (Oxigraph, Fuseki, GraphDB do)."""
    server = client.server(gsp).lower()
    whole = not any(name in server for name in _PARTIAL_PUT)
    if not whole:
        log.info("%s applies a Graph Store PUT in parts: replacing through a staging graph", public_url(gsp))
    return whole


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

    A batch the store finds too large (:func:`_too_large`) is sent again in
    halves, and later batches no larger than what went through. Returns the
    method used and the request count.
    """
    from collections import deque

    queue = deque(batches(lines, batch_size))
    limit = batch_size
    sent = requests = 0
    while queue:
        group = queue.popleft()
        if len(group) > limit:
            parts = batches(group, limit)
            if len(parts) > 1:
                queue.extendleft(reversed(parts))
                continue
        try:
            # Into this load's own staging graph, and without blank nodes: a batch sent
            # twice adds nothing the first did not, so a lost answer may be sent again.
            if gsp is not None:
                sparql.upload(_gsp_url(gsp, graph), group, idempotent=True)
            else:
                body = "\n".join(line + " ." for line in group)
                if graph != DEFAULT_GRAPH:
                    body = f"GRAPH <{graph}> {{\n{body}\n}}"
                sparql.update(f"INSERT DATA {{\n{body}\n}}", what="INSERT DATA request", idempotent=True)
        except LoadError as error:
            halves = batches(group, max(1, len(group) // 2)) if _too_large(error) else []
            if len(halves) < 2:
                raise
            limit = max(1, len(group) // 2)
            log.info("%s: %d triples are too many for one request; sending at most %d", error.url, len(group), limit)
            queue.extendleft(reversed(halves))
            continue
        requests += 1
        sent += len(group)
        if progress:
            progress(sent, len(lines))
    return ("graph-store" if gsp is not None else "insert-data"), requests


_TOO_LARGE = r"exceed|too (large|long|big|many)|maximum|limit"
"""What an answer to an upload says when the request was too large (Virtuoso: "The length of generated
SQL text has exceeded 10000 lines of code")."""


def _too_large(error: LoadError) -> bool:
    """Whether the store refused an upload for its size (HTTP 413, or a 400 or 500 that says so)."""
    import re

    if isinstance(error, LoadTimeout) or error.status is None:
        return False
    return error.status == 413 or (
        error.status in (400, 500) and re.search(_TOO_LARGE, error.problem, re.IGNORECASE) is not None
    )


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
            sparql.upload(_gsp_url(url, graph), [], idempotent=True)  # an empty upload changes nothing
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
    sparql: _Sparql, staging: str, target: str, mode: LoadMode, total: int, timeout: float, before: int
) -> int:
    """Put the staging graph in place with one SPARQL Update request; the target's count after.

    ``before``: the target's count just before. ``DROP SILENT``: a store may
    not count a graph filled by ``INSERT DATA`` or the Graph Store as
    "created" (Virtuoso), and a plain ``DROP`` after the ``ADD`` would then
    fail once the target has changed. On any failure the staging graph is
    dropped, unless the store may still be applying the update.
    """
    if mode is LoadMode.REPLACE:
        text = f"MOVE GRAPH <{staging}> TO {_graph_ref(target)}"
    else:
        text = f"ADD GRAPH <{staging}> TO {_graph_ref(target)} ;\nDROP SILENT GRAPH <{staging}>"
    wait = max(timeout, total * SECONDS_PER_TRIPLE)
    try:
        try:
            # Not retried: the request may have been applied before the answer was lost.
            sparql.update(text, what="final MOVE/ADD update", retry=False, timeout=wait)
        except LoadTimeout as error:
            # The store may still be applying it: neither success nor the old
            # target can be promised, and the staging graph must stay.
            late = _StillApplying(
                f"{public_url(sparql.endpoints.update)} did not answer the final update within {wait:g} s; "
                f"the store may still be applying it. When it is idle, {graph_name(target)} holds either "
                f"its old triples or the {total} new ones (this tells which: {sparql.check_command(target)}); "
                f"if the staging graph <{staging}> is still there, drop it with: DROP SILENT GRAPH <{staging}>. "
                "Raise --timeout for large graphs"
            )
            raise late from error
        except LoadError as error:
            # Did it happen anyway? The answer, not the update, may have been lost,
            # or only the drop of the staging graph may have failed. The counts are
            # asked again until the store answers (or the retries run out).
            try:
                staged = sparql.count(staging)
                now = sparql.count(target)
            except LoadError as why:
                raise _unknown(sparql, error, target, before, total, why, staging) from error
            if mode is LoadMode.REPLACE:
                done = staged == 0 and now == total
            else:
                done = now >= total and (staged == 0 or _all_in(sparql, staging, target))
            if done:
                log.warning("the final update reported a failure, but the triples are in place: %s", error)
                if staged:
                    _drop_staging(sparql, staging, error, wait, keep_error=False)
                return now
            name = graph_name(target)
            if now == before:
                error.args = (f"{error}. {name} is as it was ({before} triples)",)
            else:
                error.args = (
                    f"{error}. {name} changed nonetheless: it now holds {now} triples (it held {before} "
                    f"before, and the load brought {total}). Load again to put it in the intended state",
                )
            raise
        return sparql.count(target)
    except _Unknown:
        raise
    except BaseException as error:
        _drop_staging(sparql, staging, error, max(10.0, wait))
        raise


def _all_in(sparql: _Sparql, staging: str, target: str) -> bool:
    """Whether every triple of the staging graph is in the target graph (the ADD was applied)."""
    if target == DEFAULT_GRAPH:  # a union default graph holds the staging graph itself: no proof
        return False
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH <{target}> {{ ?s ?p ?o }} }} }}"
    )
    try:
        return sparql.number(query) == 0
    except LoadError:
        return False


def _drop_staging(
    sparql: _Sparql, staging: str, error: BaseException, wait: float, keep_error: bool = True
) -> None:
    """Drop the staging graph; where that fails, say how to (in ``error``'s message if ``keep_error``)."""
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
        if keep_error and isinstance(error, LoadError):
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
