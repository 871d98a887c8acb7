"""``collabkg import``: a workbook's rows as RDF in the project's vocabulary, one Turtle file per case study.

The workbook (:mod:`collabkg.workbook`) is read and every row checked
against the sheets' columns, the ids the sheets define and the lists of the
graph's framework (themes, factors, sectors, roles, poles...). Each passage
is anchored in its source's text (:mod:`collabkg.anchoring`). IRIs are
readable slugs, scoped by source (``case:my-report.alpha``). Each judgement
given a status gets a ``ckg:Assertion`` record. The result is then
SHACL-validated with the graph it joins, and each violation reported
against the row it came from. Only when every row passes are the files
written, each atomically; otherwise every problem is listed, one line each,
addressed by file, sheet and cell, and the exit code is 2.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from collabkg import PathLike
from collabkg.anchoring import AnchorError, SourceText
from collabkg.files import atomic_write
from collabkg.graph import KnowledgeGraph
from collabkg.namespaces import (
    CKG,
    DATA,
    DCTERMS,
    GRAPH_DATA,
    GRAPH_ONTOLOGY,
    OA,
    ORG,
    PREFIXES,
    PROV,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS,
    SKOS_PREFLABEL,
    XSD,
)
from collabkg.outcome import Exit, Outcome
from collabkg.workbook import SHEETS, VOCABULARY_NAMES, Problem, Row, Workbook, WorkbookError, read, sorted_problems

KINDS = {
    "organisation": ORG + "FormalOrganization",
    "unit": ORG + "OrganizationalUnit",
    "group": CKG + "OrganisationGroup",
    "informal": ORG + "Organization",
}
"""The kinds of organisation (the column ``kind``), and their classes."""
FRAMEWORK_CLASSES = {
    "theme": CKG + "Theme",
    "polarity": CKG + "Polarity",
    "factor": CKG + "Factor",
    "sector": CKG + "Sector",
    "role": ORG + "Role",
    "pole": CKG + "Pole",
    "status": CKG + "AssertionStatus",
    "unit": CKG + "Unit",
}
"""The framework's lists: each the instances of a class in the graph, by label."""
WORKBOOK_KINDS = {"case": "cases", "collab": "collaborations", "agent": "organisations", "mem": "memberships",
                  "quote": "evidence", "fact": "figures", "example": "evidence"}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_RANGE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:[-\u2013]\s*([0-9]+(?:\.[0-9]+)?))?\s*")
_SLUG = re.compile(r"[^a-z0-9]+")
_COLUMN_OF = {
    RDFS_LABEL: "label", CKG + "participantCount": "participants", ORG + "classification": "sector",
    ORG + "role": "role", OA + "exact": "passage", CKG + "exemplifies": "factors", CKG + "hasTheme": "theme",
    CKG + "hasPolarity": "polarity", CKG + "purpose": "purposes", ORG + "unitOf": "unit of",
    PROV + "wasDerivedFrom": "derived from", CKG + "inSection": "section", CKG + "basis": "basis",
}


def slug(text: str) -> str:
    """A readable slug of ``text``.

    >>> slug("Findings & next steps")
    'findings-next-steps'
    """
    return _SLUG.sub("-", text.lower()).strip("-") or "x"


def framework(store: ox.Store) -> dict[str, dict[str, str]]:
    """The framework's lists from the graph: for each, its terms' labels and IRIs, in the graph's order."""
    lists: dict[str, dict[str, str]] = {"kind": dict(KINDS)}
    for name, cls in FRAMEWORK_CLASSES.items():
        found: dict[str, tuple[int, str, str]] = {}
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls), None):
            subject = quad.subject
            def values(prop: str) -> list[str]:
                return [str(getattr(q.object, "value", "")) for q in store.quads_for_pattern(
                    subject, ox.NamedNode(prop), None, None)]

            labels = values(SKOS_PREFLABEL) + values(RDFS_LABEL)
            positions = [int(v) for v in values(CKG + "listPosition") if v.isdigit()]
            themes = values(CKG + "hasTheme")
            if labels and isinstance(subject, ox.NamedNode):
                key = (themes[0] if themes else "") + f"{positions[0] if positions else 0:04d}" + labels[0]
                found[subject.value] = (0, key, labels[0])
        lists[name] = {label: iri for iri, (_, _, label) in sorted(found.items(), key=lambda item: item[1][1])}
    return lists


@dataclass
class ImportResult(Outcome):
    """What ``collabkg import`` did: the files it wrote, or every problem and nothing written."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> Exit:
        return Exit.USAGE if self.problems else Exit.OK

    def render(self, fmt: str | None = None) -> str:
        if self.problems:
            return ""
        counts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        lines = [f"imported {counts}"] + [f"wrote {path}" for path in self.written]
        return "\n".join(lines) + "\n"

    def messages(self) -> list[str]:
        if not self.problems:
            return []
        count = len(self.problems)
        return [str(p) for p in self.problems] + [f"{count} problem{'s' if count != 1 else ''}; nothing written"]


def _literal(value: str, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def _number(value: str) -> ox.Literal | None:
    if _INTEGER.fullmatch(value):
        return _literal(value, XSD + "integer")
    if _DECIMAL.fullmatch(value):
        return _literal(value, XSD + "decimal")
    return None


Term = ox.NamedNode | ox.Literal


@dataclass
class _Judgement:
    row: Row
    subject: str
    prop: str
    obj: Term
    label: str
    derived: list[str]
    file: str


class Importer:
    """One import: the rows of a workbook checked and turned into triples, file by file."""

    def __init__(self, book: Workbook, graph: KnowledgeGraph, texts: dict[str, Path] | None = None) -> None:
        self.book = book
        self.base = Path(book.path).parent if not Path(book.path).is_dir() else Path(book.path)
        self.graph = graph
        self.store = graph.oxigraph(GRAPH_ONTOLOGY, GRAPH_DATA)
        self.lists = framework(self.store)
        self.texts = texts or {}
        self.problems: list[Problem] = list(book.problems)
        self.files: dict[str, list[ox.Triple]] = {}
        self.origin: dict[str, Row] = {}
        self.entities: dict[str, dict[str, tuple[str, str, str]]] = {k: {} for k in WORKBOOK_KINDS}
        """By prefix, each id's (IRI, file, label)."""
        self.rows: dict[str, dict[str, Row]] = {}
        self.judgements: dict[tuple[str, str, str], _Judgement] = {}
        self.sources: dict[str, SourceText] = {}
        self.counts: dict[str, int] = {}

    # helpers

    def error(self, row: Row, column: str | None, message: str) -> None:
        self.problems.append(Problem(row.at(column), message))

    def add(self, file: str, subject: str, predicate: str, obj: Term | str) -> None:
        node = ox.NamedNode(obj) if isinstance(obj, str) else obj
        self.files.setdefault(file, []).append(ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), node))

    def known(self, iri: str) -> bool:
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None))

    def vocab(self, row: Row, column: str, name: str) -> list[str]:
        """The IRIs of the values of ``column``, each checked against the list ``name``."""
        values = row.list(column) if row.values and column in ("factors",) else ([row[column]] if row[column] else [])
        terms = self.lists.get(name, {})
        by_label = {label.lower(): iri for label, iri in terms.items()}
        by_local = {re.split(r"[/#]", iri)[-1].lower(): iri for iri in terms.values()}
        found = []
        for value in values:
            iri = by_label.get(value.lower()) or by_local.get(value.lower())
            if iri is None:
                close = difflib.get_close_matches(value.lower(), list(by_label), n=1, cutoff=0.4)
                hint = ""
                if close:
                    hint = next(f"; did you mean '{label}'?" for label in terms if label.lower() == close[0])
                count = f"the {len(terms)} " if name == "factor" else "the "
                self.error(row, column, f"{name} '{value}' is not one of {count}{VOCABULARY_NAMES[name]}{hint}")
                continue
            found.append(iri)
        return found

    def ref(self, row: Row, column: str, sheet: str) -> Row | None:
        value = row[column]
        if not value:
            return None
        target = self.rows.get(sheet, {}).get(value)
        if target is None:
            self.error(row, column, f"{column} '{value}' is not an id of sheet '{sheet}'")
        return target

    def scope_of(self, source: Row | None) -> str:
        if source is None:
            return ""
        scope = source["scope"]
        if scope == "-":
            return ""
        return (scope or source["id"]) + "."

    def term(self, row: Row, column: str, token: str, *, quotes: bool = False) -> str | None:
        """The IRI a reference names: KIND:ID of this workbook, else a term of the graph."""
        prefix, sep, local = token.partition(":")
        if not sep:
            prefix, local = ("quote", token) if quotes else ("", token)
        entity = self.entities.get(prefix, {}).get(local)
        if entity is not None:
            return entity[0]
        if prefix in PREFIXES:
            iri = PREFIXES[prefix] + local
            if self.known(iri):
                return iri
        what = f"sheet '{WORKBOOK_KINDS[prefix]}'" if prefix in WORKBOOK_KINDS else "this workbook"
        self.error(row, column, f"{column}: '{token}' is not an id of {what}, nor in the graph")
        return None

    def derived(self, row: Row, column: str = "derived from") -> list[str]:
        found = []
        for token in row.list(column):
            iri = self.term(row, column, token, quotes=True)
            if iri is not None:
                found.append(iri)
        return found

    def judge(self, row: Row, subject: str, prop: str, obj: Term, label: str, derived: list[str], file: str) -> None:
        self.judgements[(subject, prop, str(obj))] = _Judgement(row, subject, prop, obj, label, derived, file)

    def text_of(self, source: Row) -> SourceText | None:
        key = source["id"]
        if key in self.sources:
            return self.sources[key]
        given = self.texts.get(key) or (Path(source["text"]) if source["text"] else None)
        if given is None:
            self.error(source, "text", "text is empty; it is required")
            return None
        path = given if given.is_absolute() else self.base / given
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.error(source, "text", f"cannot read the source's text {path}: {getattr(error, 'strerror', None) or error}")
            return None
        self.sources[key] = SourceText(text, f"source '{key}' ({path.name})")
        return self.sources[key]

    # the sheets

    def index(self) -> None:
        for sheet in SHEETS:
            rows = self.book.rows.get(sheet.name, [])
            for row in rows:
                for column in sheet.columns:
                    given = column.name == "text" and row["id"] in self.texts
                    if column.required and column.name in row.letters and not row[column.name] and not given:
                        self.error(row, column.name, f"{column.name} is empty; it is required")
            if not sheet.keyed:
                continue
            seen: dict[str, Row] = {}
            for row in rows:
                key = row["id"]
                if not key:
                    continue
                if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", key):
                    self.error(row, "id", f"id '{key}' is not a slug: letters, digits, '-' and '_'")
                elif key in seen:
                    self.error(row, "id", f"duplicate id '{key}' (first at {seen[key].at('id').rsplit('!', 1)[1]})")
                else:
                    seen[key] = row
            self.rows[sheet.name] = seen

    def run(self) -> None:
        self.index()
        rows = self.rows
        case_file: dict[str, str] = {}
        case_source: dict[str, Row | None] = {}
        for case in sorted(rows.get("cases", {}).values(), key=lambda r: (_order(r["order"]), r.number)):
            source = self.ref(case, "source", "sources")
            case_source[case["id"]] = source
            case_file[case["id"]] = (self.scope_of(source) + case["id"])
        source_file = {key: f"source-{key}" for key in rows.get("sources", {})}

        def file_of_case(key: str) -> str:
            return case_file.get(key, "unplaced")

        # entities first, so that references resolve in any order
        for key, case in rows.get("cases", {}).items():
            self.entities["case"][key] = (DATA["case"] + case_file[key], case_file[key], case["label"])
            self.origin[DATA["case"] + case_file[key]] = case
        collab_case: dict[str, str] = {}
        for key, row in rows.get("collaborations", {}).items():
            its_case = self.ref(row, "case", "cases")
            if its_case is None:
                continue
            case = its_case
            scope = self.scope_of(case_source.get(case["id"]))
            iri = DATA["collab"] + scope + key
            collab_case[key] = case["id"]
            self.entities["collab"][key] = (iri, file_of_case(case["id"]), row["label"])
            self.origin[iri] = row
        org_file: dict[str, str] = {}
        for row in rows.get("memberships", {}).values():
            collab, org = row["collaboration"], row["organisation"]
            if collab in collab_case and org not in org_file:
                org_file[org] = file_of_case(collab_case[collab])
        order = {key: n for n, key in enumerate(case_file)}
        for row in rows.get("memberships", {}).values():  # the first case in order wins
            collab, org = row["collaboration"], row["organisation"]
            if collab in collab_case and org in org_file:
                current = next((k for k, f in case_file.items() if f == org_file[org]), None)
                mine = collab_case[collab]
                if current is not None and order.get(mine, 0) < order.get(current, 0):
                    org_file[org] = file_of_case(mine)
        for key, row in rows.get("organisations", {}).items():
            source = self.ref(row, "source", "sources")
            iri = DATA["agent"] + self.scope_of(source) + key
            file = org_file.get(key) or source_file.get(row["source"], "unplaced")
            self.entities["agent"][key] = (iri, file, row["label"])
            self.origin[iri] = row
        for key, row in rows.get("organisations", {}).items():  # units with no membership go with their parent
            parent = row["unit of"]
            if key not in org_file and parent in org_file:
                iri, _, label = self.entities["agent"][key]
                self.entities["agent"][key] = (iri, org_file[parent], label)
        for key, row in rows.get("organisations", {}).items():  # bodies that take part only through a unit
            unit = row["unit of"]
            if unit and unit not in org_file and key in org_file and unit in self.entities["agent"]:
                iri, _, label = self.entities["agent"][unit]
                self.entities["agent"][unit] = (iri, org_file[key], label)
        for key, row in rows.get("memberships", {}).items():
            collab_entity = self.entities["collab"].get(row["collaboration"])
            if collab_entity is None:
                continue
            scope_case = collab_case[row["collaboration"]]
            iri = DATA["mem"] + self.scope_of(case_source.get(scope_case)) + key
            self.entities["mem"][key] = (iri, collab_entity[1], row["label"])
            self.origin[iri] = row
        evidence_source: dict[str, Row | None] = {}
        for key, row in rows.get("evidence", {}).items():
            passage_case = self.ref(row, "case", "cases") if row["case"] else None
            source = self.ref(row, "source", "sources") if row["source"] else (
                case_source.get(passage_case["id"]) if passage_case else None)
            if source is None and not row["source"] and passage_case is None:
                self.error(row, "source", "source is empty; give the row a case or a source")
            evidence_source[key] = source
            scope = self.scope_of(source)
            file = file_of_case(passage_case["id"]) if passage_case else source_file.get(source["id"] if source else "", "unplaced")
            iri = DATA["quote"] + scope + key
            self.entities["quote"][key] = (iri, file, row["label"])
            self.origin[iri] = row
            example = row["example"] or (key if row["theme"] or row["factors"] else "")
            if example and example not in self.entities["example"] and passage_case is not None:
                self.entities["example"][example] = (DATA["example"] + scope + example, file, "")
        for key, row in rows.get("figures", {}).items():
            figure_case = self.ref(row, "case", "cases")
            if figure_case is None:
                continue
            case = figure_case
            iri = DATA["fact"] + self.scope_of(case_source.get(case["id"])) + key
            self.entities["fact"][key] = (iri, file_of_case(case["id"]), row["label"])
            self.origin[iri] = row

        self.sources_sheet(rows, source_file)
        self.cases_sheet(rows)
        self.collaborations_sheet(rows)
        self.organisations_sheet(rows)
        self.memberships_sheet(rows)
        self.evidence_sheet(rows, evidence_source)
        self.figures_sheet(rows)
        self.poles_sheet(rows)
        self.assertions_sheet(rows)
        self.counts = {
            "sources": len(rows.get("sources", {})),
            "case studies": len(rows.get("cases", {})),
            "organisations": len(rows.get("organisations", {})),
            "passages": len(rows.get("evidence", {})),
            "figures": len(rows.get("figures", {})),
        }

    def sources_sheet(self, rows: dict[str, dict[str, Row]], source_file: dict[str, str]) -> None:
        for key, row in rows.get("sources", {}).items():
            file = source_file[key]
            iri = DATA["doc"] + key
            self.origin[iri] = row
            self.add(file, iri, RDF_TYPE, CKG + "Report")
            self.add(file, iri, RDFS_LABEL, _literal(row["title"]))
            self.add(file, iri, DCTERMS + "title", _literal(row["title"]))
            if row["date"]:
                self.add(file, iri, DCTERMS + "issued", _literal(row["date"]))
            for column, prop in (("commissioned by", "commissionedBy"), ("researched by", "researchedBy")):
                if row[column]:
                    agent = self.term(row, column, f"agent:{row[column]}")
                    if agent:
                        self.add(file, iri, CKG + prop, agent)
            cases = [case for case in rows.get("cases", {}).values() if case["source"] == key]
            for case in cases:
                self.add(file, iri, CKG + "hasCaseStudy", self.entities["case"][case["id"]][0])
            if not self.known(iri):  # a new source: its methodology, as far as the rows say
                method = iri + "-methodology"
                self.origin[method] = row
                self.add(file, iri, CKG + "hasMethodology", method)
                self.add(file, method, RDF_TYPE, CKG + "Methodology")
                self.add(file, method, RDFS_LABEL, _literal(f"Methodology of {row['title']}"))
                self.add(file, method, CKG + "caseCount", _literal(str(len(cases)), XSD + "integer"))
                for case in cases:  # what the cases' counts rest on
                    for quote in self.derived(case):
                        self.add(file, method, PROV + "wasDerivedFrom", quote)
                counts = [case["participants"] for case in cases]
                if counts and all(_INTEGER.fullmatch(n) for n in counts):
                    total = str(sum(int(n) for n in counts))
                    self.add(file, method, CKG + "participantCount", _literal(total, XSD + "integer"))
            self.text_of(row)

    def cases_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        for key, row in rows.get("cases", {}).items():
            iri, file, label = self.entities["case"][key]
            self.add(file, iri, RDF_TYPE, CKG + "CaseStudy")
            self.add(file, iri, RDFS_LABEL, _literal(label))
            for collab, collab_row in rows.get("collaborations", {}).items():
                if collab_row["case"] == key and collab in self.entities["collab"]:
                    self.add(file, iri, CKG + "describesCollaboration", self.entities["collab"][collab][0])
            derived = self.derived(row)
            for quote in derived:
                self.add(file, iri, PROV + "wasDerivedFrom", quote)
            if row["participants"]:
                count = row["participants"]
                if not _INTEGER.fullmatch(count):
                    self.error(row, "participants", f"participants '{count}' is not a whole number")
                else:
                    value = _literal(count, XSD + "integer")
                    self.add(file, iri, CKG + "participantCount", value)
                    self.judge(row, iri, CKG + "participantCount", value,
                               f"Participants interviewed for {label}", derived, file)

    def collaborations_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        for key, row in rows.get("collaborations", {}).items():
            if key not in self.entities["collab"]:
                continue
            iri, file, label = self.entities["collab"][key]
            self.add(file, iri, RDF_TYPE, CKG + "Collaboration")
            self.add(file, iri, RDFS_LABEL, _literal(label))
            for purpose in row.list("purposes"):
                self.add(file, iri, CKG + "purpose", _literal(purpose))
            for quote in self.derived(row):
                self.add(file, iri, PROV + "wasDerivedFrom", quote)

    def organisations_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        for key, row in rows.get("organisations", {}).items():
            iri, file, label = self.entities["agent"][key]
            kinds = self.vocab(row, "kind", "kind")
            for cls in kinds:
                self.add(file, iri, RDF_TYPE, cls)
            self.add(file, iri, RDFS_LABEL, _literal(label))
            for name in row.list("other names"):
                self.add(file, iri, SKOS + "altLabel", _literal(name))
            if row["abbreviation"]:
                self.add(file, iri, SKOS + "notation", _literal(row["abbreviation"]))
            if row["note"]:
                self.add(file, iri, SKOS + "note", _literal(row["note"]))
            if row["unit of"]:
                parent = self.term(row, "unit of", f"agent:{row['unit of']}")
                if parent:
                    self.add(file, iri, ORG + "unitOf", parent)
            derived = self.derived(row)
            for quote in derived:
                self.add(file, iri, PROV + "wasDerivedFrom", quote)
            for sector in self.vocab(row, "sector", "sector"):
                self.add(file, iri, ORG + "classification", sector)
                self.judge(row, iri, ORG + "classification", ox.NamedNode(sector), f"Sector of {label}", derived, file)

    def memberships_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        for key, row in rows.get("memberships", {}).items():
            org = self.ref(row, "organisation", "organisations")
            roles = self.vocab(row, "role", "role")
            if key not in self.entities["mem"] or org is None:
                continue
            iri, file, label = self.entities["mem"][key]
            collab_iri, _, collab_label = self.entities["collab"][row["collaboration"]]
            org_iri, _, org_label = self.entities["agent"][org["id"]]
            role_name = row["role"].lower()
            label = label or f"{org_label} in {collab_label} ({role_name})"
            self.add(file, iri, RDF_TYPE, ORG + "Membership")
            self.add(file, iri, RDFS_LABEL, _literal(label))
            self.add(file, iri, ORG + "member", org_iri)
            self.add(file, iri, ORG + "organization", collab_iri)
            derived = self.derived(row)
            for quote in derived:
                self.add(file, iri, PROV + "wasDerivedFrom", quote)
            for role in roles:
                self.add(file, iri, ORG + "role", role)
                self.judge(row, iri, ORG + "role", ox.NamedNode(role), f"Role of {org_label} in {collab_label}",
                           derived, file)

    def section(self, row: Row, source: Row, text: SourceText, scope: str, file: str) -> str | None:
        """The IRI of the section a passage is in: the graph's, else one made for a Markdown heading."""
        name = row["section"]
        source_iri = DATA["doc"] + source["id"]
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(DCTERMS + "isPartOf"), ox.NamedNode(source_iri), None):
            titles = [str(getattr(q.object, "value", "")).lower() for q in self.store.quads_for_pattern(
                quad.subject, ox.NamedNode(DCTERMS + "title"), None, None)]
            if name.lower() in titles and isinstance(quad.subject, ox.NamedNode):
                return quad.subject.value
        headings = list(text.sections())
        if name.lower() not in headings:
            self.error(row, "section", f"section '{name}' is not a section of the source nor a heading of its text")
            return None
        iri = DATA["doc"] + scope + "section-" + slug(name)
        heading = DATA["quote"] + scope + "heading-" + slug(name)
        if iri not in self.origin:
            self.origin[iri] = row
            number = headings.index(name.lower()) + 1
            file = f"source-{source['id']}"
            match = next(m for m in re.finditer(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", text.text, re.MULTILINE)
                         if m.group(1).strip().lower() == name.lower())
            title = match.group(1).strip()
            self.add(file, iri, RDF_TYPE, CKG + "ReportSection")
            self.add(file, iri, RDFS_LABEL, _literal(title))
            self.add(file, iri, DCTERMS + "title", _literal(title))
            self.add(file, iri, CKG + "sectionNumber", _literal(str(number), XSD + "integer"))
            self.add(file, iri, DCTERMS + "isPartOf", source_iri)
            self.add(file, iri, PROV + "wasDerivedFrom", heading)
            self.add(file, source_iri, DCTERMS + "hasPart", iri)
            anchor = text.anchor(title, prefix=text.text[max(0, match.start(1) - 40):match.start(1)] or None)
            self.quotation(file, heading, f"Heading: {title}", source_iri, anchor, iri)
        return iri

    def quotation(self, file: str, iri: str, label: str, source: str, anchor: object, section: str | None) -> None:
        from collabkg.anchoring import Anchor

        assert isinstance(anchor, Anchor)
        selector = iri + "-selector"
        self.add(file, iri, RDF_TYPE, CKG + "Quotation")
        if label:
            self.add(file, iri, RDFS_LABEL, _literal(label))
        self.add(file, iri, OA + "hasSource", source)
        self.add(file, iri, OA + "hasSelector", selector)
        if section:
            self.add(file, iri, CKG + "inSection", section)
        self.add(file, selector, RDF_TYPE, OA + "TextQuoteSelector")
        self.add(file, selector, OA + "exact", _literal(anchor.exact))
        self.add(file, selector, OA + "prefix", _literal(anchor.prefix))
        self.add(file, selector, OA + "suffix", _literal(anchor.suffix))

    def evidence_sheet(self, rows: dict[str, dict[str, Row]], evidence_source: dict[str, Row | None]) -> None:
        examples: dict[str, list[Row]] = {}
        for key, row in rows.get("evidence", {}).items():
            source = evidence_source.get(key)
            iri, file, label = self.entities["quote"][key]
            self.vocab(row, "theme", "theme")
            self.vocab(row, "polarity", "polarity")
            example = row["example"] or (key if row["theme"] or row["factors"] else "")
            if example:
                examples.setdefault(example, []).append(row)
            if source is None or not row["passage"]:
                continue
            text = self.text_of(source)
            if text is None:
                continue
            scope = self.scope_of(source)
            section = self.section(row, source, text, scope, file) if row["section"] else None
            occurrence = row["occurrence"]
            if occurrence and not occurrence.isdigit():
                self.error(row, "occurrence", f"occurrence '{occurrence}' is not a whole number")
                continue
            try:
                anchor = text.anchor(
                    row.raw("passage"),
                    section=row["section"] or None,
                    occurrence=int(occurrence) if occurrence else None,
                    prefix=row.raw("prefix") or None,
                    suffix=row.raw("suffix") or None,
                )
            except AnchorError as error:
                self.error(row, "passage", str(error))
                continue
            self.quotation(file, iri, label, DATA["doc"] + source["id"], anchor, section)
        for example, members in examples.items():
            self.example(example, members)

    def example(self, key: str, members: list[Row]) -> None:
        first = members[0]
        if key not in self.entities["example"]:
            self.error(first, "case", f"example '{key}' has no case; give its rows a case")
            return
        iri, file, _ = self.entities["example"][key]
        self.origin[iri] = first

        def one(column: str, required: bool = True) -> tuple[Row, str] | None:
            found = [(row, row[column]) for row in members if row[column]]
            values = {value for _, value in found}
            if len(values) > 1:
                self.error(found[1][0], column, f"example '{key}' has {column} '{found[0][1]}' on another row "
                           f"({found[0][0].at(column).rsplit('!', 1)[1]}), not '{found[1][1]}'")
            if not found:
                if required:
                    self.error(first, column, f"example '{key}' has no {column}; give it on one of its rows")
                return None
            return found[0]

        label, theme, polarity, case = one("example label"), one("theme"), one("polarity"), one("case")
        self.add(file, iri, RDF_TYPE, CKG + "IllustrativeExample")
        if label:
            self.add(file, iri, RDFS_LABEL, _literal(label[1]))
        if case and case[1] in self.entities["case"]:
            self.add(file, iri, CKG + "ofCase", self.entities["case"][case[1]][0])
        resolved: dict[str, str] = {}
        for found, name, prop in ((theme, "theme", "hasTheme"), (polarity, "polarity", "hasPolarity")):
            if found:
                terms = self.lists[name]
                value = next((v for k, v in terms.items() if k.lower() == found[1].lower()), None)
                value = value or next((v for v in terms.values() if v.lower().endswith(found[1].lower())), None)
                if value:
                    self.add(file, iri, CKG + prop, value)
                    resolved[name] = value
        for row in members:
            quote = self.entities["quote"][row["id"]][0]
            self.add(file, iri, CKG + "hasQuotation", quote)
            self.add(file, iri, PROV + "wasDerivedFrom", quote)
            for more in self.derived(row):
                self.add(file, iri, PROV + "wasDerivedFrom", more)
            for factor in self.vocab(row, "factors", "factor"):
                factor_label = next(k for k, v in self.lists["factor"].items() if v == factor)
                kinds = [str(getattr(q.object, "value", "")) for q in self.store.quads_for_pattern(
                    ox.NamedNode(factor), ox.NamedNode(CKG + "hasPolarity"), None, None)]
                if polarity and "polarity" in resolved and kinds and resolved["polarity"] not in kinds:
                    self.error(row, "factors", f"'{factor_label}' is a {kinds[0].rsplit('#', 1)[-1]}, but example "
                               f"'{key}' stands under the {polarity[1]} heading: an example shows factors of its "
                               "own polarity")
                    continue
                self.add(file, iri, CKG + "exemplifies", factor)
                explained = [str(getattr(q.object, "value", "")) for q in self.store.quads_for_pattern(
                    ox.NamedNode(factor), ox.NamedNode(CKG + "explainedBy"), None, None)]
                self.judge(row, iri, CKG + "exemplifies", ox.NamedNode(factor),
                           f"{label[1] if label else key} shows: {factor_label}", [quote, *explained], file)

    def figures_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        for key, row in rows.get("figures", {}).items():
            status = self.vocab(row, "status", "status")
            units = self.vocab(row, "unit", "unit")
            if key not in self.entities["fact"]:
                continue
            iri, file, label = self.entities["fact"][key]
            self.add(file, iri, RDF_TYPE, CKG + "QuantitativeFact")
            self.add(file, iri, RDFS_LABEL, _literal(label))
            self.add(file, iri, CKG + "measure", _literal(row["measure"]))
            match = _RANGE.fullmatch(row["value"])
            if not match:
                self.error(row, "value", f"value '{row['value']}' is not a number or a range LOW-HIGH")
            elif match.group(2):
                self.add(file, iri, CKG + "minValue", _literal(match.group(1), XSD + "decimal"))
                self.add(file, iri, CKG + "maxValue", _literal(match.group(2), XSD + "decimal"))
            else:
                self.add(file, iri, CKG + "value", _literal(match.group(1), XSD + "decimal"))
            for unit in units:
                self.add(file, iri, CKG + "unit", unit)
            self.add(file, iri, CKG + "aboutCase", self.entities["case"][row["case"]][0])
            for other in row.list("compared with"):
                target = self.entities["fact"].get(other)
                if target is None:
                    self.error(row, "compared with", f"compared with '{other}' is not an id of sheet 'figures'")
                else:
                    self.add(file, iri, CKG + "comparedWith", target[0])
            for value in status:
                self.add(file, iri, CKG + "assertionStatus", value)
            if row["basis"]:
                self.add(file, iri, CKG + "basis", _literal(row["basis"]))
            for quote in self.derived(row):
                self.add(file, iri, PROV + "wasDerivedFrom", quote)

    def poles_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        for row in self.book.rows.get("poles", []):
            collab = self.ref(row, "collaboration", "collaborations")
            poles = self.vocab(row, "pole", "pole")
            if collab is None or collab["id"] not in self.entities["collab"]:
                continue
            iri, file, label = self.entities["collab"][collab["id"]]
            derived = self.derived(row)
            for pole in poles:
                self.add(file, iri, CKG + "showsPole", pole)
                pole_label = next(k for k, v in self.lists["pole"].items() if v == pole)
                self.judge(row, iri, CKG + "showsPole", ox.NamedNode(pole), f"{label} was {pole_label.lower()} collaboration",
                           derived, file)

    def assertions_sheet(self, rows: dict[str, dict[str, Row]]) -> None:
        explicit: set[tuple[str, str, str]] = set()
        for key, row in rows.get("assertions", {}).items():
            subject = self.term(row, "subject", row["subject"]) if row["subject"] else None
            prefix, _, local = row["property"].partition(":")
            prop = PREFIXES.get(prefix, "") + local if prefix in PREFIXES else None
            if row["property"] and prop is None:
                self.error(row, "property", f"property '{row['property']}' is not a prefixed name of the project")
            token = row["object"]
            obj: Term | None = _number(token) if token else None
            if token and obj is None:
                iri = self.term(row, "object", token)
                obj = ox.NamedNode(iri) if iri else None
            status = self.vocab(row, "status", "status")
            if subject is None or prop is None or obj is None:
                continue
            file = next((e[1] for kind in self.entities.values() for e in kind.values() if e[0] == subject),
                        "unplaced")
            scope_source = subject[len(ID_ROOT):].split("/", 1)[1].rsplit(".", 1)
            scope = scope_source[0] + "." if len(scope_source) == 2 else ""
            iri = DATA["assert"] + scope + key
            explicit.add((subject, prop, str(obj)))
            self.origin[iri] = row
            self.add(file, subject, prop, obj)
            self.record(file, iri, row["label"], subject, prop, obj, status, row["basis"], self.derived(row))
        for (subject, prop, obj_text), judgement in self.judgements.items():
            if (subject, prop, obj_text) in explicit or not judgement.row["status"]:
                continue
            row = judgement.row
            status = self.vocab(row, "status", "status")
            local = subject[len(ID_ROOT):].replace("/", "-")
            obj = judgement.obj
            tail = "-" + re.split(r"[/#]", obj.value)[-1] if isinstance(obj, ox.NamedNode) else ""
            iri = DATA["assert"] + local + "-" + re.split(r"[/#]", prop)[-1] + tail
            self.origin[iri] = row
            self.record(judgement.file, iri, judgement.label, subject, prop, obj, status, row["basis"], judgement.derived)

    def record(self, file: str, iri: str, label: str, subject: str, prop: str, obj: Term, status: list[str],
               basis: str, derived: Iterable[str]) -> None:
        self.add(file, iri, RDF_TYPE, CKG + "Assertion")
        if label:
            self.add(file, iri, RDFS_LABEL, _literal(label))
        self.add(file, iri, CKG + "assertedSubject", subject)
        self.add(file, iri, CKG + "assertedProperty", prop)
        self.add(file, iri, CKG + ("assertedValue" if isinstance(obj, ox.Literal) else "assertedObject"), obj)
        for value in status:
            self.add(file, iri, CKG + "assertionStatus", value)
        if basis:
            self.add(file, iri, CKG + "basis", _literal(basis))
        for quote in derived:
            self.add(file, iri, PROV + "wasDerivedFrom", quote)

    # validation

    def validate(self) -> None:
        """SHACL-validate the new triples with the graph they join; each violation against its row."""
        from collabkg.shacl import validate_quads

        new = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(GRAPH_DATA))
               for triples in self.files.values() for t in triples]
        report = validate_quads(self.graph.quads(GRAPH_DATA) + new, self.graph.quads(GRAPH_ONTOLOGY))
        for violation in report.violations:
            row = self.origin.get(violation.focus)
            if row is None:  # about the graph the rows join: said at the workbook
                self.problems.append(Problem(str(self.book.path), f"{_show(violation.focus)}: {violation.message}"))
                continue
            column = _COLUMN_OF.get(violation.path or "", None)
            column = column if column and column in row.letters else None
            path = f" ({_show(violation.path)})" if violation.path else ""
            self.error(row, column, f"{violation.message}{path}")


ID_ROOT = DATA["case"].rsplit("/", 2)[0] + "/"


def _show(iri: str) -> str:
    from collabkg.namespaces import show

    return show(iri)


def _order(value: str) -> int:
    return int(value) if value.isdigit() else 1_000_000


def import_workbook(
    path: PathLike,
    output: PathLike | None = None,
    data: Sequence[PathLike] | None = None,
    *,
    texts: dict[str, Path] | None = None,
    validate: bool = True,
) -> ImportResult:
    """Import the workbook ``path`` (xlsx or a folder of CSV) into Turtle files in the folder ``output``.

    ``data`` is the graph the rows join (default: the bundled report), whose
    framework the lists come from. ``texts`` gives sources' texts by source
    id, over the sheet's ``text``. Nothing is written unless every row passes.
    """
    from collabkg.turtle import serialize_turtle

    given = Path(path)
    try:
        book = read(given)
    except WorkbookError as error:
        return ImportResult(problems=error.problems)
    importer = Importer(book, KnowledgeGraph(data), texts)
    importer.run()
    if not importer.problems and validate:
        importer.validate()
    if importer.problems:
        return ImportResult(problems=sorted_problems(importer.problems))
    folder = Path(output) if output is not None else Path(given.stem if given.suffix else given.name + "-rdf")
    written = []
    for name, triples in sorted(importer.files.items()):
        target = folder / f"{name}.ttl"
        atomic_write(target, serialize_turtle(triples))
        written.append(target)
    return ImportResult(written=written, counts=importer.counts)


__all__ = ["FRAMEWORK_CLASSES", "KINDS", "ImportResult", "Importer", "framework", "import_workbook", "slug"]
