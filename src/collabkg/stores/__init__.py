"""Query engines behind one small interface, chosen by a selector.

A :class:`Store` answers SPARQL and knows its size. Results come back in
engine-neutral types (:class:`Term`, :class:`Solutions`), so that callers
never depend on the engine. :func:`open_store` picks an engine from a
selector string through :data:`ENGINES`, a registry from the selector's
scheme to the module of its engine, imported only when chosen:

- ``memory`` (the default): an embedded Oxigraph store in memory, holding
  the graph's parts in their named graphs (:mod:`collabkg.stores.oxigraph`);
- ``oxigraph:DIR``: a persistent Oxigraph store on disk, made once by
  ``collabkg build --store oxigraph:DIR`` (the same module);
- ``rdflib``: rdflib's own SPARQL engine, a slow reference
  (:mod:`collabkg.stores.rdflib_engine`);
- ``sparql:URL``: any SPARQL 1.1 query endpoint (:mod:`collabkg.stores.sparql`),
  over the one HTTP layer :mod:`collabkg.stores.remote`.

Every engine sees the union of all graphs as the default graph.

>>> Selector.parse("oxigraph:kg-store")
Selector(scheme='oxigraph', argument='kg-store')
>>> store = open_store("memory")
>>> store.query("ASK { ?case a <https://w3id.org/collabkg/ontology#CaseStudy> }")
True
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol
from typing import Literal as Kind

import pyoxigraph as ox

from collabkg import CollabkgError
from collabkg.namespaces import RDF_LANGSTRING, XSD, XSD_STRING

if TYPE_CHECKING:
    from decimal import Decimal

    from collabkg.graph import KnowledgeGraph


_INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


class StoreError(CollabkgError):
    """A store that cannot be opened, or a query it cannot run."""


class Term(NamedTuple):
    """An RDF term in a query result: an IRI, a blank node or a literal."""

    kind: Kind["iri", "bnode", "literal"]
    value: str
    datatype: str | None = None
    language: str | None = None

    def to_python(self) -> int | Decimal | float | bool | str:
        """The value as Python: int, Decimal, float or bool for those XSD types, else str."""
        if self.kind != "literal" or self.datatype is None:
            return self.value
        from decimal import Decimal, InvalidOperation

        try:
            if self.datatype in _INTEGER_TYPES:
                return int(self.value)
            if self.datatype == XSD + "decimal":
                return Decimal(self.value)
            if self.datatype in (XSD + "double", XSD + "float"):
                return float(self.value)
            if self.datatype == XSD + "boolean":
                return self.value in ("true", "1")
        except (ValueError, InvalidOperation):
            pass
        return self.value

    def n3(self) -> str:
        """The term in N-Triples syntax."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        return str(to_oxigraph(self))

    def __str__(self) -> str:
        return self.value


def from_oxigraph(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term("literal", term.value, RDF_LANGSTRING, term.language)
        return Term("literal", term.value, term.datatype.value)
    raise StoreError(f"unsupported RDF term in a query result: {term!r}")


def to_oxigraph(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


class Solutions:
    """The answer to a SELECT query: variable names and rows of terms (None = unbound)."""

    __slots__ = ("rows", "variables")

    def __init__(self, variables: tuple[str, ...], rows: list[tuple[Term | None, ...]]) -> None:
        self.variables = variables
        self.rows = rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Solutions):
            return NotImplemented
        return (self.variables, self.rows) == (other.variables, other.rows)

    def __repr__(self) -> str:
        return f"Solutions(variables={self.variables!r}, rows={self.rows!r})"

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)


QueryResult = Solutions | bool | list[tuple[Term, Term, Term]]
"""SELECT gives :class:`Solutions`, ASK a bool, CONSTRUCT and DESCRIBE triples."""


class Store(ABC):
    """A SPARQL engine over collabkg's graphs."""

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of all graphs."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples (quads) in all graphs."""

    def notes(self) -> list[str]:
        """What a reader of the answers should know about this store (one line each), if anything."""
        return []


DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a SPARQL endpoint."""
DEFAULT_RETRIES = 3
"""Attempts per request on connection errors and 5xx answers."""


class RemoteOptions(NamedTuple):
    """How to talk to a remote store: credentials, patience, and which graphs to query.

    ``password_env`` names the environment variable that holds the
    password: the password itself is never an option, never logged, never
    shown. ``timeout`` (None: the verb's default) is the seconds to wait for
    each answer; ``retries`` the attempts per request on connection errors
    and 5xx answers. ``default_graphs`` are the graphs a query endpoint is
    to use as its default graph (the SPARQL protocol's ``default-graph-uri``).

    >>> RemoteOptions().given()
    ''
    >>> RemoteOptions(default_graphs=("https://w3id.org/collabkg/graph/kg",)).given()
    '--default-graph'
    >>> RemoteOptions(user="curator", password_env="KG_PASSWORD", timeout=5.0)
    RemoteOptions(user='curator', password_env='KG_PASSWORD', timeout=5.0, retries=3, default_graphs=())
    >>> RemoteOptions().password() is None
    True
    """

    user: str | None = None
    password_env: str | None = None
    timeout: float | None = None
    retries: int = DEFAULT_RETRIES
    default_graphs: tuple[str, ...] = ()

    def given(self) -> str:
        """The options given that only a remote store takes, as the command line names them."""
        if self.default_graphs:
            return "--default-graph"
        if self.user is not None or self.password_env is not None:
            return "--user and --password-env"
        return ""

    def password(self) -> str | None:
        """The password, from the environment variable ``password_env``.

        See :func:`collabkg.stores.remote.password_from_env`.
        """
        from collabkg.stores.remote import password_from_env

        return password_from_env(self.user, self.password_env)



class Selector(NamedTuple):
    """A store selector: a scheme (``memory``, ``oxigraph``, ``rdflib``, ``sparql``) and its argument."""

    scheme: str
    argument: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Selector:
        """The selector ``text`` (None: ``memory``); a StoreError for one no engine takes."""
        scheme, _, argument = (text or "memory").partition(":")
        engine = ENGINES.get(scheme)
        if engine is None or bool(argument) != bool(engine.argument):
            raise StoreError(f"unknown store {text!r} (use one of: {', '.join(SELECTORS)})")
        return cls(scheme, argument)

    def __str__(self) -> str:
        return f"{self.scheme}:{self.argument}" if self.argument else self.scheme


class Engine(NamedTuple):
    """A registered engine: the module that opens it, and what its selector's argument is."""

    module: str
    argument: str = ""
    """``DIR``, ``URL``, or empty for a selector without an argument."""
    holds_own_data: bool = False
    """True for stores that hold their own data (``--data`` does not apply)."""
    remote: bool = False
    """True for stores over HTTP (the remote options apply)."""


ENGINES: dict[str, Engine] = {
    "memory": Engine("collabkg.stores.oxigraph"),
    "oxigraph": Engine("collabkg.stores.oxigraph", "DIR", holds_own_data=True),
    "rdflib": Engine("collabkg.stores.rdflib_engine"),
    "sparql": Engine("collabkg.stores.sparql", "URL", holds_own_data=True, remote=True),
}
"""Selector scheme -> engine. A new engine is a module with an ``open_engine`` and a line here."""

SELECTORS = tuple(f"{scheme}:{engine.argument}" if engine.argument else scheme for scheme, engine in ENGINES.items())


class Opener(Protocol):
    def __call__(
        self, selector: Selector, graph: KnowledgeGraph | None, remote: RemoteOptions | None
    ) -> Store: ...


def open_store(
    selector: str | Selector | None = None,
    graph: KnowledgeGraph | None = None,
    remote: RemoteOptions | None = None,
) -> Store:
    """The store named by ``selector`` (default ``memory``).

    ``graph`` says what the stores loaded from files hold (None: the bundled
    ontology and data); ``oxigraph:DIR`` and ``sparql:URL`` hold their own
    data, so a graph with given data or inferences is refused there.
    ``remote`` (user, password variable, timeout, default graphs) is for
    stores over HTTP only.
    """
    chosen = selector if isinstance(selector, Selector) else Selector.parse(selector)
    engine = ENGINES[chosen.scheme]
    if remote is not None and not engine.remote:
        given = remote.given()
        if given:
            verb = "apply" if " and " in given else "applies"
            raise StoreError(f"{given} {verb} to a sparql:URL store only, not {chosen}")
    if engine.holds_own_data and graph is not None and (graph.data_given or graph.inferred is not None):
        given = "--data" if graph.data_given else "--inferred"
        raise StoreError(f"{given} applies to the memory and rdflib stores; {chosen} holds its own data")
    opener: Opener = importlib.import_module(engine.module).open_engine
    return opener(chosen, graph, remote)


def persistent_directory(selector: str) -> Path:
    """The folder of an ``oxigraph:DIR`` selector, for ``collabkg build --store``."""
    try:
        chosen = Selector.parse(selector)
    except StoreError:
        chosen = None
    if chosen is None or chosen.scheme != "oxigraph":
        raise StoreError(f"--store takes oxigraph:DIR, not {selector!r}")
    return Path(chosen.argument)
