"""The benchmark suite: collabkg against raw pyoxigraph, rdflib and pySHACL, on synthetic corpora.

::

    python benchmarks/run.py                       # 10k, 100k and 1m triples
    python benchmarks/run.py --quick               # 10k only, in about a minute
    python benchmarks/run.py --sizes 10k,100k --json results.json

For each size, a corpus is generated (``benchmarks/generate.py``, seed 1) and
measured, side by side in one run:

- build: ``collabkg --data CORPUS build`` (parse, merge, validate, write
  Turtle), time and peak memory, against pyoxigraph loading the same files
  and dumping Turtle;
- validate: ``collabkg validate CORPUS`` (SHACL, parse included) against
  pyoxigraph loading the file, and pySHACL on an rdflib graph as the peers
  use it (for reference, capped);
- every canned query on the default store (``collabkg.query.run`` on the
  in-memory Oxigraph store) against the same SPARQL on raw pyoxigraph (the
  floor), both in one process with their runs interleaved (a sub-millisecond
  query varies by half between two processes), and on rdflib's own engine
  (capped at ``--rdflib-timeout`` seconds per query, run in a subprocess
  that is killed: "timeout");
- peak memory of loading the corpus and running every canned query, collabkg
  and raw pyoxigraph each in a process of its own;
- a cold ``collabkg query enablers-by-case`` from the shell on the bundled
  report, against ``python -c "import pyoxigraph"``;
- ``collabkg load CORPUS`` into an ``oxigraph serve`` on 127.0.0.1 (started
  and stopped here), into an empty graph against a raw Graph Store Protocol
  POST of the same N-Triples into an empty graph, and replacing a graph that
  holds the corpus (``--replace``: one Graph Store PUT) against a raw Graph
  Store PUT of the same N-Triples into a graph that holds them.

Each figure is the median of several runs (``--repeat``; a step that takes
more than 30 s runs once). Every measured step runs in a fresh process, so
that peak memory is its own. The script prints one table of figures and
ratios (with the targets of the performance issue) and writes all figures as
JSON. It is not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import cold_query  # beside this script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SRC = REPO / "src"
SLOW_STEP = 30.0  # seconds: a step slower than this runs once
MIN_QUERY_TIME = 0.5  # seconds: a fast query is run until its runs add up to this
MAX_QUERY_RUNS = 500
PYSHACL_CAP = 120.0  # seconds for the pySHACL reference

TARGETS = {
    "query": 1.5,  # every canned query, collabkg over raw pyoxigraph, at every size
    "cold": cold_query.TARGET_RATIO,  # cold canned query from the shell over `python -c "import pyoxigraph"`
    "validate": 10.0,  # SHACL of the 1M corpus, parse included, over pyoxigraph's load
    "load": 1.3,  # collabkg load into an empty graph over a raw Graph Store POST, from 100k triples
    "replace": 1.5,  # collabkg load --replace of a graph that holds triples over a raw Graph Store PUT, from 100k
    "memory": 2.0,  # peak memory building and querying the 1M corpus over pyoxigraph's own
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env




# --------------------------------------------------------------------------
# Children: each measured step runs in a fresh process and prints one JSON line
# --------------------------------------------------------------------------


def _maxrss_mb() -> float:
    """Peak resident memory of this process, in MB (ru_maxrss is in KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if platform.system() == "Darwin" else peak / 1024


def _child(action: str, args: list[str]) -> dict[str, object]:
    """Run one measured action in this process; the figures as a dict."""
    if action == "collabkg-build":
        corpus, output = args
        sys.path.insert(0, str(SRC))
        from collabkg.cli import main

        start = time.perf_counter()
        try:
            main(["--data", corpus, "build", "-o", output])
        finally:
            seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": _maxrss_mb()}
    if action == "pyoxigraph-build":
        corpus, output, ontology = args
        import pyoxigraph as ox

        start = time.perf_counter()
        store = ox.Store()
        store.load(path=ontology, format=ox.RdfFormat.TURTLE)
        store.load(path=corpus, format=ox.RdfFormat.from_extension(Path(corpus).suffix[1:]))
        store.dump(output, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
        return {"seconds": time.perf_counter() - start, "peak_mb": _maxrss_mb()}
    if action == "collabkg-validate":
        (corpus,) = args
        sys.path.insert(0, str(SRC))
        from collabkg.validate import validate

        start = time.perf_counter()
        report = validate([corpus])
        return {"seconds": time.perf_counter() - start, "conforms": report.conforms,
                "violations": len(report.violations), "peak_mb": _maxrss_mb()}
    if action == "pyoxigraph-load":
        (corpus,) = args
        import pyoxigraph as ox

        start = time.perf_counter()
        store = ox.Store()
        store.load(path=corpus, format=ox.RdfFormat.from_extension(Path(corpus).suffix[1:]))
        return {"seconds": time.perf_counter() - start, "triples": len(store), "peak_mb": _maxrss_mb()}
    if action == "pyshacl":
        corpus, ontology, shapes = args
        start = time.perf_counter()
        import pyshacl
        import rdflib

        data = rdflib.Graph().parse(corpus)
        parsed = time.perf_counter() - start
        conforms, _graph, _text = pyshacl.validate(
            data, shacl_graph=rdflib.Graph().parse(shapes), ont_graph=rdflib.Graph().parse(ontology),
            inference="none", allow_warnings=False, allow_infos=False,
        )
        return {"seconds": time.perf_counter() - start, "parse_seconds": parsed, "conforms": bool(conforms)}
    raise SystemExit(f"unknown child action {action!r}")


def _runner(kind: str, corpus: str, queries: dict[str, str]) -> Callable[[str], int]:
    """Load the corpus into one engine; a function that runs a query by name and counts its rows."""
    if kind == "collabkg":
        sys.path.insert(0, str(SRC))
        from collabkg import query as collabkg_query
        from collabkg.graph import KnowledgeGraph
        from collabkg.stores import open_store

        store = open_store(None, KnowledgeGraph([corpus]))

        def run(name: str) -> int:
            result = collabkg_query.run(name, store=store)
            return len(result) if hasattr(result, "__len__") else 1  # type: ignore[arg-type]

        return run
    if kind == "pyoxigraph":
        import pyoxigraph as ox

        graph = "https://w3id.org/collabkg/graph/"
        raw = ox.Store()
        raw.load(path=queries["__ontology__"], format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph + "ontology"))
        raw.load(path=corpus, format=ox.RdfFormat.from_extension(Path(corpus).suffix[1:]),
                 to_graph=ox.NamedNode(graph + "data"))

        def run(name: str) -> int:
            result = raw.query(queries[name], use_default_graph_as_union=True)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                return len([tuple(s[v] for v in names) for s in result])
            if isinstance(result, ox.QueryBoolean):
                return 1
            return len(list(result))

        return run
    import warnings

    sys.path.insert(0, str(SRC))
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores.rdflib_engine import RdflibStore

    warnings.simplefilter("ignore")
    rdflib_store = RdflibStore.from_graph(KnowledgeGraph([corpus]))

    def run(name: str) -> int:
        result = rdflib_store.query(queries[name])
        return len(result) if hasattr(result, "__len__") else 1  # type: ignore[arg-type]

    return run


def _query_worker(kind: str, corpus: str, queries_file: str) -> None:
    """Load the corpus, then run the queries named on stdin; one JSON line per answer.

    ``kind``: ``collabkg`` (``collabkg.query.run`` on the default store),
    ``pyoxigraph`` (the same SPARQL on a raw ``pyoxigraph.Store`` holding the
    same named graphs), ``rdflib`` (collabkg's rdflib store: rdflib's own
    engine), or ``paired``: collabkg and raw pyoxigraph in the same process,
    their runs interleaved, so that the ratio of the two is not the
    difference between two processes. A request ``{"name": N, "repeat": R}``
    runs query N R times (fewer if slow; paired, a fast one until its runs
    add up to MIN_QUERY_TIME); ``{"name": "__peak__"}`` asks for peak memory.
    """
    queries = json.loads(Path(queries_file).read_text())
    start = time.perf_counter()
    kinds = ["collabkg", "pyoxigraph"] if kind == "paired" else [kind]
    runners = [_runner(k, corpus, queries) for k in kinds]
    print(json.dumps({"load_seconds": time.perf_counter() - start}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request["name"] == "__peak__":
            print(json.dumps({"peak_mb": _maxrss_mb()}), flush=True)
            continue
        times: list[list[float]] = [[] for _ in runners]
        rows = 0
        while len(times[0]) < int(request["repeat"]) or (
            kind == "paired" and sum(times[0]) < MIN_QUERY_TIME and len(times[0]) < MAX_QUERY_RUNS
        ):
            for run, taken in zip(runners, times, strict=True):
                t = time.perf_counter()
                rows = run(request["name"])
                taken.append(time.perf_counter() - t)
            if sum(times[0]) > SLOW_STEP:
                break
        answer = {"seconds": statistics.median(times[0]), "runs": len(times[0]), "rows": rows}
        if kind == "paired":
            answer["raw_seconds"] = statistics.median(times[1])
        print(json.dumps(answer), flush=True)


def measure_child(action: str, args: list[str], timeout: float | None = None) -> dict[str, object] | None:
    """Run a child action in a new process; its figures, or None if it took longer than ``timeout``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", action, *args]
    process = subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None
    if process.returncode != 0:
        raise RuntimeError(f"{action} failed ({process.returncode}): {err.decode(errors='replace')[-2000:]}")
    return json.loads(out.decode().strip().splitlines()[-1])


def repeated(step: Callable[[], dict[str, object] | None], repeat: int, key: str = "seconds") -> dict[str, object] | None:
    """Run ``step`` up to ``repeat`` times (once if it is slow): the run with the median ``key``."""
    runs = []
    for _ in range(repeat):
        figures = step()
        if figures is None:
            return None
        runs.append(figures)
        if float(figures[key]) > SLOW_STEP:  # type: ignore[arg-type]
            break
    runs.sort(key=lambda f: float(f[key]))  # type: ignore[arg-type]
    median = dict(runs[(len(runs) - 1) // 2])
    median["runs"] = len(runs)
    if "peak_mb" in runs[0]:
        median["peak_mb"] = statistics.median(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
    return median


# --------------------------------------------------------------------------
# rdflib's engine, capped per query
# --------------------------------------------------------------------------


class QueryWorker:
    """A worker process holding the corpus in one engine; a query that takes too long kills it.

    The next query then starts a new worker (loading the corpus again).
    """

    def __init__(self, kind: str, corpus: str, queries_file: str, timeout: float) -> None:
        self.command = [sys.executable, str(Path(__file__).resolve()), "--query-worker", kind, corpus, queries_file]
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.load_seconds: list[float] = []
        self.peaks: list[float] = []
        self.killed = 0

    def _start(self) -> None:
        self.process = subprocess.Popen(self.command, env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        ready = self._read(timeout=None)
        if ready is None:
            raise RuntimeError(f"the query worker did not start: {' '.join(self.command)}")
        self.load_seconds.append(float(ready["load_seconds"]))  # type: ignore[arg-type]

    def _read(self, timeout: float | None) -> dict[str, object] | None:
        assert self.process is not None and self.process.stdout is not None
        if timeout is not None:
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            if not ready:
                return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def _ask(self, request: dict[str, object], timeout: float | None) -> dict[str, object] | None:
        if self.process is None:
            self._start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        return self._read(timeout)

    def query(self, name: str, repeat: int) -> dict[str, object] | str:
        """The figures of query ``name``, or "timeout"."""
        answer = self._ask({"name": name, "repeat": repeat}, self.timeout)
        if answer is None:
            self.killed += 1
            self.stop()
            return "timeout"
        return answer

    def stop(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
            self.process = None

    def finish(self) -> dict[str, object]:
        """Peak memory of the worker still running (if a query was killed, of a later one), then stop it."""
        if self.process is not None:
            answer = self._ask({"name": "__peak__"}, 60)
            if answer is not None:
                self.peaks.append(float(answer["peak_mb"]))  # type: ignore[arg-type]
        self.stop()
        return {
            "load_seconds": statistics.median(self.load_seconds) if self.load_seconds else None,
            "peak_mb": max(self.peaks) if self.peaks else None,
            "workers_killed": self.killed,
        }


def measure_queries(kind: str, corpus: Path, queries_file: Path, names: list[str], repeat: int,
                    timeout: float) -> dict[str, object]:
    worker = QueryWorker(kind, str(corpus), str(queries_file), timeout)
    try:
        figures = {name: worker.query(name, repeat) for name in names}
    finally:
        summary = worker.finish()
    return {**summary, "queries": figures}


# --------------------------------------------------------------------------
# collabkg load against a raw Graph Store POST
# --------------------------------------------------------------------------


def _drop_graphs(update_url: str, *graphs: str) -> None:
    update = " ; ".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs)
    request = urllib.request.Request(update_url, data=update.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    with urllib.request.urlopen(request, timeout=600):
        pass


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=1800,
                          check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return seconds


def measure_load(corpus: Path, work: Path, repeat: int) -> dict[str, object]:
    """``collabkg load`` into an empty graph, then replacing that graph, against a raw Graph Store POST and PUT."""
    sys.path.insert(0, str(SRC))
    from collabkg.serve import OxigraphServer, ServeError

    folder = Path(tempfile.mkdtemp(prefix="server-", dir=work))
    try:
        server = OxigraphServer(folder)
    except ServeError as error:
        shutil.rmtree(folder, ignore_errors=True)
        return {"available": False, "why": str(error)}
    target, raw_target = "https://example.org/bench/collabkg", "https://example.org/bench/raw"
    media = "application/n-triples" if corpus.suffix == ".nt" else "text/turtle"
    raw_url = f"{server.store_url}?graph={raw_target}"
    curl = shutil.which("curl")
    def raw_request(method: str) -> list[str]:
        if curl:
            return [curl, "-sS", "-f", "-X", method, "-H", f"Content-Type: {media}", "--data-binary",
                    f"@{corpus}", raw_url]
        send = ("import sys,urllib.request as u;u.urlopen(u.Request(sys.argv[1],data=open(sys.argv[2],'rb').read(),"
                "method=sys.argv[4],headers={'Content-Type':sys.argv[3]}),timeout=1800)")
        return [sys.executable, "-c", send, raw_url, str(corpus), media, method]

    raw, raw_put = raw_request("POST"), raw_request("PUT")
    ours = [*cold_query.collabkg_command()[0], "load", str(corpus), "--endpoint", server.query_url, "--graph", target]
    try:
        empty_times, replace_times, raw_times, raw_put_times = [], [], [], []
        for _ in range(repeat):  # interleaved
            _drop_graphs(server.update_url, target, raw_target)
            empty_times.append(_timed(ours))  # straight into the empty graph
            replace_times.append(_timed(ours))  # the graph holds the corpus: one Graph Store PUT
            _drop_graphs(server.update_url, target, raw_target)
            raw_times.append(_timed(raw))  # into an empty graph
            raw_put_times.append(_timed(raw_put))  # the graph holds the corpus: replaced by the same
            if replace_times[-1] > SLOW_STEP:
                break
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {"available": True, "collabkg_s": statistics.median(empty_times),
            "collabkg_replace_s": statistics.median(replace_times),
            "raw_post_s": statistics.median(raw_times), "raw_put_s": statistics.median(raw_put_times),
            "runs": len(raw_times),
            "raw_client": "curl" if curl else "python urllib"}


# --------------------------------------------------------------------------
# The suite
# --------------------------------------------------------------------------


def measure_size(label: str, triples: int, work: Path, args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, object]:
    sys.path.insert(0, str(SRC))
    sys.path.insert(0, str(HERE))
    import generate

    from collabkg import bundle
    from collabkg.catalogue import catalogue
    from collabkg.query import bind

    corpus = work / f"corpus-{label}.nt"
    start = time.perf_counter()
    bundled, nodes = generate.generate(triples, args.seed)
    generate.write(corpus, generate.lines(bundled, nodes, "nt"))
    result: dict[str, object] = {"triples": sum(1 for _ in corpus.open("rb")),
                                 "generate_s": time.perf_counter() - start}
    ontology, shapes = str(bundle.ontology_path()), str(bundle.shapes_path())
    repeat = args.repeat

    log(f"{label}: build")
    out = work / f"build-{label}.ttl"
    result["build"] = {
        "collabkg": repeated(lambda: measure_child("collabkg-build", [str(corpus), str(out)]), repeat),
        "pyoxigraph": repeated(lambda: measure_child("pyoxigraph-build", [str(corpus), str(out), ontology]), repeat),
    }
    log(f"{label}: validate")
    result["validate"] = {
        "collabkg": repeated(lambda: measure_child("collabkg-validate", [str(corpus)]), repeat),
        "pyoxigraph_load": repeated(lambda: measure_child("pyoxigraph-load", [str(corpus)]), repeat),
    }
    if not args.no_pyshacl:
        log(f"{label}: pySHACL reference (capped at {PYSHACL_CAP:g} s)")
        reference = measure_child("pyshacl", [str(corpus), ontology, shapes], timeout=PYSHACL_CAP)
        result["validate"]["pyshacl_rdflib"] = reference if reference is not None else "timeout"  # type: ignore[index]

    log(f"{label}: canned queries, on the default store and on raw pyoxigraph")
    texts = {name: bind(canned, {}) for name, canned in catalogue().items()}
    names = sorted(texts)
    queries_file = work / "queries.json"
    queries_file.write_text(json.dumps({**texts, "__ontology__": ontology}))
    result["queries"] = {
        kind: measure_queries(kind, corpus, queries_file, names, repeat, args.query_timeout)
        for kind in ("collabkg", "pyoxigraph", "paired")
    }
    if label in args.rdflib_sizes:
        log(f"{label}: rdflib's engine (capped at {args.rdflib_timeout:g} s per query)")
        result["queries"]["rdflib"] = measure_queries(  # type: ignore[index]
            "rdflib", corpus, queries_file, names, repeat, args.rdflib_timeout)

    log(f"{label}: collabkg load against a raw Graph Store POST")
    result["load"] = measure_load(corpus, work, repeat)
    return result


def ratio(a: object, b: object) -> float | None:
    try:
        return float(a) / float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def seconds_of(figures: object) -> object:
    """The seconds of a measure, "timeout", or None."""
    if isinstance(figures, dict):
        return figures.get("seconds")
    return figures


def table(results: dict[str, object]) -> list[list[str]]:
    """Rows of the printed table: measure, size, collabkg, floor, ratio, target."""
    rows: list[list[str]] = []

    def add(measure: str, size: str, ours: str, floor: str, r: float | None, target: float | None,
            judged: bool = True) -> None:
        verdict = ""
        if target is not None and r is not None and judged:
            verdict = "ok" if r <= target else "MISSED"
        rows.append([measure, size, ours, floor, f"{r:.2f}x" if r is not None else "n/a",
                     f"<= {target:g}x {verdict}".strip() if target is not None else ""])

    def s(x: object) -> str:
        return "timeout" if x == "timeout" else (f"{float(x):.3f} s" if x is not None else "n/a")  # type: ignore[arg-type]

    def ms(x: object) -> str:
        return "timeout" if x == "timeout" else (f"{float(x) * 1000:.2f} ms" if x is not None else "n/a")  # type: ignore[arg-type]

    def mb(x: object) -> str:
        return f"{float(x):.0f} MB" if x is not None else "n/a"  # type: ignore[arg-type]

    sizes: dict[str, dict] = results["sizes"]  # type: ignore[assignment]
    for label, figures in sizes.items():
        size = f"{label} ({figures['triples']:,})"
        build = figures["build"]
        add("build: time (vs pyoxigraph load + dump)", size, s(build["collabkg"]["seconds"]),
            s(build["pyoxigraph"]["seconds"]), ratio(build["collabkg"]["seconds"], build["pyoxigraph"]["seconds"]), None)
        add("build: peak memory", size, mb(build["collabkg"]["peak_mb"]), mb(build["pyoxigraph"]["peak_mb"]),
            ratio(build["collabkg"]["peak_mb"], build["pyoxigraph"]["peak_mb"]), TARGETS["memory"], label == "1m")
        v = figures["validate"]
        add("validate, parse incl. (vs pyoxigraph load)", size, s(v["collabkg"]["seconds"]),
            s(v["pyoxigraph_load"]["seconds"]), ratio(v["collabkg"]["seconds"], v["pyoxigraph_load"]["seconds"]),
            TARGETS["validate"], label == "1m")
        if "pyshacl_rdflib" in v:
            ref = v["pyshacl_rdflib"]
            seconds = ref if ref == "timeout" else ref["seconds"]
            add("  pySHACL on rdflib, parse incl. (reference)", size, s(seconds), s(v["pyoxigraph_load"]["seconds"]),
                ratio(seconds, v["pyoxigraph_load"]["seconds"]), None)
        q = figures["queries"]
        add("query: load corpus (default store vs raw)", size, s(q["collabkg"]["load_seconds"]),
            s(q["pyoxigraph"]["load_seconds"]), ratio(q["collabkg"]["load_seconds"], q["pyoxigraph"]["load_seconds"]), None)
        add("query: peak memory, load + all queries", size, mb(q["collabkg"]["peak_mb"]), mb(q["pyoxigraph"]["peak_mb"]),
            ratio(q["collabkg"]["peak_mb"], q["pyoxigraph"]["peak_mb"]), TARGETS["memory"], label == "1m")
        for name, pair in q["paired"]["queries"].items():
            # collabkg and raw pyoxigraph timed in one process, runs interleaved
            ours = seconds_of(pair)
            raw = pair["raw_seconds"] if isinstance(pair, dict) else pair
            add(f"query {name}", size, ms(ours), ms(raw), ratio(ours, raw), TARGETS["query"])
            if "rdflib" in q:
                theirs = seconds_of(q["rdflib"]["queries"].get(name))
                add("  on rdflib's engine", size, ms(theirs), ms(raw), ratio(theirs, raw), None)
        if "rdflib" not in q:
            rows.append(["  (rdflib's engine: not run at this size, see --rdflib-sizes)", size, "", "", "", ""])
        load = figures["load"]
        if load.get("available"):
            add("collabkg load into an empty graph (vs raw Graph Store POST)", size, s(load["collabkg_s"]),
                s(load["raw_post_s"]), ratio(load["collabkg_s"], load["raw_post_s"]), TARGETS["load"],
                label != "10k")  # at 10k, starting Python is most of it
            add("collabkg load --replace of a graph that holds it (vs raw Graph Store PUT)", size,
                s(load["collabkg_replace_s"]), s(load["raw_put_s"]), ratio(load["collabkg_replace_s"], load["raw_put_s"]),
                TARGETS["replace"], label != "10k")
        else:
            rows.append(["collabkg load (vs raw Graph Store POST)", size, "n/a", "n/a", "n/a", f"({load.get('why')})"])
    cold = results.get("cold_query")
    if isinstance(cold, dict):
        add("cold `collabkg query enablers-by-case` (vs import pyoxigraph)", "report",
            s(cold["cold_query_s"]), s(cold["import_pyoxigraph_s"]), float(cold["ratio"]), TARGETS["cold"])
    return rows


def print_table(rows: list[list[str]]) -> None:
    header = ["measure", "size", "collabkg", "floor", "ratio", "target"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<%d}" % w for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(json.dumps(_child(argv[1], argv[2:])))
        return 0
    if argv[:1] == ["--query-worker"]:
        _query_worker(*argv[1:4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="corpus sizes (default 10k,100k,1m)")
    parser.add_argument("--quick", action="store_true", help="10k only, fewer runs: about a minute")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measure, median taken (default 5; 3 quick)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds per query on rdflib (default 60)")
    parser.add_argument("--rdflib-sizes", default="10k,100k",
                        help="sizes at which to run rdflib's engine (default 10k,100k: at 100k most queries "
                        "already take tens of seconds); '' for none")
    parser.add_argument("--query-timeout", type=float, default=300.0,
                        help="seconds per canned query on collabkg and raw pyoxigraph (default 300)")
    parser.add_argument("--no-pyshacl", action="store_true", help="skip the pySHACL reference")
    parser.add_argument("--cold-runs", type=int, default=None, help="cold query runs (default 11; 5 quick)")
    parser.add_argument("--json", type=Path, default=Path("benchmark-results.json"), metavar="FILE",
                        help="where to write the figures (default benchmark-results.json)")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a temporary folder)")
    args = parser.parse_args(argv)
    args.rdflib_sizes = {x.strip().lower() for x in args.rdflib_sizes.split(",") if x.strip()}
    sys.path.insert(0, str(HERE))
    from generate import parse_size

    labels = ["10k"] if args.quick else [x.strip().lower() for x in args.sizes.split(",") if x.strip()]
    sizes = {label: parse_size(label) for label in labels}
    args.repeat = args.repeat or (3 if args.quick else 5)
    cold_runs = args.cold_runs or (5 if args.quick else 11)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="collabkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "repeat": args.repeat,
        "targets": TARGETS,
        "sizes": {},
    }
    try:
        for label, triples in sizes.items():
            results["sizes"][label] = measure_size(label, triples, work, args, log)  # type: ignore[index]
        log("cold query from the shell")
        results["cold_query"] = cold_query.measure(cold_runs)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    results["seconds"] = time.perf_counter() - started
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print_table(table(results))
    print(f"\nfigures written to {args.json} ({results['seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
