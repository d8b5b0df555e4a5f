"""The store: loading, replacing a record in one transaction, load metadata, queries, dumps and the CLI."""

from __future__ import annotations

import gc
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.server.app import QUERIES
from exporter.store import META_GRAPH, ONTOLOGY_GRAPH, StoreWriter, TrialStore, open_current
from exporter.store.search import SearchIndex

DCT = "http://purl.org/dc/terms/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert main(["load", str(demo_folder()), "--store", str(path), "-q"]) == 0
    return path


def graphs(store: TrialStore) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row[0].value: int(row[1].value) for row in rows}


def test_one_graph_per_record_plus_ontology_and_meta(demo_store: Path) -> None:
    store = TrialStore(demo_store, read_only=True)
    counts = graphs(store)
    assert ONTOLOGY_GRAPH in counts and META_GRAPH in counts
    records = [g for g in counts if g not in (ONTOLOGY_GRAPH, META_GRAPH)]
    assert len(records) >= 5
    for graph in records:  # each says when and from what it was loaded
        meta = {row[0].value for row in store.query(f"SELECT ?p {{ GRAPH <{META_GRAPH}> {{ <{graph}> ?p ?o }} }}")}
        assert {DCT + "modified", DCT + "source"} <= meta


def test_reloading_replaces_each_graph(demo_store: Path) -> None:
    before = graphs(TrialStore(demo_store, read_only=True))
    assert main(["load", str(demo_folder()), "--store", str(demo_store), "-q"]) == 0
    after = graphs(TrialStore(demo_store, read_only=True))
    assert after == before  # replaced, not added to


def test_replace_graph_is_whole(tmp_path: Path) -> None:
    store = TrialStore(tmp_path / "s")
    store.replace_graph("urn:g", "<urn:a> <urn:b> \"one\" .\n<urn:a> <urn:b> \"two\" .\n")
    store.replace_graph("urn:g", "<urn:a> <urn:b> \"three\" .\n")
    values = {row[0].value for row in store.query("SELECT ?o { GRAPH <urn:g> { ?s ?p ?o } }")}
    assert values == {"three"}


def test_load_from_every_fixture(fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["load", str(fixtures), "--store", str(tmp_path / "s"), "-q"])
    assert code in (0, 1)
    assert re.search(r"records/s, [\d.]+ s of it compacting\); the default graph holds", capsys.readouterr().err)
    assert TrialStore(tmp_path / "s", read_only=True).statistics["triples"] > 10000


@pytest.mark.parametrize("query", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_example_queries_return_rows_on_the_demo(demo_store: Path, query: Path) -> None:
    answer = TrialStore(demo_store, read_only=True).answer(query.read_text(), "json")
    assert json.loads(answer.body)["results"]["bindings"]


# In docs/queries.md: a heading, the query's path, the query, what it prints on the demo.
_README_EXAMPLE = re.compile(r"`(exporter/server/queries/[^`]+\.rq)`\n\n```sparql\n(.*?)```\n\n```text\n(.*?)```", re.S)


def test_the_docs_show_each_example_query_as_it_is_and_what_it_prints(
    demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = _README_EXAMPLE.findall((ROOT / "docs" / "queries.md").read_text(encoding="utf-8"))
    assert sorted(path for path, _, _ in examples) == [
        str(p.relative_to(ROOT)) for p in sorted(QUERIES.glob("*.rq"))
    ]
    for path, query, printed in examples:
        assert query == (ROOT / path).read_text(encoding="utf-8"), path
        assert main(["query", "--store", str(demo_store), str(ROOT / path)]) == 0
        assert capsys.readouterr().out == printed, path


def test_query_command_formats(demo_store: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    select = "SELECT ?c WHERE { ?c a <https://w3id.org/trialgraph/ontology#Country> }"
    for fmt, check in (("table", b"rows)"), ("csv", b"c\r\n"), ("json", b'"bindings"')):
        assert main(["query", "--store", str(demo_store), select, "--format", fmt]) == 0
        assert check in capsysbinary.readouterr().out
    assert main(["query", "--store", str(demo_store), "CONSTRUCT WHERE { ?c a ?t } LIMIT 3"]) == 0
    assert rdflib.Graph().parse(data=capsysbinary.readouterr().out, format="turtle")


@pytest.mark.parametrize("argv", [
    ["query", "--store", "{store}", "SELEKT"],
    ["query", "--store", "{store}", "SELECT * {}", "--format", "turtle"],
    ["query", "--store", "{missing}", "SELECT * {}"],
    ["dump", "--store", "{missing}"],
])
def test_errors_are_one_line_and_exit_2(demo_store: Path, tmp_path: Path, argv: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.replace("{store}", str(demo_store)).replace("{missing}", str(tmp_path / "nothing")) for a in argv]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.startswith("trialgraph: error:") and error.count("\n") == 1


@pytest.mark.parametrize(("fmt", "syntax"), [("nquads", "nquads"), ("ntriples", "nt"), ("turtle", "turtle")])
def test_dump(demo_store: Path, tmp_path: Path, fmt: str, syntax: str) -> None:
    out = tmp_path / f"dump.{fmt}"
    assert main(["dump", "--store", str(demo_store), "-f", fmt, "-o", str(out)]) == 0
    parsed = rdflib.Dataset() if fmt == "nquads" else rdflib.Graph()
    parsed.parse(out, format=syntax)
    count = len(list(parsed.quads())) if fmt == "nquads" else len(parsed)
    assert count > 1000


def test_a_load_on_every_core_holds_what_a_load_in_one_process_holds(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same store three ways: bulk loaded in one process, bulk loaded on every core, and loaded in two
    loads, the second adding most records to a store that holds some (batches of new graphs, one
    transaction each) and replacing the others."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stores = {}
    for workers in ("1", "2"):
        path = tmp_path / f"j{workers}"
        assert main(["load", str(fixtures), "--store", str(path), "-q", "-j", workers]) in (0, 1)
        stores[workers] = TrialStore(path, read_only=True)
    path = tmp_path / "twice"
    assert main(["load", str(fixtures / "ictrp-xml"), "--store", str(path), "-q"]) in (0, 1)
    assert main(["load", str(fixtures), "--store", str(path), "-q"]) in (0, 1)
    stores["twice"] = TrialStore(path, read_only=True)
    one, two, twice = stores["1"], stores["2"], stores["twice"]
    assert one.statistics == two.statistics == twice.statistics and one.statistics["triples"] > 10000
    assert one.statistics == one.count(one.base)  # the counts kept as it loaded are the engine's own

    def statements(store: TrialStore) -> set[str]:
        return {str(q) for q in store.oxigraph.quads_for_pattern(None, None, None)
                if q.graph_name != ox.NamedNode(META_GRAPH) and "_:" not in str(q)}  # the ontology's lists aside

    assert statements(one) == statements(two) == statements(twice)


def test_records_a_stopped_load_stored_are_indexed_by_the_next_writer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load stopped after its records reached the store but before its search index committed them (killed):
    the next writer of the store finds them missing from the index and indexes them; a writer after a load
    that ended finds nothing to do."""
    path = tmp_path / "store"

    def stopped(writer: StoreWriter) -> None:  # the store written, the index dropped uncommitted, no stamp
        writer._flush()
        writer.store.oxigraph.flush()
        del writer.search

    with monkeypatch.context() as patched:
        patched.setattr(StoreWriter, "close", stopped)
        assert main(["load", str(demo_folder()), "--store", str(path), "-q", "-j", "1"]) == 0
    gc.collect()
    store = TrialStore(path)
    assert SearchIndex.of_store(store).counts()["trials"] == 0
    writer = StoreWriter(store)
    assert writer.stopped_before
    writer.close()
    assert SearchIndex.of_store(store).counts()["trials"] == len(
        list(store.query("SELECT DISTINCT ?t { ?t a <https://w3id.org/trialgraph/ontology#Trial> }"))) > 1
    assert not StoreWriter(store).stopped_before


def test_a_store_named_by_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["load", str(demo_folder()), "--store", "store", "-q"]) == 0
    assert main(["load", str(demo_folder()), "--store", "store", "-q"]) == 0  # its search index opened again
    capsys.readouterr()
    assert main(["query", "SELECT (COUNT(*) AS ?n) { ?t a <https://w3id.org/trialgraph/ontology#Trial> }",
                 "--store", "store", "-f", "csv"]) == 0
    assert int(capsys.readouterr().out.split()[-1]) > 1
    assert SearchIndex.of_store(TrialStore("store", read_only=True), read_only=True, folder="store").counts()["trials"] > 1


def _tables(folder: Path) -> int:
    return len(list(folder.glob("*.sst")))


def test_a_bulk_load_publishes_a_compacted_store(fixtures: Path, tmp_path: Path) -> None:
    # the bulk loader leaves many table files that every lookup searches; compacting again must find nothing to merge
    path = tmp_path / "store"
    assert main(["load", str(fixtures), str(demo_folder()), "--store", str(path), "-q", "-j", "2"]) in (0, 1)
    lease = open_current(path).lease
    assert lease is not None and _tables(lease.path) > 0
    published = lease.path
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    engine = ox.Store(str(copy))
    before = _tables(copy)
    engine.optimize()
    engine.flush()
    del engine
    gc.collect()
    assert _tables(copy) == before
