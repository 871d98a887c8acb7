"""``collabkg export``: the knowledge graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

The graph's parts come from :class:`~collabkg.graph.KnowledgeGraph`; the
bytes from the writers of :mod:`collabkg.formats`, so ``collabkg export``
and ``collabkg build`` give the same Turtle. The dataset formats (TriG,
N-Quads) keep the ontology, the data and the inferences in their named
graphs; the triple formats merge the graphs asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from collabkg import PathLike, logs, progress
from collabkg.formats import RdfFormat, format_for, serialize
from collabkg.graph import DEFAULT_GRAPHS, DEFAULT_INFERRED, KnowledgeGraph
from collabkg.namespaces import GRAPH_DATA, GRAPH_INFERRED
from collabkg.outcome import Outcome

log = logs.get(__name__)


@dataclass(frozen=True)
class ExportResult(Outcome):
    """What :func:`export` wrote."""

    format: RdfFormat
    graphs: tuple[str, ...]
    statements: int
    """Distinct triples written, or quads for a dataset format."""
    output: Path | None
    """The file written, or None for standard output."""
    notes: tuple[str, ...] = ()
    """Lines for standard error: say, that the data holds no report, or that the inferences were computed now."""

    def messages(self) -> list[str]:
        return list(self.notes)

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        if self.output is None:
            return ""
        unit = "quads" if self.format.is_dataset else "triples"
        return f"wrote {self.output} ({self.statements} {unit}, {self.format.label})\n"


def export(
    output: PathLike | None = None,
    fmt: RdfFormat | None = None,
    graphs: Sequence[str] = DEFAULT_GRAPHS,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
    stream: BinaryIO | None = None,
) -> ExportResult:
    """Export the named graphs ``graphs`` of the knowledge graph to ``output``.

    ``output`` None or ``"-"`` writes to ``stream`` (default: standard
    output); a file is replaced atomically, never left half-written.
    ``fmt`` None: the format of ``output``'s extension, else Turtle. ``data``:
    files or folders of data instead of the bundled data; ``inferred``: the
    file of inferences (for ``GRAPH_INFERRED``; default ``dist/inferred.ttl``).
    """
    from collabkg.files import atomic_write

    to_stdout = output is None or str(output) == "-"
    if fmt is None:
        fmt = format_for(None, None if to_stdout else output)
    notes: tuple[str, ...] = ()
    computed = None
    if GRAPH_INFERRED in graphs and inferred is None:
        if DEFAULT_INFERRED.is_file():
            inferred = DEFAULT_INFERRED
        else:  # asked for, and never written by 'collabkg reason': computed now
            from collabkg.reason import compute_inferences

            computed, used = compute_inferences(data)
            notes = (
                f"collabkg: export: note: {DEFAULT_INFERRED} not found, so the inferences were computed "
                f"now ({used}); 'collabkg reason' writes them once for every later export",
            )
    graph = KnowledgeGraph(data, inferred if computed is None else DEFAULT_INFERRED)
    if computed is not None:
        graph.use_inferred(computed)
    quads = graph.quads(*graphs)
    if GRAPH_DATA in graphs or computed is not None:
        notes = (*graph.no_report_warning("export"), *notes)
    with progress.stage("writing"):
        payload = serialize(quads, fmt)
    if fmt.is_dataset:
        count = len(set(quads))
    else:
        count = len({(q.subject, q.predicate, q.object) for q in quads})
    if to_stdout:
        target = stream if stream is not None else sys.stdout.buffer
        target.write(payload)
        target.flush()
        path = None
    else:
        assert output is not None  # not to_stdout
        path = Path(output)
        atomic_write(path, payload)
    log.info("exported %d statements as %s", count, fmt.label)
    return ExportResult(fmt, tuple(graphs), count, path, notes)


__all__ = ["ExportResult", "export"]
