"""Loading an empty store on every core: the pipeline runs in worker processes as ``export -j N`` does,
each partition's records written as the store keeps them, and each partition handed to Oxigraph's bulk
loader as it comes, in input order — whole partitions, so a load that is killed leaves whole records."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from ..mapping.iris import DEFAULT_BASE
from ..mapping.terms import RecordGraph
from ..output.repeats import Repeats
from ..parallel import Job, PartitionResult, export_with_workers
from ..pipeline import Options
from ..summary import Summary
from .search import Entry, entry_of
from .store import Statistics, StoreWriter, TrialStore, stored_lines


@dataclass
class Loaded:
    """What a worker hands its parent besides the quads: each record's search index entry, and the counts of the
    statements only its records make (the others are its :class:`~exporter.output.repeats.Repeats`)."""

    entries: list[Entry] = field(default_factory=list)
    own: Statistics = field(default_factory=Statistics)


class MergedQuadsWriter:
    """N-Quads as the store keeps them (:func:`~exporter.store.store.stored_lines`); made here, in the worker, for
    the parent: each record's search index entry and the counts (:attr:`extras`), and the statements several
    records may make (:attr:`repeats`), to be counted once."""

    def __init__(self, stream: TextIO, fragment: bool = False, base: str = DEFAULT_BASE) -> None:
        self.stream = stream
        self.base = base
        self.repeats = Repeats()
        self.extras = Loaded()

    def write(self, graph: RecordGraph) -> None:
        self.stream.write(stored_lines(graph))
        self.extras.entries.append(entry_of(graph))
        self.extras.own.update(Statistics.of_terms(graph.own(), self.base))
        self.repeats.add(graph)

    def spliced(self) -> int:
        return 0

    def close(self) -> None:
        self.stream.flush()


def bulk_load(store: TrialStore, inputs: list[str], options: Options, workers: int, quiet: bool,
              writer: StoreWriter) -> Summary:
    """Load ``inputs`` into the empty store of ``writer`` with ``workers`` processes, their entries into its search
    index and their counts into its statistics; the run's summary."""

    def take(result: PartitionResult) -> None:
        if result.spooled is not None:
            store.oxigraph.bulk_load(path=result.spooled, format=ox.RdfFormat.N_QUADS)
        elif result.text:
            store.oxigraph.bulk_load(input=result.text.encode(), format=ox.RdfFormat.N_QUADS)
        for entry in result.extras.entries:
            writer.search.add_entry(entry)
        writer.bulk_counted(result.extras.own, result.repeats)

    beside = str(Path(store.path).resolve().parent / "load")  # where the workers spool their partitions
    job = Job(options, writer=partial(MergedQuadsWriter, base=options.base_iri))
    return export_with_workers(inputs, job, io.StringIO(), workers, quiet, output=beside, take=take)
