"""Records per second of pyshacl and of the compiled validator on the same record graphs.

Run ``python -m benchmarks.validation [FOLDER] [--shapes FILE]`` (default: ``../shared/fixtures``,
else the demo records; ``--shapes`` validates against that shapes file instead of ours, to
time the same shapes on two versions of the validator). Each validator runs over every
record several times; the medians of those rounds, and their ratio, are printed. A
measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import rdflib

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


def rates(name: str, graphs: list[RecordGraph], rounds: int, shapes: rdflib.Graph | None) -> list[float]:
    """Records per second of each round, after one warm-up round."""
    validator = VALIDATORS[name](shapes)
    measured = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        for graph in graphs:
            validator.validate(graph)
        measured.append(len(graphs) / (time.perf_counter() - started))
    return measured[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description="Records per second of pyshacl and of the compiled validator.")
    parser.add_argument("folder", nargs="?", type=Path, help="records to validate (default: the shared fixtures)")
    parser.add_argument("--shapes", type=Path, help="a shapes file to validate against instead of ours")
    args = parser.parse_args()
    folder = args.folder or (FIXTURES if FIXTURES.is_dir() else demo_folder())
    shapes = rdflib.Graph().parse(args.shapes, format="turtle") if args.shapes else None
    graphs = record_graphs(folder)
    triples = sum(len(g.triples) for g in graphs) / len(graphs)
    print(f"{len(graphs)} records from {folder}, {triples:.0f} triples each on average")
    medians = {name: statistics.median(rates(name, graphs, rounds, shapes)) for name, rounds in (("pyshacl", 3),
                                                                                                    ("compiled", 15))}
    for name, median in medians.items():
        print(f"{name:9} {median:10,.0f} records/s (median)")
    print(f"ratio     {medians['compiled'] / medians['pyshacl']:10,.1f}x")


if __name__ == "__main__":
    main()
