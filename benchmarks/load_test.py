"""The server under load: latency percentiles, throughput, status counts and memory.

Run ``python benchmarks/load_test.py [--store DIR] [--requests 2000] [--clients 50]``. It loads a
store from ``../shared/fixtures`` and the demo records (or serves the store given), starts
``trialgraph serve`` on a free port of 127.0.0.1, sends a fixed number of requests from
concurrent clients — pages, Turtle and JSON-LD of trials, sponsors and countries, 303s, and the
example SPARQL queries — and stops by itself (also at ``--max-seconds``). It fails when any
answer is a 5xx, and writes ``benchmarks/results/load_test.{md,json}``. A measurement, not a test;
``tests/server/test_load.py`` runs a small load through :func:`run_load` and checks no 5xx and
bounded memory, without timing.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import requests

from exporter.cli import main as trialgraph
from exporter.demo import demo_folder
from exporter.server.app import examples
from exporter.server.running import RunningServer

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"
RESULTS = Path(__file__).resolve().parent / "results"
TG = "https://w3id.org/trialgraph/ontology#"
DOCUMENTS = {"html": ".html", "turtle": ".ttl", "jsonld": ".jsonld"}
ACCEPT = ["text/html", "text/turtle", "application/ld+json"]
# How often each kind of request is sent, out of 100.
MIX = {"html": 30, "turtle": 20, "jsonld": 20, "303": 10, "sparql": 20}


@dataclass(frozen=True)
class Call:
    kind: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None


@dataclass
class Report:
    requests: int
    clients: int
    seconds: float
    throughput: float
    latency_ms: dict[str, float]
    latency_ms_by_kind: dict[str, dict[str, float]]
    statuses: dict[str, int]
    errors: dict[str, int]
    rss_mb: dict[str, float]

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("5")) + sum(self.errors.values())


def percentiles(timings: list[float]) -> dict[str, float]:
    """Count, and p50, p95, p99 and max in milliseconds."""
    cuts = statistics.quantiles(timings, n=100, method="inclusive") if len(timings) > 1 else timings * 99
    return {"n": len(timings), "p50": round(cuts[49] * 1000, 1), "p95": round(cuts[94] * 1000, 1), "p99": round(cuts[98] * 1000, 1),
            "max": round(max(timings) * 1000, 1)}


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of the server and of its query workers, in MB."""
    server = psutil.Process(pid)
    workers = sum(child.memory_info().rss for child in server.children(recursive=True))
    return {"server": round(server.memory_info().rss / 2**20, 1), "workers": round(workers / 2**20, 1)}


def targets(url: str) -> list[str]:
    """Paths of the trials, sponsors and countries in the store, asked of the server itself."""
    query = f"""SELECT DISTINCT ?r WHERE {{ {{ ?r a <{TG}Trial> }} UNION {{ ?t <{TG}primarySponsor> ?r }}
                UNION {{ ?t <{TG}country> ?r }} }}"""
    response = requests.post(url + "/sparql", data={"query": query, "format": "json"}, timeout=60)
    response.raise_for_status()
    base = requests.get(url + "/void", headers={"Accept": "application/n-triples"}, timeout=30).text
    space = next(line.split('"')[1] for line in base.splitlines() if "uriSpace" in line)
    return ["/" + row["r"]["value"][len(space):] for row in response.json()["results"]["bindings"]
            if row["r"]["value"].startswith(space)]


def plan(url: str, count: int, seed: int = 7) -> list[Call]:
    """``count`` requests in the proportions of :data:`MIX`, the same for the same store and seed."""
    chooser = random.Random(seed)
    paths = targets(url)
    queries = [example["text"] for example in examples()]
    calls = []
    for kind in chooser.choices(list(MIX), weights=list(MIX.values()), k=count):
        path = chooser.choice(paths)
        if kind == "303":
            calls.append(Call(kind, "GET", path, {"Accept": chooser.choice(ACCEPT)}))
        elif kind == "sparql":
            query = chooser.choice(queries)
            if chooser.random() < 0.5:
                calls.append(Call(kind, "GET", "/sparql?" + requests.compat.urlencode({"query": query})))
            else:
                calls.append(Call(kind, "POST", "/sparql", {"Accept": "application/sparql-results+json"},
                                  {"query": query}))
        else:
            calls.append(Call(kind, "GET", path + DOCUMENTS[kind]))
    return calls


def run_load(url: str, pid: int, count: int, clients: int, max_seconds: float = 600.0) -> Report:
    """Send ``count`` planned requests from ``clients`` threads (one keep-alive session each) and measure."""
    calls = plan(url, count)
    for call in {c.kind: c for c in calls}.values():  # warm up each kind once, so memory is measured in use
        requests.request(call.method, url + call.path, headers=call.headers, data=call.data, timeout=60)
    before = rss_mb(pid)
    timings: dict[str, list[float]] = {kind: [] for kind in MIX}
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    pending = iter(calls)
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        with requests.Session() as session:
            while time.monotonic() < deadline:
                with lock:
                    call = next(pending, None)
                if call is None:
                    return
                started = time.perf_counter()
                try:
                    response = session.request(call.method, url + call.path, headers=call.headers, data=call.data,
                                               allow_redirects=False, timeout=60)
                    outcome, took = str(response.status_code), time.perf_counter() - started
                except requests.RequestException as error:
                    outcome, took = type(error).__name__, None
                with lock:
                    if took is None:
                        errors[outcome] += 1
                    else:
                        statuses[outcome] += 1
                        timings[call.kind].append(took)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    after = rss_mb(pid)
    every = [t for kind in timings.values() for t in kind]
    return Report(
        requests=len(every), clients=clients, seconds=round(seconds, 2), throughput=round(len(every) / seconds, 1),
        latency_ms=percentiles(every), latency_ms_by_kind={k: percentiles(v) for k, v in timings.items() if v},
        statuses=dict(sorted(statuses.items())), errors=dict(errors),
        rss_mb={"server_before": before["server"], "server_after": after["server"],
                "workers_before": before["workers"], "workers_after": after["workers"]},
    )


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import pyoxigraph
    import uvicorn

    return {"cpu": cpu, "cores": str(psutil.cpu_count()), "memory": f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
            "system": platform.platform(), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "uvicorn": uvicorn.__version__}


def markdown(report: Report, store: str, about: dict[str, str]) -> str:
    rows = "\n".join(f"| {kind} | {p['n']} | {p['p50']} | {p['p95']} | {p['p99']} | {p['max']} |"
                     for kind, p in [("all", report.latency_ms), *report.latency_ms_by_kind.items()])
    total = report.latency_ms
    rss = report.rss_mb
    return f"""# Load test: `python benchmarks/load_test.py`

{report.requests} requests from {report.clients} concurrent clients on 127.0.0.1, mixing pages, Turtle and JSON-LD
of trials, sponsors and countries, 303 redirects and the five example SPARQL queries (GET and POST), over
{store}. Server: `trialgraph serve` (uvicorn, one process, 2 query workers).

**{report.throughput} requests/s** over {report.seconds} s; latency p50 **{total['p50']} ms**, p95 {total['p95']} ms,
p99 **{total['p99']} ms**, max {total['max']} ms. Statuses: {", ".join(f"{n} × {s}" for s, n in report.statuses.items())};
connection errors: {sum(report.errors.values())}.

| requests | n | p50 ms | p95 ms | p99 ms | max ms |
|---|---|---|---|---|---|
{rows}

Resident memory (MB): server {rss['server_before']} before → {rss['server_after']} after; query workers
{rss['workers_before']} → {rss['workers_after']} (both measured after one warm-up request of each kind).

Machine: {about['cpu']}, {about['cores']} cores, {about['memory']}; {about['system']}; Python {about['python']},
pyoxigraph {about['pyoxigraph']}, uvicorn {about['uvicorn']}. The clients run on the same machine and share its
cores with the server.
"""


def loaded_store(folder: Path) -> Path:
    """A store of the shared fixtures (when present) and the demo records."""
    inputs = [str(p) for p in (FIXTURES, demo_folder()) if p.is_dir()]
    code = trialgraph(["load", *inputs, "--store", str(folder / "store"), "-q"])
    if code not in (0, 1):
        raise SystemExit("loading the store failed")
    return folder / "store"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="serve this store (default: load the fixtures and demo into a new one)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop sending after this long")
    parser.add_argument("--results", default=str(RESULTS), help="folder for load_test.md and load_test.json")
    return parser.parse_args()


def run() -> int:
    args = arguments()
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(args.store) if args.store else loaded_store(Path(scratch))
        with RunningServer(store) as server:
            report = run_load(server.url, server.pid, args.requests, args.clients, args.max_seconds)
    about = machine()
    described = f"`{args.store}`" if args.store else "a store of the shared fixtures and the demo records"
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    (results / "load_test.md").write_text(markdown(report, described, about), encoding="utf-8")
    (results / "load_test.json").write_text(json.dumps({"machine": about, **asdict(report)}, indent=2) + "\n",
                                            encoding="utf-8")
    print(markdown(report, described, about))
    if report.server_errors:
        print(f"FAILED: {report.server_errors} answers were 5xx or connection errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run())
