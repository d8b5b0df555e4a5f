"""All the shared registry records mapped into one store, as a user would load an export."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from exporter.mapping.convert import to_oxigraph
from exporter.mapping.iris import Iris
from exporter.mapping.trial import TrialMapper
from exporter.record import Trial
from exporter.sources import read_inputs

BASE = "http://localhost:8000/"


@pytest.fixture(scope="session")
def trials(fixtures: Path) -> list[Trial]:
    return [item for item in read_inputs([str(fixtures)]) if isinstance(item, Trial)]


@pytest.fixture(scope="session")
def store(trials: list[Trial]) -> ox.Store:
    mapper = TrialMapper(Iris(BASE), datetime(2024, 1, 1, tzinfo=timezone.utc), "test")
    store = ox.Store()
    for trial in trials:
        graph = mapper.map(trial)
        store.extend(to_oxigraph(graph.triples, graph.name))
    return store


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """The rows of a SELECT over the union of the record graphs, values as plain strings."""
    rows = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    return [tuple(term.value if term is not None else "" for term in row) for row in rows]  # type: ignore[union-attr]


PREFIXES = {
    "tg": "https://w3id.org/trialgraph/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
}
