"""SPARQL queries with a time limit, run in worker processes.

A pyoxigraph query cannot be interrupted from Python once it runs, and a thread whose
result is abandoned keeps burning a core until the query ends by itself — minutes,
maybe never. So queries run in a small pool of processes, each holding the store open
read-only: when a query passes the limit its worker is killed and replaced, the
client gets a clear error, and the server never stops answering.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from dataclasses import dataclass
from multiprocessing.connection import Connection

import anyio.to_thread

from ..store import Answer, TrialStore


class QueryStopped(Exception):
    """The query's worker was stopped, or stopped by itself, before it answered."""


class QueryTimeout(QueryStopped):
    """The query ran past the time limit and was stopped."""


class QueryBusy(QueryStopped):
    """Every worker stayed busy for as long as a query may wait: the query was not started."""


class QueryError(Exception):
    """The query is not valid SPARQL, or cannot give the format asked for."""


@dataclass(frozen=True)
class Request:
    query: str
    solution_format: str
    graph_format: str
    limit: int


def _work(path: str, connection: Connection) -> None:
    """A worker's life: answer requests one at a time until the pool goes away."""
    store = TrialStore(path, read_only=True)
    connection.send("ready")
    while True:
        try:
            request: Request = connection.recv()
        except EOFError:
            return
        try:
            answer = store.answer(request.query, request.solution_format, request.graph_format, request.limit)
            connection.send(answer)
        except (SyntaxError, ValueError, OSError) as error:
            connection.send(QueryError(str(error)))


class Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, path: str) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, args=(path, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def ask(self, request: Request, timeout: float) -> Answer | QueryError | None:
        """The answer, or ``None`` when none came within ``timeout`` seconds.

        A new worker's start (an interpreter, imports, opening the store) is not the query's time.
        """
        self.wait_ready()
        self.connection.send(request)
        return self.connection.recv() if self.connection.poll(timeout) else None

    def wait_ready(self) -> None:
        if not self.ready:
            self.connection.recv()
            self.ready = True

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryPool:
    """``size`` workers over one store; a query waits for a free one at most ``wait`` seconds, so a flood of
    queries is turned away rather than queued without end."""

    def __init__(self, path: str, size: int = 2, timeout: float = 10.0, wait: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout
        self.wait = wait
        self.context = multiprocessing.get_context("spawn")  # no fork of a process that runs threads
        self.asked = 0  # queries taken and not yet answered
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.starting = [Worker(self.context, path) for _ in range(size)]
        for worker in self.starting:
            self.idle.put_nowait(worker)

    def wait_ready(self) -> None:
        """Wait until the first workers have opened the store, so that no query waits for one to start."""
        for worker in self.starting:
            worker.wait_ready()
        self.starting = []

    async def retire(self, poll: float = 0.05) -> None:
        """Close once the queries taken have been answered: for a pool no new query is sent to (each is
        bounded by the time limit, or by the wait for a worker)."""
        while self.asked:
            await asyncio.sleep(poll)
        self.close()

    async def answer(self, request: Request) -> Answer:
        self.asked += 1
        try:
            return await self._answer(request)
        finally:
            self.asked -= 1

    async def _answer(self, request: Request) -> Answer:
        try:
            worker = await asyncio.wait_for(self.idle.get(), self.wait)
        except asyncio.TimeoutError:
            raise QueryBusy(f"every query worker stayed busy for {self.wait:g} s; try again shortly") from None
        try:
            reply = await anyio.to_thread.run_sync(worker.ask, request, self.timeout)
        except (EOFError, OSError) as error:  # the worker died (killed from outside, out of memory)
            worker.stop()
            self.idle.put_nowait(Worker(self.context, self.path))
            raise QueryStopped("the process running the query stopped; try again") from error
        except BaseException:
            worker.stop()
            self.idle.put_nowait(Worker(self.context, self.path))
            raise
        if reply is None:
            worker.stop()
            self.idle.put_nowait(Worker(self.context, self.path))
            raise QueryTimeout(f"the query ran for more than {self.timeout:g} s and was stopped; "
                               "narrow it down or add a LIMIT")
        self.idle.put_nowait(worker)
        if isinstance(reply, QueryError):
            raise reply
        return reply

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().stop()
