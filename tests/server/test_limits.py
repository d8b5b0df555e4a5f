"""Queries that cost too much are stopped with a reason, and do not make others wait: an answer of
hundreds of MB, a sort of a cartesian product, twenty slow queries in front of a cheap one."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest
import requests

from exporter.server.running import RunningServer

MAX_MEMORY_MB = 300
MAX_ANSWER_MB = 4
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# 160 bytes that ask for every label, joined, on each of 2,000 rows.
CONCATENATED = (f"SELECT ?all WHERE {{ {{ SELECT (GROUP_CONCAT(?l) AS ?all) {{ ?x <{RDFS_LABEL}> ?l }} }} "
                "?s ?p ?o } LIMIT 2000")
SORTED_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def limited(store: Path) -> Iterator[RunningServer]:
    with RunningServer(store, "--timeout", "20", "--max-wait", "3", "--max-memory", str(MAX_MEMORY_MB),
                       "--max-answer", str(MAX_ANSWER_MB)) as server:
        yield server


def workers(server: RunningServer) -> list[psutil.Process]:
    return [p for p in psutil.Process(server.pid).children() if "spawn_main" in " ".join(p.cmdline())]


def ask(server: RunningServer, query: str, source: str = "127.0.0.1", timeout: float = 60) -> tuple[int, str]:
    """Status and text of a query sent from ``source``, one of the loopback addresses (another client)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": query, "format": "csv"}))
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_an_answer_past_the_byte_cap_is_refused_whole_and_the_server_stays_small(limited: RunningServer) -> None:
    single = requests.get(limited.url + "/sparql", timeout=60, params={
        "query": CONCATENATED.replace("LIMIT 2000", "LIMIT 1"), "format": "csv"})
    assert single.status_code == 200 and len(single.content) > 20_000  # one row is large; 2,000 would be huge
    server = psutil.Process(limited.pid)
    before = server.memory_info().rss
    started = time.monotonic()
    status, text = ask(limited, CONCATENATED)
    assert status == 503 and f"answer passed {MAX_ANSWER_MB} MB and was stopped" in text
    assert time.monotonic() - started < 20
    assert server.memory_info().rss - before < 50 * 2**20
    assert requests.get(limited.url + "/sparql", params={"query": CHEAP}, timeout=30).status_code == 200


def test_a_query_past_the_memory_budget_is_stopped_and_its_worker_replaced(limited: RunningServer) -> None:
    before = {p.pid for p in workers(limited)}
    started = time.monotonic()
    status, text = ask(limited, SORTED_PRODUCT)
    assert status == 503 and f"needed more than {MAX_MEMORY_MB} MB of memory and was stopped" in text
    assert time.monotonic() - started < 20, "stopped by its memory, not by the time limit"
    after = workers(limited)
    assert len(after) == len(before) and {p.pid for p in after} != before
    assert all(p.memory_info().rss < (MAX_MEMORY_MB + 400) * 2**20 for p in after)
    assert requests.get(limited.url + "/sparql", params={"query": CHEAP}, timeout=30).status_code == 200


def test_a_cheap_query_does_not_wait_behind_twenty_slow_ones(limited: RunningServer) -> None:
    with ThreadPoolExecutor(20) as pool:
        slow = []
        for _ in range(20):  # one after the other: each finds whatever worker is free at the time
            slow.append(pool.submit(ask, limited, SLOW, "127.0.0.2"))
            time.sleep(0.1)
        started = time.monotonic()
        status, text = ask(limited, CHEAP)
        waited = time.monotonic() - started
        assert status == 200 and text.strip() == "true"
        assert waited < 5, f"waited {waited:.1f} s"
        statuses = sorted(f.result()[0] for f in slow)
    assert set(statuses) <= {503}  # busy, or past the time limit: each said so
