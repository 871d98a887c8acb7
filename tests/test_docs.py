"""HTML documentation: every class, property, factor, pole, query and check appears.

The pages are parsed with the standard library's HTML parser (no browser):
each term must have an element with its id, its label and definition; the
factor tree must nest theme > polarity > factor exactly as the data says;
every internal link must land on an id that exists.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from collabkg import docs, bundle
from collabkg.catalogue import catalogue
from collabkg.namespaces import CKG, slug_of
from collabkg.qc import checks
from collabkg.readers import rdflib_graph

CKG_NS = rdflib.Namespace(CKG)


class Page(HTMLParser):
    """What a test needs from a page: ids, links, text, and the nesting of tree items."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, str] = {}  # id -> tag
        self.links: list[str] = []
        self.chunks: list[str] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.tree: list[tuple[str, ...]] = []  # (theme id, polarity label, factor id) paths
        self._labels: dict[int, str] = {}
        self.feed(text)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            assert attributes["id"] not in self.ids, f"duplicate id {attributes['id']}"
            self.ids[attributes["id"]] = tag
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag not in ("br", "meta", "img", "input", "hr", "link"):
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, attributes = self.stack.pop()
            if attributes.get("class") == "factor":
                path = [a for t, a in self.stack if t == "li"]
                theme = next(a["id"] for a in path if a.get("class") == "theme")
                polarity = next(self._labels[id(a)] for a in path if a.get("class") == "polarity")
                self.tree.append((theme, polarity, attributes["id"]))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self.stack and self.stack[-1][1].get("class") == "label" and len(self.stack) >= 2:
            parent = self.stack[-2][1]
            if parent.get("class") == "polarity":
                self._labels[id(parent)] = data.strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    out = tmp_path_factory.mktemp("docs")
    written = docs.build_docs(out)
    assert [p.name for p in written] == list(docs.PAGES)
    return {p.name: Page(p.read_text(encoding="utf-8")) for p in written}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib_graph([bundle.ontology_path()])


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib_graph([bundle.ontology_path(), bundle.data_dir()])


def _own(graph: rdflib.Graph, *kinds: rdflib.URIRef) -> set[str]:
    return {
        str(s)
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(CKG)
    }


def _english(graph: rdflib.Graph, node: rdflib.URIRef, predicate: rdflib.URIRef) -> str:
    return " ".join(str(graph.value(node, predicate)).split())


def test_every_class_and_property_has_a_section(site, ontology):
    page = site["ontology.html"]
    terms = _own(ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    assert len(terms) >= 70
    for iri in terms:
        local = iri[len(CKG) :]
        assert page.ids.get(local) == "section", local
        node = rdflib.URIRef(iri)
        assert _english(ontology, node, RDFS.label) in page.text
        assert _english(ontology, node, SKOS.definition) in page.text
        assert iri in page.text


def test_inference_axioms_are_written_out(site):
    text = site["ontology.html"].text
    assert "ckg:membership ∘ org:member" in text
    assert "ckg:hasExample ∘ ckg:hasTheme" in text
    assert "ckg:exemplifiesFactor ∘ ckg:hasTheme" in text
    assert (
        "(ckg:Factor and (ckg:hasTheme value theme:motivations) and "
        "(ckg:hasPolarity value ckg:enabler))"
    ) in text
    assert "or ((ckg:involvesSector value ckg:charitySector) and (ckg:involvesSector value ckg:communitySector))" in text


def test_value_sets_list_the_ontologys_individuals(site, ontology):
    page = site["ontology.html"]
    for name in ("challenge", "enabler", "publicSector", "leadRole", "stated", "gownPerDay"):
        assert name in page.ids
    for scheme in ("polarities", "sectors", "roles", "statuses", "units"):
        assert page.ids.get(scheme) == "h3"


def test_factor_tree_nests_theme_polarity_factor(site, graph):
    """Every factor of the data appears once, under its theme and polarity."""
    expected = set()
    for factor in graph.subjects(RDF.type, CKG_NS.Factor):
        theme = graph.value(factor, CKG_NS.hasTheme)
        polarity = graph.value(factor, CKG_NS.hasPolarity)
        label = {CKG_NS.challenge: "Challenges for collaboration", CKG_NS.enabler: "Enablers of collaboration"}
        expected.add((slug_of(str(theme)), label[polarity], slug_of(str(factor))))
    tree = site["taxonomy.html"].tree
    assert len(expected) == 29
    assert len(tree) == len(set(tree)) == 29
    assert set(tree) == expected
    themes = [t for t, _, _ in tree]
    assert list(dict.fromkeys(themes)) == ["theme-motivations", "theme-structures", "theme-relationships"]


def test_factors_stand_in_the_order_of_table_2(site):
    relationships_enablers = [
        f for t, p, f in site["taxonomy.html"].tree
        if t == "theme-relationships" and p == "Enablers of collaboration"
    ]
    assert relationships_enablers == [
        "factor-strong-pre-existing-relationships",
        "factor-breaking-down-physical-barriers",
        "factor-maintaining-open-frequent-communication",
        "factor-adopting-facilitative-styles-of-leadership",
        "factor-being-solutions-focused",
    ]


def test_factor_labels_and_definitions_appear(site, graph):
    text = site["taxonomy.html"].text
    for factor in graph.subjects(RDF.type, CKG_NS.Factor):
        assert _english(graph, factor, SKOS.prefLabel) in text
        assert _english(graph, factor, SKOS.definition) in text


def test_dimensions_and_poles(site, graph):
    page = site["taxonomy.html"]
    dimensions = set(graph.subjects(RDF.type, CKG_NS.Dimension))
    poles = set(graph.subjects(RDF.type, CKG_NS.Pole))
    assert (len(dimensions), len(poles)) == (3, 6)
    for node in dimensions:
        assert page.ids.get(slug_of(str(node))) == "h3"
    for node in poles:
        assert page.ids.get(slug_of(str(node))) == "div"
        assert _english(graph, node, SKOS.definition) in page.text
    assert "Formal (opposite: Informal)" in page.text


def test_every_query_and_check_appears_with_its_sparql(site):
    page = site["queries.html"]
    queries = catalogue()
    assert len(queries) >= 10
    for name, query in queries.items():
        assert page.ids.get(f"query-{name}") == "section"
        assert query.summary in page.text
        for parameter in query.parameters:
            assert f"?{parameter.variable}" in page.text
        body = [line for line in query.text.splitlines() if line.strip() and not line.startswith("#")]
        for line in body:
            assert " ".join(line.split()) in page.text, (name, line)
    for check in checks():
        assert page.ids.get(f"check-{check.name}") == "section"
        assert check.summary in page.text
        assert f"collabkg qc --check {check.name}" in page.text


def test_internal_links_land_on_an_id(site):
    for name, page in site.items():
        for href in page.links:
            if href.startswith(("http://", "https://")):
                continue
            target, _, fragment = href.partition("#")
            target_page = site[target or name]
            if fragment:
                assert fragment in target_page.ids, f"{name}: broken link {href}"


def test_pages_are_deterministic(tmp_path: Path, site):
    first = docs.build_docs(tmp_path / "a")
    second = docs.build_docs(tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_slug_and_link_of_data_terms():
    assert slug_of(CKG + "hasTheme") == "hasTheme"
    assert docs.link_of("https://w3id.org/collabkg/id/factor/competing-priorities") == (
        "taxonomy.html#factor-competing-priorities"
    )
    assert docs.link_of("http://www.w3.org/2004/02/skos/core#Concept") == (
        "http://www.w3.org/2004/02/skos/core#Concept"
    )


def test_output_that_is_a_file_is_refused(tmp_path: Path):
    target = tmp_path / "docs"
    target.write_text("not a folder")
    with pytest.raises(docs.DocsError, match="not a folder"):
        docs.build_docs(target)


def test_cli_docs_writes_the_pages(cli, tmp_path: Path):
    out = tmp_path / "site"
    result = cli("docs", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote 4 pages to {out}/ (start at {out / 'index.html'})\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(docs.PAGES)


def test_index_counts_what_the_pages_hold(site, ontology):
    text = site["index.html"].text
    classes = len(_own(ontology, OWL.Class))
    properties = len(_own(ontology, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty))
    assert f"{classes} classes and {properties} properties" in text
    assert "(29 factors)" in text
    assert f"{len(catalogue())} canned SPARQL queries" in text
    assert f"{len(checks())} quality checks" in text


def test_taxonomy_follows_the_data_given(tmp_path: Path):
    """--data changes the taxonomy page: here, the reasoning fixture's factors."""
    fixture = Path(__file__).parent / "fixtures" / "reason" / "inference.ttl"
    written = docs.build_docs(tmp_path, [fixture])
    page = Page((tmp_path / "taxonomy.html").read_text(encoding="utf-8"))
    assert len(written) == 4
    by_theme: dict[str, set[str]] = defaultdict(set)
    for theme, _polarity, factor in page.tree:
        by_theme[theme].add(factor)
    assert by_theme["theme-motivations"] == {
        "factor-motivations-challenge",
        "factor-motivations-enabler",
    }  # the factor with no polarity sits under neither heading
