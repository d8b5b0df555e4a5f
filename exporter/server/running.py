"""``trialgraph serve`` in a child process on a free port of 127.0.0.1: for tests, benchmarks and
notebooks that need a real server, started and waited for, then stopped (or killed)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningServer:
    """``with RunningServer(store, "--timeout", "2") as server: requests.get(server.url + "/void")``."""

    def __init__(self, store: str | Path, *options: str, startup: float = 60.0) -> None:
        self.store = Path(store)
        self.options = options
        self.startup = startup
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # not a pipe: one nobody reads fills up and blocks the server

    def start(self) -> RunningServer:
        """Start the server and return once it answers."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "exporter.cli", "serve", "--store", str(self.store), "--host", "127.0.0.1",
             "--port", str(self.port), *self.options],
            stdout=subprocess.DEVNULL, stderr=self.log,
        )
        deadline = time.monotonic() + self.startup
        while True:
            try:
                requests.get(self.url + "/void", timeout=5).raise_for_status()
                return self
            except requests.RequestException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    self.process.wait()
                    raise RuntimeError(f"the server did not start: {self.output()[-2000:]}") from None
                time.sleep(0.2)

    def output(self) -> str:
        """What the server wrote to stderr so far: uvicorn's log, one line per request."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def stop(self) -> None:
        """Stop as Ctrl-C would: the server closes its workers and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
