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
from collabkg.readers import iter_quads, rdflib_graph

FORMAT_NAMES = {fmt.short: fmt for fmt in RdfFormat}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NOT_RDF_XML = (
    "the property <http://example.org/p/1> cannot be written in RDF/XML (its IRI does not end in an XML name); "
    "export another format"
)


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


UNKNOWN_EXTENSION = "cannot tell the format from the extension '.txt'; add --format ttl|nt|nq|trig|jsonld|xml"


def test_unknown_extension_is_an_error_that_names_the_fix() -> None:
    with pytest.raises(ExportError) as refused:
        format_for(None, "kg.txt")
    assert str(refused.value) == f"kg.txt: {UNKNOWN_EXTENSION}"


def test_cli_format_names_are_the_export_format_names(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert list(FORMAT_NAMES) == ["ttl", "nt", "nq", "trig", "jsonld", "xml"]
    assert [c.value for c in GraphChoice] == ["ontology", "data", "inferred", "all"]
    monkeypatch.setenv("COLUMNS", "80")  # the width argparse wraps its usage at
    shown = cli("export", "--help")
    assert (shown.exit_code, shown.stderr) == (0, "")
    assert shown.stdout.splitlines()[:3] == [
        "usage: collabkg export [-h] [--format {ttl,nt,nq,trig,jsonld,xml}]",
        "                       [--graph {ontology,data,inferred,all}] [--inferred]",
        "                       [--inferred-file PATH] [-o FILE]",
    ]


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
    assert len(outputs[0].splitlines()) == len(read_quads())  # the whole graph, a quad a line


def test_blank_node_labels_are_canonical() -> None:
    text = serialize(read_quads(), RdfFormat.N_TRIPLES).decode()
    labels = {word for line in text.splitlines() for word in line.split() if word.startswith("_:")}
    assert labels, "the ontology has blank nodes"
    assert all(label.startswith("_:c14n") for label in labels)


def test_default_export_is_the_built_turtle(cli: Callable[..., Result]) -> None:
    result = cli("export")
    assert (result.exit_code, result.stderr) == (0, "")
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
    data = [line for line in nq if line.endswith(f"<{GRAPH_DATA}> .")]
    assert nq == sorted(ontology) + sorted(data)  # graph by graph, the ontology's first, each sorted
    assert len(nq) == len(quads)


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
    quads = read_quads(DEFAULT_GRAPHS, [tiny])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"wrote {output} ({len(quads)} quads, JSON-LD)\n", ""
    )
    document = json.loads(output.read_text(encoding="utf-8"))
    # the context: the project's prefixes that the graph's IRIs use
    iris = {
        term.value
        for q in quads
        for term in (q.subject, q.predicate, q.object, getattr(q.object, "datatype", None))
        if isinstance(term, ox.NamedNode)
    }
    used = {name for name, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}
    assert document["@context"] == {name: PREFIXES[name] for name in PREFIXES if name in used}
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert nodes["case:alpha"] == {
        "@id": "case:alpha",
        "@type": "ckg:CaseStudy",
        "ckg:describesCollaboration": {"@id": "collab:alpha"},
        "ckg:participantCount": {"@type": "xsd:integer", "@value": "3"},
        "rdfs:label": {"@language": "en", "@value": "Alpha"},
    }


def test_rdfxml_opens_in_owlready2(tmp_path: Path) -> None:
    owlready2 = pytest.importorskip("owlready2")
    output = tmp_path / "collabkg.owl"
    done = run_collabkg("export", "--graph", "ontology", "-o", str(output))
    assert done.returncode == 0, done.stderr.decode()
    world = owlready2.World()
    ontology = world.get_ontology(output.as_uri()).load()
    ckg = "https://w3id.org/collabkg/ontology#"
    assert ontology.base_iri == ckg
    declared = {
        t.subject.value
        for t in iter_quads([bundle.ontology_path()])
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ckg)
        and t.predicate.value == RDF_TYPE and t.object.value == "http://www.w3.org/2002/07/owl#Class"
    }
    assert {c.iri for c in world.classes() if c.iri.startswith(ckg)} == declared
    assert ckg + "CaseStudy" in declared
    # the owl:oneOf axiom (a list of blank nodes) survives
    (one_of,) = world[ckg + "Polarity"].equivalent_to
    assert isinstance(one_of, owlready2.OneOf)
    assert sorted(i.iri for i in one_of.instances) == [ckg + "challenge", ckg + "enabler"]


def test_rdfxml_refuses_a_property_it_cannot_write(tmp_path: Path) -> None:
    data = tmp_path / "odd.ttl"
    data.write_text(f"<{CASE_ALPHA}> <http://example.org/p/1> 1 .\n", encoding="utf-8")
    with pytest.raises(ExportError) as refused:
        serialize(read_quads([GRAPH_DATA], [data]), RdfFormat.RDF_XML)
    assert str(refused.value) == NOT_RDF_XML


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
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"collabkg: error: {NOT_RDF_XML}\n")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in out.iterdir()) == ["kg.rdf"]


def test_export_replaces_the_file_and_says_what_it_wrote(
    tmp_path: Path, cli: Callable[..., Result], tiny: Path
) -> None:
    target = tmp_path / "kg.nq"
    target.write_text("old", encoding="utf-8")
    result = cli("--data", str(tiny), "export", "-o", str(target))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    quads = list(ox.parse(target.read_bytes(), format=ox.RdfFormat.N_QUADS))
    written, expected = ox.Dataset(quads), ox.Dataset(read_quads(DEFAULT_GRAPHS, [tiny]))
    for dataset in (written, expected):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert written == expected
    assert result.stdout == f"wrote {target} ({len(quads)} quads, N-Quads)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.nq", "tiny.ttl"]


def test_unknown_extension_exits_2(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("export", "-o", str(tmp_path / "kg.txt"))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"collabkg: error: {tmp_path / 'kg.txt'}: {UNKNOWN_EXTENSION}\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_inferred_adds_the_inferences_to_the_chosen_graphs(
    tmp_path: Path, cli: Callable[..., Result], inferred: Path
) -> None:
    out = tmp_path / "kg.nq"
    result = cli("export", "--graph", "data", "--inferred-file", str(inferred), "-o", str(out))
    quads = list(ox.parse(path=out, format=ox.RdfFormat.N_QUADS))
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"wrote {out} ({len(quads)} quads, N-Quads)\n", "")
    assert {quad.graph_name.value for quad in quads} == {GRAPH_DATA, GRAPH_INFERRED}
    inferences = [q for q in quads if q.graph_name.value == GRAPH_INFERRED]
    assert len(inferences) == 3  # INFERRED_TTL: a type, a note, and the note's value
    assert len(quads) == len(read_quads([GRAPH_DATA])) + 3
