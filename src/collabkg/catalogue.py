"""The query catalogue: ``queries/*.rq`` files, their headers and parameters.

A canned query is a SPARQL file whose first lines are a grlc-style header of
``#+ key: value`` comment lines (a small subset of YAML)::

    #+ summary: Enablers each case study exemplifies
    #+ description: For each case study, ...
    #+ tags:
    #+   - cases
    #+ defaults:
    #+   - pole: https://w3id.org/collabkg/id/dimension/horizontal

Parameters are variables named the BASIL way: ``?_case_iri`` is a required
parameter ``case`` whose value is an IRI, ``?__theme_iri`` an optional one.
The type suffix is one of ``iri``, ``literal`` or ``integer``; without one a
parameter is a literal. A header that does not parse is an error, never
silently empty metadata; so is a value that YAML, and so grlc, would read
otherwise (an unquoted ``: `` in a summary): quote it, ``'...'`` or ``"..."``.

Nothing here imports an RDF library: reading the catalogue is cheap. A query
text is parsed once per process: loading it again (the same file unchanged,
or the same text) gives the same :class:`CannedQuery` without parsing it again.

One module of more than the usual size because it is one thing: the
``.rq`` files, canned queries and checks alike, and their headers and parameters.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from collabkg import CollabkgError, PathLike, namespaces, bundle

QUERY_SUFFIX = ".rq"


cached = functools.lru_cache(maxsize=256)
"""A decorator: a per-process cache of the function's latest answers, keyed on its arguments.

Exceptions are not cached: a bad input fails again, with its own message, each time.
"""


queries_dir = cached(bundle.queries_dir)


class QueryError(CollabkgError):
    """Bad input to the query layer: the CLI reports it and exits with 2."""


class HeaderError(QueryError):
    """A ``#+`` header that does not parse; str() is ``FILE:LINE: message``."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path, self.line, self.message = Path(path), line, message
        super().__init__(f"{path}:{line}: {message}")


class UnknownQuery(QueryError):
    """No canned query of that name; names the closest ones."""

    def __init__(self, name: str, known: list[str]):
        import difflib

        self.name = name
        self.suggestions = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown query {name!r}.{hint} Run 'collabkg queries' for the catalogue.")


class ParameterError(QueryError):
    """A parameter that is unknown, missing or whose value does not fit its type."""


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------

# An absolute IRI: a scheme, then characters SPARQL allows inside <...>.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")
# A CURIE with one of the project's prefixes, e.g. case:northumbria.
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_\-]*):([A-Za-z0-9_\-.]*)")


class ParamType(enum.Enum):
    """The type of a parameter, from the suffix of its variable's name."""

    IRI = "iri"
    LITERAL = "literal"
    INTEGER = "integer"

    @classmethod
    def from_suffix(cls, suffix: str | None) -> ParamType:
        return cls.LITERAL if suffix is None else cls(suffix)

    def to_sparql(self, name: str, value: object) -> str:
        """``value`` as a SPARQL term of this type, or ParameterError.

        The value becomes one RDF term and nothing else: an IRI is checked
        against the characters an IRI may hold, a literal is escaped, an
        integer must be digits.

        >>> ParamType.IRI.to_sparql("case", "case:northumbria")
        '<https://w3id.org/collabkg/id/case/northumbria>'
        >>> ParamType.LITERAL.to_sparql("label", 'say "hi"\\n')
        '"say \\\\"hi\\\\"\\\\n"'
        >>> ParamType.INTEGER.to_sparql("n", "7")
        '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
        """
        if self is ParamType.INTEGER:
            text = str(value).strip()
            if isinstance(value, bool) or not _INTEGER.fullmatch(text):
                raise ParameterError(f"parameter {name!r} takes an integer, not {value!r}")
            return f'"{int(text)}"^^<{namespaces.XSD}integer>'
        if self is ParamType.IRI:
            return f"<{expand_iri(name, str(value))}>"
        return sparql_string(str(value))


def expand_iri(name: str, value: str) -> str:
    """An absolute IRI from ``value``, which may use one of the project's prefixes."""
    curie = _CURIE.fullmatch(value)
    if curie and curie.group(1) in namespaces.PREFIXES:
        return namespaces.PREFIXES[curie.group(1)] + curie.group(2)
    if not _IRI.fullmatch(value):
        raise ParameterError(
            f"parameter {name!r} takes an IRI (such as "
            f"{namespaces.DATA['case']}northumbria or case:northumbria), not {value!r}"
        )
    return value


def sparql_string(text: str) -> str:
    """A SPARQL string literal holding exactly ``text``."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


class Parameter(NamedTuple):
    """A BASIL parameter: ``?_case_iri`` is the required IRI parameter ``case``."""

    name: str
    variable: str
    type: ParamType
    required: bool
    default: str | None = None

    @classmethod
    def from_variable(cls, variable: str) -> Parameter | None:
        """The parameter a variable name stands for, or None if it is not one.

        >>> Parameter.from_variable("_case_iri")
        Parameter(name='case', variable='_case_iri', type=<ParamType.IRI: 'iri'>, required=True, default=None)
        >>> Parameter.from_variable("__theme_iri").required
        False
        >>> Parameter.from_variable("case") is None
        True
        """
        match = re.fullmatch(r"(__?)([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*?)(?:_(iri|literal|integer))?", variable)
        if not match:
            return None
        return cls(
            name=match.group(2),
            variable=variable,
            type=ParamType.from_suffix(match.group(3)),
            required=match.group(1) == "_",
        )

    def describe(self) -> str:
        """``case (IRI, required)`` or ``theme (IRI, optional, default ...)``."""
        parts = [self.type.name, "required" if self.required else "optional"]
        if self.default is not None:
            parts.append(f"default {self.default}")
        return f"{self.name} ({', '.join(parts)})"


# --------------------------------------------------------------------------
# A small SPARQL lexer: enough to find variables and the WHERE clause
# --------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?|:[A-Za-z0-9_\-.]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, comments, strings and IRIs kept whole."""
    for match in _TOKEN.finditer(text):
        yield Token(match.lastgroup or "other", match.group(), match.start())


def variables(text: str) -> list[str]:
    """The names of the variables in ``text``, in order of first use."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token.kind == "var":
            seen.setdefault(token.text[1:], None)
    return list(seen)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword of the query."""
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return token.text.upper()
    return None


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@cached
def where_brace(text: str) -> int | None:
    """The offset of the ``{`` that opens the query's WHERE clause, if any.

    For SELECT, ASK and DESCRIBE it is the first ``{`` outside parentheses
    after the query form; for CONSTRUCT, the first after the template.
    """
    form: str | None = None
    template_depth = 0
    parens = 0
    after_template = False
    for token in tokens(text):
        if token.kind in ("ws", "comment"):
            continue
        if form is None:
            if token.kind == "word" and token.text.upper() in _FORMS:
                form = token.text.upper()
            continue
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif form == "CONSTRUCT" and not after_template:
            if token.kind == "word" and token.text.upper() == "WHERE" and template_depth == 0:
                after_template = True
            elif token.text == "{":
                template_depth += 1
            elif token.text == "}":
                template_depth -= 1
                after_template = template_depth == 0
        elif token.text == "{" and parens == 0:
            return token.start
    return None


# --------------------------------------------------------------------------
# The #+ header
# --------------------------------------------------------------------------

_HEADER_KEYS = {
    "summary": str,
    "description": str,
    "tags": list,
    "defaults": list,
    # Read by grlc when the folder is served; kept, not used here.
    "endpoint": str,
    "method": str,
    "pagination": str,
}
_KEY_LINE = re.compile(r"([A-Za-z_]+):(?:[ \t]+(.*\S))?[ \t]*")
_ITEM_LINE = re.compile(r" +- +(.*\S)[ \t]*")
_PAIR = re.compile(r"([A-Za-z0-9_]+):[ \t]+(.*\S)")
# Keys whose values YAML must read as strings (a plain 'true' or '2021' would not be one).
_TEXT_KEYS = ("summary", "description", "tags")


def parse_header(text: str, path: Path | str = "<query>") -> tuple[dict[str, str | list[str]], dict[str, int]]:
    """The ``#+`` header of a query as a dict, and the line of each key and item.

    Lines are keyed ``summary`` for a key and ``defaults.0`` for an item; a
    default is kept as ``name: value``, its value unquoted.

    The header is the YAML that grlc reads (the lines without their ``#+``),
    restricted to one level of ``key: value`` and ``key:`` with ``  - item``
    lines. A value is a YAML plain scalar or a single- or double-quoted one,
    and reads here as YAML reads it, without a YAML library.

    Raises HeaderError on a line that is not ``key: value``, ``key:`` or a
    ``  - item`` under a list key, on an unknown or repeated key, on a value
    that YAML would read otherwise or not at all (an unquoted ``: `` or
    `` #``, a leading indicator such as ``[`` or ``*``, a plain ``true`` or
    ``2021`` as text), and on a ``#+`` line after the header.
    """
    header: dict[str, str | list[str]] = {}
    lines = text.splitlines()
    current: str | None = None
    count = 0
    lines_of: dict[str, int] = {}
    for count, line in enumerate(lines, start=1):
        if not line.startswith("#+"):
            count -= 1
            break
        body = line[2:]
        item = _ITEM_LINE.fullmatch(body)
        if item:
            items = header[current] if current is not None else None
            if not isinstance(items, list):
                raise HeaderError(path, count, f"list item {item.group(1)!r} outside a list key")
            lines_of[f"{current}.{len(items)}"] = count
            if current == "defaults":
                pair = _PAIR.fullmatch(item.group(1))
                if not pair:
                    raise HeaderError(path, count, f"default {item.group(1)!r} is not 'name: value'")
                items.append(f"{pair.group(1)}: {_scalar(pair.group(2), path, count, text=False)}")
            else:
                items.append(_scalar(item.group(1), path, count, text=current in _TEXT_KEYS))
            continue
        key_line = _KEY_LINE.fullmatch(body.lstrip()) if body[:1] == " " else None
        if not key_line or body[1:2].isspace():
            raise HeaderError(path, count, f"expected '#+ key: value', got {line!r}")
        key, value = key_line.group(1), key_line.group(2)
        if key not in _HEADER_KEYS:
            raise HeaderError(path, count, f"unknown key {key!r} (known: {', '.join(_HEADER_KEYS)})")
        if key in header:
            raise HeaderError(path, count, f"key {key!r} given twice")
        if _HEADER_KEYS[key] is list:
            if value is not None:
                raise HeaderError(path, count, f"{key!r} takes a list of '#+   - item' lines")
            header[key] = []
        elif value is None:
            raise HeaderError(path, count, f"{key!r} has no value")
        else:
            header[key] = _scalar(value, path, count, text=key in _TEXT_KEYS)
        current = key
        lines_of[key] = count
    else:
        count = len(lines)
    for number, line in enumerate(lines[count:], start=count + 1):
        if line.startswith("#+"):
            raise HeaderError(path, number, "'#+' line after the header (the header must come first)")
    lines_of[""] = count
    return header, lines_of


# What YAML 1.1 (PyYAML, which grlc uses) reads as a null, bool, number or date rather than a string.
_NOT_TEXT = re.compile(
    r"""~|null|Null|NULL|=|<<
      |yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
      |[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)
      |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?
      |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
      |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
         (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?""",
    re.VERBOSE,
)
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _scalar(value: str, path: Path | str, line: int, *, text: bool = True) -> str:
    """A YAML scalar on one line, as YAML reads it: plain, 'single-' or "double-quoted".

    HeaderError where YAML would not read it as this one string: say, an
    unquoted ``: `` that YAML takes for a key, or (for ``text``) a plain
    ``true`` that YAML takes for a boolean.

    >>> _scalar("'the ''evidence'' query: a drill-down'", "q.rq", 2)
    "the 'evidence' query: a drill-down"
    >>> _scalar('"Table 2, \\\\"Summary\\\\": 29 rows"', "q.rq", 2)
    'Table 2, "Summary": 29 rows'
    >>> _scalar("One row per factor: its theme", "q.rq", 2)
    Traceback (most recent call last):
    ...
    collabkg.catalogue.HeaderError: q.rq:2: the value 'One row per factor: its theme' has a ': ', which YAML reads as a key: quote it (grlc reads the header as YAML)
    """
    if value[0] == "'":
        return _single_quoted(value, path, line)
    if value[0] == '"':
        return _double_quoted(value, path, line)
    problem = None
    if value[0] in "[]{},#&*!|>%@`" or (value[0] in "-?:" and (len(value) == 1 or value[1] in " \t")):
        problem = f"starts with {value[0]!r}, which YAML reads as syntax"
    elif ": " in value or ":\t" in value or value.endswith(":"):
        problem = "has a ': ', which YAML reads as a key"
    elif " #" in value or "\t#" in value:
        problem = "has a ' #', which YAML reads as the start of a comment"
    elif text and _NOT_TEXT.fullmatch(value):
        problem = "is not text to YAML (a null, boolean, number or date)"
    if problem is not None:
        raise HeaderError(path, line, f"the value {value!r} {problem}: quote it (grlc reads the header as YAML)")
    return value


def _single_quoted(value: str, path: Path | str, line: int) -> str:
    """A YAML 'single-quoted' scalar, where '' stands for one '."""
    match = re.fullmatch(r"'((?:[^']|'')*)'", value)
    if not match:
        raise HeaderError(path, line, f"the value {value!r} is not one 'quoted' string (write a ' inside as '')")
    return match.group(1).replace("''", "'")


def _double_quoted(value: str, path: Path | str, line: int) -> str:
    """A YAML "double-quoted" scalar, with its backslash escapes."""
    match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', value)
    if not match:
        raise HeaderError(path, line, f'the value {value!r} is not one "quoted" string (write a " inside as \\")')
    out, body, i = [], match.group(1), 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        code = body[i + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        elif code in _HEX_ESCAPES and re.fullmatch(
            f"[0-9A-Fa-f]{{{_HEX_ESCAPES[code]}}}", body[i + 2 : i + 2 + _HEX_ESCAPES[code]]
        ):
            out.append(chr(int(body[i + 2 : i + 2 + _HEX_ESCAPES[code]], 16)))
            i += 2 + _HEX_ESCAPES[code]
        else:
            raise HeaderError(path, line, f"the value {value!r} has an escape YAML does not read: {body[i : i + 2]}")
    return "".join(out)


# --------------------------------------------------------------------------
# Canned queries
# --------------------------------------------------------------------------


class CannedQuery(NamedTuple):
    """One ``.rq`` file: its name, header, parameters and text."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    form: str = "SELECT"

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.parameters]


def parameters_of(text: str) -> tuple[Parameter, ...]:
    """The BASIL parameters used in a query text."""
    found = (Parameter.from_variable(name) for name in variables(text))
    return tuple(p for p in found if p is not None)


def read_query(path: Path | str, *, text: str | None = None, require_summary: bool = True) -> CannedQuery:
    """Read one query file with its header; HeaderError if the header is malformed.

    The file is read each time, and parsed only if its text is new to the process.
    """
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    return _parse(path, text, require_summary)


@cached
def _parse(path: Path, text: str, require_summary: bool) -> CannedQuery:
    """The query ``text``, read from ``path``, with its header and parameters."""
    header, lines_of = parse_header(text, path)
    size = lines_of[""]
    if require_summary and not header.get("summary"):
        raise HeaderError(path, 1, "the header has no '#+ summary:' line")
    for key in ("tags", "defaults"):
        if key in header and not header[key]:
            raise HeaderError(path, lines_of[key], f"{key!r} has no items")
    found = parameters_of(text)
    params = {p.name: p for p in found}
    if len(params) != len(found):
        raise HeaderError(path, 1, "a parameter is named twice with different types or flags")
    for index, item in enumerate(header.get("defaults", [])):
        line = lines_of[f"defaults.{index}"]
        pair = _PAIR.fullmatch(item)
        if not pair:
            raise HeaderError(path, line, f"default {item!r} is not 'name: value'")
        name, value = pair.groups()
        if name not in params:
            raise HeaderError(
                path,
                line,
                f"default for {name!r}, which is not a parameter (parameters: {', '.join(params) or 'none'})",
            )
        try:
            params[name].type.to_sparql(name, value)
        except ParameterError as exc:
            raise HeaderError(path, line, f"default: {exc}") from None
        params[name] = params[name]._replace(default=value)
    form = query_form(text)
    if form is None:
        raise HeaderError(path, size + 1, "no SELECT, ASK, CONSTRUCT or DESCRIBE in the query")
    return CannedQuery(
        name=path.name.removesuffix(QUERY_SUFFIX),
        path=path,
        text=text,
        summary=str(header.get("summary", "")),
        description=str(header.get("description", "")),
        tags=tuple(header.get("tags", ())),
        parameters=tuple(params.values()),
        form=form,
    )


def catalogue(folder: Path | str | None = None) -> dict[str, CannedQuery]:
    """Every query in ``folder`` (the bundled catalogue by default), by name."""
    folder = Path(folder) if folder is not None else queries_dir()
    return {path.stem: read_query(path) for path in sorted(folder.glob(f"*{QUERY_SUFFIX}"))}


def find(name: str, folder: Path | str | None = None) -> CannedQuery:
    """The canned query called ``name``; UnknownQuery names the closest ones."""
    folder = Path(folder) if folder is not None else queries_dir()
    path = folder / f"{name}{QUERY_SUFFIX}"
    if "/" in name or not path.is_file():
        known = sorted(p.stem for p in folder.glob(f"*{QUERY_SUFFIX}"))
        raise UnknownQuery(name, known)
    return read_query(path)


# --------------------------------------------------------------------------
# Quality-control checks: queries/checks/NAME-violation.rq
# --------------------------------------------------------------------------

CHECK_SUFFIX = "-violation.rq"


class CheckError(CollabkgError):
    """A check that cannot be found or is not a SELECT query."""


class Check(NamedTuple):
    """A quality-control check: one ``NAME-violation.rq`` file: its name (without the suffix) and its query."""

    name: str
    query: CannedQuery

    @property
    def summary(self) -> str:
        return self.query.summary

    @property
    def description(self) -> str:
        return self.query.description

    @property
    def path(self) -> Path:
        return self.query.path

    @property
    def text(self) -> str:
        return self.query.text


def checks_dir() -> Path:
    """The folder of the bundled checks, ``queries/checks``."""
    return queries_dir() / "checks"


def checks(folder: PathLike | None = None) -> list[Check]:
    """Every ``*-violation.rq`` check in ``folder`` (default: the bundled ones), by name."""
    folder = Path(folder) if folder is not None else checks_dir()
    if not folder.is_dir():
        raise CheckError(f"{folder}: no folder of checks here")
    found = []
    for path in sorted(folder.glob(f"*{CHECK_SUFFIX}")):
        query = read_query(path)
        if query.form != "SELECT":
            raise HeaderError(path, 1, f"a check must be a SELECT query, not {query.form}")
        found.append(Check(path.name.removesuffix(CHECK_SUFFIX), query))
    if not found:
        raise CheckError(f"{folder}: no checks (*{CHECK_SUFFIX}) in this folder")
    return found
