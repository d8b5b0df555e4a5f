"""A real HTTP server on 127.0.0.1 that plays recorded replies, and clients that do not wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from exporter.fetch.http import HttpClient


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    truncate: bool = False  # announce the whole body, send half, hang up


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        # path → replies played in turn (the last one repeats), or a function of the request
        self.routes: dict[str, list[Reply] | Callable[[Seen], Reply]] = {}
        self.seen: list[Seen] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, request: Seen) -> Reply:
        route = self.routes.get(urlsplit(request.path).path)
        if route is None:
            return Reply(404, b"not found")
        if callable(route):
            return route(request)
        return route.pop(0) if len(route) > 1 else route[0]


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        request = Seen(self.path, dict(self.headers.items()))
        self.server.seen.append(request)
        reply = self.server.reply(request)
        time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body[: len(reply.body) // 2] if reply.truncate else reply.body)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def client(tmp_path: Path) -> HttpClient:
    """A client that neither paces nor backs off for long, with a cache in a temporary folder."""
    return HttpClient(timeout=2.0, retries=2, backoff=0.01, intervals={}, default_interval=0, cache_dir=tmp_path / "cache")
