"""Where a store is published: the base its IRIs are served under, the socket it listens on, and the
line that says both at start.

A request's IRI is the base followed by its path, so serving under a base the records were
not minted under would answer every trial's page with 404. That is refused before the
server starts, as is a port another program holds: each in one line, not a server log.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pyoxigraph as ox

from ..mapping.vocab import TG
from ..store import TrialStore


class NotMintedHere(ValueError):
    """The base asked for is not one the store's records were minted under."""


def _with_slash(iri: str) -> str:
    return iri if iri.endswith("/") else iri + "/"


def published_base(store: TrialStore, asked: str | None) -> str:
    """The base to serve: the one the store was loaded with, or the one asked for if trials were minted under it."""
    minted = _with_slash(store.base)
    if asked is None or _with_slash(asked) == minted:
        return minted
    asked = _with_slash(asked)
    if store.query(f"ASK {{ ?trial a <{TG.Trial}> FILTER(STRSTARTS(STR(?trial), {ox.Literal(asked)})) }}"):
        return asked
    raise NotMintedHere(
        f"the store's records were minted under {minted}, not {asked}: serve without --base-iri (pages work on any "
        f"host and port), or load the records again with --base-iri {asked}")


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A socket bound and listening, so a port already in use is known before anything starts (:class:`OSError`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=backlog)


def start_line(base: str, host: str, port: int) -> str:
    """What ``serve`` says it publishes, and where; and how the two relate when they differ."""
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    line = f"trialgraph: publishing the IRIs under {base} at {address}"
    minted = urlsplit(base)
    loopback = {"localhost", "127.0.0.1", "::1"}
    same_host = minted.hostname == host or {minted.hostname, host} <= loopback
    if not same_host or (minted.port or {"http": 80, "https": 443}.get(minted.scheme)) != port:
        line += (f" (a request's path is looked up under {base}, whatever host it names; to mint IRIs under "
                 f"another address, load with --base-iri)")
    return line
