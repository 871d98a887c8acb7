"""``collabkg export``: every format deterministic, round-tripping, and written atomically."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import CASE_ALPHA, TINY_TTL, Result, run_collabkg
from rdflib.compare import isomorphic

from collabkg import bundle
from collabkg.turtle import serialize_turtle
from collabkg.formats import FormatError as ExportError
from collabkg.formats import format_for, serialize
from collabkg.graph import DEFAULT_GRAPHS, GraphChoice, KnowledgeGraph
from collabkg.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, PREFIXES
from collabkg.formats import RdfFormat
from collabkg.readers import rdflib_graph

FORMAT_NAMES = {fmt.short: fmt for fmt in RdfFormat}


def read_quads(graphs=DEFAULT_GRAPHS, data=None, inferred=None):
    """The quads of the named graphs ``graphs``, read afresh."""
    return KnowledgeGraph(data, inferred).quads(*graphs)


RDFLIB_FORMATS = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.N_TRIPLES: "nt",
    RdfFormat.N_QUADS: "nquads",
    RdfFormat.TRIG: "trig",
    RdfFormat.JSON_LD: "json-ld",
    RdfFormat.RDF_XML: "xml",
}

# A small inferred graph, with a blank node, standing in for `collabkg reason`'s output.
INFERRED_TTL = f"""\
@prefix ckg: <https://w3id.org/collabkg/ontology#> .
<{CASE_ALPHA}> a ckg:Thing ; ckg:note [ ckg:value 1 ] .
"""


@pytest.fixture
def inferred(tmp_path: Path) -> Path:
    path = tmp_path / "inferred.ttl"
    path.write_text(INFERRED_TTL, encoding="utf-8")
    return path


def _source_graphs(data: list[Path] | None, inferred: Path | None) -> dict[str, rdflib.Graph]:
    graphs = {
        GRAPH_ONTOLOGY: rdflib_graph([bundle.ontology_path()]),
        GRAPH_DATA: rdflib_graph(data or [bundle.data_dir()]),
    }
    if inferred is not None:
        graphs[GRAPH_INFERRED] = rdflib_graph([inferred])
    return graphs


def _merged(graphs: dict[str, rdflib.Graph]) -> rdflib.Graph:
    merged = rdflib.Graph()
    for graph in graphs.values():
        merged += graph
    return merged


# --------------------------------------------------------------------------
# Choosing the format
# --------------------------------------------------------------------------


def test_format_comes_from_the_flag_then_the_extension_then_turtle() -> None:
    assert format_for("trig", "kg.ttl") is RdfFormat.TRIG
    assert format_for(None, "out/kg.nq") is RdfFormat.N_QUADS
    assert format_for(None, "kg.owl") is RdfFormat.RDF_XML
    assert format_for(None, "-") is RdfFormat.TURTLE
    assert format_for(None, None) is RdfFormat.TURTLE


def test_unknown_extension_is_an_error_that_names_the_fix() -> None:
    with pytest.raises(ExportError, match=r"kg\.txt: cannot tell the format .*--format"):
        format_for(None, "kg.txt")


def test_cli_format_names_are_the_export_format_names(cli: Callable[..., Result]) -> None:
    help_text = cli("export", "--help").output
    assert "{" + ",".join(FORMAT_NAMES) + "}" in help_text
    assert "{" + ",".join(c.value for c in GraphChoice) + "}" in help_text


# --------------------------------------------------------------------------
# Round trips: parsed back, each format is isomorphic to its source
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FORMAT_NAMES))
def test_round_trip_of_the_bundled_graph(name: str, tmp_path: Path, inferred: Path) -> None:
    fmt = FORMAT_NAMES[name]
    output = tmp_path / f"kg.{name}"
    done = run_collabkg("export", "--graph", "all", "--inferred-file", str(inferred), "-o", str(output))
    assert done.returncode == 0, done.stderr.decode()
    sources = _source_graphs(None, inferred)
    if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
        dataset = rdflib.Dataset()
        dataset.parse(output, format=RDFLIB_FORMATS[fmt])
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert names == {GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED}
        for iri, graph in sources.items():
            assert isomorphic(dataset.graph(rdflib.URIRef(iri)), graph), iri
    else:
        parsed = rdflib.Graph().parse(output, format=RDFLIB_FORMATS[fmt])
        assert isomorphic(parsed, _merged(sources))


@pytest.mark.parametrize("name", list(FORMAT_NAMES))
def test_round_trip_keeps_blank_nodes_and_odd_literals(name: str, tmp_path: Path) -> None:
    data = tmp_path / "odd.ttl"
    data.write_text(
        TINY_TTL
        + '\ncase:alpha rdfs:comment "tab\\there, quote \\" and\\nnewline, <tag> & é"@en-GB ;\n'
        '    ckg:shared _:s1 .\ncase:beta ckg:shared _:s1 .\n_:s1 ckg:loop _:s1 .\n',
        encoding="utf-8",
    )
    fmt = FORMAT_NAMES[name]
    quads = read_quads(DEFAULT_GRAPHS, [data])
    payload = serialize(quads, fmt)
    parsed = ox.Dataset(ox.parse(payload, format=fmt.oxigraph))
    if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG):
        expected = ox.Dataset(quads)
    else:
        expected = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    parsed.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    expected.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert parsed == expected


# --------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMAT_NAMES.values()), ids=list(FORMAT_NAMES))
def test_bytes_do_not_depend_on_input_order_or_blank_node_labels(
    fmt: RdfFormat, inferred: Path
) -> None:
    graphs = (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED)
    first = read_quads(graphs, inferred=inferred)
    second = read_quads(graphs, inferred=inferred)  # parsed again: new blank-node ids
    assert {q.subject for q in first} != {q.subject for q in second}
    random.Random(3).shuffle(second)
    assert serialize(first, fmt) == serialize(second, fmt)


def test_export_is_byte_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        output = tmp_path / f"kg-{seed}.nq"
        done = run_collabkg("export", "-o", str(output), PYTHONHASHSEED=seed)
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]


def test_blank_node_labels_are_canonical() -> None:
    text = serialize(read_quads(), RdfFormat.N_TRIPLES).decode()
    labels = {word for line in text.splitlines() for word in line.split() if word.startswith("_:")}
    assert labels, "the ontology has blank nodes"
    assert all(label.startswith("_:c14n") for label in labels)


def test_default_export_is_the_built_turtle(cli: Callable[..., Result]) -> None:
    result = cli("export")
    assert result.exit_code == 0
    quads = read_quads(DEFAULT_GRAPHS)
    assert result.stdout_bytes == serialize_turtle(quads)
    prefixes = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("@prefix")]
    assert prefixes == [name + ":" for name in PREFIXES if name + ":" in prefixes]


def test_ntriples_and_nquads_are_sorted() -> None:
    quads = read_quads()
    nt = serialize(quads, RdfFormat.N_TRIPLES).decode().splitlines()
    assert nt == sorted(nt) and len(nt) == len(set(nt))
    nq = serialize(quads, RdfFormat.N_QUADS).decode().splitlines()
    ontology = [line for line in nq if line.endswith(f"<{GRAPH_ONTOLOGY}> .")]
    assert nq[: len(ontology)] == sorted(ontology)  # the ontology's graph first, sorted


# --------------------------------------------------------------------------
# Named graphs, JSON-LD, RDF/XML
# --------------------------------------------------------------------------


@pytest.mark.parametrize("choice", list(GraphChoice))
def test_graph_choice_selects_named_graphs(choice: GraphChoice, inferred: Path) -> None:
    payload = serialize(read_quads(choice.graphs, inferred=inferred), RdfFormat.N_QUADS)
    graphs = {q.graph_name.value for q in ox.parse(payload, format=ox.RdfFormat.N_QUADS)}
    assert graphs == set(choice.graphs)


def test_trig_nests_blank_nodes_even_when_a_literal_reads_like_a_label() -> None:
    ex, graph = "http://example.org/", ox.NamedNode(GRAPH_DATA)
    node = ox.BlankNode("n")
    quads = [
        ox.Quad(ox.NamedNode(ex + "s"), ox.NamedNode(ex + "note"), ox.Literal("see _:b0"), graph),
        ox.Quad(ox.NamedNode(ex + "s"), ox.NamedNode(ex + "part"), node, graph),
        ox.Quad(node, ox.NamedNode(ex + "label"), ox.Literal("x"), graph),
    ]
    assert serialize(quads, RdfFormat.TRIG).decode() == (
        f"<{GRAPH_DATA}> {{\n"
        f'<{ex}s> <{ex}note> "see _:b0" ;\n'
        f"    <{ex}part> [\n"
        f'        <{ex}label> "x"\n'
        "    ] .\n"
        "}\n"
    )


def test_trig_writes_each_graph_once_with_stable_iris(inferred: Path) -> None:
    text = serialize(read_quads(GraphChoice.ALL.graphs, inferred=inferred), RdfFormat.TRIG).decode()
    openings = [line for line in text.splitlines() if line.endswith("{")]
    assert openings == [f"<{iri}> {{" for iri in (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED)]


def test_jsonld_has_a_compact_context(tmp_path: Path, cli: Callable[..., Result], tiny: Path) -> None:
    output = tmp_path / "kg.jsonld"
    result = cli("--data", str(tiny), "export", "-o", str(output))
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text(encoding="utf-8"))
    context = document["@context"]
    assert context and all(PREFIXES[name] == ns for name, ns in context.items())
    nodes = {node["@id"]: node for node in document["@graph"]}
    alpha = nodes["case:alpha"]
    assert alpha["@type"] == "ckg:CaseStudy"
    assert alpha["rdfs:label"] == {"@language": "en", "@value": "Alpha"}
    assert alpha["ckg:participantCount"] == {"@type": "xsd:integer", "@value": "3"}


def test_rdfxml_opens_in_owlready2(tmp_path: Path) -> None:
    owlready2 = pytest.importorskip("owlready2")
    output = tmp_path / "collabkg.owl"
    done = run_collabkg("export", "--graph", "ontology", "-o", str(output))
    assert done.returncode == 0, done.stderr.decode()
    world = owlready2.World()
    ontology = world.get_ontology(output.as_uri()).load()
    assert ontology.base_iri == "https://w3id.org/collabkg/ontology#"
    classes = {c.iri for c in world.classes()}
    assert "https://w3id.org/collabkg/ontology#CaseStudy" in classes
    factor = world["https://w3id.org/collabkg/ontology#Polarity"]
    assert factor.equivalent_to, "the owl:oneOf axiom (a list of blank nodes) survives"


def test_rdfxml_refuses_a_property_it_cannot_write(tmp_path: Path) -> None:
    data = tmp_path / "odd.ttl"
    data.write_text(f"<{CASE_ALPHA}> <http://example.org/p/1> 1 .\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"<http://example.org/p/1> cannot be written in RDF/XML"):
        serialize(read_quads([GRAPH_DATA], [data]), RdfFormat.RDF_XML)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def test_failed_export_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    data = tmp_path / "odd.ttl"
    data.write_text(f"<{CASE_ALPHA}> <http://example.org/p/1> 1 .\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "kg.rdf"
    target.write_text("old", encoding="utf-8")
    result = cli("--data", str(data), "export", "-o", str(target))
    assert result.exit_code == 2
    assert "cannot be written in RDF/XML" in result.stderr
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in out.iterdir()) == ["kg.rdf"]


def test_export_replaces_the_file_and_says_what_it_wrote(
    tmp_path: Path, cli: Callable[..., Result], tiny: Path
) -> None:
    target = tmp_path / "kg.nq"
    target.write_text("old", encoding="utf-8")
    result = cli("--data", str(tiny), "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(target.read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert result.stdout == f"wrote {target} ({len(quads)} quads, N-Quads)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.nq", "tiny.ttl"]


def test_unknown_extension_exits_2(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("export", "-o", str(tmp_path / "kg.txt"))
    assert result.exit_code == 2
    assert "cannot tell the format" in result.stderr and "--format" in result.stderr
    assert not (tmp_path / "kg.txt").exists()


def test_inferred_graph_missing_says_run_reason(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("export", "--graph", "inferred", "--inferred-file", str(tmp_path / "none.ttl"))
    assert result.exit_code == 2
    assert "collabkg reason" in result.stderr


def test_inferred_adds_the_inferences_to_the_chosen_graphs(
    tmp_path: Path, cli: Callable[..., Result], inferred: Path
) -> None:
    out = tmp_path / "kg.nq"
    result = cli("export", "--graph", "data", "--inferred-file", str(inferred), "-o", str(out))
    assert result.exit_code == 0, result.output
    graphs = {quad.graph_name.value for quad in ox.parse(path=out, format=ox.RdfFormat.N_QUADS)}
    assert graphs == {GRAPH_DATA, GRAPH_INFERRED}
