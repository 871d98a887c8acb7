"""Portable queries: every canned query gives the same answer on every engine, and as grlc sends it.

Every canned query, with its defaults and with each parameter given, must
give the same rows in the same order on:

- embedded Oxigraph (the default store, the reference);
- rdflib's SPARQL engine;
- an Oxigraph server (``oxigraph serve``) whose default graph is the union
  of its named graphs, as collabkg's own store;
- an Oxigraph server without the union default graph, holding the graph in
  its default graph, and again in named graphs named as the dataset
  (``--default-graph``): the queries do not rely on the union;
- Virtuoso 7 (the ``virtuoso`` fixture of tests/virtuoso_server.py), the
  graph loaded by ``collabkg load`` into a named graph of its own, named as
  the dataset (the session's Virtuoso holds other tests' graphs too).

The same text must also mean the same as grlc sends it: grlc writes each
value given in place of its variable, everywhere in the text, and leaves the
variables of the parameters left out unbound (it applies no ``#+ defaults``).
Those texts run on embedded Oxigraph here; tests/test_grlc.py asks a real
grlc server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_collabkg
from expected_results import assert_same, is_ordered, load_expected, normal_rows
from oxigraph_server import OxigraphServer, oxigraph_server  # noqa: F401 - a fixture

from collabkg import bundle, catalogue
from collabkg.catalogue import CannedQuery, expand_iri
from collabkg.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY
from collabkg.query import run
from collabkg.readers import expand
from collabkg.stores import RemoteOptions, Solutions, Store, open_store

NAMES = sorted(catalogue.catalogue())

# A value for each parameter that selects something real (and less than everything);
# (query, parameter) entries override the (None, parameter) ones.
GIVEN: dict[tuple[str | None, str], str] = {
    (None, "case"): "case:northumbria",
    (None, "theme"): "theme:relationships",
    (None, "factor"): "factor:clear-shared-purpose",
    (None, "pole"): "dim:vertical",
    (None, "resource"): "fact:nightingale-speed-up",
    (None, "sectorStatus"): "ckg:stated",
    (None, "roleStatus"): "ckg:stated",
    (None, "challenge"): "factor:lack-of-ownership-or-buy-in",
    (None, "enabler"): "factor:streamlining-or-flattening-decision-making-structures",
    ("challenges-by-case", "case"): "case:kent-fire-rescue",
    ("enablers-by-case", "theme"): "theme:motivations",
    ("evidence", "case"): "case:vibrant-communities",
    ("evidence", "factor"): "factor:adopting-facilitative-styles-of-leadership",
    ("passages", "case"): "case:vibrant-communities",
    ("passages", "factor"): "factor:adopting-facilitative-styles-of-leadership",
}


def given(name: str, parameter: str) -> str:
    value = GIVEN.get((name, parameter), GIVEN.get((None, parameter)))
    assert value is not None, f"{name}: add a value for its parameter {parameter!r} to GIVEN"
    return value


def parameter_sets(query: CannedQuery) -> list[dict[str, str]]:
    """The defaults (every parameter left out), then each parameter given alone.

    (tests/test_engines.py gives several together.)
    """
    return [{}, *({p.name: given(query.name, p.name)} for p in query.parameters)]


CASES = [(name, params) for name in NAMES for params in parameter_sets(catalogue.find(name))]
IDS = [name + "".join(f"[{k}={v}]" for k, v in params.items()) for name, params in CASES]


def as_grlc_sends(query: CannedQuery, params: dict[str, str]) -> str:
    """The query text as grlc 1.3 sends it to the endpoint (grlc.gquery.rewrite_query_standard).

    Each IRI value given is written as ``<IRI>`` in place of every occurrence
    of its variable (``?__case_iri``), comments included; the variables of
    the parameters left out stay as they are, unbound.
    """
    text = query.text
    for parameter in query.parameters:
        if parameter.name in params:
            assert parameter.type is catalogue.ParamType.IRI, "only IRI parameters are written like this"
            text = text.replace(f"?{parameter.variable}", f"<{expand_iri(parameter.name, params[parameter.name])}>")
    return text


# --------------------------------------------------------------------------
# The engines
# --------------------------------------------------------------------------


def kg_files() -> list[Path]:
    """The ontology and the data files, as collabkg reads them."""
    return [bundle.ontology_path(), *expand([bundle.data_dir()])]


@pytest.fixture(scope="module")
def reference() -> Store:
    return open_store()


@pytest.fixture(scope="module")
def union_server(oxigraph_server: OxigraphServer) -> str:  # noqa: F811
    """The session's Oxigraph server (union default graph), the graph in its named graphs: its query URL."""
    oxigraph_server.load(bundle.ontology_path(), GRAPH_ONTOLOGY)
    oxigraph_server.load_all(expand([bundle.data_dir()]), GRAPH_DATA)
    return oxigraph_server.query_url


@pytest.fixture(scope="module")
def plain_server() -> Iterator[str]:
    """An Oxigraph server without the union default graph: the graph in its default graph, and
    again in the named graphs of the ontology and the data. Its query URL."""
    with OxigraphServer(union_default_graph=False) as server:
        server.load_all(kg_files())
        server.load(bundle.ontology_path(), GRAPH_ONTOLOGY)
        server.load_all(expand([bundle.data_dir()]), GRAPH_DATA)
        yield server.query_url


@pytest.fixture(scope="module")
def virtuoso_store(request: pytest.FixtureRequest) -> Store:
    """Virtuoso 7 holding the graph in a named graph of this module's own, named as the dataset.

    The graph goes in as a user puts it there, by ``collabkg load`` (through
    Virtuoso's authenticated endpoint).
    """
    try:
        server = request.getfixturevalue("virtuoso")
    except pytest.FixtureLookupError:
        pytest.skip("no 'virtuoso' fixture (tests/virtuoso_server.py) to start Virtuoso with")
    graph = f"urn:collabkg:test-portability:{uuid.uuid4()}"
    loaded = run_collabkg(
        "load", "--endpoint", server.auth_url, "--user", server.user,
        "--password-env", "COLLABKG_TEST_VIRTUOSO_PASSWORD", "--graph", graph,
        COLLABKG_TEST_VIRTUOSO_PASSWORD=server.password,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr.decode()
    assert server.count(graph) == len(open_store())
    return open_store(f"sparql:{server.sparql_url}", remote=RemoteOptions(default_graphs=(graph,)))


ENGINES = ["rdflib", "oxigraph-server", "oxigraph-server-default-graph", "oxigraph-server-dataset", "virtuoso"]


def store_of(engine_name: str, request: pytest.FixtureRequest) -> Store:
    """The store of an engine of ENGINES, its server started (or the test skipped) on first use."""
    if engine_name == "rdflib":
        return request.getfixturevalue("rdflib_store")
    if engine_name == "oxigraph-server":
        return open_store(f"sparql:{request.getfixturevalue('union_server')}")
    if engine_name == "oxigraph-server-default-graph":
        return open_store(f"sparql:{request.getfixturevalue('plain_server')}")
    if engine_name == "oxigraph-server-dataset":
        return open_store(
            f"sparql:{request.getfixturevalue('plain_server')}",
            remote=RemoteOptions(default_graphs=(GRAPH_ONTOLOGY, GRAPH_DATA)),
        )
    assert engine_name == "virtuoso"
    return request.getfixturevalue("virtuoso_store")


@pytest.fixture(scope="module")
def rdflib_store() -> Store:
    return open_store("rdflib")


# --------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_the_reference_answer_is_the_expected_one_or_a_real_selection(name, params, reference):
    answer = run(name, params, store=reference)
    assert isinstance(answer, Solutions)
    if not params:
        query = catalogue.find(name)
        assert_same(answer, load_expected(name), ordered=is_ordered(query.text), label=name)
    else:
        assert answer.rows, f"{name} {params}: choose a value that selects something (GIVEN)"
        everything = run(name, {}, store=reference)
        assert normal_rows(answer) != normal_rows(everything), f"{name} {params}: the value selects nothing less"


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_every_engine_gives_the_same_rows_in_the_same_order(name, params, engine_name, reference, request):
    store = store_of(engine_name, request)
    expected = run(name, params, store=reference)
    answer = run(name, params, store=store)
    assert isinstance(answer, Solutions) and isinstance(expected, Solutions)
    assert answer.variables == expected.variables
    label = f"{name} {params} on {engine_name}"
    assert_same(answer, expected, ordered=True, label=label)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_the_text_grlc_sends_means_what_collabkg_binds(name, params, reference):
    """Values written in place of the variables (grlc) and bound in a VALUES block (collabkg) agree.

    With no parameter given, the text runs with every parameter unbound: the
    query's own defaults must then be those of its ``#+ defaults``.
    """
    query = catalogue.find(name)
    text = as_grlc_sends(query, params)
    left = [p.variable for p in query.parameters if p.name not in params]
    assert [p.variable for p in catalogue.parameters_of(text)] == left, "a value was not written everywhere"
    sent = reference.query(text)
    bound = run(query, params, store=reference)
    assert isinstance(sent, Solutions) and isinstance(bound, Solutions)
    assert_same(sent, bound, ordered=True, label=f"{name} {params} as grlc sends it")


@pytest.mark.parametrize("engine_name", ["rdflib", "virtuoso"])
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_the_text_grlc_sends_gives_the_same_rows_on_other_engines(name, params, engine_name, reference, request):
    """grlc may serve the queries from any endpoint: its texts are portable too."""
    store = store_of(engine_name, request)
    text = as_grlc_sends(catalogue.find(name), params)
    answer, expected = store.query(text), reference.query(text)
    assert isinstance(answer, Solutions) and isinstance(expected, Solutions)
    assert_same(answer, expected, ordered=True, label=f"{name} {params} as grlc sends it, on {engine_name}")
