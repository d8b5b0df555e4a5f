"""Turtle and TriG, serialised by pyoxigraph: linear in size and readable with prefixes.

rdflib's own Turtle serializer is superlinear on large graphs, so it is not used here.
Each record is serialised on its own; the prefixes are declared once, at the top.
"""

from __future__ import annotations

from typing import TextIO

import pyoxigraph as ox

from ..mapping.convert import to_oxigraph
from ..mapping.terms import RecordGraph
from ..mapping.vocab import PREFIXES
from .repeats import Repeats

SEPARATOR = "\n"  # before every record but the first


def _prefix_lines() -> str:
    """The lines pyoxigraph puts above a document's first statement (in an order of its own)."""
    node = ox.NamedNode("urn:x")
    chunk = ox.serialize([ox.Triple(node, node, node)], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode()
    return "".join(line for line in chunk.splitlines(keepends=True) if line.startswith("@prefix"))


PREFIX_LINES = _prefix_lines()


class TurtleWriter:
    """One Turtle document, record by record, then every repeatable statement once (see :mod:`.repeats`).

    As a ``fragment`` (a worker's share of the document) it writes every record as one that
    follows another, without the prefixes: whoever joins the fragments calls :meth:`spliced`.
    """

    format = ox.RdfFormat.TURTLE
    with_graph = False

    def __init__(self, stream: TextIO, fragment: bool = False) -> None:
        self.stream = stream
        self.first = not fragment
        self.fragment = fragment
        self.repeats = Repeats()

    def write(self, graph: RecordGraph) -> None:
        self._write(graph, graph.own())
        self.repeats.add(graph)

    def _write(self, graph: RecordGraph, triples: list) -> None:
        by_subject: dict[str, list] = {}
        for triple in triples:  # grouped by subject, so each subject is written once
            by_subject.setdefault(triple[0], []).append(triple)
        grouped = [triple for triples in by_subject.values() for triple in triples]
        statements = to_oxigraph(grouped, graph.name if self.with_graph else None)
        chunk = ox.serialize(statements, format=self.format, prefixes=PREFIXES).decode()
        if not self.first:  # the prefixes were declared once, at the top
            chunk = "".join(line for line in chunk.splitlines(keepends=True) if not line.startswith("@prefix"))
        self.stream.write(chunk if self.first else SEPARATOR + chunk.lstrip("\n"))
        self.first = False

    def spliced(self) -> int:
        """Called before a non-empty fragment is copied on: writes the prefixes when the fragment
        opens the document, and says how many of its leading characters to drop then (the separator)."""
        if not self.first:
            return 0
        self.first = False
        self.stream.write(PREFIX_LINES)
        return len(SEPARATOR)

    def close(self) -> None:
        if not self.fragment and self.repeats.statements:
            self._write(self.repeats.graph_of([]), self.repeats.taken())
        if self.first:  # no record: still a valid, self-describing document
            self.stream.write(ox.serialize([], format=self.format, prefixes=PREFIXES).decode())
        self.stream.flush()


class TriGWriter(TurtleWriter):
    format = ox.RdfFormat.TRIG
    with_graph = True
