"""Records per second of pyshacl and of the compiled validator on the same record graphs.

Run ``python benchmarks/validation.py [FOLDER]`` (default: ``../shared/fixtures``, else the
demo records). Each validator runs over every record several times; the medians of
those rounds, and their ratio, are printed. A measurement, not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from exporter.demo import demo_folder
from exporter.mapping.terms import RecordGraph
from exporter.pipeline import Options, Pipeline
from exporter.record import Trial
from exporter.sources import read_inputs
from exporter.validation import VALIDATORS

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"


def record_graphs(folder: Path) -> list[RecordGraph]:
    mapper = Pipeline(Options(validate=False)).mapper
    return [mapper.map(item) for item in read_inputs([str(folder)]) if isinstance(item, Trial)]


def rates(name: str, graphs: list[RecordGraph], rounds: int) -> list[float]:
    """Records per second of each round, after one warm-up round."""
    validator = VALIDATORS[name]()
    measured = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        for graph in graphs:
            validator.validate(graph)
        measured.append(len(graphs) / (time.perf_counter() - started))
    return measured[1:]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES if FIXTURES.is_dir() else demo_folder()
    graphs = record_graphs(folder)
    triples = sum(len(g.triples) for g in graphs) / len(graphs)
    print(f"{len(graphs)} records from {folder}, {triples:.0f} triples each on average")
    medians = {name: statistics.median(rates(name, graphs, rounds)) for name, rounds in (("pyshacl", 3),
                                                                                            ("compiled", 15))}
    for name, median in medians.items():
        print(f"{name:9} {median:10,.0f} records/s (median)")
    print(f"ratio     {medians['compiled'] / medians['pyshacl']:10,.1f}x")


if __name__ == "__main__":
    main()
