"""Statements several records make — a sponsor's, a country's, a condition's description, the export
run's provenance — stated once per export, at its end.

Each writer keeps a :class:`Repeats`; a worker's fragment hands its own on to the parent, which adds
them in input order, so the document ends with every repeatable statement once, in the order first
made, whatever the number of workers. What it holds grows with the shared nodes, not the records.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..mapping.terms import IRI, RecordGraph, Triple


class Repeats:
    """Repeatable statements, each once, in the order first met, and the graph an export states them in."""

    def __init__(self) -> None:
        self.statements: dict[Triple, None] = {}
        self.graph = IRI("")

    def add(self, graph: RecordGraph) -> None:
        self.graph = self.graph or graph.shared_graph
        self.extend(graph.repeatable())

    def extend(self, statements: Iterable[Triple], graph: IRI = IRI("")) -> None:
        self.graph = self.graph or graph
        add = self.statements.setdefault
        for statement in statements:
            add(statement)

    def taken(self) -> list[Triple]:
        """The statements, for a fragment's parent to :meth:`extend` its own with."""
        return list(self.statements)

    def graph_of(self, triples: list[Triple]) -> RecordGraph:
        """The statements as a graph of their own, for a writer to write like a record."""
        return RecordGraph(self.graph, self.graph, triples)
