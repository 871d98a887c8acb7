"""Bad input: each mistake gives exit code 2 and one exact line on stderr, no traceback.

Every case runs through the three commands that read data (``validate PATH``,
``--data PATH stats``, ``--data PATH build``): the input is read before
anything else happens, so the error is the same whatever the command.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BAD, REPO, Result, run_collabkg, subprocess_env

from collabkg.formats import RdfFormat
from collabkg.readers import SourceError, expand, iter_quads
from collabkg.stores import StoreError, open_store

EXTS = ".ttl, .nt, .nq, .trig, .jsonld, .rdf, .owl, .xml"
GLOBS = "*.ttl, *.nt, *.nq, *.trig, *.jsonld, *.rdf, *.owl, *.xml"

COMMANDS = {
    "validate": lambda path: ["validate", str(path)],
    "stats": lambda path: ["--data", str(path), "stats"],
    "build": lambda path: ["--data", str(path), "build", "-o", "-"],
}


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Name -> (path, the exact error line)."""
    empty = tmp / "empty"
    empty.mkdir()
    only_text = tmp / "only-text"
    only_text.mkdir()
    (only_text / "README.txt").write_text("no RDF here\n")
    png = tmp / "figure.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp / "missing.ttl"
    syntax = BAD / "syntax-error.ttl"
    prefix = BAD / "undefined-prefix.ttl"
    unterminated = BAD / "unterminated-string.ttl"
    jsonld = BAD / "broken.jsonld"
    rdfxml = BAD / "broken.rdf"
    text = BAD / "notes.txt"
    return {
        "turtle syntax error": (syntax, f"{syntax}:8:5: A dot is expected at the end of statements"),
        "undefined prefix": (
            prefix,
            f"{prefix}:6:32: undefined prefix 'agent:' (declare it: @prefix agent: <IRI> .)",
        ),
        "unterminated string": (unterminated, f"{unterminated}:3:53: Unexpected end of file"),
        "json-ld syntax error": (
            jsonld,
            f"{jsonld}:4:1: Object values must be followed by a comma to add a new value "
            "or a curly bracket to end the object",
        ),
        "rdf/xml syntax error": (
            rdfxml,
            f"{rdfxml}: ill-formed document: expected `</rdf:Description>`, "
            "but `</rdf:RDF>` was found",
        ),
        "missing file": (missing, f"{missing}: no such file or directory"),
        "empty folder": (empty, f"{empty}: no RDF files ({GLOBS})"),
        "folder without rdf": (only_text, f"{only_text}: no RDF files ({GLOBS})"),
        "text file": (text, f"{text}: not an RDF file (use one of {EXTS})"),
        "png file": (png, f"{png}: not an RDF file (use one of {EXTS})"),
    }


CASES = [
    "turtle syntax error",
    "undefined prefix",
    "unterminated string",
    "json-ld syntax error",
    "rdf/xml syntax error",
    "missing file",
    "empty folder",
    "folder without rdf",
    "text file",
    "png file",
]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_one_line(
    cli: Callable[..., Result], tmp_path: Path, case: str, command: str
) -> None:
    path, message = _bad_inputs(tmp_path)[case]
    result = cli(*COMMANDS[command](path))
    assert result.exit_code == 2
    assert result.stderr == f"collabkg: error: {message}\n"
    assert result.stdout == ""


def test_source_error_carries_its_location() -> None:
    with pytest.raises(SourceError) as caught:
        expand([BAD / "notes.txt"])
    assert caught.value.line is None

    with pytest.raises(SourceError) as caught:
        list(iter_quads([BAD / "syntax-error.ttl"]))
    error = caught.value
    assert (error.path, error.line, error.column) == (
        str(BAD / "syntax-error.ttl"),
        8,
        5,
    )
    assert str(error) == f"{BAD / 'syntax-error.ttl'}:8:5: A dot is expected at the end of statements"


def test_relative_paths_are_reported_as_given(cli: Callable[..., Result], monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = cli("validate", "tests/fixtures/bad/undefined-prefix.ttl")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "collabkg: error: tests/fixtures/bad/undefined-prefix.ttl:6:32: undefined prefix 'agent:' "
        "(declare it: @prefix agent: <IRI> .)\n",
    )


def test_no_traceback_without_debug_and_one_with_it() -> None:
    line = f"collabkg: error: {BAD / 'syntax-error.ttl'}:8:5: A dot is expected at the end of statements\n"
    plain = run_collabkg("validate", str(BAD / "syntax-error.ttl"))
    assert (plain.returncode, plain.stdout, plain.stderr.decode()) == (2, b"", line)

    debug = run_collabkg("--debug", "validate", str(BAD / "syntax-error.ttl"))
    assert (debug.returncode, debug.stdout) == (2, b"")
    stderr = debug.stderr.decode()
    assert "\nTraceback (most recent call last):\n" in stderr, stderr  # after the --debug log
    assert stderr.endswith("\n" + line) and stderr.count("collabkg: error:") == 1, stderr


def test_the_first_bad_path_is_reported_before_anything_is_parsed(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.ttl"
    result = cli("validate", str(BAD / "syntax-error.ttl"), str(missing))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"collabkg: error: {missing}: no such file or directory\n"
    )


def test_unknown_store_selector_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as refused:
        open_store("nosuch:x")
    assert str(refused.value) == (
        "unknown store 'nosuch:x' (use one of: memory, oxigraph:DIR, rdflib, sparql:URL)"
    )


README_COMMANDS = [
    "build", "validate", "stats", "queries", "query", "export", "load", "serve", "reason", "qc", "docs",
    "template", "import", "report", "figure",
]
"""The commands of the README's table."""


def test_unknown_command_and_option_exit_2(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the width argparse wraps its usage at
    unknown = cli("nosuchcommand")
    names = ", ".join(f"'{name}'" for name in sorted(README_COMMANDS))
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert unknown.stderr == (
        "usage: collabkg [-h] [--data PATH] [--add PATH] [--debug] [--version]\n"
        "                COMMAND ...\n"
        f"collabkg: error: argument COMMAND: invalid choice: 'nosuchcommand' (choose from {names})\n"
    )
    bad_format = cli("stats", "--format", "yaml")
    assert (bad_format.exit_code, bad_format.stdout) == (2, "")
    assert bad_format.stderr == (
        "usage: collabkg stats [-h] [--format {text,json}]\n"
        "collabkg stats: error: argument --format: invalid choice: 'yaml' (choose from 'text', 'json')\n"
    )


def test_format_enum_knows_extensions() -> None:
    assert RdfFormat.from_extension("ttl") is RdfFormat.TURTLE
    assert RdfFormat.from_extension(".TTL") is RdfFormat.TURTLE
    assert RdfFormat.from_extension(".owl") is RdfFormat.RDF_XML
    assert RdfFormat.from_extension(".jsonld") is RdfFormat.JSON_LD
    assert RdfFormat.from_extension(".nq") is RdfFormat.N_QUADS
    assert RdfFormat.from_extension(".txt") is None
    assert RdfFormat.from_path("data/cases/x.trig") is RdfFormat.TRIG


def test_expand_sorts_recursively_skips_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/z.ttl", "a.nt", "b/a.jsonld", ".hidden/x.ttl", "notes.md", ".x.ttl"):
        (tmp_path / name).write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path, tmp_path / "a.nt"])]
    assert found == ["a.nt", "b/a.jsonld", "b/z.ttl"]


@pytest.mark.slow
def test_ctrl_c_exits_130_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    """Ctrl-C is not "does not conform" (1): it exits 130, says so on one line, and leaves no output."""
    output = tmp_path / "inferred.ttl"
    process = subprocess.Popen(
        [sys.executable, "-m", "collabkg", "reason", "--reasoner", "owlrl", "-o", str(output)],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    time.sleep(5)  # past the imports, inside the reasoner (which takes longer than this)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert (stdout, stderr) == (b"", b"\ncollabkg: interrupted\n")
    assert list(tmp_path.iterdir()) == []
