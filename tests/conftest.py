"""Shared test helpers: the repository's paths, an in-process CLI runner, and a tiny graph.

The ``cli`` fixture runs ``collabkg.cli.main`` in-process and returns a
:class:`Result`: the exit code and what was written to standard output and
standard error, apart (``stdout``, ``stderr``) and interleaved (``output``).

``TINY_TTL`` is a small, self-contained data graph in the project's
namespaces, with its IRIs as constants, used where a test must not depend on
the report's data; ``TINY_SHAPES_TTL`` is a small set of shapes for it.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from collabkg import bundle
from collabkg.cli import main
from virtuoso_server import virtuoso  # noqa: F401 - a fixture: a real Virtuoso 7 (see virtuoso_server.py)

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
FIXTURES = REPO / "tests" / "fixtures"
BAD = FIXTURES / "bad"
REPORT = REPO.parent / "shared" / "report" / "collaboration-executive-summary.txt"

ID = "https://w3id.org/collabkg/id/"
TABLE_1_CASES = (
    "nightingale-courts",
    "homelessness-prevention",
    "northumbria",
    "kent-fire-rescue",
    "vibrant-communities",
    "stepping-up",
)
"""The report's six case studies (the local names of their IRIs under ``case/``), in Table 1's order."""
CKG = "https://w3id.org/collabkg/ontology#"
CKS = "https://w3id.org/collabkg/shapes#"
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

CASE_ALPHA = ID + "case/alpha"
CASE_BETA = ID + "case/beta"
CASE_GAMMA = ID + "case/gamma"  # only in TINY_BAD_TTL
COLLAB_ALPHA = ID + "collaboration/alpha"

_TINY_PREFIXES = """\
@prefix ckg:     <https://w3id.org/collabkg/ontology#> .
@prefix doc:     <https://w3id.org/collabkg/id/doc/> .
@prefix case:    <https://w3id.org/collabkg/id/case/> .
@prefix collab:  <https://w3id.org/collabkg/id/collaboration/> .
@prefix agent:   <https://w3id.org/collabkg/id/agent/> .
@prefix theme:   <https://w3id.org/collabkg/id/theme/> .
@prefix factor:  <https://w3id.org/collabkg/id/factor/> .
@prefix dim:     <https://w3id.org/collabkg/id/dimension/> .
@prefix example: <https://w3id.org/collabkg/id/example/> .
@prefix quote:   <https://w3id.org/collabkg/id/quote/> .
@prefix fact:    <https://w3id.org/collabkg/id/fact/> .
@prefix assert:  <https://w3id.org/collabkg/id/assertion/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
"""

TINY_TTL = (
    _TINY_PREFIXES
    + """
doc:report a ckg:Report ; rdfs:label "A tiny report"@en ; ckg:hasMethodology doc:methodology .
doc:methodology a ckg:Methodology ; ckg:participantCount 7 .

case:alpha a ckg:CaseStudy ; rdfs:label "Alpha"@en ;
    ckg:participantCount 3 ; ckg:describesCollaboration collab:alpha .
case:beta a ckg:CaseStudy ; rdfs:label "Beta"@en ;
    ckg:participantCount 4 ; ckg:describesCollaboration collab:beta .
collab:alpha a ckg:Collaboration ; rdfs:label "Alpha collaboration"@en .
collab:beta a ckg:Collaboration ; rdfs:label "Beta collaboration"@en .

agent:one a org:FormalOrganization ; rdfs:label "One"@en .
agent:two a org:Organization ; rdfs:label "Two"@en .
agent:many a ckg:OrganisationGroup ; rdfs:label "Local groups"@en .

theme:motivations a ckg:Theme ; skos:prefLabel "Motivations"@en ; skos:notation "1" .
theme:structures a ckg:Theme ; rdfs:label "Structures"@en ; skos:notation "2" .
factor:m-c1 a ckg:Factor ; ckg:hasTheme theme:motivations ; ckg:hasPolarity ckg:challenge .
factor:m-c2 a ckg:Factor ; ckg:hasTheme theme:motivations ; ckg:hasPolarity ckg:challenge .
factor:m-e1 a ckg:Factor ; ckg:hasTheme theme:motivations ; ckg:hasPolarity ckg:enabler .
factor:s-c1 a ckg:Factor ; ckg:hasTheme theme:structures ; ckg:hasPolarity ckg:challenge .

dim:formality a ckg:Dimension ; rdfs:label "formality"@en .
dim:formal a ckg:Pole ; ckg:poleOf dim:formality ; ckg:oppositePole dim:informal .
dim:informal a ckg:Pole ; ckg:poleOf dim:formality .

example:alpha a ckg:IllustrativeExample ; ckg:ofCase case:alpha ; ckg:hasQuotation quote:alpha .
quote:alpha a ckg:Quotation ; oa:hasSource doc:report ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "It worked." ] .
fact:alpha-days a ckg:QuantitativeFact ; ckg:value 3 ; ckg:aboutCase case:alpha .

assert:a1 a ckg:Assertion ; ckg:assertionStatus ckg:stated .
assert:a2 a ckg:Assertion ; ckg:assertionStatus ckg:stated .
assert:a3 a ckg:Assertion ; ckg:assertionStatus ckg:derived ; ckg:basis "7 - 3" .
assert:a4 a ckg:Assertion ; ckg:assertionStatus ckg:interpretive ; ckg:basis "a reading" .
"""
)

# Two case studies that break TINY_SHAPES_TTL: one with a negative count, one
# with no count and a collaboration that is not an organisation.
TINY_BAD_TTL = (
    _TINY_PREFIXES
    + """
case:gamma a ckg:CaseStudy ; rdfs:label "Gamma"@en ; ckg:participantCount -1 .
case:delta a ckg:CaseStudy ; ckg:describesCollaboration doc:not-a-collaboration .
"""
)

TINY_SHAPES_TTL = """\
@prefix ckg: <https://w3id.org/collabkg/ontology#> .
@prefix cks: <https://w3id.org/collabkg/shapes#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix sh:  <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

cks:CaseStudyShape a sh:NodeShape ;
    sh:targetClass ckg:CaseStudy ;
    sh:property cks:CaseStudy-participantCount , cks:CaseStudy-describesCollaboration .

cks:CaseStudy-participantCount a sh:PropertyShape ;
    sh:path ckg:participantCount ;
    sh:minCount 1 ;
    sh:maxCount 1 ;
    sh:datatype xsd:integer ;
    sh:minInclusive 0 ;
    sh:message "A case study has one participant count, a non-negative integer." .

# sh:class org:Organization holds for a ckg:Collaboration only through the
# ontology's rdfs:subClassOf chain.
cks:CaseStudy-describesCollaboration a sh:PropertyShape ;
    sh:path ckg:describesCollaboration ;
    sh:class org:Organization .
"""


@dataclass(frozen=True)
class Result:
    """One in-process run of the CLI; the text attributes are decoded as UTF-8, CRLF read as LF."""

    exit_code: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    output_bytes: bytes
    """Standard output and standard error interleaved, as a terminal shows them."""

    @staticmethod
    def _text(data: bytes) -> str:
        return data.decode("utf-8", "replace").replace("\r\n", "\n")

    @property
    def stdout(self) -> str:
        return self._text(self.stdout_bytes)

    @property
    def stderr(self) -> str:
        return self._text(self.stderr_bytes)

    @property
    def output(self) -> str:
        return self._text(self.output_bytes)


class _Tee(io.BytesIO):
    """A byte stream that also copies what is written to it into ``mixed``."""

    def __init__(self, mixed: io.BytesIO) -> None:
        super().__init__()
        self.mixed = mixed

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        self.mixed.write(data)
        return super().write(data)


@pytest.fixture(scope="session")
def report_text() -> str:
    """The report's text (``../shared/report/``), which the quotations are checked against."""
    if not REPORT.is_file():
        pytest.skip(f"the report's text is not beside the repository ({REPORT.name} missing)")
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the CLI in-process: ``cli("stats", "--format", "json")``."""

    def run(*args: str) -> Result:
        mixed = io.BytesIO()
        out, err = _Tee(mixed), _Tee(mixed)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = (
            io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True) for stream in (out, err)
        )
        try:
            exit_code = main(list(args))
            return Result(exit_code, out.getvalue(), err.getvalue(), mixed.getvalue())
        finally:
            sys.stdout, sys.stderr = saved

    return run


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """TINY_TTL as a file."""
    path = tmp_path / "tiny.ttl"
    path.write_text(TINY_TTL, encoding="utf-8")
    return path


@pytest.fixture
def tiny_bad(tmp_path: Path) -> Path:
    """TINY_BAD_TTL as a file."""
    path = tmp_path / "tiny-bad.ttl"
    path.write_text(TINY_BAD_TTL, encoding="utf-8")
    return path


@pytest.fixture
def tiny_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Validate against TINY_SHAPES_TTL instead of the bundled shapes."""
    path = tmp_path / "tiny-shapes.ttl"
    path.write_text(TINY_SHAPES_TTL, encoding="utf-8")
    monkeypatch.setattr(bundle, "shapes_path", lambda: path)
    return path


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running collabkg from the source tree in a subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_collabkg(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """``python -m collabkg ARGS`` from the source tree, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "collabkg", *args],
        cwd=cwd or REPO,
        env=subprocess_env(**env),
        capture_output=True,
        timeout=300,
    )


def script_module(relative: str) -> types.ModuleType:
    """A script of the repository (``benchmarks/generate.py``) as a module; loaded once."""
    name = "collabkg_script_" + relative.replace("/", "_").removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / relative)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def corpus_generator() -> types.ModuleType:
    """benchmarks/generate.py as a module (benchmarks/ is not a package)."""
    return script_module("benchmarks/generate.py")
