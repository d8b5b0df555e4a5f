"""The search index kept beside the store: filled by each load, one row per trial, counts that add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.store import TrialStore
from exporter.store.search import INDEX_FILE, SearchIndex, words

TG = "https://w3id.org/trialgraph/ontology#"


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert main(["load", str(demo_folder()), "--store", str(path), "-q"]) == 0
    return path


def _store_counts(store: Path, pattern: str) -> dict[str, int]:
    """Distinct trials per value of ``?v`` in ``pattern``, counted by SPARQL over the record graphs."""
    rows = TrialStore(store, read_only=True).query(
        f"SELECT ?v (COUNT(DISTINCT ?t) AS ?n) {{ GRAPH ?g {{ ?t a <{TG}Trial> . {pattern} }} }} GROUP BY ?v")
    return {row[0].value: int(row[1].value) for row in rows}


def test_a_load_fills_the_index_with_one_row_per_trial(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    trials = _store_counts(demo_store, "BIND(1 AS ?v)")["1"]
    store = TrialStore(demo_store, read_only=True)
    graphs = len(list(store.query(f"SELECT DISTINCT ?g {{ GRAPH ?g {{ ?t a <{TG}Trial> }} }}")))
    assert graphs > trials, "the demo has trials registered in two records"
    assert index.counts()["trials"] == trials == index.search("").total


def test_facet_counts_are_the_stores(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    facets = index.facets()
    for kind, predicate in (("phase", "phase"), ("status", "recruitmentStatus"), ("register", "register"),
                            ("country", "country"), ("type", "studyType")):
        expected = _store_counts(demo_store, f"?t <{TG}{predicate}> ?v")
        assert {c.key: c.count for c in facets[kind]} == expected, kind
    years = _store_counts(demo_store, f"?t <{TG}registrationDate> ?d BIND(SUBSTR(STR(?d), 1, 4) AS ?v)")
    assert {c.value: c.count for c in facets["year"]} == years


def test_search_finds_a_trial_by_id_condition_intervention_and_sponsor(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    by_id = index.search("NCT90000001")
    assert by_id.hits[0].identifier == "NCT90000001"  # the trial itself before the one citing its id
    assert [hit.iri.rsplit("/", 2)[-2:] for hit in by_id.hits[1:]] == [["eudract", "2022-000456-78"]]
    eudract = index.search("2022-000456-78")  # EUCTR's per-country records are one trial
    assert eudract.total == 1 and eudract.hits[0].iri.endswith("/trial/eudract/2022-000456-78")
    assert index.search("2021-000123-45").hits[0].identifier == "NCT90000001"  # a secondary id
    assert index.search("hypertension").total >= 1
    assert "NCT90000001" in {hit.identifier for hit in index.search("glucoregulin").hits}
    assert "NCT90000001" in {hit.identifier for hit in index.search("northwind").hits}
    assert index.search("diabetes").total > index.search("diabetes glucoregulin").total > 0
    assert index.search("diabet*").total == index.search("diabetes").total
    assert index.search("zzzunknownword").total == 0


def test_facets_narrow_a_search_and_count_what_is_left(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    everything = index.search("diabetes")
    phases = index.facets("diabetes")["phase"]
    assert sum(c.count for c in phases) >= everything.total
    for count in phases:
        narrowed = index.search("diabetes", {"phase": [count.value]})
        assert narrowed.total == count.count
        assert all(count.value in hit.facets["phase"] for hit in narrowed.hits)
    assert index.search("diabetes", {"phase": ["No such phase"]}).total == 0


def test_facets_alone_narrow_and_count(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    for count in index.facets()["country"]:
        chosen = {"country": [count.value]}
        assert index.search("", chosen).total == count.count
        countries = index.facets("", chosen)["country"]  # a trial may be in several countries
        assert count in countries and all(other.count <= count.count for other in countries)
        for status in index.facets("", chosen)["status"]:
            both = {**chosen, "status": [status.value]}
            assert index.search("", both).total == status.count == sum(c.count for c in index.facets("", both)["type"])


def test_pages_partition_the_results(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    total = index.search("").total
    pages = [index.search("", page=number, size=1) for number in range(1, total + 1)]
    assert {page.pages for page in pages} == {total}
    seen = [hit.iri for page in pages for hit in page.hits]
    assert len(seen) == len(set(seen)) == total
    registered = [hit.registered for page in pages for hit in page.hits]
    assert registered == sorted(registered, reverse=True)


def test_a_nodes_trials_by_role_are_the_stores_and_page_through(demo_store: Path) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    for predicate, role in (("primarySponsor", "sponsor"), ("funder", "funder"), ("intervention", "intervention")):
        for node, expected in _store_counts(demo_store, f"?t <{TG}{predicate}> ?v").items():
            assert {count.value: count.count for count in index.roles(node)}[role] == expected
            pages = [index.linked(node, role, page, size=1) for page in range(1, expected + 1)]
            shown = [hit.iri for page in pages for hit in page.hits]
            assert len(set(shown)) == len(shown) == expected == pages[0].total
            assert index.linked(node, role, expected + 1, size=1).hits == []


def test_loading_again_replaces_and_removing_takes_back(demo_store: Path) -> None:
    before = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    counts, facets = before.counts(), before.facets()
    assert main(["load", str(demo_folder()), "--store", str(demo_store), "-q"]) == 0
    again = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    assert again.counts() == counts and again.facets() == facets

    index = SearchIndex(demo_store / INDEX_FILE)
    records = [iri for (iri,) in index._db.execute(
        "SELECT record.iri FROM record JOIN trial ON trial.id = record.trial WHERE trial.iri LIKE '%NCT90000001'")]
    assert len(records) == 2, "registered in ICTRP and ClinicalTrials.gov"
    trial = next(hit.iri for hit in index.search("NCT90000001").hits if hit.identifier == "NCT90000001")
    index.remove(records[0])
    index.commit()
    assert trial in {hit.iri for hit in index.search("NCT90000001").hits}
    assert index.counts()["trials"] == counts["trials"]
    index.remove(records[1])
    index.commit()
    assert trial not in {hit.iri for hit in index.search("NCT90000001").hits}
    assert index.counts()["trials"] == counts["trials"] - 1
    assert sum(c.count for c in index.facets()["type"]) == counts["trials"] - 1


def test_a_load_on_every_core_indexes_what_one_process_does(tmp_path: Path) -> None:
    indexes = []
    for workers in ("1", "2"):
        path = tmp_path / f"store-{workers}"
        assert main(["load", str(demo_folder()), "--store", str(path), "-q", "-j", workers]) == 0
        indexes.append(SearchIndex(path / INDEX_FILE, read_only=True))
    one, every = indexes
    assert one.counts() == every.counts() and one.facets() == every.facets()
    assert [hit.iri for hit in one.search("diabetes").hits] == [hit.iri for hit in every.search("diabetes").hits]


def test_a_store_loaded_without_an_index_is_indexed_from_its_graphs(demo_store: Path) -> None:
    loaded = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    counts, facets, found = loaded.counts(), loaded.facets(), loaded.search("diabetes")
    (demo_store / INDEX_FILE).rename(demo_store / "loaded.sqlite")
    rebuilt = SearchIndex.of_store(TrialStore(demo_store, read_only=True), read_only=True)
    assert (demo_store / INDEX_FILE).is_file()
    assert rebuilt.counts() == counts and rebuilt.facets() == facets
    assert [hit.iri for hit in rebuilt.search("diabetes").hits] == [hit.iri for hit in found.hits]


@pytest.mark.parametrize("text", ['NOT', 'a OR', '"', 'x AND (y', '*', 'NEAR(a b)', '-', 'col:word', '^a'])
def test_any_text_is_a_query_never_an_error(demo_store: Path, text: str) -> None:
    index = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    assert index.search(text).total >= 0
    assert all(token.isalnum() for word in words(text) for token in word.tokens)

