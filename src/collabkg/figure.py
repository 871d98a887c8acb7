"""Figures for papers: the case-by-factor heatmap and the dimensions by case, as SVG or PNG.

Each figure is drawn with matplotlib (the Agg backend, imported by this verb
alone) from the canned query of the same name, run with
:func:`collabkg.query.run`, so ``--data`` and ``--store`` apply. The output
is deterministic: SVG keeps its text as text (``svg.fonttype`` ``none``),
has a fixed ``svg.hashsalt`` for its ids and no date, so the same graph gives
byte-identical files; PNG is written at :data:`DPI` dots per inch, for print,
without the software's version in its metadata.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabkg import CollabkgError, PathLike
from collabkg.files import atomic_write
from collabkg.outcome import Outcome

if TYPE_CHECKING:
    from collabkg.stores import RemoteOptions, Store

FIGURES = ("case-factor-matrix", "dimensions-by-case")
"""The figures, each named after the canned query it draws."""
FORMATS = ("svg", "png")
DPI = 300
"""The resolution of PNG figures, for print."""
HASH_SALT = "collabkg"
"""matplotlib's ``svg.hashsalt``: the ids in an SVG come out the same from run to run."""
SHADES = ("#ffffff", "#deebf7", "#9ecae1", "#2b6ca8", "#08306b")
"""The heatmap's shades for 0, 1, 2, 3 and 4 or more passages, as on the site."""
MARKERS = {"stated": "o", "derived": "D", "interpretive": "$○$"}
"""The marker of each status: shapes that differ without colour."""


class FigureError(CollabkgError):
    """The figure cannot be drawn: an unknown figure or file type."""


@dataclass(frozen=True)
class FigureResult(Outcome):
    """The figure :func:`figure` wrote."""

    name: str
    output: Path
    rows: int
    columns: int
    notes: tuple[str, ...] = ()

    def render(self, fmt: str | None = None) -> str:
        self._format(fmt)
        return f"wrote {self.name} ({self.rows} case studies by {self.columns} columns) to {self.output}\n"

    def messages(self) -> list[str]:
        return list(self.notes)


def figure(
    name: str,
    output: PathLike,
    data: Sequence[PathLike] | None = None,
    *,
    store: Store | str | None = None,
    inferred: PathLike | None = None,
    remote: RemoteOptions | None = None,
) -> FigureResult:
    """``collabkg figure NAME -o FILE``: draw the figure ``name`` into ``output`` (.svg or .png)."""
    from collabkg.report import open_engine

    if name not in FIGURES:
        raise FigureError(f"unknown figure {name!r}; the figures: {', '.join(FIGURES)}")
    path = Path(output)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise FigureError(f"{path}: give a file name ending in .svg or .png")
    engine = open_engine(store, data, inferred, remote)
    draw = _case_factor_matrix if name == "case-factor-matrix" else _dimensions_by_case
    fig, rows, columns = draw(engine)
    atomic_write(path, _save(fig, fmt))
    return FigureResult(name, path, rows, columns, tuple(engine.notes()))


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": HASH_SALT,
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 7,
            "path.simplify": True,
        }
    )
    return plt


def _save(fig: Any, fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "collabkg"}, bbox_inches="tight")
    else:
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _height(rows: int) -> float:
    return min(2.2 + 0.22 * rows, 60.0)


def _case_factor_matrix(engine: Store) -> tuple[Any, int, int]:
    """Case studies by factors, shaded by passages, marked by the strongest status."""
    from collabkg.report import answers, read_site

    site = read_site(answers(engine))
    plt = _pyplot()
    from matplotlib.colors import BoundaryNorm, ListedColormap

    cases, factors = site.cases, site.factors
    counts = [[min(cell.count, 4) for cell in case.cells] for case in cases]
    width = max(6.5, 2.8 + 0.24 * len(factors))
    fig, ax = plt.subplots(figsize=(width, _height(len(cases)) + 2.6))
    cmap = ListedColormap(list(SHADES))
    ax.imshow(counts or [[0] * len(factors)], cmap=cmap, norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5], 5),
              aspect="auto", interpolation="nearest")
    for y, case in enumerate(cases):
        for x, cell in enumerate(case.cells):
            if cell.count:
                colour = "white" if cell.count >= 3 else "#0b2a4a"
                ax.text(x, y, str(cell.count), ha="center", va="center", fontsize=6, color=colour)
                if cell.status:
                    ax.plot(x + 0.32, y - 0.3, marker=MARKERS.get(cell.status, "o"), markersize=2.5,
                            color=colour, linestyle="none")
    ax.set_xticks(range(len(factors)), [f.label for f in factors], rotation=90, fontsize=6)
    ax.set_yticks(range(len(cases)), [c.label for c in cases], fontsize=6)
    ax.set_xticks([x - 0.5 for x in range(1, len(factors))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(cases))], minor=True)
    ax.grid(which="minor", color="#d9dee2", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    start = 0
    for group in site.polarities:  # a rule between the report's headings, and their names on top
        if start:
            ax.axvline(start - 0.5, color="#1d2327", linewidth=0.8)
        start += group.span
    top = ax.secondary_xaxis("top")
    centres, labels, start = [], [], 0
    for group in site.polarities:
        centres.append(start + (group.span - 1) / 2)
        labels.append(group.label)
        start += group.span
    top.set_xticks(centres, labels, fontsize=6)
    top.tick_params(length=0)
    theme_centres, theme_labels, start = [], [], 0
    for group in site.themes:
        theme_centres.append(start + (group.span - 1) / 2)
        theme_labels.append(group.label)
        start += group.span
    for centre, label in zip(theme_centres, theme_labels, strict=True):
        ax.text(centre, 1.0, label, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=7, fontweight="bold")
    top.tick_params(pad=12)
    handles = [
        plt.Line2D([], [], marker=MARKERS[s], color="#1d2327", linestyle="none", markersize=4, label=s)
        for s in MARKERS
    ]
    ax.legend(handles=handles, title="strongest status", loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=6, title_fontsize=6, frameon=False)
    fig.tight_layout()
    return fig, len(cases), len(factors)


def _dimensions_by_case(engine: Store) -> tuple[Any, int, int]:
    """Case studies by the poles of the dimensions, each placement marked by its status."""
    from collabkg.report import answers, read_site

    site = read_site(answers(engine))
    plt = _pyplot()
    cases, poles = site.cases, site.poles
    width = max(4.5, 3.2 + 0.55 * len(poles))
    fig, ax = plt.subplots(figsize=(width, _height(len(cases)) + 1.6))
    column = {pole.iri: x for x, pole in enumerate(poles)}
    for y, case in enumerate(cases):
        for placement in case.placements:
            ax.plot(column[placement.pole], y, marker=MARKERS.get(placement.status, "o"), markersize=5,
                    color="#1f5f8b", linestyle="none")
    ax.set_xlim(-0.5, len(poles) - 0.5)
    ax.set_ylim(len(cases) - 0.5, -0.5)
    ax.set_xticks(range(len(poles)), [f"{p.label}\n({p.dimension})" for p in poles], rotation=90, fontsize=6)
    ax.set_yticks(range(len(cases)), [c.label for c in cases], fontsize=6)
    ax.set_xticks([x - 0.5 for x in range(1, len(poles))], minor=True)
    ax.grid(which="minor", color="#d9dee2", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    handles = [
        plt.Line2D([], [], marker=MARKERS[s], color="#1f5f8b", linestyle="none", markersize=4, label=s)
        for s in MARKERS
    ]
    ax.legend(handles=handles, title="status", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6,
              title_fontsize=6, frameon=False)
    fig.tight_layout()
    return fig, len(cases), len(poles)
