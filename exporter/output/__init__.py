"""Writers: each takes record graphs one at a time and streams them to a file.

Every writer has the same shape — ``Writer(stream)``, ``write(graph)``, ``close()`` — and
is found by format name in :data:`WRITERS`, so a new format is one new module. Workers write
their partitions as fragments (``Writer(stream, fragment=True)``: no header or footer, every
record as one that follows another); the writer of the whole document joins them in input
order, calling ``spliced()`` before it copies each non-empty fragment on.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from ..mapping.terms import RecordGraph
from .jsonld import JsonLdWriter
from .ntriples import NQuadsWriter, NTriplesWriter
from .repeats import Repeats
from .turtle import TriGWriter, TurtleWriter


class Writer(Protocol):
    def write(self, graph: RecordGraph) -> None: ...
    def close(self) -> None: ...


class DocumentWriter(Writer, Protocol):
    """A writer of a whole document, which can also be written in fragments and joined: a fragment leaves its
    repeatable statements (:class:`~.repeats.Repeats`) for the writer of the whole document."""

    repeats: Repeats

    def __init__(self, stream: TextIO, fragment: bool = False) -> None: ...
    def spliced(self) -> int: ...


class Fanout:
    """Several writers fed from one pass of the pipeline."""

    def __init__(self, writers: list[Writer]) -> None:
        self.writers = writers

    def write(self, graph: RecordGraph) -> None:
        for writer in self.writers:
            writer.write(graph)

    def close(self) -> None:
        for writer in self.writers:
            writer.close()


WRITERS: dict[str, type[DocumentWriter]] = {
    "turtle": TurtleWriter,
    "ntriples": NTriplesWriter,
    "nquads": NQuadsWriter,
    "trig": TriGWriter,
    "jsonld": JsonLdWriter,
}
EXTENSIONS = {"turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}
