"""Writing files so that no reader ever sees one half-written.

Every verb that writes a file (build, export, reason, docs) goes through
:func:`atomic_write`: the bytes go to a temporary file in the same folder,
which is synced and then renamed over the target. On any failure the
temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from collabkg import CollabkgError


def atomic_write(path: Path, content: bytes | Iterable[bytes]) -> None:
    """Write ``content`` (bytes, or chunks of bytes) to ``path``, never seen half-written.

    The bytes go to a temporary file in the same folder, which is synced to
    disk and then renamed over ``path``. On any failure the temporary file is
    removed and ``path`` is left as it was.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise CollabkgError(f"{path}: cannot write: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "wb") as stream:
            if isinstance(content, bytes):
                stream.write(content)
            else:
                for chunk in content:
                    stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise CollabkgError(f"{path}: cannot write: {error.strerror or error}") from error
        raise
    _fsync_folder(folder)


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
