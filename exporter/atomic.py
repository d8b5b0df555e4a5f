"""Atomic output: a file appears whole under its name, or not at all.

The data goes to a temporary file beside the target, which is renamed over it only
once everything was written; an interrupted run leaves no half file that looks whole.
A target that exists and is not a regular file (``/dev/null``, a named pipe) is written
to directly: renaming over it would replace the device or pipe with a file. The
temporary name carries the writer's pid: what a run killed outright left beside the
target is removed by the next write to it (:mod:`.lifeline`).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, BinaryIO, TextIO

from .lifeline import remove_leftovers, tagged


def atomic_text(path: Path, encoding: str = "utf-8") -> AbstractContextManager[TextIO]:
    return _atomic(path, "w", encoding=encoding, newline="\n")


def atomic_bytes(path: Path) -> AbstractContextManager[BinaryIO]:
    return _atomic(path, "wb")


@contextmanager
def _atomic(path: Path, mode: str, **options: str) -> Iterator[IO]:  # type: ignore[type-arg]
    if _special(path):
        with open(path, mode, **options) as stream:
            yield stream
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path.parent, f".{path.name}.", ".partial")
    descriptor, temporary = tempfile.mkstemp(prefix=tagged(f".{path.name}."), suffix=".partial", dir=path.parent)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; the output should not be
    try:
        with os.fdopen(descriptor, mode, **options) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:  # not there yet: made atomically
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
