"""The SPARQL endpoint with real clients: SPARQLWrapper, rdflib's SPARQLStore and requests."""

from __future__ import annotations

import csv
import io
import time

import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper, TURTLE

from .conftest import MAX_RESULTS, TIME_LIMIT

COUNT_TRIALS = "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <https://w3id.org/trialgraph/ontology#Trial> }"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(server: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json_with_sparqlwrapper(server: str, method: str) -> None:
    result = wrapper(server, COUNT_TRIALS, JSON, method).queryAndConvert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) > 100


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_select_in_other_result_formats(server: str, fmt: str) -> None:
    converted = wrapper(server, COUNT_TRIALS, fmt).queryAndConvert()
    text = converted.toxml() if fmt == XML else converted.decode()
    assert "n" in text and any(ch.isdigit() for ch in text)


def test_ask_and_construct_with_sparqlwrapper(server: str) -> None:
    assert wrapper(server, "ASK { ?t a <https://w3id.org/trialgraph/ontology#Trial> }", JSON).queryAndConvert()["boolean"]
    graph = wrapper(server, "CONSTRUCT WHERE { ?t a <https://w3id.org/trialgraph/ontology#Country> } LIMIT 5",
                    TURTLE).queryAndConvert()
    assert 1 <= len(rdflib.Graph().parse(data=graph, format="turtle")) <= 5


@pytest.mark.parametrize(("accept", "syntax"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                                ("application/n-triples", "nt")])
def test_construct_formats(server: str, accept: str, syntax: str) -> None:
    query = "CONSTRUCT WHERE { ?c a <https://w3id.org/trialgraph/ontology#Country> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    response = requests.get(server + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=10)
    assert response.headers["Content-Type"].startswith(accept)
    assert len(rdflib.Graph().parse(data=response.text, format=syntax)) > 10


def test_post_direct(server: str) -> None:
    response = requests.post(server + "/sparql", data=COUNT_TRIALS.encode(), timeout=10,
                             headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert response.status_code == 200 and response.text.startswith("n\r\n")


def test_rdflib_sparqlstore(server: str) -> None:
    graph = rdflib.Graph(SPARQLStore(server + "/sparql", returnFormat="json"))
    rows = list(graph.query("SELECT ?c ?label WHERE { ?c a <https://w3id.org/trialgraph/ontology#Country> ; "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"))
    assert len(rows) > 10 and all(isinstance(label, rdflib.Literal) for _, label in rows)


def test_a_query_past_the_limit_is_cut_and_the_server_keeps_answering(server: str) -> None:
    started = time.monotonic()
    response = requests.post(server + "/sparql", data={"query": FOREVER}, timeout=60)
    took = time.monotonic() - started
    assert response.status_code == 503
    assert "was stopped" in response.text
    assert TIME_LIMIT <= took < TIME_LIMIT + 10
    for _ in range(3):  # the worker was replaced: queries still run, pages still load
        assert wrapper(server, COUNT_TRIALS, JSON).queryAndConvert()["results"]["bindings"]
    assert requests.get(server + "/", timeout=10).status_code == 200


@pytest.mark.parametrize("send", [
    lambda url: requests.post(url, data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, timeout=10),
    lambda url: requests.post(url, data="DROP ALL", headers={"Content-Type": "application/sparql-update"}, timeout=10),
    lambda url: requests.post(url, data={"query": "PREFIX x: <urn:x#> DELETE WHERE { ?s ?p ?o }"}, timeout=10),
])
def test_updates_are_refused(server: str, send) -> None:  # type: ignore[no-untyped-def]
    response = send(server + "/sparql")
    assert response.status_code == 403
    assert "read-only" in response.text
    assert wrapper(server, COUNT_TRIALS, JSON).queryAndConvert()["results"]["bindings"]


def test_service_is_refused(server: str) -> None:
    query = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } } LIMIT 1"
    response = requests.get(server + "/sparql", params={"query": query}, timeout=10)
    assert response.status_code == 400 and "SERVICE" in response.text


def test_service_in_a_string_is_not_a_service_call(server: str) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/>" AS ?x) } # SERVICE'
    assert requests.get(server + "/sparql", params={"query": query}, timeout=10).status_code == 200


def test_bad_query_is_400_with_the_reason(server: str) -> None:
    response = requests.get(server + "/sparql", params={"query": "SELEKT * WHERE {}"}, timeout=10)
    assert response.status_code == 400 and response.text.startswith("bad query")


def test_results_are_capped(server: str) -> None:
    response = requests.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"},
                            timeout=30)
    assert response.headers["X-Results-Truncated"] == str(MAX_RESULTS)
    assert len(list(csv.reader(io.StringIO(response.text)))) == MAX_RESULTS + 1


def test_cors(server: str) -> None:
    response = requests.get(server + "/sparql", params={"query": COUNT_TRIALS},
                            headers={"Origin": "https://example.org"}, timeout=10)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(server + "/sparql", timeout=10, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200


def test_query_page_offers_the_examples(server: str) -> None:
    page = requests.get(server + "/sparql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "<form" in page.text and "week 25" in page.text


def test_the_endpoint_describes_itself_to_rdf_clients(server: str) -> None:
    response = requests.get(server + "/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    (service,) = graph.subjects(rdflib.RDF.type, sd.Service)
    assert set(graph.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}  # no updates
    assert (service, sd.feature, sd.UnionDefaultGraph) not in graph  # the metadata graph is not in the merge
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, sd.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "Turtle"} <= formats
    # The dataset it queries is the one /void counts.
    void = rdflib.Graph().parse(data=requests.get(server + "/void", headers={"Accept": "text/turtle"}, timeout=10).text,
                                format="turtle")
    (dataset,) = graph.objects(service, sd.defaultDataset)
    assert (dataset, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), None) in void
    browser = requests.get(server + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=10)
    assert browser.headers["Content-Type"].startswith("text/html") and "<form" in browser.text
