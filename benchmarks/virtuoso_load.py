"""Bulk-load trialgraph's N-Quads shards into Virtuoso with its own loader (``ld_dir`` + ``rdf_loader_run``).

The shards and ``manifest.json`` come from ``trialgraph export --dask-scheduler … -o DIR``.
Each record is its own named graph in the quads, so nothing else needs saying to the
loader. Two ways to run it:

``python -m benchmarks.virtuoso_load DIR --port 1111``
    into a running Virtuoso (its ``DirsAllowed`` must include DIR; user and password
    ``dba`` unless ``--user``/``--password`` say otherwise);
``python -m benchmarks.virtuoso_load DIR --start``
    starts a throwaway ``virtuoso-t`` (Debian: ``apt-get install virtuoso-opensource``) in a
    temporary folder on a free port, loads, prints the count and throughput, and stops it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER = "virtuoso-t"
ISQL = "isql-vt"  # Debian's name for Virtuoso's isql, which is not unixODBC's

INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = {port}
DirsAllowed = ., {allowed}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = {http_port}
[Client]
SQL_PREFETCH_ROWS = 100
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def isql(port: int, sql: str, user: str = "dba", password: str = "dba") -> str:
    """Run SQL through isql; its output, or :class:`RuntimeError` with Virtuoso's message."""
    done = subprocess.run([ISQL, str(port), user, password, "VERBOSE=OFF", "BANNER=OFF", f"EXEC={sql}"],
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql: {(done.stdout + done.stderr).strip()}")
    return done.stdout


@contextmanager
def throwaway_server(allowed: Path, timeout: float = 60) -> Iterator[int]:
    """A fresh Virtuoso in a temporary folder, reading files under ``allowed``; its isql port."""
    with tempfile.TemporaryDirectory(prefix="trialgraph-virtuoso-") as folder:
        port = free_port()
        ini = Path(folder) / "virtuoso.ini"
        ini.write_text(INI.format(folder=folder, port=port, http_port=free_port(), allowed=allowed.resolve()))
        server = subprocess.Popen([SERVER, "+foreground", "+configfile", str(ini)], cwd=folder,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    isql(port, "SELECT 1;")
                    break
                except (RuntimeError, subprocess.TimeoutExpired):
                    if server.poll() is not None or time.monotonic() > deadline:
                        log = Path(folder) / "virtuoso.log"
                        raise RuntimeError(f"Virtuoso did not start: {log.read_text()[-2000:] if log.exists() else ''}")
                    time.sleep(0.5)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


def bulk_load(port: int, shards: Path, user: str = "dba", password: str = "dba") -> int:
    """Load every shard the manifest names; the number of quads Virtuoso then holds in the records' graphs."""
    manifest = json.loads((shards / "manifest.json").read_text(encoding="utf-8"))
    pattern = "*" + Path(manifest["shards"][0]["file"]).suffix if manifest["shards"] else "*.nq"
    folder = str(shards.resolve()).replace("'", "''")
    isql(port, f"ld_dir('{folder}', '{pattern}', 'urn:trialgraph:default'); rdf_loader_run(); checkpoint;",
         user, password)
    failed = isql(port, "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;", user, password)
    if ".nq" in failed or ".nt" in failed:
        raise RuntimeError(f"Virtuoso could not load some shards:\n{failed}")
    base = manifest["options"]["base_iri"]
    query = f"SELECT COUNT(*) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{base}')) }}"
    counted = isql(port, f"SPARQL {query};", user, password)
    return int(counted.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path, help="the folder of shards and manifest.json")
    parser.add_argument("--port", type=int, default=1111, help="isql port of a running Virtuoso")
    parser.add_argument("--user", default="dba")
    parser.add_argument("--password", default="dba")
    parser.add_argument("--start", action="store_true", help="start a throwaway virtuoso-t for the load")
    args = parser.parse_args()
    try:
        run(args)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        raise SystemExit(f"virtuoso_load: {' '.join(str(error).split())}") from None


def run(args: argparse.Namespace) -> None:
    """Check what the load needs, each missing piece said in one line, then load and report."""
    if not (args.shards / "manifest.json").is_file():
        raise RuntimeError(f"no manifest.json in {args.shards}: make the shards with "
                           "trialgraph export --dask-scheduler tcp://HOST:PORT -o DIR")
    needed = SERVER if args.start else ISQL
    if shutil.which(needed) is None:
        raise RuntimeError(f"{needed} not found: apt-get install virtuoso-opensource")
    if not args.start:
        try:
            isql(args.port, "SELECT 1;", args.user, args.password)
        except RuntimeError as error:
            if "Connect failed" not in str(error):
                raise
            raise RuntimeError(f"no Virtuoso answers on port {args.port} (isql): start one and name its port with "
                               f"--port, or pass --start to run a throwaway one for the load") from None
    started = time.perf_counter()
    if args.start:
        with throwaway_server(args.shards) as port:
            started = time.perf_counter()
            quads = bulk_load(port, args.shards)
    else:
        quads = bulk_load(args.port, args.shards, args.user, args.password)
    seconds = time.perf_counter() - started
    print(f"{quads:,} quads loaded in {seconds:.1f} s ({quads / seconds:,.0f} quads/s)")


if __name__ == "__main__":
    main()
