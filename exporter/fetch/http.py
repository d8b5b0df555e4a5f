"""One HTTP client for every registry: paced per host, retried with back-off, cached on disk.

Registries publish no rate limits but ask for restraint (CT.gov's ``Crawl-delay: 1``;
ICTRP harvesters wait seconds), so requests to one host keep a minimum interval. The
cache keeps each body with its ``ETag``/``Last-Modified`` and revalidates, so a re-run
downloads only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

import requests

INTERVALS = {"clinicaltrials.gov": 1.0, "trialsearch.who.int": 3.0}
RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))


def user_agent() -> str:
    try:
        release = version("trialgraph")
    except PackageNotFoundError:
        release = "unknown"
    return f"trialgraph/{release} (clinical-trial registry exporter)"


class FetchError(Exception):
    """A request that did not succeed, after the retries it deserved."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    body: bytes
    retrieved: datetime
    from_cache: bool = False


class _Truncated(Exception):
    """The body was shorter than its Content-Length."""


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


@dataclass
class HttpClient:
    """GET with pacing, retries on 429/5xx/time-outs/truncation, and an optional on-disk cache.

    ``intervals`` maps a host to the seconds to leave between requests to it
    (``default_interval`` for other hosts); tests set both to 0.
    """

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 120.0
    intervals: Mapping[str, float] = field(default_factory=lambda: dict(INTERVALS))
    default_interval: float = 1.0
    cache_dir: Path | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = user_agent()
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def get(self, url: str, params: Mapping[str, str | int] | None = None, accept: str = "*/*") -> Response:
        """The body at ``url``, from the cache when the server says it has not changed."""
        url = requests.Request("GET", url, params=params).prepare().url or url
        cached = self._cached(url)
        headers = {"Accept": accept}
        if cached and cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached and cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
        for attempt in range(self.retries + 1):
            wait, status = self._backoff(attempt), None
            try:
                response = self._request(url, headers)
                status = response.status_code
                if status == 304 and cached:
                    return Response(url, self._body_path(url).read_bytes(), datetime.now(timezone.utc), from_cache=True)
                if status == 200:
                    body = self._body(response)
                    self._store(url, response, body)
                    return Response(url, body, datetime.now(timezone.utc))
                reason = f"HTTP {status} {response.reason}"
                if status not in RETRY_STATUSES:
                    raise FetchError(url, reason, status)
                asked = retry_after(response.headers.get("Retry-After"))
                wait = wait if asked is None else asked
            except requests.Timeout:
                reason = f"no answer within {self.timeout:g} s"
            except (requests.exceptions.ChunkedEncodingError, _Truncated):
                reason = "truncated body"
            except requests.ConnectionError as error:
                reason = f"connection failed ({error})"
            if attempt == self.retries:
                break
            if wait > self.max_wait:
                raise FetchError(url, f"{reason}; the server asks to wait {wait:g} s", status)
            time.sleep(wait)
        raise FetchError(url, f"{reason} (after {self.retries + 1} attempts)", status)

    def _backoff(self, attempt: int) -> float:
        """Exponential back-off: ``backoff``, twice that, four times..., at most ``max_wait``."""
        return min(self.backoff * 2**attempt, self.max_wait)

    def _request(self, url: str, headers: Mapping[str, str]) -> requests.Response:
        host = urlsplit(url).hostname or ""
        interval = self.intervals.get(host, self.default_interval)
        with self._lock:
            pause = self._last.get(host, float("-inf")) + interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last[host] = time.monotonic()
        return self.session.get(url, headers=headers, timeout=self.timeout)

    @staticmethod
    def _body(response: requests.Response) -> bytes:
        body = response.content
        expected = response.headers.get("Content-Length")
        if expected and expected.isdigit() and "Content-Encoding" not in response.headers and len(body) < int(expected):
            raise _Truncated()
        return body

    # --- the cache: <sha256 of the URL>.body and .json (validators) ---

    def _body_path(self, url: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / (hashlib.sha256(url.encode()).hexdigest() + ".body")

    def _cached(self, url: str) -> dict[str, str] | None:
        if self.cache_dir is None:
            return None
        meta = self._body_path(url).with_suffix(".json")
        if not (meta.is_file() and self._body_path(url).is_file()):
            return None
        return json.loads(meta.read_text())

    def _store(self, url: str, response: requests.Response, body: bytes) -> None:
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self._body_path(url)
        meta = {"url": url, "etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
        for target, data in ((path, body), (path.with_suffix(".json"), json.dumps(meta).encode())):
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(data)
            os.replace(partial, target)
