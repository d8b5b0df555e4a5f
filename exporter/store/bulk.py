"""Loading an empty store on every core: the pipeline runs in worker processes as ``export -j N`` does,
each partition's records written as the store keeps them, and each partition handed to Oxigraph's bulk
loader as it comes, in input order — whole partitions, so a load that is killed leaves whole records."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from ..mapping.terms import RecordGraph
from ..output.repeats import Repeats
from ..parallel import Job, PartitionResult, export_with_workers
from ..pipeline import Options
from ..summary import Summary
from .search import Entry, SearchIndex, entry_of
from .store import TrialStore, stored_lines


class MergedQuadsWriter:
    """N-Quads as the store keeps them (:func:`~exporter.store.store.stored_lines`), and each record's search index
    entry, made here, in the worker, for the parent to write (:attr:`extras`)."""

    def __init__(self, stream: TextIO, fragment: bool = False) -> None:
        self.stream = stream
        self.repeats = Repeats()  # none: a record graph keeps all it says
        self.extras: list[Entry] = []

    def write(self, graph: RecordGraph) -> None:
        self.stream.write(stored_lines(graph))
        self.extras.append(entry_of(graph))

    def spliced(self) -> int:
        return 0

    def close(self) -> None:
        self.stream.flush()


def bulk_load(store: TrialStore, inputs: list[str], options: Options, workers: int, quiet: bool,
              index: SearchIndex) -> Summary:
    """Load ``inputs`` into the empty ``store`` with ``workers`` processes, and their entries into ``index``; the
    run's summary."""

    def take(result: PartitionResult) -> None:
        if result.spooled is not None:
            store.oxigraph.bulk_load(path=result.spooled, format=ox.RdfFormat.N_QUADS)
        elif result.text:
            store.oxigraph.bulk_load(input=result.text.encode(), format=ox.RdfFormat.N_QUADS)
        for entry in result.extras:
            index.add_entry(entry)

    beside = str(Path(store.path).resolve().parent / "load")  # where the workers spool their partitions
    return export_with_workers(inputs, Job(options, writer=MergedQuadsWriter), io.StringIO(), workers, quiet,
                               output=beside, take=take)
