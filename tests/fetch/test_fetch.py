"""Fetching against a real local server that plays the registries' recorded responses."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from exporter.fetch import ctgov, ictrp
from exporter.fetch.http import FetchError, HttpClient, retry_after, user_agent
from exporter.record import Rejected, Trial

from .conftest import Reply, Seen, Server

STUDY = "dgg32_NCT05923112.json"
PAGE = "biomcp_search_keytruda_limit3_20260811.json"


def body(fixtures: Path, name: str) -> bytes:
    return (fixtures / "ctgov-json" / name).read_bytes()


def test_study_success_with_provenance(server: Server, client: HttpClient, fixtures: Path) -> None:
    server.routes["/api/v2/studies/NCT05923112"] = [Reply(body=body(fixtures, STUDY))]
    before = datetime.now(timezone.utc)
    [record] = ctgov.fetch_studies(["NCT05923112"], client=client, base_url=server.url + "/api/v2")
    assert isinstance(record, Trial) and record.trial_id.value == "NCT05923112"
    assert record.provenance.source == server.url + "/api/v2/studies/NCT05923112"
    assert record.provenance.format == "ctgov-json"
    assert record.provenance.retrieved is not None and record.provenance.retrieved >= before
    assert server.seen[0].headers["User-Agent"] == user_agent() and user_agent().startswith("trialgraph/")


def test_unknown_study_is_rejected_and_the_next_fetched(server: Server, client: HttpClient, fixtures: Path) -> None:
    server.routes["/api/v2/studies/NCT05923112"] = [Reply(body=body(fixtures, STUDY))]
    found = list(ctgov.fetch_studies(["NCT99999999", "not-an-id", "NCT05923112"], client=client,
                                     base_url=server.url + "/api/v2"))
    assert isinstance(found[0], Rejected) and "404" in found[0].reason and found[0].record_id == "NCT99999999"
    assert isinstance(found[1], Rejected) and found[1].reason == "not an NCT id"
    assert isinstance(found[2], Trial)
    assert len(server.seen) == 2  # the 404 is not retried, the bad id never sent


def test_search_pages_through_next_page_token(server: Server, client: HttpClient, fixtures: Path) -> None:
    second = json.dumps({"studies": [json.loads(body(fixtures, STUDY))], "totalCount": 4}).encode()

    def studies(request: Seen) -> Reply:
        query = parse_qs(urlsplit(request.path).query)
        return Reply(body=second if "pageToken" in query else body(fixtures, PAGE))

    server.routes["/api/v2/studies"] = studies
    found = list(ctgov.search("keytruda", client=client, base_url=server.url + "/api/v2"))
    assert [r.trial_id.value for r in found] == [  # type: ignore[union-attr]
        "NCT05431270", "NCT03590054", "NCT04795661", "NCT05923112"]
    first, then = (parse_qs(urlsplit(s.path).query) for s in server.seen)
    assert first == {"query.term": ["keytruda"], "pageSize": ["1000"]}
    assert then["pageToken"] == ["ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4YnzmVtA"]
    assert found[3].provenance.source.endswith("pageToken=ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4YnzmVtA")  # type: ignore[union-attr]


def test_search_stops_at_max_records(server: Server, client: HttpClient, fixtures: Path) -> None:
    server.routes["/api/v2/studies"] = [Reply(body=body(fixtures, PAGE))]
    found = list(ctgov.search({"query.intr": "pembrolizumab"}, 2, client=client, base_url=server.url + "/api/v2"))
    assert len(found) == 2 and len(server.seen) == 1
    assert parse_qs(urlsplit(server.seen[0].path).query)["pageSize"] == ["2"]


def test_429_waits_as_retry_after_says(server: Server, client: HttpClient, fixtures: Path) -> None:
    server.routes["/api/v2/studies/NCT05923112"] = [
        Reply(429, b"slow down", {"Retry-After": "1"}), Reply(body=body(fixtures, STUDY))]
    start = time.monotonic()
    [record] = ctgov.fetch_studies(["NCT05923112"], client=client, base_url=server.url + "/api/v2")
    assert isinstance(record, Trial)
    assert time.monotonic() - start >= 0.9 and len(server.seen) == 2


def test_retry_after_too_long_gives_up(server: Server, fixtures: Path) -> None:
    server.routes["/x"] = [Reply(429, b"", {"Retry-After": "3600"})]
    with pytest.raises(FetchError, match="wait 3600"):
        HttpClient(intervals={}, default_interval=0, max_wait=5).get(server.url + "/x")


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert retry_after("120", now) == 120
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_500_then_success(server: Server, client: HttpClient, fixtures: Path) -> None:
    server.routes["/Trial2.aspx"] = [Reply(500, b"oops"), Reply(503, b"busy"),
                                     Reply(body=(fixtures / "ictrp-html" / "dismech_chictr2100045397_Trial2.html").read_bytes())]
    [record] = ictrp.fetch_trial("ChiCTR2100045397", client=client, base_url=server.url)
    assert isinstance(record, Trial) and record.trial_id.value == "ChiCTR2100045397"
    assert record.provenance.source == server.url + "/Trial2.aspx?TrialID=ChiCTR2100045397"
    assert record.provenance.format == "ictrp-html" and len(server.seen) == 3


def test_persistent_5xx_is_reported(server: Server, client: HttpClient) -> None:
    server.routes["/Trial2.aspx"] = [Reply(502, b"bad gateway")]
    [record] = ictrp.fetch_trial("ChiCTR2100045397", client=client, base_url=server.url)
    assert isinstance(record, Rejected) and "HTTP 502" in record.reason and "3 attempts" in record.reason
    assert record.record_id == "ChiCTR2100045397"


def test_ictrp_not_found_page(server: Server, client: HttpClient, fixtures: Path) -> None:
    server.routes["/Trial2.aspx"] = [Reply(body=(fixtures / "ictrp-html" / "dismech_not_found_Trial2_TAIL.html").read_bytes())]
    [record] = ictrp.fetch_trial("ChiCTR-2100045397", client=client, base_url=server.url)
    assert isinstance(record, Rejected) and record.reason == "no such trial"
    assert record.record_id == "ChiCTR-2100045397"


def test_time_out(server: Server, fixtures: Path) -> None:
    server.routes["/slow"] = [Reply(body=b"late", delay=1.0)]
    client = HttpClient(timeout=0.2, retries=1, backoff=0.01, intervals={}, default_interval=0)
    with pytest.raises(FetchError, match="no answer within 0.2 s"):
        client.get(server.url + "/slow")
    assert len(server.seen) == 2


def test_truncated_body_is_retried_then_reported(server: Server, client: HttpClient, fixtures: Path) -> None:
    study = body(fixtures, STUDY)
    server.routes["/api/v2/studies/NCT05923112"] = [Reply(body=study, truncate=True), Reply(body=study)]
    [record] = ctgov.fetch_studies(["NCT05923112"], client=client, base_url=server.url + "/api/v2")
    assert isinstance(record, Trial) and len(server.seen) == 2
    server.routes["/cut"] = [Reply(body=study, truncate=True)]
    with pytest.raises(FetchError, match="truncated body"):
        client.get(server.url + "/cut")


def test_cache_revalidates_with_etag(server: Server, tmp_path: Path, fixtures: Path) -> None:
    study = body(fixtures, STUDY)

    def conditional(request: Seen) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(body=study, headers={"ETag": '"v1"', "Last-Modified": "Mon, 11 Aug 2026 10:00:00 GMT"})

    server.routes["/api/v2/studies/NCT05923112"] = conditional
    runs = []
    for _ in range(2):  # two runs: two clients sharing the cache folder
        client = HttpClient(retries=0, intervals={}, default_interval=0, cache_dir=tmp_path / "cache")
        runs.append(list(ctgov.fetch_studies(["NCT05923112"], client=client, base_url=server.url + "/api/v2")))
    assert "If-None-Match" not in server.seen[0].headers
    assert server.seen[1].headers["If-None-Match"] == '"v1"'
    assert server.seen[1].headers["If-Modified-Since"] == "Mon, 11 Aug 2026 10:00:00 GMT"
    first, second = (run[0] for run in runs)
    assert isinstance(first, Trial) and isinstance(second, Trial)
    assert first.trial_id == second.trial_id and first.public_title == second.public_title


def test_pacing_per_host(server: Server) -> None:
    server.routes["/x"] = [Reply(body=b"ok")]
    client = HttpClient(intervals={"127.0.0.1": 0.3}, default_interval=0)
    start = time.monotonic()
    client.get(server.url + "/x")
    client.get(server.url + "/x")
    assert time.monotonic() - start >= 0.3
