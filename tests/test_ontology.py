"""The ontology describes every term the exporter, the shapes and the context use, and aligns only to real IRIs.

Fails on: a term used (by the mapper over all the shared records, by the shapes'
paths, classes and ``sh:in`` values, by the JSON-LD context) but not declared; a declared
term without a label or a comment; a trialgraph property without domain and range; an
alignment to an IRI outside the namespaces we know or of the wrong shape (a misspelling).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from exporter.mapping.iris import Iris
from exporter.mapping.trial import TrialMapper
from exporter.mapping.vocab import TG
from exporter.record import Trial
from exporter.resources import context, ontology_file, shapes_file
from exporter.sources import read_inputs

ONTOLOGY = rdflib.URIRef("https://w3id.org/trialgraph/ontology")
SCHEMA = "http://schema.org/"
# The schema.org terms the ontology aligns to or reuses: a name not in this list is a misspelling until added here.
SCHEMA_TERMS = frozenset({
    "MedicalStudy", "Organization", "Country", "MedicalCondition", "MedicalEntity", "PropertyValue", "ContactPoint",
    "Place", "identifier", "name", "alternateName", "sponsor", "funder", "status", "studyLocation", "healthCondition",
    "studySubject", "NotYetRecruiting", "Recruiting", "EnrollingByInvitation", "ActiveNotRecruiting", "Suspended",
    "Terminated", "Completed", "Withdrawn", "MedicalTrial", "MedicalObservationalStudy", "value", "givenName",
    "familyName", "address", "telephone", "email", "description", "keywords", "softwareVersion",
})
# Well-formed IRIs of the vocabularies the ontology aligns to, by pattern.
ALIGNMENT_TARGETS = (
    re.compile(r"http://www\.wikidata\.org/entity/Q[1-9]\d*"),
    re.compile(r"http://www\.wikidata\.org/prop/direct/P[1-9]\d*"),
    re.compile(r"http://purl\.obolibrary\.org/obo/(CTO|OBI)_\d{7}"),
    re.compile(r"https://w3id\.org/semapv/vocab/[A-Z][A-Za-z]+"),
    re.compile(r"http://www\.w3\.org/ns/prov#(Entity|Activity|SoftwareAgent)"),
    re.compile(r"http://xmlns\.com/foaf/0\.1/primaryTopic"),
    re.compile(r"http://www\.w3\.org/2000/01/rdf-schema#seeAlso"),
    re.compile(r"http://www\.w3\.org/2004/02/skos/core#notation"),
)
ALIGNMENTS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch,
              OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=ontology_file().read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def declared(ontology: rdflib.Graph) -> set[str]:
    return {str(term) for term in ontology.subjects(RDF.type, None) if isinstance(term, rdflib.URIRef)}


def mapper_terms(trials: list[Trial]) -> set[str]:
    """Predicates, classes and ontology concepts in the mapper's output."""
    mapper = TrialMapper(Iris(), datetime(2024, 1, 1, tzinfo=timezone.utc), "test")
    terms: set[str] = set()
    for trial in trials:
        for _, predicate, value in mapper.map(trial).triples:
            if predicate == str(RDF.type) or str(value).startswith(str(TG)):
                terms.add(str(value))
            if predicate != str(RDF.type):
                terms.add(predicate)
    return terms


def shape_terms() -> set[str]:
    shapes = rdflib.Graph().parse(data=shapes_file().read_text(encoding="utf-8"), format="turtle")
    terms = {str(o) for p in (SH.path, SH["class"], SH.targetClass) for o in shapes.objects(None, p)
             if isinstance(o, rdflib.URIRef)}
    for values in shapes.objects(None, SH["in"]):
        terms |= {str(v) for v in Collection(shapes, values) if isinstance(v, rdflib.URIRef)}
    return terms


def context_terms() -> set[str]:
    ctx = context()
    prefixes = {name: iri for name, iri in ctx.items() if isinstance(iri, str) and iri.endswith(("#", "/"))}
    terms = set()
    for name, definition in ctx.items():
        if name.startswith("@") or name in prefixes:
            continue
        iri = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, local = iri.partition(":")
        terms.add(prefixes[prefix] + local if prefix in prefixes else iri)
    return terms


def test_every_term_the_mapper_uses_over_all_records_is_declared(fixtures: Path, declared: set[str]) -> None:
    trials = [item for item in read_inputs([str(fixtures)]) if isinstance(item, Trial)]
    assert sorted(mapper_terms(trials) - declared) == []


def test_every_term_the_shapes_use_is_declared(declared: set[str]) -> None:
    assert sorted(shape_terms() - declared) == []


def test_every_term_of_the_context_is_declared(declared: set[str]) -> None:
    assert sorted(context_terms() - declared) == []


def test_every_declared_term_is_labelled_and_commented(ontology: rdflib.Graph, declared: set[str]) -> None:
    missing = [term for term in declared if str(term) != str(ONTOLOGY)
               for p in (RDFS.label, RDFS.comment) if ontology.value(rdflib.URIRef(term), p) is None]
    assert sorted(missing) == []


def test_every_trialgraph_property_has_a_domain_and_a_range(ontology: rdflib.Graph) -> None:
    properties = {p for t in PROPERTY_TYPES for p in ontology.subjects(RDF.type, t) if str(p).startswith(str(TG))}
    missing = [str(p) for p in properties for q in (RDFS.domain, RDFS.range) if ontology.value(p, q) is None]
    assert properties and sorted(missing) == []


def test_alignments_point_at_well_formed_iris_of_known_vocabularies(ontology: rdflib.Graph, declared: set[str]) -> None:
    def known(target: str) -> bool:
        if target.startswith(SCHEMA):
            return target.removeprefix(SCHEMA) in SCHEMA_TERMS
        return target in declared or any(pattern.fullmatch(target) for pattern in ALIGNMENT_TARGETS)

    targets = {str(o) for p in ALIGNMENTS for o in ontology.objects(None, p) if isinstance(o, rdflib.URIRef)}
    assert sorted(t for t in targets if not known(t)) == []


@pytest.mark.parametrize(
    "target",
    ["http://www.wikidata.org/entity/30", "http://www.wikidata.org/prop/direct/Q3098",
     "http://purl.obolibrary.org/obo/CTO_000220", "http://schema.org/MedicalTrail", "https://www.wikidata.org/entity/Q30"],
)
def test_the_alignment_check_catches_misspellings(target: str) -> None:
    assert not target.startswith(SCHEMA) or target.removeprefix(SCHEMA) not in SCHEMA_TERMS
    assert not any(pattern.fullmatch(target) for pattern in ALIGNMENT_TARGETS)


def test_the_nct_id_is_aligned_to_wikidata(ontology: rdflib.Graph) -> None:
    assert (rdflib.URIRef(TG.nctId), OWL.equivalentProperty, rdflib.URIRef("http://www.wikidata.org/prop/direct/P3098")) in ontology


def test_ontology_context_and_shapes_carry_one_version(ontology: rdflib.Graph) -> None:
    version = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).endswith("/" + version)
    assert rdflib.URIRef(f"https://w3id.org/trialgraph/context/{version}") in set(ontology.objects(ONTOLOGY, RDFS.seeAlso))
    shapes = rdflib.Graph().parse(data=shapes_file().read_text(encoding="utf-8"), format="turtle")
    assert str(shapes.value(rdflib.URIRef("https://w3id.org/trialgraph/shapes"), OWL.versionInfo)) == version
    assert context()["@version"] == 1.1
