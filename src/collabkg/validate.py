"""``collabkg validate``: check data against the SHACL shapes.

The data graph is the data files; the ontology is given to pySHACL as its
ontology graph, so that ``sh:class`` follows ``rdfs:subClassOf``; the shapes
are the bundled ``ontology/shapes.ttl``. The work is done by
:mod:`collabkg.shacl`; the report renders as text, Turtle or JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

from collabkg import PathLike
from collabkg.graph import KnowledgeGraph
from collabkg.shacl import FORMATS, ValidationReport, validate_graph


def validate(data: Sequence[PathLike] | None = None) -> ValidationReport:
    """SHACL-validate the files and folders ``data`` (default: the bundled data).

    Raises :class:`collabkg.readers.SourceError` on unreadable input.

    >>> print(validate().render("text"), end="")
    Conforms: no violations.
    """
    graph = KnowledgeGraph(data)
    report = validate_graph(graph)
    report.warnings.extend(graph.no_report_warning("validate"))
    return report


__all__ = ["FORMATS", "validate"]
