"""collabkg: a research report on collaboration as a validated RDF knowledge graph.

Importing the package does nothing but define names; each verb lives in its
own module (``collabkg.build``, ``collabkg.validate``, ``collabkg.stats``) and
imports its libraries when called.
"""

from __future__ import annotations

import os

__all__ = ["CollabkgError", "PathLike", "__version__"]

PathLike = str | os.PathLike[str]
"""A file or folder, as the verbs take them."""


class CollabkgError(Exception):
    """A mistake the user can fix: bad input, a missing file, an unknown option.

    The CLI prints ``str(error)`` on one line and exits with code 2, without a
    traceback unless ``--debug`` is given.
    """


def __getattr__(name: str) -> object:
    # collabkg.query(name, **params), the Python API, is the (callable) module
    # collabkg.query, imported on first use.
    if name == "query":
        import importlib

        return importlib.import_module("collabkg.query")
    # __version__ is read from the installed distribution's metadata on first
    # use, so that the version is written only in pyproject.toml.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("collabkg")
        except PackageNotFoundError:  # a source checkout that was never installed
            return _checkout_version()
    raise AttributeError(f"module 'collabkg' has no attribute {name!r}")


def _checkout_version() -> str:
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        with pyproject.open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0+unknown"
