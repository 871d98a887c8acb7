"""Regenerate the command output quoted in README.md and docs/*.md.

A generated block sits between two marker comments that name the command
whose output it holds::

    <!-- begin: collabkg queries --format md -->
    ...
    <!-- end: collabkg queries --format md -->

Any ``<!-- begin: collabkg ARGS -->`` block is rewritten with the standard
output of ``collabkg ARGS``, run in-process through ``collabkg.cli.main`` with
``COLUMNS=100`` so that argparse wraps the same way on every machine. The
output of a command ending in ``--format md`` is Markdown and goes in as it
is; any other output goes in a ```` ```text ```` block. A command that does
not exit 0 is an error. Trailing spaces are stripped from every line.

    python docs/generate.py           rewrite the stale blocks
    python docs/generate.py --check   list the stale blocks and exit 1 if there are any
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = "100"

_MARKER = re.compile(r"<!-- (begin|end): collabkg(?P<args>(?: [^\n]*?)?) -->")


class MarkerError(ValueError):
    """A begin marker without its end marker, or an end marker without its begin."""


@dataclass(frozen=True)
class Block:
    """One generated block: the command's arguments and the text between its markers."""

    path: Path
    line: int
    args: str
    start: int
    end: int
    body: str

    @property
    def command(self) -> str:
        return f"collabkg {self.args}".rstrip()

    def __str__(self) -> str:
        path = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{path}:{self.line}: {self.command}"


def doc_files(root: Path = ROOT) -> list[Path]:
    """README.md and every docs/*.md, in a stable order."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def blocks(text: str, path: Path = Path("-")) -> list[Block]:
    """The generated blocks of one Markdown text, in order."""
    found: list[Block] = []
    markers: Iterator[re.Match[str]] = _MARKER.finditer(text)
    for begin in markers:
        args = begin["args"].strip()
        line = text.count("\n", 0, begin.start()) + 1
        if begin[1] != "begin":
            raise MarkerError(f"{path}:{line}: an end marker without its begin marker")
        end = next(markers, None)
        if end is None or end[1] != "end" or end["args"].strip() != args:
            raise MarkerError(f"{path}:{line}: 'collabkg {args}' has no matching end marker before the next marker")
        start = begin.end() + 1 if text.startswith("\n", begin.end()) else begin.end()
        found.append(Block(path, line, args, start, end.start(), text[start : end.start()]))
    return found


def run(args: str) -> str:
    """The standard output of ``collabkg ARGS``, run in-process at COLUMNS=100, without colour."""
    from collabkg.cli import main

    env = {"COLUMNS": COLUMNS, "NO_COLOR": "1", "FORCE_COLOR": None, "PYTHON_COLORS": None}
    saved_env = {name: os.environ.get(name) for name in env}
    out, err = io.BytesIO(), io.BytesIO()
    streams = [io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True) for stream in (out, err)]
    saved_streams = sys.stdout, sys.stderr
    try:
        _set_environ(env)
        sys.stdout, sys.stderr = streams
        code = main(shlex.split(args))
        for stream in streams:
            stream.flush()
        stdout, stderr = (stream.getvalue().decode("utf-8", "replace") for stream in (out, err))
    finally:
        sys.stdout, sys.stderr = saved_streams
        _set_environ(saved_env)
    if code != 0:
        raise RuntimeError(f"'collabkg {args}' exited {code}: {stderr.strip()}")
    return stdout.replace("\r\n", "\n")


def _set_environ(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@cache
def render(args: str) -> str:
    """What belongs between the markers of ``collabkg ARGS``: its output, fenced unless it is Markdown."""
    lines = [line.rstrip() for line in run(args).strip("\n").splitlines()]
    output = "\n".join(lines) + "\n"
    markdown = shlex.split(args)[-2:] == ["--format", "md"]
    return f"\n{output}\n" if markdown else f"\n```text\n{output}```\n\n"


def stale(text: str, path: Path = Path("-"), *, render: Callable[[str], str] = render) -> list[Block]:
    """The blocks of ``text`` whose content is not the command's output now."""
    return [block for block in blocks(text, path) if block.body != render(block.args)]


def regenerate(text: str, path: Path = Path("-"), *, render: Callable[[str], str] = render) -> str:
    """``text`` with every block rewritten from its command's output now."""
    parts, done = [], 0
    for block in blocks(text, path):
        parts += [text[done : block.start], render(block.args)]
        done = block.end
    return "".join(parts) + text[done:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the command output quoted in the documentation.")
    parser.add_argument("--check", action="store_true", help="List the stale blocks; exit 1 if there are any.")
    parser.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README.md and docs/*.md).")
    args = parser.parse_args(argv)
    files = args.files or doc_files()
    if args.check:
        found = [block for path in files for block in stale(path.read_text(encoding="utf-8"), path)]
        for block in found:
            print(f"stale: {block}")
        return 1 if found else 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = regenerate(text, path)
        if new != text:
            path.write_text(new, encoding="utf-8", newline="\n")
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
