"""Syncing with ClinicalTrials.gov: a first full sync, then only the studies updated since its watermark;
an interrupted sync resumes at its page and changes nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.fetch.http import HttpClient
from exporter.store import TrialStore
from exporter.sync import ChangeLog, SyncInterrupted, sync_ctgov

from .conftest import FakeApi

TODAY = datetime.now(timezone.utc).date()
WATERMARK = (TODAY - timedelta(days=1)).isoformat()


def titles(store: TrialStore) -> dict[str, str]:
    rows = store.query("SELECT ?id ?title { ?t <http://purl.org/dc/terms/identifier> ?id ; "
                       "<https://w3id.org/trialgraph/ontology#publicTitle> ?title }")
    return {row[0].value: row[1].value for row in rows}


def written(store: TrialStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record graphs written into ``store`` from now on, in order (a store with records replaces each; the
    ontology's graph is loaded again by every load, and left out)."""
    names: list[str] = []
    replace, add = store.replace_graph, store.add_graphs

    def replacing(name: str, *rest: str) -> object:
        if "/record/" in name:
            names.append(name)
        return replace(name, *rest)

    def adding(graphs: Iterable[tuple[str, str, str]], *rest: str) -> object:
        graphs = list(graphs)
        names.extend(name for name, _, _ in graphs)
        return add(graphs, *rest)

    monkeypatch.setattr(store, "replace_graph", replacing)
    monkeypatch.setattr(store, "add_graphs", adding)
    return names


@pytest.fixture
def store(tmp_path: Path) -> TrialStore:
    return TrialStore(tmp_path / "store")


@pytest.fixture
def published(tmp_path: Path) -> TrialStore:
    """A store that holds records already (the demo's), so that each page is committed as it is loaded."""
    assert main(["load", str(demo_folder()), "--store", str(tmp_path / "published"), "-q"]) == 0
    return TrialStore(tmp_path / "published")


def five_studies(api: FakeApi) -> None:
    for number in range(1, 6):
        api.put(f"NCT9100000{number}", f"Study {number}", "2025-01-10")


def test_two_syncs_in_a_row_give_exactly_the_changes(api: FakeApi, api_url: str, client: HttpClient,
                                                     store: TrialStore, monkeypatch: pytest.MonkeyPatch) -> None:
    five_studies(api)
    first = sync_ctgov(store, "diabetes", client, api_url)
    assert first.counts.line == "5 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    assert len(api.asked) == 3  # 2 + 2 + 1 studies, paged through nextPageToken
    assert api.asked[0] == {"query.term": ["diabetes"], "pageSize": ["1000"]}  # everything the query selects
    assert "pageToken" in api.asked[1] and "pageToken" in api.asked[2]
    assert titles(store)["NCT91000003"] == "Study 3"
    records = written(store, monkeypatch)

    api.asked.clear()
    api.put("NCT91000003", "Study 3, amended", TODAY.isoformat())  # updated today
    api.put("NCT91000006", "Study 6", TODAY.isoformat())  # registered today
    second = sync_ctgov(store, "diabetes", client, api_url)
    assert api.asked == [{"query.term": ["diabetes"], "pageSize": ["1000"],
                          "filter.advanced": [f"AREA[LastUpdatePostDate]RANGE[{WATERMARK},MAX]"]}]
    assert second.counts.line == "1 new, 1 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    assert titles(store)["NCT91000003"] == "Study 3, amended" and titles(store)["NCT91000006"] == "Study 6"
    assert sorted(records) == ["http://localhost:8000/record/ctgov/NCT91000003",
                               "http://localhost:8000/record/ctgov/NCT91000006"]

    # The day's overlap: the same two studies come again, unchanged, and are not rewritten.
    third = sync_ctgov(store, "diabetes", client, api_url)
    assert third.counts.line == "0 new, 0 changed, 0 withdrawn, 2 unchanged, 0 rejected"
    assert len(records) == 2  # nothing more written

    log = ChangeLog(store, store.base)
    feed = log.changes(0, 100)  # newest first: the second sync's two changes, then the first's five
    assert {(c["kind"].rsplit("#")[-1], c["trial"].rsplit("/")[-1]) for c in feed[:2]} == {
        ("Update", "NCT91000003"), ("Create", "NCT91000006")}
    assert {c["sync"] for c in feed[:2]} == {second.sync}
    assert len(feed) == 7 and {c["sync"] for c in feed[2:]} == {first.sync}
    assert log.watermark("diabetes") == WATERMARK and log.watermark("asthma") is None
    assert store.statistics == store.count(store.base)  # the counts kept through loads and the log's writes


def test_an_interrupted_sync_resumes_at_its_page_and_changes_nothing_twice(
        api: FakeApi, api_url: str, client: HttpClient, published: TrialStore) -> None:
    store = published
    five_studies(api)
    api.failing_page = 2
    with pytest.raises(SyncInterrupted, match="after 1 pages"):
        sync_ctgov(store, None, client, api_url)
    log = ChangeLog(store, store.base)
    assert {"NCT91000001", "NCT91000002"} <= set(titles(store)) and "NCT91000003" not in titles(store)
    assert log.count() == 0  # the feed shows completed syncs only
    assert log.watermark("") is None  # the watermark did not move

    api.failing_page, api.asked = None, []
    resumed = sync_ctgov(store, None, client, api_url)
    assert "pageToken" in api.asked[0] and "filter.advanced" not in api.asked[0]  # page 2 of the same first sync
    assert len(api.asked) == 2
    assert resumed.counts.line == "5 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    assert {f"NCT9100000{n}" for n in range(1, 6)} <= set(titles(store))
    feed = log.changes(0, 100)
    assert len(feed) == 5 and {c["kind"].rsplit("#")[-1] for c in feed} == {"Create"}
    assert {c["sync"] for c in feed} == {resumed.sync}
    assert log.watermark("") == WATERMARK
    # The next sync asks only for what was updated since.
    assert sync_ctgov(store, None, client, api_url).counts.line == "0 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    assert api.asked[-1]["filter.advanced"] == [f"AREA[LastUpdatePostDate]RANGE[{WATERMARK},MAX]"]


def test_a_sync_interrupted_mid_page_logs_each_change_once(api: FakeApi, api_url: str, client: HttpClient,
                                                           store: TrialStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted after a page's records were written but before they were logged: the repeated sync finds them
    with their old digest, writes and logs them, once."""
    five_studies(api)
    sync_ctgov(store, None, client, api_url)
    api.put("NCT91000001", "Study 1, amended", TODAY.isoformat())
    original = ChangeLog.record

    def fail_once(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(ChangeLog, "record", original)
        raise KeyboardInterrupt

    monkeypatch.setattr(ChangeLog, "record", fail_once)
    with pytest.raises(KeyboardInterrupt):
        sync_ctgov(store, None, client, api_url)
    assert titles(store)["NCT91000001"] == "Study 1, amended"  # written, not logged
    again = sync_ctgov(store, None, client, api_url)
    assert again.counts.line == "0 new, 1 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    updates = [c for c in ChangeLog(store, store.base).changes(0, 100) if c["kind"].endswith("Update")]
    assert len(updates) == 1 and updates[0]["sync"] == again.sync


def test_the_command_prints_the_line_and_exits_2_when_interrupted(api: FakeApi, api_url: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    api.put("NCT91000001", "Study 1", "2025-01-10")
    api.page_size = 10
    command = ["sync", "ctgov", "--store", str(tmp_path / "store"), "--ctgov-api", api_url]
    assert main(command) == 0
    assert "1 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected" in capsys.readouterr().err
    api.failing_page, api.failure = 1, 403  # refused outright: not retried
    assert main(command) == 2
    assert "sync interrupted" in capsys.readouterr().err


def test_a_page_token_the_registry_forgot_restarts_the_same_sync_from_its_first_page(
        api: FakeApi, api_url: str, client: HttpClient, published: TrialStore) -> None:
    store = published
    five_studies(api)
    api.failing_page = 2
    with pytest.raises(SyncInterrupted):
        sync_ctgov(store, None, client, api_url)
    api.failing_page, api.generation, api.asked = None, 1, []  # the saved token is forgotten
    outcome = sync_ctgov(store, None, client, api_url)
    assert any("could not be resumed" in note for note in outcome.notes)
    assert ["pageToken" in asked for asked in api.asked] == [True, False, True, True]
    assert outcome.counts.line == "5 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    assert len(ChangeLog(store, store.base).changes(0, 100)) == 5


def test_an_interrupted_first_sync_into_an_empty_store_is_bulk_loaded_and_resumes(
        api: FakeApi, api_url: str, client: HttpClient, store: TrialStore) -> None:
    """A first sync into an empty store is bulk loaded and commits each page, as any sync: interrupted, it
    resumes at the page it stopped at; the counts kept through its commits are the engine's own."""
    five_studies(api)
    api.failing_page = 3
    with pytest.raises(SyncInterrupted, match="after 2 pages"):
        sync_ctgov(store, None, client, api_url)
    assert len(ChangeLog(store, store.base).changes(0, 100)) == 0  # a sync's changes are listed once it completes
    assert store.statistics == store.count(store.base)
    api.failing_page, api.asked = None, []
    outcome = sync_ctgov(store, None, client, api_url)
    assert ["pageToken" in asked for asked in api.asked] == [True]
    assert outcome.counts.line == "5 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    assert len(ChangeLog(store, store.base).changes(0, 100)) == 5
    assert store.statistics == store.count(store.base)
