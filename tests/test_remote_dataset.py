"""Queries answer from the loaded graph wherever it is on the store, whatever its default graph.

An Oxigraph server started as its own documentation starts it (``oxigraph
serve --location DIR``, no ``--union-default-graph``) queries only its
default graph, which ``collabkg load`` leaves alone. ``sparql:URL`` must
still give the embedded answer to every canned query, and say in one line
what to add where it cannot tell which graphs to query: never a silent
empty table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from conftest import Result
from oxigraph_server import OxigraphServer

from collabkg import bundle, catalogue
from collabkg.graph import KnowledgeGraph
from collabkg.namespaces import GRAPH_DATA, GRAPH_LOAD_TARGET, GRAPH_ONTOLOGY
from collabkg.query import run
from collabkg.stores import Solutions
from collabkg.stores.oxigraph import OxigraphStore
from collabkg.stores.sparql import SparqlStore

NAMES = sorted(catalogue.catalogue())


@pytest.fixture(scope="module")
def embedded() -> OxigraphStore:
    return OxigraphStore.from_graph()


@pytest.fixture(scope="module")
def loaded() -> Iterator[OxigraphServer]:
    """A server without the union default graph, loaded by ``collabkg load`` with its defaults."""
    from collabkg.cli import main

    with OxigraphServer(union_default_graph=False) as server:
        assert main(["load", "--endpoint", server.query_url]) == 0
        yield server


@pytest.fixture(scope="module")
def in_parts() -> Iterator[OxigraphServer]:
    """A server without the union default graph, holding the ontology and the data in graphs of their own."""
    with OxigraphServer(union_default_graph=False) as server:
        graph = KnowledgeGraph()
        server.load_all(graph.files(GRAPH_ONTOLOGY), GRAPH_ONTOLOGY)
        server.load_all(graph.files(GRAPH_DATA), GRAPH_DATA)
        yield server


@pytest.mark.parametrize("name", NAMES)
def test_every_canned_query_answers_from_the_loaded_graph(
    name: str, loaded: OxigraphServer, embedded: OxigraphStore
) -> None:
    store = SparqlStore(loaded.query_url)
    assert run(name, store=store) == run(name, store=embedded)
    assert store.dataset() == (GRAPH_LOAD_TARGET,)
    assert store.notes() == []


@pytest.mark.parametrize("name", NAMES)
def test_every_canned_query_answers_from_the_graphs_of_each_part(
    name: str, in_parts: OxigraphServer, embedded: OxigraphStore
) -> None:
    store = SparqlStore(in_parts.query_url)
    assert run(name, store=store) == run(name, store=embedded)
    assert store.dataset() == (GRAPH_ONTOLOGY, GRAPH_DATA)
    assert store.notes() == []


def test_the_command_line_answers_from_the_loaded_graph_without_a_note(
    loaded: OxigraphServer, cli: Callable[..., Result]
) -> None:
    args = ["query", "participants-by-case", "--format", "tsv"]
    local = cli(*args)
    assert (local.exit_code, local.stderr) == (0, "")
    remote = cli(*args, "--store", f"sparql:{loaded.query_url}")
    assert (remote.exit_code, remote.stdout, remote.stderr) == (0, local.stdout, "")
    # the loaded graph is found without being named, and named it answers the same
    scoped = cli(*args, "--store", f"sparql:{loaded.query_url}", "--default-graph", GRAPH_LOAD_TARGET)
    assert (scoped.exit_code, scoped.stdout, scoped.stderr) == (0, local.stdout, "")


def test_a_given_default_graph_is_used_as_it_is(loaded: OxigraphServer, embedded: OxigraphStore) -> None:
    store = SparqlStore(loaded.query_url, default_graphs=[GRAPH_ONTOLOGY])
    answer = run("factors-by-theme", store=store)  # the ontology graph does not exist there
    assert isinstance(answer, Solutions)
    assert (answer.variables, answer.rows) == (run("factors-by-theme", store=embedded).variables, [])
    assert store.dataset() == (GRAPH_ONTOLOGY,)
    assert store.notes() == []


def test_a_store_without_the_graph_says_what_to_add(cli: Callable[..., Result]) -> None:
    with OxigraphServer(union_default_graph=False) as empty:
        result = cli("query", "factors-by-theme", "--format", "csv", "--store", f"sparql:{empty.query_url}")
    header = cli("query", "factors-by-theme", "--format", "csv").stdout.splitlines(keepends=True)[0]
    assert (result.exit_code, result.stdout) == (0, header)  # no rows: and the note says why
    assert result.stderr == (
        f"collabkg: note: no graph of {empty.query_url} holds the knowledge graph (its ontology "
        "<https://w3id.org/collabkg/ontology>); load it with 'collabkg load --endpoint URL', or name "
        "the graphs to query with --default-graph IRI\n"
    )


def test_several_graphs_holding_the_graph_are_named_in_the_note(cli: Callable[..., Result]) -> None:
    with OxigraphServer(union_default_graph=False) as server:
        for graph in ("https://example.org/a", "https://example.org/b"):
            server.load(bundle.ontology_path(), graph)
        result = cli("query", "factors-by-theme", "--format", "csv", "--store", f"sparql:{server.query_url}")
    header = cli("query", "factors-by-theme", "--format", "csv").stdout.splitlines(keepends=True)[0]
    assert (result.exit_code, result.stdout) == (0, header)  # the store's default graph is empty
    assert result.stderr == (
        f"collabkg: note: several graphs of {server.query_url} hold the knowledge graph "
        "(<https://example.org/a>, <https://example.org/b>); the answer is from the store's default graph: "
        "name the graphs to query with --default-graph IRI\n"
    )
