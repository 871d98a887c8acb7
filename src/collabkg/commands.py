"""The commands of ``collabkg``: each one's options, and the verb it calls.

Declarations only: each command is one ``*_command(args)`` function,
registered with its options by ``@_command``, whose docstring is its help
and which maps the arguments to one verb's function. :mod:`collabkg.cli`
makes the parser from :data:`COMMANDS` and runs one. Choices come from the
enums and tables that define them; an option that needs a verb's module is
written as a function, called only when its command runs, so that each verb
is imported by its own command alone.

One module of more than the usual size because it is one table: a
declaration per command, and nothing else.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from collabkg.formats import RdfFormat
from collabkg.graph import DEFAULT_INFERRED, GraphChoice
from collabkg.namespaces import GRAPH_INFERRED, GRAPH_LOAD_TARGET
from collabkg.outcome import Exit, Outcome
from collabkg.query import QueryList
from collabkg.results import ResultFormat
from collabkg.stores import SELECTORS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from collabkg.stores import RemoteOptions

    Command = Callable[[argparse.Namespace], Outcome]
    Option = tuple[tuple[str, ...], dict[str, Any]]
    LazyOption = Option | Callable[[], Option]

ABOUT = """\
collabkg: the report "Collaboration Executive Summary" as an RDF knowledge graph.

The graph is the bundled OWL ontology plus the report's data; --data
replaces the data with your own files or folders (Turtle, N-Triples,
N-Quads, TriG, JSON-LD, RDF/XML), and --add adds files or folders to it.

Exit codes: 0 ok; 1 data does not conform, a check failed or ASK said false;
2 bad input, usage or a server that refused; 130 interrupted."""

COMMANDS: dict[str, tuple[Command, str | None, tuple[LazyOption, ...]]] = {}
"""Each command: the function that calls its verb, its line in the list, its options."""


class _Range:
    """An argparse type: an ``int`` or ``float`` from ``low`` (excluded if ``open_low``) to ``high``."""

    def __init__(self, kind: type, low: float, high: float | None = None, *, open_low: bool = False) -> None:
        self.kind, self.low, self.high, self.open_low = kind, low, high, open_low

    def __call__(self, text: str) -> float:
        try:
            value = self.kind(text)
        except ValueError:
            name = "integer" if self.kind is int else "float"
            raise argparse.ArgumentTypeError(f"{text!r} is not a valid {name}.") from None
        below = value <= self.low if self.open_low else value < self.low
        if below or (self.high is not None and value > self.high):
            raise argparse.ArgumentTypeError(f"{value} is not in the range {self}.")
        return value

    def __str__(self) -> str:
        if self.high is None:
            return f"x>{self.low}" if self.open_low else f"x>={self.low}"
        return f"{self.low}{'<' if self.open_low else '<='}x<={self.high}"


def _option(*flags: str, show_default: bool = False, **settings: object) -> Option:
    """The arguments of one ``add_argument`` call.

    Choices show as ``{a,b}`` (a value that must be given, one of these); the help ends with ``[default: ...; RANGE; required]``
    as it applies.
    """
    notes = ["default: %(default)s"] if show_default else []
    if isinstance(settings.get("type"), _Range):
        notes.append(str(settings["type"]))
    if settings.get("required"):
        notes.append("required")
    if "choices" in settings:
        settings.setdefault("metavar", "{" + ",".join(settings["choices"]) + "}")  # type: ignore[arg-type]
    if notes:
        settings["help"] = f"{settings['help']}  [{'; '.join(notes)}]"
    return flags, settings


def _command(name: str, *options: LazyOption, short: str | None = None) -> Callable[[Command], Command]:
    """Register a function as the command ``name`` with ``options``; ``short`` is its line in the list.

    An option may be a function that makes it: it is called only when its
    command runs, so that a verb's module (and its defaults) is imported by
    that verb alone.
    """

    def register(function: Command) -> Command:
        COMMANDS[name] = (function, short, options)
        return function

    return register


class _Version(argparse.Action):
    """``--version``: print the version and exit."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        import collabkg

        print(f"collabkg {collabkg.__version__}")
        parser.exit(Exit.OK)


GLOBAL_OPTIONS = (
    _option(
        "--data",
        action="append",
        metavar="PATH",
        help="RDF file or folder to use instead of the bundled report data (repeatable).",
    ),
    _option(
        "--add",
        action="append",
        metavar="PATH",
        help="RDF file or folder to add to the data: the bundled report's, or --data's (repeatable), "
        "e.g. the output of 'collabkg import'.",
    ),
    _option("--debug", action="store_true", help="Show tracebacks and debug logging."),
    _option("--version", action=_Version, nargs=0, help="Show the version and exit."),
)

AUTH_OPTIONS = (
    _option("--user", metavar="NAME", help="User name for HTTP authentication."),
    _option(
        "--password-env",
        metavar="VAR",
        help="Environment variable that holds the password for --user "
        "(the password is never given on the command line).",
    ),
)
"""--user and --password-env, for every command that talks to a store over HTTP."""

INFERRED_OPTIONS = (
    _option(
        "--inferred",
        action="store_true",
        help=f"Include the inferences written by 'collabkg reason' ({DEFAULT_INFERRED}) "
        f"as the graph {GRAPH_INFERRED}.",
    ),
    _option(
        "--inferred-file",
        metavar="PATH",
        help=f"Where the inferences are, if not {DEFAULT_INFERRED} (implies --inferred).",
    ),
)
"""The options that add the inferences of 'collabkg reason' to a command's graph."""

GRAPH_CHOICES = GraphChoice.names()

def _default(verb: str, name: str) -> Any:
    """A name a verb's module defines (a default, or the choices of an option)."""
    import importlib

    return getattr(importlib.import_module(f"collabkg.{verb}"), name)

def echo(text: str, *, err: bool = False, end: str = "\n") -> None:
    """Print a line of output: to standard output, or with ``err`` to standard error."""
    print(text, end=end, file=sys.stderr if err else sys.stdout, flush=True)

def _inferred(flag: bool, path: str | None) -> Path | None:
    """The inferences file asked for with --inferred / --inferred-file, or None."""
    if not flag and path is None:
        return None
    from collabkg.graph import inferred_file

    return inferred_file(path)


def _with_inferred(graphs: tuple[str, ...], inferred: Path | None) -> tuple[str, ...]:
    return graphs + (GRAPH_INFERRED,) if inferred is not None and GRAPH_INFERRED not in graphs else graphs


def _store_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """What :data:`STORE_OPTIONS` give, as the keyword arguments of the verbs that query a store."""
    return {
        "store": args.selector,
        "data": args.data,
        "inferred": _inferred(args.inferred, args.inferred_file),
        "remote": _remote(args),
    }


def _remote(args: argparse.Namespace) -> RemoteOptions:
    """The options of a store over HTTP, as one value."""
    from collabkg.stores import RemoteOptions

    return RemoteOptions(
        user=args.user,
        password_env=args.password_env,
        timeout=args.timeout,
        default_graphs=tuple(getattr(args, "default_graphs", None) or ()),
        **({"retries": args.retries} if hasattr(args, "retries") else {}),
    )


@_command(
    "build",
    lambda: _option(
        "-o",
        "--output",
        default=str(_default("build", "DEFAULT_OUTPUT")),
        show_default=True,
        metavar="PATH",
        help="Where to write the Turtle; '-' for standard output.",
    ),
    _option(
        "--store",
        metavar="oxigraph:DIR",
        help="Also make a persistent Oxigraph store in DIR, for 'collabkg query --store oxigraph:DIR'.",
    ),
    short="Validate and write the graph as Turtle.",
)
def build_command(args: argparse.Namespace) -> Outcome:
    """Merge ontology and data, validate, and write deterministic Turtle.

    Nothing is written if the data does not conform (exit 1); the output file
    is replaced atomically, never left half-written.
    """
    from collabkg.build import build

    return build(args.output, args.data, store=args.store)


def _format_option(verb: str, help: str) -> Option:
    """``--format``, its choices the ``FORMATS`` of the verb's module, the first the default."""
    formats = list(_default(verb, "FORMATS"))
    return _option("--format", dest="fmt", choices=formats, default=formats[0], show_default=True, help=help)


@_command(
    "validate",
    _option("paths", nargs="*", metavar="PATH", help="RDF files or folders to validate."),
    lambda: _format_option("validate", "Report format."),
    short="SHACL-validate data against the shapes.",
)
def validate_command(args: argparse.Namespace) -> Outcome:
    """SHACL-validate the data: the PATHs given (files or folders), else --data, else the bundled report.

    Each violation is listed with the focus node's label, the path, the
    message and the shape. Exit 0 conforms, 1 violations, 2 unreadable input.
    """
    from collabkg.validate import validate

    return validate(args.paths or args.data)


@_command(
    "stats",
    lambda: _format_option("stats", "Output format."),
    short="Count what the graph holds.",
)
def stats_command(args: argparse.Namespace) -> Outcome:
    """Count cases, organisations, participants, factors by theme and polarity, evidence and triples."""
    from collabkg.stats import stats

    return stats(args.data)


@_command(
    "reason",
    lambda: _option(
        "--reasoner",
        choices=[reasoner.value for reasoner in _default("reason", "Reasoner")],
        default=_default("reason", "Reasoner").HERMIT.value,
        show_default=True,
        help="HermiT (OWL 2 DL, needs Java), Pellet (needs a newer Java), or owlrl (OWL 2 RL, "
        "pure Python; used anyway when java is missing).",
    ),
    _option(
        "-o",
        "--output",
        default=str(DEFAULT_INFERRED),
        show_default=True,
        metavar="PATH",
        help="Where to write the inferred triples (.ttl, .nt, .trig, .nq, .jsonld, .rdf); "
        "'-' for Turtle on standard output.",
    ),
)
def reason_command(args: argparse.Namespace) -> Outcome:
    """Prove ontology and data consistent and write the triples they entail.

    The inferred triples (class memberships and property assertions that
    the ontology's axioms entail but the data does not assert) go to a file
    of their own, never into the data; in TriG or N-Quads they are in the
    graph https://w3id.org/collabkg/graph/inferred. Exit 0 consistent,
    1 inconsistent or with unsatisfiable classes (nothing written), 2 bad
    input or a reasoner that cannot run.
    """
    from collabkg.reason import infer

    return infer(args.data, args.reasoner, output=args.output)


@_command(
    "qc",
    _option(
        "--check",
        dest="names",
        action="append",
        metavar="NAME",
        help="Run only this check (repeatable), e.g. duplicate-label; default: all.",
    ),
    _option("--list", dest="list_only", action="store_true", help="List the checks and exit."),
)
def qc_command(args: argparse.Namespace) -> Outcome:
    """Run the quality-control checks (queries/checks/NAME-violation.rq).

    Each check is a SPARQL query over ontology and data that must return no
    rows; the rows it returns are the violations. Exit 0 all pass, 1 some
    check returned rows (they are printed), 2 bad input or an unknown check.
    """
    from collabkg.qc import CheckList, checks, run_checks

    if args.list_only:
        return CheckList(tuple(checks()))
    return run_checks(args.data, names=args.names)


@_command(
    "docs",
    lambda: _option(
        "-o",
        "--output",
        default=str(_default("docs", "DEFAULT_OUTPUT")),
        show_default=True,
        metavar="DIR",
        help="Folder to write the HTML pages into (created if missing).",
    ),
)
def docs_command(args: argparse.Namespace) -> Outcome:
    """Write HTML documentation of the ontology and the query catalogue.

    Pages: an index; the classes and properties with their definitions; the
    factor taxonomy as a tree (theme, polarity, factor) and the dimensions
    of collaboration with their poles (from the data: --data applies); and
    every canned query with its summary, parameters and SPARQL.
    """
    from collabkg.docs import docs

    return docs(args.output, args.data)


@_command(
    "export",
    _option(
        "--format",
        dest="rdf_format",
        choices=RdfFormat.names(),
        help="Output format. Default: from the output file's extension, else ttl.",
    ),
    _option(
        "--graph",
        choices=GRAPH_CHOICES,
        help="Graphs to export. Default: ontology and data. TriG and N-Quads keep each "
        "in its named graph; the other formats merge them.",
    ),
    *INFERRED_OPTIONS,
    _option(
        "-o",
        "--output",
        default="-",
        show_default=True,
        metavar="FILE",
        help="File to write (replaced atomically); '-' for standard output.",
    ),
)
def export_command(args: argparse.Namespace) -> Outcome:
    """Write the knowledge graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

    The output is deterministic: the same graph gives the same bytes (sorted
    statements, the project's prefixes, canonical blank-node labels). The
    named graphs are https://w3id.org/collabkg/graph/{ontology,data,inferred}.
    """
    from collabkg.export import export
    from collabkg.formats import format_for
    from collabkg.graph import graphs_for

    from collabkg.files import check_output

    output, graph = args.output, args.graph
    if output != "-":
        check_output(output)
    wanted = args.inferred or graph in ("inferred", "all")
    # an --inferred-file must exist; the default one is computed when missing (see export)
    path = _inferred(True, args.inferred_file) if args.inferred_file is not None else None
    fmt = format_for(args.rdf_format, output)
    graphs = _with_inferred(graphs_for(graph), path)
    if wanted and GRAPH_INFERRED not in graphs:
        graphs += (GRAPH_INFERRED,)
    return export(output, fmt, graphs, args.data, path)


@_command(
    "load",
    _option("files", nargs="*", metavar="FILE", help="RDF files to load instead of the ontology and the data."),
    _option(
        "--endpoint",
        required=True,
        metavar="URL",
        help="The store's SPARQL query endpoint, e.g. http://localhost:7878/query.",
    ),
    _option(
        "--update-endpoint",
        metavar="URL",
        help="SPARQL update endpoint. Default: .../update for .../query, "
        ".../statements for GraphDB's .../repositories/ID, else --endpoint.",
    ),
    _option(
        "--gsp",
        metavar="URL",
        help="SPARQL Graph Store Protocol endpoint. Default: tried at .../store (Oxigraph) "
        "and .../data (Fuseki) for .../query, .../rdf-graphs/service for GraphDB; "
        "INSERT DATA batches where there is none.",
    ),
    _option("--no-gsp", action="store_true", help="Upload with INSERT DATA batches only."),
    _option(
        "--graph",
        dest="target",
        metavar="IRI",
        default=GRAPH_LOAD_TARGET,
        help=f"Target named graph [default: {GRAPH_LOAD_TARGET}]; 'default' for the store's default graph.",
    ),
    _option(
        "--replace",
        action="store_true",
        default=True,
        help="Replace the target graph's content (the default). Other graphs are never touched.",
    ),
    _option("--append", dest="replace", action="store_false", help="Add to the target graph's content instead."),
    *AUTH_OPTIONS,
    _option(
        "--batch-size",
        type=_Range(int, 1),
        default=10_000,
        show_default=True,
        metavar="N",
        help="Triples per upload request into a staging graph.",
    ),
    _option(
        "--timeout",
        type=_Range(float, 0, open_low=True),
        default=60.0,
        show_default=True,
        metavar="SECONDS",
        help="Seconds to wait for each answer.",
    ),
    _option(
        "--retries",
        type=_Range(int, 1),
        default=3,
        show_default=True,
        metavar="N",
        help="Attempts per request on connection errors and 5xx answers (never on 4xx).",
    ),
)
def load_command(args: argparse.Namespace) -> Outcome:
    """Load the knowledge graph into a SPARQL 1.1 store, all or nothing.

    Loads the FILEs given (e.g. an export), else the ontology and the data,
    blank nodes as stable skolem IRIs. Where the store has a Graph Store
    that applies a request as one transaction, an empty target takes the
    triples by one POST and --replace by one PUT; otherwise they go to a
    staging graph first and, once the store holds exactly as many as were
    sent, one SPARQL Update puts them in the target graph. A claim in the
    store keeps two loads from writing one graph at once. On a failure the
    target graph is as it was, or the error says what it holds (or that
    the outcome is unknown, and the one command that tells). Exit 0
    loaded, 2 bad input or a store that is unreachable, refuses the
    credentials or updates, or fails.
    """
    from collabkg.load import LoadMode, load_graph

    bar = _ProgressBar(args.batch_size)
    try:
        return load_graph(
            args.endpoint,
            update_endpoint=args.update_endpoint,
            gsp=args.gsp,
            use_gsp=not args.no_gsp,
            target=args.target,
            mode=LoadMode.REPLACE if args.replace else LoadMode.APPEND,
            remote=_remote(args),
            files=args.files or None,
            data=args.data,
            batch_size=args.batch_size,
            progress=bar.update,
            on_start=bar.start,
        )
    finally:
        bar.close()


class _ProgressBar:
    """The "loading" bar (tqdm, :mod:`collabkg.progress`) for loads of more than one batch, on a terminal."""

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.bar: Any = None

    def start(self, total: int) -> None:
        from collabkg import progress

        if total > self.batch_size and progress.enabled():
            self.bar = progress.tqdm_bar("loading", total, unit="triples")

    def update(self, sent: int, total: int) -> None:
        if self.bar is not None:
            self.bar.total = total
            self.bar.update(sent - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@_command(
    "serve",
    lambda: _option(
        "--port",
        type=_Range(int, 0, 65535),
        default=_default("serve", "DEFAULT_PORT"),
        show_default=True,
        metavar="PORT",
        help="Port to listen on; 0 for any free port.",
    ),
    lambda: _option(
        "--bind",
        default=_default("serve", "DEFAULT_BIND"),
        show_default=True,
        metavar="HOST",
        help="Address to listen on. Anything but loopback opens the endpoint to the network.",
    ),
    _option("--graph", choices=GRAPH_CHOICES, help="Graphs to serve. Default: ontology and data."),
    *INFERRED_OPTIONS,
)
def serve_command(args: argparse.Namespace) -> Outcome:
    """Serve the knowledge graph as a read-only SPARQL endpoint until Ctrl-C.

    Runs an Oxigraph server (the 'oxigraph' command of the oxigraph package)
    on a temporary copy of the graph, with its web query page. Each graph
    keeps its named graph; queries see their union as the default graph,
    so the canned queries answer as they do in 'collabkg query'.
    """
    from collabkg.graph import graphs_for
    from collabkg.serve import serve

    graph = args.graph
    path = _inferred(args.inferred or graph in ("inferred", "all"), args.inferred_file)
    graphs = _with_inferred(graphs_for(graph), path)
    return serve(args.port, args.bind, graphs, args.data, path, report=echo, warn=lambda line: echo(line, err=True))


@_command(
    "queries",
    _option(
        "--format",
        dest="fmt",
        choices=list(QueryList.FORMATS),
        default=QueryList.FORMATS[0],
        show_default=True,
        help="text for the terminal, md for a Markdown table.",
    ),
    short="List the canned queries and their parameters.",
)
def queries_command(args: argparse.Namespace) -> Outcome:
    """List the canned queries: name, summary, parameters with their types and defaults."""
    from collabkg.query import queries

    return queries()


STORE_OPTIONS = (
    _option(
        "--store",
        dest="selector",
        metavar="SELECTOR",
        help=f"Where the queries run: {', '.join(SELECTORS)}. Default: memory, the graph in memory; "
        "oxigraph:DIR is made by 'collabkg build --store'; sparql:URL is any SPARQL 1.1 query endpoint.",
    ),
    *AUTH_OPTIONS,
    _option(
        "--timeout",
        type=_Range(float, 0, open_low=True),
        default=30.0,
        show_default=True,
        metavar="SECONDS",
        help="How long to wait for a SPARQL endpoint.",
    ),
    _option(
        "--default-graph",
        dest="default_graphs",
        action="append",
        metavar="IRI",
        help="For sparql:URL, a graph to query as the default graph (repeatable), such as the graph "
        f"'collabkg load' wrote ({GRAPH_LOAD_TARGET}); without it, the graph that holds the knowledge "
        "graph is found.",
    ),
    *INFERRED_OPTIONS,
)
"""Where the canned queries of 'report' and 'figure' run: the options of 'collabkg query'."""


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from collabkg.catalogue import ParameterError

    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ParameterError(f"--param takes NAME=VALUE, not {pair!r}")
        if name in params:
            raise ParameterError(f"--param {name} given twice")
        params[name] = value
    return params


@_command(
    "query",
    _option("query", nargs="?", metavar="NAME|FILE.rq", help="A canned query's name, or a SPARQL query file."),
    _option("--sparql", metavar="TEXT", help="SPARQL query text to run instead of a NAME or FILE.rq."),
    _option(
        "-p",
        "--param",
        dest="params",
        action="append",
        metavar="NAME=VALUE",
        help="A parameter of the query (repeatable); IRIs may use the project's prefixes (case:northumbria).",
    ),
    _option(
        "--format",
        dest="fmt",
        choices=ResultFormat.names(),
        default=ResultFormat.TABLE.label,
        show_default=True,
        help="table for the terminal; csv, tsv and json are the W3C SPARQL results formats; md is Markdown.",
    ),
    _option("--limit", type=_Range(int, 0), metavar="N", help="Show at most N rows."),
    _option("--full", action="store_true", help="In a table, show wide cells whole (wrapped) instead of cut."),
    *STORE_OPTIONS,
    short="Run a canned query, a .rq file or SPARQL text.",
)
def query_command(args: argparse.Namespace) -> Outcome:
    """Run a canned query (see 'collabkg queries'), a .rq file or --sparql TEXT.

    SELECT prints a table (or CSV, TSV, JSON, Markdown); ASK prints true or
    false and exits 0 or 1; CONSTRUCT and DESCRIBE print Turtle. Exit 2 on an
    unknown query, a bad parameter, malformed SPARQL or an unreachable store.

    Example: collabkg query enablers-by-case --param case=case:northumbria
    """
    if (args.query is None) == (args.sparql is None):
        args.parser.error("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    from collabkg.query import answer

    return answer(
        args.query,
        _parse_params(args.params or []),
        limit=args.limit,
        full=args.full,
        sparql=args.sparql,
        **_store_arguments(args),
    )


@_command(
    "report",
    lambda: _option(
        "-o",
        "--output",
        default=str(_default("report", "DEFAULT_OUTPUT")),
        show_default=True,
        metavar="DIR",
        help="Folder to write the site into (created if missing).",
    ),
    *STORE_OPTIONS,
    short="Write the evidence browser: an offline HTML site of the evidence.",
)
def report_command(args: argparse.Namespace) -> Outcome:
    """Write the evidence browser, a static HTML site that opens from disk.

    Pages: what the graph holds; Tables 1 and 2 regenerated from the graph;
    the heatmap of case studies by factor (passages per cell, marked by the
    strongest status behind it), each cell linking to its passages with
    their status, basis, section and source; a page per case study, factor
    and pole of a dimension. Built from the canned queries, so --data and
    --store apply. No script, no network; open index.html in a browser.
    """
    from collabkg.report import report

    return report(args.output, **_store_arguments(args))


@_command(
    "figure",
    lambda: _option(
        "name",
        choices=list(_default("figure", "FIGURES")),
        help="The figure: the case-by-factor heatmap, or the poles of the dimensions by case.",
    ),
    _option(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="The file to write: .svg (deterministic) or .png (300 dpi); replaced atomically.",
    ),
    *STORE_OPTIONS,
    short="Draw a figure for papers (SVG or PNG).",
)
def figure_command(args: argparse.Namespace) -> Outcome:
    """Draw a figure of the evidence for a paper, from the canned query of the same name.

    case-factor-matrix: case studies by factors, each cell shaded by the
    number of passages and marked by the strongest status behind it.
    dimensions-by-case: case studies by the poles of the dimensions of
    collaboration, each placement marked by its status. SVG output is
    byte-identical from run to run; PNG is at 300 dpi.
    """
    from collabkg.figure import figure

    return figure(args.name, args.output, **_store_arguments(args))


@_command(
    "template",
    _option(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="The workbook to write: FILE.xlsx, or a folder of CSV files with --format csv.",
    ),
    _option(
        "--format",
        dest="workbook_format",
        choices=["xlsx", "csv"],
        help="xlsx (one workbook) or csv (a folder, one file per sheet). Default: from the output's extension.",
    ),
    _option("--from-graph", action="store_true", help="Fill the workbook from the graph's case studies."),
    short="Write a workbook to add your own evidence in.",
)
def template_command(args: argparse.Namespace) -> Outcome:
    """Write the authoring workbook: one sheet per kind of thing, to fill in and import.

    Sheets: sources, cases, collaborations, organisations, memberships,
    evidence (one row per coded passage), figures, poles and assertions.
    Row 1 is the headers, row 2 a help line per column; the columns with a
    fixed vocabulary (theme, polarity, factor, sector, role, pole, status)
    have drop-down lists from the graph's framework. --from-graph fills it
    with the graph's case studies, a worked example.
    """
    from collabkg.template import template

    return template(args.output, args.workbook_format, args.data, from_graph=args.from_graph)


@_command(
    "import",
    _option("workbook", metavar="FILE.xlsx|DIR", help="The workbook: an .xlsx file or a folder of CSV files."),
    _option(
        "-o",
        "--output",
        metavar="DIR",
        help="Folder to write the Turtle files into. Default: the workbook's name, without extension.",
    ),
    _option(
        "--text",
        dest="texts",
        action="append",
        metavar="SOURCE=PATH",
        help="The text of a source, by its id, instead of the sources sheet's 'text' (repeatable).",
    ),
    short="Turn a workbook's rows into Turtle, anchored and validated.",
)
def import_command(args: argparse.Namespace) -> Outcome:
    """Turn a workbook's rows into RDF: one Turtle file per case study, in the project's vocabulary.

    Each passage is found in its source's text and anchored (oa:exact,
    oa:prefix, oa:suffix); each judgement with a status gets an assertion
    record; the result is SHACL-validated with the graph it joins. Add the
    files to the graph with --add DIR. Exit 0 written; 2 any problem, each
    listed as FILE:SHEET!CELL: message, and nothing written.
    """
    from pathlib import Path

    from collabkg.ingest import import_workbook

    texts = {}
    for pair in args.texts or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            args.parser.error(f"--text takes SOURCE=PATH, not {pair!r}")
        texts[name] = Path(value)
    return import_workbook(args.workbook, args.output, args.data, texts=texts)
