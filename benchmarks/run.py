"""The scale benchmark in one command: ``python -m benchmarks.run [--sizes 1000 10000 100000]``.

For each size N, an ICTRP XML export of N realistic records (:mod:`benchmarks.generate`) goes
through ``trialgraph export -f ntriples`` (parse → map → validate every record → write) on
every core, and at N ≤ ``--baseline-max`` (10,000) through the straightforward pipeline
(:mod:`benchmarks.baseline`) too. Each run is a child process, so its wall time and peak
resident memory (of its largest process) are its own; ours is repeated ``--rounds`` times and the
baseline ``--baseline-rounds`` times (it takes minutes), the medians reported, the machines being shared
and noisy. The exported N-Triples are then
bulk-loaded into an on-disk pyoxigraph store. The table goes to ``benchmarks/results/``
(Markdown and JSON, with the machine described) and into ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from . import generate

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE / "README.md"
MARKS = ("<!-- results:start -->", "<!-- results:end -->")
# Runs a command as its child and reports the child's peak RSS: measured apart from the benchmark's own.
_MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``command``; raises when it fails.

    The modules' bytecode is cached, as for an installed package (pip compiles it when installing):
    an environment that forbids writing it would have every run compile every module again.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True,
                         env=env)
    seconds, rss_kib, code = out.stdout.split()
    if int(code) not in (0, 1):  # 1: some records rejected, which is a result, not a failure
        raise RuntimeError(f"{command} exited {code}: {out.stderr[-2000:]}")
    return float(seconds), int(rss_kib) / 1024


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    total = re.search(r"MemTotal:\s*(\d+) kB", meminfo)
    libraries = {name: version(name) for name in ("trialgraph", "lxml", "rdflib", "pyshacl", "pyoxigraph", "dask")}
    return {
        "cpu": model[1].strip() if model else platform.processor(),
        "cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(int(total[1]) / 1024**2, 1) if total else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "libraries": libraries,
    }


def save(name: str, data: dict[str, object], markdown: str) -> None:
    """A benchmark's results as ``results/NAME.json`` and ``results/NAME.md``, and the table printed."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)
    print(markdown)


def store_load(ntriples: Path, folder: Path) -> float:
    """Triples per second of pyoxigraph's on-disk ``bulk_load`` of the exported N-Triples."""
    code = ("import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[2]); t = time.perf_counter(); "
            "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES); "
            "print(len(s), time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, str(ntriples), str(folder)], capture_output=True, text=True,
                         check=True)
    triples, seconds = out.stdout.split()
    return int(triples) / float(seconds)


def median_of(rounds: int, command: list[str]) -> tuple[float, float]:
    """The median wall seconds of ``rounds`` runs of ``command``, and the largest peak RSS (MiB) among them."""
    runs = [measured(command) for _ in range(rounds)]
    return statistics.median(seconds for seconds, _ in runs), max(rss for _, rss in runs)


def run(
    sizes: list[int], baseline_max: int, workers: int, folder: Path, rounds: int = 3, baseline_rounds: int = 1
) -> list[dict[str, object]]:
    rows = []
    env_epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    os.environ.update(env_epoch)
    for size in sizes:
        source = generate.write(size, folder / f"ictrp-{size}.xml")
        output = folder / f"ictrp-{size}.nt"
        seconds, rss = median_of(rounds, [sys.executable, "-m", "exporter.cli", "export", str(source), "-f",
                                          "ntriples", "-o", str(output), "-j", str(workers), "-q"])
        row: dict[str, object] = {"records": size, "input_mib": round(source.stat().st_size / 1024**2, 1),
                                  "workers": workers, "rounds": rounds, "seconds": round(seconds, 2),
                                  "records_per_s": round(size / seconds), "peak_rss_mib": round(rss)}
        if size <= baseline_max:
            base_seconds, base_rss = median_of(baseline_rounds, [sys.executable, "-m", "benchmarks.baseline",
                                                                 str(source), str(folder / f"baseline-{size}.ttl")])
            row |= {"baseline_rounds": baseline_rounds, "baseline_records_per_s": round(size / base_seconds, 1),
                    "baseline_peak_rss_mib": round(base_rss),
                    "ratio": round(base_seconds / seconds, 1)}
        row["store_triples_per_s"] = round(store_load(output, folder / f"store-{size}"))
        rows.append(row)
        print(json.dumps(row), flush=True)
        for path in (source, output):
            path.unlink()
    return rows


def table(rows: list[dict[str, object]], about: dict[str, object]) -> str:
    lines = [
        "| records | input | ours: records/s | peak RSS | baseline: records/s | baseline peak RSS | ratio "
        "| store load: triples/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['records']:,} | {row['input_mib']} MiB | {row['records_per_s']:,} | {row['peak_rss_mib']} MiB "
            f"| {row.get('baseline_records_per_s', '–')} | "
            + (f"{row['baseline_peak_rss_mib']} MiB" if "baseline_peak_rss_mib" in row else "–")
            + f" | {str(row['ratio']) + '×' if 'ratio' in row else '–'} | {row['store_triples_per_s']:,} |"
        )
    libraries = ", ".join(f"{name} {v}" for name, v in about["libraries"].items())  # type: ignore[union-attr]
    lines += [
        "",
        f"Machine: {about['cpu']}, {about['cores']} cores, {about['ram_gib']} GiB RAM, {about['os']}; "
        f"Python {about['python']}; {libraries}. Ours: `trialgraph export -f ntriples -j {rows[0]['workers']}` "
        "(parse ICTRP XML → map → validate every record → write N-Triples). Baseline: rdflib `Graph.add` per "
        f"triple, pyshacl over the batch, rdflib Turtle. Records/s: the median of {rows[0]['rounds']} runs of ours, "
        f"{rows[0].get('baseline_rounds', '–')} of the baseline; peak RSS: the largest process of any of them. "
        "Store load: pyoxigraph `bulk_load` of the exported N-Triples on disk.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--baseline-max", type=int, default=10000, help="largest N to run the baseline at")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--rounds", type=int, default=3, help="runs of ours at each N; the median is reported")
    parser.add_argument("--baseline-rounds", type=int, default=1,
                        help="runs of the baseline at each N (minutes each: 7 at 10,000 records)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trialgraph-bench-") as folder:
        rows = run(args.sizes, args.baseline_max, args.workers, Path(folder), args.rounds, args.baseline_rounds)
    about = machine()
    markdown = table(rows, about)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d")
    (RESULTS / "scale.md").write_text(f"# Scale benchmark, {stamp}\n\n{markdown}", encoding="utf-8")
    (RESULTS / "scale.json").write_text(json.dumps({"date": stamp, "machine": about, "rows": rows}, indent=2) + "\n",
                                        encoding="utf-8")
    if README.exists():
        text = README.read_text(encoding="utf-8")
        start, end = text.find(MARKS[0]), text.find(MARKS[1])
        if start != -1 and end != -1:
            README.write_text(text[: start + len(MARKS[0])] + "\n" + markdown + text[end:], encoding="utf-8")
    print(markdown)


if __name__ == "__main__":
    main()
