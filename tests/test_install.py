"""Installation: a fresh virtual environment outside the repository gets a working ``collabkg``.

Also checks that the README's quick start is the two commands it promises and
that ``.ci/run`` runs exactly its test command.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import venv
from pathlib import Path

import pytest
from conftest import REPO


def _quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_quick_start_is_two_commands() -> None:
    commands = _quick_start_commands()
    assert commands == ["pip install . && collabkg query enablers-by-case", "pip install '.[test]' && pytest"]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert "set -euo pipefail" in lines
    assert lines[-1] == _quick_start_commands()[1]


@pytest.mark.slow
def test_pip_install_in_a_fresh_venv_gives_a_working_collabkg(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])

    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(REPO)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stats = subprocess.run(
        [str(bin_dir / "collabkg"), "stats", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert counts["case_studies"] == 6
    assert counts["participants"] == 37
    assert counts["factors"] == 29

    version = subprocess.run(
        [str(bin_dir / "collabkg"), "--version"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert version.stdout == "collabkg 0.1.0\n"

    # the bundled files come from the installed package, not from this checkout
    where = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "from collabkg import bundle as r; "
            "print(r.ontology_path()); print(r.shapes_path()); print(r.data_dir()); print(r.queries_dir())",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, where.stderr
    assert len(where.stdout.splitlines()) == 4
    for line in where.stdout.splitlines():
        path = Path(line)
        assert path.is_relative_to(env_dir), line
        assert "_bundled" in path.parts
