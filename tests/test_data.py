"""The bundled data against the report it models.

Every quotation is verbatim: its ``oa:prefix``, ``oa:exact`` and ``oa:suffix``
stand one after another in the report's text, exactly once. The report's text
is not shipped with the package; these tests skip, saying so, where it is absent.
"""

from __future__ import annotations

import pytest

from collabkg.stores.oxigraph import OxigraphStore

SELECTORS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX ckg: <https://w3id.org/collabkg/ontology#>
SELECT ?quote ?source ?exact ?prefix ?suffix WHERE {
  ?quote a ckg:Quotation ; oa:hasSource ?source ; oa:hasSelector ?selector .
  ?selector oa:exact ?exact .
  OPTIONAL { ?selector oa:prefix ?prefix }
  OPTIONAL { ?selector oa:suffix ?suffix }
}
"""

REPORT_IRI = "https://w3id.org/collabkg/id/doc/collaboration-executive-summary"


@pytest.fixture(scope="module")
def selectors() -> list[dict[str, str]]:
    store = OxigraphStore.from_graph()
    result = store.query(SELECTORS)
    return [{k: (t.value if t is not None else "") for k, t in zip(result.variables, row)} for row in result.rows]


def test_there_are_quotations(selectors: list[dict[str, str]]) -> None:
    assert len(selectors) == len({s["quote"] for s in selectors}) > 100


def test_every_quotation_is_attributed_to_the_report(selectors: list[dict[str, str]]) -> None:
    assert {s["source"] for s in selectors} == {REPORT_IRI}


def test_every_exact_is_a_verbatim_passage_of_the_report(
    selectors: list[dict[str, str]], report_text: str
) -> None:
    missing = [s["quote"] for s in selectors if s["exact"] not in report_text]
    assert missing == []


def test_prefix_exact_suffix_stand_together_once_in_the_report(
    selectors: list[dict[str, str]], report_text: str
) -> None:
    counts = {
        s["quote"]: report_text.count(s["prefix"] + s["exact"] + s["suffix"]) for s in selectors
    }
    assert {quote: n for quote, n in counts.items() if n != 1} == {}


def test_quotations_are_short_passages(selectors: list[dict[str, str]]) -> None:
    too_long = {s["quote"]: len(s["exact"]) for s in selectors if len(s["exact"]) > 700}
    assert too_long == {}


def test_a_quotation_is_found_by_its_selector(report_text: str) -> None:
    store = OxigraphStore.from_graph()
    result = store.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact WHERE { <https://w3id.org/collabkg/id/quote/kent-fire-rescue-example-selector> oa:exact ?exact }"""
    )
    (row,) = result.rows
    assert row[0].value.startswith("Age UK was unaware of how broad the remit of the fire service was")
    assert row[0].value in report_text
