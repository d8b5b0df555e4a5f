"""A resource's RDF document lists the trials linking to it a page at a time: a country or a sponsor of a
hundred thousand trials is not one answer of hundreds of thousands of triples. The pages are found by
following ``Link: rel="next"``, and together hold every link once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests

from exporter.server.running import RunningServer

from .conftest import path_of, select

PER_PAGE = 5
TRIAL = "https://w3id.org/trialgraph/ontology#Trial"


@pytest.fixture(scope="module")
def paged(store: Path) -> Iterator[str]:
    with RunningServer(store, "--links-per-page", str(PER_PAGE)) as server:
        yield server.url


@pytest.fixture(scope="module")
def hub(paged: str) -> str:
    """The country most trials link to."""
    query = (f"SELECT ?node {{ ?trial ?link ?node . ?trial a <{TRIAL}> FILTER(CONTAINS(STR(?node), '/country/')) }} "
             "GROUP BY ?node ORDER BY DESC(COUNT(*)) LIMIT 1")
    return select(paged, query)[0]["node"]


def links_in(document: requests.Response, iri: str, syntax: str) -> tuple[list[tuple[str, str]], rdflib.Graph]:
    graph = rdflib.Graph().parse(data=document.text, format=syntax, publicID=iri)
    return [(str(s), str(p)) for s, p in graph.subject_predicates(rdflib.URIRef(iri))], graph


@pytest.mark.parametrize(("extension", "syntax"), [(".ttl", "turtle"), (".jsonld", "json-ld")])
def test_next_reaches_every_link_once(paged: str, hub: str, extension: str, syntax: str) -> None:
    every = {(row["trial"], row["link"])
             for row in select(paged, f"SELECT ?trial ?link {{ ?trial ?link <{hub}> . ?trial a <{TRIAL}> }}")}
    assert len(every) > 2 * PER_PAGE, "a hub of at least three pages"
    seen: list[tuple[str, str]] = []
    url, previous = paged + path_of(hub) + extension, None
    while url is not None:
        document = requests.get(url, timeout=10)
        assert document.status_code == 200
        links, graph = links_in(document, hub, syntax)
        assert 1 <= len(links) <= PER_PAGE
        assert all((rdflib.URIRef(trial), rdflib.RDFS.label, None) in graph for trial, _ in links)  # titled
        assert (rdflib.URIRef(hub), None, None) in graph  # the resource's own triples, on every page
        assert document.links["alternate"]["url"] == path_of(hub) + (".html" if extension == ".jsonld" else ".jsonld")
        assert document.links.get("prev", {}).get("url") == previous
        seen += links
        previous = url.removeprefix(paged)
        url = paged + document.links["next"]["url"] if "next" in document.links else None
        assert url is None or len(links) == PER_PAGE
    assert sorted(seen) == sorted(every)


def test_a_document_of_few_links_has_no_next(paged: str, trial_iri: str) -> None:
    response = requests.get(paged + path_of(trial_iri) + ".ttl", timeout=10)
    assert response.status_code == 200 and set(response.links) == {"alternate"}


@pytest.mark.parametrize("page", ["0", "-1", "x", "1e3", "2.0", "", "9" * 12, "%EF%BC%92"])  # the last a full-width 2
def test_a_page_that_is_not_a_number_from_one_is_400(paged: str, hub: str, page: str) -> None:
    response = requests.get(paged + path_of(hub) + ".ttl?page=" + page, timeout=10)
    assert response.status_code == 400 and "page" in response.text


def test_a_page_past_the_last_is_404_and_an_html_page_ignores_it(paged: str, hub: str) -> None:
    assert requests.get(paged + path_of(hub) + ".ttl?page=100000", timeout=10).status_code == 404
    assert requests.get(paged + path_of(hub) + ".html?page=x", timeout=10).status_code == 200
