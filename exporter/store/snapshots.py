"""Consistent read views of a store that is being written: its snapshots.

Oxigraph lets one process write a store, and opening it read-only while another process writes
it is undefined behaviour. So readers do not open the live store. When a writer finishes, it
publishes a snapshot — a RocksDB checkpoint: hard links to the immutable table files, cheap and
consistent — as ``DIR/snapshots/NNNNNN/``, then points ``DIR/snapshots/CURRENT`` at it by replacing
that file atomically. No writer ever touches a snapshot, so opening one read-only is well defined,
and a reader sees the store as one load left it, never half of the next.

A reader holds a shared ``flock`` on ``NNNNNN.lock`` for as long as it uses snapshot NNNNNN, and a
snapshot is removed only by whoever can take that lock exclusively: when nobody uses it. The
kernel drops a lock with the process that held it, so a killed server leaves nothing pinned.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

FOLDER = "snapshots"
POINTER = "CURRENT"
_ATTEMPTS = 100  # a reader retries when the snapshot it was pointed at went before it could lock it


@dataclass
class Lease:
    """Snapshot ``path`` in use for as long as this lease lives (its lock goes when it is closed or collected)."""

    path: Path
    lock: BinaryIO = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def close(self) -> None:
        self.lock.close()


def current(store: Path) -> str | None:
    """The name of the snapshot readers should use, ``None`` when no writer published one yet."""
    try:
        return (store / FOLDER / POINTER).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def lease(store: Path) -> Lease | None:
    """The current snapshot, locked for reading; ``None`` for a store without snapshots (made before them)."""
    folder = store / FOLDER
    for _ in range(_ATTEMPTS):
        name = current(store)
        if name is None:
            return None
        try:
            lock = open(folder / f"{name}.lock", "rb")  # noqa: SIM115 - held for the lease's life
        except FileNotFoundError:  # removed since it was read: a newer one is current
            continue
        fcntl.flock(lock, fcntl.LOCK_SH)
        if (folder / name / "CURRENT").is_file():
            return Lease(folder / name, lock)
        lock.close()
    raise OSError(f"{folder}: the current snapshot kept disappearing before it could be opened")


def publish(oxigraph: ox.Store, store: Path) -> str:
    """Checkpoint the store as a new snapshot, make it the current one, and remove those nobody uses."""
    folder = store / FOLDER
    folder.mkdir(exist_ok=True)
    taken = [int(entry.split(".")[0]) for entry in os.listdir(folder) if entry.split(".")[0].isdigit()]
    name = f"{max(taken, default=0) + 1:06d}"
    with open(folder / f"{name}.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # until it is current, so that no reader's clean-up takes it
        oxigraph.backup(str(folder / name))
        pointer = folder / f"{POINTER}.{os.getpid()}"
        with open(pointer, "w", encoding="ascii") as text:
            text.write(name + "\n")
            text.flush()
            os.fsync(text.fileno())
        os.replace(pointer, folder / POINTER)
        _sync_folder(folder)
    prune(store, newer_too=True)
    return name


def prune(store: Path, newer_too: bool = False) -> list[str]:
    """Remove the snapshots nobody holds a lease on, except the current one; the names removed.

    A reader removes only older ones (``newer_too=False``): a newer one may be a writer's, being made.
    The writer, alone to write, also removes what a killed writer left half made.
    """
    folder = store / FOLDER
    keep = current(store)
    if keep is None or not folder.is_dir():
        return []
    removed = []
    for entry in sorted(os.listdir(folder)):
        name = entry.split(".")[0]
        if not name.isdigit() or name == keep or (not newer_too and int(name) > int(keep)) or name in removed:
            continue
        with open(folder / f"{name}.lock", "ab") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # in use
                continue
            shutil.rmtree(folder / name, ignore_errors=True)
            os.unlink(folder / f"{name}.lock")
        removed.append(name)
    return removed


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: fsync the folder that holds it."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
