"""The straightforward pipeline the issue measures against: rdflib ``Graph.add`` per triple, rdflib's
Turtle serializer, pyshacl over the whole batch. Same sources and mapper as ours, so the difference
is the way, not the work. ``python -m benchmarks.baseline EXPORT OUT.ttl``.
"""

from __future__ import annotations

import sys

import pyshacl
import rdflib

from exporter.mapping.convert import to_rdflib_term
from exporter.pipeline import Options, Pipeline
from exporter.record import Trial
from exporter.sources import read_inputs
from exporter.validation.shacl import load_shapes


def run(source: str, output: str) -> int:
    """Export ``source`` to Turtle at ``output``; the number of records."""
    mapper = Pipeline(Options(validate=False)).mapper
    graph = rdflib.Graph()
    records = 0
    for item in read_inputs([source]):
        if isinstance(item, Trial):
            records += 1
            for triple in mapper.map(item).triples:
                graph.add(tuple(map(to_rdflib_term, triple)))  # type: ignore[arg-type]
    pyshacl.validate(graph, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    graph.serialize(output, format="turtle")
    return records


if __name__ == "__main__":
    print(run(sys.argv[1], sys.argv[2]))
