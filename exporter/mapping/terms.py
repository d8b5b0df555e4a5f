"""The mapper's own light RDF terms.

The hot path turns records into lines of N-Triples by the hundred thousand: building
rdflib or pyoxigraph objects per triple would cost more than everything else, so the
mapper emits these plain values and the writers convert only when they must.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"


class IRI(str):
    """An absolute IRI."""

    __slots__ = ()


class Literal(NamedTuple):
    """A literal; plain strings have datatype ``xsd:string``.

    A named tuple rather than a frozen dataclass: made, hashed and compared in C, which
    counts at a hundred and fifty literals a record. Never mixed with other tuples.
    """

    lexical: str
    datatype: str = XSD_STRING
    language: str | None = None


_new_tuple = tuple.__new__


def plain(lexical: str) -> Literal:
    """An ``xsd:string`` literal, the commonest term: made in C, where ``Literal(lexical)`` runs the
    named tuple's Python-level ``__new__`` and costs twice as much."""
    return _new_tuple(Literal, (lexical, XSD_STRING, None))


Term = IRI | Literal
Triple = tuple[IRI, IRI, Term]


@dataclass(slots=True)
class RecordGraph:
    """The triples of one record, the named graph they go in, and the trial they describe."""

    name: IRI
    trial: IRI
    triples: list[Triple] = field(default_factory=list)
    label: str = ""  # how reports name the record: its id

    def add(self, subject: IRI, predicate: IRI, value: Term | None) -> None:
        if value is not None:
            self.triples.append((subject, predicate, value))

    def text(self, subject: IRI, predicate: IRI, value: str | None) -> None:
        """Add ``value`` as a plain literal unless it is missing or empty, as most optional fields are."""
        if value:
            self.triples.append((subject, predicate, _new_tuple(Literal, (value, XSD_STRING, None))))
