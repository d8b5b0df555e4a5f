"""The example queries on a large store: ``python -m benchmarks.queries [--records 100000]``.

An ICTRP XML export of N realistic records (:mod:`benchmarks.generate`) is loaded with ``trialgraph
load`` (every core, into an empty store: record graphs and their merge), the store's size on disk is
measured, and each query of ``exporter/server/queries/`` is run three times over the default graph, as
``trialgraph query`` and the server run it. The medians go to ``benchmarks/results/queries-N.md`` and
``.json``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from exporter.store import TrialStore

from . import generate
from .run import machine, save

QUERIES = Path(__file__).resolve().parent.parent / "exporter" / "server" / "queries"
VARIANTS = {
    "1-trials-per-country-for-a-condition": ('"diabetes"', '"cancer"'),
    "5-outcomes-measured-at-week-25": ("25", "12"),
}
"""Queries 1 and 5 match nothing in the generated trials: also timed with a term that matches many."""


def timed(store: TrialStore, query: str, rounds: int = 3) -> tuple[float, int]:
    """The median seconds of a query, results read to the end, and how many rows it gave."""
    seconds, rows = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        rows = sum(1 for _ in store.query(query))
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), rows


def size_on_disk(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_store(records: int, folder: Path) -> tuple[TrialStore, float]:
    """A store of ``records`` generated trials in ``folder/store``, loaded with ``trialgraph load`` on every core,
    and the seconds the load took."""
    source = generate.write(records, folder / f"ictrp-{records}.xml")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "exporter.cli", "load", str(source), "--store", str(folder / "store"), "-q"],
                   check=False)
    return TrialStore(folder / "store", read_only=True), time.perf_counter() - started


def run(records: int, folder: Path) -> dict[str, object]:
    store, loaded = build_store(records, folder)
    trials = store.statistics["class https://w3id.org/trialgraph/ontology#Trial"]
    results = {}
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        seconds, rows = timed(store, text)
        results[path.stem] = {"seconds": round(seconds, 3), "rows": rows}
        if path.stem in VARIANTS:
            term, other = VARIANTS[path.stem]
            seconds, rows = timed(store, text.replace(term, other))
            name = "{} ({} → {})".format(path.stem, term.strip('"'), other.strip('"'))
            results[name] = {"seconds": round(seconds, 3), "rows": rows}
    size = size_on_disk(folder / "store")
    return {"records": records, "trials": trials, "triples": store.statistics["triples"],
            "quads": sum(1 for _ in store.named_quads()), "load_seconds": round(loaded, 1),
            "records_per_second": round(records / loaded), "store_bytes": size, "bytes_per_trial": round(size / trials),
            "queries": results}


def table(result: dict[str, object], about: dict[str, object]) -> str:
    lines = [f"{result['trials']:,} trials: {result['triples']:,} distinct triples in the default graph, "
             f"{result['quads']:,} quads in the record graphs; `trialgraph load` in {result['load_seconds']} s "
             f"({result['records_per_second']:,} records/s); {result['store_bytes'] / 2**20:,.0f} MiB on disk, "
             f"{result['bytes_per_trial'] / 1024:.1f} KiB a trial.", "",
             "| query | median seconds (3 runs) | rows |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {q['seconds']} | {q['rows']} |" for name, q in result["queries"].items()]  # type: ignore[union-attr]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in about.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--work", type=Path, help="where to keep the generated files (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        result = run(args.records, Path(work))
    about = machine()
    save(f"queries-{args.records}", {"result": result, "machine": about}, table(result, about))


if __name__ == "__main__":
    main()
