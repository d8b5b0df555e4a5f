"""Pages people land on by mistake or by curiosity: the 404 page and the ontology page."""

from __future__ import annotations

from html.parser import HTMLParser

import requests


class _Forms(HTMLParser):
    """The forms of a page with their fields, and the page's header links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.header_links: list[str] = []
        self._in_header = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "header":
            self._in_header = True
        elif tag == "a" and self._in_header:
            self.header_links.append(values.get("href") or "")
        elif tag == "form":
            self.forms.append({"method": values.get("method"), "action": values.get("action"), "fields": {}})
        elif tag == "input" and self.forms:
            self.forms[-1]["fields"][values.get("name")] = values.get("value")  # type: ignore[index]

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self._in_header = False


def test_the_404_page_has_the_header_and_a_search_for_what_was_asked(demo_server: str) -> None:
    response = requests.get(demo_server + "/trial/nct/NCT00000042", headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")
    page = _Forms()
    page.feed(response.text)
    assert "/sparql" in page.header_links and "/" in page.header_links
    search = next(form for form in page.forms if form["action"] == "/search")
    assert search["method"] == "get" and search["fields"] == {"q": "NCT00000042"}
    assert "http://localhost:8000/trial/nct/NCT00000042" in response.text


def test_a_program_gets_the_404_as_one_line_of_text(demo_server: str) -> None:
    for accept in ("text/turtle", "application/json"):
        response = requests.get(demo_server + "/trial/nct/NCT00000042", headers={"Accept": accept}, timeout=10)
        assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/plain")
        assert response.text == "Nothing is known about http://localhost:8000/trial/nct/NCT00000042\n"


def test_every_404_is_the_page(demo_server: str) -> None:
    response = requests.get(demo_server + "/void.exe", headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 404 and 'action="/search"' in response.text


def test_the_ontology_page_spells_prefixes_as_the_vocabularies_do(demo_server: str) -> None:
    page = requests.get(demo_server + "/ontology", headers={"Accept": "text/html"}, timeout=10).text
    assert "schema:" in page and "schema1:" not in page
    assert "prov:" in page and "skos:" in page
