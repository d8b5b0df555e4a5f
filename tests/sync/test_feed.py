"""The feed at /changes, served: Activity Streams 2.0, newest first, paged; trial pages show the last change."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from exporter.server.feed import page_of
from exporter.server.running import RunningServer
from exporter.store import TrialStore
from exporter.sync import ChangeLog, sync_ictrp

from .test_ictrp import WEEK_1, WEEK_2

BASE = "http://localhost:8000/"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A store synced with the first export, then with the second, dropping what it lacks."""
    path = tmp_path_factory.mktemp("feed") / "store"
    store = TrialStore(path)
    syncs = [sync_ictrp(store, [WEEK_1]).sync, sync_ictrp(store, [WEEK_2], remove_missing=True).sync]
    del store
    return path, syncs


def test_the_feed_lists_each_change_newest_first(synced: tuple[Path, list[str]]) -> None:
    path, (first, second) = synced
    with RunningServer(path) as server:
        collection = requests.get(server.url + "/changes", timeout=10)
        assert collection.status_code == 200
        assert collection.headers["content-type"] == "application/activity+json"
        document = collection.json()
        assert document["type"] == "OrderedCollection" and document["totalItems"] == 6
        assert document["@context"][0] == "https://www.w3.org/ns/activitystreams"
        page = requests.get(server.url + "/changes?page=1", timeout=10).json()
        assert page["type"] == "OrderedCollectionPage" and page["partOf"] == BASE + "changes" and "next" not in page
        items = page["orderedItems"]
        assert [item["context"] for item in items] == [second] * 3 + [first] * 3
        assert [item["published"] for item in items] == sorted((item["published"] for item in items), reverse=True)
        deleted = next(item for item in items if item["type"] == "Delete")
        assert deleted["object"]["id"] == BASE + "trial/isrctn/ISRCTN91000003"
        assert deleted["result"]["type"] == "Tombstone" and deleted["result"]["formerType"] == "tg:SourceRecord"
        update = next(item for item in items if item["type"] == "Update")
        assert update["result"] == {"id": BASE + "record/ictrp/ISRCTN91000002", "type": "tg:SourceRecord"}
        assert requests.get(server.url + "/changes?page=2", timeout=10).status_code == 404
        assert requests.get(server.url + "/changes?page=x", timeout=10).status_code == 404

        page_html = requests.get(server.url + "/trial/isrctn/ISRCTN91000002.html", timeout=10).text
        assert "last change" in page_html and "ISRCTN91000002 updated" in page_html
        sync_page = requests.get(server.url + "/" + second[len(BASE):], headers={"Accept": "text/turtle"}, timeout=10)
        assert sync_page.status_code == 200 and "1 new, 1 changed, 1 withdrawn, 1 unchanged, 0 rejected" in sync_page.text


def test_pages_follow_one_another(synced: tuple[Path, list[str]]) -> None:
    path, _ = synced
    log = ChangeLog(TrialStore(path, read_only=True), BASE)
    pages = [page_of(log, BASE, number, 4) for number in (1, 2)]
    assert pages[0]["next"] == BASE + "changes?page=2" and pages[1]["prev"] == BASE + "changes?page=1"
    assert "next" not in pages[1] and pages[1]["startIndex"] == 4
    ids = [item["id"] for page in pages for item in page["orderedItems"]]
    assert len(ids) == len(set(ids)) == 6
