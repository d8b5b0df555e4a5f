"""Bridges from the mapper's light terms to rdflib and pyoxigraph, for the steps that need them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import rdflib

from .terms import IRI, XSD_STRING, Literal, Term, Triple


def to_rdflib_term(term: Term) -> rdflib.term.Identifier:
    if isinstance(term, IRI):
        return rdflib.URIRef(term)
    if term.language:
        return rdflib.Literal(term.lexical, lang=term.language)
    if term.datatype == XSD_STRING:  # RDF 1.1: a plain literal is an xsd:string
        return rdflib.Literal(term.lexical)
    return rdflib.Literal(term.lexical, datatype=rdflib.URIRef(term.datatype))


def to_rdflib(triples: Iterable[Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Add the triples to ``graph`` (a new one by default) and return it."""
    graph = rdflib.Graph() if graph is None else graph
    for s, p, o in triples:
        graph.add((rdflib.URIRef(s), rdflib.URIRef(p), to_rdflib_term(o)))
    return graph


def to_oxigraph_term(term: Term) -> ox.NamedNode | ox.Literal:
    if isinstance(term, IRI):
        return ox.NamedNode(term)
    if term.language:
        return ox.Literal(term.lexical, language=term.language)
    if term.datatype == XSD_STRING:
        return ox.Literal(term.lexical)
    return ox.Literal(term.lexical, datatype=ox.NamedNode(term.datatype))


def to_oxigraph(triples: Iterable[Triple], graph: IRI | None = None) -> Iterator[ox.Triple | ox.Quad]:
    """Oxigraph triples, or quads in ``graph`` when one is given."""
    name = ox.NamedNode(graph) if graph else None
    for s, p, o in triples:
        subject, predicate, value = ox.NamedNode(s), ox.NamedNode(p), to_oxigraph_term(o)
        yield ox.Quad(subject, predicate, value, name) if name else ox.Triple(subject, predicate, value)


def literal_of(term: rdflib.Literal) -> Literal:
    """The mapper's literal for an rdflib one (used when reading exports back)."""
    datatype = str(term.datatype) if term.datatype else XSD_STRING
    return Literal(str(term), datatype, term.language)
