"""ClinicalTrials.gov API v2: studies by NCT id, and searches paged through ``nextPageToken``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from ..normalize.identifiers import parse_identifier
from ..record import Rejected, Trial
from ..sources import ctgov_json
from .http import FetchError, HttpClient
from .records import failed, read_response

BASE_URL = "https://clinicaltrials.gov/api/v2"
MAX_PAGE_SIZE = 1000


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
            response = client.get(f"{base_url.rstrip('/')}/studies/{identifier.value}", accept="application/json")
        except FetchError as error:
            yield failed(error, identifier.value)
            continue
        yield from read_response(response, ctgov_json)


def search(
    query: str | Mapping[str, str],
    max_records: int | None = None,
    *,
    client: HttpClient | None = None,
    base_url: str = BASE_URL,
) -> Iterator[Trial | Rejected]:
    """The studies a search finds, page by page; ``query`` is ``query.term`` text or the API's parameters."""
    client = client or HttpClient()
    params: dict[str, str | int] = dict({"query.term": query} if isinstance(query, str) else query)
    remaining = max_records
    while remaining is None or remaining > 0:
        params["pageSize"] = min(MAX_PAGE_SIZE, remaining if remaining is not None else MAX_PAGE_SIZE)
        try:
            response = client.get(f"{base_url.rstrip('/')}/studies", params, accept="application/json")
        except FetchError as error:
            yield failed(error)
            return
        records = list(islice(read_response(response, ctgov_json), remaining))
        yield from records
        if remaining is not None:
            remaining -= len(records)
        token = _next_page_token(response.body)
        if not token or not records:
            return
        params["pageToken"] = token


def _next_page_token(body: bytes) -> str | None:
    try:
        page = json.loads(body)
    except ValueError:
        return None
    token = page.get("nextPageToken") if isinstance(page, dict) else None
    return token if isinstance(token, str) and token else None
