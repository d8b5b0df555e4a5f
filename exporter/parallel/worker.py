"""The work of one partition, the same in a local process pool and on a Dask cluster.

:func:`process_partition` is pure in the sense that matters here: what it returns depends
only on the partition and the options, never on which process or machine runs it or
when, so partitions can run anywhere in any order and be merged into the output of a
sequential run.
"""

from __future__ import annotations

import dataclasses
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO, TypeVar

from ..duplicates import Known, built_at, keyed, prepared
from ..mapping.terms import Triple
from ..output import WRITERS, DocumentWriter
from ..pipeline import Options, Pipeline
from ..record import Rejected, Trial
from ..settled import TrialKey, reduced
from ..sources import Entry, Note, built, scan_inputs, scan_stream
from ..summary import Summary
from .partition import Partition
from .ranges import RangeStream

T = TypeVar("T", bound=Trial | Rejected | None)

# Formats whose output is the concatenation of the records' own lines: a partition is a document of its own (a shard).
LINE_FORMATS = frozenset({"ntriples", "nquads"})


@dataclass(frozen=True, slots=True)
class Job:
    """What every partition is done with: the pipeline's options and the output format, or a writer of a form of
    its own (the store's bulk loader reads one)."""

    options: Options
    format: str = "nquads"
    writer: Callable[..., DocumentWriter] | None = None  # a writer of a form of its own

    def writer_of(self, stream: TextIO, fragment: bool = False) -> DocumentWriter:
        return (self.writer or WRITERS[self.format])(stream, fragment=fragment)


@dataclass(slots=True)
class PartitionResult:
    """A partition's output, serialised as a fragment of the document (:mod:`exporter.output`), and its account."""

    summary: Summary
    text: str = ""
    size: int = 0  # bytes of input, for progress
    spooled: str | None = None  # the file holding the fragment instead of ``text``, when the worker was given one
    repeats: list[Triple] = dataclasses.field(default_factory=list)  # the repeatable statements, for the parent
    extras: object = None  # what a writer of a form of its own hands its parent
    shared_graph: str = ""  # the graph they go in


def process_partition(partition: Partition, job: Job, spool: str | None = None) -> PartitionResult:
    """Read, map, validate and serialise one partition, in every format as a fragment the parent joins.

    The fragment goes to the file ``spool`` when one is named: a local parent then copies bytes on,
    instead of unpickling, decoding and encoding again a few megabytes of text per partition. For a
    line format, a fragment is also a whole document (a shard).
    """
    pipeline = pipeline_for(job.options)
    notes: list[str] = []
    items = prepared(records(partition, notes.append), _known(partition))
    if spool is not None:
        with open(spool, "w", encoding="utf-8", newline="\n") as fragment:
            writer = job.writer_of(fragment, fragment=True)
            summary = pipeline.run(items, writer)
        result = PartitionResult(summary, size=partition.size, spooled=spool)
    else:
        text = io.StringIO()
        writer = job.writer_of(text, fragment=True)
        summary = pipeline.run(items, writer)
        result = PartitionResult(summary, text=text.getvalue(), size=partition.size)
    result.repeats, result.shared_graph = writer.repeats.taken(), writer.repeats.graph
    result.extras = getattr(writer, "extras", None)
    summary.notes += notes
    return result


def keys(partition: Partition) -> list[tuple[TrialKey, int]]:
    """The trial key and position of each of the partition's records that may become a trial.

    The cheap first pass of :mod:`exporter.duplicates` (records are parsed, not normalised),
    spread over the workers too.
    """
    return [(key, position) for key, (_, position) in keyed(entries(partition))]


def identities(task: tuple[Partition, frozenset[int]]) -> list[Trial]:
    """The partition's records at the given positions, reduced to what settles duplicates and trials read from
    several records (:func:`exporter.settled.reduced`); those rejected while read are left out, as they take
    no part."""
    partition, positions = task
    return [
        reduced(item)
        for item in built_at(entries(partition), {(partition.path, position) for position in positions})
        if isinstance(item, Trial)
    ]


def records(partition: Partition, note: Note | None = None) -> Iterator[Trial | Rejected]:
    """The partition's records, numbered as in the whole file."""
    return built(entries(partition, note))


def entries(partition: Partition, note: Note | None = None) -> Iterator[Entry]:
    """The partition's entries, numbered as in the whole file."""
    if partition.end is None:
        yield from scan_inputs([partition.path], note)
        return
    with open(partition.path, "rb") as file:
        stream = RangeStream(file, partition.start, partition.end, partition.head, partition.tail)
        for entry in scan_stream(stream, partition.path, note):  # type: ignore[arg-type]
            yield _renumbered(entry, partition.offset)


def _known(partition: Partition) -> Known:
    path = partition.path
    return Known({(path, position): reason for position, reason in partition.superseded.items()},
                 {(path, position): values for position, values in partition.settled.items()})


def _renumbered(entry: Entry, offset: int) -> Entry:
    if not offset:
        return entry
    return Entry(entry.source, entry.position + offset, lambda: _moved(entry.identity(), offset),
                 lambda: _moved(entry.build(), offset))


def _moved(item: T, offset: int) -> T:
    """``item`` (a trial, a rejection or ``None``) ``offset`` positions further on."""
    if isinstance(item, Rejected):
        return dataclasses.replace(item, position=item.position + offset)
    if isinstance(item, Trial):
        item.provenance = dataclasses.replace(item.provenance, position=item.provenance.position + offset)
    return item


_local = threading.local()  # one pipeline per thread: Dask may run partitions in threads of one process


def pipeline_for(options: Options) -> Pipeline:
    """This thread's pipeline for ``options``, made on first use."""
    cache: dict[Options, Pipeline] = _local.__dict__.setdefault("pipelines", {})
    if options not in cache:
        cache[options] = Pipeline(options)
    return cache[options]
