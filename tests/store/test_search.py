"""The search index kept beside the store: filled by each load, one row per trial, counts that add up."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.store import TrialStore
from exporter.mapping.terms import IRI, Literal, RecordGraph
from exporter.store.search import INDEX_FILE, Count, SearchIndex, words

TG = "https://w3id.org/trialgraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCT = "http://purl.org/dc/terms/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


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



def _graph(record: str, trial: str, title: str, country: str = "France", registered: str = "2021-06-14") -> RecordGraph:
    """A small record graph of a trial, as a mapper makes it: its id, title, country and registration date."""
    iri = IRI(f"https://example.org/trial/x/{quote(trial, safe='')}")
    node = IRI(f"https://example.org/country/{country}")
    triples = [(iri, IRI(RDF + "type"), IRI(TG + "Trial")), (iri, IRI(DCT + "identifier"), Literal(trial)),
               (iri, IRI(LABEL), Literal(title)), (iri, IRI(TG + "registrationDate"), Literal(registered)),
               (iri, IRI(TG + "country"), node), (node, IRI(LABEL), Literal(country))]
    return RecordGraph(IRI(record), iri, triples, trial)


def test_a_trial_whose_record_changes_is_found_by_its_new_words_only(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / INDEX_FILE)
    index.add(_graph("urn:r:1", "NCT1", "Aspirin for migraine"))
    index.add(_graph("urn:r:2", "NCT2", "Aspirin after stroke", "Spain"))
    index.commit()
    reader = SearchIndex(tmp_path / INDEX_FILE, read_only=True)
    assert reader.search("migraine").total == 1 and reader.search("aspirin").total == 2
    index.add(_graph("urn:r:1", "NCT1", "Ibuprofen for headache", "Spain"))
    index.commit()
    assert reader.search("migraine").total == 0, "the old words are gone"
    assert [hit.label for hit in reader.search("headache").hits] == ["Ibuprofen for headache"]
    assert reader.search("aspirin").total == 1
    assert reader.facets("aspirin OR ibuprofen")["country"] == []  # every word must match: OR is a word
    assert [(c.value, c.count) for c in reader.facets("")["country"]] == [("Spain", 2)]
    assert [(c.value, c.count) for c in reader.facets("", {"year": ["2021"]})["country"]] == [("Spain", 2)]
    assert reader.counts()["trials"] == 2


def test_a_removed_trial_leaves_the_results_and_the_counts(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / INDEX_FILE)
    for number, country in enumerate(("France", "France", "Spain")):
        index.add(_graph(f"urn:r:{number}", f"NCT{number}", "Knee surgery",
                               country))
    index.commit()
    reader = SearchIndex(tmp_path / INDEX_FILE, read_only=True)
    assert [(c.value, c.count) for c in reader.facets("knee")["country"]] == [("France", 2), ("Spain", 1)]
    index.remove("urn:r:0")
    index.remove("urn:r:2")
    index.commit()
    assert [hit.identifier for hit in reader.search("knee").hits] == ["NCT1"]
    assert [(c.value, c.count) for c in reader.facets("knee")["country"]] == [("France", 1)]
    assert [(c.value, c.count) for c in reader.facets()["country"]] == [("France", 1)]
    assert reader.search("", {"country": ["Spain"]}).total == 0
    assert reader.linked("https://example.org/country/Spain", "country").total == 0
    assert reader.linked("https://example.org/country/France", "country").total == 1


def test_ids_phrases_prefixes_and_accents_are_words_as_typed(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / INDEX_FILE)
    titles = {"CTRI/2021/08/036074": "Yoga for diabetic neuropathy", "ChiCTR2100045397": "Café au lait spots",
              "EUCTR2018-003171-35-DE": "Knee replacement in older adults"}
    for number, (trial, title) in enumerate(titles.items()):
        index.add(_graph(f"urn:r:{number}", trial, title))
    index.commit()
    first = {query: [hit.label for hit in index.search(query).hits] for query in (
        "CTRI/2021/08/036074", "ChiCTR2100045397", "2018-003171-35", "cafe", '"knee replacement"', "knee*",
        "replac*", "neuropathies", "CTRI/2021/08/03*")}
    assert first == {
        "CTRI/2021/08/036074": ["Yoga for diabetic neuropathy"], "ChiCTR2100045397": ["Café au lait spots"],
        "2018-003171-35": ["Knee replacement in older adults"], "cafe": ["Café au lait spots"],
        '"knee replacement"': ["Knee replacement in older adults"], "knee*": ["Knee replacement in older adults"],
        "replac*": ["Knee replacement in older adults"], "neuropathies": ["Yoga for diabetic neuropathy"],
        "CTRI/2021/08/03*": ["Yoga for diabetic neuropathy"]}
    assert index.search('"replacement knee"').total == 0, "a phrase keeps its order"
    assert index.search("2100045397").total == 1, "a register's prefix glued to the number: the number alone"


@pytest.mark.parametrize("text", [
    '"knee', 'knee"', '""', '"*"', 'knee AND NOT "', '(knee) OR [x]', 'title:knee', 'knee^3', '~knee~2',
    'kn*ee', '*knee', 'knee -surgery', '+knee', '\\"knee\\"', "knee'", 'a:b:c "d e" f*', "{}[]()<>!?.,;&|/\\"])
def test_operators_and_quotes_in_any_place_are_words_or_nothing(tmp_path: Path, text: str) -> None:
    index = SearchIndex(tmp_path / INDEX_FILE)
    index.add(_graph("urn:r:1", "NCT1", "Knee surgery"))
    index.commit()
    found = index.search(text)
    tokens = [token for word in words(text) for token in word.tokens]
    assert found.total == (1 if tokens and set(tokens) <= {"knee", "surgeri", "kn"} else 0), tokens
    assert index.facets(text)["country"] == ([Count("France", 1, "https://example.org/country/France")]
                                             if found.total else [])


def test_an_index_of_an_earlier_layout_is_made_again_from_the_store(demo_store: Path) -> None:
    loaded = SearchIndex(demo_store / INDEX_FILE, read_only=True)
    counts, found = loaded.counts(), [hit.iri for hit in loaded.search("diabetes").hits]
    SearchIndex.remove_files(demo_store / INDEX_FILE)
    with sqlite3.connect(demo_store / INDEX_FILE) as old:  # the full-text table of the earlier index, alone
        old.execute("CREATE VIRTUAL TABLE text USING fts5 (titles)")
    with pytest.raises(FileNotFoundError):
        SearchIndex(demo_store / INDEX_FILE, read_only=True)
    rebuilt = SearchIndex.of_store(TrialStore(demo_store, read_only=True), read_only=True)
    assert rebuilt.counts() == counts and [hit.iri for hit in rebuilt.search("diabetes").hits] == found


def test_a_load_killed_between_the_two_commits_leaves_no_stray_trial(tmp_path: Path) -> None:
    killed = SearchIndex(tmp_path / INDEX_FILE)
    killed.add(_graph("urn:r:1", "NCT1", "Aspirin for migraine"))
    killed.text.close()  # tantivy committed the trial's document, then the load died before SQLite committed
    killed._db.rollback()
    index = SearchIndex(tmp_path / INDEX_FILE)
    index.add(_graph("urn:r:2", "NCT2", "Knee surgery"))  # the same row id as the trial SQLite never kept
    index.close()
    reader = SearchIndex(tmp_path / INDEX_FILE, read_only=True)
    assert reader.search("migraine").total == 0 and reader.counts()["trials"] == 1
    assert [hit.identifier for hit in reader.search("knee").hits] == ["NCT2"]
