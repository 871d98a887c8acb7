"""How long ``collabkg report`` takes on a generated corpus, and how big its largest page is.

::

    python benchmarks/report_bench.py --triples 100000

Generates the corpus (benchmarks/generate.py, seed 1) into a temporary
folder, builds the evidence browser from it in a fresh process, and prints
the wall time, the number of pages and the largest page. The targets: under
30 s on 2 cores for 100k triples, and no page over 2 MB (exit 1 if missed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIMIT_SECONDS = 30.0
LIMIT_BYTES = 2 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="Size of the corpus [default: 100000].")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the corpus [default: 1].")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="collabkg-report-bench-") as tmp:
        corpus = Path(tmp) / "corpus.nt"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--triples", str(args.triples), "--seed", str(args.seed),
             "-o", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        site = Path(tmp) / "site"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "collabkg", "--data", str(corpus), "report", "-o", str(site)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        files = [p for p in site.rglob("*") if p.is_file()]
        largest = max(files, key=lambda p: (p.stat().st_size, p.as_posix()))
        size = largest.stat().st_size
        print(f"corpus: {args.triples} triples (seed {args.seed})")
        print(f"report: {seconds:.2f} s, {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
        print(f"largest page: {largest.relative_to(site).as_posix()} ({size / 1024:.0f} KiB)")
        ok = seconds < LIMIT_SECONDS and size <= LIMIT_BYTES
        print("within the targets (< 30 s, no page over 2 MB)" if ok else "MISSES the targets (< 30 s, no page over 2 MB)")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
