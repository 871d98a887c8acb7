"""A synthetic evidence corpus in collabkg's own ontology, of a chosen size.

::

    python benchmarks/generate.py --triples 100000 --seed 1 -o corpus-100k.nt

The corpus stands for an evidence base grown far beyond the one report: many
synthetic reports, each with its sections, methodology and a batch of case
studies. Every case has a collaboration, organisations of several sectors
(named bodies, their units and unnamed groups; some take part in more than one
case), memberships with lead and partner roles, participants, one or two
illustrative examples with their quotations, the factors they exemplify, the
poles of the dimensions of collaboration the collaboration shows, figures
(quantitative facts, some derived from others) and the assertion records that
say which of these links are stated, derived or interpretive. Quotations quote
the synthetic report they belong to (``oa:TextQuoteSelector`` with exact,
prefix and suffix text).

``--data`` replaces the bundled data rather than adding to it, so a corpus
must carry its own framework. It does so by including the bundled data whole
(the report, its 3 themes and 29 factors, the dimensions and poles, and the
six real cases), verbatim, and by linking the synthetic evidence to those
nodes by their IRIs. ``collabkg --data CORPUS VERB`` thus works with every
verb, and the corpus passes the project's SHACL shapes and QC checks.

The output is deterministic: the same seed and the same bundled data give the
same bytes. ``--triples`` is a target: generation stops at the first case
that reaches it, so corpora come out a little above it. The format follows the
extension (``.nt`` N-Triples, ``.ttl`` Turtle); the file is written to a
temporary file beside the target and renamed over it, never left half-written.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

try:  # an installed collabkg, else the source tree beside this script
    import collabkg  # noqa: F401
except ImportError:  # pragma: no cover - depends on how collabkg is installed
    sys.path.insert(0, str(REPO / "src"))

import pyoxigraph as ox

from collabkg import bundle
from collabkg.turtle import quote_string
from collabkg.files import atomic_write
from collabkg.readers import iter_quads
from collabkg.namespaces import (
    CKG,
    DATA,
    DCTERMS,
    OA,
    ORG,
    PREFIXES,
    PROV,
    RDF_TYPE,
    RDFS,
    SKOS,
    XSD,
    XSD_STRING,
    compact,
)

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
CASES_PER_REPORT = 12

# A term: ("i", iri) for an IRI, ("l", text, datatype) for a literal, ("b", id) for a blank node.
Term = tuple[str, ...]


def iri(value: str) -> Term:
    return ("i", value)


def text(value: str) -> Term:
    return ("l", value, XSD_STRING)


def integer(value: int) -> Term:
    return ("l", str(value), XSD + "integer")


def decimal(value: float) -> Term:
    return ("l", f"{value:.1f}", XSD + "decimal")


def _ns(prefix: str, local: str) -> Term:
    return iri(DATA[prefix] + local)


A = RDF_TYPE
LABEL = RDFS + "label"
DERIVED = PROV + "wasDerivedFrom"
PUBLIC, PRIVATE, CHARITY, COMMUNITY = (CKG + s for s in ("publicSector", "privateSector", "charitySector", "communitySector"))
LEAD, PARTNER = CKG + "leadRole", CKG + "partnerRole"
STATED, DERIVED_STATUS, INTERPRETIVE = CKG + "stated", CKG + "derived", CKG + "interpretive"


def slug(name: str) -> str:
    """A lowercase-hyphenated slug of ``name``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --------------------------------------------------------------------------
# Words the names and sentences are made of
# --------------------------------------------------------------------------

_FIRST = (
    "Ash Brook Cal Dun Elm Fen Glen Hart Ives Kings Lang Mar Nor Oak Pen Red Stan Thorn Wal "
    "Wey Bex Cran Dal Fair Hol Lin Mil Ran Sel Wick"
).split()
_SECOND = "ford by ton wick ham field bridge mouth well stead borough minster dale leigh worth".split()
_REGIONS = (
    "the North East", "the North West", "Yorkshire", "the East Midlands", "the West Midlands",
    "the East of England", "London", "the South East", "the South West", "Wales", "Scotland",
)
_PUBLIC = (
    "{p} Borough Council", "{p} County Council", "{p} NHS Foundation Trust", "{p} Fire and Rescue Service",
    "{p} Police", "{p} Clinical Commissioning Group", "{p} Ambulance Service", "{p} Jobcentre Plus",
    "{p} Probation Service", "{p} Schools Partnership",
)
_PRIVATE = (
    "{p} Textiles Ltd", "{p} Logistics", "{p} Catering Company", "{p} Housing Developers",
    "{p} Bus Company", "{p} Digital Services Ltd", "{p} Supermarket",
)
_CHARITY = (
    "{p} Food Bank", "{p} Age Concern", "{p} Mind", "{p} Citizens Advice", "{p} Youth Trust",
    "{p} Carers' Centre", "{p} Homeless Shelter",
)
_COMMUNITY = (
    "{p} Community Resilience Group", "{p} Residents' Association", "{p} Mutual Aid Network",
    "{p} Faith Forum", "{p} Tenants' Federation",
)
_UNITS = ("central team", "local teams", "public health team", "housing team", "discharge team", "volunteer service")
_GROUPS = (
    ("local authorities across {r}", (PUBLIC,)),
    ("businesses in {p}", (PRIVATE,)),
    ("community groups in {p}", (COMMUNITY,)),
    ("organisations from all sectors in {p}", (PUBLIC, PRIVATE, CHARITY, COMMUNITY)),
    ("charities and community groups in {p}", (CHARITY, COMMUNITY)),
)
_PROGRAMMES = (
    ("Responding to COVID-19", "to keep services running during the pandemic"),
    ("Food Parcels for Shielding Residents", "to deliver food to residents who were shielding"),
    ("Rough Sleeper Rehousing", "to find accommodation for people sleeping rough"),
    ("Vaccination Outreach", "to take vaccination to communities that were not coming forward"),
    ("Digital Inclusion Scheme", "to give devices and training to people cut off online"),
    ("Hospital Discharge Programme", "to move patients safely from hospital to care homes"),
    ("Temporary Court Capacity", "to hear cases in temporary venues"),
    ("Volunteer Mobilisation", "to recruit and deploy volunteers across the area"),
    ("Youth Employment Partnership", "to find work and training for young people"),
    ("Mental Health Crisis Line", "to answer calls from people in mental health crisis"),
    ("Testing Site Network", "to set up testing sites at short notice"),
    ("Care Home Support", "to supply protective equipment and staff to care homes"),
)
_VERBS = ("worked with", "joined forces with", "set up a partnership with", "brought together", "teamed up with")
_LINKS = (
    "This showed how {w}.",
    "Participants said that {w}.",
    "Leaders described how {w}.",
    "In the words of one participant, {w}.",
)
_FILLER = (
    "Other leaders described similar experiences.",
    "This was echoed across the case studies.",
    "The case studies show a range of approaches.",
    "Several participants returned to this point.",
)
_SECTIONS = ("Introduction", "Methodology", "Motivations", "Structures", "Relationships")
_THEME_SECTION = {"motivations": "Motivations", "structures": "Structures", "relationships": "Relationships"}


# --------------------------------------------------------------------------
# The bundled framework the corpus links to
# --------------------------------------------------------------------------


class Framework:
    """The bundled data as triples, and the factors and poles to link to."""

    def __init__(self) -> None:
        # parsed (not read back from a store, which would rewrite some literals), so copied verbatim
        quads = list(iter_quads([bundle.data_dir()]))
        self.triples: list[tuple[Term, str, Term]] = sorted(
            {(_term(q.subject), q.predicate.value, _term(q.object)) for q in quads}
        )
        store = ox.Store()
        store.extend(quads)
        self.factors: list[tuple[str, str, str, str, str]] = []  # iri, label, theme slug, polarity, quote
        for row in store.query(
            f"""SELECT ?f ?label ?theme ?polarity (MIN(?q) AS ?quote) WHERE {{
                ?f a <{CKG}Factor> ; <{LABEL}> ?label ; <{CKG}hasTheme> ?theme ;
                   <{CKG}hasPolarity> ?polarity ; <{CKG}explainedBy> ?q .
            }} GROUP BY ?f ?label ?theme ?polarity ORDER BY ?f"""
        ):
            theme = row["theme"].value.rsplit("/", 1)[-1]
            self.factors.append(
                (row["f"].value, row["label"].value, theme, row["polarity"].value, row["quote"].value)
            )
        self.poles: list[tuple[str, str, str, str]] = []  # iri, label, definition, quote
        for row in store.query(
            f"""SELECT ?pole ?label ?definition (MIN(?q) AS ?quote) WHERE {{
                ?pole a <{CKG}Pole> ; <{LABEL}> ?label ; <{SKOS}definition> ?definition ; <{DERIVED}> ?q .
            }} GROUP BY ?pole ?label ?definition ORDER BY ?pole"""
        ):
            self.poles.append((row["pole"].value, row["label"].value, row["definition"].value, row["quote"].value))
        self.themes = sorted({theme for _, _, theme, _, _ in self.factors})
        if len(self.factors) < 2 or len(self.poles) < 2:
            raise SystemExit("the bundled data has no factors or poles to link to")


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if term.language:
        return ("l", term.value, "@" + term.language)
    return ("l", term.value, term.datatype.value)


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------


class Node:
    """A subject and its predicate-object pairs, kept in the order they were added."""

    __slots__ = ("subject", "pairs", "_seen")

    def __init__(self, subject: Term) -> None:
        self.subject = subject
        self.pairs: list[tuple[str, Term]] = []
        self._seen: set[tuple[str, Term]] = set()

    def add(self, predicate: str, *objects: Term) -> int:
        """Add ``predicate object`` pairs not already there; the number added."""
        added = 0
        for obj in objects:
            pair = (predicate, obj)
            if pair not in self._seen:
                self._seen.add(pair)
                self.pairs.append(pair)
                added += 1
        return added


class Generator:
    """Builds the synthetic part of a corpus, case by case, from one random seed."""

    def __init__(self, framework: Framework, seed: int) -> None:
        self.framework = framework
        self.rng = random.Random(seed)
        self.seed = seed
        self.nodes: list[Node] = []
        self.count = 0
        self.case_number = 0
        self.org_names: set[str] = set()
        self.org_slugs: set[str] = set()
        self.shared: list[tuple[Node, str, tuple[str, ...], int]] = []  # org, label, sectors, cases
        self.sectors_of: dict[Term, tuple[str, ...]] = {}  # each organisation's sectors
        places = [a + b for a in _FIRST for b in _SECOND]
        self.rng.shuffle(places)
        self.places = places

    # -- plumbing ----------------------------------------------------------

    def node(self, subject: Term, cls: str, label: str | None = None) -> Node:
        node = Node(subject)
        self.nodes.append(node)
        self.add(node, A, iri(cls))
        if label is not None:
            self.add(node, LABEL, text(label))
        return node

    def add(self, node: Node, predicate: str, *objects: Term) -> None:
        self.count += node.add(predicate, *objects)

    def place(self) -> str:
        return self.rng.choice(self.places)

    def quotation(
        self, local: str, label: str, exact: str, report: str, section: str, before: str
    ) -> Term:
        """A quotation of ``report`` and its selector; returns the quotation's IRI."""
        quote = _ns("quote", local)
        node = self.node(quote, CKG + "Quotation", label)
        selector = _ns("quote", local + "-selector")
        self.add(node, OA + "hasSource", iri(report))
        self.add(node, OA + "hasSelector", selector)
        self.add(node, CKG + "inSection", iri(section))
        sel = self.node(selector, OA + "TextQuoteSelector")
        self.add(sel, OA + "exact", text(exact))
        self.add(sel, OA + "prefix", text(before[-32:]))
        self.add(sel, OA + "suffix", text(" " + self.rng.choice(_FILLER)[:30]))
        return quote

    def assertion(
        self,
        local: str,
        label: str,
        subject: Term,
        prop: str,
        obj: Term,
        status: str,
        sources: list[Term],
        basis: str | None = None,
    ) -> None:
        node = self.node(_ns("assert", local), CKG + "Assertion", label)
        self.add(node, CKG + "assertedSubject", subject)
        self.add(node, CKG + "assertedProperty", iri(prop))
        self.add(node, CKG + ("assertedValue" if obj[0] == "l" else "assertedObject"), obj)
        self.add(node, CKG + "assertionStatus", iri(status))
        if basis is not None:
            self.add(node, CKG + "basis", text(basis))
        self.add(node, DERIVED, *sources)

    def organisation_name(self, templates: tuple[str, ...], place: str) -> str:
        for _ in range(20):
            name = self.rng.choice(templates).format(p=place, r=self.rng.choice(_REGIONS))
            if name not in self.org_names:
                break
            place = self.place()
        else:
            name = f"{name} ({len(self.org_names)})"
        self.org_names.add(name)
        return name

    # -- a report and its cases ----------------------------------------------

    def report(self, number: int, target: int) -> None:
        """One synthetic report, with up to CASES_PER_REPORT cases, stopping at ``target`` triples."""
        local = f"synthetic-report-{number:04d}"
        report = DATA["doc"] + local
        year = 2021 + number % 4
        sections = {name: f"{report}-section-{slug(name)}" for name in _SECTIONS}
        title = f"Collaboration in Public Services: Synthetic Evidence Report {number}"
        intro = self.quotation(
            f"{local}-intro",
            f"Who commissioned and carried out synthetic report {number}",
            f"This report was commissioned by the Synthetic Evidence Commissioner and carried out by "
            f"{self._researcher(number)}.",
            report,
            sections["Introduction"],
            f"{title}\n\nIntroduction\n\n",
        )
        commissioner = self._credit_org("synthetic-evidence-commissioner", "Synthetic Evidence Commissioner", PUBLIC, intro)
        researcher_name = self._researcher(number)
        researcher = self._credit_org(slug(researcher_name), researcher_name, PRIVATE, intro)
        cases: list[tuple[Term, int, Term]] = []
        while len(cases) < CASES_PER_REPORT and (not cases or self.count < target):
            cases.append(self.case(report, sections))
        node = self.node(iri(report), CKG + "Report", title)
        self.add(node, DCTERMS + "title", text(title))
        self.add(node, DCTERMS + "issued", text(str(year)))
        self.add(node, CKG + "commissionedBy", commissioner)
        self.add(node, CKG + "researchedBy", researcher)
        methodology = iri(f"{report}-methodology")
        self.add(node, CKG + "hasMethodology", methodology)
        self.add(node, CKG + "hasCaseStudy", *(case for case, _, _ in cases))
        self.add(node, DCTERMS + "hasPart", *(iri(s) for s in sections.values()))
        before = f"{title}\n\n"
        for position, name in enumerate(_SECTIONS, 1):
            heading = self.quotation(
                f"{local}-heading-{slug(name)}", f"Heading of section {position} of synthetic report {number}",
                name, report, sections[name], before,
            )
            before = "was read as evidence of this.\n\n"
            section = self.node(iri(sections[name]), CKG + "ReportSection", name)
            self.add(section, DCTERMS + "title", text(name))
            self.add(section, CKG + "sectionNumber", integer(position))
            self.add(section, DCTERMS + "isPartOf", iri(report))
            self.add(section, DERIVED, heading)
        total = sum(n for _, n, _ in cases)
        words = f"{len(cases)} case studies with {total} participants in all"
        method_quote = self.quotation(
            f"{local}-methodology",
            f"Fieldwork of synthetic report {number}",
            f"Fieldwork took place between January and June {year}: {words}.",
            report,
            sections["Methodology"],
            "Methodology\n\n",
        )
        total_quote = self.quotation(
            f"{local}-table1-total",
            f"Table 1 total of synthetic report {number}: {total} participants",
            f"Total\t{total}\t",
            report,
            sections["Methodology"],
            "Number of leaders\t\n",
        )
        m = self.node(methodology, CKG + "Methodology", f"Methodology of synthetic report {number}")
        self.add(m, CKG + "fieldworkPeriod", text(f"January to June {year}"))
        self.add(m, CKG + "fieldworkStart", ("l", f"{year}-01-01T00:00:00Z", XSD + "dateTime"))
        self.add(m, CKG + "fieldworkEnd", ("l", f"{year}-06-30T23:59:59Z", XSD + "dateTime"))
        self.add(m, CKG + "caseCount", integer(len(cases)))
        self.add(m, CKG + "participantCount", integer(total))
        self.add(m, CKG + "recruitmentMethod", text("A 'snowball' approach from leaders named by the commissioner."))
        self.add(m, DERIVED, method_quote, total_quote)
        self.assertion(
            f"{local}-case-count", f"Number of case studies in synthetic report {number}", methodology,
            CKG + "caseCount", integer(len(cases)), STATED, [method_quote],
        )
        self.assertion(
            f"{local}-participants", f"Participants interviewed for synthetic report {number}", methodology,
            CKG + "participantCount", integer(total), STATED, [total_quote, method_quote],
        )

    def _researcher(self, number: int) -> str:
        return ("Northfield Research Ltd", "Evidence Partners Ltd", "Civic Insight Ltd")[number % 3]

    def _credit_org(self, local: str, name: str, sector: str, quote: Term) -> Term:
        subject = _ns("agent", local)
        if name not in self.org_names:
            self.org_names.add(name)
            self.org_slugs.add(local)
            node = self.node(subject, ORG + "FormalOrganization", name)
            self.add(node, ORG + "classification", iri(sector))
            self.add(node, DERIVED, quote)
            self.assertion(
                f"{local}-sector", f"Sector of {name}", subject, ORG + "classification", iri(sector),
                INTERPRETIVE, [quote], basis=f"The report does not state the sector of {name}.",
            )
        return subject

    def case(self, report: str, sections: dict[str, str]) -> tuple[Term, int, Term]:
        """One case study and all that hangs off it; returns (case, participants, table quote)."""
        rng = self.rng
        self.case_number += 1
        local = f"synthetic-{self.case_number:05d}"
        case, collab = _ns("case", local), _ns("collab", local)
        place = self.place()
        programme, purpose = rng.choice(_PROGRAMMES)

        # organisations: a lead, two to five partners, perhaps a unit and a group
        lead_sector = PUBLIC if rng.random() < 0.85 else rng.choice((CHARITY, COMMUNITY))
        lead_templates = {PUBLIC: _PUBLIC, CHARITY: _CHARITY, COMMUNITY: _COMMUNITY}[lead_sector]
        lead_name = self.organisation_name(lead_templates, place)
        label = f"{lead_name}, {programme}"
        participants = rng.randint(3, 12)
        bullet_text = (
            f"In {place}, {lead_name} {rng.choice(_VERBS)} partners {purpose}."
        )
        bullet = self.quotation(
            f"{local}-bullet", f"{lead_name} collaborated {purpose}", bullet_text, report,
            sections["Introduction"], "the diverse forms collaboration took:\n- ",
        )
        table = self.quotation(
            f"{local}-table1", f"Table 1 row: {label}, {participants} participants", f"{label}\t{participants}\t",
            report, sections["Methodology"], "Case study name\tNumber of leaders\t\n",
        )

        members: list[tuple[Term, str, str, bool]] = []  # org, name, role, interpretive sector?
        lead = self.new_organisation(ORG + "FormalOrganization", lead_name, (lead_sector,), [bullet, table])
        members.append((lead, lead_name, LEAD, lead_sector == PUBLIC))
        for _ in range(rng.randint(2, 5)):
            if self.shared and rng.random() < 0.2:
                index = rng.randrange(len(self.shared))
                org_node, name, sectors, used = self.shared[index]
                if any(m[0] == org_node.subject for m in members):
                    continue
                self.add(org_node, DERIVED, bullet)
                if used + 1 >= 3:
                    self.shared.pop(index)
                else:
                    self.shared[index] = (org_node, name, sectors, used + 1)
                members.append((org_node.subject, name, PARTNER, False))
                continue
            sector = rng.choice((PUBLIC, PUBLIC, PRIVATE, CHARITY, CHARITY, COMMUNITY))
            templates = {PUBLIC: _PUBLIC, PRIVATE: _PRIVATE, CHARITY: _CHARITY, COMMUNITY: _COMMUNITY}[sector]
            name = self.organisation_name(templates, rng.choice((place, self.place())))
            org = self.new_organisation(ORG + "FormalOrganization", name, (sector,), [bullet], share=True)
            members.append((org, name, PARTNER, sector == PUBLIC))
        if rng.random() < 0.3 and lead_sector == PUBLIC:
            unit_name = f"{lead_name} {rng.choice(_UNITS)}"
            if unit_name not in self.org_names:
                self.org_names.add(unit_name)
                unit = self.new_organisation(ORG + "OrganizationalUnit", unit_name, (PUBLIC,), [bullet])
                self.add(self.nodes[-1], ORG + "unitOf", lead)
                members.append((unit, unit_name, PARTNER, False))
        if rng.random() < 0.3:
            template, sectors = rng.choice(_GROUPS)
            group_name = self.organisation_name((template,), place)
            group = self.new_organisation(CKG + "OrganisationGroup", group_name, sectors, [bullet])
            members.append((group, group_name, PARTNER, False))

        c = self.node(case, CKG + "CaseStudy", label)
        self.add(c, CKG + "describesCollaboration", collab)
        self.add(c, CKG + "participantCount", integer(participants))
        self.add(c, DERIVED, table, bullet)
        co = self.node(collab, CKG + "Collaboration", f"{lead_name}'s {programme.lower()} partnership")
        self.add(co, CKG + "purpose", text(purpose))
        self.add(co, DERIVED, bullet)
        self.assertion(
            f"{local}-participants", f"Participants interviewed for {label}", case,
            CKG + "participantCount", integer(participants), STATED, [table],
        )

        for org, name, role, read_sector in members:
            mem_local = f"{local}-{org[1].rsplit('/', 1)[-1]}"
            role_word = "lead" if role == LEAD else "partner"
            m = self.node(_ns("mem", mem_local), ORG + "Membership", f"{name} in {label} ({role_word})")
            self.add(m, ORG + "member", org)
            self.add(m, ORG + "organization", collab)
            self.add(m, ORG + "role", iri(role))
            self.add(m, DERIVED, bullet)
            # every role and sector has a record (the unrecorded-judgement check)
            if role == LEAD and rng.random() < 0.5:
                self.assertion(
                    f"mem-{mem_local}-role", f"{name} leads {label}", _ns("mem", mem_local), ORG + "role",
                    iri(LEAD), INTERPRETIVE, [bullet, table],
                    basis=f"The report does not say who led; the case is named after {name} in Table 1.",
                )
            elif role == LEAD:
                self.assertion(
                    f"mem-{mem_local}-role", f"{name} leads {label}", _ns("mem", mem_local), ORG + "role",
                    iri(LEAD), STATED, [bullet],
                )
            else:
                self.assertion(
                    f"mem-{mem_local}-role", f"{name} is a partner in {label}", _ns("mem", mem_local),
                    ORG + "role", iri(PARTNER), INTERPRETIVE, [bullet],
                    basis=f"The report does not call {name} a partner; it is read as taking part without leading.",
                )
            for sector_iri in self.sectors_of[org]:
                sector = iri(sector_iri)
                sector_slug = sector_iri.rsplit("#", 1)[-1]
                if read_sector:
                    self.assertion(
                        f"{org[1].rsplit('/', 1)[-1]}-sector-{local}", f"Sector of {name}", org,
                        ORG + "classification", sector, INTERPRETIVE, [bullet],
                        basis=f"The report does not state the sector of {name}; it is read as a public body.",
                    )
                else:
                    self.assertion(
                        f"{org[1].rsplit('/', 1)[-1]}-{sector_slug}-{local}", f"Sector of {name}", org,
                        ORG + "classification", sector, STATED, [bullet],
                    )

        # poles of the dimensions of collaboration
        for pole, pole_label, definition, pole_quote in rng.sample(self.framework.poles, rng.randint(1, 3)):
            self.add(co, CKG + "showsPole", iri(pole))
            pole_slug = pole.rsplit("/", 1)[-1]
            self.assertion(
                f"collab-{local}-pole-{pole_slug}", f"{label} shows {pole_label.lower()} collaboration", collab,
                CKG + "showsPole", iri(pole), INTERPRETIVE, [bullet, iri(pole_quote)],
                basis=f"The partners' work is read as collaboration '{definition}', the report's gloss of {pole_label.lower()}.",
            )

        # illustrative examples, each under one theme and polarity heading
        for number in range(1, rng.randint(1, 2) + 1):
            self.example(local, number, case, label, lead_name, members, report, sections)

        # figures
        if rng.random() < 0.45:
            self.figures(local, case, label, report, sections)
        return case, participants, table

    def new_organisation(
        self, cls: str, name: str, sectors: tuple[str, ...], quotes: list[Term], share: bool = False
    ) -> Term:
        local = slug(name)
        while local in self.org_slugs:
            local += "-x"
        self.org_slugs.add(local)
        subject = _ns("agent", local)
        node = self.node(subject, cls, name)
        self.add(node, ORG + "classification", *(iri(s) for s in sectors))
        self.sectors_of[subject] = sectors
        words = name.split()
        if len(words) >= 3 and self.rng.random() < 0.3:
            self.add(node, SKOS + "notation", text("".join(w[0] for w in words if w[0].isupper())))
        self.add(node, DERIVED, *quotes)
        if share:
            self.shared.append((node, name, sectors, 1))
        return subject

    def example(
        self,
        local: str,
        number: int,
        case: Term,
        label: str,
        lead_name: str,
        members: list[tuple[Term, str, str, bool]],
        report: str,
        sections: dict[str, str],
    ) -> None:
        rng = self.rng
        theme = rng.choice(self.framework.themes)
        polarity = rng.choice((CKG + "challenge", CKG + "enabler"))
        candidates = [f for f in self.framework.factors if f[2] == theme and f[3] == polarity]
        factors = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
        partner = rng.choice(members[1:])[1] if len(members) > 1 else "its partners"
        example_local = f"{local}-{number}"
        quotes = []
        for part in range(1, rng.randint(1, 3) + 1):
            factor_label = factors[(part - 1) % len(factors)][1].lower()
            words = rng.choice(_LINKS).format(w=f"{factor_label} shaped how {lead_name} and {partner} worked")
            quotes.append(
                self.quotation(
                    f"{example_local}-example-{part}",
                    f"{lead_name} and {partner}: {factor_label}",
                    words,
                    report,
                    sections[_THEME_SECTION.get(theme, "Introduction")],
                    f"{'Challenges' if polarity.endswith('challenge') else 'Enablers'} for collaboration\n\n",
                )
            )
        e = self.node(_ns("example", example_local), CKG + "IllustrativeExample",
                      f"How {lead_name} and {partner} met {factors[0][1].lower()}")
        self.add(e, CKG + "ofCase", case)
        self.add(e, CKG + "hasTheme", _ns("theme", theme))
        self.add(e, CKG + "hasPolarity", iri(polarity))
        self.add(e, CKG + "hasQuotation", *quotes)
        self.add(e, CKG + "exemplifies", *(iri(f[0]) for f in factors))
        self.add(e, DERIVED, *quotes)
        for prop, obj, word in ((CKG + "ofCase", case, "case"), (CKG + "hasTheme", _ns("theme", theme), "theme"),
                                (CKG + "hasPolarity", iri(polarity), "polarity")):
            self.assertion(
                f"example-{example_local}-{word}", f"The {word} of the {label} example", _ns("example", example_local),
                prop, obj, STATED, [quotes[0]],
            )
        for factor, factor_label, _, _, factor_quote in factors:
            self.assertion(
                f"example-{example_local}-{factor.rsplit('/', 1)[-1]}",
                f"The {label} example shows {factor_label.lower()}",
                _ns("example", example_local), CKG + "exemplifies", iri(factor), INTERPRETIVE,
                [quotes[0], iri(factor_quote)],
                basis=f"The participants' account of how the partners worked matches the report's '{factor_label}'.",
            )

    def figures(self, local: str, case: Term, label: str, report: str, sections: dict[str, str]) -> None:
        rng = self.rng
        weeks = rng.randint(1, 12)
        low = rng.randint(6, 18)
        high = low + rng.randint(0, 12)
        exact = f"It took {weeks} weeks rather than the usual {low}-{high} months to set up."
        quote = self.quotation(f"{local}-figures", f"{weeks} weeks rather than {low}-{high} months", exact,
                               report, sections["Structures"], "established quickly. ")
        taken, usual, speed = (_ns("fact", f"{local}-{n}") for n in ("time-taken", "usual-time", "speed-up"))
        t = self.node(taken, CKG + "QuantitativeFact", f"{weeks} weeks to set up ({label})")
        self.add(t, CKG + "measure", text("Time taken to set up the collaboration"))
        self.add(t, CKG + "value", decimal(weeks))
        self.add(t, CKG + "unit", iri(CKG + "week"))
        self.add(t, CKG + "aboutCase", case)
        self.add(t, CKG + "comparedWith", usual)
        self.add(t, CKG + "assertionStatus", iri(STATED))
        self.add(t, DERIVED, quote)
        u = self.node(usual, CKG + "QuantitativeFact", f"Usually {low}-{high} months to set up ({label})")
        self.add(u, CKG + "measure", text("Usual time taken to set up such a service"))
        self.add(u, CKG + "minValue", decimal(low))
        self.add(u, CKG + "maxValue", decimal(high))
        self.add(u, CKG + "unit", iri(CKG + "month"))
        self.add(u, CKG + "aboutCase", case)
        self.add(u, CKG + "comparedWith", taken)
        self.add(u, CKG + "assertionStatus", iri(STATED))
        self.add(u, DERIVED, quote)
        if rng.random() < 0.7:
            fast, slow = low * 52 / 12 / weeks, high * 52 / 12 / weeks
            s = self.node(speed, CKG + "QuantitativeFact", f"About {fast:.1f} to {slow:.1f} times faster ({label})")
            self.add(s, CKG + "measure", text("How many times faster the collaboration was set up than usual"))
            self.add(s, CKG + "minValue", decimal(fast))
            self.add(s, CKG + "maxValue", decimal(slow))
            self.add(s, CKG + "unit", iri(CKG + "times"))
            self.add(s, CKG + "aboutCase", case)
            self.add(s, CKG + "assertionStatus", iri(DERIVED_STATUS))
            self.add(s, CKG + "basis", text(
                f"Taking a month as 52/12 weeks, {low} to {high} months divided by {weeks} weeks."
            ))
            self.add(s, DERIVED, taken, usual)


def generate(triples: int, seed: int) -> tuple[list[tuple[Term, str, Term]], list[Node]]:
    """The bundled data's triples and the synthetic nodes of a corpus of about ``triples`` triples."""
    framework = Framework()
    generator = Generator(framework, seed)
    target = max(0, triples - len(framework.triples))
    number = 0
    while generator.count < target:
        number += 1
        generator.report(number, target)
    return framework.triples, generator.nodes


# --------------------------------------------------------------------------
# Writing N-Triples and Turtle
# --------------------------------------------------------------------------


def _nt(term: Term) -> str:
    kind = term[0]
    if kind == "i":
        return f"<{term[1]}>"
    if kind == "b":
        return f"_:{term[1]}"
    value, datatype = term[1], term[2]
    if datatype.startswith("@"):
        return quote_string(value) + datatype
    if datatype == XSD_STRING:
        return quote_string(value)
    return f"{quote_string(value)}^^<{datatype}>"


_BARE = {XSD + "integer": re.compile(r"[+-]?[0-9]+"), XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+")}


def _ttl(term: Term) -> str:
    kind = term[0]
    if kind == "i":
        return compact(term[1]) or f"<{term[1]}>"
    if kind == "l" and term[2] in _BARE and _BARE[term[2]].fullmatch(term[1]):
        return term[1]
    if kind == "l" and not term[2].startswith("@") and term[2] != XSD_STRING:
        return f"{quote_string(term[1])}^^{compact(term[2]) or '<' + term[2] + '>'}"
    return _nt(term)


def _grouped(bundled: list[tuple[Term, str, Term]], nodes: list[Node]) -> Iterator[tuple[Term, list[tuple[str, Term]]]]:
    current: Term | None = None
    pairs: list[tuple[str, Term]] = []
    for s, p, o in bundled:
        if s != current:
            if current is not None:
                yield current, pairs
            current, pairs = s, []
        pairs.append((p, o))
    if current is not None:
        yield current, pairs
    for node in nodes:
        yield node.subject, node.pairs


def lines(bundled: list[tuple[Term, str, Term]], nodes: list[Node], fmt: str) -> Iterator[str]:
    """The corpus as text, in ``fmt`` ``"nt"`` or ``"ttl"``."""
    if fmt == "nt":
        for subject, pairs in _grouped(bundled, nodes):
            s = _nt(subject)
            for p, o in pairs:
                yield f"{s} <{p}> {_nt(o)} .\n"
        return
    for name, ns in PREFIXES.items():
        yield f"@prefix {name}: <{ns}> .\n"
    for subject, pairs in _grouped(bundled, nodes):
        body = " ;\n    ".join(("a" if p == RDF_TYPE else _ttl(("i", p))) + " " + _ttl(o) for p, o in pairs)
        yield f"\n{_ttl(subject)} {body} .\n"


def write(path: Path, chunks: Iterator[str]) -> None:
    """Write ``chunks`` to ``path`` atomically (:func:`collabkg.files.atomic_write`), in batches."""
    def batches() -> Iterator[bytes]:
        buffer: list[str] = []
        for chunk in chunks:
            buffer.append(chunk)
            if len(buffer) >= 10_000:
                yield "".join(buffer).encode("utf-8")
                buffer.clear()
        yield "".join(buffer).encode("utf-8")

    atomic_write(path, batches())


def parse_size(value: str) -> int:
    """``10k``, ``1m``, ``250000`` or ``1_000_000`` as a number of triples."""
    text = value.strip().lower().replace("_", "")
    if text in SIZES:
        return SIZES[text]
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    try:
        return int(float(number) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 10k, 100k, 1m, 250000)") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, required=True, metavar="N",
                        help="about how many triples (10k, 100k, 1m or a number)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                        help="where to write: .nt for N-Triples, .ttl for Turtle")
    args = parser.parse_args(argv)
    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in ("nt", "ttl"):
        parser.error(f"{args.output}: use a .nt or .ttl file name")
    start = time.perf_counter()
    bundled, nodes = generate(args.triples, args.seed)
    write(args.output, lines(bundled, nodes, fmt))
    total = len(bundled) + sum(len(n.pairs) for n in nodes)
    print(f"wrote {args.output} ({total} triples, seed {args.seed}, {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
