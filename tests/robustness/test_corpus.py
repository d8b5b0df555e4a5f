"""Every hostile file and every real fixture goes through ``export`` and ``validate``: no traceback,
counts that add up, every rejected record in the quarantine file, every IRI a valid IRI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
import rfc3987

from .conftest import HOSTILE, hostile_files


def inputs(fixtures_folder: Path | None) -> list[Path]:
    return hostile_files() + (sorted(p for p in fixtures_folder.rglob("*") if p.suffix != ".md" and p.is_file())
                              if fixtures_folder else [])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "hostile" in metafunc.fixturenames:
        metafunc.parametrize("hostile", hostile_files(), ids=lambda p: p.name)


def check_export(trialgraph, source: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / f"{source.name}.nt"
    run = trialgraph("export", str(source), "-f", "ntriples", "-o", str(output), "-q")
    read, exported, rejected = run.counts
    assert read == exported + rejected
    assert run.code == (0 if rejected == 0 else 1)
    graph = rdflib.Graph().parse(output, format="nt")
    subjects = {s for s in graph.subjects(rdflib.RDF.type, None)}
    assert bool(exported) == bool(subjects)
    for term in {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}:
        rfc3987.parse(str(term), rule="IRI")
    quarantine = Path(f"{output}.rejected.jsonl")
    if rejected:
        lines = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
        assert {(r["source"], r["position"]) for r in lines} and len({(r["source"], r["position"]) for r in lines}) == rejected
        assert all(set(r) == {"source", "position", "id", "field", "reason"} and r["reason"] for r in lines)
        assert f"rejected records written to {quarantine}" in run.err
    else:
        assert not quarantine.exists()


def test_hostile_file_exports(trialgraph, hostile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    check_export(trialgraph, hostile, tmp_path)


def test_hostile_file_validates(trialgraph, hostile: Path) -> None:  # type: ignore[no-untyped-def]
    run = trialgraph("validate", str(hostile), "--format", "json")
    report = json.loads(run.out)
    assert report["read"] == report["exported"] + report["rejected"]
    assert run.code == (0 if report["conforms"] else 1)


def test_every_fixture_exports_with_valid_iris(trialgraph, fixtures: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for source in sorted(p for p in fixtures.rglob("*") if p.is_file() and p.suffix != ".md"):
        check_export(trialgraph, source, tmp_path)


def test_the_whole_corpus_in_one_run_adds_up(trialgraph, fixtures: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = trialgraph("validate", str(HOSTILE), str(fixtures), "-q", "--quarantine", str(tmp_path / "q.jsonl"))
    read, exported, rejected = run.counts
    assert read == exported + rejected and exported > 0 and rejected > 0
    assert "Traceback" not in run.out + run.err


def test_external_entities_are_not_read(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "xxe.nt"
    assert trialgraph("export", str(HOSTILE / "xml-xxe.xml"), "-f", "ntriples", "-o", str(output), "-q").code == 0
    exported = output.read_text(encoding="utf-8")
    assert "leak:  end" in exported or "leak: end" in exported
    assert "root:" not in exported


def test_a_billion_laughs_is_one_rejected_record(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = trialgraph("export", str(HOSTILE / "xml-billion-laughs.xml"), "-o", str(tmp_path / "out.ttl"), "-q")
    assert run.counts == (1, 0, 1)
    assert "lollol" not in (tmp_path / "out.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, title", [
    ("xml-cp1252-undeclared.xml", "Café – “quoted” €"),
    ("csv-cp1252.csv", "Café – €"),
    ("json-cp1252.json", "Café – €"),
    ("text-cp1252-crlf.txt", "“Quoted” title"),
])
def test_windows_1252_files_are_read_and_the_run_says_so(trialgraph, tmp_path: Path, name: str, title: str) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "out.nt"
    run = trialgraph("export", str(HOSTILE / name), "-f", "ntriples", "-o", str(output), "-q")
    assert run.code == 0
    assert f'"{title}"' in output.read_text(encoding="utf-8")
    assert "were not UTF-8 and were read as Windows-1252" in run.err


@pytest.mark.parametrize("name, titles", [
    ("csv-latin1-mixed.csv", {"über utf-8 日本", "über latin-1"}),  # UTF-8 and Latin-1 rows in one file
    ("xml-latin1-declared.xml", {"Genève, Åland"}),  # a declared encoding is honoured, no note
    ("xml-bom-crlf.xml", {"Über 日本"}),
    ("json-bom-crlf.json", {"BOM é"}),
])
def test_mixed_declared_and_bom_files_keep_their_text(trialgraph, tmp_path: Path, name: str, titles: set[str]) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "out.nt"
    run = trialgraph("export", str(HOSTILE / name), "-f", "ntriples", "-o", str(output), "-q")
    graph = rdflib.Graph().parse(output, format="nt")
    found = {str(o) for o in graph.objects(None, rdflib.URIRef("https://w3id.org/trialgraph/ontology#publicTitle"))}
    assert found == titles
    assert ("read as Windows-1252" in run.err) == name.startswith("csv-latin1")


def test_a_huge_text_node_is_exported(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """libxml2 refuses text nodes over 10 MB unless told otherwise; registry results summaries can be that long."""
    title = "x" * (24 * 1024 * 1024)
    source = tmp_path / "huge.xml"
    source.write_text(f"<Trials_downloaded_from_ICTRP><Trial><TrialID>NCT09000090</TrialID><Public_title>{title}"
                      "</Public_title><Primary_sponsor>S</Primary_sponsor></Trial></Trials_downloaded_from_ICTRP>")
    output = tmp_path / "huge.nt"
    run = trialgraph("export", str(source), "-f", "ntriples", "-o", str(output), "-q", "--no-validate")
    assert run.counts == (1, 1, 0)
    assert output.stat().st_size > len(title)
