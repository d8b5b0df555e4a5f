"""Connections that cost the server without asking anything of it: bounded in time and in number.

uvicorn waits for a request's head and body as long as a client keeps the socket open,
and counts every open connection against one limit: 1,000 sockets trickling a byte a
second would hold every file descriptor, and make everyone else get 503. So each
connection here gets :attr:`Guard.request_timeout` seconds for a whole request to arrive
(from its first byte, or from the connection's opening), after which it is answered 408
(or, when the body is late, closed); one client address may hold at most
:attr:`Guard.per_client` connections, and the server :attr:`Guard.total` (both refused
at once, with 429 and 503). Requests being answered are bounded apart, by the
application (:class:`~.hardening.Hardening`), so sockets that merely wait never crowd
them out.

A connection the server closes is closed in stages (RFC 9112, section 9.6): the write side
first, then what the client still sends is read and dropped for up to :attr:`Guard.linger`
seconds. Closed at once, a socket with unread input resets the connection, and a client
still sending a body the server refused (413) loses the answer explaining why.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("uvicorn.error")


@dataclass(frozen=True)
class Guard:
    request_timeout: float = 10.0
    """Seconds a request's head and body may take to arrive."""
    per_client: int = 64
    """Open connections from one address."""
    total: int = 4096
    """Open connections in all, kept below the file descriptors the process may open."""
    linger: float = 5.0
    """Seconds a connection the server has closed keeps reading (and dropping) what the client sends."""


def _raw_response(status: int, reason: str, text: str) -> bytes:
    body = (text + "\n").encode()
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
            f"content-length: {len(body)}\r\n\r\n").encode() + body


class LingeringTransport:
    """A transport whose :meth:`close` lingers while ``unread()`` says the client may still be sending: it
    shuts the write side, drops what arrives, and closes the socket once the client has closed its own, or
    after ``linger`` seconds. Everything else is the wrapped transport's."""

    def __init__(self, transport: asyncio.Transport, unread: Callable[[], bool], linger: float) -> None:
        self.transport = transport
        self.unread = unread
        self.linger = linger
        self.lingering = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)

    def is_closing(self) -> bool:
        return self.lingering or self.transport.is_closing()

    def close(self) -> None:
        if self.is_closing():
            return
        if not self.unread() or not self.transport.can_write_eof():  # nothing to drop, or TLS: no half-close
            self.transport.close()
            return
        self.lingering = True
        self.transport.write_eof()  # after what is buffered: the client reads its answer, then the end
        self.transport.resume_reading()
        asyncio.get_running_loop().call_later(self.linger, self.transport.close)

    def close_now(self) -> None:
        self.transport.close()


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with the bounds of a :class:`Guard`; one server (event loop) per process."""

    guard = Guard()
    open_by_client: Counter[str] = Counter()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_concurrency = None  # bounded as above and in the application, not by counting sockets
        self.deadline: asyncio.TimerHandle | None = None
        self.address: str | None = None  # set once the connection is counted

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        lingering = LingeringTransport(transport, lambda: self.conn.their_state is h11.SEND_BODY, self.guard.linger)
        super().connection_made(lingering)  # type: ignore[arg-type]
        address = self.client[0] if self.client else ""
        if len(self.connections) > self.guard.total:
            self._refuse(503, "Service Unavailable", "too many open connections; try again shortly")
        elif self.open_by_client[address] >= self.guard.per_client:
            self._refuse(429, "Too Many Requests",
                         f"too many connections from one address: at most {self.guard.per_client}")
        else:
            self.address = address
            self.open_by_client[address] += 1
            self._watch()

    def _refuse(self, status: int, reason: str, text: str) -> None:
        self.transport.write(_raw_response(status, reason, text))
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.address is None or self.transport.is_closing():  # refused or closed: what it sends is dropped
            return
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def _watch(self) -> None:
        """Start the clock when a request has begun to arrive (or may), stop it once it has all arrived."""
        arriving = self.conn.their_state is h11.SEND_BODY or (
            self.conn.their_state is h11.IDLE and (self.cycle is None or self.conn.trailing_data[0]))
        if not arriving or self.transport.is_closing():
            self._stop_clock()
        elif self.deadline is None:
            self.deadline = self.loop.call_later(self.guard.request_timeout, self._too_slow)

    def _stop_clock(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _too_slow(self) -> None:
        self.deadline = None
        if self.transport.is_closing():
            return
        client = "%s:%d" % self.client if self.client else "a client"
        log.info("%s - request not received within %g s: connection closed", client, self.guard.request_timeout)
        if self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE:
            self.transport.write(_raw_response(408, "Request Timeout",
                                               f"the request did not arrive within {self.guard.request_timeout:g} s"))
        self.transport.close_now()  # a client this slow gets no more time to send

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._stop_clock()
        if self.address is not None:
            self.open_by_client[self.address] -= 1
            if not self.open_by_client[self.address]:
                del self.open_by_client[self.address]
            self.address = None


def guarded(guard: Guard) -> type[GuardedProtocol]:
    """The protocol class for uvicorn's ``http`` option, bound to ``guard``."""
    return type("GuardedProtocol", (GuardedProtocol,), {"guard": guard, "open_by_client": Counter()})


def raise_open_files_limit(wanted: int) -> None:
    """Let the process open ``wanted`` files (sockets) if the hard limit allows: the default 1,024 does not
    hold a thousand clients."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
