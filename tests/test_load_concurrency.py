"""Several ``collabkg load`` processes at once into one graph of a real Oxigraph server.

Each round starts real processes (``python -m collabkg load ...``), each
with data of its own (the bundled graph, or a small file), at once or a
little apart, into a graph that is absent or holds triples, by either way of
replacing it (one Graph Store ``PUT``, or ``MOVE`` of a staging graph
without a Graph Store). Whatever the interleaving:

- the graph ends as exactly one load's graph, or as it was;
- a load that exits 0 had its graph in place when it ended, so the graph
  ends as the one of the last load to end with exit 0 (any earlier one was
  replaced by a later one);
- no claim and no staging graph is left behind.

Oxigraph does not serialise concurrent updates (each gets a snapshot: two
replacements at once leave the union of both); the loads' claims do.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SRC
from oxigraph_server import OxigraphServer

from collabkg.load import CLAIMS, STAGING, local_triples, skolemize

pytestmark = pytest.mark.slow

OLD = "https://example.org/test/old"


@pytest.fixture(scope="module")
def server() -> Iterator[OxigraphServer]:
    with OxigraphServer() as running:
        yield running


def stored(lines: list[str]) -> frozenset[str]:
    """Triples (N-Triples lines) as Oxigraph stores them (literals in canonical form), blank nodes skolemized."""
    store = ox.Store()
    text = "".join(line + " .\n" for line in skolemize(lines))
    store.extend(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    return frozenset(str(quad.triple) for quad in store)


def held(server: OxigraphServer, graph: str) -> frozenset[str]:
    url = server.store_url + "?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return frozenset()
        raise
    return frozenset(str(quad.triple) for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def sparql(server: OxigraphServer, query: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        server.query_url, data=body, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["results"]["bindings"]


def leftovers(server: OxigraphServer) -> list[str]:
    """Staging graphs and claims that outlived their loads."""
    graphs = [row["g"]["value"] for row in sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
    return [g for g in graphs if g.startswith(STAGING) or g == CLAIMS]


def put(server: OxigraphServer, graph: str, lines: frozenset[str]) -> None:
    url = server.store_url + "?" + urllib.parse.urlencode({"graph": graph})
    body = "".join(line + " .\n" for line in sorted(lines)).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=60):
        pass


def small_file(folder: Path, name: str, size: int) -> Path:
    path = folder / f"{name}.nt"
    path.write_text(
        "".join(f'<https://example.org/{name}/{i}> <https://example.org/p> "{name} {i}" .\n' for i in range(size)),
        encoding="utf-8",
    )
    return path


@dataclass
class Run:
    """One load process: its input, exit code, when it ended, and what it said."""

    name: str
    triples: frozenset[str]
    code: int = -1
    ended: float = 0.0
    stdout: str = ""
    stderr: str = ""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_loads(
    server: OxigraphServer, target: str, inputs: dict[str, tuple[list[str], frozenset[str]]],
    delays: dict[str, float], extra: list[str],
) -> list[Run]:
    """Start one load per input (its files; after its delay), all at once; wait for all of them."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    runs = {name: Run(name, triples) for name, (_, triples) in inputs.items()}

    def one(name: str) -> None:
        files, _ = inputs[name]
        time.sleep(delays.get(name, 0.0))
        command = [
            sys.executable, "-m", "collabkg", "load", *files, "--endpoint", server.query_url,
            "--graph", target, "--replace", "--timeout", "120", *extra,
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        runs[name].ended = time.monotonic()
        runs[name].code = done.returncode
        runs[name].stdout, runs[name].stderr = done.stdout, done.stderr

    threads = [threading.Thread(target=one, args=(name,)) for name in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return list(runs.values())


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[str], frozenset[str]]]:
    folder = tmp_path_factory.mktemp("inputs")
    # Two large inputs of about the same size start and end about together: their last
    # steps, each a long transaction, overlap unless the loads take turns.
    files = {
        "small": small_file(folder, "small", 7),
        "large": small_file(folder, "large", 30_000),
        "larger": small_file(folder, "larger", 30_500),
    }
    made = {name: ([str(path)], stored(local_triples([path]))) for name, path in files.items()}
    return {"bundled": ([], stored(local_triples())), **made}


ROUNDS = [
    ("at-once", {}),
    ("small-late", {"small": 0.3, "bundled": 1.0}),
    ("larger-late", {"larger": 0.15, "bundled": 1.2}),
    ("staggered", {"small": 0.5, "large": 0.05, "bundled": 1.4}),
]


@pytest.mark.parametrize("way", ["put", "move"])
@pytest.mark.parametrize("prior", ["absent", "holding-triples"])
@pytest.mark.parametrize(("interleaving", "delays"), ROUNDS, ids=[name for name, _ in ROUNDS])
def test_concurrent_replacements_end_as_one_whole_load(
    interleaving: str,
    delays: dict[str, float],
    prior: str,
    way: str,
    server: OxigraphServer,
    inputs: dict[str, tuple[list[str], frozenset[str]]],
) -> None:
    target = f"https://example.org/test/{uuid.uuid4().hex}"
    before: frozenset[str] = frozenset()
    if prior == "holding-triples":
        before = frozenset({f'<{OLD}#a> <{OLD}#p> "kept"', f"<{OLD}#a> <{OLD}#p> <{OLD}#b>"})
        put(server, target, before)
    extra = ["--no-gsp", "--batch-size", "1000"] if way == "move" else []
    runs = run_loads(server, target, inputs, delays, extra)

    report = "\n".join(f"{r.name}: exit {r.code}: {r.output.strip()}" for r in runs)
    assert {r.code for r in runs} <= {0, 2}, report
    final = held(server, target)
    candidates = {r.name: r.triples for r in runs}
    assert final == before or final in candidates.values(), (
        f"the graph is no one load's graph: {len(final)} triples\n{report}"
    )
    succeeded = sorted((r for r in runs if r.code == 0), key=lambda r: r.ended)
    if succeeded:  # each earlier success was replaced by a later one: the last one's graph is there
        assert final == succeeded[-1].triples, report
    else:
        assert final == before, report
    method = "insert-data" if way == "move" else "graph-store"
    for run in runs:
        # waiting for another load's claim is said as it happens; nothing else is
        *notes, last = run.stderr.splitlines() or [""]
        waits = notes if run.code else [*notes, last]
        for line in filter(None, waits):
            assert re.fullmatch(WAITING.format(target=re.escape(target)), line), report
        if run.code == 0:  # the one line of a load, with what it left in place
            assert re.fullmatch(
                re.escape(f"loaded {len(run.triples)} triples into <{target}> at {server.query_url} ({method}, ")
                + r"\d+ requests?, \d+\.\d\d s\); the graph held \d+ triples before, "
                + re.escape(f"{len(run.triples)} now\n"),
                run.stdout,
            ), report
        else:  # one line that says the target was left alone, and is not a lie: the graph is as a load left it
            assert run.stdout == "", report
            assert any(re.fullmatch(refusal.format(target=re.escape(target)), last) for refusal in REFUSED), report
    assert not leftovers(server), report


WAITING = (
    r"collabkg: load: warning: <{target}> is being written by another load \(its claim <[^>]+> lasts "
    r"until [^)]+ at most\); waiting for it"
)
"""A load that finds another's claim on its target, and waits."""

REFUSED = [
    r"collabkg: error: \S+: another load has been writing <{target}> for \d+ s \(its claim <[^>]+> in <[^>]+> "
    r"lasts until [^)]+\); nothing was changed\. Try again once it is done",
]
"""The errors a load may end with while others write the same target."""
