"""The default graph is the merge of the record graphs: each triple once, however many records state it,
and exact after any sequence of loads, replacements and removals."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.store import META_GRAPH, TrialStore
from exporter.store.store import Statistics

GRAPHS = [f"urn:record:{n}" for n in range(3)]
TRIPLES = [f"<urn:s:{s}> <urn:p:{p}> <urn:o:{o}> ." for s in range(2) for p in range(2) for o in range(2)] + [
    '<urn:s:0> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:Class> .',
    '<urn:s:1> <urn:p:0> <https://pubmed.ncbi.nlm.nih.gov/1> .',
    # kept by value: the store gives it back as "…Z", and must know it for the one it holds
    '<urn:s:1> <urn:p:1> "2023-11-14T22:13:20+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .',
]


def default_graph(store: TrialStore) -> set[str]:
    return {str(q.triple) for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def union_of_named(store: TrialStore) -> set[str]:
    return {str(q.triple) for q in store.named_quads() if q.graph_name != ox.NamedNode(META_GRAPH)}


writes = st.lists(st.lists(st.tuples(st.sampled_from(GRAPHS), st.sets(st.sampled_from(TRIPLES))), min_size=1, max_size=3),
                  min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes)
def test_the_merge_stays_exact_through_any_replacements(tmp_path_factory, steps) -> None:
    """Each step writes a few graphs: graphs the store does not hold yet as one batch (as a load writes new
    records), else one replacement each (an empty set of statements removes the graph)."""
    store = TrialStore(tmp_path_factory.mktemp("merge") / "s")
    counts = Statistics()
    for batch in steps:
        names = [name for name, _ in batch]
        if len(set(names)) == len(names) and all(statements for _, statements in batch) and \
                not any(store.oxigraph.contains_named_graph(ox.NamedNode(name)) for name in names):
            counts.update(store.add_graphs(
                [(name, "".join(t + "\n" for t in statements), "") for name, statements in batch], base="urn:base/"))
        else:
            for name, statements in batch:
                counts.update(store.replace_graph(name, "".join(t + "\n" for t in statements), base="urn:base/"))
        assert default_graph(store) == union_of_named(store)
    recounted = store.count("urn:base/")
    assert {k: n for k, n in counts.items() if n} == {k: n for k, n in recounted.items() if n}


def test_a_triple_stays_while_one_record_states_it(tmp_path: Path) -> None:
    store = TrialStore(tmp_path / "s")
    shared = '<urn:country/AU> <http://www.w3.org/2000/01/rdf-schema#label> "Australia" .\n'
    store.replace_graph("urn:record:a", shared)
    store.replace_graph("urn:record:b", shared + '<urn:trial:b> <urn:country> <urn:country/AU> .\n')
    assert len(default_graph(store)) == 2
    store.remove_graph("urn:record:a")
    assert shared.strip() in {t + " ." for t in default_graph(store)}
    store.remove_graph("urn:record:b")
    assert default_graph(store) == set()
