"""SHACL Core shapes compiled once into plain-Python checks over one record's triples.

pyshacl spends ~15 ms a record building rdflib graphs and walking its generic machinery;
the shapes never change during a run, so they are read once and turned into small
check objects that run over a per-record index of plain terms. The semantics are
pyshacl's as :class:`~exporter.validation.shacl.ShaclValidator` runs it (no inference,
warnings allowed), including its corners: value nodes are sets, literals are compared
as rdflib normalises them, a shape of severity warning or info always conforms inside
``sh:or``/``sh:not``. Any SHACL feature the compiler does not implement raises
:class:`Unsupported` when the shapes are loaded, so the two validators can never
silently diverge; the tests hold them equal on every fixture and on broken records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

import rdflib
from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
from pyshacl.shapes_graph import ShapesGraph
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from ..mapping.convert import to_rdflib_term
from ..mapping.terms import IRI, XSD_STRING, RecordGraph, Triple
from .findings import Finding, ordered
from .literals import LiteralNode, Text, order, value_of, value_of_rdflib
from .shacl import load_shapes

Node = IRI | LiteralNode  # told apart by isinstance(node, str): IRIs are strings, literal nodes tuples

RDF_TYPE, SUBCLASS_OF = IRI(RDF.type), IRI(RDFS.subClassOf)
RDFS_LITERAL, RDFS_DATATYPE, RDF_LANGSTRING = str(RDFS.Literal), str(RDFS.Datatype), str(RDF.langString)
NOTHING: set[Node] = set()  # shared, never mutated
TOLERATED = {str(SH.Warning), str(SH.Info)}  # what allow_warnings lets conform
# Shape parameters that only describe; everything else in sh: must be implemented below.
DESCRIPTIVE = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
HANDLED = {SH.path, SH.property, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.pattern,
           SH.flags, SH.nodeKind, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
           SH.hasValue, SH["or"], SH["not"], SH.severity, SH.message, SH.deactivated, SH.targetClass}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}


class Unsupported(ValueError):
    """The shapes use a SHACL feature this compiler does not implement; use ``--validator pyshacl``."""


class Data:
    """One record's triples indexed once: each subject's value nodes per predicate, and the class hierarchy."""

    __slots__ = ("instances", "subs", "supers", "values")

    def __init__(self, triples: Iterable[Triple], predicates: frozenset[str]) -> None:
        self.values: dict[Node, dict[str, set[Node]]] = {}
        self.instances: dict[Node, set[Node]] = {}
        self.supers: dict[Node, set[Node]] = {}
        self.subs: dict[Node, set[Node]] = {}
        values, instances = self.values, self.instances
        for s, p, o in triples:
            if p not in predicates:
                continue
            if o.__class__ is IRI:
                node: Node = o
            elif o[1] == XSD_STRING and o[2] is None:
                node = Text(o[0])  # value_of() inlined for the plain strings that are most of a record
            else:
                node = value_of(o)  # type: ignore[arg-type]
            by_predicate = values.get(s)
            if by_predicate is None:
                values[s] = {p: {node}}
            elif p in by_predicate:
                by_predicate[p].add(node)  # a set keeps the first of equal nodes, as a graph does
            else:
                by_predicate[p] = {node}
            if p == RDF_TYPE:
                if node in instances:
                    instances[node].add(s)
                else:
                    instances[node] = {s}
            elif p == SUBCLASS_OF:
                self.supers.setdefault(s, set()).add(node)
                self.subs.setdefault(node, set()).add(s)

    def objects(self, subject: Node, predicate: str) -> set[Node]:
        by_predicate = self.values.get(subject)
        return by_predicate.get(predicate, NOTHING) if by_predicate is not None else NOTHING

    def focus_nodes(self, classes: tuple[str, ...]) -> set[Node]:
        """The instances of ``classes`` and, when the data says so, of their subclasses."""
        if not self.subs:  # no rdfs:subClassOf in the record: each class stands for itself
            if len(classes) == 1:
                return self.instances.get(classes[0], NOTHING)  # type: ignore[index]
            return set().union(*(self.instances.get(cls, NOTHING) for cls in classes))
        found: set[Node] = set()
        for cls in classes:
            for sub in _closure(cls, self.subs):
                found |= self.instances.get(sub, set())
        return found

    def is_instance(self, node: Node, cls: str) -> bool:
        if not self.supers:
            return cls in self.objects(node, RDF_TYPE)
        return any(cls in _closure(t, self.supers) for t in self.objects(node, RDF_TYPE))


def _closure(start: Node | str, edges: dict[Node, set[Node]]) -> set[Node | str]:
    """``start`` and everything reachable from it (rdflib's transitive_objects/subjects)."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):  # type: ignore[call-overload]
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


class Result(NamedTuple):
    shape: Shape
    constraint: Constraint
    focus: Node
    value: Node | None


Results = list[Result]


@dataclass(eq=False)
class Constraint:
    """One constraint parameter's check; ``parameter`` names it for pyshacl's generic messages."""

    component: str
    parameter: rdflib.URIRef

    def check(self, data: Data, shape: Shape, focus: Node, values: set[Node], out: Results) -> None:
        raise NotImplementedError


@dataclass(eq=False)
class EachValue(Constraint):
    """A constraint that judges each value node on its own."""

    test: Callable[[Data, Node], bool] = field(default=lambda data, v: True)

    def check(self, data: Data, shape: Shape, focus: Node, values: set[Node], out: Results) -> None:
        for v in values:
            if not self.test(data, v):
                out.append(Result(shape, self, focus, v))


@dataclass(eq=False)
class Count(Constraint):
    least: int = 0
    most: int | None = None

    def check(self, data: Data, shape: Shape, focus: Node, values: set[Node], out: Results) -> None:
        if len(values) < self.least or (self.most is not None and len(values) > self.most):
            out.append(Result(shape, self, focus, None))


@dataclass(eq=False)
class HasValue(Constraint):
    node: Node | None = None

    def check(self, data: Data, shape: Shape, focus: Node, values: set[Node], out: Results) -> None:
        if self.node not in values:
            out.append(Result(shape, self, focus, None))


@dataclass(eq=False)
class PropertyOf(Constraint):
    """``sh:property``: the property shape's own results, for each value node as its focus."""

    shape: Shape | None = None

    def check(self, data: Data, shape: Shape, focus: Node, values: set[Node], out: Results) -> None:
        assert self.shape is not None
        for v in values:
            self.shape.collect(data, v, out)


@dataclass(eq=False)
class Shape:
    node: rdflib.term.Node
    path: IRI | None
    severity: str
    message: str | None
    deactivated: bool
    constraints: list[Constraint] = field(default_factory=list)
    on_empty: list[Constraint] = field(default_factory=list)  # the ones that can fail without value nodes
    # Set by finish(): the constraints other than sh:property, and the active sh:property shapes with
    # their paths, so that a shape's properties are looked up inline and absent ones cost no call.
    direct: list[Constraint] = field(default_factory=list)
    direct_on_empty: list[Constraint] = field(default_factory=list)
    properties: list[tuple[Shape, IRI, bool]] = field(default_factory=list)
    has_value: Node | None = None  # the constant when sh:hasValue is the shape's only constraint

    def finish(self) -> None:
        """Split the constraints for collect(); call once they are all compiled."""
        self.direct = [c for c in self.constraints if not isinstance(c, PropertyOf)]
        self.direct_on_empty = [c for c in self.on_empty if not isinstance(c, PropertyOf)]
        subs = [c.shape for c in self.constraints if isinstance(c, PropertyOf)]
        self.properties = [(sub, sub.path, bool(sub.on_empty)) for sub in subs  # type: ignore[misc]
                           if sub is not None and not sub.deactivated]
        if self.path is not None and len(self.constraints) == 1 and isinstance(self.constraints[0], HasValue):
            self.has_value = self.constraints[0].node

    def collect(self, data: Data, focus: Node, out: Results) -> None:
        """Append the results of validating ``focus`` to ``out``."""
        if self.deactivated:
            return
        by_predicate = data.values.get(focus)
        if self.path is None:
            values = {focus}
        else:  # data.objects() inlined: this runs for every shape and focus node
            values = by_predicate.get(self.path, NOTHING) if by_predicate is not None else NOTHING
        self.check(data, focus, values, out)
        if not self.properties or not values:
            return
        if self.path is None:  # the focus is the one value node: its properties come from by_predicate
            for sub, path, on_empty in self.properties:
                found = by_predicate.get(path, NOTHING) if by_predicate is not None else NOTHING
                if found or on_empty:
                    sub.check(data, focus, found, out)
                    if found and sub.properties:
                        for v in found:
                            sub.collect_properties(data, v, out)
        else:
            for v in values:
                for sub, _, _ in self.properties:
                    sub.collect(data, v, out)

    def collect_properties(self, data: Data, focus: Node, out: Results) -> None:
        """The results of this shape's sh:property shapes for one of its value nodes."""
        for sub, _, _ in self.properties:
            sub.collect(data, focus, out)

    def check(self, data: Data, focus: Node, values: set[Node], out: Results) -> None:
        """The results of the constraints other than sh:property, given the value nodes."""
        for constraint in self.direct if values else self.direct_on_empty:
            constraint.check(data, self, focus, values, out)

    def conforms(self, data: Data, focus: Node) -> bool:
        """pyshacl's verdict with warnings allowed: only results of a severity not tolerated count."""
        if self.deactivated or self.severity in TOLERATED:
            return True
        if self.has_value is not None:  # sh:not [sh:path p; sh:hasValue c] of sh:or, answered by one look-up
            by_predicate = data.values.get(focus)
            return by_predicate is not None and self.has_value in by_predicate.get(self.path, NOTHING)  # type: ignore[arg-type]
        out: Results = []
        if not self.properties:  # every result would be this shape's own, not tolerated: stop at the first
            values = {focus} if self.path is None else data.objects(focus, self.path)
            for constraint in self.direct if values else self.direct_on_empty:
                constraint.check(data, self, focus, values, out)
                if out:
                    return False
            return True
        self.collect(data, focus, out)
        return all(r.shape.severity in TOLERATED for r in out)


class Compiler:
    """Reads a shapes graph into :class:`Shape` objects, refusing what it cannot do exactly."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.shapes: dict[rdflib.term.Node, Shape] = {}
        self.compiling: set[rdflib.term.Node] = set()
        if any(graph.subjects(RDF.type, SH.ConstraintComponent)):
            raise Unsupported("custom constraint components (sh:ConstraintComponent)")

    def targeted(self) -> list[tuple[Shape, tuple[str, ...]]]:
        """The shapes that select their own focus nodes, with the classes they target."""
        roots = {s for p in TARGETS for s in self.graph.subjects(p, None)}
        declared = {s for t in (SH.NodeShape, SH.PropertyShape) for s in self.graph.subjects(RDF.type, t)}
        for node in sorted(declared - roots, key=str):
            self.shape(node)  # untargeted, but refused all the same if it needs what is not implemented
        return [(self.shape(node), tuple(sorted(str(c) for c in self.graph.objects(node, SH.targetClass))))
                for node in sorted(roots, key=str)]

    def shape(self, node: rdflib.term.Node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if node in self.compiling:
            raise Unsupported(f"recursive shapes ({node})")
        self.compiling.add(node)
        self._check_supported(node)
        path = self._one(node, SH.path)
        if path is not None and not isinstance(path, rdflib.URIRef):
            raise Unsupported(f"complex property paths ({node})")
        if path is None and (node, RDF.type, SH.PropertyShape) in self.graph:
            raise Unsupported(f"a property shape without sh:path ({node})")
        deactivated = self._one(node, SH.deactivated)
        shape = Shape(
            node,
            IRI(path) if path is not None else None,
            str(self._one(node, SH.severity) or SH.Violation),
            str(message) if (message := self._one(node, SH.message)) is not None else None,
            bool(deactivated.value) if isinstance(deactivated, rdflib.Literal) else False,
        )
        shape.constraints = list(self._constraints(node))
        shape.on_empty = [c for c in shape.constraints if isinstance(c, (Count, HasValue))]
        shape.finish()
        self.compiling.discard(node)
        self.shapes[node] = shape
        return shape

    def _check_supported(self, node: rdflib.term.Node) -> None:
        for p in set(self.graph.predicates(node, None)):
            if str(p).startswith(str(SH)) and p not in HANDLED and p not in DESCRIPTIVE:
                raise Unsupported(f"{p.n3(self.graph.namespace_manager)} (on {node})")
        classes = {RDFS.Class, OWL.Class} | set(self.graph.subjects(RDFS.subClassOf, RDFS.Class))
        if any(t in classes for t in self.graph.objects(node, RDF.type)):
            raise Unsupported(f"implicit class targets ({node} is a class)")

    def _one(self, node: rdflib.term.Node, parameter: rdflib.URIRef) -> rdflib.term.Node | None:
        values = list(self.graph.objects(node, parameter))
        if len(values) > 1:
            raise Unsupported(f"more than one {parameter.n3(self.graph.namespace_manager)} on {node}")
        return values[0] if values else None

    def _list(self, head: rdflib.term.Node) -> list[rdflib.term.Node]:
        items = list(Collection(self.graph, head))  # type: ignore[arg-type]
        if not items:
            raise Unsupported(f"an empty or malformed RDF list ({head})")
        return items

    def _constant(self, term: rdflib.term.Node) -> Node:
        if isinstance(term, rdflib.URIRef):
            return IRI(term)
        if isinstance(term, rdflib.Literal):
            return value_of_rdflib(term)
        raise Unsupported(f"blank nodes as constants ({term})")

    def _constraints(self, node: rdflib.term.Node) -> Iterator[Constraint]:
        g = self.graph
        least, most = self._one(node, SH.minCount), self._one(node, SH.maxCount)
        if least is not None:
            yield Count(str(SH.MinCountConstraintComponent), SH.minCount, least=int(least))  # type: ignore[call-overload]
        if most is not None:
            yield Count(str(SH.MaxCountConstraintComponent), SH.maxCount, most=int(most))  # type: ignore[call-overload]
        if (datatype := self._one(node, SH.datatype)) is not None:
            yield EachValue(str(SH.DatatypeConstraintComponent), SH.datatype, _datatype_test(str(datatype)))
        for cls in g.objects(node, SH["class"]):
            yield EachValue(str(SH.ClassConstraintComponent), SH["class"], _class_test(str(cls)))
        for head in g.objects(node, SH["in"]):
            allowed = frozenset(self._constant(t) for t in self._list(head))
            yield EachValue(str(SH.InConstraintComponent), SH["in"], lambda data, v, allowed=allowed: v in allowed)
        patterns = list(g.objects(node, SH.pattern))
        if patterns:
            flags = self._one(node, SH.flags)
            for pattern in patterns:
                yield EachValue(str(SH.PatternConstraintComponent), SH.pattern, _pattern_test(pattern, flags))
        if (kind := self._one(node, SH.nodeKind)) is not None:
            yield EachValue(str(SH.NodeKindConstraintComponent), SH.nodeKind, _node_kind_test(kind))
        for parameter, (component, passes) in RANGES.items():
            for bound in g.objects(node, parameter):
                if not isinstance(bound, rdflib.Literal):
                    raise Unsupported(f"a non-literal range bound ({bound})")
                yield EachValue(str(component), parameter, _range_test(bound, passes))
        for value in g.objects(node, SH.hasValue):
            yield HasValue(str(SH.HasValueConstraintComponent), SH.hasValue, node=self._constant(value))
        for head in g.objects(node, SH["or"]):
            members = [self.shape(m) for m in self._list(head)]
            yield EachValue(str(SH.OrConstraintComponent), SH["or"],
                            lambda data, v, members=members: any(m.conforms(data, v) for m in members))
        for member_node in g.objects(node, SH["not"]):
            member = self.shape(member_node)
            yield EachValue(str(SH.NotConstraintComponent), SH["not"],
                            lambda data, v, member=member: not member.conforms(data, v))
        for prop in g.objects(node, SH.property):
            sub = self.shape(prop)
            if sub.path is None:
                raise Unsupported(f"sh:property pointing to a shape without sh:path ({prop})")
            yield PropertyOf(str(SH.PropertyConstraintComponent), SH.property, shape=sub)


def _datatype_test(rule: str) -> Callable[[Data, Node], bool]:
    """pyshacl's sh:datatype: same datatype IRI, not ill-typed, and a Python value of the expected kind."""
    kind = PYTHON_KINDS.get(rule)

    def actual(v: LiteralNode) -> bool:
        return kind is None or isinstance(v.python, kind)

    def test(data: Data, v: Node) -> bool:
        if isinstance(v, str):
            return False
        if v.datatype == rule:
            return not v.ill_typed and actual(v)
        if rule == RDFS_LITERAL:
            return True
        if rule == RDFS_DATATYPE:
            return v.datatype is not None
        if v.datatype is None and v.language is None and rule == XSD_STRING:
            return actual(v)
        return rule == RDF_LANGSTRING and v.language is not None and actual(v)

    return test


# The Python types rdflib gives the values pyshacl checks sh:datatype against; other datatypes pass unchecked.
PYTHON_KINDS: dict[str, type | tuple[type, ...]] = {
    str(XSD.string): (str, bytes), str(RDF.langString): (str, bytes), str(XSD.integer): int,
    str(XSD.float): float, str(XSD.decimal): Decimal, str(XSD.boolean): bool, str(XSD.date): date,
    str(XSD.time): time, str(XSD.dateTime): datetime,
}


def _class_test(cls: str) -> Callable[[Data, Node], bool]:
    def test(data: Data, v: Node) -> bool:
        if not isinstance(v, IRI):
            return False
        if data.supers:
            return data.is_instance(v, cls)
        by_predicate = data.values.get(v)  # data.is_instance() inlined for a record without subclasses
        return by_predicate is not None and cls in by_predicate.get(RDF_TYPE, NOTHING)

    return test


def _pattern_test(pattern: rdflib.term.Node, flags: rdflib.term.Node | None) -> Callable[[Data, Node], bool]:
    """pyshacl's sh:pattern: a regex search over the lexical form or IRI; of the flags only i and m count."""
    if not isinstance(pattern, rdflib.Literal):
        raise Unsupported(f"a non-literal sh:pattern ({pattern})")
    given = str(flags).lower() if flags is not None else ""
    regex = re.compile(str(pattern), (re.IGNORECASE if "i" in given else 0) | (re.MULTILINE if "m" in given else 0))
    return lambda data, v: regex.search(v if isinstance(v, str) else v.lexical) is not None


def _node_kind_test(kind: rdflib.term.Node) -> Callable[[Data, Node], bool]:
    iri_ok = kind in (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)
    literal_ok = kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    if not iri_ok and not literal_ok and kind != SH.BlankNode:
        raise Unsupported(f"sh:nodeKind {kind}")
    return lambda data, v: iri_ok if isinstance(v, str) else literal_ok


RANGES: dict[rdflib.URIRef, tuple[rdflib.URIRef, Callable[[int], bool]]] = {
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, lambda c: c > 0),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
}


def _range_test(bound: rdflib.Literal, passes: Callable[[int], bool]) -> Callable[[Data, Node], bool]:
    """pyshacl's range checks: literals only, strings only against strings, compared as rdflib compares."""
    bound_is_string = isinstance(bound.value, str)

    def test(data: Data, v: Node) -> bool:
        if isinstance(v, str) or isinstance(v.python, str) != bound_is_string:
            return False
        cmp = order(v.term, bound)
        return cmp is not None and passes(cmp)

    return test


class CompiledValidator:
    """Validates record graphs as :class:`~exporter.validation.shacl.ShaclValidator` does, with the shapes compiled once."""

    def __init__(self, shapes: rdflib.Graph | None = None) -> None:
        self.shapes = shapes if shapes is not None else load_shapes()
        compiler = Compiler(self.shapes)
        self.targeted = compiler.targeted()
        paths = {shape.path for shape in compiler.shapes.values() if shape.path is not None}
        self.predicates = frozenset(paths | {RDF_TYPE, SUBCLASS_OF})  # the only triples a verdict can depend on

    def validate(self, graph: RecordGraph) -> list[Finding]:
        """Every finding for the record, violations and warnings alike, in a stable order."""
        data = Data(graph.triples, self.predicates)
        results: Results = []
        for shape, classes in self.targeted:
            for focus in data.focus_nodes(classes):
                shape.collect(data, focus, results)
        return ordered(self._finding(r, graph.label) for r in results)

    def _finding(self, result: Result, record: str) -> Finding:
        shape = result.shape
        return Finding(
            record=record,
            focus=_text(result.focus),
            path=str(shape.path) if shape.path is not None else None,
            component=result.constraint.component,
            severity=shape.severity,
            message=shape.message if shape.message is not None else self._generic_message(result),
            value=_text(result.value) if result.value is not None else None,
        )

    @cached_property
    def _pyshacl_shapes(self) -> ShapesGraph:
        shapes = ShapesGraph(self.shapes)  # its prefixes name the paths in messages, as pyshacl's own run does
        shapes.shapes  # noqa: B018 - builds the lookup of shapes by node
        return shapes

    def _generic_message(self, result: Result) -> str:
        """The message pyshacl makes up when the shape gives none, made by pyshacl's own component."""
        shape = self._pyshacl_shapes.lookup_shape_from_node(result.shape.node)
        component = CONSTRAINT_PARAMETERS_MAP[result.constraint.parameter](shape)
        value = _rdflib(result.value) if result.value is not None else None
        messages = component.make_generic_messages(rdflib.Graph(), _rdflib(result.focus), value)
        return str(messages[0]) if messages else ""


def _text(node: Node) -> str:
    """A node as a report shows it: the IRI, or the literal's normalised lexical form."""
    return str(node) if isinstance(node, str) else node.lexical


def _rdflib(node: Node) -> rdflib.term.Identifier:
    return to_rdflib_term(node if isinstance(node, str) else node.term)  # type: ignore[arg-type]
