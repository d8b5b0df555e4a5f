"""Syncing with ICTRP exports: two exports of ours that differ by an added, a changed and a missing record."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from exporter.cli import main
from exporter.demo import demo_folder
from exporter.store import TrialStore
from exporter.sync import ChangeLog, sync_ictrp

from .conftest import DATA

WEEK_1, WEEK_2 = str(DATA / "ictrp-week-1.xml"), str(DATA / "ictrp-week-2.xml")
RECORD = "http://localhost:8000/record/ictrp/"
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture
def store(tmp_path: Path) -> TrialStore:
    return TrialStore(tmp_path / "store")


def record_graphs(store: TrialStore) -> set[str]:
    return {row[0].value for row in store.query(
        "SELECT DISTINCT ?g { GRAPH ?g { ?g a <https://w3id.org/trialgraph/ontology#SourceRecord> } }")}


def invalidation(store: TrialStore, record: str) -> tuple[str, str] | None:
    rows = list(store.query(f"SELECT ?when ?by {{ GRAPH <{record}> {{ <{record}> <{PROV}invalidatedAtTime> ?when ; "
                            f"<{PROV}wasInvalidatedBy> ?by }} }}"))
    return (rows[0][0].value, rows[0][1].value) if rows else None


def changes(store: TrialStore, sync: str) -> set[tuple[str, str]]:
    """The changes the feed lists for one sync: (activity type, trial id)."""
    return {(c["kind"].rsplit("#")[-1], c["trial"].rsplit("/")[-1])
            for c in ChangeLog(store, store.base).changes(0, 1000) if c["sync"] == sync}


def test_a_new_export_gives_exactly_its_differences(store: TrialStore, monkeypatch: pytest.MonkeyPatch) -> None:
    first = sync_ictrp(store, [WEEK_1])
    assert first.counts.line == "3 new, 0 changed, 0 withdrawn, 0 unchanged, 0 rejected"
    written: list[str] = []
    replace = store.replace_graph
    monkeypatch.setattr(store, "replace_graph", lambda name, *rest: (written.append(name), replace(name, *rest))[1])

    second = sync_ictrp(store, [WEEK_2])
    assert second.counts.line == "1 new, 1 changed, 1 withdrawn, 1 unchanged, 0 rejected"
    assert changes(store, second.sync) == {("Create", "ISRCTN91000004"), ("Update", "ISRCTN91000002"),
                                           ("Remove", "ISRCTN91000003")}
    assert RECORD + "ISRCTN91000001" not in written  # unchanged: not rewritten
    # The missing record is kept, marked withdrawn from its source by this sync.
    assert RECORD + "ISRCTN91000003" in record_graphs(store)
    marked = invalidation(store, RECORD + "ISRCTN91000003")
    assert marked is not None and marked[1] == second.sync
    status = store.query("SELECT ?s { <http://localhost:8000/trial/isrctn/ISRCTN91000002> "
                         "<https://w3id.org/trialgraph/ontology#recruitmentStatusAsRegistered> ?s }")
    assert [row[0].value for row in status] == ["Not recruiting"]

    # Nothing changed: nothing to do; the withdrawn record is not withdrawn again, the store not stamped.
    stamped: list[str] = []
    monkeypatch.setattr(store, "stamp", lambda base, statistics, modified=True: modified and stamped.append(base))
    third = sync_ictrp(store, [WEEK_2])
    assert stamped == []
    assert third.counts.line == "0 new, 0 changed, 0 withdrawn, 3 unchanged, 0 rejected"
    assert changes(store, third.sync) == set()

    # The withdrawn record comes back: its mark goes; the one the older export lacks is withdrawn.
    fourth = sync_ictrp(store, [WEEK_1])
    assert fourth.counts.line == "0 new, 2 changed, 1 withdrawn, 1 unchanged, 0 rejected"
    assert changes(store, fourth.sync) == {("Update", "ISRCTN91000002"), ("Update", "ISRCTN91000003"),
                                           ("Remove", "ISRCTN91000004")}
    assert invalidation(store, RECORD + "ISRCTN91000003") is None
    assert stamped == [store.base, store.base]  # after the loaded batch, and after the withdrawal


def test_remove_missing_drops_the_records_the_export_no_longer_holds(store: TrialStore) -> None:
    sync_ictrp(store, [WEEK_1])
    second = sync_ictrp(store, [WEEK_2], remove_missing=True)
    assert second.counts.line == "1 new, 1 changed, 1 withdrawn, 1 unchanged, 0 rejected"
    assert RECORD + "ISRCTN91000003" not in record_graphs(store)
    assert ("Delete", "ISRCTN91000003") in changes(store, second.sync)
    # Should it come back, it is new again.
    assert sync_ictrp(store, [WEEK_1]).counts.new == 1


def test_records_of_other_registers_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store"
    assert main(["load", str(demo_folder()), "--store", str(path), "-q"]) == 0
    store = TrialStore(path)
    before = record_graphs(store)
    outcome = sync_ictrp(store, [WEEK_1])
    assert outcome.notes == ["adopted the 6 records already in the store"]
    # The demo's ISRCTN record is of the export's register and not in it; its ChiCTR, EUCTR and
    # ClinicalTrials.gov records are not.
    assert outcome.counts.line == "3 new, 0 changed, 1 withdrawn, 0 unchanged, 0 rejected"
    assert record_graphs(store) == before | {RECORD + f"ISRCTN9100000{n}" for n in (1, 2, 3)}
    assert [record for record in before if invalidation(store, record)] == [RECORD + "ISRCTN90000002"]


def test_a_store_loaded_before_compares_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "store"
    assert main(["load", WEEK_1, "--store", str(path), "-q"]) == 0
    outcome = sync_ictrp(TrialStore(path), [WEEK_1])
    assert outcome.counts.line == "0 new, 0 changed, 0 withdrawn, 3 unchanged, 0 rejected"


def test_an_interrupted_sync_run_again_logs_each_change_once(store: TrialStore,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    sync_ictrp(store, [WEEK_1])
    # Interrupted after the records were loaded and logged, while marking the missing one.
    original = TrialStore.replace_graph

    def interrupted(self: TrialStore, name: str, *rest: str) -> object:
        if name == RECORD + "ISRCTN91000003":
            raise KeyboardInterrupt
        return original(self, name, *rest)

    monkeypatch.setattr(TrialStore, "replace_graph", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sync_ictrp(store, [WEEK_2])
    assert ChangeLog(store, store.base).count() == 3  # the feed shows the completed first sync only
    monkeypatch.setattr(TrialStore, "replace_graph", original)

    again = sync_ictrp(store, [WEEK_2])
    assert again.notes[0].startswith("continued the interrupted")
    assert again.counts.line == "1 new, 1 changed, 1 withdrawn, 1 unchanged, 0 rejected"
    assert changes(store, again.sync) == {("Create", "ISRCTN91000004"), ("Update", "ISRCTN91000002"),
                                          ("Remove", "ISRCTN91000003")}
    assert invalidation(store, RECORD + "ISRCTN91000003") is not None
    assert ChangeLog(store, store.base).count() == 6


def test_the_command_ends_with_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert main(["sync", "ictrp", WEEK_1, "--store", store]) == 0
    assert main(["sync", "ictrp", WEEK_2, "--store", store]) == 0
    assert "1 new, 1 changed, 1 withdrawn, 1 unchanged, 0 rejected" in capsys.readouterr().err.splitlines()[-1]
    assert main(["sync", "ictrp", str(tmp_path / "nowhere.xml"), "--store", store]) == 2


def test_a_literal_survives_the_round_trip_of_marking(store: TrialStore) -> None:
    """Marking a record withdrawn rewrites its graph: every statement of it is kept as it was."""
    sync_ictrp(store, [WEEK_1])
    record = RECORD + "ISRCTN91000003"
    before = set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(record)))
    sync_ictrp(store, [WEEK_2])
    after = set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(record)))
    assert before < after and {q.predicate.value for q in after - before} == {
        PROV + "invalidatedAtTime", PROV + "wasInvalidatedBy"}


def test_a_record_that_cannot_be_read_is_rejected_not_withdrawn(store: TrialStore, tmp_path: Path) -> None:
    sync_ictrp(store, [WEEK_1])
    broken = Path(WEEK_2).read_text(encoding="utf-8").replace(
        "<Date_registration>10/01/2020", "<Date_registration>31/02/2020", 1)  # in ISRCTN91000001, the first
    export = tmp_path / "week-2-broken.xml"
    export.write_text(broken, encoding="utf-8")
    outcome = sync_ictrp(store, [str(export)])
    assert outcome.counts.line == "1 new, 1 changed, 1 withdrawn, 0 unchanged, 1 rejected"
    [rejection] = outcome.rejections
    assert rejection.record_id == "ISRCTN91000001" and rejection.field == "date_registration"
    assert invalidation(store, RECORD + "ISRCTN91000001") is None and RECORD + "ISRCTN91000001" in record_graphs(store)
