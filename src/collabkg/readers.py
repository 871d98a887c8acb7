"""Reading RDF files and folders, with errors that say where and what.

The global ``--data PATH`` option and ``collabkg validate PATH...`` accept
files and folders. :func:`expand` turns them into a sorted list of RDF files;
:func:`iter_quads` parses them with pyoxigraph (fast, and precise about where a
syntax error is); :func:`rdflib_graph` gives the same triples as an
``rdflib.Graph`` for the tools that need one (pySHACL).

Every failure is a :class:`SourceError` whose ``str()`` is one line:
``FILE:LINE:COL: message`` for a syntax error, ``PATH: message`` otherwise.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from collabkg import CollabkgError, PathLike
from collabkg.formats import RdfFormat
from collabkg.namespaces import RDF_LANGSTRING, XSD_STRING

if TYPE_CHECKING:
    import rdflib

RDF_EXTENSIONS: tuple[str, ...] = tuple(ext for fmt in RdfFormat for ext in fmt.extensions)
_GLOBS = ", ".join("*" + ext for ext in RDF_EXTENSIONS)
_EXTS = ", ".join(RDF_EXTENSIONS)


class SourceError(CollabkgError):
    """Input that cannot be read as RDF.

    ``str()`` is ``FILE:LINE:COL: message`` when the place is known (lines and
    columns count from 1), else ``PATH: message``.
    """

    def __init__(
        self, path: PathLike, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = str(path)
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand(paths: Iterable[PathLike]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders searched recursively.

    Files found in a folder are sorted by their path inside it; hidden files
    and folders are skipped, as are files of other types. A file named twice
    is read once.

    Raises :class:`SourceError` for a path that does not exist, a folder with
    no RDF file, or a file given explicitly that is not RDF.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in RDF_EXTENSIONS
                    and p.is_file()
                    and not _is_hidden(p, path)
                ),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            if not files:
                raise SourceError(raw, f"no RDF files ({_GLOBS})")
            for p in files:
                add(p)
        elif path.is_file():
            if RdfFormat.from_path(path) is None:
                raise SourceError(raw, f"not an RDF file (use one of {_EXTS})")
            add(path)
        elif path.exists():
            raise SourceError(raw, "not a regular file or folder")
        else:
            raise SourceError(raw, "no such file or directory")
    return found


_LOCATION = re.compile(r"^Parser error (?:at line \d+ .*?|between line \d+ .*?): ", re.DOTALL)
_UNDECLARED_PREFIX = re.compile(r"^The prefix (\S*): has not been declared$")


def _syntax_error(path: Path, error: SyntaxError) -> SourceError:
    message = _LOCATION.sub("", str(error.msg or error)).strip()
    undeclared = _UNDECLARED_PREFIX.match(message)
    if undeclared:
        name = undeclared.group(1)
        message = f"undefined prefix '{name}:' (declare it: @prefix {name}: <IRI> .)"
    message = " ".join(message.split())  # one line
    return SourceError(path, message, error.lineno, error.offset if error.lineno else None)


def iter_file_quads(path: PathLike, graph: str | None = None) -> Iterator[ox.Quad]:
    """The quads of one RDF file, parsed by pyoxigraph.

    Blank nodes are renamed so that files never share one by accident. With
    ``graph``, every quad is put in that named graph; without, triples are in
    the default graph and quads keep their graph.
    """
    path = Path(path)
    fmt = RdfFormat.from_path(path)
    if fmt is None:
        raise SourceError(path, f"not an RDF file (use one of {_EXTS})")
    target = ox.NamedNode(graph) if graph is not None else None
    try:
        with path.open("rb") as stream:
            for quad in ox.parse(stream, format=fmt.oxigraph, rename_blank_nodes=True):
                if target is not None:
                    quad = ox.Quad(quad.subject, quad.predicate, quad.object, target)
                yield quad
    except SyntaxError as error:
        raise _syntax_error(path, error) from error
    except FileNotFoundError as error:
        raise SourceError(path, "no such file or directory") from error
    except OSError as error:
        raise SourceError(path, error.strerror or str(error)) from error
    except ValueError as error:  # e.g. a JSON-LD feature pyoxigraph refuses
        raise SourceError(path, " ".join(str(error).split())) from error


def iter_quads(paths: Iterable[PathLike], graph: str | None = None) -> Iterator[ox.Quad]:
    """The quads of all the RDF files named by ``paths`` (files or folders).

    Paths are expanded first (see :func:`expand`), so that a missing file is
    reported before anything is parsed.
    """
    for path in expand(paths):
        yield from iter_file_quads(path, graph)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that builds many objects.

    Building a graph of a million triples allocates millions of objects
    without making reference cycles; the collector would scan them all again
    and again (a third of the time). Memory is still freed by reference
    counting, and collection resumes (as it was) when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Identifier:
    """A pyoxigraph term as the equal rdflib term.

    Plain literals become rdflib literals without a datatype (rdflib keeps
    ``"x"`` and ``"x"^^xsd:string`` apart, and SHACL shapes parsed by rdflib
    use the former). A triple term (RDF 1.2) is a ``TypeError``.
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            return Literal(term.value, lang=term.language)
        if datatype in (XSD_STRING, RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term: {term!r}")


def rdflib_graph(
    paths: Sequence[PathLike] | None = None,
    quads: Iterable[ox.Quad] | None = None,
    graph: rdflib.Graph | None = None,
) -> rdflib.Graph:
    """An ``rdflib.Graph`` of the triples in ``paths`` and/or ``quads``.

    Graph names are dropped. rdflib is imported here, not on import of this
    module, so that the query path never pays for it. Each distinct term is
    converted once and shared by all its triples, which saves time and memory.
    """
    import rdflib

    result = graph if graph is not None else rdflib.Graph()
    sources: list[Iterable[ox.Quad]] = []
    if paths is not None:
        sources.append(iter_quads(paths))
    if quads is not None:
        sources.append(quads)
    cache: dict[object, rdflib.term.Identifier] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Identifier:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_rdflib(term)
        return found

    with gc_paused():
        for source in sources:
            result.addN(
                (convert(quad.subject), convert(quad.predicate), convert(quad.object), result)
                for quad in source
            )
    return result


def from_rdflib(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term that :func:`to_rdflib` turns back into it.

    Raises ``ValueError`` for a term pyoxigraph refuses (a malformed IRI or
    blank node label) and ``TypeError`` for anything but an IRI, a blank node
    or a literal.
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"unsupported RDF term: {term!r}")


def triple_terms(
    subject: ox.NamedNode | ox.BlankNode | ox.Literal,
    predicate: ox.NamedNode | ox.BlankNode | ox.Literal,
    obj: ox.NamedNode | ox.BlankNode | ox.Literal,
) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]:
    """The terms of a triple, as ``ox.Triple`` and ``ox.Quad`` take them.

    A ``TypeError`` (as pyoxigraph raises) for a literal subject or a
    predicate that is not an IRI.
    """
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {subject!r} {predicate!r} {obj!r}")
    return subject, predicate, obj


def quads_from_rdflib(graph: rdflib.Graph) -> list[ox.Quad] | None:
    """The triples of ``graph`` as pyoxigraph quads, or None if a term does not convert exactly.

    Exactly: :func:`to_rdflib` gives back an equal term of the same type (it
    would not for, say, an explicit ``^^xsd:string`` or a term pyoxigraph
    normalises).
    """
    from rdflib import Literal, URIRef

    cache: dict[rdflib.term.Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def convert(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = cache.get(term)
        if found is None:
            found = from_rdflib(term)
            kind = type(term)
            # an IRI pyoxigraph accepts, and a plain literal, come back as they were
            simple = kind is URIRef or (type(term) is Literal and term.datatype is None and not term.language)
            if not simple:
                back = to_rdflib(found)
                if type(back) is not kind or back != term:
                    raise ValueError(f"{term!r} does not convert exactly")
            cache[term] = found
        return found

    try:
        with gc_paused():
            return [ox.Quad(*triple_terms(convert(s), convert(p), convert(o))) for s, p, o in graph]
    except (ValueError, TypeError):
        return None
