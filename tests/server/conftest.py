"""A real server for the tests: a store loaded from every shared fixture, the demo records and
``tests/data/server``, served by uvicorn on a free port of 127.0.0.1 for the whole session.

The store keeps the default base ``http://localhost:8000/`` while the server listens
elsewhere: the tests thereby also prove that paths map to IRIs by the base, not the host.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.server.running import RunningServer

DATA = Path(__file__).resolve().parent.parent / "data" / "server"
TIME_LIMIT = 2.0
MAX_RESULTS = 500


@pytest.fixture(scope="session")
def store(fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("published") / "store"
    code = main(["load", str(fixtures), str(demo_folder()), str(DATA), "--store", str(path), "-q"])
    assert code in (0, 1), "load failed"
    return path


@pytest.fixture(scope="session")
def running(store: Path) -> Iterator[RunningServer]:
    with RunningServer(store, "--timeout", str(TIME_LIMIT), "--max-results", str(MAX_RESULTS)) as server:
        yield server


@pytest.fixture(scope="session")
def server(running: RunningServer) -> str:
    return running.url


def select(server: str, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT run on the server, each variable bound to its plain value."""
    response = requests.post(server + "/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def path_of(iri: str) -> str:
    """Where an IRI is served: its path, on whatever host and port the test server has."""
    return urlsplit(iri).path


@pytest.fixture(scope="session")
def trial_iri(server: str) -> str:
    """The demo trial NCT90000001, found by its id rather than spelled out, as IRIs may change."""
    rows = select(server, 'SELECT ?t { ?t a <https://w3id.org/trialgraph/ontology#Trial> ; '
                          '<http://purl.org/dc/terms/identifier> "NCT90000001" }')
    return rows[0]["t"]


@pytest.fixture(scope="session")
def sponsor_iri(server: str, trial_iri: str) -> str:
    rows = select(server, f"SELECT ?s {{ <{trial_iri}> <https://w3id.org/trialgraph/ontology#primarySponsor> ?s }}")
    return rows[0]["s"]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of the demo records alone: for the tests that need no registry exports."""
    path = tmp_path_factory.mktemp("demo") / "store"
    assert main(["load", str(demo_folder()), "--store", str(path), "-q"]) == 0
    with RunningServer(path) as server:
        yield server.url
