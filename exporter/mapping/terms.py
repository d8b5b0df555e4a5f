"""The mapper's own light RDF terms.

The hot path turns records into lines of N-Triples by the hundred thousand: building
rdflib or pyoxigraph objects per triple would cost more than everything else, so the
mapper emits these plain values and the writers convert only when they must.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable
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
    """The triples of one record, the named graph they go in, and the trial they describe.

    Some of its statements are ones other records make too — the description of a sponsor, a
    country, a condition, an intervention, the export run: :meth:`describe` adds those and notes
    where they are, so that a writer can state each of them once per export (:meth:`own`,
    :meth:`repeatable`), while the validator and the store still see the record whole.
    """

    name: IRI
    trial: IRI
    triples: list[Triple] = field(default_factory=list)
    label: str = ""  # how reports name the record: its id
    shared: list[tuple[int, int]] = field(default_factory=list)  # where in ``triples`` the repeatable runs are
    shared_graph: IRI = IRI("")  # the named graph an export puts the repeatable statements in, once each

    def describe(self, triples: Iterable[Triple]) -> None:
        """Add statements that other records may make too: a shared node's description."""
        start = len(self.triples)
        self.triples.extend(triples)
        self.shared.append((start, len(self.triples)))

    def own(self) -> list[Triple]:
        """The statements only this record makes."""
        if not self.shared:
            return self.triples
        own: list[Triple] = []
        last = 0
        for start, end in self.shared:
            own += self.triples[last:start]
            last = end
        own += self.triples[last:]
        return own

    def repeatable(self) -> list[Triple]:
        """The statements other records may make too."""
        return [triple for start, end in self.shared for triple in self.triples[start:end]]

    def add(self, subject: IRI, predicate: IRI, value: Term | None) -> None:
        if value is not None:
            self.triples.append((subject, predicate, value))

    def text(self, subject: IRI, predicate: IRI, value: str | None) -> None:
        """Add ``value`` as a plain literal unless it is missing or empty, as most optional fields are."""
        if value:
            self.triples.append((subject, predicate, _new_tuple(Literal, (value, XSD_STRING, None))))
