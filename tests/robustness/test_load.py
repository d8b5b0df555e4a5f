"""The hostile corpus through ``trialgraph load``: no traceback, counts that add up, exit 1, and
the store holding exactly the records exported."""

from __future__ import annotations

from pathlib import Path

from exporter.store import META_GRAPH, TrialStore
from exporter.store.store import ONTOLOGY_GRAPH

from .conftest import HOSTILE


def test_the_hostile_corpus_loads_and_adds_up(trialgraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    run = trialgraph("load", str(HOSTILE), "--store", str(store), "-q", "--quarantine", str(tmp_path / "q.jsonl"))
    read, exported, rejected = run.counts
    assert read == exported + rejected and exported > 0 and rejected > 0
    assert run.code == 1
    assert "Traceback" not in run.out + run.err
    graphs = {g.value for g in TrialStore(store, read_only=True).oxigraph.named_graphs()} - {META_GRAPH, ONTOLOGY_GRAPH}
    assert len(graphs) == exported
    assert len((tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()) >= rejected
