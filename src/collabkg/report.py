"""The evidence browser: a static HTML site of the graph's evidence, built from the canned queries.

:func:`build_report` writes a site that opens from disk, with no server and
no network (no script, no font or style from elsewhere), rendered with the
Jinja2 templates in ``collabkg/templates/report``:

``index.html``
    What the graph holds (sources, case studies, participants, factors,
    passages, the statuses of its statements) and links to every page.
``tables.html``
    The report's Table 1 (participants by case study; a derived count is
    marked, with its basis) and Table 2 (the factors by theme, challenges
    and enablers), regenerated from the graph.
``heatmap.html`` (and ``heatmap-2.html``... past :data:`CASES_PER_PAGE` cases)
    Case studies by the 29 factors, grouped by theme and polarity in the
    report's order: each cell gives the number of passages evidencing it,
    shaded by that number and marked by the strongest status behind it; a
    non-empty cell links to its page in ``cells/``.
``cells/CASE--FACTOR.html``
    The passages of one cell, verbatim, each with its status, basis,
    section and the report it quotes: the rows of the ``evidence`` query for
    that case and factor.
``cases/``, ``factors/``, ``poles/``
    A page per case study (collaboration, organisations by sector and role,
    poles of the dimensions, examples, figures), per factor and per pole of
    a dimension of collaboration (the cases that show it, with the passages).

Every page comes from the canned queries, run once each on one store
(:func:`collabkg.query.run`), so ``--data`` and ``--store sparql:URL`` apply.
Pages are deterministic (the same graph gives byte-identical files) and each
is replaced atomically.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabkg import CollabkgError, PathLike, bundle, logs
from collabkg.files import atomic_write
from collabkg.namespaces import show, slug_of
from collabkg.outcome import PagesWritten

if TYPE_CHECKING:
    from collabkg.stores import RemoteOptions, Store

log = logs.get(__name__)

DEFAULT_OUTPUT = Path("dist/report")
"""Where ``collabkg report`` writes the site unless told otherwise."""
CASES_PER_PAGE = 100
"""Rows of the heatmap per page: past this many case studies, the heatmap is paged."""
STATUSES = ("stated", "derived", "interpretive")
"""The statuses of a statement, strongest first."""
MARKS = {"stated": "●", "derived": "◆", "interpretive": "○"}
"""The glyph that marks each status, so that statuses differ by shape as well as by word."""
POLARITIES = {"challenge": "Challenges", "enabler": "Enablers"}
QUERIES = (
    "case-factor-matrix",
    "factors-by-theme",
    "evidence",
    "passages",
    "participants-by-case",
    "dimensions-by-case",
    "organisations",
    "figures",
    "enablers-for-challenges",
)
"""The canned queries the site is built from, each run once."""


class ReportError(CollabkgError):
    """The site cannot be written (an output folder that is a file, say)."""


# --------------------------------------------------------------------------
# What the pages show
# --------------------------------------------------------------------------


@dataclass
class Factor:
    iri: str
    label: str
    theme: str
    theme_label: str
    polarity: str
    slug: str
    links: list[Link] = field(default_factory=list)

    @property
    def href(self) -> str:
        return f"factors/{self.slug}.html"


@dataclass
class Link:
    """A factor at the other end of a challenge-enabler link (``ckg:addresses``), with the link's status."""

    factor: Factor
    status: str
    basis: str


@dataclass
class Passage:
    """One passage behind a case-factor link, with what the browser shows beside it."""

    quotation: str
    text: str
    section: str
    source: str
    source_title: str
    status: str
    basis: str


@dataclass
class Cell:
    case: Case
    factor: Factor
    count: int
    passages: list[Passage] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The strongest status of the passages behind the cell ('' if none)."""
        return strongest(p.status for p in self.passages)

    @property
    def slug(self) -> str:
        return f"{self.case.slug}--{self.factor.slug}"

    @property
    def href(self) -> str:
        return f"cells/{self.slug}.html"

    @property
    def shade(self) -> int:
        return min(self.count, 4)


@dataclass
class Placement:
    """A case's collaboration placed at a pole of a dimension of collaboration."""

    case: Case
    collaboration: str
    dimension: str
    pole: str
    pole_label: str
    status: str
    basis: str
    pole_slug: str


@dataclass
class Organisation:
    iri: str
    label: str
    sectors: list[str]
    roles: list[str]


@dataclass
class Figure:
    """A quantitative fact about a case, with the passages it is derived from."""

    iri: str
    measure: str
    value: str
    unit: str
    status: str
    basis: str
    texts: list[str]


@dataclass
class Count:
    """A row of Table 1: a participant count with its status."""

    label: str
    case: Case | None
    participants: str
    status: str
    basis: str


@dataclass
class Case:
    iri: str
    label: str
    slug: str
    cells: list[Cell] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """The name of each collaboration of the case (``organisations``), by IRI."""

    @property
    def href(self) -> str:
        return f"cases/{self.slug}.html"

    @property
    def collaborations(self) -> list[tuple[str, str]]:
        """Each collaboration of the case as (IRI, name), by name ('' where it has none)."""
        iris = {p.collaboration for p in self.placements} | set(self.names)
        return sorted(((iri, self.names.get(iri, "")) for iri in iris), key=lambda c: (c[1] == "", c[1], c[0]))

    @property
    def evidenced(self) -> list[Cell]:
        return [c for c in self.cells if c.count]


@dataclass
class Pole:
    iri: str
    label: str
    dimension: str
    slug: str
    placements: list[Placement] = field(default_factory=list)

    @property
    def href(self) -> str:
        return f"poles/{self.slug}.html"


@dataclass
class Group:
    """A heading of the heatmap's columns: a theme, or a theme's challenges or enablers."""

    label: str
    span: int


@dataclass
class Site:
    """Everything the pages show, read from the answers of :data:`QUERIES`."""

    factors: list[Factor]
    cases: list[Case]
    poles: list[Pole]
    counts: list[Count]
    stats: list[tuple[str, int]]
    statuses: list[tuple[str, dict[str, int]]]
    notes: list[str]

    @property
    def themes(self) -> list[Group]:
        return [Group(label, len(list(group))) for label, group in _runs(self.factors, lambda f: f.theme_label)]

    @property
    def polarities(self) -> list[Group]:
        return [
            Group(POLARITIES.get(polarity, polarity), len(list(group)))
            for (_, polarity), group in _runs(self.factors, lambda f: (f.theme, f.polarity))
        ]

    @property
    def table2(self) -> list[tuple[str, dict[str, list[Factor]]]]:
        """Table 2: per theme, its challenges and its enablers."""
        rows: list[tuple[str, dict[str, list[Factor]]]] = []
        for label, group in _runs(self.factors, lambda f: f.theme_label):
            by_polarity: dict[str, list[Factor]] = {p: [] for p in POLARITIES}
            for factor in group:
                by_polarity.setdefault(factor.polarity, []).append(factor)
            rows.append((label, by_polarity))
        return rows

    def pages(self) -> list[list[Case]]:
        """The heatmap's pages of case studies."""
        return [self.cases[i : i + CASES_PER_PAGE] for i in range(0, len(self.cases), CASES_PER_PAGE)] or [[]]


def _runs(items: Sequence[Any], key: Any) -> list[tuple[Any, list[Any]]]:
    """Consecutive runs of items with the same key, in order."""
    runs: list[tuple[Any, list[Any]]] = []
    for item in items:
        k = key(item)
        if runs and runs[-1][0] == k:
            runs[-1][1].append(item)
        else:
            runs.append((k, [item]))
    return runs


def strongest(statuses: Iterable[str]) -> str:
    """The strongest of ``statuses`` (stated, then derived, then interpretive); '' if none.

    >>> strongest(["interpretive", "derived"])
    'derived'
    """
    found = set(statuses)
    for status in STATUSES:
        if status in found:
            return status
    return min(found) if found else ""


class _Slugs:
    """Unique file names: a name already taken by another node gets the node's hash.

    Names are compared without case, as file systems that ignore case would.
    """

    def __init__(self) -> None:
        self.taken: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        slug = slug_of(iri)
        if self.taken.setdefault(slug.lower(), iri) != iri:
            slug = f"{slug}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:8]}"
            self.taken[slug.lower()] = iri
        return slug


# --------------------------------------------------------------------------
# Reading the answers
# --------------------------------------------------------------------------

Row = dict[str, str]


def answers(engine: Store) -> dict[str, list[Row]]:
    """The rows of each query of :data:`QUERIES` on ``engine``, as strings ('' where unbound)."""
    from collabkg.query import run
    from collabkg.stores import Solutions

    result: dict[str, list[Row]] = {}
    for name in QUERIES:
        solutions = run(name, store=engine)
        assert isinstance(solutions, Solutions)
        result[name] = [
            {var: "" if term is None else term.value for var, term in zip(solutions.variables, row, strict=True)}
            for row in solutions.rows
        ]
    return result


def read_site(rows: Mapping[str, list[Row]], notes: Sequence[str] = ()) -> Site:
    """The site's content from the answers of :data:`QUERIES`."""
    slugs: dict[str, _Slugs] = defaultdict(_Slugs)
    factors: dict[str, Factor] = {}
    for row in rows["factors-by-theme"]:
        if row["factor"] not in factors:
            factors[row["factor"]] = Factor(
                row["factor"], row["factorLabel"], row["theme"], row["themeLabel"], row["polarityLabel"],
                slugs["factor"](row["factor"]),
            )
    cases: dict[str, Case] = {}
    counts: dict[tuple[str, str], int] = {}
    for row in rows["case-factor-matrix"]:
        if row["case"] not in cases:
            cases[row["case"]] = Case(row["case"], row["caseLabel"], slugs["case"](row["case"]))
        counts[row["case"], row["factor"]] = int(row["evidence"] or 0)
    cells: dict[tuple[str, str], Cell] = {}
    for case in cases.values():
        for factor in factors.values():
            cell = Cell(case, factor, counts.get((case.iri, factor.iri), 0))
            case.cells.append(cell)
            cells[case.iri, factor.iri] = cell
    details = {(r["case"], r["factor"], r["quotation"]): r for r in rows["passages"]}
    for row in rows["evidence"]:
        found = cells.get((row["case"], row["factor"]))
        if found is None:
            continue
        extra = details.get((row["case"], row["factor"], row["quotation"]), {})
        found.passages.append(
            Passage(
                row["quotation"], row["text"], row["section"], extra.get("source", ""),
                extra.get("sourceTitle", ""), extra.get("status", ""), extra.get("basis", ""),
            )
        )
    poles: dict[str, Pole] = {}
    for row in rows["dimensions-by-case"]:
        placed = cases.get(row["case"])
        if placed is None:
            continue
        case = placed
        if row["pole"] not in poles:
            poles[row["pole"]] = Pole(row["pole"], row["poleLabel"], row["dimensionLabel"], slugs["pole"](row["pole"]))
        placement = Placement(
            case, row["collaboration"], row["dimensionLabel"], row["pole"], row["poleLabel"], row["status"],
            row["basis"], poles[row["pole"]].slug,
        )
        case.placements.append(placement)
        poles[row["pole"]].placements.append(placement)
    for row in rows["enablers-for-challenges"]:
        enabler, challenge = factors.get(row["enabler"]), factors.get(row["challenge"])
        if enabler is not None and challenge is not None:
            challenge.links.append(Link(enabler, row["status"], row["basis"]))
            enabler.links.append(Link(challenge, row["status"], row["basis"]))
    _organisations(rows["organisations"], cases)
    _figures(rows["figures"], cases)
    table1 = []
    for row in rows["participants-by-case"]:
        counted = cases.get(row["case"])
        count = Count(row["caseLabel"], counted, row["participants"], row["status"], row["basis"])
        table1.append(count)
        if counted is not None:
            counted.counts.append(count)
    site = Site(
        factors=list(factors.values()),
        cases=list(cases.values()),
        poles=sorted(poles.values(), key=lambda p: (p.dimension.lower(), p.label.lower(), p.iri)),
        counts=table1,
        stats=[],
        statuses=[],
        notes=list(notes),
    )
    site.stats, site.statuses = _overview(site, rows)
    return site


def _organisations(rows: list[Row], cases: Mapping[str, Case]) -> None:
    found: dict[tuple[str, str], Organisation] = {}
    for row in rows:
        case = cases.get(row["case"])
        if case is None:
            continue
        if row["collaboration"]:
            case.names[row["collaboration"]] = row["collaborationLabel"]
        key = (case.iri, row["organisation"])
        if key not in found:
            found[key] = Organisation(row["organisation"], row["organisationLabel"], [], [])
            case.organisations.append(found[key])
        organisation = found[key]
        for values, value in ((organisation.sectors, row["sectorLabel"]), (organisation.roles, row["roleLabel"])):
            if value and value not in values:
                values.append(value)


def _figures(rows: list[Row], cases: Mapping[str, Case]) -> None:
    found: dict[str, Figure] = {}
    for row in rows:
        case = cases.get(row["case"])
        if case is None:
            continue
        if row["fact"] not in found:
            value = row["value"] or "–".join(v for v in (row["minValue"], row["maxValue"]) if v)
            found[row["fact"]] = Figure(
                row["fact"], row["measure"], value, row["unit"], row["status"], row["basis"], []
            )
            case.figures.append(found[row["fact"]])
        if row["text"] and row["text"] not in found[row["fact"]].texts:
            found[row["fact"]].texts.append(row["text"])


def _overview(site: Site, rows: Mapping[str, list[Row]]) -> tuple[list[tuple[str, int]], list[tuple[str, dict[str, int]]]]:
    """The home page's counts, and the statuses of each kind of statement."""
    totals = [r for r in rows["participants-by-case"] if not r["case"]]
    participants = sum(_int(r["participants"]) for r in (totals or rows["participants-by-case"]))
    sources = {r["source"] for r in rows["passages"] if r["source"]}
    stats = [
        ("sources (reports quoted)", len(sources)),
        ("case studies", len(site.cases)),
        ("participants interviewed", participants),
        ("organisations", len({o.iri for c in site.cases for o in c.organisations})),
        ("themes", len({f.theme for f in site.factors})),
        ("factors (challenges and enablers)", len(site.factors)),
        ("evidenced case-factor cells", sum(1 for c in site.cases for cell in c.cells if cell.count)),
        ("passages quoted as evidence", len({r["quotation"] for r in rows["evidence"]})),
        ("quantitative facts", len({r["fact"] for r in rows["figures"]})),
    ]
    kinds: list[tuple[str, Iterable[str]]] = [
        ("case-factor links", (cell.status for c in site.cases for cell in c.cells if cell.count)),
        ("placements at a pole of a dimension", (p.status for c in site.cases for p in c.placements)),
        ("participant counts", (c.status for c in site.counts)),
        ("quantitative facts", (f.status for c in site.cases for f in c.figures)),
        ("enablers that answer a challenge", (r["status"] for r in rows["enablers-for-challenges"])),
    ]
    statuses = []
    for label, found in kinds:
        tally = Counter(s for s in found if s)
        statuses.append((label, {s: tally.get(s, 0) for s in STATUSES}))
    return stats, statuses


def _int(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


# --------------------------------------------------------------------------
# Writing the pages
# --------------------------------------------------------------------------


def report(
    output: PathLike = DEFAULT_OUTPUT,
    data: Sequence[PathLike] | None = None,
    *,
    store: Store | str | None = None,
    inferred: PathLike | None = None,
    remote: RemoteOptions | None = None,
) -> PagesWritten:
    """``collabkg report``: write the evidence browser into the folder ``output`` (see :func:`build_report`)."""
    engine = open_engine(store, data, inferred, remote)
    pages = build_report(output, engine)
    return PagesWritten(Path(output), tuple(pages), tuple(engine.notes()))


def open_engine(
    store: Store | str | None,
    data: Sequence[PathLike] | None = None,
    inferred: PathLike | None = None,
    remote: RemoteOptions | None = None,
) -> Store:
    """The store the queries run on, as ``collabkg query`` opens it."""
    from collabkg.stores import Store, open_store

    if isinstance(store, Store):
        return store
    from collabkg.graph import KnowledgeGraph

    return open_store(store, KnowledgeGraph(data, inferred), remote)


def build_report(output: PathLike, engine: Store) -> list[Path]:
    """Write the site into the folder ``output`` from the answers of ``engine``; return the pages' paths.

    Each file is replaced atomically; the home page comes first.
    """
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: not a folder; give a folder for the site")
    site = read_site(answers(engine), engine.notes())
    env = _environment()
    written: list[Path] = []

    def page(path: str, template: str, title: str, **context: object) -> None:
        depth = path.count("/")
        html = env.get_template(f"report/{template}").render(
            site=site, page=path, root="../" * depth, title=title, **context
        )
        written.append(_write(out / path, html))

    page("index.html", "index.html", "The evidence")
    page("tables.html", "tables.html", "Tables 1 and 2")
    pages = site.pages()
    names = ["heatmap.html"] + [f"heatmap-{n}.html" for n in range(2, len(pages) + 1)]
    for number, (name, cases) in enumerate(zip(names, pages, strict=True), start=1):
        title = "Case studies by factor" + (f" (page {number} of {len(pages)})" if len(pages) > 1 else "")
        page(name, "heatmap.html", title, cases=cases, number=number, heatmaps=names)
    for case in site.cases:
        page(case.href, "case.html", case.label, case=case)
        for cell in case.evidenced:
            page(cell.href, "cell.html", f"{case.label}: {cell.factor.label}", cell=cell)
    for factor in site.factors:
        cells = [c for case in site.cases for c in case.cells if c.factor is factor and c.count]
        page(factor.href, "factor.html", factor.label, factor=factor, cells=cells)
    for pole in site.poles:
        page(pole.href, "pole.html", f"{pole.dimension}: {pole.label}", pole=pole)
    css = env.get_template("report/style.css").render()
    written.append(_write(out / "style.css", css))
    return written


def _environment():  # -> jinja2.Environment
    env = bundle.html_templates()
    env.globals.update(marks=MARKS, statuses=STATUSES)
    env.filters["show"] = show
    env.filters["plural"] = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
    return env


def _write(path: Path, text: str) -> Path:
    atomic_write(path, text.encode("utf-8"))
    return path
