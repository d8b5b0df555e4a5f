"""A small run of the load benchmark (``benchmarks/load_test.py``): no 5xx, no connection error, and
memory that stays bounded. No timing is asserted; the benchmark reports it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from exporter.server.running import RunningServer

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "load_test.py"
GROWTH_MB = 50  # a leak of ~25 KB a request would show; the benchmark's 2,000 requests grow it by less than 10 MB


def benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_300_requests_from_20_clients(running: RunningServer) -> None:
    report = benchmark().run_load(running.url, running.pid, count=300, clients=20)
    assert report.requests == 300 and report.server_errors == 0, (report.statuses, report.errors)
    assert set(report.statuses) <= {"200", "303"}
    assert set(report.latency_ms_by_kind) == {"html", "turtle", "jsonld", "303", "point"}
    rss = report.rss_mb
    assert rss["server_after"] - rss["server_before"] < GROWTH_MB
    assert rss["workers_after"] - rss["workers_before"] < GROWTH_MB
