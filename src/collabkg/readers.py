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
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

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
    if "Invalid UTF-8" in message:
        message += " (RDF files are UTF-8: convert this one, e.g. iconv -f latin1 -t utf-8)"
    message = " ".join(message.split())  # one line
    return SourceError(path, message, error.lineno, error.offset if error.lineno else None)


class _Counting:
    """A binary stream that reports how many bytes were read from it."""

    def __init__(self, stream: IO[bytes], report: Callable[[int], object]) -> None:
        self.stream, self.report = stream, report

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.report(len(chunk))
        return chunk


def iter_file_quads(
    path: PathLike, graph: str | None = None, progress: Callable[[int], object] | None = None
) -> Iterator[ox.Quad]:
    """The quads of one RDF file, parsed by pyoxigraph.

    Blank nodes are renamed so that files never share one by accident. With
    ``graph``, every quad is put in that named graph; without, triples are in
    the default graph and quads keep their graph. RDF/XML is screened first
    for entity expansion bombs and external entities (:func:`check_xml_entities`).
    ``progress`` is called with the number of bytes of each read.
    """
    path = Path(path)
    fmt = RdfFormat.from_path(path)
    if fmt is None:
        raise SourceError(path, f"not an RDF file (use one of {_EXTS})")
    target = ox.NamedNode(graph) if graph is not None else None
    try:
        if fmt is RdfFormat.RDF_XML:
            check_xml_entities(path)
        with path.open("rb") as stream:
            try:
                source = stream if progress is None else cast(IO[bytes], _Counting(stream, progress))
                for quad in ox.parse(source, format=fmt.oxigraph, rename_blank_nodes=True):
                    if target is not None:
                        quad = ox.Quad(quad.subject, quad.predicate, quad.object, target)
                    yield quad
            except MemoryError as error:  # pyoxigraph's parser buffer is bounded
                raise _too_long(path, stream.tell()) from error
    except SyntaxError as error:
        if _REMOTE_CONTEXT in str(error.msg or error):
            raise _remote_context(path) from error
        raise _syntax_error(path, error) from error
    except FileNotFoundError as error:
        raise SourceError(path, "no such file or directory") from error
    except OSError as error:
        raise SourceError(path, error.strerror or str(error)) from error
    except ValueError as error:  # e.g. a JSON-LD feature pyoxigraph refuses
        raise SourceError(path, " ".join(str(error).split())) from error


MAX_TOKEN = 16 * 1024 * 1024
"""The longest literal or IRI pyoxigraph's parsers take (bytes): their buffer's limit."""

_REMOTE_CONTEXT = "No LoadDocumentCallback has been set"


def _too_long(path: Path, reached: int) -> SourceError:
    """The error for a token longer than :data:`MAX_TOKEN`: the parser stopped near byte ``reached``.

    The token began about :data:`MAX_TOKEN` bytes before: its line is the
    line of that byte.
    """
    start = max(0, reached - MAX_TOKEN)
    line = 1
    with contextlib.suppress(OSError), path.open("rb") as stream:
        left = start
        while left > 0:
            chunk = stream.read(min(left, 1 << 20))
            if not chunk:
                break
            line += chunk.count(b"\n")
            left -= len(chunk)
    return SourceError(
        path,
        f"a literal or IRI longer than {MAX_TOKEN} bytes (16 MiB), the limit of the RDF parser; "
        "collabkg cannot read it",
        line,
    )


def _remote_context(path: Path) -> SourceError:
    """The error for a JSON-LD file whose ``@context`` is a URL (collabkg never fetches one)."""
    url = None
    with contextlib.suppress(OSError, ValueError, RecursionError):
        if path.stat().st_size < 16 * 1024 * 1024:
            import json

            url = _context_url(json.loads(path.read_bytes()))
    named = f" ({url})" if url else ""
    return SourceError(
        path,
        f"the JSON-LD @context{named} is remote, and collabkg does not fetch remote contexts; "
        "inline it: replace the URL by the context object it serves (\"@context\": {...})",
    )


def _context_url(document: object) -> str | None:
    """The first URL given as (or imported by) a ``@context`` in a JSON-LD document."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and isinstance(value, str):
                    return value
                if key == "@context" and isinstance(value, list):
                    found = next((v for v in value if isinstance(v, str)), None)
                    if found is not None:
                        return found
                stack.append(value)
    return None


MAX_ENTITY_EXPANSION = 10_000_000
"""The most characters the internal entities of one RDF/XML file may expand to, in all."""

_DOCTYPE_HEAD = 1 << 20
"""How much of an RDF/XML file may come before the end of its DOCTYPE (bytes)."""

_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_SUBSET = re.compile(r"<!DOCTYPE\s+[^\[>]*(?:\[(.*?)\])?\s*>", re.DOTALL)
_ENTITY = re.compile(
    r"<!ENTITY\s+(%\s*)?([^\s%\"'<>]+)\s+(?:\"([^\"]*)\"|'([^']*)'|(SYSTEM|PUBLIC)\b)", re.DOTALL
)
_REFERENCE = re.compile(r"&([^\s&;<>\"'#%]+);")


def check_xml_entities(path: Path) -> None:
    """Refuse an RDF/XML file whose entities could exhaust memory or read other files.

    A :class:`SourceError` for an external entity (``SYSTEM``/``PUBLIC``: never
    read), a parameter entity, an entity that refers to itself, and internal
    entities that would expand, over all their uses in the file, to more than
    :data:`MAX_ENTITY_EXPANSION` characters (the "billion laughs"). The check
    reads the file once, in bounded memory, without expanding anything.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(_DOCTYPE_HEAD).decode("latin-1")
    except OSError:
        return  # the parser says what is wrong
    found = _DOCTYPE.search(head)
    if found is None:
        return
    subset = _SUBSET.search(head, found.start())
    if subset is None:
        raise SourceError(path, f"a DOCTYPE longer than {_DOCTYPE_HEAD} bytes is refused", _line(head, found.start()))
    declared: dict[str, tuple[str, int]] = {}
    for entity in _ENTITY.finditer(subset.group(1) or "", 0):
        offset = subset.start(1) + entity.start()
        line = _line(head, offset)
        name = entity.group(2)
        if entity.group(5):
            raise SourceError(
                path, f"external XML entity '{name}' refused: collabkg never reads files or URLs an entity names", line
            )
        if entity.group(1):
            raise SourceError(path, f"XML parameter entity '%{name}' refused: collabkg reads internal entities only", line)
        value = entity.group(3) if entity.group(3) is not None else entity.group(4)
        declared.setdefault(name, (value, line))
    if not declared:
        return
    sizes: dict[str, int] = {}

    def size(name: str, seen: tuple[str, ...]) -> int:
        if name in sizes:
            return sizes[name]
        value, line = declared[name]
        if name in seen:
            raise SourceError(path, f"XML entity '{name}' refers to itself", line)
        total = len(value)
        for ref in _REFERENCE.finditer(value):
            total -= len(ref.group(0))
            inner = ref.group(1)
            total += size(inner, (*seen, name)) if inner in declared else 1
            total = min(total, MAX_ENTITY_EXPANSION + 1)
        sizes[name] = total
        return total

    for name in declared:
        size(name, ())
    uses = _count_references(path, subset.end(), declared)
    total = 0
    for name, count in sorted(uses.items(), key=lambda item: -sizes[item[0]]):
        total += count * sizes[name]
        if total > MAX_ENTITY_EXPANSION:
            value, line = declared[name]
            raise SourceError(
                path,
                f"XML entity '{name}' would expand to more than {MAX_ENTITY_EXPANSION} characters "
                "(an entity expansion bomb); refused",
                line,
            )


def _count_references(path: Path, start: int, names: Collection[str]) -> dict[str, int]:
    """How often each entity of ``names`` is referred to after byte ``start`` of ``path``."""
    counts: dict[str, int] = {}
    with path.open("rb") as stream:
        stream.seek(start)
        tail = ""
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            text = tail + chunk.decode("latin-1")
            cut = text.rfind("&")
            if cut < len(text) - 256 or cut == -1:
                cut = len(text)  # no reference can be cut in two here
            for ref in _REFERENCE.finditer(text, 0, cut):
                if ref.group(1) in names:
                    counts[ref.group(1)] = counts.get(ref.group(1), 0) + 1
            tail = text[cut:]
    for ref in _REFERENCE.finditer(tail):
        if ref.group(1) in names:
            counts[ref.group(1)] = counts.get(ref.group(1), 0) + 1
    return counts


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


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


_rdflib_quiet = False


def quiet_rdflib() -> None:
    """Stop rdflib from logging a traceback for each ill-typed literal (``"seven"^^xsd:integer``).

    An ill-typed value is legal RDF; the shapes say what is wrong with it,
    once, and ``collabkg stats`` says which values it skipped. Called before
    terms are handed to rdflib.
    """
    global _rdflib_quiet
    if _rdflib_quiet:
        return
    import logging

    def keep(record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")

    logging.getLogger("rdflib.term").addFilter(keep)
    _rdflib_quiet = True


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Identifier:
    """A pyoxigraph term as the equal rdflib term.

    Plain literals become rdflib literals without a datatype (rdflib keeps
    ``"x"`` and ``"x"^^xsd:string`` apart, and SHACL shapes parsed by rdflib
    use the former). A triple term (RDF 1.2) is a ``TypeError``.
    """
    from rdflib import BNode, Literal, URIRef

    if not _rdflib_quiet:
        quiet_rdflib()
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

    quiet_rdflib()
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
