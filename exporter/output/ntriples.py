"""N-Triples and N-Quads, written straight from the mapper's terms: the fast path."""

from __future__ import annotations

from typing import TextIO

from ..mapping.terms import IRI, XSD_STRING, Literal, RecordGraph, Triple
from .repeats import Repeats


class _IriForms(dict[str, str]):
    """IRIs in N-Triples form (``<…>``), kept across records: the vocabulary's and a record's nodes recur
    line after line, and formatting a ``str`` subclass goes through ``__format__``, which copies it.
    Emptied when full, so the one-off IRIs of past records do not pile up."""

    limit = 1 << 14

    def __missing__(self, iri: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        form = self[iri] = "<" + iri + ">"
        return form


_FORMS = _IriForms()


def escaped(lexical: str) -> str:
    """A lexical form as an N-Triples string body: backslash, quote and line breaks escaped."""
    if "\\" not in lexical and '"' not in lexical and "\n" not in lexical and "\r" not in lexical:
        return lexical  # most values: four C-level scans, no copies
    # Four C-level replaces beat one str.translate with a table ~5× on long text; the backslash goes first,
    # so the backslashes the others add are not doubled.
    return lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def literal(value: Literal) -> str:
    """A literal in N-Triples syntax."""
    lexical, datatype, language = value
    if language:
        return f'"{escaped(lexical)}"@{language}'
    if datatype == XSD_STRING:
        return f'"{escaped(lexical)}"'
    return f'"{escaped(lexical)}"^^{_FORMS[datatype]}'


def lines(graph: RecordGraph, with_graph: bool, triples: list[Triple] | None = None) -> str:
    """The record's statements (or the ``triples`` given), one per line; with the graph name for N-Quads."""
    forms = _FORMS
    suffix = f" <{graph.name}> .\n" if with_graph else " .\n"
    return "".join([
        f"{forms[s]} {forms[p]} {forms[o] if isinstance(o, IRI) else literal(o)}{suffix}"
        for s, p, o in (graph.triples if triples is None else triples)
    ])


class NTriplesWriter:
    """Lines and nothing else: each record's own statements as it comes, then every repeatable one once.

    A fragment (a worker's share) leaves the repeatable statements to its parent (:attr:`repeats`).
    """

    with_graph = False

    def __init__(self, stream: TextIO, fragment: bool = False) -> None:
        self.stream = stream
        self.fragment = fragment
        self.repeats = Repeats()

    def write(self, graph: RecordGraph) -> None:
        self.stream.write(lines(graph, self.with_graph, graph.own()))
        self.repeats.add(graph)

    def spliced(self) -> int:
        """Nothing to put between fragments or drop from them."""
        return 0

    def close(self) -> None:
        if not self.fragment and self.repeats.statements:
            shared = self.repeats.graph_of(self.repeats.taken())
            self.stream.write(lines(shared, self.with_graph))
        self.stream.flush()


class NQuadsWriter(NTriplesWriter):
    """One named graph per record, its provenance inside it; shared nodes' descriptions in one graph."""

    with_graph = True
