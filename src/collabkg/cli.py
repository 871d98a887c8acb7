"""The ``collabkg`` command: parse arguments, call one function, print, set the exit code.

Each command is one ``@main.command()`` function. Exit codes: 0 ok; 1 the data
does not conform (or a check found violations); 2 bad input or configuration.
A user's mistake prints ``collabkg: error: ...`` on one line, with a traceback
only under ``--debug``.

``main`` is a click group, callable in-process: ``main(["stats"])`` runs like
``collabkg stats`` (and raises ``SystemExit`` with the exit code), or use
``click.testing.CliRunner().invoke(main, ["stats"])``.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from collabkg import CollabkgError

EXIT_OK, EXIT_NONCONFORMING, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Settings:
    """The global options, shared with every command through the click context."""

    data: tuple[str, ...] = ()
    debug: bool = False

    @property
    def sources(self) -> list[str] | None:
        """The ``--data`` paths, or None for the bundled data."""
        return list(self.data) or None


class _Group(click.Group):
    """A click group that turns a :class:`CollabkgError` into one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CollabkgError as error:
            if ctx.params.get("debug"):
                traceback.print_exc()
            click.echo(f"collabkg: error: {error}", err=True)
            ctx.exit(EXIT_USAGE)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        import collabkg

        click.echo(f"collabkg {collabkg.__version__}")
        ctx.exit(EXIT_OK)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="PATH",
    help="RDF file or folder to use instead of the bundled report data (repeatable).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.pass_context
def main(ctx: click.Context, data: tuple[str, ...], debug: bool) -> None:
    """collabkg: the report "Collaboration Executive Summary" as an RDF knowledge graph.

    The graph is the bundled OWL ontology plus the report's data; --data
    replaces the data with your own files or folders (Turtle, N-Triples,
    N-Quads, TriG, JSON-LD, RDF/XML).

    Exit codes: 0 ok, 1 data does not conform, 2 bad input or usage.
    """
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="collabkg: %(name)s: %(levelname)s: %(message)s",
    )
    ctx.obj = Settings(data=data, debug=debug)


def _auth_options(command: Any) -> Any:
    """--user and --password-env, for every command that talks to a store over HTTP."""
    command = click.option(
        "--password-env",
        metavar="VAR",
        help="Environment variable that holds the password for --user "
        "(the password is never given on the command line).",
    )(command)
    return click.option("--user", metavar="NAME", help="User name for HTTP authentication.")(command)


def _inferred_options(command: Any) -> Any:
    """The options that add the inferences of 'collabkg reason' to a command's graph."""
    command = click.option(
        "--inferred-file",
        metavar="PATH",
        default=None,
        help="Where the inferences are, if not dist/inferred.ttl (implies --inferred).",
    )(command)
    return click.option(
        "--inferred",
        is_flag=True,
        help="Include the inferences written by 'collabkg reason' (dist/inferred.ttl) "
        "as the graph https://w3id.org/collabkg/graph/inferred.",
    )(command)


def _inferred(flag: bool, path: str | None) -> Path | None:
    """The inferences file asked for with --inferred / --inferred-file, or None."""
    if not flag and path is None:
        return None
    from collabkg.reason import inferred_path

    return inferred_path(path)


def _with_inferred(graphs: tuple[str, ...], inferred: Path | None) -> tuple[str, ...]:
    from collabkg.namespaces import GRAPH_INFERRED

    return graphs + (GRAPH_INFERRED,) if inferred is not None and GRAPH_INFERRED not in graphs else graphs


@main.command("build", short_help="Validate and write the graph as Turtle.")
@click.option(
    "-o",
    "--output",
    default="dist/collabkg.ttl",
    show_default=True,
    metavar="PATH",
    help="Where to write the Turtle; '-' for standard output.",
)
@click.option(
    "--store",
    "store",
    metavar="oxigraph:DIR",
    help="Also make a persistent Oxigraph store in DIR, for 'collabkg query --store oxigraph:DIR'.",
)
@click.pass_context
def build_command(ctx: click.Context, output: str, store: str | None) -> None:
    """Merge ontology and data, validate, and write deterministic Turtle.

    Nothing is written if the data does not conform (exit 1); the output file
    is replaced atomically, never left half-written.
    """
    from collabkg.build import build

    settings: Settings = ctx.obj
    result = build(output, settings.sources)
    if not result.written:
        click.echo(result.report.to_text(), err=True, nl=False)
        click.echo(f"collabkg: build: data does not conform; {output} not written", err=True)
        ctx.exit(EXIT_NONCONFORMING)
    if output != "-":
        click.echo(f"wrote {output} ({result.triples} triples)")
    if store is not None:
        from collabkg.store import StoreError, create_oxigraph_store

        kind, _, directory = store.partition(":")
        if kind != "oxigraph" or not directory:
            raise StoreError(f"--store takes oxigraph:DIR, not {store!r}")
        quads = create_oxigraph_store(directory, settings.sources)
        click.echo(f"made Oxigraph store {directory} ({quads} quads)", err=output == "-")


@main.command("validate", short_help="SHACL-validate data against the shapes.")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[str, ...], fmt: str) -> None:
    """SHACL-validate the data: the PATHs given (files or folders), else --data, else the bundled report.

    Each violation is listed with the focus node's label, the path, the
    message and the shape. Exit 0 conforms, 1 violations, 2 unreadable input.
    """
    from collabkg.validate import validate

    settings: Settings = ctx.obj
    report = validate(list(paths) or settings.sources)
    click.echo(report.render(fmt), nl=False)
    if not report.conforms:
        ctx.exit(EXIT_NONCONFORMING)


@main.command("stats", short_help="Count what the graph holds.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def stats_command(ctx: click.Context, fmt: str) -> None:
    """Count cases, organisations, participants, factors by theme and polarity, evidence and triples."""
    from collabkg.stats import stats

    settings: Settings = ctx.obj
    click.echo(stats(settings.sources).render(fmt), nl=False)


@main.command("reason")
@click.option(
    "--reasoner",
    type=click.Choice(["hermit", "pellet", "owlrl"]),
    default="hermit",
    show_default=True,
    help="HermiT (OWL 2 DL, needs Java), Pellet (needs a newer Java), or owlrl (OWL 2 RL, "
    "pure Python; used anyway when java is missing).",
)
@click.option(
    "-o",
    "--output",
    default="dist/inferred.ttl",
    show_default=True,
    metavar="PATH",
    help="Where to write the inferred triples (.ttl, .nt, .trig, .nq, .jsonld, .rdf); "
    "'-' for Turtle on standard output.",
)
@click.pass_context
def reason_command(ctx: click.Context, reasoner: str, output: str) -> None:
    """Prove ontology and data consistent and write the triples they entail.

    The inferred triples (class memberships and property assertions that
    the ontology's axioms entail but the data does not assert) go to a file
    of their own, never into the data; in TriG or N-Quads they are in the
    graph https://w3id.org/collabkg/graph/inferred. Exit 0 consistent,
    1 inconsistent or with unsatisfiable classes (nothing written), 2 bad
    input or a reasoner that cannot run.
    """
    from collabkg.namespaces import GRAPH_INFERRED, show
    from collabkg.reason import reason, write_inferred

    settings: Settings = ctx.obj
    result = reason(settings.sources, reasoner)
    for note in result.notes:
        click.echo(f"collabkg: reason: note: {note}", err=True)
    used = f"{result.reasoner.label}, {result.seconds:.1f} s"
    if not result.consistent:
        click.echo(
            f"collabkg: reason: inconsistent ({used}): the ontology and data contradict "
            "each other; nothing written.",
            err=True,
        )
        for clash in result.clashes:
            click.echo(f"  - {clash}", err=True)
        ctx.exit(EXIT_NONCONFORMING)
    if result.unsatisfiable:
        click.echo(
            f"collabkg: reason: unsatisfiable {'class' if len(result.unsatisfiable) == 1 else 'classes'} "
            f"({used}): no individual can belong to "
            f"{'it' if len(result.unsatisfiable) == 1 else 'them'}; nothing written.",
            err=True,
        )
        for iri in result.unsatisfiable:
            click.echo(f"  - {show(iri)}", err=True)
        ctx.exit(EXIT_NONCONFORMING)
    assert result.inferred is not None
    inferred = len(result.inferred)
    say = (lambda text: click.echo(text, err=True)) if output == "-" else click.echo
    say(f"consistent ({used}): {result.asserted} asserted triples entail {inferred} more")
    if output == "-":
        click.echo(result.inferred.serialize(format="turtle"), nl=False)
    else:
        written = write_inferred(result.inferred, output)
        say(f"wrote {written} ({inferred} triples; graph <{GRAPH_INFERRED}>)")
    summary = result.summary()
    if summary:
        width = max(len(term) for term, _ in summary)
        say("inferred, by term of the ontology:")
        for term, count in summary:
            say(f"  {term:<{width}}  {count}")


@main.command("qc")
@click.option(
    "--check",
    "names",
    multiple=True,
    metavar="NAME",
    help="Run only this check (repeatable), e.g. duplicate-label; default: all.",
)
@click.option("--list", "list_only", is_flag=True, help="List the checks and exit.")
@click.pass_context
def qc_command(ctx: click.Context, names: tuple[str, ...], list_only: bool) -> None:
    """Run the quality-control checks (queries/checks/NAME-violation.rq).

    Each check is a SPARQL query over ontology and data that must return no
    rows; the rows it returns are the violations. Exit 0 all pass, 1 some
    check returned rows (they are printed), 2 bad input or an unknown check.
    """
    from collabkg.qc import checks, run_checks

    settings: Settings = ctx.obj
    if list_only:
        found = checks()
        width = max((len(c.name) for c in found), default=0)
        for check in found:
            click.echo(f"{check.name:<{width}}  {check.summary}")
        return
    report = run_checks(settings.sources, names=list(names) or None)
    click.echo(report.to_text(), nl=False)
    if not report.ok:
        ctx.exit(EXIT_NONCONFORMING)


@main.command("docs")
@click.option(
    "-o",
    "--output",
    default="dist/docs",
    show_default=True,
    metavar="DIR",
    help="Folder to write the HTML pages into (created if missing).",
)
@click.pass_context
def docs_command(ctx: click.Context, output: str) -> None:
    """Write HTML documentation of the ontology and the query catalogue.

    Pages: an index; the classes and properties with their definitions; the
    factor taxonomy as a tree (theme, polarity, factor) and the dimensions
    of collaboration with their poles (from the data: --data applies); and
    every canned query with its summary, parameters and SPARQL.
    """
    from collabkg.docs import build_docs

    settings: Settings = ctx.obj
    pages = build_docs(output, settings.sources)
    click.echo(f"wrote {len(pages)} pages to {output}/ (start at {pages[0]})")


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "xml"]),
    default=None,
    help="Output format. Default: from the output file's extension, else ttl.",
)
@click.option(
    "--graph",
    type=click.Choice(["ontology", "data", "inferred", "all"]),
    default=None,
    help="Graphs to export. Default: ontology and data. TriG and N-Quads keep each "
    "in its named graph; the other formats merge them.",
)
@_inferred_options
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE",
    help="File to write (replaced atomically); '-' for standard output.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str | None,
    graph: str | None,
    inferred: bool,
    inferred_file: str | None,
    output: str,
) -> None:
    """Write the knowledge graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

    The output is deterministic: the same graph gives the same bytes (sorted
    statements, the project's prefixes, canonical blank-node labels). The
    named graphs are https://w3id.org/collabkg/graph/{ontology,data,inferred}.
    """
    from collabkg.export import export, format_for, graphs_for

    settings: Settings = ctx.obj
    graphs = graphs_for(graph)
    path = _inferred(inferred or graph in ("inferred", "all"), inferred_file)
    result = export(
        output, format_for(fmt, output), _with_inferred(graphs, path), settings.sources, path
    )
    if result.output is not None:
        unit = "quads" if result.format.is_dataset else "triples"
        click.echo(f"wrote {result.output} ({result.statements} {unit}, {result.format.label})")


@main.command("load")
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's SPARQL query endpoint, e.g. http://localhost:7878/query.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="SPARQL update endpoint. Default: .../update for .../query, "
    ".../statements for GraphDB's .../repositories/ID, else --endpoint.",
)
@click.option(
    "--gsp",
    metavar="URL",
    help="SPARQL Graph Store Protocol endpoint. Default: tried at .../store (Oxigraph) "
    "and .../data (Fuseki) for .../query, .../rdf-graphs/service for GraphDB; "
    "INSERT DATA batches where there is none.",
)
@click.option("--no-gsp", is_flag=True, help="Upload with INSERT DATA batches only.")
@click.option(
    "--graph",
    "target",
    metavar="IRI",
    default=None,
    help="Target named graph [default: https://w3id.org/collabkg/graph/kg]; "
    "'default' for the store's default graph.",
)
@click.option(
    "--replace/--append",
    default=True,
    help="Replace the target graph's content (the default) or add to it. "
    "Other graphs are never touched.",
)
@_auth_options
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Triples per upload request.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Attempts per request on connection errors and 5xx answers (never on 4xx).",
)
@click.pass_context
def load_command(
    ctx: click.Context,
    files: tuple[str, ...],
    endpoint: str,
    update_endpoint: str | None,
    gsp: str | None,
    no_gsp: bool,
    target: str | None,
    replace: bool,
    user: str | None,
    password_env: str | None,
    batch_size: int,
    timeout: float,
    retries: int,
) -> None:
    """Load the knowledge graph into a SPARQL 1.1 store, all or nothing.

    Loads the FILEs given (e.g. an export), else the ontology and the data.
    The triples go to a staging graph first; once the store holds exactly
    as many as were sent, one SPARQL Update puts them in the target graph.
    On any failure the staging graph is dropped and the target graph is as
    it was. Exit 0 loaded, 2 bad input or a store that is unreachable,
    refuses the credentials or updates, or fails.
    """
    import sys

    from collabkg.load import DEFAULT_TARGET, LoadMode, credentials_from_env, load_graph

    settings: Settings = ctx.obj
    credentials = credentials_from_env(user, password_env)
    bar: Any = None
    shown = 0

    def on_start(total: int) -> None:
        nonlocal bar
        if total > batch_size and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="loading", file=sys.stderr)
            bar.__enter__()

    def progress(sent: int, _total: int) -> None:
        nonlocal shown
        if bar is not None:
            bar.update(sent - shown)
            shown = sent

    try:
        result = load_graph(
            endpoint,
            update_endpoint=update_endpoint,
            gsp=gsp,
            use_gsp=not no_gsp,
            target=target or DEFAULT_TARGET,
            mode=LoadMode.REPLACE if replace else LoadMode.APPEND,
            credentials=credentials,
            files=list(files) or None,
            data=settings.sources,
            batch_size=batch_size,
            timeout=timeout,
            retries=retries,
            progress=progress,
            on_start=on_start,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    where = "the default graph" if result.target == "default" else f"<{result.target}>"
    click.echo(
        f"loaded {result.triples} triples into {where} at {endpoint} "
        f"({result.method}, {result.requests} requests, {result.seconds:.2f} s); "
        f"the graph held {result.before} triples before, {result.after} now"
    )


@main.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on; 0 for any free port.",
)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    metavar="HOST",
    help="Address to listen on. Anything but loopback opens the endpoint to the network.",
)
@click.option(
    "--graph",
    type=click.Choice(["ontology", "data", "inferred", "all"]),
    default=None,
    help="Graphs to serve. Default: ontology and data.",
)
@_inferred_options
@click.pass_context
def serve_command(
    ctx: click.Context,
    port: int,
    bind: str,
    graph: str | None,
    inferred: bool,
    inferred_file: str | None,
) -> None:
    """Serve the knowledge graph as a read-only SPARQL endpoint until Ctrl-C.

    Runs an Oxigraph server (the 'oxigraph' command of the oxigraph package)
    on a temporary copy of the graph, with its web query page. Each graph
    keeps its named graph; queries see their union as the default graph,
    so the canned queries answer as they do in 'collabkg query'.
    """
    from collabkg.export import graphs_for
    from collabkg.serve import Server, is_loopback, serve

    settings: Settings = ctx.obj
    if not is_loopback(bind):
        click.echo(
            f"collabkg: serve: warning: listening on {bind}: other machines can query it",
            err=True,
        )

    def ready(server: Server) -> None:
        names = ", ".join(iri.rsplit("/", 1)[-1] for iri in server.graphs)
        click.echo(f"serving {server.triples} triples ({names}), read-only")
        click.echo(f"SPARQL endpoint: {server.query_url}")
        click.echo(f"web query page:  {server.url}")
        click.echo("press Ctrl-C to stop")

    path = _inferred(inferred or graph in ("inferred", "all"), inferred_file)
    serve(port, bind, _with_inferred(graphs_for(graph), path), settings.sources, path, on_ready=ready)
    click.echo("stopped")


from collabkg.results import ResultFormat  # noqa: E402 - cheap: no RDF library


@main.command("queries", short_help="List the canned queries and their parameters.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="text for the terminal, md for a Markdown table.",
)
def queries_command(fmt: str) -> None:
    """List the canned queries: name, summary, parameters with their types and defaults."""
    from collabkg.catalogue import catalogue

    queries = catalogue().values()
    if fmt == "md":
        click.echo("| query | answers | parameters |\n|---|---|---|")
        for q in queries:
            params = ", ".join(f"`{p.describe()}`" for p in q.parameters) or "none"
            click.echo(f"| `{q.name}` | {q.summary} | {params} |")
        return
    for q in queries:
        click.echo(q.name)
        click.echo(f"    {q.summary}")
        if q.parameters:
            click.echo(f"    parameters: {', '.join(p.describe() for p in q.parameters)}")


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
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


@main.command("query", short_help="Run a canned query, a .rq file or SPARQL text.")
@click.argument("query", required=False, metavar="[NAME|FILE.rq]")
@click.option("--sparql", metavar="TEXT", help="SPARQL query text to run instead of a NAME or FILE.rq.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the query (repeatable); IRIs may use the project's prefixes (case:northumbria).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ResultFormat.names()),
    default="table",
    show_default=True,
    help="table for the terminal; csv, tsv and json are the W3C SPARQL results formats; md is Markdown.",
)
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Show at most N rows.")
@click.option("--full", is_flag=True, help="In a table, show wide cells whole (wrapped) instead of cut.")
@click.option(
    "--store",
    "selector",
    metavar="SELECTOR",
    help="memory (default: the graph in memory), oxigraph:DIR (made by 'collabkg build --store'), "
    "rdflib, or sparql:URL (a SPARQL 1.1 query endpoint).",
)
@_auth_options
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
    metavar="SECONDS", help="How long to wait for a SPARQL endpoint.",
)
@click.option(
    "--default-graph",
    "default_graphs",
    multiple=True,
    metavar="IRI",
    help="For sparql:URL, a graph to query as the default graph (repeatable), such as the graph "
    "'collabkg load' wrote (https://w3id.org/collabkg/graph/kg) on a store whose default graph "
    "is not the union of its graphs.",
)
@_inferred_options
@click.pass_context
def query_command(
    ctx: click.Context,
    query: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str,
    limit: int | None,
    full: bool,
    selector: str | None,
    user: str | None,
    password_env: str | None,
    timeout: float,
    default_graphs: tuple[str, ...],
    inferred: bool,
    inferred_file: str | None,
) -> None:
    """Run a canned query (see 'collabkg queries'), a .rq file or --sparql TEXT.

    SELECT prints a table (or CSV, TSV, JSON, Markdown); ASK prints true or
    false and exits 0 or 1; CONSTRUCT and DESCRIBE print Turtle. Exit 2 on an
    unknown query, a bad parameter, malformed SPARQL or an unreachable store.

    Example: collabkg query enablers-by-case --param case=case:northumbria
    """
    from collabkg.query import run
    from collabkg.results import render
    from collabkg.store import Solutions

    if (query is None) == (sparql is None):
        raise click.UsageError("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    settings: Settings = ctx.obj
    result = run(
        query,
        _parse_params(params),
        sparql=sparql,
        store=selector,
        data=settings.sources,
        user=user,
        password_env=password_env,
        timeout=timeout,
        default_graphs=default_graphs,
        inferred=_inferred(inferred, inferred_file),
    )
    if limit is not None and isinstance(result, Solutions):
        result = Solutions(result.variables, result.rows[:limit])
    click.echo(render(result, ResultFormat.from_name(fmt), full=full), nl=False)
    if isinstance(result, bool) and not result:
        ctx.exit(EXIT_NONCONFORMING)
