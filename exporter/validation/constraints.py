"""SHACL Core's constraint components, each able to judge value nodes and to write that test as Python.

Each constraint has two faces. :meth:`Constraint.holds` (or :meth:`EachValue.inline`)
writes an expression that decides, inside the code :mod:`.compiled` generates, whether
the constraint holds; only when it may not does the generic :meth:`Constraint.check` run
and make the results. The semantics are pyshacl's where SHACL leaves a choice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..mapping.terms import IRI, XSD_STRING, Literal
from .data import EMPTY, RDF_TYPE, Blank, Data, Node, rdflib_of, unique
from .literals import Value, order
from .paths import Path

if TYPE_CHECKING:
    from .compiled import Code

RDFS_LITERAL, RDFS_DATATYPE, RDF_LANGSTRING = str(RDFS.Literal), str(RDFS.Datatype), str(RDF.langString)
TOLERATED = {str(SH.Warning), str(SH.Info)}  # what allow_warnings lets conform


class Result(NamedTuple):
    shape: Shape
    constraint: Constraint
    focus: Node
    value: Node | None
    path: str | None = None  # the result's own path (sh:closed names the property); else the shape's


Results = list[Result]
Collect = Callable[[Data, Node, Results], None]  # a shape's compiled check of one focus node


@dataclass(eq=False)
class Constraint:
    """One constraint parameter: its results, and its test written as source for :class:`~.compiled.Code`.

    ``parameter`` names it for pyshacl's generic messages.
    """

    component: str
    parameter: rdflib.URIRef

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        """Append the results for ``focus``, given its value nodes without repeats."""
        raise NotImplementedError

    def passes(self, data: Data, focus: Node, values: Sequence[Node]) -> bool:
        """Whether the constraint holds: whether :meth:`check` finds nothing."""
        out: Results = []
        self.check(data, None, focus, values, out)
        return not out

    def holds(self, values: str, code: Code, nonempty: bool, focus: str = "focus") -> str:
        """An expression saying exactly whether the constraint holds for the value nodes ``values`` names,
        those of the node ``focus`` names; by default a call of :meth:`passes`."""
        return f"{code.constant(self, 'constraint')}.passes(data, {focus}, unique({values}))"

    @property
    def needs_values(self) -> bool:
        """Whether it fails when there are no value nodes."""
        return False

    @property
    def members(self) -> list[Shape]:
        """The shapes it refers to (sh:node, sh:or...)."""
        return []


@dataclass(eq=False)
class EachValue(Constraint):
    """A constraint that judges each value node on its own."""

    def test(self, data: Data, v: Node) -> bool:
        raise NotImplementedError

    def inline(self, v: str, code: Code) -> str:
        """:meth:`test` as an expression on the node ``v`` names; a call unless a subclass writes it out."""
        return f"{code.constant(self.test, 'test')}(data, {v})"

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        for v in values:
            if not self.test(data, v):
                out.append(Result(shape, self, focus, v))  # type: ignore[arg-type]

    def holds(self, values: str, code: Code, nonempty: bool, focus: str = "focus") -> str:
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
        if isinstance(v, str):  # an IRI or a blank node
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
        return isinstance(v, str) and data.is_instance(v, self.cls)

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


def lexical(v: Node) -> str | None:
    """The string sh:pattern and the length constraints read: an IRI, a literal's lexical form (a blank node
    has none)."""
    if v.__class__ is Blank:
        return None
    return v if v.__class__ is IRI else v.lexical  # type: ignore[return-value,union-attr]


@dataclass(eq=False)
class Pattern(EachValue):
    """pyshacl's sh:pattern: a regex search over the lexical form or IRI; a blank node never matches."""

    regex: re.Pattern[str]

    def test(self, data: Data, v: Node) -> bool:
        text = lexical(v)
        return text is not None and self.regex.search(text) is not None

    def inline(self, v: str, code: Code) -> str:
        search = code.constant(self.regex.search, "search")
        return f"({v}.__class__ is not Blank and {search}({v} if {v}.__class__ is IRI else {v}.lexical) is not None)"


@dataclass(eq=False)
class Length(EachValue):
    """sh:minLength or sh:maxLength of the lexical form or IRI; a blank node fails both."""

    bound: int
    longest: bool  # sh:maxLength

    def test(self, data: Data, v: Node) -> bool:
        text = lexical(v)
        return text is not None and (len(text) <= self.bound if self.longest else len(text) >= self.bound)

    def inline(self, v: str, code: Code) -> str:
        compared = f"len({v} if {v}.__class__ is IRI else {v}.lexical) {'<=' if self.longest else '>='} {self.bound}"
        return f"({v}.__class__ is not Blank and {compared})"


@dataclass(eq=False)
class NodeKind(EachValue):
    iri_ok: bool
    blank_ok: bool
    literal_ok: bool

    def test(self, data: Data, v: Node) -> bool:
        return self.iri_ok if v.__class__ is IRI else self.blank_ok if v.__class__ is Blank else self.literal_ok

    def inline(self, v: str, code: Code) -> str:
        kinds = {"IRI": self.iri_ok, "Blank": self.blank_ok}
        if self.iri_ok == self.blank_ok == self.literal_ok:
            return str(self.iri_ok)
        if self.literal_ok:  # every class but the one or two refused
            return f"({' and '.join(f'{v}.__class__ is not {name}' for name, ok in kinds.items() if not ok)})"
        return f"({' or '.join(f'{v}.__class__ is {name}' for name, ok in kinds.items() if ok)})"


@dataclass(eq=False)
class Range(EachValue):
    """pyshacl's range checks: literals only, strings only against strings, compared as rdflib compares."""

    bound: rdflib.Literal
    passing: Callable[[int], bool]

    def test(self, data: Data, v: Node) -> bool:
        if isinstance(v, str):
            return False
        is_string = isinstance(v, Literal) or isinstance(v.python, str)
        if is_string != isinstance(self.bound.value, str):
            return False
        cmp = order(v if isinstance(v, Literal) else v.term, self.bound)
        return cmp is not None and self.passing(cmp)


@dataclass(eq=False)
class LanguageIn(EachValue):
    """sh:languageIn: a literal whose language tag matches one of the ranges (SPARQL's langMatches)."""

    ranges: tuple[str, ...]  # lower-cased

    def test(self, data: Data, v: Node) -> bool:
        tag = v.language if v.__class__ is Value else None  # type: ignore[union-attr]
        return tag is not None and any(r == "*" or tag == r or tag.startswith(r + "-") for r in self.ranges)


@dataclass(eq=False)
class UniqueLang(Constraint):
    """sh:uniqueLang true: one result, without a value, for each language tag that two value nodes share."""

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        tags = Counter(v.language for v in values if v.__class__ is Value and v.language)  # type: ignore[union-attr]
        out.extend(Result(shape, self, focus, None) for tag, n in tags.items() if n > 1)  # type: ignore[arg-type]


@dataclass(eq=False)
class Pair(Constraint):
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals: the value nodes against another property's values."""

    other: str

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        others = unique(data.values.get(focus, EMPTY).get(self.other, ()))
        out.extend(Result(shape, self, focus, v) for v in self.offending(values, others))  # type: ignore[arg-type]

    def passes(self, data: Data, focus: Node, values: Sequence[Node]) -> bool:
        others = data.values.get(focus, EMPTY).get(self.other)
        return not self.offending(unique(values), unique(others) if others else ())

    def holds(self, values: str, code: Code, nonempty: bool, focus: str = "focus") -> str:
        if self.needs_values:
            return super().holds(values, code, nonempty, focus)
        return f"(not {values} or {code.constant(self, 'constraint')}.passes(data, {focus}, {values}))"

    def offending(self, values: Sequence[Node], others: Sequence[Node]) -> list[Node]:
        """The value nodes of the results, one for each pair of nodes that breaks the constraint."""
        raise NotImplementedError


@dataclass(eq=False)
class Equals(Pair):
    @property
    def needs_values(self) -> bool:  # the other property's values alone break it
        return True

    def offending(self, values: Sequence[Node], others: Sequence[Node]) -> list[Node]:
        return [v for v in values if v not in others] + [o for o in others if o not in values]


@dataclass(eq=False)
class Disjoint(Pair):
    def offending(self, values: Sequence[Node], others: Sequence[Node]) -> list[Node]:
        return [v for v in values if v in others]


@dataclass(eq=False)
class LessThan(Pair):
    or_equal: bool  # sh:lessThanOrEquals

    def offending(self, values: Sequence[Node], others: Sequence[Node]) -> list[Node]:
        return [v for v in values for o in others if not in_order(v, o, self.or_equal)]


@lru_cache(maxsize=1 << 14)
def in_order(value: Node, other: Node, or_equal: bool) -> bool:
    """pyshacl's sh:lessThan(OrEquals) of two nodes: IRIs and strings compare as strings, only with each
    other; other literals as rdflib orders them; anything that does not compare (a blank node) is out of order."""
    if value.__class__ is Blank or other.__class__ is Blank:
        return False
    (a_is_string, a), (b_is_string, b) = _comparable(value), _comparable(other)
    if a_is_string != b_is_string:
        return False
    try:
        return bool(a <= b if or_equal else a < b)  # type: ignore[operator]
    except TypeError:
        return False


def _comparable(node: Node) -> tuple[bool, object]:
    """Whether the node compares as a string, and what is compared."""
    if node.__class__ is IRI:
        return True, str(node)
    if node.__class__ is Literal:
        return True, node.lexical  # type: ignore[union-attr]
    assert isinstance(node, Value)
    return (True, node.python) if isinstance(node.python, str) else (False, rdflib_of(node))


@dataclass(eq=False)
class Or(EachValue):
    shapes: list[Shape]

    def test(self, data: Data, v: Node) -> bool:
        return any(m.conforms(data, v) for m in self.shapes)

    def inline(self, v: str, code: Code) -> str:
        return joined([code.conforms(m, v) for m in self.shapes], "or")

    @property
    def members(self) -> list[Shape]:
        return self.shapes


@dataclass(eq=False)
class And(EachValue):
    shapes: list[Shape]

    def test(self, data: Data, v: Node) -> bool:
        return all(m.conforms(data, v) for m in self.shapes)

    def inline(self, v: str, code: Code) -> str:
        return joined([code.conforms(m, v) for m in self.shapes], "and")

    @property
    def members(self) -> list[Shape]:
        return self.shapes


@dataclass(eq=False)
class Xone(EachValue):
    shapes: list[Shape]

    def test(self, data: Data, v: Node) -> bool:
        return sum(m.conforms(data, v) for m in self.shapes) == 1

    def inline(self, v: str, code: Code) -> str:
        return f"(({' + '.join(code.conforms(m, v) for m in self.shapes)}) == 1)"

    @property
    def members(self) -> list[Shape]:
        return self.shapes


@dataclass(eq=False)
class Not(EachValue):
    member: Shape

    def test(self, data: Data, v: Node) -> bool:
        return not self.member.conforms(data, v)

    def inline(self, v: str, code: Code) -> str:
        return f"(not {code.conforms(self.member, v)})"

    @property
    def members(self) -> list[Shape]:
        return [self.member]


@dataclass(eq=False)
class NodeShape(EachValue):
    """sh:node: each value node conforms to the shape."""

    member: Shape

    def test(self, data: Data, v: Node) -> bool:
        return self.member.conforms(data, v)

    def inline(self, v: str, code: Code) -> str:
        return code.conforms(self.member, v)

    @property
    def members(self) -> list[Shape]:
        return [self.member]


@dataclass(eq=False)
class Qualified(Constraint):
    """sh:qualifiedMinCount or sh:qualifiedMaxCount: how many value nodes conform to the qualified value shape
    (and, with sh:qualifiedValueShapesDisjoint, to none of its siblings)."""

    shape: Shape
    siblings: list[Shape]
    least: int | None = None
    most: int | None = None

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        n = sum(1 for v in values if self.shape.conforms(data, v)
                and not any(s.conforms(data, v) for s in self.siblings))
        if (self.least is not None and n < self.least) or (self.most is not None and n > self.most):
            out.append(Result(shape, self, focus, None))  # type: ignore[arg-type]

    @property
    def needs_values(self) -> bool:
        return bool(self.least)

    @property
    def members(self) -> list[Shape]:
        return [self.shape, *self.siblings]


# rdf:type rdfs:Resource is never a closed shape's finding: pyshacl ignores it, as an inferred triple.
ALWAYS_ALLOWED = {(RDF_TYPE, IRI(RDFS.Resource))}


@dataclass(eq=False)
class Closed(Constraint):
    """sh:closed: a result for each triple of a value node whose predicate no property shape names
    (and sh:ignoredProperties does not list), with that predicate as its path and the object as its value."""

    allowed: frozenset[str]

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        for v in values:
            for p, objects in data.values.get(v, EMPTY).items():
                if p not in self.allowed:
                    out.extend(Result(shape, self, focus, o, p)  # type: ignore[arg-type]
                               for o in unique(objects) if (p, o) not in ALWAYS_ALLOWED)


@dataclass(eq=False)
class Count(Constraint):
    least: int = 0
    most: int | None = None

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        if len(values) < self.least or (self.most is not None and len(values) > self.most):
            out.append(Result(shape, self, focus, None))  # type: ignore[arg-type]

    def holds(self, values: str, code: Code, nonempty: bool, focus: str = "focus") -> str:
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

    def check(self, data: Data, shape: Shape | None, focus: Node, values: Sequence[Node], out: Results) -> None:
        if self.node not in values:
            out.append(Result(shape, self, focus, None))  # type: ignore[arg-type]

    def holds(self, values: str, code: Code, nonempty: bool, focus: str = "focus") -> str:
        return f"({code.constant(self.node, 'node')} in {values})"

    @property
    def needs_values(self) -> bool:
        return True


@dataclass(eq=False)
class Shape:
    node: rdflib.term.Node
    path: IRI | Path | None
    severity: str
    message: str | None
    deactivated: bool
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)  # the active sh:property shapes, each with a path
    recursive: bool = False  # it can reach itself through sh:node, sh:property, sh:or...
    collect: Collect = field(init=False, repr=False)  # appends a focus node's results; set by Code.load()

    def conforms(self, data: Data, focus: Node) -> bool:
        """pyshacl's verdict with warnings allowed: only results of a severity not tolerated count.

        A recursive shape met again on the same node while that node is being checked conforms there,
        so that a cycle in the data ends.
        """
        if self.deactivated or self.severity in TOLERATED:
            return True
        if not self.recursive:
            return self._conforms(data, focus)
        key = (self, focus)
        if key in data.visiting:
            return True
        data.visiting.add(key)
        try:
            return self._conforms(data, focus)
        finally:
            data.visiting.discard(key)

    def _conforms(self, data: Data, focus: Node) -> bool:
        out: Results = []
        self.collect(data, focus, out)
        return all(r.shape.severity in TOLERATED for r in out)

    @property
    def references(self) -> list[Shape]:
        """The shapes this one checks nodes against."""
        return [m for c in self.constraints for m in c.members] + self.properties


def joined(expressions: list[str], operator: str) -> str:
    """The expressions joined by ``and`` or ``or``, in parentheses when there are several."""
    if len(expressions) == 1:
        return expressions[0]
    return f"({f' {operator} '.join(expressions)})" if expressions else str(operator == "and")
