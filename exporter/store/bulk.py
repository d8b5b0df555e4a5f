"""Loading an empty store on every core: the pipeline runs in worker processes as ``export -j N`` does,
and its output streams through a pipe into Oxigraph's bulk loader, which parses and sorts on threads of
its own. Nothing is written to disk on the way but the store."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from ..mapping.terms import RecordGraph
from ..output.ntriples import lines
from ..output.repeats import Repeats
from ..parallel import Job, export_with_workers
from ..pipeline import Options
from ..summary import Summary
from .store import META_GRAPH, TrialStore, loaded, source_of


class MergedQuadsWriter:
    """N-Quads as the store keeps them: each record's statements in its graph and in the default graph (the
    bulk loader keeps one of each), then the graph's load metadata."""

    def __init__(self, stream: TextIO, fragment: bool = False) -> None:
        self.stream = stream
        self.repeats = Repeats()  # none: a record graph keeps all it says

    def write(self, graph: RecordGraph) -> None:
        meta = loaded(graph.name, source_of(graph)).replace(" .\n", f" <{META_GRAPH}> .\n")
        self.stream.write(lines(graph, with_graph=True) + lines(graph, with_graph=False) + meta)

    def spliced(self) -> int:
        return 0

    def close(self) -> None:
        self.stream.flush()


def bulk_load(store: TrialStore, inputs: list[str], options: Options, workers: int, quiet: bool) -> Summary:
    """Load ``inputs`` into the empty ``store`` with ``workers`` processes; the run's summary."""
    reading, writing = os.pipe()
    failure: list[BaseException] = []

    def load() -> None:
        with open(reading, "rb") as source:
            try:
                store.oxigraph.bulk_load(input=source, format=ox.RdfFormat.N_QUADS)
            except BaseException as error:  # reported after the export, which would otherwise block on the pipe
                failure.append(error)
                source.read()

    loader = threading.Thread(target=load, name="bulk-load")
    loader.start()
    try:
        with open(writing, "w", encoding="utf-8", newline="\n") as stream:
            summary = export_with_workers(inputs, Job(options, writer=MergedQuadsWriter), stream, workers, quiet,
                                          output=str(Path(store.path).resolve().parent / "load.nq"))
    finally:
        loader.join()
    if failure:
        raise failure[0]
    return summary
