"""What a sync costs next to a full load: ``python -m benchmarks.sync [--sizes 10000 100000]``.

ClinicalTrials.gov: N studies of ours (the demo study under N ids and titles) are served by
a local API v2 on 127.0.0.1 (pages of 1,000, ``nextPageToken``, ``filter.advanced`` on
``LastUpdatePostDate``). The first ``sync ctgov`` is the full load (into an empty store,
through the bulk loader); then 1% of the studies get a new title and today's update date,
and the next sync, which asks only for studies updated since its watermark, is timed
(``--rounds`` times, another 1% each time, the median reported).

ICTRP: an export of N records (:mod:`benchmarks.generate`) synced into an empty store is
the full load; then 1% of its records get a new title and the changed export is synced. An
export holds every record, so this sync reads and maps them all to compare them; only the
1% are validated and written.

The results go to ``benchmarks/results/sync.md`` and ``sync.json``, with the machine described.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from exporter.demo import demo_folder
from exporter.fetch.http import HttpClient
from exporter.store import TrialStore
from exporter.sync import sync_ctgov, sync_ictrp

from . import generate
from .run import machine, save

PAGE = 1000
_RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")
_TITLE = re.compile(rb"(<Public_title>)([^<]*?)(\s*</Public_title>)")


class Registry(ThreadingHTTPServer):
    """ClinicalTrials.gov's ``/studies`` for N studies kept as bytes, answered as the API pages them."""

    daemon_threads = True

    def __init__(self, count: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        template = json.loads((demo_folder() / "ctgov-NCT90000001.json").read_text(encoding="utf-8"))
        self.template = template
        self.studies: list[tuple[str, bytes]] = [self.study(number, "2025-01-10", "") for number in range(count)]

    def study(self, number: int, updated: str, revision: str) -> tuple[str, bytes]:
        document = copy.deepcopy(self.template)
        section = document["protocolSection"]
        section["identificationModule"]["nctId"] = f"NCT{90000000 + number:08d}"
        section["identificationModule"]["briefTitle"] = f"Weekly oral glucoregulin, study {number}{revision}"
        section["statusModule"]["lastUpdatePostDateStruct"] = {"date": updated, "type": "ACTUAL"}
        return updated, json.dumps(document).encode()

    def update(self, numbers: range | list[int], revision: str) -> None:
        today = datetime.now(timezone.utc).date().isoformat()
        for number in numbers:
            self.studies[number] = self.study(number, today, revision)

    def page(self, query: dict[str, list[str]]) -> bytes:
        selected = self.studies
        if "filter.advanced" in query:
            since = _RANGE.fullmatch(query["filter.advanced"][0])
            selected = [study for study in selected if since and study[0] >= since[1]]
        start = int(base64.urlsafe_b64decode(query["pageToken"][0])) if "pageToken" in query else 0
        end = start + min(int(query.get("pageSize", [str(PAGE)])[0]), PAGE)
        token = f', "nextPageToken": "{base64.urlsafe_b64encode(str(end).encode()).decode()}"' if end < len(selected) else ""
        return b'{"studies": [' + b",".join(body for _, body in selected[start:end]) + b"]" + token.encode() + b"}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v2"


class _Handler(BaseHTTPRequestHandler):
    server: Registry

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        body = self.server.page(parse_qs(urlsplit(self.path).query))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def ctgov(size: int, folder: Path, rounds: int) -> dict[str, object]:
    registry = Registry(size)
    thread = threading.Thread(target=registry.serve_forever, daemon=True)
    thread.start()
    client = HttpClient(intervals={}, default_interval=0)
    store = TrialStore(folder / f"ctgov-{size}")
    try:
        full, outcome = timed(lambda: sync_ctgov(store, None, client, registry.url))
        print(f"ctgov {size}: full load {full:.1f} s: {outcome.counts.line}", flush=True)  # type: ignore[attr-defined]
        share = max(1, size // 100)
        times, writing = [], []
        for round_ in range(rounds):
            registry.update(range(round_ * share, (round_ + 1) * share), f", revision {round_ + 1}")
            seconds, outcome = timed(lambda: sync_ctgov(store, None, client, registry.url))
            times.append(seconds)
            writing.append(outcome.writing)  # type: ignore[attr-defined]
            print(f"ctgov {size}: 1% sync {seconds:.2f} s: {outcome.counts.line}", flush=True)  # type: ignore[attr-defined]
    finally:
        registry.shutdown()
        registry.server_close()
    sync = statistics.median(times)
    return {"source": "ctgov", "records": size, "full_load_s": round(full, 2), "changed": share,
            "sync_s": round(sync, 2), "sync_writing_s": round(statistics.median(writing), 2), "rounds": rounds,
            "ratio_percent": round(100 * sync / full, 2)}


def ictrp(size: int, folder: Path, rounds: int) -> dict[str, object]:
    export = generate.write(size, folder / f"ictrp-{size}.xml")
    store = TrialStore(folder / f"ictrp-{size}")
    full, outcome = timed(lambda: sync_ictrp(store, [str(export)]))
    print(f"ictrp {size}: full load {full:.1f} s: {outcome.counts.line}", flush=True)  # type: ignore[attr-defined]
    times, writing, text = [], [], export.read_bytes()
    for round_ in range(rounds):
        counter = iter(range(size))
        text = _TITLE.sub(lambda m: m[1] + m[2] + (b" (r)" if next(counter) % 100 == round_ else b"") + m[3], text)
        export.write_bytes(text)
        seconds, outcome = timed(lambda: sync_ictrp(store, [str(export)]))
        times.append(seconds)
        writing.append(outcome.writing)  # type: ignore[attr-defined]
        print(f"ictrp {size}: 1% sync {seconds:.2f} s: {outcome.counts.line}", flush=True)  # type: ignore[attr-defined]
    export.unlink()
    sync = statistics.median(times)
    return {"source": "ictrp", "records": size, "full_load_s": round(full, 2), "changed": size // 100,
            "sync_s": round(sync, 2), "sync_writing_s": round(statistics.median(writing), 2), "rounds": rounds,
            "ratio_percent": round(100 * sync / full, 2)}


def table(rows: list[dict[str, object]], about: dict[str, object]) -> str:
    lines = [
        "| source | records | full load (first sync) | 1% changed: sync | of which writing the store | sync / full load |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| {row['source']} | {row['records']:,} | {row['full_load_s']} s | {row['sync_s']} s "
                     f"(median of {row['rounds']}) | {row['sync_writing_s']} s | {row['ratio_percent']}% |")
    libraries = ", ".join(f"{k} {v}" for k, v in about["libraries"].items())  # type: ignore[union-attr]
    lines.append("")
    lines.append(f"Machine: {about['cpu']}, {about['cores']} cores, {about['ram_gib']} GiB RAM, {about['os']}; "
                 f"Python {about['python']}; {libraries}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sources", nargs="+", default=["ctgov", "ictrp"], choices=("ctgov", "ictrp"))
    parser.add_argument("--out", default="sync", help="results file name in benchmarks/results (default: %(default)s)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="trialgraph-sync-") as scratch:
        for size in args.sizes:
            for source in args.sources:
                rows.append((ctgov if source == "ctgov" else ictrp)(size, Path(scratch), args.rounds))
    about = machine()
    save(args.out, {"machine": about, "rows": rows}, table(rows, about))


if __name__ == "__main__":
    main()
