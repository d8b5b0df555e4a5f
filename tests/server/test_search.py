"""Search and browse on the served store: the home page, /search as a page and as JSON, facets, pages,
the trials of shared nodes by role, and a person's way through them in Chromium."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from exporter.store.search import INDEX_FILE, SearchIndex

from .conftest import path_of, select

CHROMIUM = Path("/usr/bin/chromium")
TG = "https://w3id.org/trialgraph/ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_VOID = {"input", "br", "meta", "link", "img", "hr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else " " + c.text + " " for c in self.children).split())

    def all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if (tag is None or child.tag == tag) and all(child.attrs.get(k) == v for k, v in attrs.items()):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in the page"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k.replace("-", "_"): v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag not in ("script", "style"):
            self.stack[-1].children.append(data)


def dom(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    return builder.root


def get(url: str, **headers: str) -> requests.Response:
    response = requests.get(url, headers=headers, timeout=30)
    response.raise_for_status()
    return response


def search_form(page: Element) -> Element:
    """The search box every page has: a GET form to /search whose text field is named ``q``."""
    form = next(f for f in page.all("form") if f.attrs.get("action", "").endswith("/search"))
    assert form.attrs.get("method", "get").lower() == "get"
    assert any(i.attrs.get("name") == "q" for i in form.all("input"))
    return form


def numbers(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture(scope="session")
def index(store: Path) -> SearchIndex:
    return SearchIndex(store / INDEX_FILE, read_only=True)


def test_every_page_has_the_search_box(server: str, trial_iri: str, sponsor_iri: str) -> None:
    paths = ("/", "/search", "/search?q=diabetes", path_of(trial_iri), path_of(sponsor_iri), "/sparql", "/ontology")
    for path in paths:
        search_form(dom(get(server + path, Accept="text/html").text))


def test_the_home_page_says_what_is_there_from_the_index(server: str, index: SearchIndex) -> None:
    page = dom(get(server + "/").text)
    summary = page.one(id="summary").text
    trials = select(server, f"SELECT (COUNT(DISTINCT ?t) AS ?n) {{ GRAPH ?g {{ ?t a <{TG}Trial> }} }}")[0]["n"]
    assert summary.startswith(f"{int(trials):,} trials from {index.counts()['register']} registers")
    assert len(page.all("li")) < 100, "the home page lists no trials, only the ways in"
    registers = next(s for s in page.all("section") if s.attrs.get("data_facet") == "register")
    first = registers.all("li")[0]
    link, count = first.one("a"), numbers(first.one("small").text)
    narrowed = dom(get(urljoin(server, link.attrs["href"])).text)
    assert numbers(narrowed.one(id="total").one("strong").text) == count
    assert f"Register: {link.text}" in narrowed.one(id="chosen").text


def test_search_answers_as_json_for_scripts(server: str) -> None:
    by_parameter = get(server + "/search?q=glucoregulin&format=json").json()
    by_accept = get(server + "/search?q=glucoregulin", Accept="application/json").json()
    assert by_parameter == by_accept
    assert by_parameter["total"] == len(by_parameter["results"]) > 0
    assert "NCT90000001" in {hit["identifier"] for hit in by_parameter["results"]}
    first = by_parameter["results"][0]
    assert get(server + first["href"], Accept="text/turtle").text.count(first["iri"].rsplit("/", 1)[-1]) > 0
    assert sum(c["count"] for c in by_parameter["facets"]["type"]) == by_parameter["total"]
    assert get(server + "/search?q=glucoregulin").headers["content-type"].startswith("text/html")


def test_a_trial_is_found_by_id_sponsor_and_condition(server: str, trial_iri: str, sponsor_iri: str) -> None:
    sponsor = select(server, f"SELECT ?l {{ <{sponsor_iri}> <{LABEL}> ?l }}")[0]["l"]
    condition = select(server, f"SELECT ?l {{ <{trial_iri}> <{TG}condition>/<{LABEL}> ?l }}")[0]["l"]
    for words in ("NCT90000001", sponsor, condition):
        found = requests.get(server + "/search", params={"q": words, "format": "json"}, timeout=30).json()
        assert trial_iri in {hit["iri"] for hit in found["results"]}, words
    by_id = requests.get(server + "/search", params={"q": "NCT90000001", "format": "json"}, timeout=30).json()
    assert by_id["results"][0]["iri"] == trial_iri


def test_markup_in_records_is_escaped_in_results(server: str) -> None:
    html = get(server + "/search?q=ISRCTN90000666").text
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    found = get(server + "/search?q=ISRCTN90000666&format=json").json()["results"][0]
    assert found["label"].startswith("Escaping test <script>")


def test_the_pages_of_a_list_hold_every_trial_once(server: str) -> None:
    first = get(server + "/search?format=json").json()
    assert first["pages"] > 1
    seen = [hit["iri"] for page in range(1, first["pages"] + 1)
            for hit in get(server + f"/search?format=json&page={page}").json()["results"]]
    assert len(seen) == len(set(seen)) == first["total"]


def test_an_organisation_page_gives_its_trials_by_role_and_its_registered_names(server: str, sponsor_iri: str) -> None:
    page = dom(get(server + path_of(sponsor_iri), Accept="text/html").text)
    for role, predicate in (("sponsor", "primarySponsor"), ("funder", "funder")):
        query = f"SELECT (COUNT(DISTINCT ?t) AS ?n) {{ ?t <{TG}{predicate}> <{sponsor_iri}> }}"
        expected = int(select(server, query)[0]["n"])
        section = page.all("section", id=f"page-{role}")
        if expected:
            assert f"({expected:,})" in section[0].one("h2").text
            assert len(section[0].all("li")) == min(expected, 20)
        else:
            assert not section
    names = {row["l"] for row in select(server, f"SELECT DISTINCT ?l {{ <{sponsor_iri}> <{LABEL}> ?l }}")}
    if len(names) > 1:
        assert all(f"“{name}”" in page.one(id="names").text for name in names)


def test_a_condition_page_shows_its_codes_mesh_links_and_trials(server: str) -> None:
    rows = select(server, f"SELECT ?c ?mesh {{ ?c a <{TG}Condition> ; <{TG}meshDescriptor> ?mesh }} LIMIT 1")
    condition, mesh = rows[0]["c"], rows[0]["mesh"]
    page = dom(get(server + path_of(condition), Accept="text/html").text)
    assert any(a.attrs.get("href") == mesh and a.text == "MeSH " + mesh.rsplit("/", 1)[-1] for a in page.all("a"))
    trials = int(select(server, f"SELECT (COUNT(DISTINCT ?t) AS ?n) {{ ?t <{TG}condition> <{condition}> }}")[0]["n"])
    assert f"({trials:,})" in page.one("section", id="page-condition").one("h2").text
    coded = select(server, f"SELECT ?c ?code {{ ?c a <{TG}Condition> ; <{TG}classificationCode> ?code }} LIMIT 1")
    if coded:
        page = dom(get(server + path_of(coded[0]["c"]), Accept="text/html").text)
        assert coded[0]["code"] in page.text


def test_a_trial_page_names_its_parts_and_shows_values_as_registered(server: str, trial_iri: str) -> None:
    page = dom(get(server + path_of(trial_iri), Accept="text/html").text)
    rows = {row.one("th").text: row.one("td") for row in page.all("tr")}
    for cell in rows.values():  # every link on the trial reads as a label, never as a raw IRI of ours
        assert not any(a.text.startswith("http://localhost:8000/") for a in cell.all("a"))
    same = select(server, f"SELECT ?o {{ <{trial_iri}> <{TG}sameTrialAs> ?o }}")
    linked = {a.attrs["href"] for a in rows["same trial as"].all("a")}
    assert same and all(path_of(row["o"]) in linked for row in same)
    registered = {row["r"] for row in select(server, f"SELECT ?r {{ <{trial_iri}> <{TG}phaseAsRegistered> ?r }}")}
    beside = rows["phase"].one("div", **{"class": "registered"}).text  # in the phase's own row, marked
    assert registered and all(f"“{value}”" in beside for value in registered)
    assert "phase as registered" not in rows


def _chromium_dom(url: str, profile: Path) -> Element:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", url]
    done = subprocess.run([str(CHROMIUM), *flags], capture_output=True, timeout=90, check=True)
    return dom(done.stdout.decode())


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_a_browser_searches_narrows_by_a_facet_and_turns_the_page(server: str, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    home = _chromium_dom(server + "/", profile)
    form = search_form(home)
    results = _chromium_dom(urljoin(server, form.attrs["action"]) + "?q=study", profile)  # what submitting sends
    total = numbers(results.one(id="total").one("strong").text)
    assert total == get(server + "/search?q=study&format=json").json()["total"] > 0
    assert len(results.all("li", **{"class": "hit"})) == min(total, 20)

    kinds = next(s for s in results.all("section") if s.attrs.get("data_facet") == "type")
    value, count = max(((li.one("a"), numbers(li.one("small").text)) for li in kinds.all("li") if li.all("a")),
                       key=lambda pair: pair[1])
    assert count > 20, "enough trials for a second page"
    narrowed = _chromium_dom(urljoin(server, value.attrs["href"]), profile)
    assert numbers(narrowed.one(id="total").one("strong").text) == count
    assert f"Study type: {value.text}" in narrowed.one(id="chosen").text
    first = [a.attrs["href"] for li in narrowed.all("li", **{"class": "hit"}) for a in li.all("a")]

    following = next(a for a in narrowed.all("a") if a.attrs.get("rel") == "next")
    assert parse_qs(urlsplit(following.attrs["href"]).query)["page"] == ["2"]
    second = _chromium_dom(urljoin(server, following.attrs["href"]), profile)
    assert "page 2 of" in second.one(id="total").text
    assert second.one("ol", **{"class": "hits"}).attrs["start"] == "21"
    shown = [a.attrs["href"] for li in second.all("li", **{"class": "hit"}) for a in li.all("a")]
    assert shown and not set(shown) & set(first)
    assert any(a.attrs.get("rel") == "prev" for a in second.all("a"))
    shutil.rmtree(profile, ignore_errors=True)
