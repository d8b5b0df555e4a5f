"""``--dask-scheduler``: the partitions on a Dask cluster, as N-Quads shards with a manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter.cli import main

distributed = pytest.importorskip("distributed", reason="the [cluster] extra (dask[distributed]) is not installed")

pytestmark = pytest.mark.usefixtures("small_partitions")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A two-worker cluster in this process: the workers share the test's files and its small partitions."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster:
        yield cluster.scheduler_address


def test_shards_and_manifest_hold_what_one_process_writes(
    scheduler: str, export_xml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shards = tmp_path / "shards"
    assert main(["export", str(export_xml), "--dask-scheduler", scheduler, "-o", str(shards), "-q"]) == 1
    single = tmp_path / "single.nq"
    assert main(["export", str(export_xml), "-f", "nquads", "-j", "1", "-o", str(single), "-q"]) == 1

    manifest = json.loads((shards / "manifest.json").read_text(encoding="utf-8"))
    files = [entry["file"] for entry in manifest["shards"]]
    assert len(files) > 2 and files == sorted(files) and files[0] == "part-00000.nq"
    assert b"".join((shards / name).read_bytes() for name in files) == single.read_bytes()
    for entry in manifest["shards"]:
        assert hashlib.sha256((shards / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
    assert (manifest["read"], manifest["records"], manifest["rejected"]) == (54, 52, 2)
    assert sum(entry["records"] for entry in manifest["shards"]) == 52
    assert manifest["format"] == "nquads" and manifest["version"]
    assert manifest["options"]["exported_at"] == "2023-11-14T22:13:20+00:00"


def test_the_cluster_needs_a_folder_and_a_line_format(scheduler: str, export_xml: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(export_xml), "--dask-scheduler", scheduler, "-q"]) == 2
    assert main(["export", str(export_xml), "--dask-scheduler", scheduler, "-f", "turtle", "-o", str(tmp_path)]) == 2
    errors = capsys.readouterr().err
    assert "name it with -o DIR" in errors and "use -f nquads" in errors
