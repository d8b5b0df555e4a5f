"""Oxigraph is transactional: a ``trialgraph load`` or a server killed with SIGKILL in the middle of
work leaves a store that opens, answers, and holds each record graph whole or not at all."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
import requests

from exporter.server.running import RunningServer
from exporter.store import META_GRAPH, TrialStore
from exporter.store.store import ONTOLOGY_GRAPH

RECORDS = 3000
MODIFIED = "http://purl.org/dc/terms/modified"


def big_input(fixtures: Path, folder: Path) -> Path:
    """``RECORDS`` ICTRP XML trials: the fixtures' NCT trials over and over, each copy with its own id."""
    templates = []
    for path in sorted((fixtures / "ictrp-xml").glob("*.xml")):
        for block in re.findall(r"<Trial>.*?</Trial>", path.read_text(encoding="utf-8"), re.S):
            if found := re.search(r"<TrialID>\s*(NCT\d{8})\s*</TrialID>", block):
                templates.append((found.group(1), block))
    assert templates
    trials = (block.replace(old, f"NCT9{n:07d}") for n, (old, block) in
              ((n, templates[n % len(templates)]) for n in range(RECORDS)))
    path = folder / "big.xml"
    path.write_text("<?xml version='1.0' encoding='UTF-8'?>\n<Trials_downloaded_from_ICTRP>\n"
                    + "\n".join(trials) + "\n</Trials_downloaded_from_ICTRP>\n", encoding="utf-8")
    return path


def trialgraph(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "exporter.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def loaded_counts(source: Path, folder: Path) -> Counter[str]:
    """Triples per record graph, as a load that is not interrupted leaves them."""
    reference = folder / "reference"
    assert trialgraph("load", str(source), "--store", str(reference), "-q").wait() in (0, 1)
    return stored_counts(reference)


def assert_the_merge_is_exact(store: Path) -> None:
    """The default graph holds exactly what the record graphs (and the ontology) state."""
    opened = TrialStore(store)
    named = {q.triple for q in opened.named_quads() if q.graph_name != ox.NamedNode(META_GRAPH)
             and not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
    merged = {q.triple for q in opened.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
              if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
    del opened
    assert merged == named


def stored_counts(store: Path) -> Counter[str]:
    """Triples per record graph in the store, opened as after a crash (read-write: RocksDB recovers)."""
    opened = TrialStore(store)
    rows = opened.oxigraph.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = Counter({row[0].value: int(row[1].value) for row in rows
                      if row[0].value not in (META_GRAPH, ONTOLOGY_GRAPH)})
    described = {row[0].value for row in opened.oxigraph.query(
        f"SELECT ?g {{ GRAPH <{META_GRAPH}> {{ ?g <{MODIFIED}> ?when }} }}")}
    assert set(counts) <= described, "every record graph present has its load metadata"
    del opened
    return counts


def holds_records(store: Path) -> bool:
    """Whether a look at the store as it is being written already finds record graphs in it."""
    try:
        opened = ox.Store.read_only(str(store))
        described = opened.quads_for_pattern(None, ox.NamedNode(MODIFIED), None, ox.NamedNode(META_GRAPH))
        return any(quad.subject.value != ONTOLOGY_GRAPH for quad in described)
    except (OSError, RuntimeError):  # not made yet, or caught mid-write
        return False


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool], then: float = 0.0,
              limit: float = 120.0) -> None:
    """SIGKILL the process ``then`` seconds after ``ready()`` says so, checking it was still at work."""
    deadline = time.monotonic() + limit
    while not ready():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(then)
    assert process.poll() is None, "the load finished before it could be killed: make the input bigger"
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


@pytest.fixture(scope="module")
def crashed(fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counter[str]]:
    """A store whose bulk load was killed after its first batches, and the counts a whole load gives."""
    folder = tmp_path_factory.mktemp("crash")
    source = big_input(fixtures, folder)
    store = folder / "store"
    load = trialgraph("load", str(source), "--store", str(store), "-q")
    # once the first partitions were ingested, while the next are read or written
    kill_when(load, lambda: holds_records(store), then=1.0)
    return store, loaded_counts(source, folder)


def test_a_bulk_load_killed_midway_leaves_whole_graphs(crashed: tuple[Path, Counter[str]]) -> None:
    store, expected = crashed
    counts = stored_counts(store)
    assert 0 < len(counts) < len(expected), "killed in the middle"
    assert {name: counts[name] for name in counts} == {name: expected[name] for name in counts}
    assert_the_merge_is_exact(store)


def test_an_incremental_load_killed_midway_leaves_whole_graphs(crashed: tuple[Path, Counter[str]]) -> None:
    store, expected = crashed
    before = stored_counts(store)
    load = trialgraph("load", str(store.parent / "big.xml"), "--store", str(store), "-q")  # the store has data: one transaction each
    started = time.monotonic()
    kill_when(load, lambda: time.monotonic() - started > 6)
    counts = stored_counts(store)
    assert set(before) <= set(counts)
    assert {name: counts[name] for name in counts} == {name: expected[name] for name in counts}
    assert_the_merge_is_exact(store)


def test_a_server_killed_under_load_restarts_on_the_same_store(crashed: tuple[Path, Counter[str]]) -> None:
    store, _ = crashed
    query = {"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", "format": "csv"}
    stop = threading.Event()

    def client(url: str) -> None:
        while not stop.is_set():
            try:
                requests.get(url + "/sparql", params=query, timeout=10)
                requests.get(url + "/", timeout=10)
            except requests.RequestException:
                pass  # the server is gone mid-request: expected here

    server = RunningServer(store).start()
    answer = requests.get(server.url + "/sparql", params=query, timeout=30).text
    workers = psutil.Process(server.pid).children(recursive=True)
    clients = [threading.Thread(target=client, args=(server.url,)) for _ in range(8)]
    for thread in clients:
        thread.start()
    time.sleep(2)
    os.kill(server.pid, signal.SIGKILL)
    server.process.wait()  # type: ignore[union-attr]
    stop.set()
    for thread in clients:
        thread.join()
    gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, "the query workers of a killed server exit by themselves"
    with RunningServer(store) as restarted:
        assert requests.get(restarted.url + "/sparql", params=query, timeout=30).text == answer
        assert requests.get(restarted.url + "/", timeout=30).status_code == 200
