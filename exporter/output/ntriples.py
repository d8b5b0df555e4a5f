"""N-Triples and N-Quads, written straight from the mapper's terms: the fast path."""

from __future__ import annotations

from typing import TextIO

from ..mapping.terms import IRI, XSD_STRING, RecordGraph, Term

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term(value: Term) -> str:
    """A term in N-Triples syntax."""
    if isinstance(value, IRI):
        return f"<{value}>"
    lexical = '"' + value.lexical.translate(_ESCAPES) + '"'
    if value.language:
        return f"{lexical}@{value.language}"
    if value.datatype == XSD_STRING:
        return lexical
    return f"{lexical}^^<{value.datatype}>"


def lines(graph: RecordGraph, with_graph: bool) -> str:
    """The record's statements, one per line; with the graph name for N-Quads."""
    suffix = f" <{graph.name}> .\n" if with_graph else " .\n"
    return "".join(f"<{s}> <{p}> {term(o)}{suffix}" for s, p, o in graph.triples)


class NTriplesWriter:
    with_graph = False

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, graph: RecordGraph) -> None:
        self.stream.write(lines(graph, self.with_graph))

    def close(self) -> None:
        self.stream.flush()


class NQuadsWriter(NTriplesWriter):
    """One named graph per record, its provenance inside it."""

    with_graph = True
