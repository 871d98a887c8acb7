"""Loggers that import :mod:`logging` only when a record could be shown.

Importing :mod:`logging` costs about as much as importing pyoxigraph, and a
canned query from the shell logs nothing. So each module takes its logger
from :func:`get`: a stand-in for ``logging.getLogger(name)`` that drops a
debug or info record while :mod:`logging` was never imported (nothing could
have been configured to show it: the default level is WARNING) and otherwise
hands the record to the real logger. Applications that configure logging
have imported it, and see every record as usual.

The ``collabkg`` command calls :func:`configure`: ``--debug`` sets up logging
at once; otherwise the format is set up when the first warning arrives.
"""

from __future__ import annotations

import sys

DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40
FORMAT = "collabkg: %(where)s: %(level)s: %(message)s"
"""As the commands' own warnings: ``where`` is the module without ``collabkg.``, ``level`` in lower case."""

_pending_level: int | None = None
"""The level :func:`configure` asked for, until logging is set up."""


def configure(debug: bool = False) -> None:
    """Log to standard error as ``collabkg: MODULE: level: message``; DEBUG and up with ``debug``."""
    global _pending_level
    _pending_level = DEBUG if debug else WARNING
    if debug:
        _setup()


def _setup() -> None:
    global _pending_level
    if _pending_level is None:
        return
    import logging

    class Formatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            record.where = record.name.removeprefix("collabkg.")
            record.level = record.levelname.lower()
            return super().format(record)

    handler = logging.StreamHandler()
    handler.setFormatter(Formatter(FORMAT))
    logging.basicConfig(level=_pending_level, handlers=[handler])
    _pending_level = None


class Logger:
    """What the modules log through: the methods of :class:`logging.Logger` they use."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def log(self, level: int, msg: object, *args: object, **kwargs: object) -> None:
        if level < WARNING and "logging" not in sys.modules:
            return
        _setup()
        import logging

        kwargs.setdefault("stacklevel", 3)
        logging.getLogger(self.name).log(level, msg, *args, **kwargs)  # type: ignore[arg-type]

    def debug(self, msg: object, *args: object, **kwargs: object) -> None:
        self.log(DEBUG, msg, *args, **kwargs)

    def info(self, msg: object, *args: object, **kwargs: object) -> None:
        self.log(INFO, msg, *args, **kwargs)

    def warning(self, msg: object, *args: object, **kwargs: object) -> None:
        self.log(WARNING, msg, *args, **kwargs)

    def error(self, msg: object, *args: object, **kwargs: object) -> None:
        self.log(ERROR, msg, *args, **kwargs)


def get(name: str) -> Logger:
    """The logger of module ``name`` (pass ``__name__``)."""
    return Logger(name)


__all__ = ["Logger", "configure", "get"]
