"""Sharded N-Quads and their manifest: what a triplestore's bulk loader takes, one file per partition.

The manifest names every shard with its record counts and SHA-256, the exporter's version
and the options of the run, so a loader (or a person) can check that every shard arrived
whole and knows what made it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..atomic import atomic_text
from ..mapping.terms import IRI
from ..output.ntriples import lines
from ..output.repeats import Repeats
from ..pipeline import exporter_version
from ..summary import Summary
from .merge import merge_summary
from .worker import Job, PartitionResult

MANIFEST = "manifest.json"
EXTENSION = {"nquads": ".nq", "ntriples": ".nt"}


def shard_name(index: int, job: Job) -> str:
    return f"part-{index:05d}{EXTENSION[job.format]}"


def write_shard(folder: Path, index: int, job: Job, result: PartitionResult) -> dict[str, Any]:
    """Write one partition's lines as a shard; its manifest entry."""
    name = shard_name(index, job)
    with atomic_text(folder / name) as stream:
        stream.write(result.text)
    data = result.text.encode("utf-8")
    return {
        "file": name,
        "read": result.summary.read,
        "records": result.summary.exported,
        "rejected": result.summary.rejected,
        "statements": result.text.count("\n"),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def shared_shard(results: Iterable[PartitionResult], job: Job) -> PartitionResult:
    """The last shard: what several records state (shared nodes' descriptions, the run), once each, in input order."""
    repeats = Repeats()
    for result in results:
        repeats.extend(result.repeats, IRI(result.shared_graph))
    text = lines(repeats.graph_of(repeats.taken()), with_graph=job.format == "nquads") if repeats.statements else ""
    return PartitionResult(Summary(), text=text)


def write_manifest(folder: Path, job: Job, entries: list[dict[str, Any]], summary: Summary) -> Path:
    """The manifest of the shards, in shard order."""
    options = {key: _plain(value) for key, value in dataclasses.asdict(job.options).items()}
    manifest = {
        "exporter": "trialgraph",
        "version": exporter_version(),
        "format": job.format,
        "options": options,
        "records": summary.exported,
        "read": summary.read,
        "rejected": summary.rejected,
        "statements": sum(entry["statements"] for entry in entries),
        "shards": entries,
    }
    path = folder / MANIFEST
    with atomic_text(path) as stream:
        stream.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return path


def write_all(
    folder: Path,
    job: Job,
    results: Iterable[tuple[int, PartitionResult]],
    progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """Shards from ``(index, result)`` pairs in any order; the manifest and the summary in input order."""
    folder.mkdir(parents=True, exist_ok=True)
    entries: dict[int, dict[str, Any]] = {}
    summaries: dict[int, Summary] = {}
    repeats: dict[int, PartitionResult] = {}
    so_far, done = Summary(), 0  # counts only, for the progress bar
    for index, result in results:
        entries[index] = write_shard(folder, index, job, result)
        summaries[index] = result.summary
        repeats[index] = PartitionResult(result.summary, repeats=result.repeats, shared_graph=result.shared_graph)
        so_far.read += result.summary.read
        so_far.exported += result.summary.exported
        so_far.rejected += result.summary.rejected
        done += result.size
        if progress is not None:
            progress(so_far, done)
    summary = Summary()
    for index in sorted(summaries):
        merge_summary(summary, summaries[index])
    last = len(entries)
    entries[last] = write_shard(folder, last, job, shared_shard((repeats[index] for index in sorted(repeats)), job))
    write_manifest(folder, job, [entries[index] for index in sorted(entries)], summary)
    return summary


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
