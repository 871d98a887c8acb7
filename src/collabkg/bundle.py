"""Where the bundled ontology, data and queries are.

An installed collabkg carries them inside the package, in
``collabkg/_bundled/{ontology,data,queries}``. Run from a source checkout
(``src/`` on the path, or an editable install), they are the repository's own
``ontology/``, ``data/`` and ``queries/`` folders. The current directory is
never consulted.
"""

from __future__ import annotations

from pathlib import Path

from collabkg import CollabkgError

BUNDLED = ("ontology", "data", "queries")

class ResourceError(CollabkgError):
    """A bundled file or folder is missing: the installation is broken."""


def _bundled_root() -> Path | None:
    # The wheel installs the package as plain files, so the bundled folder
    # stands beside this module (importlib.resources would cost a tenth of
    # a cold query's time to import for the same answer).
    root = Path(__file__).with_name("_bundled")
    return root if root.is_dir() else None


def _checkout_root() -> Path | None:
    # src/collabkg/bundle.py -> the repository root
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "ontology").is_dir():
        return root
    return None


def bundled_dir(name: str) -> Path:
    """The folder of bundled ``name`` (one of ``ontology``, ``data``, ``queries``)."""
    if name not in BUNDLED:
        raise ValueError(f"unknown bundled folder {name!r}; expected one of {BUNDLED}")
    for root in (_bundled_root(), _checkout_root()):
        if root is not None and (root / name).is_dir():
            return root / name
    raise ResourceError(
        f"bundled {name}/ folder not found in the collabkg package; reinstall collabkg"
    )


def _bundled_file(folder: str, name: str) -> Path:
    path = bundled_dir(folder) / name
    if not path.is_file():
        raise ResourceError(f"bundled file {folder}/{name} not found; reinstall collabkg")
    return path


def ontology_path() -> Path:
    """The OWL ontology, ``ontology/collabkg.ttl``."""
    return _bundled_file("ontology", "collabkg.ttl")


def shapes_path() -> Path:
    """The SHACL shapes, ``ontology/shapes.ttl``."""
    return _bundled_file("ontology", "shapes.ttl")


def data_dir() -> Path:
    """The folder of the report's data, ``data/``."""
    return bundled_dir("data")


def queries_dir() -> Path:
    """The folder of canned queries, ``queries/``."""
    return bundled_dir("queries")


def html_templates():  # -> jinja2.Environment
    """The Jinja environment of the bundled page templates (``collabkg/templates``), for ``docs`` and ``report``.

    HTML is escaped, a missing value is an error, and block tags leave no blank lines.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("collabkg", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
