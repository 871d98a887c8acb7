"""Writing files so that no reader ever sees one half-written.

Every verb that writes a file (build, export, reason, docs) checks its
output path before its work (:func:`check_output`) and writes through
:func:`atomic_write`: the bytes go to a temporary file in the same folder,
which is synced and then renamed over the target. On any failure the
temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from collabkg import CollabkgError, PathLike


def check_output(path: PathLike, *, folder: bool = False) -> Path:
    """``path`` if a file (or with ``folder``, a folder of files) can be written there, else a CollabkgError.

    Every verb that writes calls this before its work, so that a wrong
    output path is said at once and in words: a folder where a file is
    wanted, a file where a folder is wanted (on the path too), a folder that
    cannot be written in. Missing folders are fine: they are created.
    """
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise CollabkgError(f"{path}: cannot write: a file, not a folder; give a folder")
    elif path.is_dir():
        raise CollabkgError(f"{path}: cannot write: a folder, not a file; give a file name, such as {path / 'NAME'}")
    ancestor = path if folder and path.is_dir() else path.parent
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if os.path.lexists(ancestor) and not ancestor.is_dir():
        raise CollabkgError(f"{path}: cannot write: {ancestor} is a file, not a folder")
    if ancestor.is_dir() and not os.access(ancestor, os.W_OK | os.X_OK):
        raise CollabkgError(f"{path}: cannot write: no permission to write in {ancestor}")
    return path


def atomic_write(path: Path, content: bytes | Iterable[bytes]) -> None:
    """Write ``content`` (bytes, or chunks of bytes) to ``path``, never seen half-written.

    The bytes go to a temporary file in the same folder, which is synced to
    disk and then renamed over ``path``. On any failure the temporary file is
    removed and ``path`` is left as it was.
    """
    check_output(path)
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
