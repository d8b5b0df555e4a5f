"""``--dask-scheduler``: the same per-partition function on a Dask distributed cluster.

The workers read the inputs by path, so they must see the same files (a shared or
copied folder); each partition comes back as N-Quads text and becomes one shard here.
Partitions are cut at a fixed size, not per worker, so the shards are the same whatever
the cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..summary import Summary
from .merge import repeated_positions, with_known
from .partition import Partition
from .shards import write_all
from .worker import Job, PartitionResult, identities, keys, process_partition


def export_shards(
    scheduler: str,
    partitions: Sequence[Partition],
    job: Job,
    folder: Path,
    progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """Run every partition on the cluster at ``scheduler``; write the shards and manifest to ``folder``."""
    from distributed import Client  # an optional extra: trialgraph[cluster]

    with Client(scheduler, set_as_default=False) as client:
        found = client.map(keys, partitions, pure=False)
        positions = repeated_positions(partitions, (future.result() for future in found))
        tasks = [(part, wanted) for part, wanted in zip(partitions, positions) if wanted]
        read = client.map(identities, tasks, pure=False)
        partitions = with_known(partitions, (future.result() for future in read))
        del found, read
        futures = client.map(process_partition, partitions, job=job, pure=False)
        return write_all(folder, job, _completed(client, futures), progress)


def _completed(client: Any, futures: list[Any]) -> Iterator[tuple[int, PartitionResult]]:
    """``(partition index, result)`` as each finishes; the cluster may then forget it."""
    from distributed import as_completed

    index_of = {future.key: index for index, future in enumerate(futures)}
    for future, result in as_completed(futures, loop=client.loop, with_results=True):
        future.release()
        yield index_of[future.key], result
