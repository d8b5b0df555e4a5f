"""Scale: the pipeline over byte-range partitions of the input, in local processes or on a Dask cluster.

:mod:`.partition` cuts inputs at record boundaries, :mod:`.ranges` makes a cut a stream the
source modules read, :mod:`.worker` holds the one function each partition goes through,
:mod:`.pool` and :mod:`.cluster` run it, :mod:`.merge` and :mod:`.shards` put the results
back together in input order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..progress import Progress
from ..summary import Summary
from .partition import Partition, plan
from .pool import default_workers, export
from .worker import LINE_FORMATS, Job, PartitionResult, process_partition

__all__ = [
    "LINE_FORMATS", "Job", "Partition", "PartitionResult", "default_workers", "export", "export_to_cluster",
    "export_with_workers", "plan", "process_partition",
]


def export_with_workers(
    inputs: list[str], job: Job, stream: TextIO, workers: int, quiet: bool = False, output: str | None = None,
    take: Callable[[PartitionResult], None] | None = None,
) -> Summary:
    """The export to one stream (or to ``take``, partition by partition), ``workers`` processes at a time, with a
    progress bar by bytes.

    ``output`` names the file ``stream`` writes: the workers spool their fragments beside it, so
    that copying them on stays within one file system.
    """
    notes: list[str] = []
    partitions = plan(inputs, parts=2 * workers if workers > 1 else 1, note=notes.append)
    with Progress(enabled=not quiet, total_bytes=sum(p.size for p in partitions)) as progress:
        summary = export(partitions, job, stream, workers, progress.update, _spool_folder(output), take)
    summary.notes[:0] = notes
    return summary


def _spool_folder(output: str | None) -> str | None:
    """The output file's folder; ``None`` (the system's temporary folder) for standard output or a device."""
    if output is None or output == "-":
        return None
    path = Path(output)
    return None if path.exists() and not path.is_file() else str(path.resolve().parent)


def export_to_cluster(inputs: list[str], job: Job, scheduler: str, folder: Path, quiet: bool = False) -> Summary:
    """The export as shards and a manifest in ``folder``, the partitions run on a Dask cluster."""
    from .cluster import export_shards

    notes: list[str] = []
    partitions = plan(inputs, note=notes.append)
    with Progress(enabled=not quiet, total_bytes=sum(p.size for p in partitions)) as progress:
        summary = export_shards(scheduler, partitions, job, folder, progress.update)
    summary.notes[:0] = notes
    return summary
