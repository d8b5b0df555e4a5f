"""A user's own shapes: added to ours on the command line, and any graph validated from Python."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from conftest import DATA

from exporter.validation import Finding, ShapesError, shapes_with, validate

SHAPES = DATA / "shapes"
SH = "http://www.w3.org/ns/shacl#"


def trialgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "exporter.cli", *args], capture_output=True, text=True, check=False)


def reported(findings: list[Finding]) -> Counter[tuple[str | None, ...]]:
    return Counter((f.focus if not f.focus.startswith("_:") else "_:", f.path, f.component, f.severity, f.message,
                    f.value if f.value is None or not f.value.startswith("_:") else "_:", f.shape) for f in findings)


def test_any_graph_with_blank_nodes_against_any_shapes() -> None:
    report = validate(SHAPES / "people.ttl", SHAPES / "people-shapes.ttl")
    assert not report.conforms
    found = {(f.focus.rsplit("/", 1)[-1], f.component.removeprefix(SH)) for f in report.findings}
    assert found == {
        ("alice", "LessThanConstraintComponent"),  # born after she died
        ("alice", "NodeKindConstraintComponent"),  # known by a blank node
        ("bob", "UniqueLangConstraintComponent"),  # two English names
        ("bob", "NodeConstraintComponent"),  # an address without a city, with a five-digit zip
    }
    known_by = next(f for f in report.findings if f.component == SH + "NodeKindConstraintComponent")
    assert known_by.value.startswith("_:") and known_by.path == "^<http://example.org/knows>"


def test_the_python_entry_point_agrees_with_pyshacl() -> None:
    data = rdflib.Graph().parse(SHAPES / "people.ttl")
    shapes = rdflib.Graph().parse(SHAPES / "people-shapes.ttl")
    compiled = validate(data, shapes)
    assert reported(compiled.findings) == reported(validate(data, shapes, validator="pyshacl").findings)
    assert len(compiled.violations) == 4


def test_a_closed_shape_names_the_property_it_does_not_allow(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text('@prefix ex: <http://example.org/> . ex:p a ex:Person ; ex:name "P" ; '
                    'ex:address [ ex:city "Nice" ; ex:country "FR" ] .', encoding="utf-8")
    (finding,) = validate(data, SHAPES / "people-shapes.ttl").findings
    assert finding.component == SH + "NodeConstraintComponent"
    targeted = rdflib.Graph().parse(SHAPES / "people-shapes.ttl")
    targeted.add((rdflib.URIRef("http://example.org/AddressShape"), rdflib.SH.targetSubjectsOf,
                  rdflib.URIRef("http://example.org/city")))
    (closed,) = [f for f in validate(data, targeted).findings if f.component == SH + "ClosedConstraintComponent"]
    assert (closed.path, closed.value, closed.focus[:2]) == ("http://example.org/country", "FR", "_:")


def test_our_shapes_are_the_default(reference_text: Path, tmp_path: Path) -> None:
    output = tmp_path / "reference.ttl"
    assert trialgraph("export", str(reference_text), "-o", str(output), "-q").returncode == 0
    report = validate(output)
    assert report.conforms and not report.violations


def test_export_with_a_profile_rejects_what_it_forbids(reference_text: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.nt"
    result = trialgraph("export", str(reference_text), "-f", "ntriples", "-o", str(output), "-q",
                        "--shapes", str(SHAPES / "profile.ttl"))
    assert result.returncode == 1, result.stderr
    assert "1 read, 0 exported, 1 rejected" in result.stderr
    assert "NCT04044690 [publicTitle]: public title: at most 100 characters in this profile" in result.stderr


def test_validate_and_load_take_the_profile_too(reference_text: Path, tmp_path: Path) -> None:
    result = trialgraph("validate", str(reference_text), "--format", "json", "--shapes", str(SHAPES / "profile.ttl"))
    assert result.returncode == 1
    assert '"rejected": 1' in result.stdout
    loaded = trialgraph("load", str(reference_text), "--store", str(tmp_path / "store"), "-q",
                        "--shapes", str(SHAPES / "profile.ttl"))
    assert loaded.returncode == 1 and "1 rejected" in loaded.stderr


@pytest.mark.parametrize(("content", "problem"), [
    ("ex:S sh:targetClass ex:T .", "not readable RDF: at line 1"),
    ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> . "
     'ex:S sh:targetClass ex:T ; sh:sparql [ sh:select "SELECT $this {}" ] .', "cannot be compiled: sh:sparql"),
    ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> . "
     'ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .',
     "cannot be compiled: sh:minCount"),
])
def test_a_bad_shapes_file_is_one_line_naming_it(content: str, problem: str, reference_text: Path,
                                                 tmp_path: Path) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(content, encoding="utf-8")
    result = trialgraph("export", str(reference_text), "-q", "--shapes", str(shapes))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"trialgraph: error: shapes {shapes}: {problem}"), line
    with pytest.raises(ShapesError, match=problem):
        shapes_with((str(shapes),))
    with pytest.raises(ShapesError, match=f"shapes {shapes}: {problem}"):
        validate(SHAPES / "people.ttl", shapes)


def test_a_missing_shapes_file(reference_text: Path, tmp_path: Path) -> None:
    result = trialgraph("validate", str(reference_text), "--shapes", str(tmp_path / "none.ttl"))
    assert (result.returncode, result.stderr.strip()) == (
        2, f"trialgraph: error: shapes {tmp_path / 'none.ttl'}: No such file or directory")
