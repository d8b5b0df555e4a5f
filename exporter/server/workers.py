"""SPARQL queries with limits of time, memory and answer size, run in sandboxed worker processes.

A pyoxigraph query cannot be interrupted from Python once it runs, and a thread whose
result is abandoned keeps burning a core until the query ends by itself — minutes,
maybe never. So queries run in a small pool of processes, each holding the store open
read-only: when a query passes the limit its worker is killed and replaced, the
client gets a clear error, and the server never stops answering.

Each worker is denied the network and given a memory budget (:mod:`.sandbox`), and
answers past a byte cap are refused whole. Beside the pool, one **fast lane** worker
runs queries with a short time limit, for clients that have no other query under way:
a query that passes the limit there is moved to the pool's queue. So a client's cheap
query waits at most about that limit, however many slow queries another client sent.
A stopped worker's place is taken by a **spare** started beforehand, so that no query
waits for an interpreter to start and open the store (seconds on a busy machine).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection

import anyio.to_thread

from ..store import Answer, TrialStore
from ..store.results import AnswerTooLarge
from .sandbox import SandboxUnavailable, deny_network, limit_memory

MB = 2**20
REFUSED_NETWORK = ("SERVICE and every other network access are refused: this endpoint queries its own store "
                   "only")


class QueryStopped(Exception):
    """The query's worker was stopped, or stopped by itself, before it answered."""


class QueryTimeout(QueryStopped):
    """The query ran past the time limit and was stopped."""


class QueryBusy(QueryStopped):
    """Every worker stayed busy for as long as a query may wait: the query was not started."""


class QueryOverLimit(QueryStopped):
    """The query needed more memory, or gave a larger answer, than a query may."""


class QueryOutOfMemory(QueryOverLimit):
    """The query needed more memory than a worker may take: its worker is replaced."""


class QueryError(Exception):
    """The query is not valid SPARQL, cannot give the format asked for, or would reach the network."""


@dataclass(frozen=True)
class Request:
    query: str
    solution_format: str
    graph_format: str
    limit: int


@dataclass(frozen=True)
class Limits:
    """What one query may take; ``None`` leaves that resource unbounded."""

    memory: int | None = 1024 * MB
    """Address space a worker may take beyond what it holds with the store open."""
    answer: int | None = 32 * MB
    """Bytes of one serialised answer."""


def _memory_error(limits: Limits) -> QueryOutOfMemory:
    budget = f"{limits.memory / MB:g} MB" if limits.memory else "the memory available"
    return QueryOutOfMemory(f"the query needed more than {budget} of memory and was stopped: "
                          "narrow it down or add a LIMIT")


def _work(path: str, limits: Limits, connection: Connection) -> None:
    """A worker's life: answer requests one at a time until the pool goes away."""
    try:
        deny_network()
        refusal = None
    except SandboxUnavailable as error:  # fail closed: no query runs where it could reach the network
        refusal = QueryError(f"SPARQL queries are disabled: this system cannot deny them the network ({error})")
    store = TrialStore(path, read_only=True)
    if limits.memory is not None:
        limit_memory(limits.memory)
    connection.send("ready")
    while True:
        try:
            request: Request = connection.recv()
        except EOFError:
            return
        if refusal is not None:
            connection.send(refusal)
            continue
        try:
            answer = store.answer(request.query, request.solution_format, request.graph_format, request.limit,
                                  limits.answer)
            connection.send(answer)
        except AnswerTooLarge as error:
            connection.send(QueryOverLimit(str(error)))
        except (SyntaxError, ValueError, RuntimeError) as error:  # RuntimeError: the engine's evaluation errors
            connection.send(QueryError(str(error)))
        except OSError:  # the sandbox at work, whatever the address: one answer for all, so none is probed
            connection.send(QueryError(REFUSED_NETWORK))
        except MemoryError:
            connection.send(_memory_error(limits))
            return  # a process that ran out of memory is not trusted with the next query


class Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, path: str, limits: Limits) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, args=(path, limits, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def ask(self, request: Request, timeout: float) -> Answer | Exception | None:
        """The answer, or ``None`` when none came within ``timeout`` seconds.

        A new worker's start (an interpreter, imports, opening the store) is not the query's time.
        """
        if not self.ready:
            self.connection.recv()
            self.ready = True
        self.connection.send(request)
        return self.connection.recv() if self.connection.poll(timeout) else None

    def stop(self) -> int | None:
        """Kill the process if it still runs; its exit code."""
        self.process.kill()
        self.process.join()
        self.connection.close()
        return self.process.exitcode


class QueryPool:
    """``size`` workers over one store; a query waits for a free one at most ``wait`` seconds, so a flood of
    queries is turned away rather than queued without end. With ``fast`` set, one more worker is the fast
    lane, whose queries may run ``fast`` seconds, for a client's only query under way."""

    def __init__(self, path: str, size: int = 2, timeout: float = 10.0, wait: float = 30.0,
                 limits: Limits = Limits(), fast: float | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self.wait = wait
        self.limits = limits
        self.fast = fast
        self.context = multiprocessing.get_context("spawn")  # no fork of a process that runs threads
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.fast_lane: asyncio.Queue[Worker] = asyncio.Queue()
        self.under_way: Counter[str] = Counter()  # queries running or waiting, by client
        for _ in range(size):
            self.idle.put_nowait(self._worker())
        if fast is not None:
            self.fast_lane.put_nowait(self._worker())
        self.spare = self._worker()

    def _worker(self) -> Worker:
        return Worker(self.context, self.path, self.limits)

    def _replace(self, worker: Worker, lane: asyncio.Queue[Worker]) -> int | None:
        """Stop ``worker`` and put the spare in its place in ``lane``; the stopped one's exit code."""
        code = worker.stop()
        lane.put_nowait(self.spare)
        self.spare = self._worker()
        return code

    async def answer(self, request: Request, client: str = "") -> Answer:
        """The answer to ``request`` from ``client`` (its address: what makes it another client)."""
        self.under_way[client] += 1
        try:
            if self.fast is not None and self.under_way[client] == 1:
                reply = await self._fast(request)
                if reply is not None:
                    return reply
            return await self._pooled(request)
        finally:
            self.under_way[client] -= 1
            if not self.under_way[client]:
                del self.under_way[client]

    async def _fast(self, request: Request) -> Answer | None:
        """The answer from the fast lane, or ``None`` when the lane stayed busy or the query passed its limit."""
        assert self.fast is not None
        try:
            worker = await asyncio.wait_for(self.fast_lane.get(), self.fast)
        except asyncio.TimeoutError:
            return None
        return await self._run(worker, request, self.fast, self.fast_lane)

    async def _pooled(self, request: Request) -> Answer:
        try:
            worker = await asyncio.wait_for(self.idle.get(), self.wait)
        except asyncio.TimeoutError:
            raise QueryBusy(f"every query worker stayed busy for {self.wait:g} s; try again shortly") from None
        reply = await self._run(worker, request, self.timeout, self.idle)
        if reply is None:
            raise QueryTimeout(f"the query ran for more than {self.timeout:g} s and was stopped; "
                               "narrow it down or add a LIMIT")
        return reply

    async def _run(self, worker: Worker, request: Request, timeout: float,
                   lane: asyncio.Queue[Worker]) -> Answer | None:
        """The answer of ``worker``, which goes back to ``lane`` (or a fresh one in its place); ``None`` when
        the time ran out."""
        try:
            reply = await anyio.to_thread.run_sync(worker.ask, request, timeout)
        except (EOFError, OSError) as error:  # the worker died: out of memory, or killed from outside
            code = self._replace(worker, lane)
            if code == -signal.SIGABRT:  # how the engine ends when an allocation fails
                raise _memory_error(self.limits) from error
            raise QueryStopped("the process running the query stopped; try again") from error
        except BaseException:
            self._replace(worker, lane)
            raise
        if reply is None or isinstance(reply, QueryOutOfMemory):
            self._replace(worker, lane)
        else:
            lane.put_nowait(worker)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def close(self) -> None:
        self.spare.stop()
        for lane in (self.idle, self.fast_lane):
            while not lane.empty():
                lane.get_nowait().stop()
