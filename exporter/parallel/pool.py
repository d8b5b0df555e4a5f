"""``--workers N``: the partitions through a local process pool, their outputs merged in input order.

A bounded number of partitions is in flight at once and results are taken strictly in
order, so memory stays flat however long the input and the output is byte for byte what
one process writes. The workers serialise their partitions, in every format, to files of
their own as fragments of the document (:mod:`exporter.output`), which this process joins
by copying bytes: sent back as text, a partition's few megabytes were pickled, piped,
unpickled, decoded and encoded again; sent back as graphs, Turtle and JSON-LD were
serialised by this one process while the workers waited.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO, TypeVar

from ..lifeline import die_with_parent, remove_leftovers, tagged
from ..mapping.terms import IRI
from ..output import DocumentWriter
from ..pipeline import Options
from ..summary import Summary
from .merge import merge_summary, repeated_positions, with_known
from .partition import Partition
from .worker import Job, PartitionResult, identities, keys, pipeline_for, process_partition

SPOOL_PREFIX = ".trialgraph-spool-"
T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def shared(workers: int, tasks: int) -> bool:
    """Whether the tasks are worth a pool: more than one of each."""
    return workers > 1 and tasks > 1


@contextmanager
def process_pool(workers: int, tasks: int, options: Options) -> Iterator[Executor | None]:
    """A pool of ``workers`` processes, or ``None`` (work in this process) when there is nothing to share out.

    Forked workers inherit a pipeline for ``options`` made here once (the shapes read and compiled),
    and everything made so far is frozen out of the garbage collector's reach, so that its
    collections in the workers neither walk the modules nor touch (and so copy) the shared pages.
    The workers die with this process, however it ends.
    """
    if not shared(workers, tasks):
        yield None
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        pipeline_for(options)
        gc.freeze()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            yield pool
    finally:
        if fork:
            gc.unfreeze()


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
    spool_in: str | None = None,
    take: Callable[[PartitionResult], None] | None = None,
) -> Summary:
    """Export the partitions to ``stream`` in ``job.format`` with ``workers`` processes; the run's summary.

    Spooled fragments go to a temporary folder in ``spool_in`` (the system's when ``None``), removed at the end,
    or by the next run when this one was killed. ``take``, when given, receives each partition's result in input
    order instead of ``stream`` (its spooled file is removed after).
    """
    writer = job.writer_of(stream)
    summary = Summary()
    done = 0
    with ExitStack() as stack:  # the folder outlives the pool, whose workers may still be writing to it
        spool, folder = None, Path(spool_in or tempfile.gettempdir())
        remove_leftovers(folder, SPOOL_PREFIX)
        if shared(workers, len(partitions)):
            spool = stack.enter_context(tempfile.TemporaryDirectory(prefix=tagged(SPOOL_PREFIX), dir=folder))
        pool = stack.enter_context(process_pool(workers, len(partitions), job.options))
        ahead = 2 * workers
        positions = repeated_positions(partitions, in_order(pool, keys, partitions, ahead))
        tasks = [(part, wanted) for part, wanted in zip(partitions, positions) if wanted]
        partitions = with_known(partitions, in_order(pool, identities, tasks, ahead))
        jobs = [(part, job, spool and os.path.join(spool, f"{index:06d}")) for index, part in enumerate(partitions)]
        for result in in_order(pool, _process, jobs, ahead):
            merge_summary(summary, result.summary)
            if take is None:
                _append(result, writer, stream)
            else:
                take(result)
                if result.spooled is not None:
                    os.remove(result.spooled)
            done += result.size
            if progress is not None:
                progress(summary, done)
            if job.options.fail_fast and summary.rejected:
                break  # the partition stopped at its first rejection, as a sequential run does
    writer.close()
    return summary


def _process(task: tuple[Partition, Job, str | None]) -> PartitionResult:
    return process_partition(*task)


def _append(result: PartitionResult, writer: DocumentWriter, stream: TextIO) -> None:
    """A partition's fragment joined to the end of ``stream`` by the document's ``writer``; a spooled one
    is copied on as bytes and its file dropped. Its repeatable statements go to the writer's, for the end."""
    writer.repeats.extend(result.repeats, IRI(result.shared_graph))
    if result.spooled is None:
        if result.text:
            stream.write(result.text[writer.spliced():])
        return
    if os.path.getsize(result.spooled):
        skip = writer.spliced()  # what it drops is ASCII: as many bytes as characters
        stream.flush()
        with open(result.spooled, "rb") as fragment:
            fragment.seek(skip)
            target = getattr(stream, "buffer", None)
            if target is None:  # a text-only stream (io.StringIO)
                stream.write(fragment.read().decode("utf-8"))
            else:
                shutil.copyfileobj(fragment, target, 1024 * 1024)
    os.remove(result.spooled)
