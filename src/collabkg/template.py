"""``collabkg template``: the workbook to fill in, empty or filled from the graph.

The sheets and columns are :data:`collabkg.workbook.SHEETS`; the drop-down
lists (themes, polarities, the 29 factors, sectors, roles, poles, statuses,
units) are queried from the graph's framework, never written here. With
``from_graph`` the rows are the graph's case studies, with their
collaborations, organisations, memberships, passages, figures, poles and
assertion records, so that a user starts from a worked example; ``collabkg
import`` of that workbook, with the report's text, gives the case studies'
triples back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from collabkg import CollabkgError, PathLike
from collabkg.files import atomic_write
from collabkg.graph import KnowledgeGraph
from collabkg.ingest import KINDS, framework
from collabkg.namespaces import (
    CKG,
    DATA,
    DCTERMS,
    GRAPH_DATA,
    GRAPH_ONTOLOGY,
    OA,
    ORG,
    PROV,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS,
    compact,
)
from collabkg.outcome import Outcome
from collabkg.workbook import csv_files, write_xlsx

FORMATS = ("xlsx", "csv")

Rows = dict[str, list[dict[str, str]]]


@dataclass
class TemplateResult(Outcome):
    """What ``collabkg template`` wrote."""

    path: Path
    rows: int

    def render(self, fmt: str | None = None) -> str:
        filled = f", {self.rows} rows from the graph" if self.rows else ""
        return f"wrote {self.path}{filled}\n"


class _Graph:
    """Small reads of a graph's quads, literals as written (a store would give 6.0 back as 6)."""

    def __init__(self, quads: Sequence[ox.Quad]) -> None:
        self.out: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = {}
        self.into: dict[str, list[tuple[str, str]]] = {}
        for quad in quads:
            subject, obj = quad.subject, quad.object
            if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.NamedNode | ox.Literal):
                continue
            self.out.setdefault(subject.value, {}).setdefault(quad.predicate.value, []).append(obj)
            self.into.setdefault(obj.value, []).append((subject.value, quad.predicate.value))

    def objects(self, subject: str, prop: str) -> list[ox.NamedNode | ox.Literal]:
        return sorted(set(self.out.get(subject, {}).get(prop, [])), key=lambda node: node.value)

    def values(self, subject: str, prop: str) -> list[str]:
        return [node.value for node in self.objects(subject, prop)]

    def one(self, subject: str, prop: str) -> str:
        found = self.values(subject, prop)
        return found[0] if found else ""

    def subjects(self, prop: str, obj: str) -> list[str]:
        return sorted({s for s, p in self.into.get(obj, []) if p == prop})

    def referrers(self, obj: str) -> list[str]:
        return sorted({s for s, _ in self.into.get(obj, [])})

    def referenced(self, subject: str) -> list[str]:
        return sorted({o.value for objs in self.out.get(subject, {}).values() for o in objs if isinstance(o, ox.NamedNode)})

    def has_type(self, subject: str, cls: str) -> bool:
        return cls in self.values(subject, RDF_TYPE)


def _local(iri: str, prefix: str, scope: str) -> str:
    local = iri[len(DATA[prefix]):] if iri.startswith(DATA[prefix]) else iri
    return local[len(scope):] if scope and local.startswith(scope) else local


def rows_from_graph(kg: KnowledgeGraph) -> Rows:
    """The workbook's rows for the case studies of the graph ``kg`` (each report with ``ckg:hasCaseStudy``)."""
    store = kg.oxigraph(GRAPH_ONTOLOGY, GRAPH_DATA)
    lists = framework(store)
    label_of = {iri: label for terms in lists.values() for label, iri in terms.items()}
    g = _Graph(kg.quads(GRAPH_ONTOLOGY, GRAPH_DATA))
    rows: Rows = {}
    reports = sorted({s for s, objs in g.out.items() if CKG + "hasCaseStudy" in objs})
    for report in reports:
        _report_rows(g, report, rows, label_of)
    return rows


def _report_rows(g: _Graph, report: str, rows: Rows, label_of: dict[str, str]) -> None:
    cases = g.values(report, CKG + "hasCaseStudy")
    locals_ = [c[len(DATA["case"]):] for c in cases]
    scope = locals_[0].split(".", 1)[0] + "." if locals_ and all("." in c for c in locals_) else ""
    source_id = report[len(DATA["doc"]):]
    ref = {prefix: (lambda iri, p=prefix: _local(iri, p, scope)) for prefix in DATA}
    # A case study may describe several collaborations.
    collabs = {c: g.values(c, CKG + "describesCollaboration") for c in cases}
    case_of: dict[str, str] = {}
    for case, described in collabs.items():
        case_of[case] = case
        for collab in described:
            case_of[collab] = case
    mems = [(m, case_of[c]) for cs in collabs.values() for c in cs for m in g.subjects(ORG + "organization", c)]
    for mem, case in mems:
        case_of[mem] = case
    orgs: list[str] = []
    for mem, case in mems:
        for org in g.values(mem, ORG + "member"):
            # an organisation, and those it is a unit of (which may take part only through their units)
            while org and org not in orgs:
                orgs.append(org)
                case_of.setdefault(org, case)
                org = g.one(org, ORG + "unitOf")
    examples = [(e, c) for c in cases for e in g.subjects(CKG + "ofCase", c)]
    facts = [(f, c) for c in cases for f in g.subjects(CKG + "aboutCase", c)]
    for subject, case in examples + facts:
        case_of[subject] = case
    part = set(case_of)
    assertions = sorted({a for s in part for a in g.subjects(CKG + "assertedSubject", s)})
    for a in assertions:
        case_of[a] = case_of[g.one(a, CKG + "assertedSubject")]
    quotes_of: dict[str, Counter[str]] = {}
    example_set = {e for e, _ in examples}
    # what an example rests on besides its passages (a heading) is the report's, not the case's,
    # also where a record of the example's theme or polarity cites it
    headings = {e: set(g.values(e, PROV + "wasDerivedFrom")) - set(g.values(e, CKG + "hasQuotation"))
                for e in example_set}
    for subject in sorted(set(case_of)):
        example = subject if subject in example_set else g.one(subject, CKG + "assertedSubject")
        more = headings.get(example, set())
        for obj in g.referenced(subject):
            if g.has_type(obj, CKG + "Quotation") and obj not in more:
                quotes_of.setdefault(obj, Counter())[case_of[subject]] += 1
    owned = set(case_of) | set(quotes_of)
    for quote in list(quotes_of):
        if any(s not in owned and not g.has_type(s, CKG + "Assertion") for s in g.referrers(quote)):
            del quotes_of[quote]
    evidence = sorted(quotes_of)

    def tokens(subject: str, prop: str = PROV + "wasDerivedFrom", skip: Sequence[str] = ()) -> str:
        found = []
        for iri in g.values(subject, prop):
            if iri in skip:
                continue
            if iri.startswith(DATA["quote"]):
                found.append(ref["quote"](iri))
            elif iri.startswith(DATA["fact"]):
                found.append("fact:" + ref["fact"](iri))
            else:
                found.append(compact(iri) or iri)
        return "; ".join(found)

    def judged(subject: str, prop: str, obj: str) -> tuple[str, str]:
        for a in assertions:
            if (g.one(a, CKG + "assertedSubject") == subject and g.one(a, CKG + "assertedProperty") == prop
                    and obj in g.values(a, CKG + "assertedObject") + g.values(a, CKG + "assertedValue")):
                return label_of.get(g.one(a, CKG + "assertionStatus"), ""), g.one(a, CKG + "basis")
        return "", ""

    agent = ref["agent"]
    rows.setdefault("sources", []).append({
        "id": source_id, "title": g.one(report, DCTERMS + "title") or g.one(report, RDFS_LABEL),
        "commissioned by": agent(g.one(report, CKG + "commissionedBy")),
        "researched by": agent(g.one(report, CKG + "researchedBy")),
        "date": g.one(report, DCTERMS + "issued"), "text": "", "scope": scope.rstrip(".") or "-",
    })
    for case in cases:
        count = g.one(case, CKG + "participantCount")
        status, basis = judged(case, CKG + "participantCount", count)
        rows.setdefault("cases", []).append({
            "id": ref["case"](case), "source": source_id, "label": g.one(case, RDFS_LABEL), "participants": count,
            "status": status, "basis": basis, "derived from": tokens(case),
        })
        for collab in collabs[case]:
            rows.setdefault("collaborations", []).append({
                "id": ref["collab"](collab), "case": ref["case"](case), "label": g.one(collab, RDFS_LABEL),
                "purposes": "\n".join(g.values(collab, CKG + "purpose")), "derived from": tokens(collab),
            })
            for pole in g.values(collab, CKG + "showsPole"):
                status, basis = judged(collab, CKG + "showsPole", pole)
                rows.setdefault("poles", []).append({
                    "collaboration": ref["collab"](collab), "pole": label_of.get(pole, pole),
                    "status": status, "basis": basis,
                })
    kinds = {cls: name for name, cls in KINDS.items()}
    for org in orgs:
        sector = g.one(org, ORG + "classification")
        status, basis = judged(org, ORG + "classification", sector)
        kind = next((kinds[t] for t in g.values(org, RDF_TYPE) if t in kinds), "")
        rows.setdefault("organisations", []).append({
            "id": agent(org), "source": source_id, "label": g.one(org, RDFS_LABEL), "kind": kind,
            "other names": "\n".join(g.values(org, SKOS + "altLabel")), "abbreviation": g.one(org, SKOS + "notation"),
            "note": g.one(org, SKOS + "note"), "unit of": agent(g.one(org, ORG + "unitOf")),
            "sector": label_of.get(sector, sector), "status": status, "basis": basis, "derived from": tokens(org),
        })
    for mem, _ in mems:
        role = g.one(mem, ORG + "role")
        status, basis = judged(mem, ORG + "role", role)
        rows.setdefault("memberships", []).append({
            "id": ref["mem"](mem), "collaboration": ref["collab"](g.one(mem, ORG + "organization")),
            "organisation": agent(g.one(mem, ORG + "member")), "role": label_of.get(role, role),
            "label": g.one(mem, RDFS_LABEL), "status": status, "basis": basis, "derived from": tokens(mem),
        })
    example_of = {q: e for e, _ in examples for q in g.values(e, CKG + "hasQuotation")}
    done: set[str] = set()
    for quote in evidence:
        selector = g.one(quote, OA + "hasSelector")
        example = example_of.get(quote, "")
        case = quotes_of[quote].most_common(1)[0][0]
        row = {
            "id": ref["quote"](quote), "case": ref["case"](case),
            "source": "" if g.one(quote, OA + "hasSource") == report else g.one(quote, OA + "hasSource")[len(DATA["doc"]):],
            "label": g.one(quote, RDFS_LABEL), "passage": g.one(selector, OA + "exact"),
            "section": g.one(g.one(quote, CKG + "inSection"), DCTERMS + "title") if g.one(quote, CKG + "inSection") else "",
            "prefix": g.one(selector, OA + "prefix"), "suffix": g.one(selector, OA + "suffix"),
        }
        if example:
            row["example"] = ref["example"](example)
            factors = []
            for factor in g.values(example, CKG + "exemplifies"):
                records = [a for a in assertions if g.one(a, CKG + "assertedSubject") == example
                           and g.one(a, CKG + "assertedObject") == factor]
                shown_here = any(quote in g.values(a, PROV + "wasDerivedFrom") for a in records)
                if shown_here or (not records and example not in done):
                    factors.append(factor)
            row["factors"] = "; ".join(label_of.get(f, f) for f in factors)
            if factors:
                row["status"], row["basis"] = judged(example, CKG + "exemplifies", factors[0])
            if example not in done:
                done.add(example)
                row["example label"] = g.one(example, RDFS_LABEL)
                row["theme"] = label_of.get(g.one(example, CKG + "hasTheme"), "")
                row["polarity"] = label_of.get(g.one(example, CKG + "hasPolarity"), "")
                row["derived from"] = tokens(example, skip=g.values(example, CKG + "hasQuotation"))
        rows.setdefault("evidence", []).append(row)
    for fact, case in facts:
        value = g.one(fact, CKG + "value")
        if not value:
            value = f"{g.one(fact, CKG + 'minValue')}-{g.one(fact, CKG + 'maxValue')}"
        rows.setdefault("figures", []).append({
            "id": ref["fact"](fact), "case": ref["case"](case), "label": g.one(fact, RDFS_LABEL),
            "measure": g.one(fact, CKG + "measure"), "value": value,
            "unit": label_of.get(g.one(fact, CKG + "unit"), ""),
            "compared with": "; ".join(ref["fact"](f) for f in g.values(fact, CKG + "comparedWith")),
            "status": label_of.get(g.one(fact, CKG + "assertionStatus"), ""), "basis": g.one(fact, CKG + "basis"),
            "derived from": tokens(fact),
        })
    for a in assertions:
        subject = g.one(a, CKG + "assertedSubject")
        obj = g.one(a, CKG + "assertedObject")
        rows.setdefault("assertions", []).append({
            "id": ref["assert"](a), "label": g.one(a, RDFS_LABEL), "subject": _token(subject, scope),
            "property": compact(g.one(a, CKG + "assertedProperty")) or "",
            "object": _token(obj, scope) if obj else g.one(a, CKG + "assertedValue"),
            "status": label_of.get(g.one(a, CKG + "assertionStatus"), ""), "basis": g.one(a, CKG + "basis"),
            "derived from": tokens(a),
        })


def _token(iri: str, scope: str) -> str:
    for prefix in ("case", "collab", "agent", "mem", "example", "fact", "quote"):
        if iri.startswith(DATA[prefix]):
            return f"{prefix}:{_local(iri, prefix, scope)}"
    return compact(iri) or iri


def template(
    output: PathLike,
    fmt: str | None = None,
    data: Sequence[PathLike] | None = None,
    *,
    from_graph: bool = False,
) -> TemplateResult:
    """Write the workbook to ``output``: xlsx, or with ``fmt`` csv a folder of CSV files.

    The drop-down lists come from the graph (``data``, else the bundled
    report); with ``from_graph`` the rows do too.
    """
    path = Path(output)
    chosen = fmt or ("csv" if path.suffix.lower() != ".xlsx" and not path.suffix else "xlsx")
    if chosen not in FORMATS:
        raise CollabkgError(f"unknown format {chosen!r}; expected one of {', '.join(FORMATS)}")
    kg = KnowledgeGraph(data)
    lists = {name: list(terms) for name, terms in framework(kg.oxigraph(GRAPH_ONTOLOGY, GRAPH_DATA)).items()}
    rows = rows_from_graph(kg) if from_graph else {}
    count = sum(len(r) for r in rows.values())
    if chosen == "xlsx":
        atomic_write(path, write_xlsx(rows, lists))
    else:
        for name, content in csv_files(rows, lists):
            atomic_write(path / name, content)
    return TemplateResult(path, count)


__all__ = ["FORMATS", "TemplateResult", "rows_from_graph", "template"]
