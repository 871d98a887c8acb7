"""``collabkg import`` at scale: anchoring and validation of 1,000 and 10,000 evidence rows.

Generates a source text of about 1 MB (numbered paragraphs of varied
sentences), and a workbook (xlsx) of one source, 20 case studies with a
collaboration and two organisations each, and N evidence rows, each a
passage of the source (some pasted with plain quotes and dashes, so found
only once normalised), half of them coded as examples with a theme,
polarity, factor, status and basis. Imports it in this process and prints
the time and the peak memory (resident set)::

    python benchmarks/import_bench.py [--rows 1000 10000] [--format xlsx|csv]

The target is 10,000 rows in under 30 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30.0
TARGET_MB = 1024
FACTORS = ["Clear, shared purpose", "Building new relationships", "Dedicated, flexible funding"]
WORDS = ("partners council charity trust funding data staff leaders services residents volunteers "
         "meetings priorities outcomes pandemic response teams shared purpose decisions budgets").split()


def source_text(size: int = 1_000_000, seed: int = 1) -> list[str]:
    """The passages of a text of about ``size`` characters, each unique (numbered), with curly quotes and dashes.

    Joined three to a paragraph, they make the source.
    """
    rng = random.Random(seed)
    passages, total, number = [], 0, 0
    while total < size:
        number += 1
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8)))
        passage = f"Point {number}: the \u2018{words}\u2019 \u2013 case {number % 20}."
        passages.append(passage)
        total += len(passage) + 1
    return passages


def _text(passages: list[str]) -> str:
    return "\n\n".join(" ".join(passages[i:i + 3]) for i in range(0, len(passages), 3))


def workbook_rows(paragraphs: list[str], rows: int) -> dict[str, list[dict[str, str]]]:
    cases = [f"case-{n}" for n in range(20)]
    book: dict[str, list[dict[str, str]]] = {
        "sources": [{"id": "bench", "title": "Benchmark report", "commissioned by": "funder", "researched by": "funder",
                     "date": "2024", "text": "bench.md"}],
        "cases": [{"id": c, "source": "bench", "label": f"Case {c}", "participants": "3", "status": "stated",
                   "basis": "Table 1.", "derived from": "p0"} for c in cases],
        "collaborations": [{"id": c, "case": c, "label": f"Collaboration {c}", "purposes": "to test",
                            "derived from": "p0"} for c in cases],
        "organisations": [{"id": "funder", "source": "bench", "label": "Funder", "kind": "organisation",
                           "sector": "public sector", "derived from": "p0"}]
        + [{"id": f"{c}-org", "source": "bench", "label": f"Organisation of {c}", "kind": "organisation",
            "sector": "charity and voluntary sector", "derived from": "p0"} for c in cases],
        "memberships": [{"id": f"{c}-m", "collaboration": c, "organisation": f"{c}-org", "role": "lead",
                         "derived from": "p0"} for c in cases],
        "evidence": [],
    }
    for n in range(rows):
        paragraph = paragraphs[n % len(paragraphs)]
        passage = paragraph.replace("\u2018", "'").replace("\u2019", "'").replace("\u2013", "-") if n % 3 else paragraph
        row = {"id": f"p{n}", "case": cases[n % 20], "label": f"Passage {n}", "passage": passage,
               "occurrence": "" if n < len(paragraphs) else ""}
        if n % 2:
            row |= {"example": f"e{n}", "example label": f"Example {n}", "theme": "Motivations",
                    "polarity": "enabler", "factors": FACTORS[0], "status": "interpretive", "basis": "Coded."}
        book["evidence"].append(row)
    return book


def run(rows: int, fmt: str) -> tuple[float, float]:
    from collabkg.ingest import import_workbook
    from collabkg.workbook import csv_files, write_xlsx

    paragraphs = source_text()
    if rows > len(paragraphs):
        raise SystemExit(f"the source has {len(paragraphs)} paragraphs; ask for at most that many rows")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bench.md").write_text(_text(paragraphs), encoding="utf-8")
        book = workbook_rows(paragraphs, rows)
        if fmt == "xlsx":
            path = folder / "bench.xlsx"
            path.write_bytes(write_xlsx(book, {}))
        else:
            path = folder / "bench"
            path.mkdir()
            for name, content in csv_files(book, {}):
                (path / name).write_bytes(content)
            (path / "bench.md").write_text(_text(paragraphs), encoding="utf-8")
        start = time.perf_counter()
        result = import_workbook(path, folder / "out")
        seconds = time.perf_counter() - start
        if result.problems:
            raise SystemExit("\n".join(result.messages()[:10]))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, peak_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args(argv)
    size = len(_text(source_text()))
    print(f"source text: {size / 1e6:.2f} MB; workbook: {args.format}")
    for rows in args.rows:
        seconds, peak = run(rows, args.format)
        print(f"{rows:>6} evidence rows: {seconds:6.1f} s, peak memory {peak:6.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
