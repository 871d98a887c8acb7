"""Cold-start cost of a canned query from the shell, against importing pyoxigraph.

Runs ``collabkg query enablers-by-case`` as a new process several times (each
one cold: a new interpreter that imports collabkg, loads the bundled graph
and answers), and as many times ``python -c "import pyoxigraph"``, the floor
that any embedded-Oxigraph tool pays. Prints the medians and their ratio::

    python benchmarks/cold_query.py [--runs 11] [--json]

The target (see the performance issue) is a ratio of at most 4. The
``collabkg`` command beside this Python is used if installed, else
``python -m collabkg`` from the source tree. :func:`measure` gives the same
figures to the benchmark suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERY = ["query", "enablers-by-case", "--format", "csv"]
TARGET_RATIO = 4.0


def collabkg_command() -> tuple[list[str], dict[str, str]]:
    """The command that runs collabkg, and its environment.

    Byte-code caching is left on, as it is for an installed package: a run
    from the source tree would otherwise compile every module every time.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    script = Path(sys.executable).with_name("collabkg")
    if script.is_file():
        return [str(script)], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return [sys.executable, "-m", "collabkg"], env


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def measure(runs: int = 11) -> dict[str, object]:
    """Median wall-clock seconds of the cold query and of the import floor, and their ratio."""
    collabkg, env = collabkg_command()
    floor_command = [sys.executable, "-c", "import pyoxigraph"]
    query_command = collabkg + QUERY
    _time(floor_command, env)  # warm the file-system cache for both, once
    _time(query_command, env)
    floor, query = [], []
    for _ in range(runs):  # interleaved, so that machine noise hits both alike
        floor.append(_time(floor_command, env))
        query.append(_time(query_command, env))
    floor_median, query_median = statistics.median(floor), statistics.median(query)
    return {
        "runs": runs,
        "command": " ".join(["collabkg"] + QUERY),
        "import_pyoxigraph_s": round(floor_median, 4),
        "cold_query_s": round(query_median, 4),
        "ratio": round(query_median / floor_median, 2),
        "target_ratio": TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (median taken)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure(args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"median of {figures['runs']} cold runs each")
    print(f"  python -c 'import pyoxigraph'   {figures['import_pyoxigraph_s'] * 1000:8.1f} ms")
    print(f"  {figures['command']:<31} {figures['cold_query_s'] * 1000:8.1f} ms")
    verdict = "met" if figures["ratio"] <= TARGET_RATIO else "NOT met"
    print(f"  ratio {figures['ratio']:.2f}x (target at most {TARGET_RATIO:g}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
