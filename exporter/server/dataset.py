"""The dataset described (VoID and DCAT) and the ontology made readable, computed once for each snapshot
of the store the server answers from (a snapshot never changes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from ..mapping.vocab import DCT, RDF, RDFS, SKOS, TG, XSD
from ..resources import ontology_file
from ..store import ONTOLOGY_GRAPH, TrialStore

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"
RIGHTS = ("trialgraph's mapping, ontology and shapes are CC0; the registry records keep the terms of use "
          "of the registers they come from (WHO ICTRP, ClinicalTrials.gov).")


def void(store: TrialStore, base: str) -> list[ox.Triple]:
    """VoID and DCAT: counts of triples, trials and entities per class, links per external target, sources,
    licence, last update — all read from what the store kept as it changed, so nothing here scans the data."""
    dataset = ox.NamedNode(base + "void#dataset")
    n = ox.NamedNode
    counts = store.statistics

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=n(XSD.integer))

    triples = [
        ox.Triple(dataset, n(RDF.type), n(VOID + "Dataset")),
        ox.Triple(dataset, n(RDF.type), n(DCAT + "Dataset")),
        ox.Triple(dataset, n(DCT.title), ox.Literal("trialgraph: clinical-trial registry records", language="en")),
        ox.Triple(dataset, n(DCT.license), n(LICENCE)),
        ox.Triple(dataset, n(DCT.rights), ox.Literal(RIGHTS, language="en")),
        ox.Triple(dataset, n(VOID + "uriSpace"), ox.Literal(base)),
        ox.Triple(dataset, n(VOID + "sparqlEndpoint"), n(base + "sparql")),
        ox.Triple(dataset, n(VOID + "dataDump"), n(base + "dump")),
        ox.Triple(dataset, n(VOID + "vocabulary"), n(TG.iri)),
        ox.Triple(dataset, n(DCT.conformsTo), n(base + "shapes")),
        ox.Triple(dataset, n(VOID + "triples"), integer(counts["triples"])),
        ox.Triple(dataset, n(VOID + "entities"), integer(counts["class " + TG.Trial])),
    ]
    for number, (cls, entities) in enumerate(counts.classes().items(), start=1):
        partition = n(f"{base}void#class-{number}")
        triples += [
            ox.Triple(dataset, n(VOID + "classPartition"), partition),
            ox.Triple(partition, n(VOID + "class"), n(cls)),
            ox.Triple(partition, n(VOID + "entities"), integer(entities)),
        ]
    if store.modified:
        triples.append(ox.Triple(dataset, n(DCT.modified), ox.Literal(store.modified, datatype=n(XSD.dateTime))))
    triples += [ox.Triple(dataset, n(DCT.source), ox.Literal(source)) for source in counts.sources()]
    for number, (target, count) in enumerate(counts.links().items(), start=1):
        linkset = n(f"{base}void#links-{number}")
        triples += [
            ox.Triple(dataset, n(VOID + "subset"), linkset),
            ox.Triple(linkset, n(RDF.type), n(VOID + "Linkset")),
            ox.Triple(linkset, n(VOID + "target"), n(target)),
            ox.Triple(linkset, n(VOID + "triples"), integer(count)),
        ]
    return triples


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "JSON-LD", "N-Triples", "RDF_XML")
"""What the endpoint answers in, as the W3C's format IRIs name them (see ``store.results``)."""


def service_description(base: str) -> list[ox.Triple]:
    """The endpoint described by SPARQL 1.1 Service Description: queries only, the dataset the one VoID
    describes (its default graph the merge of the named graphs, one a record, each triple once)."""
    n = ox.NamedNode
    service, dataset = n(base + "sparql"), n(base + "void#dataset")
    triples = [
        ox.Triple(service, n(RDF.type), n(SD + "Service")),
        ox.Triple(service, n(SD + "endpoint"), service),
        ox.Triple(service, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(service, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, n(RDF.type), n(SD + "Dataset")),
    ]
    triples += [ox.Triple(service, n(SD + "resultFormat"), n(FORMATS + name)) for name in RESULT_FORMATS]
    return triples


@dataclass
class Term:
    name: str
    label: str
    comment: str = ""
    parents: list[str] = field(default_factory=list)
    domain: str = ""
    range: str = ""
    concepts: list[Term] = field(default_factory=list)


def ontology_outline() -> dict:
    """Classes, properties and concept schemes of the ontology, read from its Turtle, for the HTML page."""
    # Bound to nothing but the file's own prefixes: rdflib's defaults would make http://schema.org/ "schema1:".
    graph = rdflib.Graph(bind_namespaces="none").parse(data=ontology_file().read_text(encoding="utf-8"),
                                                       format="turtle")
    owl = rdflib.Namespace("http://www.w3.org/2002/07/owl#")

    def short(node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.BNode):
            members = graph.value(node, owl.unionOf)
            return " or ".join(short(m) for m in rdflib.collection.Collection(graph, members)) if members else "…"
        return graph.namespace_manager.normalizeUri(node) if isinstance(node, rdflib.URIRef) else str(node)

    def term(node: rdflib.URIRef) -> Term:
        return Term(str(node)[len(TG.iri):], str(graph.value(node, rdflib.RDFS.label) or node),
                    str(graph.value(node, rdflib.RDFS.comment) or ""),
                    [short(p) for p in graph.objects(node, rdflib.RDFS.subClassOf)],
                    ", ".join(short(d) for d in graph.objects(node, rdflib.RDFS.domain)),
                    ", ".join(short(r) for r in graph.objects(node, rdflib.RDFS.range)))

    def ours(kind: rdflib.URIRef) -> list[Term]:
        return [term(s) for s in graph.subjects(rdflib.RDF.type, kind) if str(s).startswith(TG.iri)]

    ontology = rdflib.URIRef(TG.iri.rstrip("#"))
    schemes = ours(rdflib.URIRef(SKOS.ConceptScheme))
    for scheme in schemes:
        members = graph.subjects(rdflib.URIRef(SKOS.inScheme), rdflib.URIRef(TG.iri + scheme.name))
        scheme.concepts = [term(c) for c in members]
    properties = ours(owl.ObjectProperty) + ours(owl.DatatypeProperty) + ours(owl.AnnotationProperty)
    return {
        "title": str(graph.value(ontology, rdflib.RDFS.label) or "trialgraph ontology"),
        "iri": str(ontology),
        "comment": str(graph.value(ontology, rdflib.RDFS.comment) or ""),
        "classes": sorted(ours(owl.Class), key=lambda t: t.name),
        "properties": sorted(properties, key=lambda t: t.name),
        "schemes": schemes,
    }


def property_labels(store: TrialStore) -> dict[str, str]:
    """Labels of the properties used on pages, from the ontology graph, in the order the ontology declares
    them: it is written in the order a curator reads a trial (identity, sponsors, recruitment, people...)."""
    rows = store.query(  # in the ontology's graph: over the default graph, the join would walk every typed entity
        f"SELECT ?p ?label {{ GRAPH <{ONTOLOGY_GRAPH}> {{ "
        f"VALUES ?kind {{ <http://www.w3.org/2002/07/owl#ObjectProperty> <http://www.w3.org/2002/07/owl#DatatypeProperty> "
        f"<http://www.w3.org/2002/07/owl#AnnotationProperty> <{RDF.Property}> }} ?p a ?kind ; <{RDFS.label}> ?label }} }}")
    labels = {row[0].value: row[1].value for row in rows}
    order = declaration_order()
    return dict(sorted(labels.items(), key=lambda item: order.get(item[0], len(order))))


def declaration_order() -> dict[str, int]:
    """Each term's rank in the ontology's Turtle, which an RDF graph does not keep."""
    text = ontology_file().read_text(encoding="utf-8")
    prefixes = dict(re.findall(r"@prefix\s+(\w*):\s*<([^>]+)>", text))
    order: dict[str, int] = {}
    for prefix, local in re.findall(r"^(\w+):(\w+)\s+a\s", text, re.M):
        order.setdefault(prefixes.get(prefix, prefix + ":") + local, len(order))
    return order
