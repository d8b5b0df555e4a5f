"""Loading a store at scale, against what the storage engine alone takes for the same data:
``python -m benchmarks.load [--trials 100000] [--new 10000] [--workers N] [--folder DIR]``.

``--trials`` + ``--new`` distinct trials are generated (:mod:`benchmarks.generate`). Then, each timed with
its CPU time:

1. ``trialgraph load`` of the first ``--trials`` into an empty store, on ``--workers`` processes;
2. the engine's floor for that store: every quad it holds (the record graphs, their merge, the metadata)
   in one N-Quads file, bulk loaded by Oxigraph alone into an empty store. No load that keeps this layout
   can be faster, whatever the pipeline in front of it costs;
3. ``trialgraph load`` of the ``--new`` trials into that store (incremental: one transaction a batch);
4. the engine's floor for it: the same records as the store keeps them, added to a copy of the store with
   ``Store.extend`` in transactions of 200 records, nothing else done.

Records per second for each, and the share of the floor in the load. Writes
``benchmarks/results/load-N.{md,json}``. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from exporter.mapping.terms import RecordGraph
from exporter.parallel import default_workers
from exporter.pipeline import Options, Pipeline
from exporter.sources import read_stream
from exporter.store.store import stored_lines

from .live_update import generate, megabytes
from .run import machine, save

BATCH = 200


def timed_child(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (its processes' user + system) of a child command; raises when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some records rejected, a result
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def load(source: Path, store: Path, workers: int) -> tuple[float, float]:
    return timed_child([sys.executable, "-m", "exporter.cli", "load", str(source), "--store", str(store), "-q",
                        "-j", str(workers)])


def engine_bulk_floor(store: Path, folder: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of Oxigraph's bulk loader alone on every quad ``store`` holds, and how many."""
    quads = folder / "all.nq"
    opened = ox.Store.read_only(str(store))
    with quads.open("wb") as out:
        ox.serialize(opened.quads_for_pattern(None, None, None), out, format=ox.RdfFormat.N_QUADS)
    count = len(opened)
    del opened
    code = ("import sys, pyoxigraph as ox; ox.Store(sys.argv[2]).bulk_load(path=sys.argv[1], "
            "format=ox.RdfFormat.N_QUADS)")
    wall, cpu = timed_child([sys.executable, "-c", code, str(quads), str(folder / "floor")])
    quads.unlink()
    shutil.rmtree(folder / "floor")
    return wall, cpu, count


def engine_extend_floor(source: Path, store: Path, folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``Store.extend`` alone adding the records of ``source``, as the store keeps
    them, to a copy of ``store``, ``BATCH`` records a transaction."""
    batches = _batches(source, folder / "batches")
    copy = folder / "copy"
    ox.Store(str(store)).backup(str(copy))  # a checkpoint: hard links, at once
    target = ox.Store(str(copy))
    wall, cpu = time.perf_counter(), time.process_time()
    for batch in batches:
        target.extend(ox.parse(path=str(batch), format=ox.RdfFormat.N_QUADS))
    target.flush()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    del target
    shutil.rmtree(copy)
    shutil.rmtree(folder / "batches")
    return wall, cpu


class _Batches:
    """A pipeline writer putting the records as the store keeps them in files of ``BATCH`` records."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder, self.files, self.held = folder, [], 0

    def write(self, graph: RecordGraph) -> None:
        if self.held % BATCH == 0:
            self.files.append(self.folder / f"{len(self.files):06d}.nq")
        with self.files[-1].open("a", encoding="utf-8") as out:
            out.write(stored_lines(graph))
        self.held += 1

    def close(self) -> None:
        """Each record was written as it came."""


def _batches(source: Path, folder: Path) -> list[Path]:
    """The records of ``source``, mapped and validated as a load does, in batch files."""
    writer = _Batches(folder)
    with source.open("rb") as stream:
        Pipeline(Options()).run(read_stream(stream, str(source)), writer)
    return writer.files


def run(trials: int, new: int, workers: int, folder: Path) -> dict[str, object]:
    base, extra = generate(trials, new, folder)
    store = folder / "store"
    bulk_wall, bulk_cpu = load(base, store, workers)
    floor_wall, floor_cpu, quads = engine_bulk_floor(store, folder)
    size = megabytes(store)
    added_wall, added_cpu = load(extra, store, 1)
    shutil.rmtree(store / "snapshots", ignore_errors=True)
    extend_wall, extend_cpu = engine_extend_floor(extra, store, folder)
    return {
        "trials": trials, "new": new, "workers": workers, "quads": quads, "store MiB": round(size),
        "load into an empty store": {"seconds": round(bulk_wall, 1), "cpu": round(bulk_cpu, 1),
                                     "records/s": round(trials / bulk_wall)},
        "engine alone: bulk load of what the store holds": {
            "seconds": round(floor_wall, 1), "cpu": round(floor_cpu, 1), "records/s": round(trials / floor_wall)},
        "incremental load of new trials": {"seconds": round(added_wall, 1), "cpu": round(added_cpu, 1),
                                           "records/s": round(new / added_wall)},
        "engine alone: extend with the new records": {
            "seconds": round(extend_wall, 1), "cpu": round(extend_cpu, 1), "records/s": round(new / extend_wall)},
    }


def table(result: dict[str, object], about: dict[str, object]) -> str:
    rows = [key for key, value in result.items() if isinstance(value, dict)]
    lines = [f"{result['trials']:,} generated trials loaded into an empty store with `-j {result['workers']}`, then "
             f"{result['new']:,} more into it; the store holds {result['quads']:,} quads "
             f"({result['store MiB']:,} MiB). The engine's rows are Oxigraph alone on the same data: the floor "
             "of any load that keeps this layout.", "",
             "| step | seconds | CPU seconds | records/s |", "|---|---:|---:|---:|"]
    lines += [f"| {row} | {result[row]['seconds']} | {result[row]['cpu']} | {result[row]['records/s']:,} |"  # type: ignore[index]
              for row in rows]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in about.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--folder", type=Path, help="where to work (default: a temporary folder, removed after)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        about = machine()
        result = run(args.trials, args.new, args.workers, Path(folder))
        about["load average (end)"] = Path("/proc/loadavg").read_text().split()[0]
        save(f"load-{args.trials}", {"result": result, "machine": about}, table(result, about))


if __name__ == "__main__":
    main()
