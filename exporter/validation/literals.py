"""Literals as rdflib, and so pyshacl, sees them: normalised, typed, well-formed or not.

pyshacl judges literals through rdflib's eyes: ``"01"^^xsd:integer`` is the node
``"1"``, ``"2019-02-31"^^xsd:date`` is ill-typed, ``"yes"^^xsd:boolean`` is an ill-typed
``false``. Re-deriving those rules would be a second, diverging XSD implementation, so
each distinct typed literal goes through rdflib once and is remembered; plain strings,
most of a record, never touch rdflib: they become a :class:`Text`, a one-field tuple made,
hashed and compared in C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import rdflib
from pyshacl.rdfutil.compare import compare_literal

from ..mapping.convert import literal_of, to_rdflib_term
from ..mapping.terms import XSD_STRING, Literal


@dataclass(frozen=True, slots=True)
class Value:
    """A literal node: equal to another exactly when rdflib's literals are (so sets dedupe as a graph does)."""

    lexical: str  # rdflib's normalised lexical form, what a report shows
    datatype: str | None  # rdflib's datatype: None for plain and language-tagged strings
    language: str | None  # lower-cased: language tags compare case-insensitively
    python: object = field(compare=False)  # rdflib's Python value, None when it has none
    ill_typed: bool = field(compare=False)
    term: Literal = field(compare=False)  # the literal as the record holds it


class Text(NamedTuple):
    """A plain string literal node: what a :class:`Value` would say of it, without making one per string.

    Never equal to a :class:`Value`, as rdflib's plain literals are never equal to its typed
    or language-tagged ones (those are the only ones that become a Value).
    """

    lexical: str

    @property
    def datatype(self) -> None:
        return None

    @property
    def language(self) -> None:
        return None

    @property
    def python(self) -> str:
        return self.lexical

    @property
    def ill_typed(self) -> bool:
        return False

    @property
    def term(self) -> Literal:
        return Literal(self.lexical)


LiteralNode = Text | Value


def value_of(term: Literal) -> LiteralNode:
    if term.language is None and term.datatype == XSD_STRING:
        return Text(term.lexical)
    return _parsed(term)


def value_of_rdflib(node: rdflib.Literal) -> LiteralNode:
    """A constant of the shapes graph as a node comparable with the data's."""
    return value_of(literal_of(node))


@lru_cache(maxsize=1 << 16)
def _parsed(term: Literal) -> Value:
    node = to_rdflib_term(term)
    assert isinstance(node, rdflib.Literal)
    language = node.language.lower() if node.language else None
    datatype = str(node.datatype) if node.datatype is not None else None
    return Value(str(node), datatype, language, node.value, node.ill_typed is True, term)


@lru_cache(maxsize=1 << 14)
def order(term: Literal, bound: rdflib.Literal) -> int | None:
    """How ``term`` compares with ``bound`` as pyshacl's range constraints see it; None when they do not compare."""
    try:
        return compare_literal(to_rdflib_term(term), bound)
    except (TypeError, NotImplementedError):
        return None
