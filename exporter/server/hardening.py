"""What the server refuses before any route runs, and the headers every answer carries.

uvicorn reads a request's head into memory before the app sees it, and the app reads
bodies whole, so each is bounded: a URL past :data:`MAX_URL` gets **414**, headers past
:data:`MAX_HEADER_BYTES` (or more than :data:`MAX_HEADER_COUNT` of them) **431**, a body
past :data:`MAX_BODY` **413** — announced by ``Content-Length`` or found while reading a
chunked one. uvicorn itself refuses a head past :data:`MAX_HEAD` with 400 (h11's limit),
set above ours so that clients get the precise status in between.

At most :data:`MAX_IN_FLIGHT` requests are answered at once (more get **503** with
``Retry-After``); how long a request may take to arrive, and how many connections a
client may open, is bounded below the application (:mod:`.connections`). A client that
goes away in the middle of its request is one line of log, not a traceback.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_URL = 16 * 1024
"""Path plus query string; a GET SPARQL query longer than this belongs in a POST."""
MAX_HEADER_BYTES = 32 * 1024
MAX_HEADER_COUNT = 100
MAX_BODY = 1024 * 1024
"""A SPARQL query, form-encoded or not: generous for any query a person writes."""
MAX_HEAD = 256 * 1024
"""uvicorn's (h11's) own bound on a request head it buffers."""
MAX_IN_FLIGHT = 2048
"""Requests being answered at once (read, run, written); past it the server answers 503 rather than take
more memory. Connections that are still sending their request do not count."""
MAX_PARAMETERS = 1000
"""Query-string or form fields parsed from one request."""

log = logging.getLogger("uvicorn.error")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),  # a text/plain 404 echoing a path is never read as HTML
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; "
     b"base-uri 'none'; frame-ancestors 'none'"),  # scripts: only files of ours (the query page's), none inline
    (b"referrer-policy", b"no-referrer"),
]


def _too_large(scope: Scope) -> tuple[int, str] | None:
    """The status and reason refusing a request by its head alone, or ``None``."""
    if len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"]) > MAX_URL:
        return 414, f"URI too long: at most {MAX_URL} bytes; send a long SPARQL query by POST"
    headers = scope["headers"]
    if len(headers) > MAX_HEADER_COUNT or sum(len(k) + len(v) + 4 for k, v in headers) > MAX_HEADER_BYTES:
        return 431, f"request headers too large: at most {MAX_HEADER_COUNT} headers, {MAX_HEADER_BYTES} bytes"
    for name, value in headers:
        if name == b"content-length" and (not value.isdigit() or int(value) > MAX_BODY):
            return 413, f"request body too large: at most {MAX_BODY} bytes"
    return None


class Hardening:
    """ASGI middleware: the limits above, and :data:`SECURITY_HEADERS` on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        refused = _too_large(scope)
        if refused is None and self.in_flight >= MAX_IN_FLIGHT:
            refused = 503, "the server is answering as many requests as it can; try again shortly"
        if refused is not None:
            status, reason = refused
            headers = {"Connection": "close"} | ({"Retry-After": "1"} if status == 503 else {})
            await PlainTextResponse(reason + "\n", status, headers=headers)(scope, receive, send_with_headers)
            return
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY:
                raise HTTPException(413, f"request body too large: at most {MAX_BODY} bytes")
            return message

        self.in_flight += 1
        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except ClientDisconnect:
            client = "%s:%d" % tuple(scope["client"]) if scope.get("client") else "a client"
            log.info("%s - went away before its request had arrived", client)
        finally:
            self.in_flight -= 1
