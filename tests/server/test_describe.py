"""What a resource's description holds: its own triples, and the trials (only the trials) that link to it, a
page at a time."""

from __future__ import annotations


import pytest

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.server.describe import describe
from exporter.store import TrialStore

TRIAL = "<https://w3id.org/trialgraph/ontology#Trial>"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> TrialStore:
    path = tmp_path_factory.mktemp("demo") / "store"
    assert main(["load", str(demo_folder()), "--store", str(path), "-q"]) == 0
    return TrialStore(path, read_only=True)


@pytest.fixture(scope="module")
def shared(store: TrialStore) -> str:
    """A node that trials link to and so do other things (a country: trials and their sites' addresses)."""
    rows = list(store.query(f"SELECT ?node {{ ?trial ?link ?node . ?trial a {TRIAL} . ?other ?by ?node "
                            f"FILTER NOT EXISTS {{ ?other a {TRIAL} }} FILTER(CONTAINS(STR(?node), '/country/')) }} "
                            "ORDER BY ?node LIMIT 1"))
    return rows[0]["node"].value


def test_the_trials_that_link_in_and_only_they_are_described(store: TrialStore, shared: str) -> None:
    trials = {(row["trial"].value, row["link"].value)
              for row in store.query(f"SELECT ?trial ?link {{ ?trial ?link <{shared}> . ?trial a {TRIAL} }}")}
    others = {row["other"].value for row in
              store.query(f"SELECT ?other {{ ?other ?by <{shared}> FILTER NOT EXISTS {{ ?other a {TRIAL} }} }}")}
    description = describe(store, shared)
    linking = {(t.subject.value, t.predicate.value) for t in description.triples if t.object.value == shared}
    assert others and linking == trials
    assert {(t.subject.value, t.predicate.value) for t in description.links()} == trials
    assert {trial for trial, _ in trials} <= set(description.labels())  # each with its title


def test_whether_a_resource_exists_is_told_without_every_trial_that_links_in(store: TrialStore, shared: str) -> None:
    own = describe(store, shared, page=None)
    assert own.exists and len(own.links()) <= 1
    assert own.outgoing() == describe(store, shared).outgoing()
    assert not describe(store, shared + ".html").exists and not describe(store, shared + ".html", page=None).exists


def test_the_trials_linking_in_come_a_page_at_a_time(store: TrialStore) -> None:
    hub = next(iter(store.query(f"SELECT ?node {{ ?trial ?link ?node . ?trial a {TRIAL} "
                                "FILTER(CONTAINS(STR(?node), '/organisation/')) } GROUP BY ?node "
                                "ORDER BY DESC(COUNT(*)) ?node LIMIT 1")))["node"]
    every = {(row["trial"].value, row["link"].value)
             for row in store.query(f"SELECT ?trial ?link {{ ?trial ?link <{hub.value}> . ?trial a {TRIAL} }}")}
    assert len(every) >= 3, "a sponsor of several trials, a page each"
    seen: list[tuple[str, str]] = []
    page = 1
    while True:
        description = describe(store, hub.value, page, size=1)
        links = [(t.subject.value, t.predicate.value) for t in description.links()]
        assert len(links) == 1 and description.outgoing() == describe(store, hub.value, page=None).outgoing()
        assert {trial for trial, _ in links} <= set(description.labels())  # each with its title
        seen += links
        if not description.more:
            break
        page += 1
    assert sorted(seen) == sorted(every)  # each link once, on one page
    whole = describe(store, hub.value).triples  # one page of every link: a trial linking twice is titled once
    assert len(whole) == len(set(whole)) and len([t for t in whole if t.object.value == hub.value]) == len(every)
    assert page == len(every)
    assert not describe(store, hub.value, page + 1, size=1).links()
