"""The shards bulk-load into Virtuoso (Debian's virtuoso-opensource), started here on a free port."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.virtuoso_load import SERVER, bulk_load, throwaway_server
from exporter.parallel import Job, plan
from exporter.parallel.shards import write_all
from exporter.parallel.worker import process_partition
from exporter.pipeline import Options

pytestmark = pytest.mark.skipif(shutil.which(SERVER) is None,
                                reason=f"{SERVER} is not installed (apt-get install virtuoso-opensource)")


def test_every_distinct_quad_of_the_shards_is_loaded(export_xml: Path, tmp_path: Path) -> None:
    job = Job(Options(validate=False), "nquads")
    partitions = plan([str(export_xml)], parts=3, min_bytes=1)
    shards = tmp_path / "shards"
    write_all(shards, job, ((i, process_partition(p, job)) for i, p in enumerate(partitions)))
    quads = {quad for shard in shards.glob("*.nq") for quad in ox.parse(path=shard, format=ox.RdfFormat.N_QUADS)}

    with throwaway_server(shards) as port:
        assert bulk_load(port, shards) == len(quads)
