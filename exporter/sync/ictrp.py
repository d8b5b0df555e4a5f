"""WHO ICTRP kept in sync: a new export compared with the store, record by record.

An export is a snapshot of the registers it covers, so a record of one of those registers
that the store holds and the export does not has been withdrawn from the source. It is kept,
marked in its own graph with ``prov:invalidatedAtTime`` and ``prov:wasInvalidatedBy`` (the
sync), unless ``remove_missing`` drops it. Records of registers the export does not cover
are left alone: an export of one register says nothing of the others. An interrupted sync
run again continues the same sync activity; what it already changed is found unchanged and
counted once.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from ..duplicates import latest_only
from ..mapping.vocab import DCT, PROV, TG, XSD
from ..store import META_GRAPH, StoreWriter, TrialStore
from .changelog import DELETE, REMOVE, Change, ChangeLog, Checkpoint, now, utc
from .compare import Outcome, RecordSync, adopt

SOURCE = "ictrp"
BATCH = 1000


def sync_ictrp(store: TrialStore, exports: list[str], base: str | None = None, remove_missing: bool = False) -> Outcome:
    """Bring the store's ICTRP records up to date with ``exports`` (XML or CSV files or folders)."""
    base = base or store.base
    log = ChangeLog(store, base)
    notes = [f"adopted the {n} records already in the store" for n in [adopt(store, log)] if n]
    writer, checkpoint = StoreWriter(store, base), log.checkpoint(SOURCE, "")
    if checkpoint is None:
        checkpoint = log.begin(SOURCE, "", now())
    else:
        notes.append(f"continued the interrupted {checkpoint.sync}")
    loader = RecordSync(store, log, checkpoint, base, writer)
    records = iter(latest_only(exports, loader.notes.append))
    while batch := list(islice(records, BATCH)):
        loader.load(batch)
        loader.commit()
    missing = _missing(store, loader, base, withdrawn_too=remove_missing)
    _withdraw(writer, log, checkpoint, missing, remove_missing, logged=loader.changed)
    if missing:
        writer.close()  # the dataset changed: the store stamped, VoID's dct:modified and counts follow
    loader.changed.update({name: DELETE if remove_missing else REMOVE for name in missing})
    counts = loader.counts()
    log.complete(checkpoint, counts, [_as_iri(path) for path in exports])
    return Outcome(counts, checkpoint.sync, loader.rejections, notes + loader.notes, writer.storing)


def _missing(store: TrialStore, loader: RecordSync, base: str, withdrawn_too: bool) -> list[str]:
    """The ICTRP records of the export's registers that the store holds and the export does not; those marked
    withdrawn already only if ``withdrawn_too``. A record the export holds but that could not be read is
    not missing: it is reported as rejected, and kept as it was."""
    if not loader.registries:
        return []
    registries = " ".join(f"<{iri}>" for iri in sorted(loader.registries))
    rows = store.oxigraph.query(
        f"SELECT DISTINCT ?g ?id {{ VALUES ?registry {{ {registries} }} GRAPH ?g {{ ?g <{TG.describes}> ?trial ; "
        f"<{TG.recordId}> ?id . "
        f"?trial <{TG.register}> ?registry }} FILTER(STRSTARTS(STR(?g), \"{base}record/ictrp/\")) "
        + ("" if withdrawn_too else f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?g <{PROV.invalidatedAtTime}> ?when }} }} ")
        + "}")
    return sorted(row[0].value for row in rows  # type: ignore[union-attr]
                  if row[0].value not in loader.present and row[1].value not in loader.unreadable)


def _withdraw(writer: StoreWriter, log: ChangeLog, checkpoint: Checkpoint, records: Iterable[str], remove: bool,
              logged: Container[str]) -> None:
    """Each record marked withdrawn in its graph, or removed. Its change is logged first (unless this sync, run
    before and interrupted, ``logged`` it already), so that an interruption in between leaves a logged change
    that the repeated sync carries out. The store's counts follow in ``writer``."""
    store, when = writer.store, now()
    for record in records:
        if record not in logged:
            facts = log.record_facts(record)
            change = Change(DELETE if remove else REMOVE, record, facts.get("trial", record), facts.get("id", record))
            log.record(checkpoint.sync, [change], {record: None} if remove else {}, when)
        if remove:
            writer.statistics.update(store.remove_graph(record, writer.base))
        else:
            writer.statistics.update(store.replace_graph(
                record, _marked(store, record, checkpoint.sync, utc(when)), _meta(store, record, utc(when)), writer.base))


def _marked(store: TrialStore, record: str, sync: str, when: str) -> str:
    """The record graph's statements, with the record invalidated by the sync."""
    statements = [f"{q.subject} {q.predicate} {q.object} .\n"
                  for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(record))]
    statements.append(f'<{record}> <{PROV.invalidatedAtTime}> "{when}"^^<{XSD.dateTime}> .\n')
    statements.append(f"<{record}> <{PROV.wasInvalidatedBy}> <{sync}> .\n")
    return "".join(statements)


def _meta(store: TrialStore, record: str, when: str) -> str:
    """The record graph's load metadata as it was, but for when it was last modified."""
    node, modified = ox.NamedNode(record), ox.NamedNode(DCT.modified)
    kept = [f"{q.subject} {q.predicate} {q.object} .\n"
            for q in store.oxigraph.quads_for_pattern(node, None, None, ox.NamedNode(META_GRAPH)) if q.predicate != modified]
    return "".join(kept) + f'<{record}> <{DCT.modified}> "{when}"^^<{XSD.dateTime}> .\n'


def _as_iri(path: str) -> str:
    """An export named as a ``file:`` IRI, so that the sync can say it used it."""
    return Path(path).resolve().as_uri()
