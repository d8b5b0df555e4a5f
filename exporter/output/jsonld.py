"""Compact JSON-LD with the project's ``@context``, built directly from the triples.

Going through a JSON-LD processor would cost about a hundred times more per record;
the compaction here applies only what the context declares (terms, ``@vocab`` and
type coercions) and falls back to explicit value objects, so the document always
expands to exactly the triples written.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..mapping.terms import IRI, XSD_STRING, Literal, RecordGraph, Term, Triple
from .repeats import Repeats
from ..mapping.vocab import RDF
from ..resources import context

JsonValue = str | dict[str, str]


class Compactor:
    """Compacts triples against one context."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        self.vocab: str = ctx.get("@vocab", "")
        self.prefixes = {name: iri for name, iri in ctx.items() if isinstance(iri, str) and iri.endswith(("#", "/"))}
        self.terms: dict[str, tuple[str, str | None]] = {}
        for name, definition in ctx.items():
            if name.startswith("@") or name in self.prefixes:
                continue
            if isinstance(definition, str):
                iri, coercion = definition, None
            else:
                iri, coercion = definition["@id"], definition.get("@type")
            if coercion and not coercion.startswith("@"):
                coercion = self.expand(coercion)
            self.terms[self.expand(iri)] = (name, coercion)
        self.names = {name for name, _ in self.terms.values()}

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and not local.startswith("//") else value

    def vocab_term(self, iri: str) -> str:
        """An IRI as ``@type`` or a ``@vocab``-coerced value may write it."""
        if iri.startswith(self.vocab) and iri[len(self.vocab):].isidentifier():
            local = iri[len(self.vocab):]
            if local not in self.names:
                return local
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and iri[len(namespace):].isidentifier():
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def key_and_value(self, predicate: str, value: Term) -> tuple[str, JsonValue]:
        """The key and value a triple's predicate and object take in a node object."""
        term = self.terms.get(predicate)
        if term is not None:
            name, coercion = term
            compact = self._coerced(value, coercion)
            return (name, compact) if compact is not None else (predicate, self._explicit(value))
        local = predicate[len(self.vocab):] if predicate.startswith(self.vocab) else ""
        if local.isidentifier() and local not in self.names:
            return local, self._explicit(value)
        return predicate, self._explicit(value)

    def _coerced(self, value: Term, coercion: str | None) -> JsonValue | None:
        if coercion == "@id":
            return str(value) if isinstance(value, IRI) else None
        if coercion == "@vocab":
            return self.vocab_term(value) if isinstance(value, IRI) else None
        if coercion is None:
            return self._explicit(value)
        if isinstance(value, Literal) and value.datatype == coercion and not value.language:
            return value.lexical
        return None

    def _explicit(self, value: Term) -> JsonValue:
        if isinstance(value, IRI):
            return {"@id": str(value)}
        if value.language:
            return {"@value": value.lexical, "@language": value.language}
        if value.datatype == XSD_STRING:
            return value.lexical
        return {"@value": value.lexical, "@type": self.vocab_term(value.datatype)}

    def nodes(self, triples: list[Triple]) -> list[dict[str, Any]]:
        """One node object per subject, in the order subjects first appear."""
        nodes: dict[str, dict[str, Any]] = {}
        for subject, predicate, value in triples:
            node = nodes.setdefault(subject, {"@id": str(subject)})
            if predicate == RDF.type and isinstance(value, IRI):
                node.setdefault("@type", []).append(self.vocab_term(value))
                continue
            key, compact = self.key_and_value(predicate, value)
            node.setdefault(key, []).append(compact)
        return [{k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in node.items()} for node in nodes.values()]


class JsonLdWriter:
    """One JSON-LD document: the context, then every record's nodes in ``@graph``, then the repeatable
    statements' nodes once (see :mod:`.repeats`).

    As a ``fragment`` (a worker's share of the document) it writes neither the frame around
    ``@graph`` nor the first node's missing comma: whoever joins the fragments calls :meth:`spliced`.
    """

    def __init__(self, stream: TextIO, fragment: bool = False) -> None:
        self.stream = stream
        self.compactor = Compactor(context())
        self.first = not fragment
        self.fragment = fragment
        self.repeats = Repeats()
        if not fragment:
            stream.write('{\n"@context": ' + json.dumps(context(), ensure_ascii=False) + ',\n"@graph": [')

    def write(self, graph: RecordGraph) -> None:
        self._write(graph.own())
        self.repeats.add(graph)

    def _write(self, triples: list[Triple]) -> None:
        for node in self.compactor.nodes(triples):
            self.stream.write(("\n" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
            self.first = False

    def spliced(self) -> int:
        """Called before a non-empty fragment is copied on: how many of its leading characters to drop
        (the comma, when its first node is the document's first)."""
        if not self.first:
            return 0
        self.first = False
        return len(",")

    def close(self) -> None:
        if not self.fragment:
            self._write(self.repeats.taken())
            self.stream.write("\n]}\n")
        self.stream.flush()
