"""SHACL Core shapes compiled once into Python source specialised for them.

pyshacl spends ~15 ms a record building rdflib graphs and walking its generic machinery;
the shapes never change during a run, so they are read once into :class:`Shape` and
constraint objects, and each shape is then written out as one Python function
(:attr:`CompiledValidator.source` shows them) with its property look-ups, value loops and
common tests inlined and its constants bound: ``sh:in`` is a set membership,
``sh:class`` a look-up of the value's ``rdf:type``, ``sh:datatype xsd:string`` a class
check, ``sh:or``/``sh:not`` of such shapes one boolean expression. The generated code
only decides that a constraint holds; when it may not, the constraint object's own,
generic check runs and makes the results, so most records, which conform, cost no
result, no call per constraint and no rdflib at all.

The semantics are pyshacl's as :class:`~exporter.validation.shacl.ShaclValidator` runs
it (no inference, warnings allowed), including its corners: value nodes are sets (the
index keeps lists and the code deduplicates where a count or a result could tell),
literals are compared as rdflib normalises them, a shape of severity warning or info
always conforms inside ``sh:or``/``sh:not``. Any SHACL feature the compiler does not
implement raises :class:`Unsupported` when the shapes are loaded, so the two validators
can never silently diverge; the tests hold them equal on every fixture and on broken records.
"""

from __future__ import annotations

import linecache
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property
from itertools import count
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import rdflib
from rdflib.collection import Collection as RDFList
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from ..mapping.convert import to_rdflib_term
from ..mapping.terms import IRI, XSD_STRING, Literal, RecordGraph, Triple
from .findings import Finding, ordered
from .literals import LiteralNode, Value, order, parsed, value_of_rdflib
from .shacl import load_shapes

if TYPE_CHECKING:
    from pyshacl.shapes_graph import ShapesGraph

Node = IRI | LiteralNode  # told apart by class: an IRI (a str), a plain string's Literal, or a Value
T = TypeVar("T")

RDF_TYPE, SUBCLASS_OF = IRI(RDF.type), IRI(RDFS.subClassOf)
RDFS_LITERAL, RDFS_DATATYPE, RDF_LANGSTRING = str(RDFS.Literal), str(RDFS.Datatype), str(RDF.langString)
EMPTY: dict[str, list[Node]] = {}  # the properties of a node that has none; shared, never mutated
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
    """One record's triples indexed once: each subject's value nodes per predicate, and its superclasses.

    The lists keep repeated objects (lists are cheaper to build than sets, and repeats are
    rare): whatever a repeat could change, counts and results, goes through :func:`unique`.
    """

    __slots__ = ("supers", "values")

    def __init__(self, triples: Iterable[Triple], predicates: frozenset[str]) -> None:
        values: dict[Node, dict[str, list[Node]]] = {}
        for s, p, o in triples:
            if p in predicates:
                if o.__class__ is not IRI and (o[1] != XSD_STRING or o[2] is not None):  # literals.is_plain() inlined
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

    def objects(self, subject: Node, predicate: str) -> list[Node]:
        return self.values.get(subject, EMPTY).get(predicate, [])

    def classes(self, types: list[Node]) -> list[Node]:
        """A node's classes given its rdf:types: those and, when the data says so, their superclasses."""
        if not self.supers:
            return types
        return list(set().union(*(_closure(t, self.supers) for t in types)))

    def is_instance(self, node: Node, cls: str) -> bool:
        return cls in self.classes(self.objects(node, RDF_TYPE))


def unique(items: Sequence[T]) -> Sequence[T]:
    """The items without repeats, the first of equal ones kept, as a graph keeps equal nodes."""
    return items if len(items) < 2 else list(dict.fromkeys(items))


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
Collect = Callable[[Data, Node, Results], None]  # a shape's compiled check of one focus node


@dataclass(eq=False)
class Constraint:
    """One constraint parameter: its results, and its test written as source for :class:`Code`.

    ``parameter`` names it for pyshacl's generic messages.
    """

    component: str
    parameter: rdflib.URIRef

    def check(self, data: Data, shape: Shape, focus: Node, values: Sequence[Node], out: Results) -> None:
        """Append the results for ``focus``, given its value nodes without repeats."""
        raise NotImplementedError

    def holds(self, values: str, code: Code, nonempty: bool) -> str:
        """An expression saying exactly whether the constraint holds for the value nodes ``values`` names."""
        raise NotImplementedError

    @property
    def needs_values(self) -> bool:
        """Whether it fails when there are no value nodes."""
        return False


@dataclass(eq=False)
class EachValue(Constraint):
    """A constraint that judges each value node on its own."""

    def test(self, data: Data, v: Node) -> bool:
        raise NotImplementedError

    def inline(self, v: str, code: Code) -> str:
        """:meth:`test` as an expression on the node ``v`` names; a call unless a subclass writes it out."""
        return f"{code.constant(self.test, 'test')}(data, {v})"

    def check(self, data: Data, shape: Shape, focus: Node, values: Sequence[Node], out: Results) -> None:
        for v in values:
            if not self.test(data, v):
                out.append(Result(shape, self, focus, v))

    def holds(self, values: str, code: Code, nonempty: bool) -> str:
        v = code.fresh()
        return f"all({self.inline(v, code)} for {v} in {values})"


# The Python types rdflib gives the values pyshacl checks sh:datatype against; other datatypes pass unchecked.
PYTHON_KINDS: dict[str, type | tuple[type, ...]] = {
    str(XSD.string): (str, bytes), str(RDF.langString): (str, bytes), str(XSD.integer): int,
    str(XSD.float): float, str(XSD.decimal): Decimal, str(XSD.boolean): bool, str(XSD.date): date,
    str(XSD.time): time, str(XSD.dateTime): datetime,
}


@dataclass(eq=False)
class Datatype(EachValue):
    """pyshacl's sh:datatype: same datatype IRI, not ill-typed, and a Python value of the expected kind."""

    rule: str

    @property
    def kind(self) -> type | tuple[type, ...] | None:
        return PYTHON_KINDS.get(self.rule)

    def expected(self, v: Value) -> bool:
        return self.kind is None or isinstance(v.python, self.kind)

    def test(self, data: Data, v: Node) -> bool:
        rule = self.rule
        if isinstance(v, IRI):
            return False
        if isinstance(v, Literal):  # a plain string: rdflib gives it no datatype
            return rule in (XSD_STRING, RDFS_LITERAL)
        if v.datatype == rule:
            return not v.ill_typed and self.expected(v)
        if rule == RDFS_LITERAL:
            return True
        if rule == RDFS_DATATYPE:
            return v.datatype is not None
        if v.datatype is None and v.language is None and rule == XSD_STRING:
            return self.expected(v)
        return rule == RDF_LANGSTRING and v.language is not None and self.expected(v)

    def inline(self, v: str, code: Code) -> str:
        if self.rule == XSD_STRING:  # plain strings pass; the test judges the rest
            return f"({v}.__class__ is Literal or {super().inline(v, code)})"
        if self.rule in (RDFS_LITERAL, RDFS_DATATYPE, RDF_LANGSTRING):
            return super().inline(v, code)
        # Any other rule only a Value of that very datatype can meet (the test's first branch).
        kind = f" and isinstance({v}.python, {code.constant(self.kind, 'kind')})" if self.kind else ""
        return f"({v}.__class__ is Value and {v}.datatype == {code.constant(self.rule)} and not {v}.ill_typed{kind})"


@dataclass(eq=False)
class ClassOf(EachValue):
    cls: str

    def test(self, data: Data, v: Node) -> bool:
        return isinstance(v, IRI) and data.is_instance(v, self.cls)

    def inline(self, v: str, code: Code) -> str:  # a direct rdf:type decides; subclasses are left to the test
        types = f"values.get({v}, EMPTY).get({code.constant(RDF_TYPE)}, ())"
        return f"({code.constant(self.cls)} in {types} or {super().inline(v, code)})"


@dataclass(eq=False)
class In(EachValue):
    allowed: frozenset[Node]

    def test(self, data: Data, v: Node) -> bool:
        return v in self.allowed

    def inline(self, v: str, code: Code) -> str:
        return f"({v} in {code.constant(self.allowed, 'allowed')})"


@dataclass(eq=False)
class Pattern(EachValue):
    """pyshacl's sh:pattern: a regex search over the lexical form or IRI."""

    regex: re.Pattern[str]

    def test(self, data: Data, v: Node) -> bool:
        return self.regex.search(v if isinstance(v, IRI) else v.lexical) is not None

    def inline(self, v: str, code: Code) -> str:
        search = code.constant(self.regex.search, "search")
        return f"({search}({v} if {v}.__class__ is IRI else {v}.lexical) is not None)"


@dataclass(eq=False)
class NodeKind(EachValue):
    iri_ok: bool
    literal_ok: bool

    def test(self, data: Data, v: Node) -> bool:
        return self.iri_ok if isinstance(v, IRI) else self.literal_ok

    def inline(self, v: str, code: Code) -> str:
        if self.iri_ok == self.literal_ok:
            return str(self.iri_ok)
        return f"({v}.__class__ is {'' if self.iri_ok else 'not '}IRI)"


@dataclass(eq=False)
class Range(EachValue):
    """pyshacl's range checks: literals only, strings only against strings, compared as rdflib compares."""

    bound: rdflib.Literal
    passes: Callable[[int], bool]

    def test(self, data: Data, v: Node) -> bool:
        if isinstance(v, IRI):
            return False
        is_string = isinstance(v, Literal) or isinstance(v.python, str)
        if is_string != isinstance(self.bound.value, str):
            return False
        cmp = order(v if isinstance(v, Literal) else v.term, self.bound)
        return cmp is not None and self.passes(cmp)


@dataclass(eq=False)
class Or(EachValue):
    members: list[Shape]

    def test(self, data: Data, v: Node) -> bool:
        return any(m.conforms(data, v) for m in self.members)

    def inline(self, v: str, code: Code) -> str:
        return _all([code.conforms(m, v) for m in self.members], "or")


@dataclass(eq=False)
class Not(EachValue):
    member: Shape

    def test(self, data: Data, v: Node) -> bool:
        return not self.member.conforms(data, v)

    def inline(self, v: str, code: Code) -> str:
        return f"(not {code.conforms(self.member, v)})"


@dataclass(eq=False)
class Count(Constraint):
    least: int = 0
    most: int | None = None

    def check(self, data: Data, shape: Shape, focus: Node, values: Sequence[Node], out: Results) -> None:
        if len(values) < self.least or (self.most is not None and len(values) > self.most):
            out.append(Result(shape, self, focus, None))

    def holds(self, values: str, code: Code, nonempty: bool) -> str:
        # The length of the list first: the set, for the repeats it may hold, only when that does not decide.
        parts = []
        if self.least > 1:
            parts.append(f"len({values}) >= {self.least} and len(set({values})) >= {self.least}")
        elif self.least == 1 and not nonempty:
            parts.append(f"len({values}) >= 1")
        if self.most is not None:
            parts.append(f"(len({values}) <= {self.most} or len(set({values})) <= {self.most})")
        return f"({' and '.join(parts)})" if len(parts) > 1 or self.least > 1 else "".join(parts) or "True"

    @property
    def needs_values(self) -> bool:
        return self.least > 0


@dataclass(eq=False)
class HasValue(Constraint):
    node: Node

    def check(self, data: Data, shape: Shape, focus: Node, values: Sequence[Node], out: Results) -> None:
        if self.node not in values:
            out.append(Result(shape, self, focus, None))

    def holds(self, values: str, code: Code, nonempty: bool) -> str:
        return f"({code.constant(self.node, 'node')} in {values})"

    @property
    def needs_values(self) -> bool:
        return True


@dataclass(eq=False)
class Shape:
    node: rdflib.term.Node
    path: IRI | None
    severity: str
    message: str | None
    deactivated: bool
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)  # the active sh:property shapes, each with a path
    collect: Collect = field(init=False, repr=False)  # appends a focus node's results; set by Code.load()

    def conforms(self, data: Data, focus: Node) -> bool:
        """pyshacl's verdict with warnings allowed: only results of a severity not tolerated count."""
        if self.deactivated or self.severity in TOLERATED:
            return True
        out: Results = []
        self.collect(data, focus, out)
        return all(r.shape.severity in TOLERATED for r in out)


def _describe(shape: Shape) -> str:
    """What a comment calls the shape: its IRI, or its path when it has no name."""
    if isinstance(shape.node, rdflib.URIRef):
        return str(shape.node)
    return f"sh:path <{shape.path}>" if shape.path is not None else "a blank node shape"


def _all(expressions: list[str], operator: str) -> str:
    """The expressions joined by ``and`` or ``or``, in parentheses when there are several."""
    if len(expressions) == 1:
        return expressions[0]
    return f"({f' {operator} '.join(expressions)})" if expressions else str(operator == "and")


class Code:
    """The Python source of one ``collect`` function per shape, and the constants it names.

    A function looks the focus node's properties up, runs the written-out tests over the
    value nodes, and calls a constraint's :meth:`~Constraint.check` only when the
    constraint may not hold. A node shape's property shapes are written inside its function.
    """

    def __init__(self, shapes: Iterable[Shape]) -> None:
        self.functions = {shape: f"collect_{i}" for i, shape in enumerate(shapes)}
        self.constants: dict[str, object] = {"EMPTY": EMPTY, "IRI": IRI, "Literal": Literal, "Value": Value,
                                             "unique": unique}
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
        if isinstance(value, str):
            return repr(str(value))
        key = (value.__class__, value)
        if key not in self._names:
            self._names[key] = name = f"{prefix}{len(self._names)}"
            self.constants[name] = value
        return self._names[key]

    def fresh(self) -> str:
        """A name for a generator expression's node, unused elsewhere."""
        return f"v{next(self._fresh)}"

    def conforms(self, shape: Shape, v: str) -> str:
        """An expression saying exactly whether the node ``v`` names conforms to ``shape`` (for sh:or, sh:not)."""
        if shape.deactivated or shape.severity in TOLERATED:
            return "True"
        if shape.properties:  # results of other severities may come from them
            return f"{self.constant(shape, 'shape')}.conforms(data, {v})"
        if shape.path is None:
            parts = [self._holds_for(c, v) for c in shape.constraints]
        else:
            properties = "by" if v == "focus" else f"values.get({v}, EMPTY)"  # by: the focus's, at hand
            values = f"{properties}.get({self.constant(shape.path)}, ())"
            parts = [c.holds(values, self, nonempty=False) for c in shape.constraints]
        return _all(parts, "and")

    def _holds_for(self, constraint: Constraint, node: str) -> str:
        """Whether ``constraint`` holds when ``node`` is the one value node, a node shape's focus."""
        if isinstance(constraint, EachValue):
            return constraint.inline(node, self)
        return constraint.holds(f"({node},)", self, nonempty=True)

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
        path = self.constant(shape.path)
        start = len(self._lines)
        self._line(depth, f"vals = by.get({path}, ())")
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
            if needing:
                self._line(depth, f"if {path} not in by:")
        elif needing:
            self._line(depth, "else:")
        for constraint in needing:
            self._line(depth + 1, self._check(constraint, shape, "()"))


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
        shape.properties = [sub for sub in map(self._property, self.graph.objects(node, SH.property))
                            if not sub.deactivated]
        self.compiling.discard(node)
        self.shapes[node] = shape
        return shape

    def _property(self, node: rdflib.term.Node) -> Shape:
        sub = self.shape(node)
        if sub.path is None:
            raise Unsupported(f"sh:property pointing to a shape without sh:path ({node})")
        return sub

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
        items = list(RDFList(self.graph, head))  # type: ignore[arg-type]
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
            yield Datatype(str(SH.DatatypeConstraintComponent), SH.datatype, str(datatype))
        for cls in g.objects(node, SH["class"]):
            yield ClassOf(str(SH.ClassConstraintComponent), SH["class"], str(cls))
        for head in g.objects(node, SH["in"]):
            allowed = frozenset(self._constant(t) for t in self._list(head))
            yield In(str(SH.InConstraintComponent), SH["in"], allowed)
        patterns = list(g.objects(node, SH.pattern))
        if patterns:
            flags = self._one(node, SH.flags)
            for pattern in patterns:
                yield Pattern(str(SH.PatternConstraintComponent), SH.pattern, _regex(pattern, flags))
        if (kind := self._one(node, SH.nodeKind)) is not None:
            yield _node_kind(kind)
        for parameter, (component, passes) in RANGES.items():
            for bound in g.objects(node, parameter):
                if not isinstance(bound, rdflib.Literal):
                    raise Unsupported(f"a non-literal range bound ({bound})")
                yield Range(str(component), parameter, bound, passes)
        for value in g.objects(node, SH.hasValue):
            yield HasValue(str(SH.HasValueConstraintComponent), SH.hasValue, self._constant(value))
        for head in g.objects(node, SH["or"]):
            yield Or(str(SH.OrConstraintComponent), SH["or"], [self.shape(m) for m in self._list(head)])
        for member in g.objects(node, SH["not"]):
            yield Not(str(SH.NotConstraintComponent), SH["not"], self.shape(member))


def _regex(pattern: rdflib.term.Node, flags: rdflib.term.Node | None) -> re.Pattern[str]:
    """pyshacl's sh:pattern regex: of the flags only i and m count."""
    if not isinstance(pattern, rdflib.Literal):
        raise Unsupported(f"a non-literal sh:pattern ({pattern})")
    given = str(flags).lower() if flags is not None else ""
    return re.compile(str(pattern), (re.IGNORECASE if "i" in given else 0) | (re.MULTILINE if "m" in given else 0))


def _node_kind(kind: rdflib.term.Node) -> NodeKind:
    iri_ok = kind in (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)
    literal_ok = kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    if not iri_ok and not literal_ok and kind != SH.BlankNode:
        raise Unsupported(f"sh:nodeKind {kind}")
    return NodeKind(str(SH.NodeKindConstraintComponent), SH.nodeKind, iri_ok, literal_ok)


RANGES: dict[rdflib.URIRef, tuple[rdflib.URIRef, Callable[[int], bool]]] = {
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, lambda c: c > 0),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
}


class CompiledValidator:
    """Validates record graphs as :class:`~exporter.validation.shacl.ShaclValidator` does, with the shapes compiled once."""

    def __init__(self, shapes: rdflib.Graph | None = None) -> None:
        self.shapes = shapes if shapes is not None else load_shapes()
        compiler = Compiler(self.shapes)
        targeted = compiler.targeted()
        code = Code(compiler.shapes.values())
        code.load()
        self.source = code.source  # what the shapes were compiled to, for reading
        self.targeting: dict[str, list[Collect]] = {}  # class -> the shapes targeting it
        for shape, classes in targeted:
            for cls in classes:
                self.targeting.setdefault(cls, []).append(shape.collect)
        paths = {shape.path for shape in compiler.shapes.values() if shape.path is not None}
        self.predicates = frozenset(paths | {RDF_TYPE, SUBCLASS_OF})  # the only triples a verdict can depend on

    def validate(self, graph: RecordGraph) -> list[Finding]:
        """Every finding for the record, violations and warnings alike, in a stable order."""
        data = Data(graph.triples, self.predicates)
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
        return ordered(self._finding(r, graph.label) for r in results) if results else []

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
        from pyshacl.shapes_graph import ShapesGraph  # loaded only to word a finding: ~0.3 s of every start

        shapes = ShapesGraph(self.shapes)  # its prefixes name the paths in messages, as pyshacl's own run does
        shapes.shapes  # noqa: B018 - builds the lookup of shapes by node
        return shapes

    def _generic_message(self, result: Result) -> str:
        """The message pyshacl makes up when the shape gives none, made by pyshacl's own component."""
        from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP

        shape = self._pyshacl_shapes.lookup_shape_from_node(result.shape.node)
        component = CONSTRAINT_PARAMETERS_MAP[result.constraint.parameter](shape)
        value = _rdflib(result.value) if result.value is not None else None
        messages = component.make_generic_messages(rdflib.Graph(), _rdflib(result.focus), value)
        return str(messages[0]) if messages else ""


def _text(node: Node) -> str:
    """A node as a report shows it: the IRI, or the literal's normalised lexical form."""
    return str(node) if isinstance(node, str) else node.lexical


def _rdflib(node: Node) -> rdflib.term.Identifier:
    return to_rdflib_term(node.term if isinstance(node, Value) else node)
