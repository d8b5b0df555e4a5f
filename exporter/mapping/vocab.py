"""Namespaces. The only place IRI strings of vocabularies are written; a test checks
every ``TG`` term used against the ontology."""

from __future__ import annotations

from .terms import IRI


class Namespace:
    """``TG.phase`` is the IRI of term ``phase`` in the namespace (not a ``str``: its methods would shadow terms).

    A term is minted on its first look-up and kept as an attribute of the namespace, so the
    mapper's millions of later look-ups are plain attribute reads of one shared IRI object.
    """

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> IRI:  # only reached for a term not looked up before
        if name.startswith("__"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> IRI:
        return IRI(self.iri + name)

    def __str__(self) -> str:
        return self.iri


TG = Namespace("https://w3id.org/trialgraph/ontology#")
SCHEMA = Namespace("http://schema.org/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
AS = Namespace("https://www.w3.org/ns/activitystreams#")

PREFIXES: dict[str, str] = {
    name: namespace.iri
    for name, namespace in {
        "tg": TG, "schema": SCHEMA, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS,
        "dct": DCT, "prov": PROV, "mesh": MESH, "obo": OBO,
    }.items()
}
