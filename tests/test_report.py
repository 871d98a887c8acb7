"""The evidence browser (collabkg report) and the figures (collabkg figure), without a browser.

The site's content is checked against the canned queries it is built from:
the heatmap's counts are case-factor-matrix, Table 1 is participants-by-case,
each cell page lists the passages of the evidence query for its case and
factor. Pages are valid, semantic HTML with no reference outside the site,
written atomically and byte-identical from run to run; figures are too.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from expected_results import load_expected

from collabkg import report as report_module
from collabkg.namespaces import slug_of
from collabkg.query import rows
from collabkg.report import CASES_PER_PAGE, build_report, open_engine, report

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    report(out)
    return out


class Page(html.parser.HTMLParser):
    """A page's elements, with a check that every element is closed in order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def cell_counts(path: Path) -> dict[str, int]:
    """The counts of a heatmap page's linked cells, by cell page."""
    text = path.read_text(encoding="utf-8")
    return {href: int(n) for href, n in re.findall(r'<a href="(cells/[^"]+)" title="[^"]*">(\d+)', text)}


def test_every_page_is_valid_semantic_html_with_links_inside_the_site(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        parsed = page(path)
        where = path.relative_to(site).as_posix()
        assert not parsed.errors, (where, parsed.errors)
        assert parsed.tags[0][0] == "html" and parsed.tags[0][1].get("lang") == "en", where
        assert len(parsed.all("main")) == 1 and parsed.all("nav") and parsed.all("title"), where
        tables = parsed.all("table")
        assert len(parsed.all("caption")) == len(tables), where
        assert all(th.get("scope") in ("col", "row", "colgroup") for th in parsed.all("th")), where
        assert not parsed.all("script"), where
        for attrs in parsed.all("a") + parsed.all("link"):
            target = attrs["href"]
            assert "://" not in target and not target.startswith("//"), (where, target)
            file, _, anchor = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            assert linked.is_file(), (where, target)
            if anchor:
                assert f'id="{anchor}"' in linked.read_text(encoding="utf-8"), (where, target)
        ids = [attrs["id"] for _, attrs in parsed.tags if "id" in attrs]
        assert len(ids) == len(set(ids)), where


def test_heatmap_counts_are_the_case_factor_matrix(site: Path) -> None:
    matrix = rows("case-factor-matrix")
    expected = {
        f"cells/{slug_of(str(r['case']))}--{slug_of(str(r['factor']))}.html": int(r["evidence"])  # type: ignore[call-overload]
        for r in matrix
        if r["evidence"]
    }
    assert cell_counts(site / "heatmap.html") == expected
    text = (site / "heatmap.html").read_text(encoding="utf-8")
    cases = {r["caseLabel"] for r in matrix}
    assert text.count('<th scope="row">') == len(cases)
    # every cell has a count, empty cells 0: the table itself is the text alternative
    assert len(re.findall(r"<td class=\"s\d\"", text)) == len(matrix)


def test_heatmap_columns_are_table_2_in_the_report_order(site: Path) -> None:
    factors = [str(r["factorLabel"]) for r in rows("factors-by-theme")]
    text = (site / "heatmap.html").read_text(encoding="utf-8")
    shown = re.findall(r'<th scope="col" class="factor"><a href="[^"]+"><span>([^<]+)</span>', text)
    import html as html_module

    assert [html_module.unescape(s) for s in shown] == factors
    assert len(factors) == 29


def test_each_cell_page_lists_the_passages_of_the_evidence_query(site: Path) -> None:
    import html as html_module

    for href in cell_counts(site / "heatmap.html"):
        case, factor = (slug.replace("-", ":", 1) for slug in Path(href).stem.split("--"))  # case-x: case:x
        expected = [str(r["text"]) for r in rows("evidence", case=case, factor=factor)]
        text = (site / href).read_text(encoding="utf-8")
        shown = [html_module.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", text, re.S)]
        assert shown == expected, href
        statuses = re.findall(r'<span class="status (\w+)"', text)
        assert set(statuses) <= {"stated", "derived", "interpretive"} and statuses
        assert "Collaboration Executive Summary" in text  # the report each passage comes from


def _links(path: Path) -> list[tuple[str, str, str]]:
    """The challenge-enabler links a factor page shows: (other factor, status, basis)."""
    import html as html_module

    text = path.read_text(encoding="utf-8")
    if "<caption>Enablers whose words answer it" not in text and "<caption>Challenges its words answer" not in text:
        return []
    table = text.split("</caption>", 1)[1].split("</table>", 1)[0]
    found = re.findall(
        r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th><td><span class="status (\w+)".*?</td>'
        r"<td>([^<]*)</td></tr>",
        table,
    )
    return [(html_module.unescape(f), s, html_module.unescape(b)) for f, s, b in found]


def test_factor_pages_show_the_enablers_that_answer_a_challenge(site: Path) -> None:
    links = rows("enablers-for-challenges")
    factors = {str(r["factor"]): str(r["factorLabel"]) for r in rows("factors-by-theme")}
    for iri, label in factors.items():
        expected = [
            (str(r["enablerLabel"] if str(r["challenge"]) == iri else r["challengeLabel"]), str(r["status"]), str(r["basis"]))
            for r in links
            if iri in (str(r["challenge"]), str(r["enabler"]))
        ]
        assert _links(site / "factors" / f"{slug_of(iri)}.html") == expected, label
    # From the report: distance is answered by breaking down physical barriers, and streamlining
    # answers hierarchies, limits on flexibility and internal systems; competing priorities by nothing.
    distance = _links(site / "factors" / "factor-geographical-and-physical-distance.html")
    assert [(f, s) for f, s, _ in distance] == [("Breaking down physical barriers", "interpretive")]
    streamlining = _links(site / "factors" / "factor-streamlining-or-flattening-decision-making-structures.html")
    assert [f for f, _, _ in streamlining] == [
        "Organisational hierarchies",
        "Limits on the flexibility to innovate",
        "Excessive or complicated internal systems and bureaucracies",
    ]
    assert _links(site / "factors" / "factor-competing-priorities.html") == []


def test_table_1_is_participants_by_case_with_the_derived_cell_marked(site: Path) -> None:
    import html as html_module

    text = (site / "tables.html").read_text(encoding="utf-8")
    table1 = text.split("<caption>Table 1", 1)[1].split("</table>", 1)[0]
    shown = re.findall(r'<tr[^>]*>\s*<th scope="row">(?:<a [^>]+>)?([^<]+)(?:</a>)?</th>\s*<td class="num[^"]*"[^>]*>(\d+)', table1)
    expected = [(str(r["caseLabel"]), str(r["participants"])) for r in rows("participants-by-case")]
    assert [(html_module.unescape(label), n) for label, n in shown] == expected
    derived = [r for r in rows("participants-by-case") if r["status"] == "derived"]
    assert len(derived) == 1
    assert 'class="num derived-cell"' in table1 and str(derived[0]["basis"]) in html_module.unescape(text)


def test_pages_are_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []
    real = report_module.atomic_write

    def spy(path: Path, content: Any) -> None:
        written.append(path)
        real(path, content)

    monkeypatch.setattr(report_module, "atomic_write", spy)
    result = report(tmp_path / "out")
    assert sorted(written) == sorted(result.pages) == sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())


def test_output_is_deterministic(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    build_report(again, open_engine(None))
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_a_file_for_the_folder_is_refused(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "file").write_text("x")
    result = cli("report", "-o", str(tmp_path / "file"))
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_the_command_writes_the_site_with_data(tmp_path: Path, cli: Callable[..., Any]) -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    result = cli("--data", str(data), "report", "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert "pages" in result.stdout and (tmp_path / "site" / "index.html").is_file()


def test_the_heatmap_is_paged_past_its_page_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "CASES_PER_PAGE", 4)
    report(tmp_path)
    assert (tmp_path / "heatmap-2.html").is_file() and not (tmp_path / "heatmap-3.html").exists()
    assert CASES_PER_PAGE >= 50
    counts = cell_counts(tmp_path / "heatmap.html") | cell_counts(tmp_path / "heatmap-2.html")
    assert sum(counts.values()) == sum(int(r["evidence"]) for r in rows("case-factor-matrix"))  # type: ignore[call-overload]


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------


def _expected_column(name: str, variable: str) -> list[str]:
    """One column of an expected answer (tests/expected/NAME.tsv, written from the report), in order."""
    answer = load_expected(name)
    at = answer.variables.index(variable)
    return [str(row[at].value) for row in answer.rows]


@pytest.mark.parametrize("name", ["case-factor-matrix", "dimensions-by-case"])
def test_svg_figures_are_byte_identical_across_runs(tmp_path: Path, name: str, cli: Callable[..., Any]) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    columns = {"case-factor-matrix": 29, "dimensions-by-case": 5}[name]
    for out in (first, second):
        result = cli("figure", name, "-o", str(out))
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == f"wrote {name} (6 case studies by {columns} columns) to {out}\n"
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<dc:date>" not in text
    cases = _expected_column("participants-by-case", "caseLabel")[:6]  # Table 1, without its total
    assert "".join(cases) in "".join(_svg_texts(text))  # the labels are text, not paths, in the report's order


def _svg_texts(text: str) -> list[str]:
    import html as html_module

    return [html_module.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", text)]


def test_case_factor_figure_is_table_2_by_table_1_with_a_mark_per_passage(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    out = tmp_path / "matrix.svg"
    assert cli("figure", "case-factor-matrix", "-o", str(out)).exit_code == 0
    factors = _expected_column("factors-by-theme", "factorLabel")
    cases = _expected_column("participants-by-case", "caseLabel")[:6]
    counts = [n for n in _expected_column("case-factor-matrix", "evidence") if n != "0"]
    assert _svg_texts(out.read_text(encoding="utf-8")) == [
        *["Challenges", "Enablers"] * 3,
        *factors,  # Table 2's order
        *cases,  # Table 1's order
        *counts,  # the passages behind each evidenced cell: nine cells of one passage each
        "Motivations", "Structures", "Relationships",
        "strongest status", "stated", "derived", "interpretive",
    ]


def test_png_figure_is_at_print_resolution(tmp_path: Path, cli: Callable[..., Any]) -> None:
    from PIL import Image

    out = tmp_path / "matrix.png"
    assert cli("figure", "case-factor-matrix", "-o", str(out)).exit_code == 0
    with Image.open(out) as image:
        assert [round(v) for v in image.info["dpi"]] == [300, 300]
        assert image.width > 1500


def test_figure_refuses_other_file_types(tmp_path: Path, cli: Callable[..., Any]) -> None:
    out = tmp_path / "x.gif"
    result = cli("figure", "case-factor-matrix", "-o", str(out))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"collabkg: error: {out}: give a file name ending in .svg or .png\n"
    assert not out.exists()


def test_case_pages_name_the_collaborations_the_report_describes(site: Path) -> None:
    import html as html_module

    def names(slug: str) -> list[str]:
        text = (site / "cases" / f"{slug}.html").read_text(encoding="utf-8")
        line = re.search(r"<p>Collaborations?: (.*)</p>", text)
        assert line is not None, slug
        return [html_module.unescape(n) for n in re.findall(r'<span title="[^"]+">([^<]+)</span>', line.group(1))]

    # Northumbria's case tells two collaborations (the PPE factory, the discharge pathway), Kent's two.
    assert names("case-northumbria") == [
        "Northumbria: a PPE factory with a local textiles company and a network of businesses",
        "Northumbria: a new discharge pathway with local authorities and Clinical Commissioning Groups",
    ]
    assert names("case-kent-fire-rescue") == [
        "Kent Fire & Rescue Service and Age UK delivering meals",
        "Kent Fire & Rescue Service supporting the local ambulance service",
    ]
    assert names("case-nightingale-courts") == ["Establishing Nightingale Courts"]


def test_home_page_counts_the_statements_by_status(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    table = text.split("<caption>Statements by status</caption>", 1)[1].split("</table>", 1)[0]
    shown = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>',
        table,
    )
    assert shown == [
        # (stated, derived, interpretive). The report names no factor an example shows: 9 readings.
        ("case-factor links", "0", "0", "9"),
        # It defines the dimensions but places no case on them: 14 readings.
        ("placements at a pole of a dimension", "0", "0", "14"),
        # Table 1: five counts and the total of 37 stated, the blank cell worked out from them.
        ("participant counts", "6", "1", "0"),
        # 15,500 gowns, six weeks, 18-24 months and 18 months stated; the speed-up worked out.
        ("quantitative facts", "4", "1", "0"),
        # It pairs no challenge with an enabler: each of the 11 links is a reading of its words.
        ("enablers that answer a challenge", "0", "0", "11"),
    ]
