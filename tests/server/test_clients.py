"""The usual clients, as their users call them, against a real server on 127.0.0.1: rdflib, PyLD, plain JSON.

The server here publishes the demo records only, so these run without the shared registry exports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import requests
from pyld import jsonld

TRIAL_PATH = "/trial/nct/NCT90000001"
TRIAL_IRI = rdflib.URIRef("http://localhost:8000" + TRIAL_PATH)
DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"


def test_rdflib_asking_for_n_triples_gets_n_triples(demo_server: str) -> None:
    graph = rdflib.Graph().parse(demo_server + TRIAL_PATH, format="nt")  # rdflib asks "text/plain, */*;q=0.1"
    assert (TRIAL_IRI, rdflib.URIRef(DCT_IDENTIFIER), rdflib.Literal("NCT90000001")) in graph


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld"])
def test_rdflib_gets_each_format_it_asks_for(demo_server: str, fmt: str) -> None:
    graph = rdflib.Graph().parse(demo_server + TRIAL_PATH, format=fmt)
    assert (TRIAL_IRI, rdflib.URIRef(DCT_IDENTIFIER), rdflib.Literal("NCT90000001")) in graph


def test_rdflib_without_a_format_reads_what_it_is_sent(demo_server: str) -> None:
    graph = rdflib.Graph().parse(demo_server + TRIAL_PATH)
    assert (TRIAL_IRI, None, None) in graph


def test_accept_json_gets_json_ld(demo_server: str) -> None:
    response = requests.get(demo_server + TRIAL_PATH, headers={"Accept": "application/json"}, timeout=10)
    assert response.status_code == 200 and response.history[0].status_code == 303
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = response.json()
    assert "@context" in document
    expanded = jsonld.expand(document)
    assert any(node.get("@id") == str(TRIAL_IRI) for node in expanded)


def test_pyld_expands_the_iri(demo_server: str) -> None:
    expanded = jsonld.expand(demo_server + TRIAL_PATH)
    trial = next(node for node in expanded if node.get("@id") == str(TRIAL_IRI))
    assert trial[DCT_IDENTIFIER] == [{"@value": "NCT90000001"}]


@pytest.mark.parametrize("extension", [".html", ".ttl", ".nt", ".rdf"])
def test_pyld_follows_a_document_to_its_json_ld(demo_server: str, extension: str) -> None:
    """Any document names its JSON-LD form in its Link header, which JSON-LD processors follow."""
    expanded = jsonld.expand(demo_server + TRIAL_PATH + extension)
    assert any(node.get("@id") == str(TRIAL_IRI) for node in expanded)


def test_each_document_names_one_alternate(demo_server: str) -> None:
    for extension, alternate in [(".jsonld", ".html"), (".ttl", ".jsonld"), (".html", ".jsonld")]:
        link = requests.get(demo_server + TRIAL_PATH + extension, timeout=10).headers["Link"]
        assert link.count('rel="alternate"') == 1 and link.startswith(f"<{TRIAL_PATH}{alternate}>")


def test_plain_text_alone_is_still_negotiated_not_refused(demo_server: str) -> None:
    response = requests.get(demo_server + TRIAL_PATH, headers={"Accept": "text/plain"}, allow_redirects=False,
                            timeout=10)
    assert response.status_code == 303 and response.headers["Location"] == TRIAL_PATH + ".nt"


def test_a_page_lists_every_alternate_for_people(demo_server: str) -> None:
    page = requests.get(demo_server + TRIAL_PATH + ".html", timeout=10).text
    for extension in (".ttl", ".jsonld", ".nt", ".rdf"):
        assert f'href="{TRIAL_PATH}{extension}"' in page


def test_rdflib_reads_the_void_and_ontology(demo_server: str, tmp_path: Path) -> None:
    assert len(rdflib.Graph().parse(demo_server + "/void", format="turtle")) > 10
    assert len(rdflib.Graph().parse(demo_server + "/ontology", format="turtle")) > 100
