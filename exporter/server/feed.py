"""The feed of changes at ``/changes``: Activity Streams 2.0, newest first, paged.

``/changes`` is an ``OrderedCollection`` naming its first and last pages; ``/changes?page=N``
an ``OrderedCollectionPage`` of the changes of completed syncs, each a ``Create``,
``Update``, ``Remove`` (a record withdrawn from its source, kept and marked) or ``Delete``
(one dropped with ``--remove-missing``: its result a ``Tombstone``), with the trial as
its object, the record graph as its result, the time and the sync as its context. A
mirror reads pages from the first until it meets a change it has seen.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..mapping.vocab import PROV, TG
from ..store import TrialStore
from ..sync.changelog import DELETE, ChangeLog

ACTIVITY_JSON = "application/activity+json"
CONTEXT = ["https://www.w3.org/ns/activitystreams", {"tg": TG.iri, "prov": PROV.iri}]
PAGE_SIZE = 100


def feed_response(store: TrialStore, base: str, page: str | None, size: int = PAGE_SIZE) -> Response:
    """The collection, or one of its pages; 404 for a page that does not exist."""
    document = collection(ChangeLog(store, base), base, size) if page is None else page_of(ChangeLog(store, base), base,
                                                                                          _number(page), size)
    body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    return Response(body, media_type=ACTIVITY_JSON, headers={"Access-Control-Allow-Origin": "*"})


def _number(page: str) -> int:
    if not page.isdigit() or int(page) < 1:
        raise HTTPException(404, f"no such page of changes: {page!r} (pages are numbered from 1)")
    return int(page)


def collection(log: ChangeLog, base: str, size: int) -> dict:
    total = log.count()
    document = {"@context": CONTEXT, "id": f"{base}changes", "type": "OrderedCollection",
                "summary": "Changes to the trials of this publication, newest first", "totalItems": total}
    if total:
        document |= {"first": f"{base}changes?page=1", "last": f"{base}changes?page={_pages(total, size)}"}
    return document


def page_of(log: ChangeLog, base: str, number: int, size: int) -> dict:
    total = log.count()
    if number > max(1, _pages(total, size)):
        raise HTTPException(404, f"no page {number} of changes: there are {_pages(total, size)}")
    document = {"@context": CONTEXT, "id": f"{base}changes?page={number}", "type": "OrderedCollectionPage",
                "partOf": f"{base}changes", "startIndex": (number - 1) * size,
                "orderedItems": [item(change) for change in log.changes((number - 1) * size, size)]}
    if number > 1:
        document["prev"] = f"{base}changes?page={number - 1}"
    if number < _pages(total, size):
        document["next"] = f"{base}changes?page={number + 1}"
    return document


def item(change: dict[str, str]) -> dict:
    """One change as an activity: what happened to which trial, when, in which sync, giving which record."""
    kind = change["kind"].rsplit("#", 1)[-1]
    record: dict = {"id": change["record"], "type": "tg:SourceRecord"}
    if kind == DELETE:
        record = {"id": change["record"], "type": "Tombstone", "formerType": "tg:SourceRecord",
                  "deleted": change["published"]}
    return {"id": change["change"], "type": kind, "summary": change["label"], "published": change["published"],
            "object": {"id": change["trial"], "type": "tg:Trial"}, "result": record, "context": change["sync"]}


def _pages(total: int, size: int) -> int:
    return -(-total // size)
