"""The ``collabkg`` command: parse, call one verb, render, exit.

The commands and their options are declared in :mod:`collabkg.commands`;
each maps its arguments to one verb's function, which returns an
:class:`~collabkg.outcome.Outcome`. :func:`main` prints the outcome's
rendering (in ``--format``, where the command has one) to standard output
and its messages to standard error, and exits with its code
(:class:`~collabkg.outcome.Exit`). A user's mistake prints
``collabkg: error: ...`` on one line and exits 2, with a traceback only
under ``--debug``; Ctrl-C exits 130.

``main(argv=None) -> int`` runs a command line (default ``sys.argv[1:]``)
and returns the exit code, also after ``--help``, ``--version`` or a usage
error: it never raises ``SystemExit``. ``main(["stats"])`` runs like
``collabkg stats``; the console script is ``sys.exit(main())``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from collabkg import CollabkgError
from collabkg.commands import ABOUT, COMMANDS, GLOBAL_OPTIONS, echo
from collabkg.outcome import Exit


class _Parser(argparse.ArgumentParser):
    """A parser that keeps the help's paragraphs, takes no abbreviated options and has -h, --help."""

    def __init__(self, **settings: Any) -> None:
        formatter = argparse.RawDescriptionHelpFormatter
        super().__init__(formatter_class=formatter, allow_abbrev=False, add_help=False, **settings)
        self.add_argument("-h", "--help", action="help", help="Show this message and exit.")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse's own imports shutil (and its compression modules) for the
        # width, on every command line: some 4 ms, a twentieth of a query.
        return argparse.RawDescriptionHelpFormatter(prog=self.prog, width=_columns() - 2)


def _columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` finds it: ``COLUMNS``, the terminal's, or 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is not None:
        try:
            return os.get_terminal_size(stdout.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            pass
    return 80


def _chosen(argv: list[str]) -> str | None:
    """The command named in ``argv``: the first word that is not a global option or its value.

    None where ``-h`` or ``--help`` comes first: the help of ``collabkg`` itself.
    """
    takes_value = {flag for flags, settings in GLOBAL_OPTIONS if settings.get("action") == "append" for flag in flags}
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word in takes_value:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _parser(chosen: str | None) -> argparse.ArgumentParser:
    """The parser of a command line that runs the command ``chosen``.

    Only that command gets a parser of its own, with its options; without a
    known command (``collabkg --help``, a misspelt one), every command has
    one, so that the help and the error list them all.
    """
    parser = _Parser(prog="collabkg", description=ABOUT)
    for flags, settings in GLOBAL_OPTIONS:
        parser.add_argument(*flags, **settings)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    names = [chosen] if chosen in COMMANDS else sorted(COMMANDS)
    for name in names:
        function, short, options = COMMANDS[name]
        doc = (function.__doc__ or "").replace("\n    ", "\n").strip()
        sub = commands.add_parser(name, help=short or doc.partition("\n")[0], description=doc)
        if name == chosen:
            for option in options:
                flags, settings = option() if callable(option) else option
                sub.add_argument(*flags, **settings)
        sub.set_defaults(command=function, parser=sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return its exit code."""
    try:
        words = sys.argv[1:] if argv is None else argv
        chosen = _chosen(words)
        args = _parser(chosen).parse_args(words)
        from collabkg import logs

        logs.configure(args.debug)
        return _run(args)
    except SystemExit as exit:  # --help, --version and usage errors, from argparse
        return int(exit.code or 0)


def _run(args: argparse.Namespace) -> int:
    try:
        if getattr(args, "add", None):
            from collabkg.graph import with_added

            args.data = with_added(args.data, args.add)  # --add: one place for every verb
        from collabkg import progress

        progress.configure(progress.wanted(getattr(args, "fmt", None)))
        outcome = args.command(args)
        text = outcome.render(getattr(args, "fmt", None))
        if text:
            echo(text, end="")
        for line in outcome.messages():
            echo(line, err=True)
        return int(outcome.exit_code)
    except CollabkgError as error:
        if args.debug:
            import traceback

            traceback.print_exc()
        echo(f"collabkg: error: {error}", err=True)
        return int(Exit.USAGE)
    except KeyboardInterrupt:
        echo("\ncollabkg: interrupted", err=True)
        return int(Exit.INTERRUPTED)
