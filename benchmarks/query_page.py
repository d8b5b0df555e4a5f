"""The query page in Chromium on a large store: ``python -m benchmarks.query_page [--records 100000]``.

A store of N generated trials is built as :mod:`benchmarks.queries` builds it and served; each
example query is opened in headless Chromium as a shared link (``/sparql?query=…``) and timed
from the navigation until its answer's table is in the page — the page, its script, the query
on the server and the table drawn — three times, the median kept. The results go to
``benchmarks/results/query-page-N.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from exporter.server.app import examples
from exporter.server.running import RunningServer
from exporter.store import TrialStore
from tests.server.chromium import Browser

from .queries import VARIANTS, build_store
from .run import machine, save

SHOWN = ("document.getElementById('summary') ? document.getElementById('summary').textContent : "
         "(!document.getElementById('error').hidden && document.getElementById('error').textContent)")


def timed(browser: Browser, url: str, rounds: int = 3) -> tuple[float, str]:
    """The median seconds from navigating to a shared link until its answer is shown, and what the page said."""
    seconds, said = [], ""
    for _ in range(rounds):
        started = time.perf_counter()
        browser.open(url)
        said = browser.wait_for(SHOWN, timeout=120)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), said


def run(records: int, folder: Path) -> dict[str, object]:
    """Build the store in ``folder`` unless an earlier run left it there, serve it and time the page."""
    if not (folder / "store" / "CURRENT").is_file():
        store, _ = build_store(records, folder)
        del store  # closed before the server opens it read-only
        gc.collect()
    store = TrialStore(folder / "store", read_only=True)
    trials = len(list(store.query("SELECT ?t { ?t a <https://w3id.org/trialgraph/ontology#Trial> }")))
    del store
    gc.collect()
    results = {}
    with RunningServer(folder / "store", "--timeout", "60", startup=1800) as server, \
            Browser(folder / "chromium") as browser:
        browser.open(server.url + "/sparql")  # a warm-up: the browser's first page costs it a second or two
        opening = []
        for _ in range(3):
            started = time.perf_counter()
            browser.open(server.url + "/sparql")
            opening.append(time.perf_counter() - started)
        results["the page, no query"] = {"seconds": round(statistics.median(opening), 3), "shown": ""}
        for example in examples():
            texts = {example["name"]: example["text"]}
            if example["name"] in VARIANTS:  # the generated trials match nothing there: also a term matching many
                term, other = VARIANTS[example["name"]]
                texts[f"{example['name']} ({term.strip(chr(34))} → {other.strip(chr(34))})"] = \
                    example["text"].replace(term, other)
            for name, text in texts.items():
                seconds, said = timed(browser, f"{server.url}/sparql?{urlencode({'query': text})}")
                results[name] = {"seconds": round(seconds, 3), "shown": said}
    return {"records": records, "trials": trials, "pages": results}


def table(result: dict[str, object], about: dict[str, object]) -> str:
    lines = [f"{result['trials']:,} trials. Each example opened as a shared link in headless Chromium, timed until "
             "its table is in the page (median of 3).", "",
             "| page | seconds | the page said |", "|---|---:|---|"]
    lines += [f"| `{name}` | {page['seconds']} | {page['shown']} |" for name, page in result["pages"].items()]  # type: ignore[union-attr]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in about.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--work", type=Path, help="where to keep the generated files and the store, to be reused "
                                                  "by the next run (default: a temporary folder)")
    args = parser.parse_args()
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        result = run(args.records, args.work)
    else:
        with tempfile.TemporaryDirectory() as work:
            result = run(args.records, Path(work))
    about = machine()
    save(f"query-page-{args.records}", {"result": result, "machine": about}, table(result, about))


if __name__ == "__main__":
    main()
