"""Quality-control checks: SPARQL queries that must return no rows.

Each check is a file ``queries/checks/NAME-violation.rq``, as in the ODK's
``*-violation.sparql`` convention: a SELECT query whose rows are the
violations, with a grlc-style ``#+ summary:`` / ``#+ description:`` header
saying what it checks (read by :mod:`collabkg.catalogue`, which refuses a
malformed header). :func:`run_checks` runs every check on the ontology and the
data together (the default graph of the store is their union) and returns
the offending rows, with IRIs shown as prefixed names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from collabkg import PathLike
from collabkg.catalogue import Check, CheckError, checks
from collabkg.outcome import Exit, Outcome
from collabkg.results import cell_text

@dataclass(frozen=True)
class CheckResult:
    """The rows one check returned: each a tuple of shown terms (None = unbound)."""

    check: Check
    variables: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    @property
    def passed(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class QcReport(Outcome):
    """The results of a run of checks, in the order of their names."""

    results: tuple[CheckResult, ...]
    warnings: tuple[str, ...] = ()
    """Lines for standard error: that the data given holds no report, say."""

    @property
    def ok(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def exit_code(self) -> Exit:
        return Exit.OK if self.ok else Exit.FAILED

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        return self.to_text()

    def messages(self) -> list[str]:
        return list(self.warnings)

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        return tuple(result for result in self.results if not result.passed)

    def to_text(self) -> str:
        """One line per check, then each failing check's rows as an aligned table."""
        lines = []
        width = max((len(r.check.name) for r in self.results), default=0)
        for result in self.results:
            status = "ok  " if result.passed else "FAIL"
            count = "" if result.passed else f" ({len(result.rows)} rows)"
            lines.append(f"{status} {result.check.name:<{width}}  {result.check.summary}{count}")
        for result in self.failed:
            lines.append("")
            lines.append(f"{result.check.name}: {result.check.summary}")
            lines.extend(_table(result.variables, result.rows))
        passed = sum(1 for r in self.results if r.passed)
        lines.append("")
        lines.append(f"{passed} of {len(self.results)} checks passed")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CheckList(Outcome):
    """The checks there are: ``collabkg qc --list``."""

    checks: tuple[Check, ...]

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        width = max((len(c.name) for c in self.checks), default=0)
        return "".join(f"{check.name:<{width}}  {check.summary}\n" for check in self.checks)


def _table(variables: Sequence[str], rows: Iterable[Sequence[str | None]]) -> list[str]:
    cells = [list(variables)] + [["" if v is None else v for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(variables))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]


def run_checks(
    data: Sequence[PathLike] | None = None,
    *,
    names: Sequence[str] | None = None,
    folder: PathLike | None = None,
) -> QcReport:
    """Run the checks on the bundled ontology and ``data`` (default: the bundled data).

    ``names`` picks checks by name
    (``duplicate-label`` for ``duplicate-label-violation.rq``). Raises
    :class:`CheckError` for an unknown name and
    :class:`collabkg.readers.SourceError` for unreadable data.
    """
    from collabkg.graph import KnowledgeGraph
    from collabkg.stores import Solutions
    from collabkg.stores.oxigraph import OxigraphStore

    selected = checks(folder)
    if names:
        known = {check.name: check for check in selected}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CheckError(
                f"unknown check {unknown[0]!r} (known: {', '.join(sorted(known))})"
            )
        selected = [known[name] for name in dict.fromkeys(names)]
    graph = KnowledgeGraph(data)
    store = OxigraphStore.from_graph(graph)
    results = []
    for check in selected:
        answer = store.query(check.text)
        if not isinstance(answer, Solutions):  # guarded by checks(); keeps the types honest
            raise CheckError(f"{check.path}: a check must be a SELECT query")
        rows = tuple(
            tuple(None if term is None else cell_text(term) for term in row) for row in answer.rows
        )
        results.append(CheckResult(check, answer.variables, rows))
    return QcReport(tuple(results), tuple(graph.no_report_warning("qc", store.query)))
