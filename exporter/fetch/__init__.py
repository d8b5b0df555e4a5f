"""Records fetched over HTTP from the registries' own services, politely and with a cache."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..record import Rejected, Trial
from .services import SPEC_HELP, Services

if TYPE_CHECKING:
    from .http import HttpClient

__all__ = ["SPEC_HELP", "Services", "fetched"]


def fetched(specs: Iterable[str], client: HttpClient, services: Services = Services()) -> Iterator[Trial | Rejected]:
    """The records that fetch specifications name (:data:`SPEC_HELP`), in order."""
    from . import ctgov, ictrp  # loaded when something is fetched: requests costs every command 0.1 s otherwise

    for spec in specs:
        kind, _, value = spec.partition(":")
        if kind == "ctgov":
            yield from ctgov.fetch_studies([value], client=client, base_url=services.ctgov)
        elif kind == "ctgov-search":
            yield from ctgov.search(value, client=client, base_url=services.ctgov)
        elif kind == "ictrp":
            yield from ictrp.fetch_trial(value, client=client, base_url=services.ictrp)
        else:
            raise ValueError(f"not a fetch specification: {spec!r} (expected {SPEC_HELP})")
