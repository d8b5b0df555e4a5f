"""The view the server answers from, swapped for a new one when a load publishes a snapshot.

Everything a request reads — the store, what is computed from it once (labels, counts, the
SPARQL workers) — is one view, taken once per request: a page or a query is answered from one
snapshot, before a load or after it, never from a mix. A watcher polls the
store's snapshot pointer (a file read each second); when it changes, the new snapshot is opened
and its view built aside, then put in place at once. The old view's queries finish on their
workers, which then stop; its snapshot is removed when the last request holding it is done.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Generic, TypeVar

import anyio.to_thread

from ..store import TrialStore, open_current, snapshots

View = TypeVar("View")
log = logging.getLogger("uvicorn.error.live")  # in the server's log, as uvicorn's own lines


class Live(Generic[View]):
    """``make`` builds a view from a store opened read-only, in a thread; ``retire`` ends an old one."""

    def __init__(self, path: str | Path, make: Callable[[TrialStore], View],
                 retire: Callable[[View], Awaitable[None]], every: float = 1.0) -> None:
        self.path = Path(path)
        self.make = make
        self.retire = retire
        self.every = every
        self.name: str | None = None  # the snapshot served; None for a store made before snapshots
        self._view: View | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._retiring: set[asyncio.Task[None]] = set()

    @property
    def view(self) -> View:
        """The current view: take it once per request and read only from it."""
        assert self._view is not None, "not started"
        return self._view

    def open(self) -> Live[View]:
        """Open the current snapshot and build its view: a store that will not open fails here, at once."""
        self.name, self._view = self._open()
        return self

    async def start(self) -> None:
        """Watch for new snapshots."""
        self._watcher = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        await asyncio.gather(*self._retiring)
        if self._view is not None:
            await self.retire(self._view)

    def _open(self) -> tuple[str | None, View]:
        store = open_current(self.path)
        return (store.lease.name if store.lease else None), self.make(store)

    async def refresh(self) -> bool:
        """Swap in the published snapshot if it is new, and remove those nobody uses; whether it swapped."""
        swapped = snapshots.current(self.path) != self.name
        if swapped:
            started = time.perf_counter()
            name, view = await anyio.to_thread.run_sync(self._open)
            old, self.name, self._view = self._view, name, view
            log.info("serving snapshot %s of %s (opened in %.1f s)", name, self.path, time.perf_counter() - started)
            if old is not None:  # in the background: its queries may run for up to the time limit
                retiring = asyncio.create_task(self._retire(old))
                self._retiring.add(retiring)
                retiring.add_done_callback(self._retiring.discard)
            del old  # its snapshot's lease goes once retired and the last request reading it is done
        await anyio.to_thread.run_sync(snapshots.prune, self.path)
        return swapped

    async def _retire(self, view: View) -> None:
        """Retire ``view``, holding it (and so its snapshot's lease) until its workers have stopped."""
        await self.retire(view)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.refresh()
            except Exception:  # a snapshot that will not open: keep serving the one open, try again
                log.exception("could not open the new snapshot of %s; still serving %s", self.path, self.name)
