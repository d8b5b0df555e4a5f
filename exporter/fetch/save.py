"""Fetched records saved as the registries sent them, one file per study, page or trial page.

Saving the bodies unchanged keeps ``fetch`` and ``export`` apart: what was fetched can be
exported again, diffed, or archived, and the source modules read the files as they read any.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_bytes
from ..mapping.iris import segment
from . import ctgov, ictrp
from .http import FetchError, HttpClient, Response


@dataclass(frozen=True)
class Saved:
    """One fetch: the file written, or why nothing was."""

    name: str
    path: Path | None = None
    error: FetchError | None = None


def save_ctgov_studies(ids: Iterable[str], folder: Path, client: HttpClient, base_url: str) -> Iterator[Saved]:
    for nct_id in ids:
        yield _save(nct_id, folder / f"{segment(nct_id)}.json", lambda: ctgov.study(nct_id, client=client, base_url=base_url))


def save_ctgov_search(query: str, max_records: int | None, folder: Path, client: HttpClient,
                      base_url: str) -> Iterator[Saved]:
    try:
        for number, response in enumerate(ctgov.search_pages(query, max_records, client=client, base_url=base_url), 1):
            name = f"search-page-{number:04d}"
            yield _write(name, folder / f"{name}.json", response)
    except FetchError as error:
        yield Saved("search", error=error)


def save_ictrp_pages(ids: Iterable[str], folder: Path, client: HttpClient, base_url: str) -> Iterator[Saved]:
    for trial_id in ids:
        yield _save(trial_id, folder / f"{segment(trial_id)}.html",
                    lambda: ictrp.page(trial_id, client=client, base_url=base_url))


def _save(name: str, path: Path, get) -> Saved:  # type: ignore[no-untyped-def]
    try:
        return _write(name, path, get())
    except FetchError as error:
        return Saved(name, error=error)


def _write(name: str, path: Path, response: Response) -> Saved:
    with atomic_bytes(path) as stream:
        stream.write(response.body)
    return Saved(name, path)
