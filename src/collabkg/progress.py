"""Progress of long work on standard error, through tqdm, on a terminal only.

Each step that can take more than a couple of seconds is a :func:`stage`
with a name ("parsing", "validating", "reasoning", "writing", "loading"):
a bar when its size is known (bytes parsed, triples sent), else a line
with the time spent. A stage shows only after :data:`DELAY` seconds, so
quick work prints nothing, and is erased when it ends.

Nothing is shown unless :func:`configure` enabled it: the ``collabkg``
command does when standard error is a terminal and the output is not
``--format json``; never on a pipe, and never for the Python API. A stage
whose size is known to be under :data:`QUICK_BYTES` (the bundled graph's
parsing, say) ends before it could show and is silent too. tqdm and the
thread that refreshes a bar are imported only for a stage that may show, so
that importing this module costs a query nothing.

>>> with stage("parsing", total=10) as bar:
...     bar.update(10)
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

DELAY = 1.5
"""Seconds a stage runs before it is shown."""
QUICK_BYTES = 5_000_000
"""A stage of fewer bytes than this (parsing runs at some tens of MB a second) ends before :data:`DELAY`."""

_enabled = False


def configure(enabled: bool) -> None:
    """Show stages from now on (``enabled``), or not."""
    global _enabled
    _enabled = enabled


def enabled() -> bool:
    """Whether stages are shown."""
    return _enabled


def wanted(fmt: str | None) -> bool:
    """Whether the command line should show progress: standard error is a terminal, the output not JSON."""
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
    return terminal and fmt != "json"


def tqdm_bar(name: str, total: int | None, unit: str = "B", unit_scale: bool = True, delay: float = 0.0) -> Any:
    """A tqdm bar on standard error, sized for the terminal (80x24 where it says 0x0)."""
    import shutil

    from tqdm import tqdm

    size = shutil.get_terminal_size()
    return tqdm(
        desc=name,
        total=total,
        unit=unit,
        unit_scale=unit_scale,
        file=sys.stderr,
        leave=False,
        delay=delay,
        ncols=size.columns,
        nrows=size.lines,
        bar_format=None if total else "{desc}: {elapsed}",
    )


class _Silent:
    """The bar of a stage that is not shown."""

    total: int | None = None

    def update(self, n: int = 1) -> None:
        pass


class _Bar(_Silent):
    """A tqdm bar that a thread refreshes (so that a stage without steps shows its time)."""

    def __init__(self, name: str, total: int | None, unit: str, unit_scale: bool) -> None:
        import threading

        self.bar: Any = tqdm_bar(name, total, unit, unit_scale, DELAY)
        self.total = total
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name=f"progress-{name}", daemon=True)
        self._thread.start()

    def _tick(self) -> None:
        import time

        if self._stop.wait(DELAY):
            return
        while not self._stop.wait(0.5):
            self.bar.refresh()
            # tqdm clears a bar at close only if it printed it itself (by update): say it did.
            self.bar.last_print_t = time.time()

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.bar.close()


@contextlib.contextmanager
def stage(name: str, total: int | None = None, unit: str = "B", unit_scale: bool = True) -> Iterator[_Silent]:
    """A stage of work named ``name``: a bar to ``update`` (of ``total`` ``unit``), shown if enabled."""
    if not _enabled or (unit == "B" and total is not None and total < QUICK_BYTES):
        yield _Silent()
        return
    bar = _Bar(name, total, unit, unit_scale)
    try:
        yield bar
    finally:
        bar.close()


__all__ = ["DELAY", "QUICK_BYTES", "configure", "enabled", "stage", "tqdm_bar", "wanted"]
