"""SHACL property paths: read from a shapes graph, followed through :class:`~.data.Data`, written as SPARQL.

A predicate path stays a plain :class:`~exporter.mapping.terms.IRI`, which the compiled code
looks up directly; only the other kinds (sequence, alternative, inverse, zero-or-more,
one-or-more, zero-or-one) are objects here, each giving a node's value nodes without repeats.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.collection import Collection as RDFList
from rdflib.namespace import SH

from ..mapping.terms import IRI
from .data import EMPTY, Data, Node


class BadPath(ValueError):
    """A ``sh:path`` value that is not a well-formed SHACL property path."""


class Path:
    """A property path other than a single predicate."""

    def values(self, data: Data, focus: Node) -> list[Node]:
        """The nodes reached from ``focus``, each once, in a stable order."""
        return list(dict.fromkeys(self.walk(data, [focus])))

    def walk(self, data: Data, nodes: list[Node]) -> list[Node]:
        """The nodes reached from any of ``nodes`` (repeats allowed)."""
        raise NotImplementedError

    @property
    def predicates(self) -> set[str]:
        raise NotImplementedError


def step(path: IRI | Path, data: Data, nodes: list[Node]) -> list[Node]:
    if isinstance(path, Path):
        return path.walk(data, nodes)
    values = data.values
    return [o for n in nodes for o in values.get(n, EMPTY).get(path, ())]


def predicates(path: IRI | Path) -> set[str]:
    return path.predicates if isinstance(path, Path) else {path}


@dataclass(frozen=True)
class Sequence(Path):
    parts: tuple[IRI | Path, ...]

    def walk(self, data: Data, nodes: list[Node]) -> list[Node]:
        for part in self.parts:
            nodes = list(dict.fromkeys(step(part, data, nodes)))
        return nodes

    @property
    def predicates(self) -> set[str]:
        return set().union(*map(predicates, self.parts))

    def __str__(self) -> str:
        return "(" + "/".join(map(sparql, self.parts)) + ")"


@dataclass(frozen=True)
class Alternative(Path):
    parts: tuple[IRI | Path, ...]

    def walk(self, data: Data, nodes: list[Node]) -> list[Node]:
        return [o for part in self.parts for o in step(part, data, nodes)]

    @property
    def predicates(self) -> set[str]:
        return set().union(*map(predicates, self.parts))

    def __str__(self) -> str:
        return "(" + "|".join(map(sparql, self.parts)) + ")"


@dataclass(frozen=True)
class Inverse(Path):
    path: IRI | Path

    def walk(self, data: Data, nodes: list[Node]) -> list[Node]:
        if isinstance(self.path, Path):  # ^(a/b) is ^b/^a, ^(a|b) is ^a|^b, ^(p*) is (^p)*
            return inverted(self.path).walk(data, nodes)  # type: ignore[union-attr]
        inverse = data.inverse
        return [s for n in nodes for s in inverse.get(n, EMPTY).get(self.path, ())]

    @property
    def predicates(self) -> set[str]:
        return predicates(self.path)

    def __str__(self) -> str:
        return "^" + sparql(self.path)


@dataclass(frozen=True)
class Repeat(Path):
    """``sh:zeroOrMorePath`` (*), ``sh:oneOrMorePath`` (+) or ``sh:zeroOrOnePath`` (?)."""

    path: IRI | Path
    operator: str

    def walk(self, data: Data, nodes: list[Node]) -> list[Node]:
        reached = dict.fromkeys(nodes) if self.operator != "+" else {}
        frontier = list(dict.fromkeys(nodes))
        while frontier:
            frontier = [n for n in dict.fromkeys(step(self.path, data, frontier)) if n not in reached]
            reached.update(dict.fromkeys(frontier))
            if self.operator == "?":
                break
        return list(reached)

    @property
    def predicates(self) -> set[str]:
        return predicates(self.path)

    def __str__(self) -> str:
        return sparql(self.path) + self.operator


def inverted(path: IRI | Path) -> IRI | Path:
    if isinstance(path, Inverse):
        return path.path
    if isinstance(path, Sequence):
        return Sequence(tuple(inverted(p) for p in reversed(path.parts)))
    if isinstance(path, Alternative):
        return Alternative(tuple(inverted(p) for p in path.parts))
    if isinstance(path, Repeat):
        return Repeat(inverted(path.path), path.operator)
    return Inverse(path)


REPEATS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def read_path(graph: rdflib.Graph, node: rdflib.term.Node) -> IRI | Path:
    """The path a ``sh:path`` value describes in ``graph``."""
    if isinstance(node, rdflib.URIRef):
        return IRI(node)
    if isinstance(node, rdflib.Literal):
        raise BadPath(f"a literal as a property path ({node})")
    if (node, rdflib.RDF.first, None) in graph:
        parts = tuple(read_path(graph, part) for part in RDFList(graph, node))  # type: ignore[arg-type]
        if len(parts) < 2:
            raise BadPath(f"a sequence path of fewer than two members ({node})")
        return Sequence(parts)
    if (inverse := graph.value(node, SH.inversePath)) is not None:
        return Inverse(read_path(graph, inverse))
    if (alternatives := graph.value(node, SH.alternativePath)) is not None:
        parts = tuple(read_path(graph, part) for part in RDFList(graph, alternatives))  # type: ignore[arg-type]
        if len(parts) < 2:
            raise BadPath(f"an alternative path of fewer than two members ({node})")
        return Alternative(parts)
    for predicate, operator in REPEATS.items():
        if (repeated := graph.value(node, predicate)) is not None:
            return Repeat(read_path(graph, repeated), operator)
    raise BadPath(f"not a property path ({node})")


def sparql(path: IRI | Path) -> str:
    """The path in SPARQL's syntax, as reports name it: a predicate path is its IRI alone."""
    return f"<{path}>" if isinstance(path, IRI) else str(path)


def text(path: IRI | Path) -> str:
    """How a finding names a path: the IRI of a predicate path, else the SPARQL path."""
    return str(path) if isinstance(path, IRI) else sparql(path)
