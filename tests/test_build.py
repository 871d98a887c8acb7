"""``collabkg build``: deterministic Turtle, written atomically, only for conforming data."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CASE_ALPHA, TINY_TTL, Result, run_collabkg, subprocess_env

from collabkg import files as files_module
from collabkg import bundle
from collabkg.build import build
from collabkg.turtle import serialize_turtle
from collabkg.files import atomic_write
from collabkg.readers import iter_quads

EX = "http://example.org/"

TINY_BAD_REPORT = """\
Does not conform: 3 violations.

1. Violation: case:delta
   path:    ckg:describesCollaboration
   value:   doc:not-a-collaboration
   message: Value does not have class org:Organization
   shape:   cks:CaseStudy-describesCollaboration (ClassConstraintComponent)

2. Violation: case:delta
   path:    ckg:participantCount
   message: A case study has one participant count, a non-negative integer.
   shape:   cks:CaseStudy-participantCount (MinCountConstraintComponent)

3. Violation: Gamma (case:gamma)
   path:    ckg:participantCount
   value:   "-1"^^xsd:integer
   message: A case study has one participant count, a non-negative integer.
   shape:   cks:CaseStudy-participantCount (MinInclusiveConstraintComponent)
"""
"""TINY_BAD_TTL against TINY_SHAPES_TTL: case:gamma's negative count, case:delta's missing count and its
collaboration that is not an organisation."""


def _canonical(triples) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def _parse(turtle: bytes) -> list[ox.Quad]:
    return list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))


def _iri(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


# --------------------------------------------------------------------------
# The Turtle writer
# --------------------------------------------------------------------------


def test_turtle_round_trips_the_ontology() -> None:
    quads = list(iter_quads([bundle.ontology_path()]))
    turtle = serialize_turtle(quads)
    assert _canonical(_parse(turtle)) == _canonical(quads)
    assert b"_:" not in turtle  # every blank node of the ontology is written inline


def test_turtle_does_not_depend_on_input_order() -> None:
    quads = list(iter_quads([bundle.ontology_path()]))
    shuffled = quads[:]
    random.Random(7).shuffle(shuffled)
    assert serialize_turtle(shuffled) == serialize_turtle(quads)


def test_turtle_does_not_depend_on_blank_node_labels() -> None:
    # the same graph parsed twice gets different random blank-node ids
    first = list(iter_quads([bundle.ontology_path()]))
    second = list(iter_quads([bundle.ontology_path()]))
    assert {q.subject for q in first} != {q.subject for q in second}
    assert serialize_turtle(first) == serialize_turtle(second)


def test_turtle_layout_prefixes_lists_and_literals() -> None:
    p = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    case = ox.NamedNode(CASE_ALPHA)
    first, rest = (
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"),
    )
    nil = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")
    l1, l2 = ox.BlankNode("l1"), ox.BlankNode("l2")
    triples = [
        ox.Triple(case, p, ox.Literal('Say "hi"\n', language="en")),
        ox.Triple(case, _iri("n"), ox.Literal("5", datatype=ox.NamedNode(xsd + "integer"))),
        ox.Triple(case, _iri("d"), ox.Literal("1.50", datatype=ox.NamedNode(xsd + "decimal"))),
        ox.Triple(case, _iri("t"), ox.Literal("2021-01", datatype=ox.NamedNode(xsd + "gYearMonth"))),
        ox.Triple(case, _iri("list"), l1),
        ox.Triple(l1, first, _iri("a")),
        ox.Triple(l1, rest, l2),
        ox.Triple(l2, first, ox.Literal("b")),
        ox.Triple(l2, rest, nil),
    ]
    assert serialize_turtle(triples).decode() == (
        "@prefix case: <https://w3id.org/collabkg/id/case/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "\n"
        "case:alpha rdfs:label \"Say \\\"hi\\\"\\n\"@en ;\n"
        "    <http://example.org/d> 1.50 ;\n"
        "    <http://example.org/list> ( <http://example.org/a> \"b\" ) ;\n"
        "    <http://example.org/n> 5 ;\n"
        "    <http://example.org/t> \"2021-01\"^^xsd:gYearMonth .\n"
    )
    assert _canonical(_parse(serialize_turtle(triples))) == _canonical(triples)


def test_turtle_keeps_the_lexical_form_of_every_literal() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    forms = [
        ("13.0", "decimal"), ("+1", "integer"), ("01", "integer"), ("-0", "integer"),
        ("1.0E0", "double"), ("1.50", "float"), ("1", "boolean"), ("1", "int"),
        ("2021-01-01T00:00:00.000Z", "dateTime"), ("abc", "integer"),
    ]
    triples = [
        ox.Triple(_iri(f"s{i}"), _iri("v"), ox.Literal(value, datatype=ox.NamedNode(xsd + name)))
        for i, (value, name) in enumerate(forms)
    ]
    triples.append(ox.Triple(_iri("s0"), _iri("v"), ox.Literal("13.0", datatype=ox.NamedNode(xsd + "decimal"))))
    written = _parse(serialize_turtle(triples))
    assert sorted(str(q.object) for q in written) == sorted(
        f'"{value}"^^<{xsd}{name}>' for value, name in forms
    )


def test_build_keeps_blank_nodes_of_different_files_apart(tmp_path: Path) -> None:
    from collabkg.turtle import TurtleWriter as _TurtleWriter
    from collabkg.namespaces import PREFIXES

    for name, label in (("a.ttl", "A"), ("b.ttl", "B")):
        (tmp_path / name).write_text(f'<{EX}{name}> <{EX}p> _:b0 .\n_:b0 <{EX}label> "{label}" .\n')
    writer = _TurtleWriter(iter_quads([tmp_path / "a.ttl", tmp_path / "b.ttl"]), PREFIXES)
    assert writer.triples == 4
    assert b"".join(writer.chunks()).decode() == (
        "\n\n"
        f'<{EX}a.ttl> <{EX}p> [\n        <{EX}label> "A"\n    ] .\n'
        "\n"
        f'<{EX}b.ttl> <{EX}p> [\n        <{EX}label> "B"\n    ] .\n'
    )


def test_turtle_labels_shared_and_cyclic_blank_nodes_canonically() -> None:
    shared, a, b = ox.BlankNode("s"), ox.BlankNode("a"), ox.BlankNode("b")
    triples = [
        ox.Triple(_iri("x"), _iri("p"), shared),
        ox.Triple(_iri("y"), _iri("p"), shared),
        ox.Triple(shared, _iri("v"), ox.Literal("shared")),
        ox.Triple(a, _iri("next"), b),  # a two-node cycle nobody else points at
        ox.Triple(b, _iri("next"), a),
        ox.Triple(_iri("z"), _iri("p"), ox.BlankNode("leaf")),
    ]
    turtle = serialize_turtle(triples)
    assert _canonical(_parse(turtle)) == _canonical(triples)
    # labels as RDFC-1.0 gives them (the leaf _:c14n0, the shared node _:c14n1, the cycle _:c14n2 and
    # _:c14n3); a node only one triple points at is written inline, one of a cycle inside the other
    assert turtle.decode() == (
        "\n\n"
        f"<{EX}x> <{EX}p> _:c14n1 .\n\n"
        f"<{EX}y> <{EX}p> _:c14n1 .\n\n"
        f"<{EX}z> <{EX}p> [] .\n\n"
        f'_:c14n1 <{EX}v> "shared" .\n\n'
        f"_:c14n2 <{EX}next> [\n        <{EX}next> _:c14n2\n    ] .\n"
    )
    renamed = [
        ox.Triple(
            *(ox.BlankNode(t.value + "-other") if isinstance(t, ox.BlankNode) else t
              for t in (tr.subject, tr.predicate, tr.object))
        )
        for tr in triples
    ]
    assert serialize_turtle(reversed(renamed)) == turtle


# --------------------------------------------------------------------------
# build()
# --------------------------------------------------------------------------


def test_build_writes_the_merged_graph(tiny: Path, tiny_shapes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "kg.ttl"
    result = build(out, [tiny])
    assert result.written and result.conforms
    merged = list(iter_quads([bundle.ontology_path()])) + list(iter_quads([tiny]))
    assert _canonical(_parse(out.read_bytes())) == _canonical(merged)
    assert result.triples == len(_canonical(merged))
    assert [p.name for p in out.parent.iterdir()] == ["kg.ttl"]


def test_build_output_is_the_same_for_shuffled_input(
    tiny: Path, tiny_shapes: Path, tmp_path: Path
) -> None:
    lines = TINY_TTL.splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = TINY_TTL[TINY_TTL.index("\n\n") :].split(" .\n")
    random.Random(3).shuffle(body)
    shuffled = tmp_path / "shuffled.ttl"
    shuffled.write_text("\n".join(prefixes) + "\n" + " .\n".join(b for b in body if b.strip()) + " .\n")
    build(tmp_path / "a.ttl", [tiny])
    build(tmp_path / "b.ttl", [shuffled])
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


def test_build_to_stdout(cli: Callable[..., Result], tiny: Path, tiny_shapes: Path, tmp_path: Path) -> None:
    result = cli("--data", str(tiny), "build", "-o", "-")
    assert result.exit_code == 0
    build(tmp_path / "kg.ttl", [tiny])
    assert result.stdout_bytes == (tmp_path / "kg.ttl").read_bytes()
    assert result.stderr == ""


def test_build_reports_where_it_wrote(
    cli: Callable[..., Result], tiny: Path, tiny_shapes: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("--data", str(tiny), "build")
    assert (result.exit_code, result.stderr) == (0, "")
    written = tmp_path / "dist" / "collabkg.ttl"
    triples = len(_canonical(_parse(written.read_bytes())))
    assert result.stdout == f"wrote dist/collabkg.ttl ({triples} triples)\n"


# --------------------------------------------------------------------------
# Atomic writes: a failed build leaves the old output as it was
# --------------------------------------------------------------------------


def test_nonconforming_build_writes_nothing(
    cli: Callable[..., Result], tiny_bad: Path, tiny_shapes: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kg.ttl"
    out.write_bytes(b"previous build\n")
    result = cli("--data", str(tiny_bad), "build", "-o", str(out))
    assert (result.exit_code, result.stdout) == (1, "")
    assert out.read_bytes() == b"previous build\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.ttl", "tiny-bad.ttl", "tiny-shapes.ttl"]
    assert result.stderr == TINY_BAD_REPORT + f"collabkg: build: data does not conform; {out} not written\n"


def test_nonconforming_build_to_stdout_prints_no_turtle(
    cli: Callable[..., Result], tiny_bad: Path, tiny_shapes: Path
) -> None:
    result = cli("--data", str(tiny_bad), "build", "-o", "-")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == TINY_BAD_REPORT + "collabkg: build: data does not conform; nothing written\n"


def test_failure_while_writing_leaves_old_output_and_no_temp_file(
    cli: Callable[..., Result], tiny: Path, tiny_shapes: Path, tmp_path: Path, monkeypatch
) -> None:
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    out = out_dir / "kg.ttl"
    out.write_bytes(b"previous build\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module.os, "replace", broken_replace)
    result = cli("--data", str(tiny), "build", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"collabkg: error: {out}: cannot write: No space left on device\n"
    assert out.read_bytes() == b"previous build\n"
    assert [p.name for p in out_dir.iterdir()] == ["kg.ttl"]


def test_interrupted_write_leaves_old_output_and_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "kg.ttl"
    out.write_bytes(b"previous build\n")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files_module.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(out, b"new content that never lands\n")
    assert out.read_bytes() == b"previous build\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_failure_midway_through_chunks_leaves_old_output_and_no_temp_file(tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    out.write_bytes(b"previous build\n")

    def chunks():
        yield b"@prefix ex: <http://example.org/> .\n"
        raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError, match="the writer failed"):
        atomic_write(out, chunks())
    assert out.read_bytes() == b"previous build\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_atomic_write_replaces_and_keeps_the_file_mode(tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    out.write_bytes(b"old\n")
    os.chmod(out, 0o640)
    atomic_write(out, b"new\n")
    assert out.read_bytes() == b"new\n"
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


# --------------------------------------------------------------------------
# Determinism of the real build, across processes and hash seeds
# --------------------------------------------------------------------------


def test_build_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1", "4242"):
        out = tmp_path / f"kg-{seed}.ttl"
        proc = run_collabkg("build", "-o", str(out), cwd=tmp_path, PYTHONHASHSEED=seed)
        assert proc.returncode == 0, proc.stderr.decode()
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) > 10_000
    assert b"_:" not in outputs[0]


def test_tiny_build_is_byte_identical_across_hash_seeds(
    tiny: Path, tiny_shapes: Path, tmp_path: Path
) -> None:
    """The same check on the tiny graph, independent of the bundled data and shapes."""
    script = (
        "import sys, pathlib\n"
        "from collabkg import bundle\n"
        "from collabkg.build import build\n"
        "bundle.shapes_path = lambda: pathlib.Path(sys.argv[1])\n"
        "assert build(sys.argv[3], [sys.argv[2]]).written\n"
    )
    outputs = []
    for seed in ("0", "1", "4242"):
        out = tmp_path / f"tiny-{seed}.ttl"
        proc = subprocess.run(
            [sys.executable, "-c", script, str(tiny_shapes), str(tiny), str(out)],
            env=subprocess_env(PYTHONHASHSEED=seed),
            capture_output=True,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
