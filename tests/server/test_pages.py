"""The HTML view, the dataset description and the bulk endpoints."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
import requests

from exporter.store import TrialStore

from .conftest import path_of, select

CHROMIUM = Path("/usr/bin/chromium")


class _Page(HTMLParser):
    """The text a person sees (no script or style), the links, and the embedded JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (text, href) of each link
        self.scripts: list[str] = []
        self._in: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()
        self._href = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif not (self._in and self._in[-1] == "style"):
            self.text.append(data)
            if self._href and data.strip():
                self.anchors.append((data.strip(), self._href))

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def test_trial_page_links_to_its_sponsor_countries_conditions_and_interventions(server: str, trial_iri: str) -> None:
    response = requests.get(server + path_of(trial_iri), timeout=10)  # followed the 303, as a browser does
    assert response.headers["Content-Type"].startswith("text/html")
    html = page(response.text)
    targets = select(server, f"""SELECT ?target ?label {{ <{trial_iri}> ?p ?target . ?target
        <http://www.w3.org/2000/01/rdf-schema#label> ?label . VALUES ?p {{
        <https://w3id.org/trialgraph/ontology#primarySponsor> <https://w3id.org/trialgraph/ontology#country>
        <https://w3id.org/trialgraph/ontology#condition> <https://w3id.org/trialgraph/ontology#intervention> }} }}""")
    assert len(targets) >= 4
    shown = {href for _, href in html.anchors}
    for row in targets:  # shown by one of its labels (a reconciled organisation may have several)
        assert path_of(row["target"]) in shown
    embedded = json.loads(html.scripts[0])
    assert embedded["@type"] == "MedicalTrial" and embedded["@id"] == trial_iri
    assert 'rel="alternate" type="text/turtle"' in response.text


def test_a_condition_page_lists_its_trials(server: str, trial_iri: str) -> None:
    condition = select(server, f"SELECT ?c {{ <{trial_iri}> <https://w3id.org/trialgraph/ontology#condition> ?c }}")[0]["c"]
    html = page(requests.get(server + path_of(condition), timeout=10).text)
    assert re.search(r"Trials \(\d+\)", html.visible)
    assert path_of(trial_iri) in {href for _, href in html.anchors}


def test_markup_in_records_is_escaped_everywhere(server: str) -> None:
    trial = select(server, 'SELECT ?t { ?t <http://purl.org/dc/terms/identifier> "ISRCTN90000666" }')[0]["t"]
    sponsor = select(server, f"SELECT ?s {{ <{trial}> <https://w3id.org/trialgraph/ontology#primarySponsor> ?s }}")[0]["s"]
    for iri in (trial, sponsor):
        html = requests.get(server + path_of(iri), timeout=10).text
        assert "<script>alert" not in html and "<b>Bold</b>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html or "&lt;b&gt;Bold" in html
        head_script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        assert "<" not in head_script  # even inside the JSON-LD, < is \u003c
        assert '"Escaping test <script>' in json.dumps(json.loads(head_script), ensure_ascii=False) or iri == sponsor
    assert "<script>alert" not in requests.get(server + "/", timeout=10).text


def test_void(server: str) -> None:
    graph = rdflib.Graph().parse(data=requests.get(server + "/void", headers={"Accept": "text/turtle"}, timeout=10).text,
                                 format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = next(graph.subjects(rdflib.RDF.type, void.Dataset))
    distinct = select(server, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } "
                              "FILTER(?g != <urn:trialgraph:meta>) } }")[0]["n"]
    assert int(graph.value(dataset, void.triples)) == int(distinct) > 10000  # each triple once, as the merge holds it
    assert int(graph.value(dataset, void.entities)) > 100
    assert graph.value(dataset, rdflib.DCTERMS.license) is not None
    assert graph.value(dataset, rdflib.DCTERMS.modified) is not None
    assert len(list(graph.objects(dataset, rdflib.DCTERMS.source))) >= 4
    targets = {str(graph.value(s, void.target)) for s in graph.subjects(rdflib.RDF.type, void.Linkset)}
    assert "https://pubmed.ncbi.nlm.nih.gov/" in targets or "http://id.nlm.nih.gov/" in targets
    entities = {str(graph.value(p, void["class"])): int(graph.value(p, void.entities))
                for p in graph.objects(dataset, void.classPartition)}
    tg = "https://w3id.org/trialgraph/ontology#"
    assert entities[tg + "Trial"] == int(graph.value(dataset, void.entities))
    assert 0 < entities[tg + "Country"] <= 249 and entities[tg + "Organisation"] > 100


def test_ontology_and_shapes(server: str) -> None:
    html = page(requests.get(server + "/ontology", headers={"Accept": "text/html"}, timeout=10).text).visible
    assert "Classes" in html and "Properties" in html and "Phase 3" in html and "Trial" in html
    turtle = requests.get(server + "/ontology", headers={"Accept": "text/turtle"}, timeout=10)
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) > 500
    shapes = requests.get(server + "/shapes", timeout=10)
    assert len(rdflib.Graph().parse(data=shapes.text, format="turtle")) > 100


def test_dump_is_the_whole_store_as_gzipped_nquads(server: str, store: Path) -> None:
    response = requests.get(server + "/dump", timeout=60, stream=True, headers={"Accept-Encoding": "identity"})
    assert response.headers["Content-Encoding"] == "gzip"
    data = gzip.decompress(response.raw.read())
    quads = [line for line in data.decode().splitlines() if line]
    assert len(quads) == sum(1 for _ in TrialStore(store, read_only=True).named_quads())
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    assert len(list(dataset.quads())) == len(quads)


def test_trial_page_latency(server: str, trial_iri: str) -> None:
    url = server + path_of(trial_iri) + ".html"
    requests.get(url, timeout=10)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        requests.get(url, timeout=10).raise_for_status()
        timings.append(time.perf_counter() - started)
    timings.sort()
    print(f"trial page: median {timings[10] * 1000:.1f} ms, worst {timings[-1] * 1000:.1f} ms")
    assert timings[10] < 0.5


def _chromium_dom(url: str, profile: Path) -> str:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", url]
    done = subprocess.run([str(CHROMIUM), *flags], capture_output=True, timeout=90, check=True)
    return done.stdout.decode()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_a_browser_opens_a_trial_and_follows_its_sponsor(server: str, trial_iri: str, sponsor_iri: str,
                                                        tmp_path: Path) -> None:
    trial = page(_chromium_dom(server + path_of(trial_iri), tmp_path / "profile"))
    title = select(server, f"SELECT ?l {{ <{trial_iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")[0]["l"]
    assert title in trial.visible
    href = path_of(sponsor_iri)
    sponsor_name = next(text for text, target in trial.anchors if target == href)  # what a person clicks
    sponsor = page(_chromium_dom(server + href, tmp_path / "profile"))
    assert sponsor_name in sponsor.visible
    assert "Trials (" in sponsor.visible and title in sponsor.visible
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_the_context_is_served_under_the_ontology_version(server: str) -> None:
    from exporter.resources import context, ontology_version

    for path in ("/context", f"/context/{ontology_version()}"):
        response = requests.get(server + path, timeout=10)
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
        assert response.json()["@context"] == context()
    assert requests.get(server + "/context/0.0.1", timeout=10).status_code == 404
