"""New data while serving: ``trialgraph load`` into the store a running server answers from succeeds, and the
server answers from the new data within seconds — pages and SPARQL alike — with no failed request and no torn
read: each answer is from the store before the load or after it, never a mix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import requests

from exporter.demo import demo_folder
from exporter.server.running import RunningServer
from exporter.store import TrialStore, open_current, snapshots

DATA = Path(__file__).resolve().parent.parent / "data" / "server"
TRIAL = "https://w3id.org/trialgraph/ontology#Trial"
TRIPLES = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
SEEN_WITHIN = 10.0  # seconds from the load's end to the server answering from it (it polls every second)


def load(store: Path, *sources: Path) -> None:
    code = subprocess.run([sys.executable, "-m", "exporter.cli", "load", *map(str, sources), "--store", str(store),
                           "-q"], capture_output=True, timeout=300).returncode
    assert code in (0, 1), "load failed"


def select(server: str, query: str) -> list[str]:
    """The first variable's values, in the order the rows came."""
    response = requests.post(server + "/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return [next(iter(row.values()))["value"] for row in response.json()["results"]["bindings"]]


def trials(server: str) -> set[str]:
    return set(select(server, f"SELECT ?t {{ ?t a <{TRIAL}> }}"))


def wait_for(condition: object, limit: float) -> float:
    """Seconds until ``condition()`` held, failing after ``limit``."""
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - started < limit, "not within the time allowed"
        time.sleep(0.1)
    return time.monotonic() - started


class Clients:
    """Threads asking for the home page, a trial page and a count, over and over, keeping every answer."""

    def __init__(self, server: str, page: str, count: int = 4) -> None:
        self.server, self.page = server, page
        self.failures: list[str] = []
        self.counts: Counter[str] = Counter()
        self.requests = 0
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.run) for _ in range(count)]

    def run(self) -> None:
        session = requests.Session()
        while not self.stopped.is_set():
            for method, path, data in (("GET", "/", None), ("GET", self.page, None),
                                       ("POST", "/sparql", {"query": TRIPLES, "format": "csv"})):
                try:
                    response = session.request(method, self.server + path, data=data, timeout=30)
                except requests.RequestException as error:
                    self.failures.append(f"{method} {path}: {type(error).__name__}")
                    continue
                self.requests += 1
                if response.status_code != 200:
                    self.failures.append(f"{method} {path}: {response.status_code}")
                elif path == "/sparql":
                    self.counts[response.text.split()[-1]] += 1

    def __enter__(self) -> Clients:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join()


def held(store: Path) -> list[str]:
    return sorted(entry for entry in os.listdir(store / snapshots.FOLDER) if entry.isdigit())


def test_a_load_while_serving_is_served_within_seconds_with_no_failed_or_torn_answer(
        fixtures: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    load(store, DATA, demo_folder())
    with RunningServer(store, "--timeout", "20") as server:
        before_trials = trials(server.url)
        before = int(select(server.url, TRIPLES)[0])
        page = urlsplit(sorted(before_trials)[0]).path
        processes = len(psutil.Process(server.pid).children(recursive=True))  # the query workers and their parent
        with Clients(server.url, page) as clients:
            time.sleep(1)
            load(store, fixtures / "ictrp-xml")  # many records into a store with data: one transaction each
            seen = wait_for(lambda: int(select(server.url, TRIPLES)[0]) != before, SEEN_WITHIN)
            time.sleep(1.5)  # clients keep asking after the swap
        after = int(select(server.url, TRIPLES)[0])
        new = trials(server.url) - before_trials
        assert new and seen < SEEN_WITHIN
        assert requests.get(server.url + urlsplit(sorted(new)[0]).path, headers={"Accept": "text/html"},
                            timeout=30).status_code == 200, "the new trials' pages too"
        found = requests.get(server.url + "/search", params={"q": sorted(new)[0].rsplit("/", 1)[-1], "format": "json"},
                             timeout=30).text
        assert sorted(new)[0] in found, "search finds the new trials"
        void = requests.get(server.url + "/void.nt", timeout=30).text
        assert f'"{after}"^^<http://www.w3.org/2001/XMLSchema#integer>' in void, "/void counts the new triples"
        assert clients.requests > 30 and clients.failures == []
        assert set(clients.counts) == {str(before), str(after)}, "each count is the one before or after, never another"
        wait_for(lambda: held(store) == [snapshots.current(store)], 10.0)  # the old snapshot, unused, is removed
        assert len(psutil.Process(server.pid).children(recursive=True)) == processes, "the old workers stopped"
        assert "ERROR" not in server.output()


def test_a_server_killed_after_a_load_while_serving_leaves_a_store_that_opens(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load(store, DATA)
    server = RunningServer(store).start()
    try:
        before = trials(server.url)
        load(store, demo_folder())
        wait_for(lambda: trials(server.url) != before, SEEN_WITHIN)
        expected = trials(server.url)
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.process.wait()  # type: ignore[union-attr]
    written = TrialStore(store)  # read-write, as the next load opens it
    assert {row[0].value for row in written.query(f"SELECT ?t {{ ?t a <{TRIAL}> }}")} == expected
    del written
    assert {row[0].value for row in open_current(store).query(f"SELECT ?t {{ ?t a <{TRIAL}> }}")} == expected
    with RunningServer(store) as restarted:
        assert trials(restarted.url) == expected
