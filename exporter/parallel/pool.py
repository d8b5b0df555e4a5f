"""``--workers N``: the partitions through a local process pool, their outputs merged in input order.

A bounded number of partitions is in flight at once and results are taken strictly in
order, so memory stays flat however long the input and the output is byte for byte what
one process writes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import TextIO, TypeVar

from ..output import WRITERS
from ..summary import Summary
from .merge import merge_summary, repeated_positions, with_superseded
from .partition import Partition
from .worker import Job, identities, keys, process_partition

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def process_pool(workers: int, tasks: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` processes, or ``None`` (work in this process) when there is nothing to share out."""
    if workers <= 1 or tasks <= 1:
        yield None
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield pool


def in_order(pool: Executor | None, function: Callable[[T], R], items: Iterable[T], ahead: int) -> Iterator[R]:
    """``function`` of each item, in the items' order, with at most ``ahead`` running or waiting to be taken."""
    if pool is None:
        yield from map(function, items)
        return
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # stopped early (fail-fast, an error, an interrupt): drop what was not started
        for future in pending:
            future.cancel()


def export(
    partitions: Sequence[Partition],
    job: Job,
    stream: TextIO,
    workers: int,
    progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """Export the partitions to ``stream`` in ``job.format`` with ``workers`` processes; the run's summary."""
    writer = WRITERS[job.format](stream)
    summary = Summary()
    done = 0
    with process_pool(workers, len(partitions)) as pool:
        ahead = 2 * workers
        positions = repeated_positions(partitions, in_order(pool, keys, partitions, ahead))
        tasks = [(part, wanted) for part, wanted in zip(partitions, positions) if wanted]
        partitions = with_superseded(partitions, in_order(pool, identities, tasks, ahead))
        for result in in_order(pool, partial(process_partition, job=job), partitions, ahead):
            merge_summary(summary, result.summary)
            stream.write(result.text)
            for graph in result.graphs:
                writer.write(graph)
            done += result.size
            if progress is not None:
                progress(summary, done)
            if job.options.fail_fast and summary.rejected:
                break  # the partition stopped at its first rejection, as a sequential run does
    writer.close()
    return summary
