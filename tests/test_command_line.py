"""The first hour at the command line: each mistake a newcomer makes gets one clear line and the right exit code."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.server.running import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "store"
    assert main(["load", str(demo_folder()), "--store", str(path), "-q"]) == 0
    return path


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 2) -> str:
    """The one line a failing command writes to standard error."""
    assert main(argv) == code
    error = capsys.readouterr().err.splitlines()
    assert error[-1].startswith("trialgraph: error: "), error
    return error[-1].removeprefix("trialgraph: error: ")


def test_a_missing_query_file_is_named(demo_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert error_of(["query", "--store", str(demo_store), "questions/sponsors.rq"], capsys) == (
        "no such query file: questions/sponsors.rq (give a file holding a query, or the query itself)")


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ex: <urn:ex:>\n# remove them all\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
])
def test_an_update_is_refused_as_an_update(demo_store: Path, update: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "SPARQL updates are refused" in error_of(["query", "--store", str(demo_store), update], capsys)


@pytest.mark.parametrize(("query", "said"), [
    ("SELECT * WHERE { ?s ?p ?o\nFILTER(?s = ) }", "line 2, column "),
    ("PREFIX tg: <https://w3id.org/trialgraph/ontology#>\nSELECT * { ?t tgx:phase ?p }",
     "line 2, column 15: unknown prefix tgx: (declare it: PREFIX tgx: <…>)"),
    ("SELEKT ?s { ?s ?p ?o }", 'line 1, column 1: a query begins with SELECT, CONSTRUCT, ASK or DESCRIBE'),
    ("SELECT * { ?s ?p ?o . ?s ?p [ }", 'line 1, column 31: unexpected "}"; expected'),
])
def test_syntax_errors_say_where_in_words(demo_store: Path, query: str, said: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    error = error_of(["query", "--store", str(demo_store), query], capsys)
    assert said in error
    assert "'A' ..=" not in error and "\\u{" not in error and "[_]" not in error  # no parser character classes
    assert not error.endswith(",")


def test_the_whole_expected_list_is_kept(demo_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = error_of(["query", "--store", str(demo_store), "SELECT * { ?s ?p ?o . ?s ?p [ }"], capsys)
    assert error.endswith('"^", "a", OPTIONAL or a name')


@pytest.mark.parametrize(("alias", "syntax"), [("ttl", "turtle"), ("nt", "nt"), ("json-ld", "json-ld"),
                                               ("jsonld", "json-ld"), ("TTL", "turtle")])
def test_query_takes_format_aliases(demo_store: Path, alias: str, syntax: str,
                                    capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["query", "--store", str(demo_store), "CONSTRUCT WHERE { ?t a ?c } LIMIT 5", "-f", alias]) == 0
    assert len(rdflib.Graph().parse(data=capsysbinary.readouterr().out, format=syntax)) == 5


@pytest.mark.parametrize(("alias", "syntax"), [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"),
                                               ("json-ld", "json-ld"), ("trig", "trig")])
def test_export_takes_format_aliases(tmp_path: Path, alias: str, syntax: str) -> None:
    out = tmp_path / f"demo.{alias}"
    assert main(["export", str(demo_folder()), "-f", alias, "-o", str(out), "-q", "-j", "1"]) == 0
    assert len(list(rdflib.Dataset().parse(out, format=syntax).quads())) > 500


def test_an_unknown_format_names_the_formats_and_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", str(demo_folder()), "-f", "n3"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "unknown format 'n3': use one of jsonld, nquads, ntriples, trig, turtle (or " in error and "ttl" in error


@pytest.mark.parametrize("fmt", ["trig", "TriG"])
def test_dump_as_trig_keeps_every_record_graph(demo_store: Path, tmp_path: Path, fmt: str) -> None:
    trig, nquads = tmp_path / "store.trig", tmp_path / "store.nq"
    assert main(["dump", "--store", str(demo_store), "-f", fmt, "-o", str(trig)]) == 0
    assert main(["dump", "--store", str(demo_store), "-f", "nq", "-o", str(nquads)]) == 0
    from_trig = rdflib.Dataset().parse(trig, format="trig")
    from_nquads = rdflib.Dataset().parse(nquads, format="nquads")
    named = {g.identifier for g in from_nquads.graphs()} - {rdflib.URIRef("urn:x-rdflib:default")}
    assert named and named <= {g.identifier for g in from_trig.graphs()}
    assert len(list(from_trig.quads())) == len(list(from_nquads.quads()))


@pytest.mark.parametrize("command", ["export", "validate", "load"])
def test_an_empty_folder_is_an_error(tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    argv = [command, str(tmp_path / "empty"), "-q"] + (["--store", str(tmp_path / "store")] if command == "load" else [])
    assert error_of(argv, capsys).startswith(f"no records found in {tmp_path / 'empty'}: trialgraph reads ")


def test_loading_a_missing_file_makes_no_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert error_of(["load", str(tmp_path / "trials.xml"), "--store", str(store)], capsys) == (
        f"no such file or folder: {tmp_path / 'trials.xml'}")
    assert not store.exists()


def _serve(store: Path, *options: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "exporter.cli", "serve", "--store", str(store), *options],
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_a_port_in_use_is_one_line_and_exit_2(demo_store: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = _serve(demo_store, "--port", str(port))
    assert done.returncode == 2
    assert done.stderr == (f"trialgraph: error: port {port} on 127.0.0.1 is already in use: stop what listens "
                           f"there, or serve on another --port\n")


def test_a_base_the_records_were_not_minted_under_is_refused(demo_store: Path) -> None:
    done = _serve(demo_store, "--port", str(free_port()), "--base-iri", "https://trials.example.org/")
    assert done.returncode == 2
    assert done.stderr == (
        "trialgraph: error: the store's records were minted under http://localhost:8000/, not "
        "https://trials.example.org/: serve without --base-iri (pages work on any host and port), or load the "
        "records again with --base-iri https://trials.example.org/\n")


def test_serve_says_what_it_publishes(demo_store: Path) -> None:
    from exporter.server.running import RunningServer

    with RunningServer(demo_store, "--base-iri", "http://localhost:8000") as server:
        said = server.output().splitlines()[0]
    assert said.startswith(f"trialgraph: publishing the IRIs under http://localhost:8000/ at {server.url}/ ")


def test_virtuoso_load_without_virtuoso_is_one_line(tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    assert main(["export", str(demo_folder()), "-f", "nquads", "-o", str(shards / "part-0.nq"), "-q", "-j", "1"]) == 0
    (shards / "manifest.json").write_text('{"shards": [{"file": "part-0.nq"}], "options": {"base_iri": "x"}}')
    port = str(free_port())  # nothing listens there
    no_server = f"no Virtuoso answers on port {port}" if shutil.which("isql-vt") else "isql-vt not found"
    for folder, said in [(shards, no_server), (tmp_path / "none", "no manifest.json in")]:
        done = subprocess.run([sys.executable, "-m", "benchmarks.virtuoso_load", str(folder), "--port", port],
                              capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1 and said in done.stderr, done.stderr


def test_behind_a_proxy_under_another_host_and_path(tmp_path: Path) -> None:
    """Minted under the public base, served on a local port under the path the proxy strips: IRIs and links hold."""
    import requests

    from exporter.server.running import RunningServer

    store = tmp_path / "store"
    public = "https://data.example.org/trials/"
    assert main(["load", str(demo_folder()), "--store", str(store), "--base-iri", public, "-q"]) == 0
    with RunningServer(store, "--root-path", "/trials") as server:
        said = server.output().splitlines()[0]
        page = requests.get(server.url + "/trial/nct/NCT90000001.html", timeout=10)  # as the proxy forwards it
        turtle = requests.get(server.url + "/trial/nct/NCT90000001.ttl", timeout=10).text
    assert said.startswith(f"trialgraph: publishing the IRIs under {public} at {server.url}/ ")
    assert page.status_code == 200
    assert 'href="/trials/trial/nct/NCT90000001.ttl"' in page.text and 'href="/trials/sparql"' in page.text
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (rdflib.URIRef(public + "trial/nct/NCT90000001"), None, None) in graph
