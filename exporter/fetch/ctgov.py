"""ClinicalTrials.gov API v2: studies by NCT id, and searches paged through ``nextPageToken``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from ..normalize.identifiers import parse_identifier
from ..record import Rejected, Trial
from ..sources import ctgov_json
from .http import FetchError, HttpClient, Response
from .records import failed, read_response
from .services import CTGOV_API

BASE_URL = CTGOV_API
MAX_PAGE_SIZE = 1000


def study(nct_id: str, *, client: HttpClient, base_url: str = BASE_URL) -> Response:
    """The API's answer for one study, as ClinicalTrials.gov sent it."""
    return client.get(f"{base_url.rstrip('/')}/studies/{nct_id}", accept="application/json")


def fetch_studies(
    ids: Iterable[str], *, client: HttpClient | None = None, base_url: str = BASE_URL
) -> Iterator[Trial | Rejected]:
    """Each study by ``GET /studies/{nctId}``; an unknown or malformed id is a rejection."""
    client = client or HttpClient()
    for nct_id in ids:
        identifier = parse_identifier(nct_id)
        if identifier is None or identifier.scheme != "NCT":
            yield Rejected(base_url, 0, "not an NCT id", nct_id)
            continue
        try:
            response = study(identifier.value, client=client, base_url=base_url)
        except FetchError as error:
            yield failed(error, identifier.value)
            continue
        yield from read_response(response, ctgov_json)


def search_pages(
    query: str | Mapping[str, str],
    max_records: int | None = None,
    *,
    client: HttpClient,
    base_url: str = BASE_URL,
) -> Iterator[Response]:
    """The pages of a search as sent, following ``nextPageToken``; ``query`` is ``query.term`` text or the
    API's parameters. Pages are sized so that no more than ``max_records`` studies are asked for."""
    params: dict[str, str | int] = dict({"query.term": query} if isinstance(query, str) else query)
    remaining = max_records
    while remaining is None or remaining > 0:
        params["pageSize"] = min(MAX_PAGE_SIZE, remaining if remaining is not None else MAX_PAGE_SIZE)
        response = client.get(f"{base_url.rstrip('/')}/studies", params, accept="application/json")
        yield response
        count, token = _page(response.body)
        if remaining is not None:
            remaining -= count
        if not token or not count:
            return
        params["pageToken"] = token


def search(
    query: str | Mapping[str, str],
    max_records: int | None = None,
    *,
    client: HttpClient | None = None,
    base_url: str = BASE_URL,
) -> Iterator[Trial | Rejected]:
    """The studies a search finds, page by page, at most ``max_records`` even if a page holds more than
    asked for; a failed page ends the search with a rejection."""
    pages = search_pages(query, max_records, client=client or HttpClient(), base_url=base_url)
    try:
        yield from islice((record for page in pages for record in read_response(page, ctgov_json)), max_records)
    except FetchError as error:
        yield failed(error)


def _page(body: bytes) -> tuple[int, str | None]:
    """How many studies a page holds, and the token of the next page."""
    try:
        page = json.loads(body)
    except ValueError:
        return 0, None
    if not isinstance(page, dict):
        return 0, None
    studies, token = page.get("studies"), page.get("nextPageToken")
    return (len(studies) if isinstance(studies, list) else 0), (token if isinstance(token, str) and token else None)


def page_token(body: bytes) -> str | None:
    """The token of the page after this one, if there is one."""
    return _page(body)[1]
