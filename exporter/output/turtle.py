"""Turtle and TriG, serialised by pyoxigraph: linear in size and readable with prefixes.

rdflib's own Turtle serializer is superlinear on large graphs, so it is not used here.
"""

from __future__ import annotations

from typing import TextIO

import pyoxigraph as ox

from ..mapping.convert import to_oxigraph
from ..mapping.terms import RecordGraph
from ..mapping.vocab import PREFIXES


class TurtleWriter:
    format = ox.RdfFormat.TURTLE
    with_graph = False

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.first = True

    def write(self, graph: RecordGraph) -> None:
        by_subject: dict[str, list] = {}
        for triple in graph.triples:  # grouped by subject, so each subject is written once
            by_subject.setdefault(triple[0], []).append(triple)
        grouped = [triple for triples in by_subject.values() for triple in triples]
        statements = to_oxigraph(grouped, graph.name if self.with_graph else None)
        chunk = ox.serialize(statements, format=self.format, prefixes=PREFIXES).decode()
        if not self.first:  # the prefixes were declared once, at the top
            chunk = "".join(line for line in chunk.splitlines(keepends=True) if not line.startswith("@prefix"))
        self.stream.write(chunk if self.first else "\n" + chunk.lstrip("\n"))
        self.first = False

    def close(self) -> None:
        if self.first:  # no record: still a valid, self-describing document
            self.stream.write(ox.serialize([], format=self.format, prefixes=PREFIXES).decode())
        self.stream.flush()


class TriGWriter(TurtleWriter):
    format = ox.RdfFormat.TRIG
    with_graph = True
