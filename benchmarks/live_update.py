"""New data while serving: how soon a running server answers from a load, and what its clients see meanwhile.

Run ``python -m benchmarks.live_update [--trials 10000] [--update 1000] [--clients 8]``. It generates
``--trials`` + ``--update`` distinct trials (``benchmarks/generate.py``), loads the first ``--trials`` into a
store, serves it on a free port of 127.0.0.1, and while clients ask for the home page, trial pages and a
``COUNT`` without pause, loads the other ``--update`` into the same store. It reports the load's time, the
seconds from the load's end until SPARQL counts the new trials, the server's time to open the new snapshot
and build its view, every answer's status, the distinct counts answered (the one before and the one after:
nothing else), and the store's size on disk with its snapshots. It fails when a request failed or a count
was neither. Writes ``benchmarks/results/live_update.{md,json}``. A measurement, not a test;
``tests/server/test_live.py`` checks the same on a small store, without timing.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from benchmarks.generate import EPILOG, PROLOG, records
from exporter.server.running import RunningServer

RESULTS = Path(__file__).resolve().parent / "results"
TRIALS = "SELECT (COUNT(DISTINCT ?t) AS ?n) { ?t a <https://w3id.org/trialgraph/ontology#Trial> }"


@dataclass
class Report:
    trials: int
    update: int
    clients: int
    load_seconds: float
    served_after_seconds: float  # from the load's end until SPARQL counts the new trials
    swap_seconds: list[float]  # the server's time to open the new snapshot and build its view
    requests: int
    statuses: dict[str, int]
    errors: dict[str, int]
    counts: dict[str, int]  # each count answered, how many times
    latency_ms: dict[str, float]
    store_mb: float
    snapshots_mb: float


def generate(trials: int, update: int, folder: Path) -> tuple[Path, Path]:
    """Two exports of distinct trials: ``trials`` to start with, ``update`` to add while serving."""
    base, extra = folder / "base.xml", folder / "update.xml"
    with base.open("wb") as first, extra.open("wb") as second:
        first.write(PROLOG)
        second.write(PROLOG)
        for number, trial in enumerate(records(trials + update)):
            (first if number < trials else second).write(trial + b"\n")
        first.write(EPILOG)
        second.write(EPILOG)
    return base, extra


def load(source: Path, store: Path) -> float:
    started = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "exporter.cli", "load", str(source), "--store", str(store), "-q"],
                          stderr=subprocess.DEVNULL).returncode
    if code not in (0, 1):
        raise SystemExit(f"load of {source} failed ({code})")
    return time.perf_counter() - started


def count(url: str) -> int:
    response = requests.post(url + "/sparql", data={"query": TRIALS, "format": "csv"}, timeout=60)
    response.raise_for_status()
    return int(response.text.split()[-1])


def megabytes(folder: Path) -> float:
    """Disk used, each hard-linked file once (``du``)."""
    return int(subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True).stdout.split()[0]) / 1024


def run(trials: int, update: int, clients: int) -> Report:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        base, extra = generate(trials, update, folder)
        store = folder / "store"
        load(base, store)
        statuses: Counter[str] = Counter()
        errors: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        latencies: list[float] = []
        stop = threading.Event()
        with RunningServer(store) as server:
            before = count(server.url)
            page = next(re.finditer(r'href="(/trial/[^"]+)"', requests.get(server.url + "/search", timeout=60).text))[1]

            def client() -> None:
                session = requests.Session()
                while not stop.is_set():
                    for method, path, data in (("GET", "/", None), ("GET", page, None),
                                               ("POST", "/sparql", {"query": TRIALS, "format": "csv"})):
                        started = time.perf_counter()
                        try:
                            response = session.request(method, server.url + path, data=data, timeout=60)
                        except requests.RequestException as error:
                            errors[type(error).__name__] += 1
                            continue
                        latencies.append(time.perf_counter() - started)
                        statuses[str(response.status_code)] += 1
                        if path == "/sparql" and response.status_code == 200:
                            counts[response.text.split()[-1]] += 1

            threads = [threading.Thread(target=client) for _ in range(clients)]
            for thread in threads:
                thread.start()
            time.sleep(2)
            load_seconds = load(extra, store)
            ended = time.perf_counter()
            while count(server.url) == before:
                time.sleep(0.05)
            served_after = time.perf_counter() - ended
            time.sleep(2)
            stop.set()
            for thread in threads:
                thread.join()
            swaps = [float(s) for s in re.findall(r"serving snapshot \S+ of .* \(opened in ([\d.]+) s\)", server.output())]
        cuts = statistics.quantiles(latencies, n=100)
        return Report(trials, update, clients, round(load_seconds, 1), round(served_after, 2), swaps,
                      sum(statuses.values()) + sum(errors.values()), dict(statuses), dict(errors), dict(counts),
                      {"p50": round(cuts[49] * 1000, 1), "p99": round(cuts[98] * 1000, 1)},
                      round(megabytes(store), 1), round(megabytes(store / "snapshots"), 1))


def write(report: Report) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "live_update.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
    machine = f"{platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    (RESULTS / "live_update.md").write_text(
        f"# New data while serving\n\n`python -m benchmarks.live_update --trials {report.trials} --update "
        f"{report.update} --clients {report.clients}` on {machine}.\n\n"
        f"| | |\n|---|---|\n"
        f"| incremental load of {report.update:,} trials into a served store of {report.trials:,} | "
        f"{report.load_seconds} s |\n"
        f"| from the load's end until SPARQL counts them | {report.served_after_seconds} s |\n"
        f"| the server's swap (open the snapshot, build the view, start its workers) | {report.swap_seconds} s |\n"
        f"| requests during the run | {report.requests:,}: {report.statuses}, errors {report.errors} |\n"
        f"| trial counts answered | {report.counts} |\n"
        f"| latency p50 / p99 | {report.latency_ms['p50']} / {report.latency_ms['p99']} ms |\n"
        f"| store folder on disk (hard links once) / its snapshots alone | {report.store_mb} / "
        f"{report.snapshots_mb} MB |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--update", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    report = run(args.trials, args.update, args.clients)
    write(report)
    print(json.dumps(asdict(report), indent=2))
    if report.errors or any(s.startswith("5") for s in report.statuses) or len(report.counts) > 2:
        raise SystemExit("a request failed, or a count was neither the one before nor the one after")


if __name__ == "__main__":
    main()
