"""Every IRI dereferences: 303 to the document the client prefers, extension URLs, 406, Vary."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic
import requests
from pyld import jsonld

from .conftest import path_of, select

RDF_SYNTAX = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
              "application/ld+json": "json-ld"}
EXTENSIONS = {"text/turtle": ".ttl", "application/ld+json": ".jsonld", "application/n-triples": ".nt",
              "application/rdf+xml": ".rdf", "text/html": ".html"}


def negotiate(server: str, iri: str, accept: str | None) -> requests.Response:
    headers = {} if accept is None else {"Accept": accept}
    return requests.get(server + path_of(iri), headers=headers, allow_redirects=False, timeout=10)


@pytest.mark.parametrize("media_type", sorted(EXTENSIONS))
def test_each_type_is_a_303_to_its_document(server: str, trial_iri: str, media_type: str) -> None:
    response = negotiate(server, trial_iri, media_type)
    assert response.status_code == 303
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Location"] == path_of(trial_iri) + EXTENSIONS[media_type]
    document = requests.get(server + response.headers["Location"], timeout=10)
    assert document.status_code == 200
    assert document.headers["Content-Type"].split(";")[0] == media_type
    if media_type in RDF_SYNTAX:
        graph = rdflib.Graph().parse(data=document.text, format=RDF_SYNTAX[media_type], publicID=trial_iri)
        assert (rdflib.URIRef(trial_iri), None, None) in graph


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "text/html"),
    ("*/*", "text/html"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("text/*;q=0.3, text/html;q=0.1", "text/turtle"),
    ("*/*;q=0.1, application/n-triples", "application/n-triples"),
    ("text/html;q=0, */*;q=0.5", "text/turtle"),
    ("application/rdf+xml;q=1.0, text/turtle;q=0.99", "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
])
def test_q_values_decide(server: str, trial_iri: str, accept: str | None, expected: str) -> None:
    response = negotiate(server, trial_iri, accept)
    assert response.headers["Location"].endswith(EXTENSIONS[expected])


def test_nothing_acceptable_is_406_naming_the_offer(server: str, trial_iri: str) -> None:
    response = negotiate(server, trial_iri, "image/png, text/html;q=0")
    assert response.status_code == 406
    assert "Accept" in response.headers["Vary"]
    for media_type in EXTENSIONS:
        assert media_type in response.text


def test_unknown_iri_is_404(server: str) -> None:
    assert requests.get(server + "/trial/nct/NCT00000000", timeout=10).status_code == 404


def test_every_kind_of_minted_iri_resolves(server: str) -> None:
    kinds = ["Trial", "Organisation", "Country", "Condition", "Intervention", "PrimaryOutcome", "Identifier",
             "Registry", "Eligibility", "SourceRecord"]
    for kind in kinds:
        rows = select(server, f"SELECT ?x {{ ?x a <https://w3id.org/trialgraph/ontology#{kind}> }} LIMIT 3")
        assert rows, kind
        for row in rows:
            response = requests.get(server + path_of(row["x"]), headers={"Accept": "text/turtle"}, timeout=10)
            assert response.status_code == 200, (kind, row["x"])
            graph = rdflib.Graph().parse(data=response.text, format="turtle")
            assert (rdflib.URIRef(row["x"]), None, None) in graph


def test_description_has_labels_of_targets_and_hubs_list_their_trials(server: str, trial_iri: str,
                                                                    sponsor_iri: str) -> None:
    trial = rdflib.Graph().parse(server + path_of(trial_iri) + ".ttl", format="turtle")
    assert trial.value(rdflib.URIRef(sponsor_iri), rdflib.RDFS.label) is not None
    phase = trial.value(rdflib.URIRef(trial_iri), rdflib.URIRef("https://w3id.org/trialgraph/ontology#phase"))
    assert trial.value(phase, rdflib.RDFS.label) is not None  # concept labels come from the ontology graph
    sponsor = rdflib.Graph().parse(server + path_of(sponsor_iri) + ".ttl", format="turtle")
    trials = set(sponsor.subjects(rdflib.URIRef("https://w3id.org/trialgraph/ontology#primarySponsor"),
                                  rdflib.URIRef(sponsor_iri)))
    assert rdflib.URIRef(trial_iri) in trials
    assert all(sponsor.value(t, rdflib.RDFS.label) for t in trials)


def test_served_json_ld_expands_to_the_same_triples_as_turtle(server: str, trial_iri: str, sponsor_iri: str) -> None:
    for iri in (trial_iri, sponsor_iri):
        document = requests.get(server + path_of(iri) + ".jsonld", timeout=10).json()
        assert isinstance(document["@context"], dict)
        nquads = jsonld.to_rdf(jsonld.expand(document), {"format": "application/n-quads"})
        from_jsonld = rdflib.Graph().parse(data=nquads, format="nt")
        from_turtle = rdflib.Graph().parse(server + path_of(iri) + ".ttl", format="turtle")
        assert len(from_jsonld) == len(from_turtle)
        assert isomorphic(from_jsonld, from_turtle)


def test_documents_name_their_alternates(server: str, trial_iri: str) -> None:
    response = requests.get(server + path_of(trial_iri) + ".ttl", timeout=10)
    assert 'rel="alternate"' in response.headers["Link"]
    assert json.dumps(path_of(trial_iri) + ".jsonld")[1:-1] in response.headers["Link"]
