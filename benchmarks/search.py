"""The search index at scale: ``python -m benchmarks.search [--trials 100000 1000000]``.

The real trials that :mod:`benchmarks.generate` resamples are mapped once, as a load maps them,
and each one's index entry is taken from its graph. N trials are then made from those entries,
each with ids of its own, conditions, interventions and sponsors drawn from different real
trials, a country set, a year, and a word from a long tail of 50,000 made-up words in its title
(real vocabularies are long-tailed; a few hundred resampled trials alone would give an index
of a few thousand words). They are written straight into an index as a load writes them, with
no store: the index is what is measured. Each query is timed five times, the median reported,
results read to the end; the numbers go to ``benchmarks/results/search-N.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from exporter.pipeline import Options, Pipeline
from exporter.record import Rejected
from exporter.sources import read_stream
from exporter.store.search import Entry, SearchIndex, entry_of
from exporter.store.search.index import text_folder
from exporter.summary import Summary

from . import generate
from .run import machine, save

ROUNDS = 5


def real_entries() -> list[Entry]:
    """The index entries of the real trials the generator resamples, mapped as a load maps them."""
    pipeline, summary = Pipeline(Options(validate=False)), Summary()
    export = generate.PROLOG + b"\n".join(generate.samples()) + generate.EPILOG
    graphs = (pipeline.process(item, summary) for item in read_stream(io.BytesIO(export), "samples.xml")
              if not isinstance(item, Rejected))
    return [entry_of(graph) for graph in graphs if graph is not None]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def entries(count: int, seed: int = 6) -> Iterator[Entry]:
    """``count`` distinct trials, each a real one with parts of others and a long-tail word."""
    rng = random.Random(seed)
    pool = real_entries()
    tail = [_word(rng) for _ in range(50_000)]
    countries = sorted({t for e in pool for t in e.terms if t[0] == "country"})
    for number in range(count):
        base, other, third = rng.choice(pool), rng.choice(pool), rng.choice(pool)
        trial = f"{base.trial}-{number}"
        identifier = f"{base.identifier}-{number}"
        rank = int(rng.paretovariate(1.0)) - 1 if rng.random() < .5 else rng.randrange(len(tail))
        word = tail[min(rank, len(tail) - 1)]
        text = {
            "titles": [f"{title} {word}" for title in base.text["titles"]],
            "conditions": other.text["conditions"],
            "interventions": third.text["interventions"],
            "sponsors": other.text["sponsors"],
            "id": [identifier],
            "identifiers": [f"SEC-{number:07d}"],
        }
        keep = ("register", "phase", "status", "type", "sponsor_class")
        terms = [t for t in base.terms if t[0] in keep]
        terms += [t for t in other.terms if t[0] in ("condition", "sponsor", "funder", "secondary sponsor")]
        terms += [t for t in third.terms if t[0] == "intervention"]
        terms += rng.sample(countries, k=min(len(countries), rng.choice((1, 1, 1, 2, 3))))
        year = str(rng.randint(2000, 2025))
        terms.append(("year", year, year))
        yield replace(base, record=f"{base.record}-{number}", trial=trial, identifier=identifier,
                      registered=f"{year}-{rng.randint(1, 12):02d}-01", text=text, terms=terms)


def timed(call: Callable[[], object]) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of a call: on a shared machine the CPU time is the steadier measure."""
    seconds, cpu, result = [], [], None
    for _ in range(ROUNDS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(seconds), statistics.median(cpu), result


def run(count: int, folder: Path) -> dict[str, object]:
    path = folder / f"search-{count}.sqlite"
    index = SearchIndex(path)
    started, started_cpu = time.perf_counter(), time.process_time()
    for entry in entries(count):
        index.add_entry(entry)
    index.close()
    built, built_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(f"{count:>9,} trials indexed in {built:.0f} s ({built_cpu:.0f} s CPU)", flush=True)
    index = SearchIndex(path, read_only=True)
    sample = next(entries(1))
    common = max(index.facets(kinds=["condition"])["condition"], key=lambda c: c.count).value.split()[0]
    phase = max(index.facets(kinds=["phase"])["phase"], key=lambda c: c.count).value
    country = max(index.facets(kinds=["country"])["country"], key=lambda c: c.count).value
    two = {"phase": [phase], "country": [country]}
    cases: list[tuple[str, Callable[[], object]]] = [
        (f"an id ({sample.identifier})", lambda: index.search(sample.identifier)),
        (f"a common word ({common})", lambda: index.search(common)),
        ("a common word, page 50", lambda: index.search(common, page=50)),
        (f"a common word and a facet ({phase})", lambda: index.search(common, {"phase": [phase]})),
        ("a prefix ('ba*')", lambda: index.search("ba*")),
        ("a two-letter prefix ('ca*')", lambda: index.search("ca*")),
        ("a one-letter prefix ('c*')", lambda: index.search("c*")),
        (f"two words ({common} trial)", lambda: index.search(f"{common} trial")),
        (f"no words, two facets ({phase}, {country})", lambda: index.search("", two)),
        ("no words, no facets (newest first)", lambda: index.search("")),
        ("home page: facet counts and totals", lambda: (index.facets(), index.counts())),
        (f"facet counts for a common word ({common})", lambda: index.facets(common)),
        ("facet counts for a one-letter prefix ('c*')", lambda: index.facets("c*")),
        (f"facet counts for two facets ({phase}, {country})", lambda: index.facets("", two)),
    ]
    timings, load = [], os.getloadavg()[0]
    for name, call in cases:
        seconds, cpu, result = timed(call)
        total = getattr(result, "total", None)
        timings.append({"query": name, "seconds": seconds, "cpu_seconds": cpu, "matches": total})
        print(f"{count:>9,} {name:60} {seconds * 1000:8.1f} ms {cpu * 1000:8.1f} ms CPU  {total or ''}", flush=True)
    size = path.stat().st_size + sum(part.stat().st_size for part in text_folder(path).rglob("*") if part.is_file())
    return {"trials": count, "build_seconds": built, "build_cpu_seconds": built_cpu, "bytes": size,
            "load_average": [load, os.getloadavg()[0]], "queries": timings}


def table(results: list[dict], about: dict) -> str:
    head = "| query | " + " | ".join(f"{r['trials']:,} trials" for r in results) + " |\n"
    head += "|---|" + "---:|" * len(results) + "\n"
    rows = []
    for number, case in enumerate(results[-1]["queries"]):
        cells = []
        for r in results:
            q = r["queries"][number]
            cells.append(f"{q['seconds'] * 1000:.1f} ms / {q['cpu_seconds'] * 1000:.1f} ms"
                         + (f" ({q['matches']:,})" if q["matches"] is not None else ""))
        rows.append(f"| {case['query'].split(' (')[0]} | " + " | ".join(cells) + " |\n")
    built = "| building the index | " + " | ".join(
        f"{r['build_seconds']:.0f} s / {r['build_cpu_seconds']:.0f} s ({r['trials'] / r['build_cpu_seconds']:,.0f} "
        f"trials per CPU second)" for r in results) + " |\n"
    load = "| load average (start, end of the queries) | " + " | ".join(
        f"{r['load_average'][0]:.1f}, {r['load_average'][1]:.1f}" for r in results) + " |\n"
    size = "| index size | " + " | ".join(f"{r['bytes'] / 2**20:,.0f} MiB" for r in results) + " |\n"
    return (head + "".join(rows) + built + size + load + "\n"
            f"Wall clock / CPU time, medians of {ROUNDS} runs, results read to the end; (N) is how many trials "
            f"matched. Machine: "
            f"{about['cpu']}, {about['cores']} cores, {about['ram_gib']} GiB RAM, Python {about['python']}.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[100_000])
    parser.add_argument("--work", type=Path, help="where to build the indexes (default: a temporary folder)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        for count in args.trials:
            results.append(run(count, Path(work)))
    about = machine()
    save("search-" + "-".join(str(n) for n in args.trials), {"results": results, "machine": about},
         table(results, about))


if __name__ == "__main__":
    main()
