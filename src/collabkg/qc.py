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

from collabkg import CollabkgError
from collabkg.catalogue import CannedQuery, HeaderError, load
from collabkg.results import cell_text
from collabkg.sources import PathLike

CHECK_SUFFIX = "-violation.rq"


class CheckError(CollabkgError):
    """A check that cannot be found or is not a SELECT query."""


@dataclass(frozen=True)
class Check:
    """One ``NAME-violation.rq`` file: its name (without the suffix) and its query."""

    name: str
    query: CannedQuery

    @property
    def summary(self) -> str:
        return self.query.summary

    @property
    def description(self) -> str:
        return self.query.description

    @property
    def path(self) -> Path:
        return self.query.path

    @property
    def text(self) -> str:
        return self.query.text


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
class QcReport:
    """The results of a run of checks, in the order of their names."""

    results: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(result.passed for result in self.results)

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


def _table(variables: Sequence[str], rows: Iterable[Sequence[str | None]]) -> list[str]:
    cells = [list(variables)] + [["" if v is None else v for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(variables))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]


def checks_dir() -> Path:
    """The folder of the bundled checks, ``queries/checks``."""
    from collabkg.resources import queries_dir

    return queries_dir() / "checks"


def checks(folder: PathLike | None = None) -> list[Check]:
    """Every ``*-violation.rq`` check in ``folder`` (default: the bundled ones), by name."""
    folder = Path(folder) if folder is not None else checks_dir()
    if not folder.is_dir():
        raise CheckError(f"{folder}: no folder of checks here")
    found = []
    for path in sorted(folder.glob(f"*{CHECK_SUFFIX}")):
        query = load(path)
        if query.form != "SELECT":
            raise HeaderError(path, 1, f"a check must be a SELECT query, not {query.form}")
        found.append(Check(path.name.removesuffix(CHECK_SUFFIX), query))
    if not found:
        raise CheckError(f"{folder}: no checks (*{CHECK_SUFFIX}) in this folder")
    return found


def run_checks(
    paths: Sequence[PathLike] | None = None,
    *,
    names: Sequence[str] | None = None,
    folder: PathLike | None = None,
) -> QcReport:
    """Run the checks on the bundled ontology and the data in ``paths``.

    ``paths`` None means the bundled data; ``names`` picks checks by name
    (``duplicate-label`` for ``duplicate-label-violation.rq``). Raises
    :class:`CheckError` for an unknown name and
    :class:`collabkg.sources.SourceError` for unreadable data.
    """
    from collabkg.store import OxigraphStore, Solutions

    selected = checks(folder)
    if names:
        known = {check.name: check for check in selected}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CheckError(
                f"unknown check {unknown[0]!r} (known: {', '.join(sorted(known))})"
            )
        selected = [known[name] for name in dict.fromkeys(names)]
    store = OxigraphStore.from_sources(list(paths) if paths else None)
    results = []
    for check in selected:
        answer = store.query(check.text)
        if not isinstance(answer, Solutions):  # guarded by checks(); keeps the types honest
            raise CheckError(f"{check.path}: a check must be a SELECT query")
        rows = tuple(
            tuple(None if term is None else cell_text(term) for term in row) for row in answer.rows
        )
        results.append(CheckResult(check, answer.variables, rows))
    return QcReport(tuple(results))
