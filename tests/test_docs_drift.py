"""The documentation does not drift from the code and data it describes.

Every block between ``<!-- begin: collabkg ARGS -->`` and ``<!-- end: ... -->``
in README.md and docs/*.md must be what ``collabkg ARGS`` prints now
(``python docs/generate.py`` rewrites them); every relative link must point
to a file or folder that exists, and every ``#anchor`` to a heading.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path

import pytest
from conftest import REPO, script_module


def _generator() -> types.ModuleType:
    """docs/generate.py as a module (docs/ is not a package)."""
    return script_module("docs/generate.py")


generate = _generator()
DOCS = generate.doc_files(REPO)
BLOCKS = [block for path in DOCS for block in generate.blocks(path.read_text(encoding="utf-8"), path)]
CATALOGUE = "queries --format md"


def _commands() -> list[str]:
    """The commands ``collabkg --help`` lists."""
    return re.findall(r"^ {4}([a-z][\w-]*) {2,}\S", generate.run("--help"), flags=re.MULTILINE)


@pytest.mark.parametrize("block", BLOCKS, ids=str)
def test_every_generated_block_is_the_commands_output_now(block) -> None:
    assert block.body == generate.render(block.args), f"{block} is stale: run python docs/generate.py"


def test_the_catalogue_and_every_commands_help_are_generated() -> None:
    generated = {(block.path.name, block.args) for block in BLOCKS}
    assert ("querying.md", CATALOGUE) in generated
    commands = _commands()
    assert "query" in commands
    for args in ["--help", *(f"{command} --help" for command in commands)]:
        assert ("cli.md", args) in generated


def test_the_readme_links_every_command_to_its_reference() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in _commands():
        assert f"[`collabkg {command}`](docs/cli.md#collabkg-{command})" in readme


def test_the_check_finds_a_changed_query_summary() -> None:
    path = REPO / "docs" / "querying.md"
    text = path.read_text(encoding="utf-8")
    [block] = [block for block in generate.blocks(text, path) if block.args == CATALOGUE]
    row = next(line for line in block.body.splitlines() if line.startswith("| `enablers-by-case` |"))
    summary = row.split(" | ")[1]
    changed_row = row.replace(summary, summary + " (and more)")
    changed = text[: block.start] + block.body.replace(row, changed_row) + text[block.end :]
    assert changed != text

    assert [stale.args for stale in generate.stale(changed, path)] == [CATALOGUE]
    assert generate.regenerate(changed, path) == generate.regenerate(text, path)


def test_check_mode_lists_the_stale_blocks_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# Page\n\n<!-- begin: collabkg {CATALOGUE} -->\nold\n<!-- end: collabkg {CATALOGUE} -->\n")
    assert generate.main(["--check", str(page)]) == 1
    assert capsys.readouterr().out == f"stale: {page}:3: collabkg {CATALOGUE}\n"

    assert generate.main([str(page)]) == 0
    assert generate.main(["--check", str(page)]) == 0
    assert generate.render(CATALOGUE) in page.read_text(encoding="utf-8")


def test_a_begin_marker_without_its_end_is_an_error() -> None:
    text = "<!-- begin: collabkg --help -->\n\n<!-- end: collabkg stats --help -->\n"
    with pytest.raises(generate.MarkerError, match=r"^page.md:1: 'collabkg --help' has no matching end marker"):
        generate.blocks(text, Path("page.md"))


# Links -------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", flags=re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+).+?\1", flags=re.DOTALL)
_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", flags=re.MULTILINE)


def _prose(text: str) -> str:
    """The text outside fenced code blocks."""
    return _FENCE.sub("", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text, lowercase, without punctuation but hyphens, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link counts by its text
    text = re.sub(r"[^\w\- ]", "", text.lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings; a repeated heading gets -1, -2, ... as on GitHub."""
    found: set[str] = set()
    for heading in _HEADING.findall(_prose(path.read_text(encoding="utf-8"))):
        base = anchor = slug(heading)
        n = 0
        while anchor in found:
            n += 1
            anchor = f"{base}-{n}"
        found.add(anchor)
    return found


def links(path: Path) -> list[str]:
    """The link targets of a Markdown file, outside code."""
    return _LINK.findall(_CODE_SPAN.sub("", _prose(path.read_text(encoding="utf-8"))))


def test_slugs_follow_githubs_rules() -> None:
    assert slug("Load into a triplestore") == "load-into-a-triplestore"
    assert slug("Validation, reasoning, quality checks and documentation") == (
        "validation-reasoning-quality-checks-and-documentation"
    )
    assert slug("collabkg `query` (SPARQL 1.1)") == "collabkg-query-sparql-11"
    assert slug("Stores: query engines, export, load, serve") == "stores-query-engines-export-load-serve"


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_relative_link_points_to_a_file_or_heading_that_exists(path: Path) -> None:
    broken = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, ...
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.exists():
            broken.append(f"{target}: no such file or folder")
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(REPO).as_posix()}")
    assert not broken, "\n".join(broken)


def test_the_docs_link_to_each_other() -> None:
    """The README leads to every page of docs/, and the link check sees links of every kind."""
    readme_links = links(REPO / "README.md")
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"docs/{page.name}" in readme_links
    assert "#asking-questions" in readme_links
    assert "../README.md#exit-codes" in links(REPO / "docs" / "querying.md")
