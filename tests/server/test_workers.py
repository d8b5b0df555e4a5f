"""The query pool on its own: a query that finds every worker busy is turned away, not queued without end."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import psutil
import pytest

from exporter.cli import main
from exporter.server.running import RunningServer
from exporter.server.workers import QueryBusy, QueryPool, QueryTimeout, Request

FOREVER = Request("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "json", "turtle", 10)
COUNT = Request("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "json", "turtle", 10)


def test_a_query_waits_for_a_worker_at_most_the_wait_then_is_refused(store: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(str(store), size=1, timeout=4.0, wait=0.5)
        try:
            assert b"bindings" in (await pool.answer(COUNT)).body  # the worker started and answers
            running = asyncio.ensure_future(pool.answer(FOREVER))
            await asyncio.sleep(0.2)  # the long query holds the only worker
            started = time.monotonic()
            with pytest.raises(QueryBusy, match="busy for 0.5 s"):
                await pool.answer(COUNT)
            assert 0.4 <= time.monotonic() - started < 2.0  # turned away after the wait, not the long query's end
            with pytest.raises(QueryTimeout):
                await running
            assert b"bindings" in (await pool.answer(COUNT)).body  # a fresh worker took the stopped one's place
        finally:
            pool.close()

    asyncio.run(scenario())


def test_serve_starts_as_many_query_workers_as_asked(store: Path) -> None:
    processes = {}
    for workers in ("1", "3"):
        with RunningServer(store, "--query-workers", workers) as server:
            processes[workers] = len(psutil.Process(server.pid).children(recursive=True))
    assert processes["3"] - processes["1"] == 2


def test_serve_refuses_no_query_worker(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--store", str(store), "--query-workers", "0"]) == 2
    assert "--query-workers must be at least 1" in capsys.readouterr().err
