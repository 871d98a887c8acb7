"""A fast, conservative SHACL screen: the focus nodes that might not conform.

pySHACL on an rdflib graph is the reference for what a violation is, its
message and its shape; it is also slow at scale (a million triples take
minutes, most of it in rdflib's graph and in pySHACL's per-value bookkeeping).
The screen evaluates the same shapes directly on pyoxigraph terms, in one
pass over an in-memory index, and answers one question per focus node: does
it certainly conform, as pySHACL would judge it?

Every check is three-valued: True (certainly holds), False (certainly fails)
or None (the screen cannot be sure: an ill-typed or unusual literal, a
comparison pySHACL would refuse). ``sh:not``, ``sh:or``, ``sh:and`` and
``sh:xone`` combine these values without ever turning a None into a True, so
a node passes only if pySHACL would find no result for it. The screen never
writes a report: :mod:`collabkg.shacl` hands the nodes that did not pass,
with the triples pySHACL needs to judge them (:func:`neighbourhood`), to
pySHACL, which gives the exact results.

That hand-over is exact when the shapes are *local*: when judging a focus
node needs only its own triples, the types of the nodes it points to, the
class hierarchy and, for ``sh:targetObjectsOf``, the triples that make it a
target. Shapes that reach further (paths other than a single IRI, ``sh:node``
or nested property shapes on value nodes) or use constraints the screen does not evaluate (``sh:closed``,
``sh:languageIn``, ``sh:uniqueLang``, qualified value shapes, SPARQL-based
constraints and targets) make :attr:`Screen.supported` false, and the caller
validates everything with pySHACL.

Literals are judged as pySHACL sees them, that is after
:func:`collabkg.readers.to_rdflib` (plain strings fast, other literals
through a cached rdflib term), so that the screen and pySHACL agree on
datatypes, lengths, patterns, comparisons and on which values are distinct.

One module of more than the usual size because it is one thing: an
evaluator of the SHACL core constraints, whose parts only make sense together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from collabkg.namespaces import (
    OWL,
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    RDFS,
    RDFS_SUBCLASSOF,
    SH,
    XSD_STRING,
)
from collabkg.readers import gc_paused, to_rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Check = Callable[[Term], bool | None]
"""A shape (or a constraint) applied to one node: True, False or None (cannot tell)."""
PairCheck = Callable[[Term, list[Term]], bool | None]
"""A constraint on a focus node and its value nodes: True, False or None, as a :data:`Check`."""

_CLASS_TYPES = {RDFS + "Class", OWL + "Class"}

# SHACL parameters that are not constraints: read where needed, else ignored.
_NOT_CONSTRAINTS = {
    SH + name
    for name in (
        "name", "description", "message", "severity", "order", "group", "defaultValue", "path",
        "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "deactivated", "flags",
    )
}
_TARGETS = {SH + name for name in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")}


class Unsupported(Exception):
    """The shapes use something the screen does not evaluate exactly."""


@dataclass
class Screen:
    """The outcome of screening data against shapes."""

    supported: bool
    """False: the shapes go beyond what the screen evaluates; validate everything with pySHACL."""
    reason: str = ""
    """Why the shapes are not supported."""
    suspects: set[Term] = field(default_factory=set)
    """Focus nodes that might not conform (empty: the data conforms)."""
    focus_nodes: int = 0
    """How many (shape, focus node) pairs were checked."""
    incoming: frozenset[str] = frozenset()
    """The predicates of ``sh:targetObjectsOf``: pySHACL needs the triples of these that point to a suspect."""


# --------------------------------------------------------------------------
# The graph, indexed by subject
# --------------------------------------------------------------------------


class Graph:
    """Triples indexed by subject, then by predicate IRI; graph names are ignored."""

    def __init__(self, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        out: dict[Term, dict[str, list[Term]]] = {}
        for quad in quads:
            s, p, o = quad.subject, quad.predicate.value, quad.object
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                raise Unsupported(f"an RDF triple term in {quad}")
            po = out.get(s)
            if po is None:
                out[s] = {p: [o]}
            else:
                objects = po.get(p)
                if objects is None:
                    po[p] = [o]
                else:
                    objects.append(o)
        self.out = out
        self._by_type: dict[Term, list[Term]] | None = None
        self._subclasses: dict[Term, list[Term]] | None = None
        self._supers: dict[Term, frozenset[Term]] = {}

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        po = self.out.get(subject)
        if po is None:
            return []
        return po.get(predicate, [])

    def one(self, subject: Term, predicate: str) -> Term | None:
        """The only object of ``subject predicate``, None if there is none; Unsupported if several."""
        values = set(self.objects(subject, predicate))
        if len(values) > 1:
            raise Unsupported(f"more than one {predicate} on {subject}")
        return next(iter(values)) if values else None

    def items(self, head: Term) -> list[Term]:
        """The members of the RDF list starting at ``head``."""
        items, node, seen = [], head, set()
        while not (isinstance(node, ox.NamedNode) and node.value == RDF_NIL):
            if node in seen:
                raise Unsupported("a cyclic RDF list")
            seen.add(node)
            first, rest = self.one(node, RDF_FIRST), self.one(node, RDF_REST)
            if first is None or rest is None:
                raise Unsupported("a malformed RDF list")
            items.append(first)
            node = rest
        return items

    def instances(self, cls: Term) -> set[Term]:
        """Nodes typed with ``cls`` or with one of its subclasses (rdfs:subClassOf*)."""
        if self._by_type is None:
            by_type: dict[Term, list[Term]] = {}
            subclasses: dict[Term, list[Term]] = {}
            for s, po in self.out.items():
                for t in po.get(RDF_TYPE, ()):
                    by_type.setdefault(t, []).append(s)
                for sup in po.get(RDFS_SUBCLASSOF, ()):
                    subclasses.setdefault(sup, []).append(s)
            self._by_type, self._subclasses = by_type, subclasses
        assert self._subclasses is not None
        classes, stack = {cls}, [cls]
        while stack:
            for sub in self._subclasses.get(stack.pop(), ()):
                if sub not in classes:
                    classes.add(sub)
                    stack.append(sub)
        found: set[Term] = set()
        for c in classes:
            found.update(self._by_type.get(c, ()))
        return found

    def supers(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class it is an rdfs:subClassOf*, memoised."""
        known = self._supers.get(cls)
        if known is None:
            seen, stack = {cls}, [cls]
            while stack:
                for sup in self.objects(stack.pop(), RDFS_SUBCLASSOF):
                    if sup not in seen:
                        seen.add(sup)
                        stack.append(sup)
            known = self._supers[cls] = frozenset(seen)
        return known


# --------------------------------------------------------------------------
# Literals as pySHACL sees them
# --------------------------------------------------------------------------

_XSD_STRING_NODE = ox.NamedNode(XSD_STRING)


def _is_plain(term: Term) -> bool:
    """A literal that becomes a plain rdflib Literal (xsd:string, no language)."""
    return isinstance(term, ox.Literal) and term.language is None and term.datatype == _XSD_STRING_NODE


class _Rdf:
    """pyoxigraph terms as the rdflib terms pySHACL would see, cached."""

    def __init__(self) -> None:
        self.cache: dict[Term, Any] = {}

    def __call__(self, term: Term) -> Any:
        found = self.cache.get(term)
        if found is None:
            found = self.cache[term] = to_rdflib(term)
        return found

    def distinct(self, values: list[Term]) -> int:
        """How many distinct values rdflib would keep (it normalises some literals)."""
        if len(values) <= 1:
            return len(values)
        if all(not isinstance(v, ox.Literal) or _is_plain(v) for v in values):
            return len(set(values))
        return len({self(v) for v in values})


# --------------------------------------------------------------------------
# Compiling shapes into checks
# --------------------------------------------------------------------------


def _all(checks: Sequence[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def check(node: Term) -> bool | None:
        for c in checks:
            result = c(node)
            if result is not True:
                return result  # False, or None: either way the node does not pass
        return True

    return check


def _true(_node: Term) -> bool:
    return True


class _Compiler:
    def __init__(self, shapes: Graph, data: Graph) -> None:
        self.sg = shapes
        self.data = data
        self.rdf = _Rdf()
        self.compiled: dict[tuple[Term, bool], Check] = {}
        self.compiling: set[tuple[Term, bool]] = set()

    # -- shapes -------------------------------------------------------------

    def shape(self, node: Term, on_focus: bool) -> Check:
        """The check of shape ``node``. ``on_focus``: applied to focus nodes, not to values."""
        key = (node, on_focus)
        if key in self.compiled:
            return self.compiled[key]
        if key in self.compiling:
            raise Unsupported(f"recursive shape {node}")
        self.compiling.add(key)
        try:
            check = self._shape(node, on_focus)
        finally:
            self.compiling.discard(key)
        self.compiled[key] = check
        return check

    def _shape(self, node: Term, on_focus: bool) -> Check:
        sg = self.sg
        if any(t.value in _CLASS_TYPES for t in sg.objects(node, RDF_TYPE) if isinstance(t, ox.NamedNode)):
            raise Unsupported(f"implicit class target of shape {node}")
        deactivated = sg.one(node, SH + "deactivated")
        if deactivated is not None:
            value = self.rdf(deactivated)
            if getattr(value, "value", None) is True:
                return _true
            if getattr(value, "value", None) is not False:
                raise Unsupported(f"sh:deactivated {deactivated} on {node}")
        path = sg.one(node, SH + "path")
        if path is not None and not isinstance(path, ox.NamedNode):
            raise Unsupported(f"a complex sh:path on {node}")
        if path is not None and not on_focus:
            raise Unsupported(f"a property shape {node} applied to value nodes")
        value_checks: list[Check] = []
        pair_checks: list[PairCheck] = []
        handled: set[str] = set()
        predicates = sorted({p for p in (sg.out.get(node) or {}) if p.startswith(SH)})
        for p in predicates:
            if p in _NOT_CONSTRAINTS or p in handled:
                continue
            name = p[len(SH):]
            objects = sorted(set(sg.objects(node, p)), key=str)
            if name in ("minCount", "maxCount"):
                if path is None:
                    raise Unsupported(f"sh:{name} on node shape {node}")
                pair_checks.append(self.count(name, objects))
            elif name in ("lessThan", "lessThanOrEquals", "equals", "disjoint"):
                if path is None and name in ("lessThan", "lessThanOrEquals"):
                    raise Unsupported(f"sh:{name} on node shape {node}")
                if not on_focus:
                    raise Unsupported(f"sh:{name} applied to value nodes in {node}")
                pair_checks.append(self.pair(name, objects))
            elif name == "hasValue":
                pair_checks.append(self.has_value(objects))
            elif name in ("property",):
                for prop in objects:
                    if self.sg.one(prop, SH + "path") is None:
                        raise Unsupported(f"sh:property {prop} without sh:path")
                    if path is not None or not on_focus:
                        raise Unsupported(f"a nested property shape {prop} on value nodes")
                    value_checks.append(self.shape(prop, on_focus=True))
            elif name in ("node", "not", "and", "or", "xone"):
                value_checks.append(self.logical(name, objects, on_focus and path is None))
            else:
                value_checks.append(self.value_constraint(name, objects, node))
        value_check = _all(value_checks) if value_checks else None
        if path is None:
            # a node shape: the focus node is its one value node
            checks = list(value_checks)
            checks.extend(_on_itself(c) for c in pair_checks)
            return _all(checks) if checks else _true
        predicate = path.value
        out = self.data.out
        empty: dict[str, list[Term]] = {}

        def property_check(focus: Term) -> bool | None:
            values = out.get(focus, empty).get(predicate, [])
            for pair in pair_checks:
                result = pair(focus, values)
                if result is not True:
                    return result
            if value_check is not None:
                for value in values:
                    result = value_check(value)
                    if result is not True:
                        return result
            return True

        return property_check

    def logical(self, name: str, objects: list[Term], on_focus: bool) -> Check:
        checks: list[Check] = []
        for obj in objects:
            if name in ("and", "or", "xone"):
                members = self.sg.items(obj)
                if name == "or":  # pySHACL tries each distinct member shape once
                    members = list(dict.fromkeys(members))
                inner = [self.shape(m, on_focus) for m in members]
                checks.append({"and": _and, "or": _or, "xone": _xone}[name](inner))
            elif name == "not":
                checks.append(_not(self.shape(obj, on_focus)))
            else:  # node
                checks.append(self.shape(obj, on_focus))
        return _all(checks)

    # -- constraints on one value --------------------------------------------

    def value_constraint(self, name: str, objects: list[Term], node: Term) -> Check:
        if name == "class":
            return _all([self.cls(c) for c in objects])
        if name == "datatype":
            return self.datatype(_single(objects, name))
        if name == "nodeKind":
            return self.node_kind(_single(objects, name))
        if name == "in":
            return self.in_list(_single(objects, name))
        if name in ("minLength", "maxLength"):
            return self.length(name, _single(objects, name))
        if name == "pattern":
            return self.pattern(objects, node)
        if name in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
            return _all([self.range(name, o) for o in objects])
        raise Unsupported(f"sh:{name}")

    def cls(self, c: Term) -> Check:
        data = self.data
        memo: dict[Term, bool] = {}

        def check(value: Term) -> bool:
            found = memo.get(value)
            if found is None:
                found = False
                if not isinstance(value, ox.Literal):
                    for t in data.objects(value, RDF_TYPE):
                        if c in data.supers(t):
                            found = True
                            break
                memo[value] = found
            return found

        return check

    def datatype(self, rule: Term) -> Check:
        if not isinstance(rule, ox.NamedNode):
            raise Unsupported(f"sh:datatype {rule}")
        rule_iri = rule.value
        plain_ok = rule_iri in (XSD_STRING, RDFS + "Literal")
        rule_rdf = self.rdf(rule)
        rdf = self.rdf
        memo: dict[Term, bool | None] = {}

        def check(value: Term) -> bool | None:
            if not isinstance(value, ox.Literal):
                return False
            if value.language is None and value.datatype == _XSD_STRING_NODE:
                return plain_ok
            if value in memo:
                return memo[value]
            result = memo[value] = _datatype_matches(rdf(value), rule_rdf)
            return result

        return check

    def node_kind(self, kind: Term) -> Check:
        allowed = {
            "IRI": (ox.NamedNode,),
            "BlankNode": (ox.BlankNode,),
            "Literal": (ox.Literal,),
            "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
            "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
            "IRIOrLiteral": (ox.NamedNode, ox.Literal),
        }.get(kind.value[len(SH):] if isinstance(kind, ox.NamedNode) and kind.value.startswith(SH) else "")
        if allowed is None:
            raise Unsupported(f"sh:nodeKind {kind}")
        return lambda value: isinstance(value, allowed)

    def in_list(self, head: Term) -> Check:
        members = self.sg.items(head)
        iris = {m.value for m in members if isinstance(m, ox.NamedNode)}
        members_rdf = {self.rdf(m) for m in members}
        rdf = self.rdf

        def check(value: Term) -> bool:
            if isinstance(value, ox.NamedNode):
                return value.value in iris
            return rdf(value) in members_rdf

        return check

    def length(self, name: str, rule: Term) -> Check:
        limit = _integer(self.rdf(rule), name)
        at_least = name == "minLength"
        rdf = self.rdf

        def check(value: Term) -> bool:
            if at_least and limit == 0:
                return True
            if isinstance(value, ox.BlankNode):
                return False
            if isinstance(value, ox.NamedNode) or _is_plain(value):
                text = value.value
            else:
                text = _string_of(rdf(value))
            return len(text) >= limit if at_least else len(text) <= limit

        return check

    def pattern(self, patterns: list[Term], node: Term) -> Check:
        flags = self.sg.objects(node, SH + "flags")
        re_flags = 0
        if flags:
            if len(set(flags)) > 1 or not _is_plain(flags[0]):
                raise Unsupported(f"sh:flags on {node}")
            text = flags[0].value.lower()
            if set(text) - {"i", "m"}:
                raise Unsupported(f"sh:flags {text!r} on {node}")
            re_flags = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
        compiled = []
        for p in patterns:
            if not _is_plain(p):
                raise Unsupported(f"sh:pattern {p}")
            compiled.append(re.compile(p.value, re_flags))
        rdf = self.rdf

        def check(value: Term) -> bool:
            if isinstance(value, ox.BlankNode):
                return False
            if isinstance(value, ox.NamedNode) or _is_plain(value):
                text = value.value
            else:
                text = _string_of(rdf(value))
            return all(c.search(text) is not None for c in compiled)

        return check

    def range(self, name: str, bound: Term) -> Check:
        bound_rdf = self.rdf(bound)
        if not isinstance(bound, ox.Literal):
            raise Unsupported(f"sh:{name} {bound}")
        bound_is_string = isinstance(bound_rdf.value, str)
        accept = {
            "minInclusive": lambda c: c >= 0,
            "minExclusive": lambda c: c > 0,
            "maxInclusive": lambda c: c <= 0,
            "maxExclusive": lambda c: c < 0,
        }[name]
        rdf = self.rdf
        memo: dict[Term, bool | None] = {}

        def check(value: Term) -> bool | None:
            if not isinstance(value, ox.Literal):
                return False
            if value in memo:
                return memo[value]
            lit = rdf(value)
            value_is_string = isinstance(lit.value, str)
            if value_is_string != bound_is_string:
                result: bool | None = False
            else:
                try:
                    result = accept(_compare_literal(lit, bound_rdf))
                except (TypeError, NotImplementedError):
                    result = False
                except Exception:  # noqa: BLE001 - whatever pySHACL would do, let it decide
                    result = None
            memo[value] = result
            return result

        return check

    # -- constraints on the set of values of a focus node ----------------------

    def count(self, name: str, objects: list[Term]) -> PairCheck:
        limit = _integer(self.rdf(_single(objects, name)), name, strict_integer=True)
        rdf = self.rdf
        if name == "minCount":
            return lambda _focus, values: limit == 0 or rdf.distinct(values) >= limit
        return lambda _focus, values: rdf.distinct(values) <= limit

    def has_value(self, objects: list[Term]) -> PairCheck:
        rdf = self.rdf
        wanted = [rdf(o) for o in objects]

        def check(_focus: Term, values: list[Term]) -> bool:
            seen = {rdf(v) for v in values}
            return all(w in seen for w in wanted)

        return check

    def pair(self, name: str, objects: list[Term]) -> PairCheck:
        others = []
        for o in objects:
            if not isinstance(o, ox.NamedNode):
                raise Unsupported(f"sh:{name} {o}")
            others.append(o.value)
        rdf, data = self.rdf, self.data

        def check(focus: Term, values: list[Term]) -> bool | None:
            mine = {rdf(v) for v in values}
            for other in others:
                theirs = {rdf(v) for v in data.objects(focus, other)}
                if name == "equals":
                    result: bool | None = mine == theirs
                elif name == "disjoint":
                    result = not (mine & theirs)
                else:
                    result = _all_less(mine, theirs, or_equal=name == "lessThanOrEquals")
                if result is not True:
                    return result
            return True

        return check


# Three-valued logic: True, False, or None (cannot tell).


def _and(checks: list[Check]) -> Check:
    return _all(checks) if checks else _true


def _or(checks: list[Check]) -> Check:
    if not checks:
        return _true

    def check(node: Term) -> bool | None:
        unknown = False
        for c in checks:
            result = c(node)
            if result is True:
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    return check


def _xone(checks: list[Check]) -> Check:
    if not checks:
        return _true

    def check(node: Term) -> bool | None:
        passed = unknown = 0
        for c in checks:
            result = c(node)
            if result is True:
                passed += 1
            elif result is None:
                unknown += 1
        if passed > 1:
            return False
        if unknown:
            return None
        return passed == 1

    return check


def _not(inner: Check) -> Check:
    def check(node: Term) -> bool | None:
        result = inner(node)
        return None if result is None else not result

    return check


def _on_itself(pair: PairCheck) -> Check:
    """``pair`` on a node shape: the focus node is its one value node."""
    return lambda node: pair(node, [node])


def _single(objects: list[Term], name: str) -> Term:
    if len(objects) != 1:
        raise Unsupported(f"{len(objects)} values of sh:{name}")
    return objects[0]


def _integer(value: Any, name: str, strict_integer: bool = False) -> int:
    from rdflib import Literal, XSD as RDFLIB_XSD

    if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool):
        raise Unsupported(f"sh:{name} {value!r}")
    if strict_integer and value.datatype != RDFLIB_XSD.integer:
        raise Unsupported(f"sh:{name} {value!r}")
    if value.value < 0:
        raise Unsupported(f"sh:{name} {value!r}")
    return int(value.value)


def _string_of(lit: Any) -> str:
    """The string pySHACL's string-based constraints read from an rdflib term."""
    from rdflib import Literal
    from rdflib.namespace import RDF as RDFLIB_RDF, XSD as RDFLIB_XSD

    if isinstance(lit, Literal) and lit.value is not None and lit.datatype in (
        None,
        RDFLIB_RDF.langString,
        RDFLIB_XSD.string,
    ):
        return str(lit.value)
    return str(lit)


def _datatype_matches(lit: Any, rule: Any) -> bool:
    """pySHACL's sh:datatype test of an rdflib literal."""
    import datetime
    from decimal import Decimal

    from rdflib.namespace import RDF as RDFLIB_RDF, RDFS as RDFLIB_RDFS, XSD as RDFLIB_XSD

    def actual() -> bool:
        value = lit.value
        if rule in (RDFLIB_XSD.string, RDFLIB_RDF.langString):
            return isinstance(value, (str, bytes))
        kinds = {
            RDFLIB_XSD.integer: int,
            RDFLIB_XSD.float: float,
            RDFLIB_XSD.decimal: Decimal,
            RDFLIB_XSD.boolean: bool,
            RDFLIB_XSD.date: datetime.date,
            RDFLIB_XSD.time: datetime.time,
            RDFLIB_XSD.dateTime: datetime.datetime,
        }
        kind = kinds.get(rule)
        return True if kind is None else isinstance(value, kind)

    datatype, language = lit.datatype, lit.language
    if datatype == rule:
        if getattr(lit, "ill_typed", None) is True:
            return False
        return actual()
    if rule == RDFLIB_RDFS.Literal:
        return True
    if rule == RDFLIB_RDFS.Datatype and datatype:
        return True
    if datatype is None and language is None and rule == RDFLIB_XSD.string:
        return actual()
    if rule == RDFLIB_RDF.langString and language:
        return actual()
    return False


def _compare_literal(a: Any, b: Any) -> int:
    """Order two rdflib literals as pySHACL's value-range constraints do: -1, 0 or 1."""
    import datetime

    if a.eq(b):
        return 0
    if a.value.__class__ in (datetime.datetime, datetime.time):
        if a.value == b.value:
            return 0
        if a.value > b.value:
            return 1
    elif a > b:
        return 1
    return -1


def _all_less(mine: set[Any], theirs: set[Any], or_equal: bool) -> bool | None:
    """sh:lessThan (or sh:lessThanOrEquals) between two sets of rdflib terms, as pySHACL does."""
    from rdflib import BNode, Literal, URIRef

    for value in mine:
        if isinstance(value, BNode):
            return None  # pySHACL refuses to compare blank nodes
        v, v_string = value, False
        if isinstance(value, URIRef):
            v, v_string = str(value), True
        elif isinstance(value, Literal) and isinstance(value.value, str):
            v, v_string = value.value, True
        for other in theirs:
            if isinstance(other, BNode):
                return None
            c, c_string = other, False
            if isinstance(other, URIRef):
                c, c_string = str(other), True
            elif isinstance(other, Literal) and isinstance(other.value, str):
                c, c_string = other.value, True
            if v_string != c_string:
                return False
            try:
                ok = v <= c if or_equal else v < c
            except Exception:  # noqa: BLE001 - an error in pySHACL too: let it report it
                return None
            if not ok:
                return False
    return True


# --------------------------------------------------------------------------
# Screening
# --------------------------------------------------------------------------


def screen(data: Iterable[ox.Quad | ox.Triple], shapes: Iterable[ox.Quad | ox.Triple]) -> Screen:
    """Screen ``data`` (the data graph mixed with the ontology) against ``shapes``."""
    with gc_paused():
        return _screen(data, shapes)


def _screen(data: Iterable[ox.Quad | ox.Triple], shapes: Iterable[ox.Quad | ox.Triple]) -> Screen:
    try:
        graph = Graph(data)
        sg = Graph(shapes)
        compiler = _Compiler(sg, graph)
        for node, po in sg.out.items():
            if any(isinstance(t, ox.NamedNode) and t.value in _CLASS_TYPES for t in po.get(RDF_TYPE, ())):
                raise Unsupported(f"{node} is a class in the shapes graph (an implicit class target)")
        targeted: list[tuple[Term, set[Term]]] = []
        incoming: set[str] = set()
        for node in sorted((s for s, po in sg.out.items() if _TARGETS & po.keys()), key=str):
            po = sg.out[node]
            if SH + "target" in po:
                raise Unsupported(f"a SPARQL target on {node}")
            foci: set[Term] = set(po.get(SH + "targetNode", ()))
            for cls in po.get(SH + "targetClass", ()):
                foci |= graph.instances(cls)
            for prop in po.get(SH + "targetSubjectsOf", ()):
                if not isinstance(prop, ox.NamedNode):
                    raise Unsupported(f"sh:targetSubjectsOf {prop}")
                foci.update(s for s, spo in graph.out.items() if prop.value in spo)
            for prop in po.get(SH + "targetObjectsOf", ()):
                if not isinstance(prop, ox.NamedNode):
                    raise Unsupported(f"sh:targetObjectsOf {prop}")
                incoming.add(prop.value)
                foci.update(o for spo in graph.out.values() for o in spo.get(prop.value, ()))
            targeted.append((node, foci))
        checks = [(compiler.shape(node, on_focus=True), foci) for node, foci in targeted]
    except Unsupported as why:
        return Screen(False, str(why))
    suspects: set[Term] = set()
    pairs = 0
    for check, foci in checks:
        pairs += len(foci)
        for focus in foci:
            if check(focus) is not True:
                suspects.add(focus)
    return Screen(True, "", suspects, pairs, frozenset(incoming))


def neighbourhood(
    data: Iterable[ox.Quad], suspects: set[Term], incoming: frozenset[str] = frozenset()
) -> list[ox.Quad]:
    """The quads of ``data`` that pySHACL needs to judge ``suspects`` under local shapes.

    Every triple about a suspect, every triple of an ``incoming`` predicate
    that points to one (what makes it a target of ``sh:targetObjectsOf``), the
    rdf:type triples of the nodes they point to (for sh:class) and every
    rdfs:subClassOf triple. Other nodes may then
    become focus nodes too (their types are there), with results that mean
    nothing: keep only the results about suspects.
    """
    about: list[ox.Quad] = []
    types: dict[Term | ox.Triple, list[ox.Quad]] = {}
    hierarchy: list[ox.Quad] = []
    for quad in data:  # one pass: the data may be read from files
        if quad.subject in suspects:
            about.append(quad)
        elif quad.predicate.value in incoming and quad.object in suspects:
            about.append(quad)
        else:
            predicate = quad.predicate.value
            if predicate == RDF_TYPE:
                types.setdefault(quad.subject, []).append(quad)
            elif predicate == RDFS_SUBCLASSOF:
                hierarchy.append(quad)
    pointed = {q.object for q in about if not isinstance(q.object, ox.Literal)} - suspects
    for node in pointed:
        about.extend(types.get(node, ()))
    return about + hierarchy
