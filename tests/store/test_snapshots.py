"""Snapshots: a writer publishes one when it finishes, readers open it read-only, and one is removed only when
nobody uses it any more."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from exporter.demo import demo_folder
from exporter.store import TrialStore, open_current, snapshots

DATA = Path(__file__).resolve().parent.parent / "data" / "server"
TRIALS = "SELECT (COUNT(DISTINCT ?t) AS ?n) { ?t a <https://w3id.org/trialgraph/ontology#Trial> }"


def load(source: Path, store: Path) -> None:
    """``trialgraph load`` in a process of its own, as it runs beside a server."""
    code = subprocess.run([sys.executable, "-m", "exporter.cli", "load", str(source), "--store", str(store), "-q"],
                          capture_output=True, timeout=300).returncode
    assert code in (0, 1), "load failed"


def trials(store: TrialStore) -> int:
    return int(next(iter(store.query(TRIALS)))[0].value)


def held(store: Path) -> list[str]:
    return sorted(entry for entry in os.listdir(store / snapshots.FOLDER) if entry.isdigit())


def test_a_load_publishes_a_snapshot_and_readers_open_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load(DATA, store)
    first = snapshots.current(store)
    assert first is not None and held(store) == [first]
    opened = open_current(store)
    assert opened.path == store / snapshots.FOLDER / first and trials(opened) == 1
    load(demo_folder(), store)  # while a reader has the snapshot open: no lock on it
    second = snapshots.current(store)
    assert second is not None and int(second) > int(first)
    assert held(store) == [first, second], "a snapshot in use stays"
    assert trials(opened) == 1, "a reader keeps seeing what it opened"
    assert trials(open_current(store)) > 1
    del opened
    assert snapshots.prune(store) == [first]
    assert held(store) == [second]


def test_a_writer_removes_the_snapshots_nobody_uses(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for source in (DATA, demo_folder(), DATA):
        load(source, store)
    assert held(store) == [snapshots.current(store)]


def test_a_store_without_snapshots_is_read_as_it_is(tmp_path: Path) -> None:
    """A store made before snapshots: read-only, the store itself, until a writer publishes one."""
    store = tmp_path / "store"
    load(DATA, store)
    (store / snapshots.FOLDER / snapshots.POINTER).unlink()
    opened = open_current(store)
    assert opened.path == store and opened.lease is None and trials(opened) == 1
    with pytest.raises(FileNotFoundError, match="no trialgraph store here"):
        open_current(tmp_path / "nothing")
