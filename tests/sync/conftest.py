"""A fake ClinicalTrials.gov API v2 on 127.0.0.1 whose studies the tests change between syncs.

The studies are ours: the demo study (``exporter/demo/records``) under other ids, titles and
update dates, in the API's form. ``GET /api/v2/studies`` answers as the API does: studies
in id order, ``pageSize`` of them (capped by the fake's own page size, so that paging shows
with a few), ``nextPageToken`` while more remain, and ``filter.advanced`` read for
``AREA[LastUpdatePostDate]RANGE[date,MAX]``.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from exporter.demo import demo_folder
from exporter.fetch.http import HttpClient

from fetch.conftest import Reply, Seen, Server, server  # noqa: F401 (the server fixture, shared)

_RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")
TEMPLATE = json.loads((demo_folder() / "ctgov-NCT90000001.json").read_text(encoding="utf-8"))


def study(nct_id: str, title: str, updated: str) -> dict:
    """A study in the API's form: the demo study as ``nct_id``, with its title and last update posted on ``updated``."""
    document = copy.deepcopy(TEMPLATE)
    section = document["protocolSection"]
    section["identificationModule"]["nctId"] = nct_id
    section["identificationModule"]["briefTitle"] = title
    section["statusModule"]["lastUpdatePostDateStruct"] = {"date": updated, "type": "ACTUAL"}
    return document


@dataclass
class FakeApi:
    """The registry's state, changed by the tests, and how it answers."""

    studies: dict[str, dict] = field(default_factory=dict)
    page_size: int = 2
    failing_page: int | None = None  # answer ``failure`` for this page (1-based), as a registry in trouble does
    failure: int = 500
    generation: int = 0  # page tokens name it: moving it on forgets the tokens given before, as a registry may
    asked: list[dict[str, list[str]]] = field(default_factory=list)

    def put(self, nct_id: str, title: str, updated: str) -> None:
        self.studies[nct_id] = study(nct_id, title, updated)

    def answer(self, request: Seen) -> Reply:
        query = parse_qs(urlsplit(request.path).query)
        self.asked.append(query)
        selected = [self.studies[key] for key in sorted(self.studies)]
        if "filter.advanced" in query:
            since = _RANGE.fullmatch(query["filter.advanced"][0])
            if since is None:
                return Reply(400, b'{"message": "bad filter.advanced"}')
            selected = [s for s in selected
                        if s["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] >= since[1]]
        start = 0
        if "pageToken" in query:
            generation, start = map(int, base64.urlsafe_b64decode(query["pageToken"][0]).split(b":"))
            if generation != self.generation:
                return Reply(400, b'{"message": "invalid pageToken"}')
        size = min(int(query.get("pageSize", ["10"])[0]), self.page_size)
        if self.failing_page is not None and start // self.page_size + 1 == self.failing_page:
            return Reply(self.failure, b"Service failure")
        page: dict = {"studies": selected[start:start + size]}
        if start + size < len(selected):
            page["nextPageToken"] = base64.urlsafe_b64encode(f"{self.generation}:{start + size}".encode()).decode()
        if start == 0:
            page["totalCount"] = len(selected)
        return Reply(body=json.dumps(page).encode(), headers={"Content-Type": "application/json"})


@pytest.fixture
def api(server: Server) -> Iterator[FakeApi]:  # noqa: F811
    fake = FakeApi()
    server.routes["/api/v2/studies"] = fake.answer
    yield fake


@pytest.fixture
def api_url(server: Server) -> str:  # noqa: F811
    return server.url + "/api/v2"


@pytest.fixture
def client() -> HttpClient:
    """A client that neither paces nor waits long, and keeps no cache: each sync asks the registry afresh."""
    return HttpClient(timeout=5.0, retries=1, backoff=0.01, intervals={}, default_interval=0)


DATA = Path(__file__).resolve().parent.parent / "data" / "sync"
