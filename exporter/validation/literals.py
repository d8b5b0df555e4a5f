"""Literals as rdflib, and so pyshacl, sees them: normalised, typed, well-formed or not.

pyshacl judges literals through rdflib's eyes: ``"01"^^xsd:integer`` is the node
``"1"``, ``"2019-02-31"^^xsd:date`` is ill-typed, ``"yes"^^xsd:boolean`` is an ill-typed
``false``. Re-deriving those rules would be a second, diverging XSD implementation, so
each distinct typed or language-tagged literal goes through rdflib once and is
remembered as a :class:`Value`. Plain strings, most of a record, never touch rdflib and
are not even wrapped: the record's own :class:`~exporter.mapping.terms.Literal` is the
node, as rdflib would normalise nothing in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from functools import lru_cache

import rdflib

from ..mapping.convert import literal_of, to_rdflib_term
from ..mapping.terms import XSD_STRING, Literal


@dataclass(frozen=True, slots=True)
class Value:
    """A typed or language-tagged literal node: equal to another exactly when rdflib's literals are.

    Never equal to a plain string's :class:`~exporter.mapping.terms.Literal` (a tuple, not a
    Value), as rdflib's plain literals are never equal to its typed or language-tagged ones.
    """

    lexical: str  # rdflib's normalised lexical form, what a report shows
    datatype: str | None  # rdflib's datatype: None for language-tagged strings
    language: str | None  # lower-cased: language tags compare case-insensitively
    python: object = field(compare=False)  # rdflib's Python value, None when it has none
    ill_typed: bool = field(compare=False)
    term: Literal = field(compare=False)  # the literal as the record holds it


LiteralNode = Literal | Value  # a Literal node is always a plain string: datatype xsd:string, no language


def is_plain(term: Literal) -> bool:
    return term.language is None and term.datatype == XSD_STRING


def value_of(term: Literal) -> LiteralNode:
    """The node rdflib would make of ``term``."""
    return term if is_plain(term) else parsed(term)


def value_of_rdflib(node: rdflib.Literal) -> LiteralNode:
    """An rdflib literal (a shapes graph's constant, a user's data) as a node comparable with a record's.

    Made from rdflib's own reading, not from its lexical form, which rdflib has already
    normalised: ``"none"^^xsd:boolean`` reads as ``"false"`` but stays ill-typed.
    """
    term = literal_of(node)
    if is_plain(term):
        return term
    language = node.language.lower() if node.language else None
    datatype = str(node.datatype) if node.datatype is not None else None
    return Value(str(node), datatype, language, node.value, node.ill_typed is True, term)


@lru_cache(maxsize=1 << 16)
def parsed(term: Literal) -> Value:
    """A literal that is not a plain string, as rdflib reads it."""
    node = to_rdflib_term(term)
    assert isinstance(node, rdflib.Literal)
    language = node.language.lower() if node.language else None
    datatype = str(node.datatype) if node.datatype is not None else None
    return Value(str(node), datatype, language, node.value, node.ill_typed is True, term)


@lru_cache(maxsize=1 << 14)
def order(term: Literal, bound: rdflib.Literal) -> int | None:
    """How ``term`` compares with ``bound`` as pyshacl's range constraints see it; None when they do not compare."""
    try:
        return compare(to_rdflib_term(term), bound)  # type: ignore[arg-type]
    except (TypeError, NotImplementedError):
        return None


def compare(value: rdflib.Literal, bound: rdflib.Literal) -> int:
    """-1, 0 or 1: pyshacl's comparison of literals (``pyshacl.rdfutil.compare.compare_literal``), restated here
    so that checking a range does not load pyshacl (a third of a run's start-up); a test holds the two equal.

    rdflib's term equality first; date-times and times by their Python values, which rdflib would not order
    across time zones; anything else by rdflib's ordering, which raises for literals that do not compare.
    """
    if value.eq(bound):
        return 0
    if value.value.__class__ in (datetime, time):
        return 0 if value.value == bound.value else 1 if value.value > bound.value else -1
    return 1 if value > bound else -1
