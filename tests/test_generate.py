"""The synthetic corpus generator (``benchmarks/generate.py``): valid, usable through --data, deterministic."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Result, corpus_generator

from collabkg.validate import validate

SMALL = 4_000  # the bundled data (about 2,700 triples) and a synthetic report of a few cases




generate = corpus_generator()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.nt"
    assert generate.main(["--triples", str(SMALL), "--seed", "7", "-o", str(path)]) == 0
    return path


def _triples(path: Path) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path))}


def test_corpus_conforms_to_the_shapes(corpus: Path) -> None:
    report = validate([corpus])
    assert report.violations == [], report.to_text()
    assert report.conforms


def test_corpus_works_with_stats_through_data(cli: Callable[..., Result], corpus: Path) -> None:
    result = cli("--data", str(corpus), "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    flat = json.dumps(counts)
    assert '"factors": 29' in flat and '"themes": 3' in flat  # the bundled framework, linked to
    synthetic = sum(1 for line in corpus.open(encoding="utf-8") if "ontology#CaseStudy> ." in line) - 6
    assert synthetic >= 1
    assert f'"case_studies": {6 + synthetic}' in flat


def test_corpus_passes_the_qc_checks(cli: Callable[..., Result], corpus: Path) -> None:
    result = cli("--data", str(corpus), "qc")
    assert result.exit_code == 0, result.output


def test_size_is_about_the_target(corpus: Path) -> None:
    count = sum(1 for _ in corpus.open(encoding="utf-8"))
    assert count == len(_triples(corpus))  # no duplicate triples
    assert SMALL <= count < SMALL + 600  # stops at the first case that reaches the target


def test_corpus_links_the_bundled_factors_and_includes_the_bundled_data(corpus: Path) -> None:
    from collabkg import bundle
    from collabkg.readers import iter_quads

    bundled = {ox.Triple(q.subject, q.predicate, q.object) for q in iter_quads([bundle.data_dir()])}
    triples = _triples(corpus)
    assert bundled <= triples
    exemplified = {
        t.object.value
        for t in triples
        if t.predicate.value.endswith("#exemplifies") and "/example/synthetic-" in t.subject.value
    }
    assert exemplified and all(iri.startswith("https://w3id.org/collabkg/id/factor/") for iri in exemplified)
    factors = {t.subject.value for t in bundled if t.object == ox.NamedNode("https://w3id.org/collabkg/ontology#Factor")}
    assert exemplified <= factors


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("a.nt", "b.nt", "c.nt")]
    for path, seed in zip(paths, (3, 3, 4)):
        generate.main(["--triples", "6000", "--seed", str(seed), "-o", str(path)])
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_turtle_and_ntriples_hold_the_same_triples(tmp_path: Path) -> None:
    nt, ttl = tmp_path / "x.nt", tmp_path / "x.ttl"
    generate.main(["--triples", "6000", "--seed", "5", "-o", str(nt)])
    generate.main(["--triples", "6000", "--seed", "5", "-o", str(ttl)])
    assert _triples(nt) == _triples(ttl)


def test_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "corpus.nt"
    generate.main(["--triples", "3000", "--seed", "1", "-o", str(out)])
    assert [p.name for p in out.parent.iterdir()] == ["corpus.nt"]  # no temporary file left behind

    def broken():
        yield "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        generate.write(out, broken())
    assert [p.name for p in out.parent.iterdir()] == ["corpus.nt"]
    assert len(_triples(out)) > 3000  # the old file is untouched


@pytest.mark.parametrize(("text", "triples"), [("10k", 10_000), ("1m", 1_000_000), ("250000", 250_000), ("2.5k", 2_500)])
def test_sizes(text: str, triples: int) -> None:
    assert generate.parse_size(text) == triples
