"""Hostile input: every verb refuses it in one line and bounded time and memory, or reads it right.

The first part has a test per finding of the hostile-input review, each with
the exact first line of the message and the exit code. The second
(:func:`test_every_verb_survives_the_hostile_corpus`, slow) runs each verb
over a corpus of hostile files in subprocesses and checks, for every pair:
a documented exit code, no traceback, no partial output, memory under
500 MB. ``python tests/test_hostile.py`` prints that corpus's table.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import FIXTURES, REPO, Result, run_collabkg, subprocess_env  # noqa: E402

from collabkg import bundle  # noqa: E402
from collabkg.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY  # noqa: E402
from collabkg.readers import iter_quads  # noqa: E402
from collabkg.stats import stats  # noqa: E402

HOSTILE = FIXTURES / "hostile"
MiB = 1024 * 1024
MEMORY_LIMIT = 500 * MiB

LONG_LINE = (
    "a literal or IRI longer than 16777216 bytes (16 MiB), the limit of the RDF parser; collabkg cannot read it"
)


def big_literal(path: Path, size: int) -> Path:
    """An N-Triples file of one triple whose literal is ``size`` bytes, after a good first line."""
    with path.open("wb") as stream:
        stream.write(b'<https://x/a> <https://x/b> "short" .\n<https://x/a> <https://x/b> "')
        block = b"A" * MiB
        for _ in range(size // MiB):
            stream.write(block)
        stream.write(b"A" * (size % MiB) + b'" .\n')
    return path


@pytest.fixture(scope="session")
def literal_50mb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 50 MB literal of the review, written once per session."""
    return big_literal(tmp_path_factory.mktemp("big") / "big-literal.nt", 50 * 1000 * 1000)


NO_REPORT = (
    "the data ({}) holds no report and no case study (no ckg:Report, no ckg:CaseStudy); is the path right?"
)


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


# --------------------------------------------------------------------------
# 1. A literal longer than the parser's buffer
# --------------------------------------------------------------------------


def test_a_literal_over_16_mib_is_refused_with_its_file_line_and_limit(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = big_literal(tmp_path / "long.nt", 17 * MiB)
    for args in (["validate", str(path)], ["--data", str(path), "stats"], ["--data", str(path), "query", "participants-by-case"]):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", f"collabkg: error: {path}:2: {LONG_LINE}\n"
        ), args


# --------------------------------------------------------------------------
# 2. Entity expansion bombs and external entities
# --------------------------------------------------------------------------


def test_billion_laughs_is_refused_at_once(cli: Callable[..., Result]) -> None:
    path = HOSTILE / "billion-laughs.rdf"
    for args in (["validate", str(path)], ["--data", str(path), "stats"], ["--data", str(path), "export"]):
        started = time.perf_counter()
        result = cli(*args)
        assert time.perf_counter() - started < 2, args
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"collabkg: error: {path}:12: XML entity 'lol9' would expand to more than 10000000 characters "
            "(an entity expansion bomb); refused\n",
        ), args


def test_quadratic_blowup_is_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    """One entity of 100 kB used 200 times: no nesting, still 20 MB of text."""
    path = tmp_path / "quadratic.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY big "' + "x" * 100_000 + '">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://x/">\n'
        '<rdf:Description rdf:about="https://x/a"><ex:b>' + "&big;" * 200 + "</ex:b></rdf:Description>\n</rdf:RDF>\n"
    )
    result = cli("validate", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"collabkg: error: {path}:3: XML entity 'big' would expand to more than 10000000 characters "
        "(an entity expansion bomb); refused\n",
    )


def test_external_and_recursive_entities_are_refused(cli: Callable[..., Result]) -> None:
    xxe, recursive = HOSTILE / "xxe.rdf", HOSTILE / "recursive-entity.rdf"
    result = cli("validate", str(xxe))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"collabkg: error: {xxe}:3: external XML entity 'xxe' refused: "
        "collabkg never reads files or URLs an entity names\n",
    )
    result = cli("--data", str(recursive), "stats")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"collabkg: error: {recursive}:3: XML entity 'a' refers to itself\n"
    )


def test_internal_entities_of_ordinary_size_still_read(cli: Callable[..., Result], tmp_path: Path) -> None:
    """OWL files declare their namespaces as entities: that stays legal."""
    path = tmp_path / "entities.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY ex "https://example.org/">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">\n'
        '<rdf:Description rdf:about="&ex;a"><ex:b rdf:resource="&ex;c"/></rdf:Description>\n</rdf:RDF>\n'
    )
    result = cli("--data", str(path), "export", "--graph", "data", "--format", "nt")
    assert (result.exit_code, result.stderr) == (0, f"collabkg: export: warning: {NO_REPORT.format(path)}\n")
    assert result.stdout == "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"


# --------------------------------------------------------------------------
# 3. Ill-typed literals
# --------------------------------------------------------------------------


@pytest.fixture
def seven(tmp_path: Path) -> Path:
    """The bundled data with Northumbria's participant count written "seven"^^xsd:integer."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    case = data / "cases" / "northumbria.ttl"
    text = case.read_text(encoding="utf-8")
    assert "ckg:participantCount 7 ;" in text
    case.write_text(text.replace("ckg:participantCount 7 ;", 'ckg:participantCount "seven"^^xsd:integer ;'))
    return data


def test_an_ill_typed_value_is_a_violation_shown_once_without_a_traceback(seven: Path) -> None:
    result = run_collabkg("validate", str(seven))
    assert (result.returncode, result.stderr) == (1, b"")

    def violation(number: int, component: str) -> str:
        return (
            f"{number}. Violation: Responding to COVID-19 in Northumbria (case:northumbria)\n"
            "   path:    ckg:participantCount\n"
            '   value:   "seven"^^xsd:integer (not a valid xsd:integer)\n'
            "   message: A case study has at most one ckg:participantCount, a non-negative integer.\n"
            f"   shape:   cks:CaseStudy-participantCount ({component})\n"
        )

    # the one value breaks two constraints of the one shape
    assert result.stdout.decode() == (
        "Does not conform: 2 violations.\n\n"
        + violation(1, "MinInclusiveConstraintComponent")
        + "\n"
        + violation(2, "OrConstraintComponent")
    )


def test_stats_says_which_values_it_left_out_of_a_sum(seven: Path, cli: Callable[..., Result]) -> None:
    result = run_collabkg("--data", str(seven), "stats")
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0
    assert stderr.splitlines() == [
        "collabkg: stats: warning: 1 participant count(s) are not numbers and were left out of the sums:",
        '  case:northumbria "seven"^^xsd:integer',
    ]
    # the bundled table, less Northumbria's 7 participants (Table 1), with the count of values left out
    bundled = cli("stats").stdout.splitlines()
    at = bundled.index("participants (sum over cases)    37")
    assert bundled[at + 1] == "participants (stated total)      37"
    assert stdout.splitlines() == [
        *bundled[:at],
        "participants (sum over cases)    30",
        "  not numbers, left out           1",
        "participants (stated total)      37",
        *bundled[at + 2 :],
    ]


# --------------------------------------------------------------------------
# 4. Data that holds no report
# --------------------------------------------------------------------------


def test_empty_data_is_said_to_hold_no_report(cli: Callable[..., Result], tmp_path: Path) -> None:
    empty = HOSTILE / "empty.ttl"
    warning = "warning: " + NO_REPORT.format(empty)
    validate = cli("validate", str(empty))
    assert (validate.exit_code, validate.stdout, validate.stderr) == (
        0, "Conforms: no violations.\n", f"collabkg: validate: {warning}\n"
    )
    ontology = len({q.triple for q in iter_quads([bundle.ontology_path()])})
    stats = cli("--data", str(empty), "stats")
    assert (stats.exit_code, stats.stderr) == (0, f"collabkg: stats: {warning}\n")
    zero = [
        "case studies", "organisations", "organisation groups", "participants (sum over cases)",
    ]
    assert stats.stdout.splitlines() == [
        *(f"{label:<29}{0:>5}" for label in zero),
        f"{'participants (stated total)':<29}{'-':>5}",
        *(
            f"{label:<29}{0:>5}"
            for label in (
                "themes", "factors", "dimensions", "poles", "illustrative examples", "quotations",
                "quantitative facts", "assertions",
            )
        ),
        f"{'triples':<29}{ontology:>5}",
        f"{'  ontology':<29}{ontology:>5}",
        f"{'  data':<29}{0:>5}",
    ]
    output = tmp_path / "kg.ttl"
    build = cli("--data", str(empty), "build", "-o", str(output))
    assert (build.exit_code, build.stdout, build.stderr) == (
        0, f"wrote {output} ({ontology} triples)\n", f"collabkg: build: {warning}\n"
    )
    assert len(list(ox.parse(path=output, format=ox.RdfFormat.TURTLE))) == ontology  # the ontology alone
    bundled = cli("stats")
    assert (bundled.exit_code, bundled.stderr) == (0, "")


# --------------------------------------------------------------------------
# 5. JSON-LD with a remote context
# --------------------------------------------------------------------------


def test_a_remote_json_ld_context_is_refused_in_words(cli: Callable[..., Result]) -> None:
    path = HOSTILE / "remote-context.jsonld"
    result = cli("validate", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"collabkg: error: {path}: the JSON-LD @context (https://schema.org/) is remote, and collabkg does not "
        'fetch remote contexts; inline it: replace the URL by the context object it serves ("@context": {...})\n',
    )


# --------------------------------------------------------------------------
# 6. SPARQL of one's own: the project's prefixes, and errors in one line
# --------------------------------------------------------------------------


def test_sparql_text_and_files_get_the_projects_prefixes(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("query", "--sparql", "SELECT ?c WHERE { ?c a ckg:CaseStudy } ORDER BY ?c", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    cases = [  # the six of Table 1, by IRI
        "homelessness-prevention", "kent-fire-rescue", "nightingale-courts", "northumbria", "stepping-up",
        "vibrant-communities",
    ]
    assert result.stdout.splitlines() == ["c", *(f"https://w3id.org/collabkg/id/case/{c}" for c in cases)]
    own = tmp_path / "own.rq"
    own.write_text("PREFIX ckg: <https://example.org/other#>\nASK { ?c a ckg:CaseStudy }\n")
    asked = cli("query", str(own))
    assert (asked.exit_code, asked.stdout, asked.stderr) == (1, "false\n", "")  # its own ckg: wins
    file = tmp_path / "cases.rq"
    file.write_text("SELECT (COUNT(?c) AS ?n) WHERE { ?c a ckg:CaseStudy }\n")
    counted = cli("query", str(file), "--format", "csv")
    assert (counted.exit_code, counted.stdout.splitlines(), counted.stderr) == (0, ["n", "6"], "")


def test_a_sparql_syntax_error_is_one_line_in_the_users_lines(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("query", "--sparql", "SELECT ?c WHERE { ?c a foo:CaseStudy }")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "collabkg: error: SPARQL syntax error at line 1, column 24: "
        "undeclared prefix 'foo:' (declare it: PREFIX foo: <IRI>)\n",
    )
    path = tmp_path / "bad.rq"
    path.write_text("# a query\nSELECT ?c WHERE {\n  ?c a ckg:CaseStudy ) }\n")
    result = cli("query", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"collabkg: error: {path}: SPARQL syntax error at line 3, column 22 (near ') }}'): unexpected ')'\n",
    )


# --------------------------------------------------------------------------
# 7. Messages that mislead
# --------------------------------------------------------------------------


def test_output_paths_are_checked_before_any_work(cli: Callable[..., Result], tmp_path: Path) -> None:
    afile, adir = tmp_path / "afile", tmp_path / "adir"
    afile.write_text("a file\n")
    adir.mkdir()
    build = cli("build", "-o", str(afile / "x.ttl"))
    assert (build.exit_code, build.stderr) == (
        2,
        f"collabkg: error: {afile / 'x.ttl'}: cannot write: {afile} is a file, not a folder\n",
    )
    folder = f"cannot write: a folder, not a file; give a file name, such as {adir / 'NAME'}"
    export = cli("export", "-o", str(adir))
    assert (export.exit_code, export.stderr) == (2, f"collabkg: error: {adir}: {folder}\n")
    started = time.perf_counter()
    reason = cli("reason", "-o", str(adir))
    assert time.perf_counter() - started < 1.5  # before any reasoning
    assert (reason.exit_code, reason.stderr) == (2, f"collabkg: error: {adir}: {folder}\n")
    docs = cli("docs", "-o", str(afile / "site"))
    assert (docs.exit_code, docs.stderr) == (
        2,
        f"collabkg: error: {afile / 'site'}: cannot write: {afile} is a file, not a folder\n",
    )
    assert [r.stdout for r in (build, export, reason, docs)] == ["", "", "", ""]
    assert afile.read_text() == "a file\n" and list(adir.iterdir()) == []  # nothing written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "afile"]


def test_serve_refuses_an_unknown_address_before_any_warning(cli: Callable[..., Result]) -> None:
    result = cli("serve", "--bind", "999.1.1.1")
    assert (result.exit_code, result.stdout) == (2, "")
    # one line, and no warning about binding beyond loopback; the reason in parentheses is the system's
    line = r"collabkg: error: --bind 999\.1\.1\.1: unknown address \([^\n()]+\)\n"
    assert re.fullmatch(line, result.stderr), result.stderr


def test_choices_show_as_a_value_that_must_be_given(cli: Callable[..., Result]) -> None:
    shown = cli("validate", "--help")
    assert (shown.exit_code, shown.stderr) == (0, "")
    lines = shown.stdout.splitlines()
    assert lines[0] == "usage: collabkg validate [-h] [--format {text,turtle,json}] [PATH ...]"
    at = lines.index("  --format {text,turtle,json}")
    assert lines[at + 1] == " " * 24 + "Report format. [default: text]"
    assert "[text|turtle|json]" not in shown.stdout
    assert "--format {text,turtle,json}" in (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def test_the_documented_export_of_all_graphs_works_without_reason_first(tmp_path: Path) -> None:
    """``collabkg export --graph all -o kg.trig`` computes the inferences when none were written."""
    result = run_collabkg("export", "--graph", "all", "-o", "kg.trig", cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert re.fullmatch(
        r"collabkg: export: note: dist/inferred\.ttl not found, so the inferences were computed now "
        r"\(HermiT, \d+\.\d s\); 'collabkg reason' writes them once for every later export\n",
        stderr,
    ), stderr
    quads = list(ox.parse(path=tmp_path / "kg.trig", format=ox.RdfFormat.TRIG))
    assert result.stdout.decode() == f"wrote kg.trig ({len(quads)} quads, TriG)\n"
    assert {q.graph_name.value for q in quads} == {GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.trig"]  # export writes only its output
    missing = run_collabkg("export", "--graph", "all", "--inferred-file", "none.ttl", cwd=tmp_path)
    assert (missing.returncode, missing.stdout) == (2, b"")  # a file named by the user must exist
    assert missing.stderr.decode() == (
        "collabkg: error: none.ttl: no inferred graph here; run 'collabkg reason' first (it writes one)\n"
    )


@pytest.mark.slow
def test_serve_in_the_background_of_a_script_stops_on_sigint(tmp_path: Path) -> None:
    """A shell starts 'collabkg serve &' with SIGINT ignored; SIGINT stops it all the same, as SIGTERM does."""

    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    process = subprocess.Popen(
        [sys.executable, "-m", "collabkg", "serve", "--port", "0"],
        cwd=tmp_path,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=ignore_sigint,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        lines = []
        for line in process.stdout:  # wait until it serves
            lines.append(line.decode())
            if line.startswith(b"press Ctrl-C"):
                break
        stopped = process.poll() is not None
        assert lines[-1:] == ["press Ctrl-C to stop\n"], (lines, process.stderr.read() if stopped else "")
        assert lines[0] == f"serving {stats().triples} triples (ontology, data), read-only\n"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert (process.stdout.read(), process.stderr.read()) == (b"stopped\n", b"")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------
# 8. Progress: on a terminal only
# --------------------------------------------------------------------------


def test_progress_is_shown_only_when_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from collabkg import progress

    shown = io.StringIO()
    monkeypatch.setattr(sys, "stderr", shown)
    assert not progress.wanted(None)  # not a terminal
    monkeypatch.setattr(shown, "isatty", lambda: True, raising=False)
    assert progress.wanted("text") and not progress.wanted("json")
    monkeypatch.setattr(progress, "DELAY", 0.05)
    with progress.stage("reasoning"):
        time.sleep(0.01)
    assert shown.getvalue() == ""  # not enabled: the Python API never shows a bar
    progress.configure(True)
    try:
        with progress.stage("parsing", total=progress.QUICK_BYTES - 1):
            time.sleep(0.2)
        assert shown.getvalue() == ""  # too few bytes to take long: never shown
        monkeypatch.setattr(progress, "QUICK_BYTES", 100)
        with progress.stage("reasoning"):
            time.sleep(0.7)
        with progress.stage("parsing", total=100) as bar:
            time.sleep(0.1)
            bar.update(100)
    finally:
        progress.configure(False)
    # a stage with no steps shows its time; one with steps, its bar; each is taken off the line at the end
    assert re.fullmatch(
        r"(\rreasoning: 00:00)+\r +\r\rparsing: 100%\|#+\| 100/100 \[00:00<00:00, [^\]\n]+\]\r +\r",
        shown.getvalue(),
    ), repr(shown.getvalue())


def test_no_progress_on_a_pipe(tmp_path: Path) -> None:
    output = tmp_path / "kg.ttl"
    result = run_collabkg("build", "-o", str(output))
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode() == f"wrote {output} ({stats().triples} triples)\n"


# --------------------------------------------------------------------------
# The corpus: every verb over every hostile input, in subprocesses
# --------------------------------------------------------------------------

EXITS = {
    "validate": {0, 1, 2},
    "stats": {0, 2},
    "build": {0, 1, 2},
    "export": {0, 2},
    "query": {0, 1, 2},
    "qc": {0, 1, 2},
    "docs": {0, 2},
    "reason": {0, 1, 2},
    "load": {2},  # nothing listens on the endpoint: always 2, after reading the input
}
"""The exit codes each verb documents (commands.py)."""


def verb_args(verb: str, data: Path, output: Path) -> tuple[list[str], Path | None]:
    """The command line of ``verb`` over ``data``, and the output it would write."""
    given = ["--data", str(data)]
    if verb == "validate":
        return ["validate", str(data), "--format", "json"], None
    if verb == "stats":
        return [*given, "stats"], None
    if verb == "build":
        return [*given, "build", "-o", str(output / "kg.ttl")], output / "kg.ttl"
    if verb == "export":
        return [*given, "export", "-o", str(output / "kg.trig")], output / "kg.trig"
    if verb == "query":
        return [*given, "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], None
    if verb == "qc":
        return [*given, "qc"], None
    if verb == "docs":
        return [*given, "docs", "-o", str(output / "site")], output / "site"
    if verb == "reason":
        return [*given, "reason", "--reasoner", "owlrl", "-o", str(output / "inferred.ttl")], output / "inferred.ttl"
    if verb == "load":
        return ["load", str(data), "--endpoint", "http://127.0.0.1:9/query", "--retries", "1", "--timeout", "5"], None
    raise AssertionError(verb)


def corpus(tmp: Path, literal: Path) -> dict[str, Path]:
    """Name -> hostile input: the small fixtures, and what is made here (big, folders, missing)."""
    inputs = {path.name: path for path in sorted(HOSTILE.iterdir())}
    inputs["50 MB literal"] = literal
    empty_folder = tmp / "empty-folder"
    empty_folder.mkdir(exist_ok=True)
    inputs["empty folder"] = empty_folder
    inputs["missing path"] = tmp / "no-such-file.ttl"
    return inputs


@dataclass(frozen=True)
class Run:
    input: str
    verb: str
    exit_code: int
    stderr: str
    seconds: float
    max_rss: int
    """Peak resident memory of the process, bytes."""
    output_left: bool
    """Whether the verb's output exists after a failure (it must not)."""


def run_one(name: str, data: Path, verb: str, work: Path) -> Run:
    output = work / f"{verb}-{name.replace(' ', '-')}"
    output.mkdir(parents=True)
    args, target = verb_args(verb, data, output)
    started = time.perf_counter()
    with (output.parent / f"{output.name}.err").open("w+b") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "collabkg", *args],
            cwd=output,
            env=subprocess_env(COLUMNS="200"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(
        name,
        verb,
        process.returncode,
        stderr,
        time.perf_counter() - started,
        usage.ru_maxrss * 1024,
        process.returncode != 0 and target is not None and target.exists(),
    )


def run_corpus(tmp: Path, literal: Path, workers: int = 4) -> list[Run]:
    inputs = corpus(tmp, literal)
    work = tmp / "runs"
    pairs = [(name, path, verb) for name, path in inputs.items() for verb in EXITS]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda pair: run_one(*pair, work), pairs))


def digest(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


@pytest.mark.slow
def test_every_verb_survives_the_hostile_corpus(tmp_path: Path, literal_50mb: Path) -> None:
    inputs = sorted([*HOSTILE.iterdir(), literal_50mb, *(REPO / "data").rglob("*.ttl")])
    before = digest(inputs)
    runs = run_corpus(tmp_path, literal_50mb)
    assert digest(inputs) == before  # no input, and no bundled data, was changed
    problems = []
    for run in runs:
        where = f"{run.verb} on {run.input}"
        if run.exit_code not in EXITS[run.verb]:
            problems.append(f"{where}: exit {run.exit_code}: {first_line(run.stderr)}")
        if "Traceback" in run.stderr:
            problems.append(f"{where}: a traceback")
        if run.output_left:
            problems.append(f"{where}: output left after exit {run.exit_code}")
        if run.max_rss > MEMORY_LIMIT:
            problems.append(f"{where}: {run.max_rss // MiB} MB of memory")
        if run.exit_code == 2 and run.stderr.count("\n") != 1 and run.verb != "load":
            problems.append(f"{where}: not one line: {run.stderr!r}")
        if "root:x:0:0" in run.stderr:
            problems.append(f"{where}: leaked /etc/passwd")
    assert not problems, "\n".join(problems)


if __name__ == "__main__":  # the table of the corpus, in Markdown
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        runs = run_corpus(tmp, big_literal(tmp / "big-literal.nt", 50 * 1000 * 1000))
        print("| input | verb | exit | first line of stderr | s | MB |")
        print("|---|---|---|---|---|---|")
        for run in runs:
            line = first_line(run.stderr).replace(str(tmp) + "/", "").replace(str(HOSTILE) + "/", "")
            line = line.replace("|", "\\|")
            print(
                f"| {run.input} | {run.verb} | {run.exit_code} | {line} | {run.seconds:.1f} | {run.max_rss // MiB} |"
            )
