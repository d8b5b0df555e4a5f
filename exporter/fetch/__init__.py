"""Records fetched over HTTP from the registries' own services, politely and with a cache."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..record import Rejected, Trial
from . import ctgov, ictrp
from .http import HttpClient


@dataclass(frozen=True)
class Services:
    """Where the registries answer; mirrors, proxies and tests point elsewhere."""

    ctgov: str = ctgov.BASE_URL
    ictrp: str = ictrp.BASE_URL


SPEC_HELP = "ctgov:NCT…, ctgov-search:TEXT or ictrp:TRIAL_ID"


def fetched(specs: Iterable[str], client: HttpClient, services: Services = Services()) -> Iterator[Trial | Rejected]:
    """The records that fetch specifications name (:data:`SPEC_HELP`), in order."""
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
