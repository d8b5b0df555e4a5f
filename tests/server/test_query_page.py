"""The query page in a real browser: answers as a table in the page, examples into the editor, errors at their
place, ``?query=`` links, downloads. Asserts on the DOM that Chromium built, never on pixels."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from exporter.server.app import examples

from .chromium import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")

TG = "https://w3id.org/trialgraph/ontology#"
SIZES = f"SELECT ?trial ?size WHERE {{ ?trial <{TG}targetSize> ?size }} ORDER BY ?size"
TABLE = """[...document.querySelectorAll('#answer tbody tr')].map(row => [...row.cells].map(cell => ({
  text: cell.querySelector('.literal, .iri') ? cell.querySelector('.literal, .iri').textContent : '',
  href: cell.querySelector('a') ? cell.querySelector('a').getAttribute('href') : null,
  note: cell.querySelector('.datatype') ? cell.querySelector('.datatype').textContent.trim() : null})))"""
HEADINGS = "[...document.querySelectorAll('#answer thead th')].map(th => th.textContent)"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(tmp_path_factory.mktemp("chromium")) as opened:
        yield opened


def open_with(browser: Browser, server: str, query: str) -> None:
    browser.open(f"{server}/sparql?{urlencode({'query': query})}")


def test_a_shared_link_opens_the_page_and_shows_the_answer_as_a_table(browser: Browser, demo_server: str) -> None:
    open_with(browser, demo_server, SIZES)
    rows = browser.wait_for(f"document.querySelector('#answer') && {TABLE}")
    assert browser.evaluate("document.getElementById('query').value") == SIZES
    assert browser.evaluate(HEADINGS) == ["?trial", "?size"]
    sizes = requests.post(demo_server + "/sparql", data={"query": SIZES},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
    expected = sizes["results"]["bindings"]
    assert len(rows) == len(expected) > 2
    for (trial, size), binding in zip(rows, expected):
        assert trial["href"] == urlsplit(binding["trial"]["value"]).path  # a link to the trial's page here
        assert size == {"text": binding["size"]["value"], "href": None, "note": "xsd:integer"}
    assert browser.evaluate("document.getElementById('summary').textContent").startswith(f"{len(expected)} rows in ")


def test_an_iri_in_the_table_leads_to_its_page(browser: Browser, demo_server: str) -> None:
    open_with(browser, demo_server, SIZES)
    href = browser.wait_for("document.querySelector('#answer a') && document.querySelector('#answer a').getAttribute('href')")
    browser.evaluate("window.leaving = true; document.querySelector('#answer a').click()")
    browser.wait_for("!window.leaving && document.readyState === 'complete'")
    assert browser.evaluate("location.pathname") == href + ".html"  # the trial's IRI, answered with its page
    assert "target sample size" in browser.evaluate("document.body.innerText")


def test_languages_and_other_sites_show_as_such(browser: Browser, demo_server: str) -> None:
    query = ('SELECT ?label ?site WHERE { VALUES (?label ?site) { ("Essai"@fr <https://example.org/x>) '
             '("plain" <urn:isbn:1>) } }')
    open_with(browser, demo_server, query)
    rows = browser.wait_for(f"document.querySelector('#answer') && {TABLE}")
    assert rows == [[{"text": "Essai", "href": None, "note": "@fr"}, {"text": "https://example.org/x",
                                                                       "href": "https://example.org/x", "note": None}],
                    [{"text": "plain", "href": None, "note": None}, {"text": "urn:isbn:1", "href": None, "note": None}]]


def test_an_example_loads_into_the_editor_and_runs(browser: Browser, demo_server: str) -> None:
    browser.open(demo_server + "/sparql")
    example = next(e for e in examples() if "phase 3" in e["title"].lower())
    index = [e["name"] for e in examples()].index(example["name"])
    browser.evaluate(f"document.querySelectorAll('a.load')[{index}].click()")
    browser.wait_for("!!document.querySelector('#answer')")
    assert browser.evaluate("document.getElementById('query').value") == example["text"]
    assert browser.evaluate(HEADINGS) == ["?sponsor", "?trials"]
    shared = parse_qs(urlsplit(browser.evaluate("location.href")).query)
    assert shared["query"] == [example["text"]]  # the address bar is a link to this query


def test_the_query_can_be_edited_and_run_again(browser: Browser, demo_server: str) -> None:
    browser.open(demo_server + "/sparql")
    browser.evaluate(f"document.getElementById('query').value = {json.dumps('ASK { ?s ?p ?o }')};"
                     "document.getElementById('run').click()")
    assert browser.wait_for("document.getElementById('boolean') && document.getElementById('boolean').textContent") == "true"


def test_a_construct_shows_its_triples(browser: Browser, demo_server: str) -> None:
    open_with(browser, demo_server, f"CONSTRUCT {{ ?t <{TG}targetSize> ?s }} WHERE {{ ?t <{TG}targetSize> ?s }}")
    rows = browser.wait_for(f"document.querySelector('#answer') && {TABLE}")
    assert browser.evaluate(HEADINGS) == ["?subject", "?predicate", "?object"]
    assert rows and all(row[1]["text"] == "tg:targetSize" and row[2]["note"] == "xsd:integer" for row in rows)


def test_an_error_shows_inline_at_its_line_and_column(browser: Browser, demo_server: str) -> None:
    query = "SELECT ?s\nWHERE { ?s nope:thing ?o }"
    open_with(browser, demo_server, query)
    message = browser.wait_for("!document.getElementById('error').hidden && document.getElementById('error').textContent")
    assert message.startswith("bad query: line 2, column 12: unknown prefix nope:")
    assert browser.evaluate("document.getElementById('query').selectionStart") == query.index("nope:")
    assert browser.evaluate("document.querySelector('#error .where').textContent") == "WHERE { ?s nope:thing ?o }\n" + " " * 11 + "^"
    assert browser.evaluate("document.querySelector('#answer')") is None


def test_downloads_are_one_click_away(browser: Browser, demo_server: str) -> None:
    open_with(browser, demo_server, SIZES)
    browser.wait_for("!!document.querySelector('#answer')")
    links = browser.evaluate("Object.fromEntries([...document.querySelectorAll('#downloads a')]"
                             ".map(a => [a.dataset.format, a.href]))")
    csv = requests.get(links["csv"], timeout=30)
    assert csv.headers["Content-Disposition"] == 'attachment; filename="answer.csv"'
    assert csv.text.splitlines()[0] == "trial,size"
    assert parse_qs(urlsplit(links["json"]).query)["query"] == [SIZES]
