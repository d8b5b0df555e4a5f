"""SHACL Core shapes compiled once into Python source specialised for them.

pyshacl spends ~15 ms a record building rdflib graphs and walking its generic machinery;
the shapes never change during a run, so they are read once into :class:`~.constraints.Shape`
and constraint objects, and each shape is then written out as one Python function
(:attr:`CompiledValidator.source` shows them) with its property look-ups, value loops and
common tests inlined and its constants bound: ``sh:in`` is a set membership,
``sh:class`` a look-up of the value's ``rdf:type``, ``sh:datatype xsd:string`` a class
check, ``sh:or``/``sh:not`` of such shapes one boolean expression. The generated code
only decides that a constraint holds; when it may not, the constraint object's own,
generic check runs and makes the results, so most records, which conform, cost no
result, no call per constraint and no rdflib at all.

All of SHACL Core is implemented (not SHACL-SPARQL: ``sh:sparql``, SPARQL-based targets
and custom constraint components raise :class:`Unsupported` when the shapes are loaded).
The semantics are pyshacl's as :class:`~exporter.validation.shacl.ShaclValidator` runs
it (no inference, warnings allowed), including its corners: value nodes are sets (the
index keeps lists and the code deduplicates where a count or a result could tell),
literals are compared as rdflib normalises them, a shape of severity warning or info
always conforms inside ``sh:or``/``sh:not``. The tests hold the two validators equal on
every fixture, on broken records and on the W3C SHACL Core test suite.

A record's graph is indexed straight from the mapper's terms; any other RDF graph, blank
nodes and all, goes through :func:`~.data.triples_of` into the same index
(:meth:`CompiledValidator.validate_graph`).
"""

from __future__ import annotations

import linecache
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import count
from typing import TYPE_CHECKING

import rdflib
from rdflib.collection import Collection as RDFList
from rdflib.namespace import OWL, RDF, RDFS, SH

from ..mapping.terms import IRI, Literal, RecordGraph
from .constraints import (
    TOLERATED, And, ClassOf, Closed, Collect, Constraint, Count, Datatype, Disjoint, EachValue, Equals, HasValue,
    In, LanguageIn, Length, LessThan, NodeKind, NodeShape, Not, Or, Pair, Pattern, Qualified, Range, Result, Results,
    Shape, UniqueLang, Xone, joined,
)
from .data import EMPTY, RDF_TYPE, SUBCLASS_OF, AllPredicates, Blank, Data, Node, node_of, rdflib_of, triples_of, unique
from .findings import Finding, ordered
from .literals import Value
from .paths import BadPath, Path, predicates, read_path, sparql, text
from .shacl import load_shapes, pick_message

if TYPE_CHECKING:
    from pyshacl.shapes_graph import ShapesGraph

# Shape parameters that only describe; everything else in sh: must be implemented below.
DESCRIPTIVE = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
HANDLED = {SH.path, SH.property, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.pattern,
           SH.flags, SH.nodeKind, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
           SH.hasValue, SH["or"], SH["and"], SH["not"], SH.xone, SH.node, SH.severity, SH.message, SH.deactivated,
           SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.minLength, SH.maxLength,
           SH.languageIn, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.closed,
           SH.ignoredProperties, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
           SH.qualifiedValueShapesDisjoint}
TRUE = rdflib.Literal(True)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class Unsupported(ValueError):
    """The shapes use what SHACL Core does not define (SHACL-SPARQL), or are not well-formed SHACL."""


@dataclass(frozen=True)
class Targets:
    """How a shape selects its focus nodes."""

    classes: tuple[str, ...] = ()  # explicit sh:targetClass, and the shape itself when it is a class
    nodes: tuple[Node, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()

    @property
    def by_class_only(self) -> bool:
        return not (self.nodes or self.subjects_of or self.objects_of)

    def focus_nodes(self, data: Data) -> Iterator[Node]:
        """Each focus node once, in a stable order."""
        nodes: dict[Node, None] = dict.fromkeys(self.nodes)
        for cls in self.classes:
            nodes.update(dict.fromkeys(data.instances(cls)))
        for p in self.subjects_of:
            nodes.update(dict.fromkeys(s for s, by_predicate in data.values.items() if p in by_predicate))
        for p in self.objects_of:
            nodes.update(dict.fromkeys(o for by_predicate in data.values.values() for o in by_predicate.get(p, ())))
        return iter(nodes)


def _describe(shape: Shape) -> str:
    """What a comment calls the shape: its IRI, or its path when it has no name."""
    if isinstance(shape.node, rdflib.URIRef):
        return str(shape.node)
    return f"sh:path {sparql(shape.path)}" if shape.path is not None else "a blank node shape"


class Code:
    """The Python source of one ``collect`` function per shape, and the constants it names.

    A function looks the focus node's properties up, runs the written-out tests over the
    value nodes, and calls a constraint's :meth:`~.constraints.Constraint.check` only when
    the constraint may not hold. A node shape's property shapes are written inside its function.
    """

    def __init__(self, shapes: Iterable[Shape]) -> None:
        self.functions = {shape: f"collect_{i}" for i, shape in enumerate(shapes)}
        self.constants: dict[str, object] = {"EMPTY": EMPTY, "IRI": IRI, "Literal": Literal, "Value": Value,
                                             "Blank": Blank, "unique": unique}
        self._names: dict[tuple[type, object], str] = {}
        self._fresh = count()
        self._lines: list[str] = []
        for shape, name in self.functions.items():
            self._function(shape, name)
        self.source = "\n".join(self._lines) + "\n"

    def load(self) -> None:
        """Run the source and give each shape its function (tracebacks show the generated lines)."""
        filename = f"<compiled shapes {id(self):x}>"
        linecache.cache[filename] = (len(self.source), None, self.source.splitlines(True), filename)
        namespace = dict(self.constants)
        exec(compile(self.source, filename, "exec"), namespace)  # noqa: S102 - source written above from the shapes
        for shape, name in self.functions.items():
            shape.collect = namespace[name]  # type: ignore[assignment]

    def constant(self, value: object, prefix: str = "k") -> str:
        """An expression for ``value``: a string (an IRI) written out, anything else bound to a name."""
        if value.__class__ is IRI or value.__class__ is str:
            return repr(str(value))
        key = (value.__class__, value)
        if key not in self._names:
            self._names[key] = name = f"{prefix}{len(self._names)}"
            self.constants[name] = value
        return self._names[key]

    def fresh(self) -> str:
        """A name for a generator expression's node, unused elsewhere."""
        return f"v{next(self._fresh)}"

    def values(self, path: IRI | Path, node: str) -> str:
        """An expression for the value nodes of the node ``node`` names along ``path``."""
        if isinstance(path, Path):
            return f"{self.constant(path.values, 'path')}(data, {node})"
        properties = "by" if node == "focus" else f"values.get({node}, EMPTY)"  # by: the focus's, at hand
        return f"{properties}.get({self.constant(path)}, ())"

    def conforms(self, shape: Shape, v: str) -> str:
        """An expression saying exactly whether the node ``v`` names conforms to ``shape`` (for sh:or, sh:node...)."""
        if shape.deactivated or shape.severity in TOLERATED:
            return "True"
        if shape.properties or shape.recursive:  # results of other severities may come from the property shapes
            return f"{self.constant(shape, 'shape')}.conforms(data, {v})"
        if shape.path is None:
            parts = [self._holds_for(c, v) for c in shape.constraints]
        else:
            values = self.values(shape.path, v)
            parts = [c.holds(values, self, nonempty=False, focus=v) for c in shape.constraints]
        return joined(parts, "and")

    def _holds_for(self, constraint: Constraint, node: str) -> str:
        """Whether ``constraint`` holds when ``node`` is the one value node, a node shape's focus."""
        if isinstance(constraint, EachValue):
            return constraint.inline(node, self)
        return constraint.holds(f"({node},)", self, nonempty=True, focus=node)

    def _line(self, depth: int, text: str) -> None:
        self._lines.append("    " * depth + text)

    def _check(self, constraint: Constraint, shape: Shape, values: str) -> str:
        check = self.constant(constraint, "constraint")
        return f"{check}.check(data, {self.constant(shape, 'shape')}, focus, {values}, out)"

    def _function(self, shape: Shape, name: str) -> None:
        self._line(0, f"def {name}(data, focus, out):")
        self._line(1, f"# {_describe(shape)}")
        if shape.deactivated:
            self._line(1, "return")
        else:
            self._line(1, "values = data.values")
            self._line(1, "by = values.get(focus, EMPTY)")
            self._body(shape, 1)
        self._line(0, "")

    def _body(self, shape: Shape, depth: int) -> None:
        """The statements appending ``shape``'s results for ``focus``, whose properties are ``by``."""
        if shape.path is None:  # the focus is the one value node
            for constraint in shape.constraints:
                if (holds := self._holds_for(constraint, "focus")) != "True":
                    self._line(depth, f"if not {holds}:")
                    self._line(depth + 1, self._check(constraint, shape, "(focus,)"))
            for sub in shape.properties:
                self._line(depth, f"# {_describe(sub)}")
                self._body(sub, depth)
            return
        start = len(self._lines)
        self._line(depth, f"vals = {self.values(shape.path, 'focus')}")
        self._line(depth, "if vals:")
        for constraint in shape.constraints:
            if isinstance(constraint, EachValue):
                self._line(depth + 1, "for v in vals:")
                self._line(depth + 2, f"if not {constraint.inline('v', self)}:")
                self._line(depth + 3, self._check(constraint, shape, "unique(vals)"))
                self._line(depth + 3, "break")
            elif (holds := constraint.holds("vals", self, nonempty=True)) != "True":
                self._line(depth + 1, f"if not {holds}:")
                self._line(depth + 2, self._check(constraint, shape, "unique(vals)"))
        if shape.properties:
            self._line(depth + 1, "for v in unique(vals):")
            for sub in shape.properties:
                self._line(depth + 2, f"{self.functions[sub]}(data, v, out)")
        needing = [c for c in shape.constraints if c.needs_values]
        if len(self._lines) == start + 2:  # nothing to check on value nodes: only their absence can fail
            del self._lines[start:]
            if not needing:
                return
            if isinstance(shape.path, Path):
                self._line(depth, f"if not {self.values(shape.path, 'focus')}:")
            else:
                self._line(depth, f"if {self.constant(shape.path)} not in by:")
        elif needing:
            self._line(depth, "else:")
        for constraint in needing:
            self._line(depth + 1, self._check(constraint, shape, "()"))


class Compiler:
    """Reads a shapes graph into :class:`~.constraints.Shape` objects, refusing what is not SHACL Core."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.shapes: dict[rdflib.term.Node, Shape] = {}
        if any(graph.subjects(RDF.type, SH.ConstraintComponent)):
            raise Unsupported("custom constraint components (sh:ConstraintComponent): SHACL-SPARQL, not Core")
        if any(graph.subjects(SH.target, None)):
            raise Unsupported("sh:target (SPARQL-based targets): SHACL-SPARQL, not Core")

    def targeted(self) -> list[tuple[Shape, Targets]]:
        """The shapes that select their own focus nodes, and how."""
        g = self.graph
        class_types = {RDFS.Class, OWL.Class} | set(g.subjects(RDFS.subClassOf, RDFS.Class))
        declared = {s for t in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, t)}
        implicit = {s for s in declared if any(t in class_types for t in g.objects(s, RDF.type))}
        roots = {s for p in TARGETS for s in g.subjects(p, None)} | implicit
        for node in sorted(declared - roots, key=str):
            self.shape(node)  # untargeted, but refused all the same if it is not well-formed
        targeted = []
        for node in sorted(roots, key=str):
            shape = self.shape(node)
            classes = {str(c) for c in g.objects(node, SH.targetClass)} | ({str(node)} if node in implicit else set())
            targeted.append((shape, Targets(
                tuple(sorted(classes)),
                tuple(node_of(n) for n in g.objects(node, SH.targetNode)),
                tuple(sorted(str(p) for p in g.objects(node, SH.targetSubjectsOf))),
                tuple(sorted(str(p) for p in g.objects(node, SH.targetObjectsOf))),
            )))
        self._mark_recursive()
        return targeted

    def shape(self, node: rdflib.term.Node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        self._check_supported(node)
        path = self._one(node, SH.path)
        if path is None and (node, RDF.type, SH.PropertyShape) in self.graph:
            raise Unsupported(f"a property shape without sh:path ({node})")
        try:
            parsed = read_path(self.graph, path) if path is not None else None
        except BadPath as error:
            raise Unsupported(str(error)) from None
        deactivated = self._one(node, SH.deactivated)
        messages = list(self.graph.objects(node, SH.message))
        shape = self.shapes[node] = Shape(
            node,
            parsed,
            str(self._one(node, SH.severity) or SH.Violation),
            pick_message(messages),
            bool(deactivated.value) if isinstance(deactivated, rdflib.Literal) else False,
        )
        shape.properties = [sub for sub in map(self._property, self.graph.objects(node, SH.property))
                            if not sub.deactivated]
        shape.constraints = list(self._constraints(node, shape))
        return shape

    def _mark_recursive(self) -> None:
        """Mark the shapes that can reach themselves, whose checks must stop on a cycle in the data."""
        for shape in self.shapes.values():
            seen: set[int] = set()
            todo = list(shape.references)
            while todo:
                other = todo.pop()
                if other is shape:
                    shape.recursive = True
                    break
                if id(other) not in seen:
                    seen.add(id(other))
                    todo.extend(other.references)

    def _property(self, node: rdflib.term.Node) -> Shape:
        sub = self.shape(node)
        if sub.path is None:
            raise Unsupported(f"sh:property pointing to a shape without sh:path ({node})")
        return sub

    def _check_supported(self, node: rdflib.term.Node) -> None:
        for p in set(self.graph.predicates(node, None)):
            if str(p).startswith(str(SH)) and p not in HANDLED and p not in DESCRIPTIVE:
                raise Unsupported(f"{p.n3(self.graph.namespace_manager)} (on {node}) is not SHACL Core")

    def _one(self, node: rdflib.term.Node, parameter: rdflib.URIRef) -> rdflib.term.Node | None:
        values = list(self.graph.objects(node, parameter))
        if len(values) > 1:
            raise Unsupported(f"more than one {parameter.n3(self.graph.namespace_manager)} on {node}")
        return values[0] if values else None

    def _integer(self, node: rdflib.term.Node, parameter: rdflib.URIRef) -> int | None:
        value = self._one(node, parameter)
        if value is None:
            return None
        if not isinstance(value, rdflib.Literal) or not isinstance(value.value, int):
            raise Unsupported(f"{parameter.n3(self.graph.namespace_manager)} must be an integer ({node})")
        return int(value.value)

    def _list(self, head: rdflib.term.Node) -> list[rdflib.term.Node]:
        items = list(RDFList(self.graph, head))  # type: ignore[arg-type]
        if head != RDF.nil and not items:
            raise Unsupported(f"a malformed RDF list ({head})")
        return items

    def _iri(self, node: rdflib.term.Node, parameter: rdflib.URIRef) -> str:
        value = self._one(node, parameter)
        if not isinstance(value, rdflib.URIRef):
            raise Unsupported(f"{parameter.n3(self.graph.namespace_manager)} must be an IRI ({node})")
        return str(value)

    def _constraints(self, node: rdflib.term.Node, shape: Shape) -> Iterator[Constraint]:
        g = self.graph
        least, most = self._integer(node, SH.minCount), self._integer(node, SH.maxCount)
        if least is not None:
            yield Count(str(SH.MinCountConstraintComponent), SH.minCount, least=least)
        if most is not None:
            yield Count(str(SH.MaxCountConstraintComponent), SH.maxCount, most=most)
        if (datatype := self._one(node, SH.datatype)) is not None:
            yield Datatype(str(SH.DatatypeConstraintComponent), SH.datatype, str(datatype))
        for cls in g.objects(node, SH["class"]):
            yield ClassOf(str(SH.ClassConstraintComponent), SH["class"], str(cls))
        for head in g.objects(node, SH["in"]):
            allowed = frozenset(node_of(t) for t in self._list(head))
            yield In(str(SH.InConstraintComponent), SH["in"], allowed)
        patterns = list(g.objects(node, SH.pattern))
        if patterns:
            flags = self._one(node, SH.flags)
            for pattern in patterns:
                yield Pattern(str(SH.PatternConstraintComponent), SH.pattern, _regex(pattern, flags))
        if (kind := self._one(node, SH.nodeKind)) is not None:
            yield _node_kind(kind)
        for parameter, (component, passing) in RANGES.items():
            for bound in g.objects(node, parameter):
                if not isinstance(bound, rdflib.Literal):
                    raise Unsupported(f"a non-literal range bound ({bound})")
                yield Range(str(component), parameter, bound, passing)
        for parameter, component in ((SH.minLength, SH.MinLengthConstraintComponent),
                                     (SH.maxLength, SH.MaxLengthConstraintComponent)):
            if (bound := self._integer(node, parameter)) is not None:
                yield Length(str(component), parameter, bound, parameter == SH.maxLength)
        for head in g.objects(node, SH.languageIn):
            ranges = tuple(str(r).lower() for r in self._list(head))
            yield LanguageIn(str(SH.LanguageInConstraintComponent), SH.languageIn, ranges)
        if self._one(node, SH.uniqueLang) == TRUE:  # only true, not "1"^^xsd:boolean, as the spec reads
            yield UniqueLang(str(SH.UniqueLangConstraintComponent), SH.uniqueLang)
        for value in g.objects(node, SH.hasValue):
            yield HasValue(str(SH.HasValueConstraintComponent), SH.hasValue, node_of(value))
        yield from self._pairs(node)
        for parameter, component, kind in LOGICAL:
            for head in g.objects(node, parameter):
                yield kind(str(component), parameter, [self.shape(m) for m in self._list(head)])
        for member in g.objects(node, SH["not"]):
            yield Not(str(SH.NotConstraintComponent), SH["not"], self.shape(member))
        for member in g.objects(node, SH.node):
            yield NodeShape(str(SH.NodeConstraintComponent), SH.node, self.shape(member))
        yield from self._qualified(node)
        if self._one(node, SH.closed) == TRUE:
            allowed = {str(sub.path) for sub in map(self.shape, g.objects(node, SH.property))
                       if isinstance(sub.path, str)}
            for head in g.objects(node, SH.ignoredProperties):
                allowed.update(str(p) for p in self._list(head))
            yield Closed(str(SH.ClosedConstraintComponent), SH.closed, frozenset(allowed))

    def _pairs(self, node: rdflib.term.Node) -> Iterator[Constraint]:
        for parameter, (component, make) in PAIRS.items():
            for other in self.graph.objects(node, parameter):
                if not isinstance(other, rdflib.URIRef):
                    raise Unsupported(f"{parameter.n3(self.graph.namespace_manager)} must be an IRI ({node})")
                yield make(str(component), parameter, IRI(other))

    def _qualified(self, node: rdflib.term.Node) -> Iterator[Constraint]:
        g = self.graph
        least, most = self._integer(node, SH.qualifiedMinCount), self._integer(node, SH.qualifiedMaxCount)
        for value_shape in g.objects(node, SH.qualifiedValueShape):
            siblings: list[Shape] = []
            if self._one(node, SH.qualifiedValueShapesDisjoint) == TRUE:
                siblings = [self.shape(s) for parent in g.subjects(SH.property, node)
                            for other in g.objects(parent, SH.property) if other != node
                            for s in g.objects(other, SH.qualifiedValueShape)]
            shape = self.shape(value_shape)
            if least is not None:
                yield Qualified(str(SH.QualifiedMinCountConstraintComponent), SH.qualifiedMinCount, shape,
                                list(unique(siblings)), least=least)
            if most is not None:
                yield Qualified(str(SH.QualifiedMaxCountConstraintComponent), SH.qualifiedMaxCount, shape,
                                list(unique(siblings)), most=most)


def _regex(pattern: rdflib.term.Node, flags: rdflib.term.Node | None) -> re.Pattern[str]:
    """pyshacl's sh:pattern regex: of the flags i, m, s and x count, as Python reads them."""
    if not isinstance(pattern, rdflib.Literal):
        raise Unsupported(f"a non-literal sh:pattern ({pattern})")
    given = str(flags) if flags is not None else ""
    chosen = 0
    for letter, flag in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
        if letter in given:
            chosen |= flag
    return re.compile(str(pattern), chosen)


NODE_KINDS = {  # sh:nodeKind: which of IRI, blank node, literal it allows
    SH.IRI: (True, False, False), SH.BlankNode: (False, True, False), SH.Literal: (False, False, True),
    SH.BlankNodeOrIRI: (True, True, False), SH.BlankNodeOrLiteral: (False, True, True),
    SH.IRIOrLiteral: (True, False, True),
}


def _node_kind(kind: rdflib.term.Node) -> NodeKind:
    if kind not in NODE_KINDS:
        raise Unsupported(f"sh:nodeKind {kind}")
    return NodeKind(str(SH.NodeKindConstraintComponent), SH.nodeKind, *NODE_KINDS[kind])  # type: ignore[index]


RANGES: dict[rdflib.URIRef, tuple[rdflib.URIRef, Callable[[int], bool]]] = {
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, lambda c: c > 0),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
}

PAIRS: dict[rdflib.URIRef, tuple[rdflib.URIRef, Callable[[str, rdflib.URIRef, IRI], Constraint]]] = {
    SH.equals: (SH.EqualsConstraintComponent, Equals),
    SH.disjoint: (SH.DisjointConstraintComponent, Disjoint),
    SH.lessThan: (SH.LessThanConstraintComponent, lambda c, p, o: LessThan(c, p, o, or_equal=False)),
    SH.lessThanOrEquals: (SH.LessThanOrEqualsConstraintComponent, lambda c, p, o: LessThan(c, p, o, or_equal=True)),
}

LOGICAL = ((SH["or"], SH.OrConstraintComponent, Or), (SH["and"], SH.AndConstraintComponent, And),
           (SH.xone, SH.XoneConstraintComponent, Xone))


class CompiledValidator:
    """Validates record graphs, or any RDF graph, as :class:`~exporter.validation.shacl.ShaclValidator` does,
    with the shapes compiled once."""

    def __init__(self, shapes: rdflib.Graph | None = None) -> None:
        self.shapes = shapes if shapes is not None else load_shapes()
        compiler = Compiler(self.shapes)
        targeted = compiler.targeted()
        code = Code(compiler.shapes.values())
        code.load()
        self.source = code.source  # what the shapes were compiled to, for reading
        self.targeting: dict[str, list[Collect]] = {}  # class -> the shapes that target it and only by class
        self.selecting: list[tuple[Collect, Targets]] = []  # the shapes with other targets
        for shape, targets in targeted:
            if targets.by_class_only:
                for cls in targets.classes:
                    self.targeting.setdefault(cls, []).append(shape.collect)
            else:
                self.selecting.append((shape.collect, targets))
        every = compiler.shapes.values()
        used = {p for shape in every if shape.path is not None for p in predicates(shape.path)}
        used |= {c.other for shape in every for c in shape.constraints if isinstance(c, Pair)}
        used |= {p for _, t in self.selecting for p in t.subjects_of + t.objects_of}
        # The only triples a verdict can depend on; all of them when a closed shape must see every property.
        self.predicates: frozenset[str] | AllPredicates = (
            AllPredicates() if any(isinstance(c, Closed) for s in every for c in s.constraints)
            else frozenset(used | {RDF_TYPE, SUBCLASS_OF}))

    def validate(self, graph: RecordGraph) -> list[Finding]:
        """Every finding for the record, violations and warnings alike, in a stable order."""
        results = self.results(Data(graph.triples, self.predicates))
        return ordered(self._finding(r, graph.label) for r in results) if results else []

    def validate_graph(self, graph: rdflib.Graph, label: str = "") -> list[Finding]:
        """Every finding for any RDF graph (blank nodes included), findings naming it ``label``."""
        results = self.results(Data(triples_of(graph), self.predicates))
        return ordered(self._finding(r, label, graph) for r in results)

    def results(self, data: Data) -> Results:
        results: Results = []
        targeting = self.targeting
        for focus, by_predicate in data.values.items():  # each typed subject to the shapes targeting its classes
            if RDF_TYPE in by_predicate:
                types = by_predicate[RDF_TYPE]
                if len(types) == 1 and not data.supers:  # most nodes: one class, its shapes at hand
                    shapes: Sequence[Collect] = targeting.get(types[0], ())  # type: ignore[call-overload]
                else:  # each shape once, whichever of the node's classes it targets
                    shapes = unique([c for cls in data.classes(types) for c in targeting.get(cls, [])])  # type: ignore[call-overload]
                for collect in shapes:
                    collect(data, focus, results)
        for collect, targets in self.selecting:
            for focus in targets.focus_nodes(data):
                collect(data, focus, results)
        return results

    def _finding(self, result: Result, record: str, graph: rdflib.Graph | None = None) -> Finding:
        shape = result.shape
        path = result.path if result.path is not None else text(shape.path) if shape.path is not None else None
        return Finding(
            record=record,
            focus=_text(result.focus),
            path=path,
            component=result.constraint.component,
            severity=shape.severity,
            message=shape.message if shape.message is not None else self._generic_message(result, graph),
            value=_text(result.value) if result.value is not None else None,
            shape=_text(node_of(shape.node)),
        )

    @cached_property
    def _pyshacl_shapes(self) -> ShapesGraph:
        from pyshacl.shapes_graph import ShapesGraph  # loaded only to word a finding: ~0.3 s of every start

        shapes = ShapesGraph(self.shapes)  # its prefixes name the paths in messages, as pyshacl's own run does
        shapes.shapes  # noqa: B018 - builds the lookup of shapes by node
        return shapes

    def _generic_message(self, result: Result, graph: rdflib.Graph | None) -> str:
        """The message pyshacl makes up when the shape gives none, made by pyshacl's own component
        (which names nodes with the prefixes of the data ``graph``)."""
        from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP

        shape = self._pyshacl_shapes.lookup_shape_from_node(result.shape.node)
        component = CONSTRAINT_PARAMETERS_MAP[result.constraint.parameter](shape)
        value = rdflib_of(result.value) if result.value is not None else None
        data = graph if graph is not None else rdflib.Graph()
        messages = component.make_generic_messages(data, rdflib_of(result.focus), value)
        return str(messages[0]) if messages else ""


def _text(node: Node) -> str:
    """A node as a report shows it: the IRI, ``_:id`` for a blank node, or the literal's normalised lexical form."""
    return str(node) if isinstance(node, str) else node.lexical
