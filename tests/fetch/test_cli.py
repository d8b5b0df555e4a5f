"""``trialgraph fetch`` and ``--fetch``, against a real HTTP server on 127.0.0.1 playing recorded replies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from exporter.cli import main

from .conftest import Reply, Server

STUDY, STUDY_ID = "dgg32_NCT05923112.json", "NCT05923112"
PAGE = "biomcp_search_keytruda_limit3_20260811.json"
NOT_FOUND = "dismech_not_found_Trial2_TAIL.html"


def recorded(fixtures: Path, name: str) -> bytes:
    folder = "ictrp-html" if name.endswith(".html") else "ctgov-json"
    return (fixtures / folder / name).read_bytes()


def test_fetch_saves_studies_as_sent_and_they_export(server: Server, fixtures: Path, tmp_path: Path) -> None:
    server.routes[f"/api/v2/studies/{STUDY_ID}"] = [Reply(body=recorded(fixtures, STUDY), headers={"ETag": '"v1"'})]
    folder = tmp_path / "fetched"
    arguments = ["fetch", "ctgov", STUDY_ID, "-o", str(folder), "--ctgov-api", server.url + "/api/v2",
                 "--cache", str(tmp_path / "cache")]
    assert main(arguments) == 0
    assert (folder / f"{STUDY_ID}.json").read_bytes() == recorded(fixtures, STUDY)
    assert main(arguments) == 0  # the second run revalidates: the server is asked with the ETag
    assert server.seen[-1].headers.get("If-None-Match") == '"v1"'
    assert main(["export", str(folder), "-o", str(tmp_path / "out.ttl"), "-q"]) == 0


def test_an_unknown_study_is_one_failure_and_the_others_are_saved(server: Server, fixtures: Path,
                                                                  tmp_path: Path) -> None:
    server.routes[f"/api/v2/studies/{STUDY_ID}"] = [Reply(body=recorded(fixtures, STUDY))]
    folder = tmp_path / "fetched"
    status = main(["fetch", "ctgov", "NCT00000000", STUDY_ID, "-o", str(folder), "--no-cache",
                   "--ctgov-api", server.url + "/api/v2"])
    assert status == 1
    assert [p.name for p in folder.iterdir()] == [f"{STUDY_ID}.json"]


def test_a_search_is_saved_page_by_page(server: Server, fixtures: Path, tmp_path: Path) -> None:
    page = json.loads(recorded(fixtures, PAGE))
    last = dict(page, nextPageToken=None)
    server.routes["/api/v2/studies"] = [Reply(body=json.dumps(page).encode()), Reply(body=json.dumps(last).encode())]
    folder = tmp_path / "search"
    assert main(["fetch", "ctgov", "--query", "keytruda", "--max", "5", "-o", str(folder), "--no-cache",
                 "--ctgov-api", server.url + "/api/v2"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["search-page-0001.json", "search-page-0002.json"]
    assert "pageToken=" in server.seen[1].path


def test_export_fetches_and_names_the_url_and_time_in_the_provenance(server: Server, fixtures: Path,
                                                                     tmp_path: Path) -> None:
    server.routes[f"/api/v2/studies/{STUDY_ID}"] = [Reply(body=recorded(fixtures, STUDY))]
    output = tmp_path / "fetched.ttl"
    assert main(["export", "--fetch", f"ctgov:{STUDY_ID}", "-o", str(output), "-q", "--no-cache",
                 "--ctgov-api", server.url + "/api/v2"]) == 0
    graph = rdflib.Graph().parse(output)
    tg, prov = rdflib.Namespace("https://w3id.org/trialgraph/ontology#"), rdflib.Namespace("http://www.w3.org/ns/prov#")
    record = next(graph.subjects(tg.sourceFormat, rdflib.Literal("ctgov-json")))
    url = f"{server.url}/api/v2/studies/{STUDY_ID}"
    assert str(graph.value(record, tg.source)) == url
    assert (record, prov.wasDerivedFrom, rdflib.URIRef(url)) in graph
    assert graph.value(record, tg.retrievedAt).datatype == rdflib.XSD.dateTime


def test_an_ictrp_id_it_does_not_know_is_no_such_trial(server: Server, fixtures: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    server.routes["/Trial2.aspx"] = [Reply(body=recorded(fixtures, NOT_FOUND))]
    status = main(["export", "--fetch", "ictrp:ChiCTR-2100045397", "-o", str(tmp_path / "out.ttl"), "-q",
                   "--no-cache", "--ictrp-url", server.url])
    assert status == 1
    assert "no such trial" in capsys.readouterr().err


@pytest.mark.parametrize("arguments, message", [
    (["fetch", "ictrp", "--query", "x"], "--query searches ClinicalTrials.gov only"),
    (["fetch", "ctgov"], "name the trial ids to fetch, or a --query"),
    (["export", "--fetch", "pubmed:1"], "not a fetch specification"),
    (["export"], "nothing to read"),
])
def test_usage_errors(arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(arguments + ["--no-cache"]) == 2
    assert message in capsys.readouterr().err
