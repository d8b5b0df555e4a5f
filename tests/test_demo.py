"""The README's first command: the demo exports every format and loads the embedded store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph
import rdflib


def test_the_demo_exports_and_loads(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "exporter.cli", "demo", "--out", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "6 read, 6 exported, 0 rejected" in result.stdout
    for name in ("demo.ttl", "demo.jsonld", "demo.nt", "demo.nq"):
        assert f"{tmp_path / name}" in result.stdout
    graph = rdflib.Graph().parse(tmp_path / "demo.ttl")
    trials = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/trialgraph/ontology#Trial")))
    # Six records, four trials: the page and the CT.gov study are one trial, and so are EUCTR's two country records.
    assert len(trials) == 4
    store = pyoxigraph.Store.read_only(str(tmp_path / "store"))
    (row,) = store.query("SELECT (COUNT(DISTINCT ?t) AS ?n) { ?t a <https://w3id.org/trialgraph/ontology#Trial> }",
                         use_default_graph_as_union=True)
    assert int(row[0].value) == 4
    graphs = {quad.graph_name for quad in store.quads_for_pattern(None, None, None)}
    assert sum("/record/" in str(g) for g in graphs) == 6
