"""``export --workers N``: the same bytes and the same account whatever the number of processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.cli import main
from exporter.parallel import partition

pytestmark = pytest.mark.usefixtures("small_partitions")


def export(tmp_path: Path, inputs: list[Path], fmt: str, workers: int, *extra: str) -> tuple[bytes, int]:
    out = tmp_path / f"{workers}-{fmt}{''.join(extra)}" / "out"
    status = main(["export", *map(str, inputs), "-f", fmt, "-o", str(out), "-j", str(workers), "-q", *extra])
    return out.read_bytes(), status


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_one_two_and_three_workers_write_identical_ntriples(
    export_xml: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(partition.plan([str(export_xml)], parts=2)) > 3
    outputs, reports = set(), set()
    for workers in (1, 2, 3):
        data, status = export(tmp_path, [export_xml], "ntriples", workers)
        outputs.add(data)
        reports.add(capsys.readouterr().err.replace(f"{tmp_path}/{workers}-", "OUT"))
        assert status == 1  # the broken record was rejected, the others exported
    assert len(outputs) == 1 and len(reports) == 1
    report = reports.pop()
    assert report.startswith("54 read, 52 exported, 2 rejected")
    assert "export.xml#6 [trial_id]: the record has no trial id" in report  # numbered in the whole file
    assert "export.xml#42 EUCTR2004-001298-24-ES [last_refreshed]: superseded by" in report  # by one in another


@pytest.mark.parametrize("fmt", ["nquads", "turtle", "trig", "jsonld"])
def test_every_format_is_the_same_with_workers(fmt: str, fixtures: Path, tmp_path: Path) -> None:
    inputs = [fixtures / "ictrp-csv", fixtures / "ictrp-xml" / "machado_ICTRP-Results_2024-06-09_subset.xml"]
    assert export(tmp_path, inputs, fmt, 1, "--no-validate") == export(tmp_path, inputs, fmt, 3, "--no-validate")


def test_fail_fast_stops_where_a_sequential_run_stops(export_xml: Path, tmp_path: Path) -> None:
    sequential = export(tmp_path, [export_xml], "ntriples", 1, "--fail-fast")
    assert sequential == export(tmp_path, [export_xml], "ntriples", 2, "--fail-fast")
    assert sequential[0].count(b"#sourcePosition>") == 5
    assert not list(tmp_path.rglob(".trialgraph-*"))  # the workers' spooled lines went with the run


def test_workers_must_be_positive(export_xml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(export_xml), "-j", "0", "-q"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [1, 3])
def test_no_statement_is_written_twice(fixtures: Path, tmp_path: Path, workers: int) -> None:
    """Shared nodes' descriptions, the run's provenance and what several records of one trial say of it are
    stated once per export, not once per record."""
    data, _ = export(tmp_path, [fixtures], "ntriples", workers, "--no-validate")
    statements = data.decode().splitlines()
    assert len(statements) == len(set(statements)) > 10000
    quads, _ = export(tmp_path, [fixtures], "nquads", workers, "--no-validate")
    lines = quads.decode().splitlines()
    assert len(lines) == len(set(lines))
    by_graph: dict[str, set[str]] = {}
    for line in lines:
        body, _, graph = line[:-2].rpartition(" ")
        by_graph.setdefault(body, set()).add(graph)
    country = "<http://localhost:8000/country/CN> <http://www.w3.org/2000/01/rdf-schema#label>"
    (graphs,) = [g for body, g in by_graph.items() if body.startswith(country)]
    assert graphs == {"<http://localhost:8000/graph/shared>"}  # one graph holds a shared node's description
