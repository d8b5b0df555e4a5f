"""Broken records are reported, naming the record and the field, and never cost the others."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyshacl
import pytest
import rdflib

from exporter.resources import ontology_file, shapes_file


def trialgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "exporter.cli", *args], capture_output=True, text=True, check=False)


@pytest.fixture()
def broken_batch(reference_text: Path, tmp_path: Path) -> Path:
    """The reference page three times: as it is, without its sponsor (a real trial, published with a warning),
    and with an impossible date."""
    page = reference_text.read_text(encoding="utf-8")
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "1-good.txt").write_text(page, encoding="utf-8")
    (folder / "2-no-sponsor.txt").write_text(
        page.replace("Primary sponsor: CSL Behring", "Primary sponsor:").replace("NCT04044690", "NCT00000002"),
        encoding="utf-8")
    (folder / "3-bad-date.txt").write_text(
        page.replace("Date of registration: 01/08/2019", "Date of registration: 31/02/2019")
        .replace("NCT04044690", "NCT00000003"), encoding="utf-8")
    return folder


def test_pyshacl_says_the_reference_export_conforms(reference_text: Path, tmp_path: Path) -> None:
    output = tmp_path / "reference.ttl"
    assert trialgraph("export", str(reference_text), "-o", str(output), "--no-validate", "-q").returncode == 0
    data = rdflib.Graph().parse(output)
    shapes = rdflib.Graph().parse(str(shapes_file()), format="turtle")
    ontology = rdflib.Graph().parse(str(ontology_file()), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, allow_warnings=True)
    assert conforms, text


def test_a_batch_exports_the_good_records_and_names_the_bad(broken_batch: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.nt"
    result = trialgraph("export", str(broken_batch), "-f", "ntriples", "-o", str(output), "-q")
    assert result.returncode == 1
    assert "3 read, 2 exported, 1 rejected" in result.stderr
    assert "NCT00000002: warning: <" in result.stderr and "primary sponsor: missing from this record" in result.stderr
    assert "NCT00000003 [date_registration]: no such date" in result.stderr
    exported = rdflib.Graph().parse(output, format="nt")
    ids = {str(o) for o in exported.objects(None, rdflib.DCTERMS.identifier)}
    assert ids == {"NCT04044690", "NCT00000002"}


def test_validate_reports_focus_node_path_and_message_as_json(broken_batch: Path) -> None:
    result = trialgraph("validate", str(broken_batch), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["conforms"], report["read"], report["exported"], report["rejected"]) == (False, 3, 2, 1)
    sponsor = next(w for w in report["warnings"] if w["record"] == "NCT00000002")
    assert sponsor["path"].endswith("#primarySponsor")
    assert sponsor["focus"].endswith("/trial/nct/NCT00000002")
    date = next(r for r in report["rejections"] if r["id"] == "NCT00000003")
    assert date["field"] == "date_registration" and "31/02/2019" in date["reason"]


def test_validate_exits_zero_when_everything_conforms(reference_text: Path) -> None:
    result = trialgraph("validate", str(reference_text))
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("1 read, 1 exported, 0 rejected")


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = trialgraph("export", str(tmp_path / "missing.xml"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"trialgraph: error: no such file or folder: {tmp_path / 'missing.xml'}"


def test_a_trial_registered_after_its_completion_is_published_with_a_warning(fixtures: Path, tmp_path: Path) -> None:
    """NCT05913115 was registered in 2023, five years after it was completed: odd, real, and published."""
    result = trialgraph("export", str(fixtures / "ctgov-json" / "dgg32_NCT05913115.json"), "-f", "ntriples",
                        "-o", str(tmp_path / "out.nt"), "-q")
    assert result.returncode == 0
    assert "1 read, 1 exported, 0 rejected" in result.stderr
    assert "NCT05913115: warning:" in result.stderr
    assert "dates: the trial was registered after its completion date" in result.stderr
