"""What a verb returns: an outcome that renders itself and knows its exit code.

Every verb function returns an :class:`Outcome`. The command line prints
:meth:`Outcome.render` to standard output and :meth:`Outcome.messages` to
standard error, then exits with :attr:`Outcome.exit_code`; nothing about a
verb's output is written anywhere else. Exit codes are a contract:

>>> [code.value for code in Exit]
[0, 1, 2, 130]
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class Exit(enum.IntEnum):
    """The exit codes of the ``collabkg`` command."""

    OK = 0
    """The verb did what was asked."""
    FAILED = 1
    """The data does not conform, a check found violations, the ontology is inconsistent, or ASK said false."""
    USAGE = 2
    """Bad input or configuration, or a server that refused."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C."""


class Outcome:
    """The base of every verb's result.

    Subclasses override :meth:`render` (the result in one of their
    ``FORMATS``; the first is the default), :meth:`messages` (lines for
    standard error) and :attr:`exit_code`.
    """

    FORMATS: tuple[str, ...] = ("text",)

    @property
    def exit_code(self) -> Exit:
        return Exit.OK

    def render(self, fmt: str | None = None) -> str:
        """The result for standard output in format ``fmt`` (default: the first of :attr:`FORMATS`)."""
        return ""

    def messages(self) -> list[str]:
        """Lines for standard error: notes, warnings, why nothing was written."""
        return []

    def _format(self, fmt: str | None) -> str:
        chosen = fmt or self.FORMATS[0]
        if chosen not in self.FORMATS:
            raise ValueError(f"unknown format {chosen!r}; expected one of {self.FORMATS}")
        return chosen


class PagesWritten(Outcome):
    """The pages of a site a verb wrote (``docs``, ``report``), the first the one to start at.

    ``notes`` are lines for standard error: that the data given holds no
    report, or where a store's graph was found. (Not a dataclass: this module
    is on every command's path, a canned query's included.)
    """

    def __init__(self, output: Path, pages: tuple[Path, ...], notes: tuple[str, ...] = ()) -> None:
        self.output, self.pages, self.notes = output, pages, notes

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        return f"wrote {len(self.pages)} pages to {self.output}/ (start at {self.pages[0]})\n"

    def messages(self) -> list[str]:
        return list(self.notes)
