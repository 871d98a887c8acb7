"""Data that holds no report: every verb that reads it says so, and does its work as before.

``--data`` given an empty Turtle file is how a wrong path looks: the graph is
the ontology alone. Each verb that reads local data prints one warning line
on standard error and otherwise exits and prints as it does for any data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from oxigraph_server import OxigraphServer, oxigraph_server  # noqa: F401 - a fixture

from collabkg.catalogue import checks
from collabkg.namespaces import GRAPH_INFERRED
from collabkg.query import run

Cli = Callable[..., Result]


def warning(verb: str, path: Path) -> str:
    return (
        f"collabkg: {verb}: warning: the data ({path}) holds no report and no case study "
        "(no ckg:Report, no ckg:CaseStudy); is the path right?\n"
    )


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    return path


def test_query_warns_and_answers_with_no_rows(cli: Cli, empty: Path) -> None:
    result = cli("--data", str(empty), "query", "enablers-by-case", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == ",".join(run("enablers-by-case").variables) + "\n"
    assert result.stderr == warning("query", empty)


def test_query_of_the_bundled_graph_or_a_remote_store_does_not_warn(
    cli: Cli, oxigraph_server: OxigraphServer  # noqa: F811 - the fixture
) -> None:
    local = cli("query", "enablers-by-case", "--format", "csv")
    assert (local.exit_code, local.stderr) == (0, "")
    # A store that holds no report at all: its answer is empty, and no warning (the warning is about --data).
    remote = cli("query", "enablers-by-case", "--format", "csv", "--store", f"sparql:{oxigraph_server.query_url}")
    assert (remote.exit_code, remote.stdout) == (0, local.stdout.splitlines(keepends=True)[0])
    assert "holds no report" not in remote.stderr


def test_export_warns_and_writes_the_ontology_alone(cli: Cli, empty: Path) -> None:
    result = cli("--data", str(empty), "export", "--format", "ttl")
    assert result.exit_code == 0
    assert result.stdout == cli("export", "--graph", "ontology", "--format", "ttl").stdout
    assert result.stderr == warning("export", empty)


def test_export_of_the_ontology_alone_does_not_read_the_data_nor_warn(cli: Cli, empty: Path) -> None:
    result = cli("--data", str(empty), "export", "--graph", "ontology", "--format", "ttl")
    assert (result.exit_code, result.stderr) == (0, "")


def test_qc_warns_and_every_check_passes(cli: Cli, empty: Path) -> None:
    result = cli("--data", str(empty), "qc")
    names = sorted(check.name for check in checks())
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert [line.split()[:2] for line in lines[: len(names)]] == [["ok", name] for name in names]
    assert lines[len(names) :] == ["", f"{len(names)} of {len(names)} checks passed"]
    assert result.stderr == warning("qc", empty)


def test_docs_warns_and_writes_the_pages(cli: Cli, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cli("--data", str(empty), "docs", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == f"wrote 4 pages to {out}/ (start at {out / 'index.html'})\n"
    assert result.stderr == warning("docs", empty)


def test_reason_warns_and_writes_the_inferences(cli: Cli, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / "inferred.ttl"
    result = cli("--data", str(empty), "reason", "--reasoner", "owlrl", "-o", str(out))
    assert result.exit_code == 0
    found = re.fullmatch(
        r"consistent \(owlrl \(OWL 2 RL\), \d+\.\d s\): \d+ asserted triples entail (\d+) more\n"
        rf"wrote {re.escape(str(out))} \((\d+) triples; graph <{re.escape(GRAPH_INFERRED)}>\)\n"
        r"(?:inferred, by term of the ontology:\n(?:  \S+ +\d+\n)+)?",
        result.stdout,
    )
    assert found is not None, result.stdout
    assert found.group(1) == found.group(2)
    assert out.is_file()
    assert result.stderr == warning("reason", empty)
