"""What an interrupted run leaves behind: worker processes that die with their parent, and the
temporary files of a run killed outright removed by the next run.

``kill -9`` gives a process no chance to clean up: its pool workers would run on for
minutes and its ``.partial`` file and spool folder stay. So a worker asks the kernel
to kill it when its parent dies (``PR_SET_PDEATHSIG``, or a watchdog thread where that
does not exist), and each temporary name carries the pid of the run that made it, so a
later run can tell a leftover (its maker is gone) from the file of a run still going.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Stop this process when ``parent`` (the pid that started it) is gone; a pool's worker initializer."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            _watch(parent)
    else:
        _watch(parent)
    if os.getppid() != parent:  # the parent died before the wish was made
        os._exit(1)


def _watch(parent: int) -> None:
    def watchdog() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watchdog, name="lifeline", daemon=True).start()


def tagged(prefix: str) -> str:
    """``prefix`` with this run's pid, for a temporary name :func:`remove_leftovers` can judge."""
    return f"{prefix}{os.getpid()}-"


def remove_leftovers(folder: Path, prefix: str, suffix: str = "") -> list[Path]:
    """Remove what runs that no longer exist left in ``folder`` under ``prefix<pid>-…suffix``; what was removed."""
    removed = []
    try:
        candidates = list(folder.glob(f"{prefix}*{suffix}"))
    except OSError:
        return removed
    for path in candidates:
        pid = path.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
