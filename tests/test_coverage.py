"""How much of the report the graph quotes, and which of its sentences no quotation covers.

Every sentence of content in the report lies inside some quotation's
``oa:exact``. What no quotation covers (the title, table headers and row
labels, markup between quoted passages) is listed, each with its reason, in
``tests/fixtures/coverage/exempt.tsv``; any other passage outside the
quotations fails the test, which lists it.
"""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES

from collabkg.stores.oxigraph import OxigraphStore

EXEMPT = FIXTURES / "coverage" / "exempt.tsv"
SELECTORS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX ckg: <https://w3id.org/collabkg/ontology#>
SELECT ?exact ?prefix ?suffix WHERE {
  ?quote a ckg:Quotation ; oa:hasSelector ?selector .
  ?selector oa:exact ?exact .
  OPTIONAL { ?selector oa:prefix ?prefix }
  OPTIONAL { ?selector oa:suffix ?suffix }
}
"""
# Characters that carry no content of their own: space, Markdown emphasis and list marks,
# the footnote markers, and the full stop left between two quoted sentences.
_NOISE = re.compile(r"[\s*\-.¹²³:]*")


@pytest.fixture(scope="module")
def covered(report_text: str) -> list[bool]:
    marks = [False] * len(report_text)
    for row in OxigraphStore.from_graph().query(SELECTORS).rows:
        exact, prefix, suffix = (t.value if t is not None else "" for t in row)
        start = report_text.index(prefix + exact + suffix) + len(prefix)
        marks[start : start + len(exact)] = [True] * len(exact)
    return marks


def uncovered(text: str, marks: list[bool]) -> list[str]:
    """The runs of the report no quotation covers, trimmed of whitespace, that hold content."""
    runs = re.finditer(r"[^\x00]+", "".join("\x00" if m else c for c, m in zip(text, marks, strict=True)))
    return [run.group().strip() for run in runs if not _NOISE.fullmatch(run.group())]


def exempt() -> dict[str, str]:
    rows = [line.split("\t", 1) for line in EXEMPT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    unescape = {"\\t": "\t", "\\n": "\n"}
    return {re.sub(r"\\[tn]", lambda m: unescape[m.group()], passage): reason for passage, reason in rows}


def test_every_exemption_gives_a_reason():
    assert all(reason.strip() for reason in exempt().values())


def test_every_sentence_of_content_lies_inside_a_quotation(report_text, covered):
    outside = [run for run in uncovered(report_text, covered) if run not in exempt()]
    assert outside == [], "sentences of the report outside every quotation:\n" + "\n".join(outside)


def test_every_exemption_is_still_outside_the_quotations(report_text, covered):
    """An exemption that a new quotation covers is stale: take it out of exempt.tsv."""
    assert sorted(set(exempt()) - set(uncovered(report_text, covered))) == []


def test_share_of_the_report_inside_quotations(report_text, covered):
    content = [i for i, c in enumerate(report_text) if not c.isspace()]
    share = sum(covered[i] for i in content) / len(content)
    print(f"{share:.1%} of the report's non-space characters lie inside a quotation")
    assert share > 0.97
