"""ClinicalTrials.gov kept in sync: the studies a query selects, then only those updated since the last sync.

The first sync of a query asks for every study it selects; each later one adds the API v2
filter ``AREA[LastUpdatePostDate]RANGE[{watermark},MAX]``. The watermark is the day before
the last completed sync started (the API's dates are US Eastern days, and a study may be
posted later on the day a sync ran), so consecutive syncs overlap by a day or two: the
studies seen twice compare unchanged and are not rewritten. Each page is committed with a
checkpoint holding the next page's token; an interrupted sync resumes there as the same
sync, and the watermark moves only when it completes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from ..fetch import ctgov as api
from ..fetch.http import FetchError, HttpClient
from ..fetch.records import read_response
from ..fetch.services import CTGOV_API
from ..sources import ctgov_json
from ..store import StoreWriter, TrialStore
from .changelog import ChangeLog, Counts, now
from .compare import Outcome, RecordSync, adopt

SOURCE = "ctgov"
_TOKEN_REFUSED = frozenset({400, 404, 410})
"""What a registry answers for a page token it has forgotten."""


class SyncInterrupted(Exception):
    """A sync that stopped before it completed; run it again to resume it."""


def updated_since(day: str) -> str:
    """The API v2 filter for studies whose last update was posted on ``day`` (YYYY-MM-DD) or later."""
    return f"AREA[LastUpdatePostDate]RANGE[{day},MAX]"


def sync_ctgov(store: TrialStore, query: str | None, client: HttpClient, api_url: str = CTGOV_API,
               base: str | None = None, on_page: Callable[[int, Counts], None] | None = None) -> Outcome:
    """Bring the store's studies of ``query`` (all studies if ``None``) up to date with ClinicalTrials.gov."""
    base = base or store.base
    log, key = ChangeLog(store, base), query or ""
    notes = [f"adopted the {n} records already in the store" for n in [adopt(store, log)] if n]
    writer, checkpoint = StoreWriter(store, base), log.checkpoint(SOURCE, key)
    if checkpoint is None:
        started = now()
        since = log.watermark(key)
        checkpoint = log.begin(SOURCE, key, started, since=since,
                               watermark=(started.date() - timedelta(days=1)).isoformat())
    else:
        notes.append(f"resumed {checkpoint.sync} after {checkpoint.pages} pages")
    resumed_at = checkpoint.pages
    params: dict[str, str] = {"query.term": query} if query else {}
    if checkpoint.since:
        params["filter.advanced"] = updated_since(checkpoint.since)
    loader = RecordSync(store, log, checkpoint, base, writer)
    loader.unchanged, loader.rejected = checkpoint.counts.get("unchanged", 0), checkpoint.counts.get("rejected", 0)
    try:
        try:
            _follow(loader, params, client, api_url, on_page)
        except FetchError as error:
            if not (checkpoint.page_token and error.status in _TOKEN_REFUSED and checkpoint.pages == resumed_at):
                raise
            # The registry no longer knows the saved page: the same sync reads from its first page again; what
            # it already changed compares unchanged and is logged once.
            notes.append(f"page {checkpoint.pages + 1} could not be resumed ({error.reason}): read from the first again")
            checkpoint.page_token, checkpoint.pages, loader.unchanged, loader.rejected = None, 0, 0, 0
            _follow(loader, params, client, api_url, on_page)
    except FetchError as error:
        writer.search.close()  # what the pages committed so far is indexed; the index is free for the next run
        raise SyncInterrupted(f"{error} (after {checkpoint.pages} pages; run the sync again to resume it)") from error
    counts = loader.counts()
    log.complete(checkpoint, counts, [f"{api_url.rstrip('/')}/studies" + (f"?{urlencode(params)}" if params else "")])
    return Outcome(counts, checkpoint.sync, loader.rejections, notes + loader.notes, writer.storing)


def _follow(loader: RecordSync, params: dict[str, str], client: HttpClient, api_url: str,
            on_page: Callable[[int, Counts], None] | None) -> None:
    """The search's pages from the checkpoint's on, loaded, and committed and checkpointed in turn (the
    checkpoint never passes a page whose records are not committed)."""
    checkpoint = loader.checkpoint
    asked = dict(params, pageToken=checkpoint.page_token) if checkpoint.page_token else params
    for page in api.search_pages(asked, client=client, base_url=api_url):
        loader.load(read_response(page, ctgov_json))
        loader.commit()  # each page: an interrupted sync resumes at the next
        checkpoint.page_token, checkpoint.pages = api.page_token(page.body), checkpoint.pages + 1
        checkpoint.counts = {"unchanged": loader.unchanged, "rejected": loader.rejected}
        loader.log.save(checkpoint)
        if on_page is not None:
            on_page(checkpoint.pages, loader.counts())
    loader.commit()  # a last empty page ends the search before its token runs out
