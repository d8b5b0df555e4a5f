"""A public endpoint is attacked: markup stays text, no file outside the intended ones is served,
oversized requests get a 4xx, the store cannot be written or used to reach other hosts, limits
hold under concurrency, and nothing a client sends gives a 5xx."""

from __future__ import annotations

import csv
import http.client
import io
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import psutil
import pytest
import requests

from exporter.resources import context_file, ontology_file, shapes_file
from exporter.server.hardening import MAX_BODY, MAX_URL
from exporter.server.app import ServerConfig
from exporter.server.running import RunningServer
from exporter.server.workers import REFUSED_NETWORK

from .conftest import MAX_RESULTS, path_of, select

TG = "https://w3id.org/trialgraph/ontology#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class _Markup(HTMLParser):
    """The elements and attributes a browser would build, and the text it would show."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(html: str) -> str:
    """Fails if the page would run anything: a script other than our JSON-LD or the query page's file, an event handler, a
    ``javascript:`` link, an element from the data; returns the visible text."""
    markup = _Markup()
    markup.feed(html)
    for tag, attrs in markup.tags:
        assert tag not in ("img", "b", "iframe", "object", "embed"), tag
        assert tag != "script" or attrs.get("type") == "application/ld+json" or attrs.get("src") == "/sparql.js"
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "").strip().lower().startswith(("javascript:", "data:")), attrs
    return " ".join("".join(markup.text).split())


def raw(server: str, target: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A request sent exactly as written (requests would normalise ``..`` away)."""
    parts = urlsplit(server)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sent_on_a_socket(server: str, data: bytes) -> int:
    """The status line's code for bytes written straight to the server."""
    parts = urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(data)
        return int(connection.recv(64).split(b" ")[1])


@pytest.fixture(scope="module")
def escaping(server: str) -> dict[str, str]:
    """The record with markup in its title and sponsor, and the nodes its pages link to."""
    trial = select(server, 'SELECT ?t { ?t <http://purl.org/dc/terms/identifier> "ISRCTN90000666" }')[0]["t"]
    found = {"trial": trial}
    for name in ("primarySponsor", "country", "condition", "intervention"):
        found[name] = select(server, f"SELECT ?o {{ <{trial}> <{TG}{name}> ?o }}")[0]["o"]
    return found


# -- escaping -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["trial", "primarySponsor", "country", "condition", "intervention"])
def test_every_page_showing_the_record_keeps_its_markup_as_text(server: str, escaping: dict[str, str],
                                                                 kind: str) -> None:
    response = requests.get(server + path_of(escaping[kind]) + ".html", timeout=10)
    assert response.status_code == 200
    visible = assert_inert(response.text)
    assert 'Escaping test <script>alert("trialgraph")</script> & friends' in visible
    if kind in ("trial", "primarySponsor"):
        assert "<b>Bold</b> Sponsor <img src=x onerror=alert(1)>" in visible


@pytest.mark.parametrize("path", ["/", "/ontology.html", "/sparql"])
def test_the_other_pages_are_inert(server: str, path: str) -> None:
    response = requests.get(server + path, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert_inert(response.text)


def test_every_answer_forbids_sniffing_and_scripts(server: str) -> None:
    for path in ("/", "/void.ttl", "/sparql", "/nothing-here"):
        headers = requests.get(server + path, timeout=10).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("target", [
    "/%3Cscript%3Ealert(1)%3C/script%3E",
    "/trial/%3Cimg%20src=x%20onerror=alert(1)%3E.html",
    "/void.%3Cscript%3E",
])
def test_a_path_echoed_in_an_error_is_never_markup(server: str, target: str) -> None:
    response = requests.get(server + target, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 404
    if response.headers["Content-Type"].startswith("text/html"):  # the 404 page: the path shown as text only
        assert "<" in assert_inert(response.text)
    else:
        assert response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("query", ['SELECT ("<script>alert(1)</script>" AS ?x) {}', "SELECT <script>alert(1)</script>"])
def test_a_query_is_never_echoed_as_markup(server: str, query: str) -> None:
    response = requests.get(server + "/sparql", params={"query": query}, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code in (200, 400)
    if response.headers["Content-Type"].startswith("text/html"):  # the query page, opened with the query as text
        assert query in assert_inert(response.text)


# -- paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/ontology/../../pyproject.toml", "/shapes/..%2f..%2fpyproject.toml", "/ontology.%2e%2e%2fpyproject.toml",
    "/..\\..\\etc\\passwd", "/%5c..%5c..%5cetc%5cpasswd", "//etc/passwd", "/etc/passwd", "/C:/Windows/win.ini",
    "/ontology.ttl%00.html", "/shapes%00", "/%00", "/trial/%zz", "/trial/%", "/trial/%ff%fe.ttl",
    "/static/../../../etc/passwd", "/context/..%2f..%2fpyproject.toml", "/context/../../etc/passwd", "/ontology.ttl/../../etc/passwd", "/void.ttl%2f..%2f..%2fetc%2fpasswd",
])
def test_no_path_reaches_a_file_other_than_the_intended_ones(server: str, target: str) -> None:
    status, body = raw(server, target)
    assert status in (400, 404)
    assert b"root:" not in body and b"[project]" not in body and b"[fonts]" not in body


def test_only_the_intended_files_are_served(server: str) -> None:
    assert requests.get(server + "/ontology.ttl", timeout=10).content == ontology_file().read_bytes()
    assert requests.get(server + "/shapes", timeout=10).content == shapes_file().read_bytes()
    assert requests.get(server + "/context", timeout=10).content == context_file().read_bytes()


def test_an_absolute_form_target_is_not_a_file(server: str) -> None:
    status, body = raw(server, "http://127.0.0.1/etc/passwd")
    assert status in (400, 404) and b"root:" not in body


# -- sizes -------------------------------------------------------------------------------------------


def test_a_100_kb_query_string_is_414(server: str) -> None:
    response = requests.get(server + "/sparql", params={"query": "SELECT * {} #" + "x" * 100_000}, timeout=10)
    assert response.status_code == 414


def test_a_long_query_still_fits_in_a_get(server: str) -> None:
    query = "SELECT * {} #" + "x" * (MAX_URL // 2)
    assert requests.get(server + "/sparql", params={"query": query}, timeout=10).status_code == 200


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_10_mb_body_is_413(server: str, content_type: str) -> None:
    body = b"query=" + b"x" * 10_000_000
    response = requests.post(server + "/sparql", data=body, headers={"Content-Type": content_type}, timeout=30)
    assert response.status_code == 413


def test_a_chunked_body_past_the_limit_is_413(server: str) -> None:
    chunks = iter([b"#" + b"x" * 99_999] * 100)  # no Content-Length: found while reading
    response = requests.post(server + "/sparql", data=chunks, timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_a_body_just_under_the_limit_is_read(server: str) -> None:
    query = "SELECT * {} #" + "x" * (MAX_BODY - 100)
    response = requests.post(server + "/sparql", data=query.encode(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200


def test_oversized_headers_are_431(server: str) -> None:
    assert requests.get(server + "/", headers={"X-Big": "x" * 100_000}, timeout=10).status_code == 431
    many = {f"X-Header-{i}": "x" for i in range(500)}
    assert requests.get(server + "/", headers=many, timeout=10).status_code == 431


def test_a_head_past_uvicorns_buffer_is_still_4xx(server: str) -> None:
    code = sent_on_a_socket(server, b"GET /?" + b"x" * 2_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert code == 400


def test_a_lying_content_length_is_413_before_the_body(server: str) -> None:
    code = sent_on_a_socket(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                                    b"Content-Length: 100000000000\r\n\r\nSELECT")
    assert code == 413


# -- nothing a client sends is a 5xx ---------------------------------------------------------------------


@pytest.mark.parametrize("accept", [
    ";;;,,,/,q=abc;q=", "text/html;q=NaN", "text/html;q=inf, */*;q=-1", "*/*;q=1e309", "text/turtle;q",
    "/", "*", "text/", "a/b;" * 500, "\x7f\x01", "text/html;level=1;q=0.5;q=0.7", "é/ü",
])
def test_a_malformed_accept_header_is_not_a_5xx(server: str, escaping: dict[str, str], accept: str) -> None:
    for path in (path_of(escaping["trial"]), "/void", "/ontology", "/sparql", "/sparql?query=ASK%7B%7D"):
        status, _ = raw(server, path, headers={"Accept": accept})
        assert status < 500, (path, status)


@pytest.mark.parametrize("target", [
    "/sparql?query=%zz", "/sparql?query=%", "/sparql?query=%ff%fe", "/sparql?query=%00", "/sparql?%%%=%%%",
    "/sparql?query=ASK%7B%7D&format=%ff", "/sparql?format=csv&format=json&query=ASK%7B%7D", "/?%zz", "/void?%",
    "/sparql?" + "&".join(f"p{i}=1" for i in range(1500)) + "&query=ASK%7B%7D",
])
def test_bad_percent_encoding_and_floods_of_parameters_are_not_a_5xx(server: str, target: str) -> None:
    status, _ = raw(server, target)
    assert status < 500, status


def test_a_flood_of_form_fields_is_400(server: str) -> None:
    body = "&".join(f"p{i}=1" for i in range(5000)) + "&query=ASK%7B%7D"
    response = requests.post(server + "/sparql", data=body, timeout=10,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "FOO"])
def test_other_methods_are_refused(server: str, method: str) -> None:
    for path in ("/", "/sparql", "/void", "/trial/nct/NCT90000001"):
        assert 400 <= raw(server, path, method)[0] < 500


# -- read-only ---------------------------------------------------------------------------------------


UPDATE = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"


@pytest.mark.parametrize("send", [
    lambda url: requests.get(url, params={"update": UPDATE}, timeout=10),
    lambda url: requests.get(url, params={"query": COUNT, "update": UPDATE}, timeout=10),
    lambda url: requests.post(url, data={"update": UPDATE}, timeout=10),
    lambda url: requests.post(url, params={"update": UPDATE}, data={"query": COUNT}, timeout=10),
    lambda url: requests.post(url, data=UPDATE, headers={"Content-Type": "application/sparql-update"}, timeout=10),
    lambda url: requests.post(url, data="", headers={"Content-Type": "application/sparql-update"}, timeout=10),
    lambda url: requests.post(url, data=UPDATE, timeout=10,
                              headers={"Content-Type": "Application/SPARQL-Update; charset=utf-8"}),
    lambda url: requests.post(url, data=UPDATE, headers={"Content-Type": "application/sparql-query"}, timeout=10),
    lambda url: requests.get(url, params={"query": UPDATE}, timeout=10),
    lambda url: requests.get(url, params={"query": "# a comment\nPREFIX x: <urn:x#>\n  insert data { x:a x:b x:c }"},
                             timeout=10),
    lambda url: requests.get(url, params={"query": "WITH <urn:x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"}, timeout=10),
    lambda url: requests.get(url, params={"query": "LOAD <http://127.0.0.1:9/x.ttl>"}, timeout=10),
    lambda url: requests.get(url, params={"query": "clear ALL"}, timeout=10),
    lambda url: requests.get(url, params={"query": "DrOp/**/ GRAPH <urn:x>"}, timeout=10),
])
def test_every_form_of_update_is_refused(server: str, send) -> None:  # type: ignore[no-untyped-def]
    before = select(server, COUNT)
    response = send(server + "/sparql")
    assert response.status_code in (400, 403), response.text
    assert select(server, COUNT) == before


def test_an_update_after_a_query_is_not_run(server: str) -> None:
    before = select(server, COUNT)
    response = requests.get(server + "/sparql", params={"query": f"SELECT * {{}} ; {UPDATE}"}, timeout=10)
    assert response.status_code == 400 and select(server, COUNT) == before


# -- SERVICE -----------------------------------------------------------------------------------------


@pytest.fixture()
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A port on 127.0.0.1 that records whether anything connected: where a SERVICE call would go."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock, f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{e}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE# a comment\n<{e}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{\tSERVICE\n\n<{e}>{{?s ?p ?o}} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{e}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "PREFIX remote: <{e}#> SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{e}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ FILTER(1<2)SERVICE<{e}>{{?s ?p ?o}} }}",
    "ASK {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{e}> {{ ?s ?p ?o }} }} }}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a\\# AS ?q) SERVICE <{e}> {{ ?x ?y ?z }} }}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a\\#x AS ?q) SERVICE <{e}> {{ ?x ?y ?z }} }} # }}",
    "SELECT * WHERE {{ BIND(\"\"\"#\"\"\" AS ?q) SERVICE <{e}> {{ ?x ?y ?z }} }}",
    "PREFIX s: <{e}> SELECT * WHERE {{ SERVICE s: {{ ?x ?y ?z }} }}",
    "BASE <{e}> SELECT * WHERE {{ SERVICE <> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ SERVICE <{e}> {{ SERVICE <{e}> {{ ?x ?y ?z }} }} }}",
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?x ?y ?z }} }}",
])
def test_service_is_refused_however_written(server: str, listener: tuple[socket.socket, str], template: str) -> None:
    sock, endpoint = listener
    escaped = "".join(f"\\u{ord(c):04X}" if c in ":/" else c for c in endpoint)  # <{u}>: the IRI in \u escapes
    response = requests.get(server + "/sparql", params={"query": template.format(e=endpoint, u=escaped)}, timeout=30)
    if response.status_code != 200:  # 200: the engine found it need not call (MINUS of nothing), and did not
        assert response.status_code == 400 and "service" in response.text.lower()
    with pytest.raises(BlockingIOError):
        sock.accept()  # nobody called


def test_a_silent_service_gives_nothing_and_calls_nobody(server: str, listener: tuple[socket.socket, str]) -> None:
    sock, endpoint = listener
    query = f"SELECT * WHERE {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }}"
    response = requests.get(server + "/sparql", params={"query": query, "format": "json"}, timeout=30)
    assert response.status_code == 200 and response.json()["results"]["bindings"] in ([], [{}])
    with pytest.raises(BlockingIOError):
        sock.accept()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "127.0.0.1:9", "10.255.255.1", "localhost:{port}",
                                  "example.org", "[::1]:{port}"])
def test_the_error_is_the_same_whatever_the_address(server: str, running: RunningServer, host: str) -> None:
    """Open, closed, unroutable, named or not: one answer, so the endpoint cannot probe a network."""
    query = f"SELECT * WHERE {{ SERVICE <http://{host.format(port=running.port)}/sparql> {{ ?s ?p ?o }} }}"
    started = time.monotonic()
    response = requests.get(server + "/sparql", params={"query": query}, timeout=30)
    assert (response.status_code, response.text) == (400, "bad query: " + REFUSED_NETWORK + "\n")
    assert time.monotonic() - started < 2  # no connection attempt to wait for, either


# -- limits under concurrency -------------------------------------------------------------------------


def test_time_limit_and_result_cap_hold_under_concurrency(server: str, running: RunningServer) -> None:
    def ask(query: str) -> requests.Response:
        return requests.get(server + "/sparql", params={"query": query, "format": "csv"}, timeout=120)

    with ThreadPoolExecutor(16) as pool:
        forever = [pool.submit(ask, FOREVER) for _ in range(4)]
        capped = [pool.submit(ask, "SELECT * WHERE { ?s ?p ?o }") for _ in range(6)]
        pages = [pool.submit(requests.get, server + "/", timeout=60) for _ in range(20)]
        assert all(f.result().status_code == 503 and "was stopped" in f.result().text for f in forever)
        for future in capped:
            response = future.result()
            assert response.status_code == 200 and response.headers["X-Results-Truncated"] == str(MAX_RESULTS)
            assert len(list(csv.reader(io.StringIO(response.text)))) == MAX_RESULTS + 1
        assert all(f.result().status_code == 200 for f in pages)
    workers = [p for p in psutil.Process(running.pid).children() if "spawn_main" in " ".join(p.cmdline())]
    assert len(workers) == ServerConfig.workers + 2, "each stopped worker was replaced (fast lane and spare too)"
    assert select(server, COUNT)
