"""Fetched bodies read by the source modules, with where and when they were fetched."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from types import ModuleType

from ..record import Rejected, Trial
from .http import FetchError, Response


def read_response(response: Response, module: ModuleType) -> Iterator[Trial | Rejected]:
    """The records of a body as ``module.read`` gives them, their provenance the URL and retrieval time."""
    for record in module.read(io.BytesIO(response.body), response.url):
        if isinstance(record, Trial):
            provenance = dataclasses.replace(record.provenance, retrieved=response.retrieved)
            record = dataclasses.replace(record, provenance=provenance)
        yield record


def failed(error: FetchError, record_id: str | None = None) -> Rejected:
    """A failed fetch as a rejection, so one missing record costs no other."""
    return Rejected(error.url, 0, error.reason, record_id)
