"""``collabkg build``: merge the ontology and the data, validate, write Turtle.

The graph is read once (:class:`~collabkg.graph.KnowledgeGraph`): the
same quads are validated and then written by the deterministic Turtle
writer (:mod:`collabkg.turtle`). The output is written atomically: to a
temporary file in the same folder, synced, then renamed over the target,
so that a failed build never leaves a half-written or truncated file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from collabkg import PathLike, logs, progress
from collabkg.files import atomic_write
from collabkg.graph import KnowledgeGraph
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY, PREFIXES
from collabkg.outcome import Exit, Outcome
from collabkg.readers import gc_paused
from collabkg.turtle import TurtleWriter

if TYPE_CHECKING:
    from collabkg.shacl import ValidationReport

log = logs.get(__name__)

DEFAULT_OUTPUT = Path("dist/collabkg.ttl")
STDOUT = "-"


@dataclass
class BuildResult(Outcome):
    """What a build did: the validation report, and whether output was written."""

    output: str
    """The path written to, or ``"-"`` for standard output."""
    triples: int
    """The number of distinct triples in the merged graph."""
    report: ValidationReport
    written: bool
    """False when the data did not conform: nothing was written."""
    store: str | None = None
    """The persistent Oxigraph store made too, if any."""
    store_quads: int = 0
    warnings: tuple[str, ...] = ()
    """Lines for standard error about the data (say, that it holds no case study)."""

    @property
    def conforms(self) -> bool:
        return self.report.conforms

    @property
    def exit_code(self) -> Exit:
        return Exit.OK if self.written else Exit.FAILED

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        lines = []
        if self.written and self.output != STDOUT:
            lines.append(f"wrote {self.output} ({self.triples} triples)")
            if self.store is not None:
                lines.append(self._store_line())
        return "".join(line + "\n" for line in lines)

    def messages(self) -> list[str]:
        if not self.written:
            return [
                *self.warnings,
                *self.report.to_text().splitlines(),
                "collabkg: build: data does not conform; "
                + ("nothing written" if self.output == STDOUT else f"{self.output} not written"),
            ]
        if self.output == STDOUT and self.store is not None:
            return [*self.warnings, self._store_line()]
        return list(self.warnings)

    def _store_line(self) -> str:
        return f"made Oxigraph store {self.store} ({self.store_quads} quads)"


def build(
    output: PathLike = DEFAULT_OUTPUT,
    data: Sequence[PathLike] | None = None,
    store: str | None = None,
) -> BuildResult:
    """Merge the ontology with ``data`` (default: the bundled data), validate, write Turtle.

    If the data does not conform to the shapes, nothing is written and the
    result's report says why. ``output`` ``"-"`` writes to standard output.
    ``store``, a selector ``oxigraph:DIR``, also makes a persistent Oxigraph
    store there. Raises :class:`collabkg.readers.SourceError` for unreadable
    input and :class:`collabkg.CollabkgError` when the output cannot be
    written.
    """
    from collabkg.files import check_output
    from collabkg.shacl import validate_graph

    if str(output) != STDOUT:
        check_output(output)
    directory = None
    if store is not None:
        from collabkg.stores import persistent_directory

        directory = persistent_directory(store)
    graph = KnowledgeGraph(data)
    report = validate_graph(graph)
    warnings = tuple(graph.no_report_warning("build"))
    with gc_paused():
        writer = TurtleWriter(graph.quads(GRAPH_ONTOLOGY, GRAPH_DATA), PREFIXES)
    target = str(output)
    if not report.conforms:
        log.info("data does not conform: %d results; nothing written", len(report.violations))
        return BuildResult(target, writer.triples, report, written=False, warnings=warnings)
    with progress.stage("writing") as bar:
        chunks = _counted(writer.chunks(), bar.update)
        if target == STDOUT:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        else:
            atomic_write(Path(output), chunks)
    result = BuildResult(target, writer.triples, report, written=True, warnings=warnings)
    if directory is not None:
        from collabkg.stores.oxigraph import create_oxigraph_store

        result.store, result.store_quads = str(directory), create_oxigraph_store(directory, graph)
    return result


def _counted(chunks: Iterable[bytes], report: Callable[[int], object]) -> Iterator[bytes]:
    for chunk in chunks:
        report(len(chunk))
        yield chunk


__all__ = ["DEFAULT_OUTPUT", "BuildResult", "build"]
