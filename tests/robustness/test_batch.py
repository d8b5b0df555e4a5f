"""Batch semantics: duplicates settled by the last refresh, the quarantine file, --fail-fast, exit codes,
atomic and reproducible output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .conftest import HOSTILE, SERIAL


def cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "exporter.cli", *args], input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})}, check=False)


def quarantined(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_newest_duplicate_wins_and_the_others_are_rejected(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "out.nt"
    run = trialgraph("export", str(HOSTILE / "xml-duplicates.xml"), "-f", "ntriples", "-o", str(output), "-q")
    assert (run.code, run.counts) == (1, (4, 2, 2))
    assert '"newer"' in output.read_text(encoding="utf-8")
    assert '"older"' not in output.read_text(encoding="utf-8")
    losers = quarantined(Path(f"{output}.rejected.jsonl"))
    assert [(r["position"], r["id"], r["field"]) for r in losers] == [(1, "NCT09000008", "last_refreshed"),
                                                                       (4, "NCT09000008", "last_refreshed")]
    assert all(str(r["reason"]).startswith("superseded by ") and "#3" in str(r["reason"]) for r in losers)
    assert "superseded by" in run.err


def test_on_a_tie_the_later_record_wins(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "out.nt"
    run = trialgraph("export", str(HOSTILE / "csv-duplicates.csv"), "-f", "ntriples", "-o", str(output), "-q")
    assert run.counts == (2, 1, 1)
    assert "second, same date: wins" in output.read_text(encoding="utf-8")


def test_duplicates_across_files_and_from_standard_input(tmp_path: Path) -> None:
    source = HOSTILE / "json-duplicates.ndjson"
    result = cli("export", "-", str(source), "-f", "ntriples", "-q", *SERIAL, stdin=source.read_bytes())
    assert result.returncode == 1, result.stderr
    assert b"4 read, 1 exported, 3 rejected" in result.stderr
    assert b"<stdin>#2 NCT09000038 [last_refreshed]: superseded by " in result.stderr
    assert result.stdout.count(b"publicTitle> \"newer\"") == 1


def test_quarantine_where_asked_and_none_beside_standard_output(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chosen = tmp_path / "elsewhere" / "q.jsonl"
    run = trialgraph("export", str(HOSTILE / "xml-no-id.xml"), "-q", "--quarantine", str(chosen))
    assert run.code == 1
    assert [r["position"] for r in quarantined(chosen)] == [2, 3]
    assert f"rejected records written to {chosen}" in run.err
    assert list(tmp_path.glob("*.rejected.jsonl")) == []


def test_a_stale_default_quarantine_file_is_removed(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "out.ttl"
    assert trialgraph("export", str(HOSTILE / "xml-no-id.xml"), "-o", str(output), "-q").code == 1
    assert Path(f"{output}.rejected.jsonl").exists()
    assert trialgraph("export", str(HOSTILE / "xml-bom-crlf.xml"), "-o", str(output), "-q").code == 0
    assert not Path(f"{output}.rejected.jsonl").exists()


def test_fail_fast_stops_at_the_first_rejection(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = trialgraph("export", str(HOSTILE / "csv-wrong-columns.csv"), "-o", str(tmp_path / "o.ttl"), "-q", "--fail-fast")
    assert (run.code, run.counts) == (1, (2, 1, 1))


@pytest.mark.parametrize("args, code", [
    (["export", str(HOSTILE / "xml-bom-crlf.xml"), "-q"], 0),
    (["export", str(HOSTILE / "xml-no-id.xml"), "-q"], 1),
    (["validate", str(HOSTILE / "xml-truncated.xml")], 1),
    (["export", str(HOSTILE / "no-such-file.xml")], 2),
    (["export", str(HOSTILE / "xml-bom-crlf.xml"), "--format", "no-such-format"], 2),
    (["export", str(HOSTILE / "xml-bom-crlf.xml"), "-o", "/proc/no/such/dir/out.ttl", "-q"], 2),
])
def test_exit_codes(args: list[str], code: int) -> None:
    result = cli(*args)
    assert result.returncode == code, result.stderr
    assert b"Traceback" not in result.stderr


def big_export(path: Path, records: int) -> Path:
    trial = ("<Trial><TrialID>NCT0{n:07d}</TrialID><Last_Refreshed_on>1 May 2024</Last_Refreshed_on>"
             "<Public_title>Trial {n}</Public_title><Primary_sponsor>Sponsor {n}</Primary_sponsor>"
             "<Date_registration3>20240102</Date_registration3><Condition>Condition {n}</Condition></Trial>\n")
    with path.open("w", encoding="utf-8") as stream:
        stream.write("<Trials_downloaded_from_ICTRP>\n")
        for n in range(1, records + 1):
            stream.write(trial.format(n=n))
        stream.write("</Trials_downloaded_from_ICTRP>\n")
    return path


def test_an_interrupted_run_leaves_no_file_under_the_final_name(tmp_path: Path) -> None:
    source = big_export(tmp_path / "big.xml", 20_000)
    output = tmp_path / "out" / "big.nt"
    process = subprocess.Popen([sys.executable, "-m", "exporter.cli", "export", str(source), "-f", "ntriples",
                                "-o", str(output), "--no-validate", "-q", *SERIAL], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 10_000 for p in output.parent.glob(".big.nt.*.partial")):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not output.exists()


def test_a_killed_parallel_export_leaves_no_worker_and_its_leftovers_go_at_the_next_run(tmp_path: Path) -> None:
    source = big_export(tmp_path / "big.xml", 40_000)
    output = tmp_path / "out" / "big.nt"
    process = subprocess.Popen([sys.executable, "-m", "exporter.cli", "export", str(source), "-f", "ntriples",
                                "-o", str(output), "--no-validate", "-q", "-j", "2"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (any(p.stat().st_size > 10_000 for p in output.parent.glob(".big.nt.*.partial"))
               and list(output.parent.glob(".trialgraph-spool-*"))):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    workers = psutil.Process(process.pid).children(recursive=True)
    assert len(workers) == 2
    process.send_signal(signal.SIGKILL)
    process.wait()
    gone, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive, "the workers died with their parent"
    assert not output.exists()

    again = cli("export", str(HOSTILE / "xml-bom-crlf.xml"), "-f", "ntriples", "-o", str(output), "-j", "2")
    assert again.returncode in (0, 1), again.stderr
    assert sorted(p.name for p in output.parent.iterdir()) == ["big.nt"], "the killed run's .partial and spool went"


def test_a_rerun_gives_byte_identical_output(tmp_path: Path) -> None:
    source = HOSTILE
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    outputs = []
    for run in ("a", "b"):
        output = tmp_path / f"{run}.ttl"
        assert cli("export", str(source), "-o", str(output), "-q", env=epoch).returncode == 1
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0]


def test_a_named_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/null`` or a FIFO: renaming a finished file over it would leave a plain file in its place."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    process = subprocess.Popen([sys.executable, "-m", "exporter.cli", "export", str(HOSTILE / "xml-duplicates.xml"),
                                "-f", "ntriples", "-o", str(pipe), "-q", *SERIAL], stderr=subprocess.DEVNULL)
    with pipe.open("rb") as reader:
        received = reader.read()
    process.wait(timeout=60)
    assert received and pipe.is_fifo()


def test_a_folders_files_that_hold_no_records_are_skipped_with_a_note(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A README beside the exports is no rejected record: the run says it skipped it, and exits 0."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "README.md").write_text("# Exports of March\n\nDownloaded from the search portal.\n", encoding="utf-8")
    (folder / "notes.txt").write_bytes(b"")
    (folder / "trials.xml").write_bytes((HOSTILE / "xml-duplicates.xml").read_bytes())
    run = trialgraph("validate", str(folder))
    assert run.code == 1 and run.counts[0] == 4  # the duplicates of the export, not the README, are rejected
    assert f"note {folder / 'README.md'}: skipped, not a format trialgraph reads" in run.out
    assert f"note {folder / 'notes.txt'}: skipped, the input is empty" in run.out
    assert "README.md#0" not in run.out


def test_a_folder_of_good_records_and_a_readme_exits_zero(trialgraph, reference_text: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "README.md").write_text("Pages saved from the portal.\n", encoding="utf-8")
    (folder / "page.txt").write_bytes(reference_text.read_bytes())
    run = trialgraph("validate", str(folder), "-q")
    assert (run.code, run.counts) == (0, (1, 1, 0))


def test_a_file_named_on_its_own_is_rejected_when_it_holds_no_records(trialgraph) -> None:  # type: ignore[no-untyped-def]
    run = trialgraph("validate", str(HOSTILE / "unknown-format.bin"), "--format", "json")
    report = json.loads(run.out)
    assert (run.code, report["read"], report["rejected"], report["by_source"]) == (1, 1, 1, {"unknown format": 1})


def test_counts_by_source_add_up_to_read_with_duplicates_and_rejections(trialgraph, fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    """Superseded copies and records rejected while read are counted under the source they came from."""
    run = trialgraph("validate", str(HOSTILE / "xml-duplicates.xml"), str(HOSTILE / "xml-no-id.xml"),
                     str(fixtures / "ictrp-xml"), "--format", "json")
    report = json.loads(run.out)
    assert report["rejected"] > 0
    assert sum(report["by_source"].values()) == report["read"]
    assert set(report["by_source"]) == {"ictrp-xml"}
