"""The server under load: throughput, latency percentiles, statuses and memory, with and without slow clients.

Run ``python benchmarks/load_test.py [--store DIR | --generate N] [--clients 50 200 1000] [--slow 1000]``.
It serves a store (``--store``; ``--generate N`` makes one of N generated trials with
``benchmarks.generate`` and ``trialgraph load``; by default one of ``../shared/fixtures`` and the
demo records) with ``trialgraph serve`` on a free port of 127.0.0.1, and for each number of clients
sends ``--per-client`` requests a client — pages, Turtle and JSON-LD of trials, sponsors and
countries, 303s, and SPARQL point queries (a resource's statements) — then the middle number of
clients again beside ``--slow`` clients that trickle request heads a byte a second and reconnect
when cut off. Clients spread over 50 loopback addresses (127.0.0.1–50), slow ones over 50 others
(127.1.0.1–50), as clients on the web come from many. It fails when an answer is a 5xx other than the query
pool's documented 503, and writes ``benchmarks/results/load_test.{md,json}``. A measurement, not a test; ``tests/server/test_load.py``
runs a small load through :func:`run_load` and checks no 5xx and bounded memory, without timing.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import requests
from requests.adapters import HTTPAdapter

from exporter.cli import main as trialgraph
from exporter.demo import demo_folder
from exporter.server.running import RunningServer

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"
RESULTS = Path(__file__).resolve().parent / "results"
TG = "https://w3id.org/trialgraph/ontology#"
DOCUMENTS = {"html": ".html", "turtle": ".ttl", "jsonld": ".jsonld"}
ACCEPT = ["text/html", "text/turtle", "application/ld+json"]
# How often each kind of request is sent, out of 100.
MIX = {"html": 30, "turtle": 20, "jsonld": 20, "303": 10, "point": 20}
ADDRESSES = 50


class _FromAddress(HTTPAdapter):
    """Connections from one loopback source address: another client, as far as the server can tell."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


def session_from(source: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(source))
    return session


@dataclass(frozen=True)
class Call:
    kind: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None


POOL_BUSY = "every query worker stayed busy"
"""What the SPARQL endpoint's documented 503 says: the query waited for a worker as long as a query may, and
was not started (``exporter.server.workers.QueryBusy``). Not a failure: the client is told to try again."""
POOL_BUSY_STATUS = "503 (query pool busy)"


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
    slow_clients: int = 0
    slow_cut: int = 0  # times a slow client was cut off (408, or its connection closed) and reconnected

    @property
    def server_errors(self) -> int:
        """Answers that are failures: a 5xx other than the query pool's documented 503, or no answer at all."""
        return sum(n for status, n in self.statuses.items() if status.startswith("5") and status != POOL_BUSY_STATUS) \
            + sum(self.errors.values())


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
    base = requests.get(url + "/void", headers={"Accept": "application/n-triples"}, timeout=30).text
    space = next(line.split('"')[1] for line in base.splitlines() if "uriSpace" in line)
    calls = []
    for kind in chooser.choices(list(MIX), weights=list(MIX.values()), k=count):
        path = chooser.choice(paths)
        if kind == "303":
            calls.append(Call(kind, "GET", path, {"Accept": chooser.choice(ACCEPT)}))
        elif kind == "point":
            query = f"SELECT ?p ?o WHERE {{ <{space}{path[1:]}> ?p ?o }} LIMIT 200"
            if chooser.random() < 0.5:
                calls.append(Call(kind, "GET", "/sparql?" + requests.compat.urlencode({"query": query})))
            else:
                calls.append(Call(kind, "POST", "/sparql", {"Accept": "application/sparql-results+json"},
                                  {"query": query}))
        else:
            calls.append(Call(kind, "GET", path + DOCUMENTS[kind]))
    return calls


class SlowClients:
    """``count`` sockets that send a request head a byte a second, and reconnect whenever they are cut off."""

    HEAD = b"GET /void HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow" + b"w" * 10_000

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.count = count
        self.cut = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _connect(self, index: int) -> tuple[socket.socket | None, int]:
        try:
            connection = socket.create_connection(("127.0.0.1", self.port), timeout=10,
                                                  source_address=(f"127.1.0.{1 + index % ADDRESSES}", 0))
        except OSError:
            return None, 0  # tried again a second later
        connection.setblocking(False)
        return connection, 0

    def _run(self) -> None:
        sockets = [self._connect(i) for i in range(self.count)]
        while not self.stopping.wait(1.0):
            for index, (connection, sent) in enumerate(sockets):
                if connection is None:
                    sockets[index] = self._connect(index)
                    continue
                try:
                    connection.recv(4096)  # the server answered (408) or hung up: cut off
                except BlockingIOError:  # nothing from the server: trickle on
                    try:
                        connection.send(self.HEAD[sent:sent + 1])
                        sockets[index] = (connection, sent + 1)
                        continue
                    except OSError:
                        pass
                except OSError:
                    pass
                connection.close()
                self.cut += 1
                sockets[index] = self._connect(index)
        for connection, _ in sockets:
            if connection is not None:
                connection.close()

    def __enter__(self) -> SlowClients:
        self.thread.start()
        time.sleep(2)  # every socket open and trickling
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()


def run_load(url: str, pid: int, count: int, clients: int, max_seconds: float = 600.0, slow: int = 0) -> Report:
    """Send ``count`` planned requests from ``clients`` threads (one keep-alive session each, from
    :data:`ADDRESSES` addresses), beside ``slow`` slow clients, and measure."""
    calls = plan(url, count)
    for call in {c.kind: c for c in calls}.values():  # warm up each kind once, so memory is measured in use
        requests.request(call.method, url + call.path, headers=call.headers, data=call.data, timeout=60)
    before = rss_mb(pid)
    peak = dict(before)
    timings: dict[str, list[float]] = {kind: [] for kind in MIX}
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    pending = iter(calls)
    deadline = time.monotonic() + max_seconds
    running = threading.Event()

    def client(number: int) -> None:
        with session_from(f"127.0.0.{1 + number % ADDRESSES}") as session:
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
                    if outcome == "503" and call.kind == "point" and POOL_BUSY in response.text:
                        outcome = POOL_BUSY_STATUS
                except requests.RequestException as error:
                    outcome, took = type(error).__name__, None
                with lock:
                    if took is None:
                        errors[outcome] += 1
                    else:
                        statuses[outcome] += 1
                        timings[call.kind].append(took)

    def watch_memory() -> None:
        while not running.wait(0.5):
            now = rss_mb(pid)
            for key in peak:
                peak[key] = max(peak[key], now[key])

    port = int(url.rsplit(":", 1)[1])
    with SlowClients(port, slow) if slow else _Nothing() as slow_clients:
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        watcher = threading.Thread(target=watch_memory, daemon=True)
        watcher.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        running.set()
        after = rss_mb(pid)
    every = [t for kind in timings.values() for t in kind]
    return Report(
        requests=len(every), clients=clients, seconds=round(seconds, 2), throughput=round(len(every) / seconds, 1),
        latency_ms=percentiles(every), latency_ms_by_kind={k: percentiles(v) for k, v in timings.items() if v},
        statuses=dict(sorted(statuses.items())), errors=dict(errors),
        rss_mb={"server_before": before["server"], "server_peak": max(peak["server"], after["server"]),
                "server_after": after["server"], "workers_before": before["workers"],
                "workers_peak": max(peak["workers"], after["workers"]), "workers_after": after["workers"]},
        slow_clients=slow, slow_cut=getattr(slow_clients, "cut", 0),
    )


class _Nothing:
    def __enter__(self) -> _Nothing:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import pyoxigraph
    import uvicorn

    return {"cpu": cpu, "cores": str(psutil.cpu_count()), "memory": f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
            "system": platform.platform(), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "uvicorn": uvicorn.__version__}


def markdown(reports: list[Report], store: str, about: dict[str, str]) -> str:
    def status_text(report: Report) -> str:
        counted = [f"{n} × {s}" for s, n in report.statuses.items()] + [f"{n} × {e}" for e, n in report.errors.items()]
        return ", ".join(counted)

    rows = "\n".join(
        f"| {r.clients} | {r.slow_clients or '–'} | {r.requests} | {r.throughput} | {r.latency_ms['p50']} | "
        f"{r.latency_ms['p99']} | {r.latency_ms_by_kind.get('html', {}).get('p99', '–')} | {status_text(r)} | "
        f"{r.rss_mb['server_before']} → {r.rss_mb['server_peak']} | {r.rss_mb['workers_peak']} | "
        f"{r.slow_cut or '–'} |" for r in reports)
    kinds = "\n".join(
        f"| {r.clients}{' + ' + str(r.slow_clients) + ' slow' if r.slow_clients else ''} | "
        + " | ".join(f"{p['p50']} / {p['p99']}" for p in (r.latency_ms_by_kind.get(k, {"p50": "–", "p99": "–"})
                                                         for k in MIX)) + " |" for r in reports)
    return f"""# Load test: `python benchmarks/load_test.py`

Over {store}. Server: `trialgraph serve` (uvicorn, one process, 2 query workers and the fast lane), on
127.0.0.1; clients are threads of one process on the same machine (one keep-alive session each, spread
over {ADDRESSES} loopback addresses), sharing its cores with the server. Each client sends its share of
requests mixing pages (HTML), Turtle and JSON-LD of trials, sponsors and countries, 303 redirects and SPARQL
point queries (a resource's statements), in the proportions {", ".join(f"{k} {v}%" for k, v in MIX.items())}.
Slow clients open a connection each from {ADDRESSES} other addresses and send a request head a byte a second,
reconnecting whenever the server cuts them off.

| clients | slow clients | requests | requests/s | p50 ms | p99 ms | p99 pages ms | statuses | server RSS MB (before → peak) | workers RSS MB (peak) | slow cut off |
|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|
{rows}

p50 / p99 in ms by kind of request:

| clients | {" | ".join(MIX)} |
|---|{"---:|" * len(MIX)}
{kinds}

Machine: {about['cpu']}, {about['cores']} cores, {about['memory']}; {about['system']}; Python {about['python']},
pyoxigraph {about['pyoxigraph']}, uvicorn {about['uvicorn']}.
"""


def loaded_store(folder: Path, generate: int | None = None) -> Path:
    """A store of ``generate`` generated trials, or of the shared fixtures (when present) and the demo records."""
    if generate:
        source = folder / f"trials-{generate}.xml"
        subprocess.run([sys.executable, "-m", "benchmarks.generate", str(generate), str(source)], check=True,
                       cwd=Path(__file__).resolve().parent.parent)
        inputs = [str(source)]
    else:
        inputs = [str(p) for p in (FIXTURES, demo_folder()) if p.is_dir()]
    code = trialgraph(["load", *inputs, "--store", str(folder / "store"), "-q"])
    if code not in (0, 1):
        raise SystemExit("loading the store failed")
    return folder / "store"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="serve this store (default: load the fixtures and demo into a new one)")
    parser.add_argument("--generate", type=int, metavar="N", help="serve a new store of N generated trials")
    parser.add_argument("--url", help="measure the server running here instead of starting one (with --pid)")
    parser.add_argument("--pid", type=int, help="the process id of the server at --url, for its memory")
    parser.add_argument("--about", help="what the server at --url serves, for the report")
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--per-client", type=int, default=10, help="requests a client sends (at least 2,000 in all)")
    parser.add_argument("--slow", type=int, default=1000, help="slow clients beside the middle number of clients")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop sending after this long")
    parser.add_argument("--startup", type=float, default=1800.0, help="seconds the server may take to start")
    parser.add_argument("--results", default=str(RESULTS), help="folder for load_test.md and load_test.json")
    return parser.parse_args()


def run() -> int:
    args = arguments()
    scenarios = [(clients, 0) for clients in args.clients]
    if args.slow:
        scenarios.append((sorted(args.clients)[len(args.clients) // 2], args.slow))
    reports: list[Report] = []

    def measure(url: str, pid: int) -> None:
        for clients, slow in scenarios:
            count = max(2000, clients * args.per_client)
            reports.append(run_load(url, pid, count, clients, args.max_seconds, slow))
            print(f"{clients} clients, {slow} slow: {reports[-1].throughput} requests/s, "
                  f"p99 {reports[-1].latency_ms['p99']} ms, {reports[-1].statuses} {reports[-1].errors}",
                  file=sys.stderr)

    if args.url:
        measure(args.url.rstrip("/"), args.pid)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            store = Path(args.store) if args.store else loaded_store(Path(scratch), args.generate)
            with RunningServer(store, startup=args.startup) as server:
                measure(server.url, server.pid)
    about = machine()
    described = (args.about if args.about else f"`{args.store or args.url}`" if args.store or args.url else f"a store of {args.generate:,} generated trials"
                 if args.generate else "a store of the shared fixtures and the demo records")
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    (results / "load_test.md").write_text(markdown(reports, described, about), encoding="utf-8")
    (results / "load_test.json").write_text(json.dumps({"machine": about, "store": described,
                                                        "runs": [asdict(r) for r in reports]}, indent=2) + "\n",
                                            encoding="utf-8")
    print(markdown(reports, described, about))
    failed = sum(r.server_errors for r in reports)
    if failed:
        print(f"FAILED: {failed} answers were 5xx or connection errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run())
