"""Reasoning: prove the ontology and data consistent and write what they entail.

:func:`reason` loads the bundled ontology and the data into owlready2 and runs
an OWL reasoner over them:

``hermit`` (the default)
    HermiT, a complete OWL 2 DL reasoner, run by owlready2 on Java.
``pellet``
    Pellet as bundled with owlready2. Its jars need a newer Java than many
    machines have; when the Java on ``PATH`` is too old the run stops with a
    :class:`ReasonerUnavailable` that names the Java it needs.
``owlrl``
    The OWL 2 RL rules of the pure-Python ``owlrl`` package. It is not a
    complete OWL 2 DL reasoner, but collabkg's inference axioms are written so
    that it draws the same inferences. It is used instead of HermiT or Pellet,
    with a note saying so, when no ``java`` is on ``PATH``.

The result says whether the graph is consistent, names the unsatisfiable
classes or the clash, and holds the inferred triples: the class memberships
and object-property assertions about named individuals that the ontology and
data entail but do not assert. :func:`write_inferred` writes them to a file of
their own (by default ``dist/inferred.ttl``), never into the source data; in
TriG or N-Quads they sit in the named graph ``GRAPH_INFERRED``.

Other verbs find that file with :func:`collabkg.graph.inferred_file` (a
path they can load into the graph ``GRAPH_INFERRED`` of a store) or read it
with :func:`read_inferred` (an ``rdflib.Graph``).

One module of more than the usual size because it is one thing: running a
reasoner, explaining what it found, and writing what it entailed.
"""

from __future__ import annotations

import contextlib
import enum
import io
import os
import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from collabkg import CollabkgError, PathLike, logs, namespaces
from collabkg.files import atomic_write
from collabkg.formats import RdfFormat
from collabkg.graph import DEFAULT_INFERRED, KnowledgeGraph, inferred_file
from collabkg.namespaces import GRAPH_INFERRED, ONTOLOGY_IRI, show
from collabkg.outcome import Exit, Outcome
from collabkg.readers import SourceError

if TYPE_CHECKING:
    import owlready2
    import pyoxigraph as ox
    import rdflib

log = logs.get(__name__)
STDOUT = "-"

_OWLREADY_INFERENCES = "http://inferrences/"  # the ontology owlready2 puts inferences in
_OWLRL_ERROR = "http://www.daml.org/2002/03/agents/agent-ont#error"
_CLASS_FILE_VERSION = re.compile(
    r"class file version (\d+)(?:\.\d+)?\), this version of the Java Runtime only recognizes "
    r"class file versions up to (\d+)"
)
_JVM_OPTIONS = "-XX:TieredStopAtLevel=1"
_IRI_IN_TEXT = re.compile(r"https?://[^\s,()'\"<>]+")

_OWL = namespaces.OWL
_RDF_TYPE = namespaces.RDF_TYPE
_RDFS_SUBCLASSOF = namespaces.RDFS_SUBCLASSOF
_RDFS_SUBPROPERTYOF = namespaces.RDFS + "subPropertyOf"
_IGNORED_CLASSES = {_OWL + "Thing", _OWL + "Nothing", _OWL + "NamedIndividual"}


class Reasoner(enum.Enum):
    """The reasoners ``collabkg reason`` can run."""

    HERMIT = "hermit"
    PELLET = "pellet"
    OWLRL = "owlrl"

    @property
    def label(self) -> str:
        return {"hermit": "HermiT", "pellet": "Pellet", "owlrl": "owlrl (OWL 2 RL)"}[self.value]

    @property
    def needs_java(self) -> bool:
        return self is not Reasoner.OWLRL


class ReasonerUnavailable(CollabkgError):
    """The reasoner asked for cannot run here (the CLI exits with 2)."""


@dataclass
class ReasoningResult(Outcome):
    """What a reasoner found.

    ``inferred`` holds only entailed triples that the sources do not assert;
    it is None when the graph is inconsistent (an inconsistent graph entails
    everything). ``clashes`` explains an inconsistency in words;
    ``unsatisfiable`` lists the IRIs of classes that can have no member.
    ``output`` is where the inferences were written (``"-"``: standard
    output), or None.
    """

    requested: Reasoner
    reasoner: Reasoner
    consistent: bool
    asserted: int
    seconds: float
    inferred: rdflib.Graph | None = None
    unsatisfiable: tuple[str, ...] = ()
    clashes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    output: str | None = None
    warnings: tuple[str, ...] = ()
    """Whole lines for standard error, before the notes: that the data given holds no report, say."""

    @property
    def ok(self) -> bool:
        """Consistent, with every named class satisfiable."""
        return self.consistent and not self.unsatisfiable

    @property
    def exit_code(self) -> Exit:
        return Exit.OK if self.ok else Exit.FAILED

    def _report(self) -> list[str]:
        """What was found and written, and the inferences by term of the ontology."""
        if not self.ok or self.inferred is None:
            return []
        inferred = len(self.inferred)
        lines = [f"consistent ({self._used()}): {self.asserted} asserted triples entail {inferred} more"]
        if self.output is not None and self.output != STDOUT:
            lines.append(f"wrote {self.output} ({inferred} triples; graph <{GRAPH_INFERRED}>)")
        summary = self.summary()
        if summary:
            width = max(len(term) for term, _ in summary)
            lines.append("inferred, by term of the ontology:")
            lines.extend(f"  {term:<{width}}  {count}" for term, count in summary)
        return lines

    def _used(self) -> str:
        return f"{self.reasoner.label}, {self.seconds:.1f} s"

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        if self.output == STDOUT:
            return ""
        return "".join(line + "\n" for line in self._report())

    def messages(self) -> list[str]:
        lines = [*self.warnings, *(f"collabkg: reason: note: {note}" for note in self.notes)]
        if not self.consistent:
            lines.append(
                f"collabkg: reason: inconsistent ({self._used()}): the ontology and data contradict "
                "each other; nothing written."
            )
            lines.extend(f"  - {clash}" for clash in self.clashes)
        elif self.unsatisfiable:
            one = len(self.unsatisfiable) == 1
            lines.append(
                f"collabkg: reason: unsatisfiable {'class' if one else 'classes'} ({self._used()}): "
                f"no individual can belong to {'it' if one else 'them'}; nothing written."
            )
            lines.extend(f"  - {show(iri)}" for iri in self.unsatisfiable)
        elif self.output == STDOUT:
            lines.extend(self._report())
        return lines

    def memberships(self, class_iri: str) -> set[str]:
        """The individuals inferred (not asserted) to be members of ``class_iri``."""
        if self.inferred is None:
            return set()
        from rdflib import RDF, URIRef

        return {str(s) for s in self.inferred.subjects(RDF.type, URIRef(class_iri))}

    def pairs(self, property_iri: str) -> set[tuple[str, str]]:
        """The (subject, object) pairs inferred (not asserted) for ``property_iri``."""
        if self.inferred is None:
            return set()
        from rdflib import URIRef

        return {(str(s), str(o)) for s, o in self.inferred.subject_objects(URIRef(property_iri))}

    def summary(self) -> list[tuple[str, int]]:
        """Counts of the inferred triples of the project's own terms, for a report.

        One row per class (memberships) and per property (assertions) in the
        ``ckg:`` namespace, sorted by the term's prefixed name.
        """
        if self.inferred is None:
            return []
        counts: dict[str, int] = defaultdict(int)
        for _s, p, o in self.inferred:
            term = str(o) if str(p) == _RDF_TYPE else str(p)
            if term.startswith(namespaces.CKG):
                counts[show(term)] += 1
        return sorted(counts.items())


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def reason(
    data: Sequence[PathLike] | None = None,
    reasoner: Reasoner | str = Reasoner.HERMIT,
) -> ReasoningResult:
    """Run ``reasoner`` over the bundled ontology and ``data`` (default: the bundled data).

    Raises :class:`collabkg.readers.SourceError` on unreadable input and
    :class:`ReasonerUnavailable` when the reasoner cannot run.
    """
    from collabkg import progress

    graph = KnowledgeGraph(data)
    merged = graph.rdflib()
    with progress.stage("reasoning"):
        result = reason_graph(merged, Reasoner(reasoner))
    result.warnings = tuple(graph.no_report_warning("reason"))
    return result


def infer(
    data: Sequence[PathLike] | None = None,
    reasoner: Reasoner | str = Reasoner.HERMIT,
    output: PathLike = DEFAULT_INFERRED,
) -> ReasoningResult:
    """``collabkg reason``: :func:`reason`, then write the inferences to ``output``.

    ``output`` is a file whose extension names the format, or ``"-"`` for
    Turtle on standard output. Nothing is written unless the graph is
    consistent and every class satisfiable; the format is checked before
    any reasoning.
    """
    from collabkg.files import check_output

    fmt = None if str(output) == STDOUT else _output_format(check_output(output))
    result = reason(data, reasoner)
    if result.ok and result.inferred is not None:
        if fmt is None:
            import sys

            sys.stdout.flush()
            sys.stdout.buffer.write(serialize_inferred(result.inferred))
            sys.stdout.buffer.flush()
            result.output = STDOUT
        else:
            from collabkg import progress

            with progress.stage("writing"):
                result.output = str(write_inferred(result.inferred, output))
    return result


def compute_inferences(
    data: Sequence[PathLike] | None = None, reasoner: Reasoner | str = Reasoner.HERMIT
) -> tuple[list[ox.Quad], str]:
    """The inferences ``collabkg reason`` would write, as quads in the inferred graph, and the reasoner used.

    For a verb asked for the inferences when none were written. A
    :class:`collabkg.CollabkgError` if they cannot be had: an inconsistent
    graph, an unsatisfiable class, a reasoner that fails.
    """
    import pyoxigraph as ox

    from collabkg.readers import from_rdflib, triple_terms

    result = reason(data, reasoner)
    if not result.ok or result.inferred is None:
        raise CollabkgError(
            "cannot compute the inferences: the ontology and data are inconsistent or have an "
            "unsatisfiable class; run 'collabkg reason' to see why"
        )
    graph = ox.NamedNode(GRAPH_INFERRED)
    quads = [
        ox.Quad(*triple_terms(from_rdflib(s), from_rdflib(p), from_rdflib(o)), graph) for s, p, o in result.inferred
    ]
    return quads, result._used()


def reason_graph(
    graph: rdflib.Graph, reasoner: Reasoner | str = Reasoner.HERMIT
) -> ReasoningResult:
    """Run ``reasoner`` over one rdflib graph holding both ontology and data.

    >>> import rdflib
    >>> graph = rdflib.Graph().parse(format="turtle", data='''
    ...     @prefix ckg: <https://w3id.org/collabkg/ontology#> .
    ...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     ckg:CaseStudy a owl:Class .
    ...     ckg:Pilot a owl:Class ; rdfs:subClassOf ckg:CaseStudy .
    ...     <https://w3id.org/collabkg/id/case/x> a ckg:Pilot , owl:NamedIndividual .
    ... ''')
    >>> result = reason_graph(graph, "owlrl")
    >>> result.ok, result.exit_code, result.summary()
    (True, <Exit.OK: 0>, [('ckg:CaseStudy', 1)])
    >>> result.memberships("https://w3id.org/collabkg/ontology#CaseStudy")
    {'https://w3id.org/collabkg/id/case/x'}
    """
    requested = Reasoner(reasoner)
    notes: list[str] = []
    chosen = requested
    if requested.needs_java:
        java = _java()
        if java is None:
            chosen = Reasoner.OWLRL
            notes.append(
                f"java was not found on PATH, so {requested.label} cannot run; "
                "reasoning with owlrl (OWL 2 RL rules) instead, which draws collabkg's "
                "inferences but is not a complete OWL 2 DL reasoner. Install Java 8 "
                "or newer for HermiT."
            )
        else:
            log.debug("java: %s", java)
    started = time.perf_counter()
    if chosen is Reasoner.OWLRL:
        result = _run_owlrl(graph)
    else:
        result = _run_owlready(graph, chosen)
    result.requested = requested
    result.seconds = time.perf_counter() - started
    result.notes = tuple(notes) + result.notes
    return result


# --------------------------------------------------------------------------
# owlready2: HermiT and Pellet
# --------------------------------------------------------------------------


def _java() -> str | None:
    """The path of the java executable owlready2 will run, or None if there is none."""
    import owlready2

    return shutil.which(owlready2.JAVA_EXE)


def _run_owlready(graph: rdflib.Graph, reasoner: Reasoner) -> ReasoningResult:
    import owlready2

    world = owlready2.World()
    # owlready2 parses RDF/XML and N-Triples, not Turtle.
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(ntriples), format="ntriples")
    asserted = len(graph)
    try:
        with _java_run():
            if reasoner is Reasoner.HERMIT:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
            else:
                owlready2.sync_reasoner_pellet(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ReasoningResult(
            requested=reasoner,
            reasoner=reasoner,
            consistent=False,
            asserted=asserted,
            seconds=0.0,
            clashes=tuple(diagnose(graph, reasoner)),
        )
    except owlready2.OwlReadyJavaError as error:
        raise ReasonerUnavailable(_java_failure(reasoner, str(error))) from error
    unsatisfiable = tuple(
        sorted(
            c.iri
            for c in world.inconsistent_classes()
            if getattr(c, "iri", _OWL + "Nothing") != _OWL + "Nothing"
        )
    )
    raw = _owlready_inferences(world)
    inferred = None if unsatisfiable else materialise(graph, raw)
    return ReasoningResult(
        requested=reasoner,
        reasoner=reasoner,
        consistent=True,
        asserted=asserted,
        seconds=0.0,
        inferred=inferred,
        unsatisfiable=unsatisfiable,
    )


@contextlib.contextmanager
def _java_run() -> Iterator[None]:
    """Set up the process for one owlready2 reasoner run, and restore it after.

    ``tempfile`` points at a private folder that is removed afterwards, as
    owlready2 hands the graph to Java in a temporary file that it leaves
    behind when the Java process fails. The JVM is asked to compile with its
    quick compiler only (``-XX:TieredStopAtLevel=1``), which halves HermiT's
    time on a graph of this size, where start-up dominates.
    """
    saved_tempdir = tempfile.tempdir
    saved_options = os.environ.get("JAVA_TOOL_OPTIONS")
    with tempfile.TemporaryDirectory(prefix="collabkg-reason-") as scratch:
        tempfile.tempdir = scratch
        os.environ["JAVA_TOOL_OPTIONS"] = " ".join(
            filter(None, [saved_options, _JVM_OPTIONS])
        )
        try:
            yield
        finally:
            tempfile.tempdir = saved_tempdir
            if saved_options is None:
                os.environ.pop("JAVA_TOOL_OPTIONS", None)
            else:
                os.environ["JAVA_TOOL_OPTIONS"] = saved_options


def _owlready_inferences(world: owlready2.World) -> rdflib.Graph:
    """The triples owlready2 added from the reasoner's output, as an rdflib graph."""
    import rdflib

    raw = rdflib.Graph()
    inferences = world.get_ontology(_OWLREADY_INFERENCES)
    buffer = io.BytesIO()
    inferences.save(buffer, format="ntriples")
    if buffer.getvalue().strip():
        raw.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    return raw


def _java_failure(reasoner: Reasoner, message: str) -> str:
    """A one-paragraph explanation of why the reasoner's Java process failed."""
    versions = _CLASS_FILE_VERSION.search(message)
    if versions:
        needed, have = (int(v) - 44 for v in versions.groups())  # class file 61 = Java 17
        hint = (
            "use the default reasoner, HermiT (--reasoner hermit), "
            f"or put Java {needed} or newer on PATH"
        )
        return (
            f"{reasoner.label} cannot run on this Java: the {reasoner.label} bundled with "
            f"owlready2 needs Java {needed} or newer (class file version {needed + 44}), "
            f"and the java on PATH is Java {have}; {hint}."
        )
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    errors = [line for line in lines if "Exception" in line or "Error" in line]
    detail = errors[0] if errors else (lines[-1] if lines else "no message")
    return f"{reasoner.label} failed to run: {detail}"


# --------------------------------------------------------------------------
# owlrl
# --------------------------------------------------------------------------


def _run_owlrl(graph: rdflib.Graph) -> ReasoningResult:
    closure, errors = _owlrl_closure(graph)
    if errors:
        return ReasoningResult(
            requested=Reasoner.OWLRL,
            reasoner=Reasoner.OWLRL,
            consistent=False,
            asserted=len(graph),
            seconds=0.0,
            clashes=tuple(_explain(closure, errors)),
        )
    return ReasoningResult(
        requested=Reasoner.OWLRL,
        reasoner=Reasoner.OWLRL,
        consistent=True,
        asserted=len(graph),
        seconds=0.0,
        inferred=materialise(graph, closure),
    )


def _owlrl_closure(graph: rdflib.Graph) -> tuple[rdflib.Graph, list[str]]:
    """The OWL 2 RL closure of a copy of ``graph`` and owlrl's error messages."""
    import owlrl
    import rdflib

    closure = rdflib.Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    errors = sorted({str(o) for o in closure.objects(None, rdflib.URIRef(_OWLRL_ERROR))})
    return closure, errors


# --------------------------------------------------------------------------
# Explaining an inconsistency
# --------------------------------------------------------------------------


def diagnose(graph: rdflib.Graph, reasoner: Reasoner = Reasoner.HERMIT) -> list[str]:
    """Sentences that locate the clash in an inconsistent ``graph``.

    HermiT says only that the graph is inconsistent. To say where, the graph
    is closed under the OWL 2 RL rules (owlrl) and two kinds of clash are
    reported: an individual with two different values of a functional
    property, and the rule violations owlrl finds (an individual in two
    disjoint classes, say). When neither finds anything, one sentence says so.
    """
    closure, errors = _owlrl_closure(graph)
    found = _explain(closure, errors)
    if not found:
        found.append(
            f"{reasoner.label} found the ontology and data inconsistent, and the OWL 2 RL "
            "rules found no clash to point at; give the data files one at a time with "
            "--data to find the triples involved."
        )
    return found


def _explain(graph: rdflib.Graph, errors: Iterable[str]) -> list[str]:
    functional = _functional_clashes(graph)
    found = list(functional)
    for message in errors:
        if "'sameAs' and 'differentFrom'" in message:
            pair = _IRI_IN_TEXT.findall(message)
            if functional or (len(pair) == 2 and pair[0] == pair[1]):
                continue  # a consequence of a functional-property clash, said better above
            message = message.replace(
                "'sameAs' and 'differentFrom' cannot be used on the same subject-object pair:",
                "individuals declared different are inferred to be the same:",
            )
        found.append(_IRI_IN_TEXT.sub(lambda m: show(m.group()), message))
    return sorted(dict.fromkeys(found), key=lambda m: (not m.startswith(tuple(functional)), m))


def _functional_clashes(graph: rdflib.Graph) -> list[str]:
    """Individuals with two different values of a functional property."""
    from rdflib import OWL, RDF, Literal, URIRef

    different: set[tuple[rdflib.term.Node, rdflib.term.Node]] = set()
    for a, b in graph.subject_objects(OWL.differentFrom):
        different.update({(a, b), (b, a)})

    def distinct(x: rdflib.term.Node, y: rdflib.term.Node) -> bool:
        if isinstance(x, Literal) and isinstance(y, Literal):
            return not x.eq(y) if _comparable(x, y) else x != y
        return (x, y) in different

    found = []
    for prop in sorted({p for p in graph.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)}):
        values: dict[rdflib.term.Node, list[rdflib.term.Node]] = defaultdict(list)
        for s, o in graph.subject_objects(prop):
            if o not in values[s]:
                values[s].append(o)
        for subject, objects in sorted(values.items(), key=lambda kv: str(kv[0])):
            clashing = sorted(
                {o for o in objects for other in objects if distinct(o, other)}, key=str
            )
            if len(clashing) >= 2 and isinstance(subject, URIRef):
                shown = " and ".join(_show_term(o) for o in clashing)
                found.append(
                    f"{show(str(subject))} has {len(clashing)} different values of the "
                    f"functional property {show(str(prop))}: {shown}"
                )
    return found


def _comparable(x: rdflib.Literal, y: rdflib.Literal) -> bool:
    try:
        x.eq(y)
    except TypeError:
        return False
    return True


def _show_term(term: rdflib.term.Node) -> str:
    from rdflib import URIRef

    return show(str(term)) if isinstance(term, URIRef) else term.n3()


# --------------------------------------------------------------------------
# Which entailed triples make up the inferred graph
# --------------------------------------------------------------------------


def materialise(asserted: rdflib.Graph, entailed: rdflib.Graph) -> rdflib.Graph:
    """The inferred graph: what ``asserted`` and ``entailed`` together imply, less ``asserted``.

    Kept: ``rdf:type`` triples of named individuals and named classes of the
    ontology (not ``owl:Thing``), and object-property assertions between named
    individuals. ``entailed`` may be a reasoner's direct results (HermiT
    reports the most specific types, and owlready2 leaves out a property value
    whose inverse is asserted) or a full closure (owlrl); either way the
    class and property hierarchies, inverses and symmetric properties are
    applied here, so that every entailed membership and assertion is listed.
    """
    import rdflib
    from rdflib import OWL, RDF, URIRef

    both = rdflib.Graph()
    for triple in asserted:
        both.add(triple)
    for triple in entailed:
        both.add(triple)

    def named(kind: URIRef) -> set[URIRef]:
        return {s for s in asserted.subjects(RDF.type, kind) if isinstance(s, URIRef)}

    classes = named(OWL.Class) - {URIRef(iri) for iri in _IGNORED_CLASSES}
    object_properties = named(OWL.ObjectProperty)

    superclasses = _closure(
        both, URIRef(_RDFS_SUBCLASSOF), URIRef(_OWL + "equivalentClass"), classes
    )
    superproperties = _closure(
        both, URIRef(_RDFS_SUBPROPERTYOF), URIRef(_OWL + "equivalentProperty"), object_properties
    )
    inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p, q in both.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef) and p in object_properties and q in object_properties:
            inverses[p].add(q)
            inverses[q].add(p)
    for p in named(OWL.SymmetricProperty) & object_properties:
        inverses[p].add(p)

    result = rdflib.Graph()

    # Class memberships: every named class above an asserted or inferred type.
    for s, c in both.subject_objects(RDF.type):
        if not isinstance(s, URIRef) or not isinstance(c, URIRef) or c not in classes:
            continue
        for sup in superclasses.get(c, set()) | {c}:
            if (s, RDF.type, sup) not in asserted:
                result.add((s, RDF.type, sup))

    # Object-property assertions, closed under inverses and super-properties.
    pending = [
        (s, p, o)
        for s, p, o in both
        if isinstance(p, URIRef) and p in object_properties and isinstance(s, URIRef) and isinstance(o, URIRef)
    ]
    seen = set(pending)
    while pending:
        s, p, o = pending.pop()
        derived = [(s, sup, o) for sup in superproperties.get(p, ())]
        derived += [(o, inv, s) for inv in inverses.get(p, ())]
        for triple in derived:
            if triple not in seen:
                seen.add(triple)
                pending.append(triple)
    for triple in seen:
        if triple not in asserted:
            result.add(triple)
    return result


def _closure(
    graph: rdflib.Graph, sub: rdflib.URIRef, equivalent: rdflib.URIRef, named: set[rdflib.URIRef]
) -> dict[rdflib.URIRef, set[rdflib.URIRef]]:
    """For each named term, the named terms above it (reflexive-transitive, less itself)."""
    from rdflib import URIRef

    def pairs(predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
        for a, b in graph.subject_objects(predicate):
            if isinstance(a, URIRef) and isinstance(b, URIRef) and a in named and b in named and a != b:
                yield a, b

    up: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in pairs(sub):
        up[a].add(b)
    for a, b in pairs(equivalent):
        up[a].add(b)
        up[b].add(a)
    result: dict[URIRef, set[URIRef]] = {}
    for start in named:
        found: set[URIRef] = set()
        stack = list(up.get(start, ()))
        while stack:
            term = stack.pop()
            if term not in found:
                found.add(term)
                stack.extend(up.get(term, ()))
        found.discard(start)
        result[start] = found
    return result


# --------------------------------------------------------------------------
# The inferred graph on disk
# --------------------------------------------------------------------------

def write_inferred(inferred: rdflib.Graph, path: PathLike = DEFAULT_INFERRED) -> Path:
    """Write the inferred graph to ``path`` atomically; the format follows the extension.

    Parent folders are created. Returns the path written.
    """
    path = Path(path)
    atomic_write(path, serialize_inferred(inferred, _output_format(path)))
    return path


def _output_format(path: Path) -> RdfFormat:
    fmt = RdfFormat.from_path(path)
    if fmt is None:
        raise SourceError(path, f"cannot tell the RDF format from the extension {path.suffix!r}")
    return fmt


def serialize_inferred(inferred: rdflib.Graph, fmt: RdfFormat = RdfFormat.TURTLE) -> bytes:
    """The inferred graph as ``collabkg export`` writes it (deterministic, stable prefixes).

    TriG and N-Quads put the triples in the named graph ``GRAPH_INFERRED``.
    """
    import pyoxigraph as ox

    from collabkg.formats import serialize
    from collabkg.readers import from_rdflib, triple_terms

    graph = ox.NamedNode(GRAPH_INFERRED)
    return serialize(
        (ox.Quad(*triple_terms(from_rdflib(s), from_rdflib(p), from_rdflib(o)), graph) for s, p, o in inferred), fmt
    )


def read_inferred(path: PathLike | None = None) -> rdflib.Graph:
    """The inferred graph written by ``collabkg reason``, as an ``rdflib.Graph``."""
    from collabkg.readers import rdflib_graph

    return rdflib_graph([inferred_file(path)])
