"""The data a shape is checked against: one graph's triples, indexed once by subject and predicate.

A record's graph arrives as the mapper's light terms (:mod:`exporter.mapping.terms`) and is
indexed as it is, with no rdflib on the way; any other RDF graph (a user's, with blank
nodes) is first turned into the same terms by :func:`triples_of`, so both meet one index
and one compiled validator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

import rdflib
from rdflib.namespace import RDF, RDFS

from ..mapping.convert import to_rdflib_term
from ..mapping.terms import IRI, XSD_STRING, Literal
from .literals import LiteralNode, Value, parsed, value_of_rdflib

T = TypeVar("T")


class Blank(str):
    """A blank node, spelled ``_:id`` so that it never equals an IRI (both are strings)."""

    __slots__ = ()


Node = IRI | Blank | LiteralNode  # told apart by class: an IRI, a blank node, a plain string's Literal, or a Value
Triple = tuple[IRI | Blank, IRI, Node]  # a record's object is a Literal term; a parsed one, a Value

RDF_TYPE, SUBCLASS_OF = IRI(RDF.type), IRI(RDFS.subClassOf)
EMPTY: dict[str, list[Node]] = {}  # the properties of a node that has none; shared, never mutated


class AllPredicates:
    """Stands for the set of every predicate, when a shape (``sh:closed``) must see all of a node's properties."""

    def __contains__(self, predicate: object) -> bool:
        return True


class Data:
    """One graph's triples indexed once: each subject's value nodes per predicate, and its superclasses.

    The lists keep repeated objects (lists are cheaper to build than sets, and repeats are
    rare): whatever a repeat could change, counts and results, goes through :func:`unique`.
    The inverse index, which only inverse paths and ``sh:targetObjectsOf`` need, is built on
    first use.
    """

    __slots__ = ("_inverse", "supers", "values", "visiting")

    def __init__(self, triples: Iterable[Triple], predicates: frozenset[str] | AllPredicates) -> None:
        values: dict[Node, dict[str, list[Node]]] = {}
        for s, p, o in triples:
            if p in predicates:
                if o.__class__ is Literal and (o[1] != XSD_STRING or o[2] is not None):  # literals.is_plain() inlined
                    o = parsed(o)  # type: ignore[arg-type]
                by_predicate = values.get(s)
                if by_predicate is None:
                    values[s] = {p: [o]}
                elif p in by_predicate:
                    by_predicate[p].append(o)
                else:
                    by_predicate[p] = [o]
        self.values = values
        self.supers = {s: set(by_predicate[SUBCLASS_OF]) for s, by_predicate in values.items()
                       if SUBCLASS_OF in by_predicate}
        self._inverse: dict[Node, dict[str, list[Node]]] | None = None
        self.visiting: set[tuple[object, Node]] = set()  # (shape, node) pairs a recursive shape is checking

    def objects(self, subject: Node, predicate: str) -> list[Node]:
        return self.values.get(subject, EMPTY).get(predicate, [])

    def subjects(self, obj: Node, predicate: str) -> list[Node]:
        return self.inverse.get(obj, EMPTY).get(predicate, [])

    @property
    def inverse(self) -> dict[Node, dict[str, list[Node]]]:
        """Each object's subjects per predicate."""
        if self._inverse is None:
            inverse: dict[Node, dict[str, list[Node]]] = {}
            for s, by_predicate in self.values.items():
                for p, objects in by_predicate.items():
                    for o in objects:
                        inverse.setdefault(o, {}).setdefault(p, []).append(s)
            self._inverse = inverse
        return self._inverse

    def classes(self, types: list[Node]) -> list[Node]:
        """A node's classes given its rdf:types: those and, when the data says so, their superclasses."""
        if not self.supers:
            return types
        return list(set().union(*(closure(t, self.supers) for t in types)))

    def is_instance(self, node: Node, cls: str) -> bool:
        return cls in self.classes(self.objects(node, RDF_TYPE))

    def instances(self, cls: str) -> list[Node]:
        """The nodes of class ``cls``, directly or through the data's rdfs:subClassOf."""
        return [s for s, by_predicate in self.values.items()
                if RDF_TYPE in by_predicate and cls in self.classes(by_predicate[RDF_TYPE])]


def unique(items: Sequence[T]) -> Sequence[T]:
    """The items without repeats, the first of equal ones kept, as a graph keeps equal nodes."""
    return items if len(items) < 2 else list(dict.fromkeys(items))


def closure(start: T, edges: dict[T, set[T]] | dict[T, list[T]]) -> set[T]:
    """``start`` and everything reachable from it (rdflib's transitive_objects/subjects)."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def node_of(node: rdflib.term.Node) -> Node:
    """An rdflib term (of a shapes graph, or of any data graph) as the node :class:`Data` holds."""
    if isinstance(node, rdflib.URIRef):
        return IRI(node)
    if isinstance(node, rdflib.BNode):
        return Blank("_:" + node)
    if isinstance(node, rdflib.Literal):
        return value_of_rdflib(node)
    raise TypeError(f"not an RDF term: {node!r}")


def triples_of(graph: rdflib.Graph) -> list[Triple]:
    """Any rdflib graph's triples as the nodes :class:`Data` indexes, each distinct term converted once."""
    nodes: dict[tuple[rdflib.term.Node, object], Node] = {}

    def term(node: rdflib.term.Node) -> Node:
        key = (node, getattr(node, "ill_typed", None))  # rdflib finds "none"^^xsd:boolean equal to "false"^^xsd:boolean
        converted = nodes.get(key)
        if converted is None:
            converted = nodes[key] = node_of(node)
        return converted

    return [(term(s), term(p), term(o)) for s, p, o in graph]  # type: ignore[misc]


def rdflib_of(node: Node) -> rdflib.term.Identifier:
    """A node as rdflib's term (to word a message as pyshacl would), a literal with the lexical form it has here."""
    if isinstance(node, Blank):
        return rdflib.BNode(node[2:])
    if isinstance(node, Value):
        datatype = rdflib.URIRef(node.datatype) if node.datatype is not None and node.language is None else None
        return rdflib.Literal(node.lexical, lang=node.term.language, datatype=datatype, normalize=False)
    return to_rdflib_term(node)
