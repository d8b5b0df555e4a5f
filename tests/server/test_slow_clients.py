"""Clients that hold connections without finishing a request: trickled heads and bodies, idle sockets,
a thousand of them at once, and clients that go away mid-body. Each is cut off in bounded time, and
everyone else is answered as usual."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from exporter.server.connections import Guard
from exporter.server.running import RunningServer

REQUEST_TIMEOUT = 2.0
HEAD = b"GET /void HTTP/1.1\r\nHost: x\r\n"
BODY_HEAD = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 200\r\n\r\n"


@pytest.fixture(scope="module")
def guarded(store: Path) -> Iterator[RunningServer]:
    with RunningServer(store, "--request-timeout", str(REQUEST_TIMEOUT)) as server:
        yield server


def connect(server: RunningServer, source: str = "127.0.0.1") -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30, source_address=(source, 0))
    return connection


def trickle(connection: socket.socket, start: bytes, seconds: float) -> tuple[bytes, float]:
    """Send ``start``, then a byte every 0.2 s; what the server answered and when it hung up."""
    started = time.monotonic()
    connection.sendall(start)
    connection.settimeout(0.2)
    answer = b""
    while time.monotonic() - started < seconds:
        try:
            connection.sendall(b"x")
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
        except socket.timeout:
            continue
        except OSError:  # reset: the server hung up
            break
    return answer, time.monotonic() - started


@pytest.mark.parametrize("start", [b"", b"G", HEAD, BODY_HEAD], ids=["nothing", "one byte", "head", "body"])
def test_a_trickled_request_is_cut_off_after_the_time_limit(guarded: RunningServer, start: bytes) -> None:
    with connect(guarded) as connection:
        answer, took = trickle(connection, start, seconds=30)
    assert REQUEST_TIMEOUT - 0.2 < took < REQUEST_TIMEOUT + 2
    if start != BODY_HEAD:  # a late head is told why; a late body just loses its connection
        assert answer.startswith(b"HTTP/1.1 408 ")


def test_an_idle_keep_alive_connection_is_closed_and_a_later_trickle_too(guarded: RunningServer) -> None:
    with connect(guarded) as connection:
        connection.sendall(HEAD + b"\r\n")
        time.sleep(0.5)
        assert connection.recv(65536).startswith(b"HTTP/1.1 200 ")
        answer, took = trickle(connection, b"GET /void", seconds=30)  # the next request on the same socket
    assert took < 6  # uvicorn's keep-alive limit (5 s) or ours, whichever first


def test_a_thousand_trickling_sockets_do_not_make_others_wait_or_fail(guarded: RunningServer) -> None:
    # 1,000 clients on 20 addresses (all loopback), each sending half a request head
    slow = [connect(guarded, f"127.0.0.{2 + i % 20}") for i in range(1000)]
    try:
        for connection in slow:
            connection.sendall(HEAD)
        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(lambda _: requests.get(guarded.url + "/void.ttl", timeout=30).status_code,
                                     range(200)))
        assert statuses == [200] * 200
        assert time.monotonic() - started < REQUEST_TIMEOUT * 5
        time.sleep(REQUEST_TIMEOUT + 1)
        cut = 0
        for connection in slow:
            connection.settimeout(2)
            cut += connection.recv(64).startswith(b"HTTP/1.1 408 ")
        assert cut == 1000, "every slow socket was answered 408 and closed"
    finally:
        for connection in slow:
            connection.close()


def test_one_address_cannot_hold_more_than_its_share(guarded: RunningServer) -> None:
    sockets = [connect(guarded, "127.0.0.99") for _ in range(300)]
    try:
        refused = 0
        for connection in sockets:
            connection.settimeout(0.5)
            try:
                refused += connection.recv(64).startswith(b"HTTP/1.1 429 ")
            except socket.timeout:
                pass
        assert refused == 300 - Guard.per_client
        assert requests.get(guarded.url + "/void.ttl", timeout=30).status_code == 200
    finally:
        for connection in sockets:
            connection.close()


def test_a_client_leaving_mid_body_is_one_line_of_log(guarded: RunningServer) -> None:
    before = guarded.output()
    for _ in range(50):
        with connect(guarded) as connection:
            connection.sendall(BODY_HEAD + b"SELECT")
    time.sleep(1)
    assert requests.get(guarded.url + "/void.ttl", timeout=30).status_code == 200
    log = guarded.output()[len(before):]
    assert "Traceback" not in log
    assert log.count("went away before its request had arrived") == 50
    assert len(log.splitlines()) <= 52  # those, and the one request after


def test_a_refused_body_does_not_cost_the_client_its_answer(guarded: RunningServer) -> None:
    # closed at once with 10 MB still arriving, the socket resets and the 413's text is lost, often
    body = b"query=" + b"x" * 10_000_000
    for _ in range(20):
        response = requests.post(guarded.url + "/sparql", data=body, timeout=30,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 413
        assert "request body too large" in response.text


def test_a_client_still_sending_after_its_answer_is_cut_off(guarded: RunningServer) -> None:
    with connect(guarded) as connection:
        connection.sendall(BODY_HEAD.replace(b"Content-Length: 200", b"Content-Length: 1000000000"))
        connection.settimeout(5)
        assert connection.recv(64).startswith(b"HTTP/1.1 413 ")
        started = time.monotonic()
        with pytest.raises(OSError):  # reset: the server stopped reading, and closed
            while time.monotonic() - started < 30:
                connection.sendall(b"x" * 65536)
                time.sleep(0.05)
        assert time.monotonic() - started < Guard.linger + 3
