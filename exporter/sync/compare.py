"""Records compared with the store by content, and only the ones that differ loaded.

A record's content is its mapped statements without the provenance of the run that made
them (when, by which version, from which file or page), which differs at every run while
the record does not. The digest of that content is kept in the change log; a record whose
digest is unchanged is neither validated nor rewritten, so a sync that finds 1% changed
writes 1% of the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..mapping.terms import IRI, XSD_STRING, Literal, RecordGraph, Term
from ..mapping.vocab import PROV, TG
from ..pipeline import Options, Pipeline
from ..record import Rejected, Trial
from ..store import StoreWriter, TrialStore
from .changelog import CREATE, DELETE, REMOVE, UPDATE, Change, ChangeLog, Checkpoint, Counts

RUN_PROVENANCE = frozenset({
    TG.source, TG.sourcePosition, TG.retrievedAt, TG.exporterVersion, PROV.wasDerivedFrom, PROV.generatedAtTime,
    PROV.wasGeneratedBy, PROV.invalidatedAtTime, PROV.wasInvalidatedBy,
})
"""What the record says of the run that read it, not of the trial: left out of its content."""


def content_digest(graph: RecordGraph) -> str:
    """SHA-256 of the record's statements but its run's provenance, each once, in a canonical order: the sorted
    ``repr`` of the mapper's terms, which are plain strings and tuples, formatted in C."""
    runs = {o for s, p, o in graph.triples if s == graph.name and p == PROV.wasGeneratedBy}
    agents = {o for s, p, o in graph.triples if s in runs and p == PROV.wasAssociatedWith}
    kept = [t for t in graph.triples
            if t[0] not in runs and t[0] not in agents and not (t[0] == graph.name and t[1] in RUN_PROVENANCE)]
    return hashlib.sha256("\n".join(sorted(map(repr, set(kept)))).encode()).hexdigest()


def stored_graph(store: TrialStore, name: str) -> RecordGraph:
    """A record graph as the store holds it, in the mapper's terms."""
    def term(node: ox.NamedNode | ox.Literal) -> Term:
        if isinstance(node, ox.Literal):  # a language-tagged string is typed xsd:string by the mapper
            return Literal(node.value, XSD_STRING if node.language else node.datatype.value, node.language)
        return IRI(node.value)

    quads = store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name))
    return RecordGraph(IRI(name), IRI(""), [(IRI(q.subject.value), IRI(q.predicate.value), term(q.object)) for q in quads])


def adopt(store: TrialStore, log: ChangeLog) -> int:
    """Log the digest of every record graph of a store that was loaded without a sync, so that its first sync
    compares with it instead of calling every record new. Returns how many were adopted."""
    if log.has_digests() or log.in_progress():
        return 0
    records = [row[0].value for row in store.oxigraph.query(  # type: ignore[union-attr]
        f"SELECT DISTINCT ?g {{ GRAPH ?g {{ ?g a <{TG.SourceRecord}> }} }}")]
    for start in range(0, len(records), 1000):
        batch = records[start:start + 1000]
        log.record("", [], {name: content_digest(stored_graph(store, name)) for name in batch})
    return len(records)


@dataclass
class Outcome:
    """What a sync did: its counts, the records it rejected, notes, and the activity that recorded it."""

    counts: Counts
    sync: str
    rejections: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    writing: float = 0.0  # seconds spent writing record graphs into the store, apart from reading and comparing


@dataclass
class RecordSync:
    """One sync's comparing and loading, batch by batch; what it found is counted as it goes.

    Batches are loaded, then committed: written, and their changes and digests logged in one
    transaction. A sync interrupted in between finds those records again with their old digest
    and loads and logs them again, the same change under the same name.
    """

    store: TrialStore
    log: ChangeLog
    checkpoint: Checkpoint
    base: str
    writer: StoreWriter  # made before the sync began, so that a first sync into an empty store is bulk loaded
    unchanged: int = 0
    rejections: list[Rejected] = field(default_factory=list)
    rejected: int = 0
    notes: list[str] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # every record read, loaded or not
    unreadable: set[str] = field(default_factory=set)  # the ids of records rejected as they were read
    registries: set[str] = field(default_factory=set)  # the registers of the records read

    def __post_init__(self) -> None:
        self.pipeline = Pipeline(Options(self.base))
        self.iris = self.pipeline.mapper.iris
        self.digests = self.log.digests()
        self.changed = self.log.changed_in(self.checkpoint.sync)
        self.withdrawn = {row[0].value for row in self.store.oxigraph.query(  # type: ignore[union-attr]
            f"SELECT ?g {{ GRAPH ?g {{ ?g <{PROV.invalidatedAtTime}> ?t }} }}")}
        self._changes: list[Change] = []
        self._digests: dict[str, str] = {}

    def load(self, records: Iterable[Trial | Rejected]) -> None:
        """Compare a batch and load what differs; :meth:`commit` logs it."""
        summary = self.pipeline.run(self._differing(records), self)
        self.rejected += summary.rejected
        self.rejections += summary.rejections

    def commit(self) -> None:
        """What the batches since the last commit wrote made durable, then logged with their digests."""
        if self._digests:  # something was written: the bulk loader's last graphs written, the store stamped
            self.writer.close()
        self.log.record(self.checkpoint.sync, self._changes, self._digests)
        for change in self._changes:
            self.changed[change.record] = change.kind
        self.digests.update(self._digests)
        self.withdrawn -= set(self._digests)
        self._changes, self._digests = [], {}

    def _differing(self, records: Iterable[Trial | Rejected]) -> Iterator[Trial | Rejected]:
        """The records that are new or differ from the store (and the rejected, to be counted); the others
        are only counted, unless this sync already changed them before an interruption."""
        for item in records:
            if isinstance(item, Rejected) and item.record_id:
                self.unreadable.add(item.record_id)
            elif isinstance(item, Trial):
                name = self.iris.record(item)
                self.present.add(name)
                if item.register:
                    self.registries.add(self.iris.registry(item.trial_id.scheme, item.register))
                known = self.digests.get(name)
                if known is not None and name not in self.withdrawn \
                        and content_digest(self.pipeline.mapper.map(item)) == known:
                    self.unchanged += name not in self.changed
                    continue
            yield item

    def write(self, graph: RecordGraph) -> None:
        """A differing record that passed validation: loaded, and its change kept for the batch's log."""
        self.writer.write(graph)
        self._digests[graph.name] = content_digest(graph)
        if graph.name not in self.changed:
            kind = UPDATE if graph.name in self.digests else CREATE
            self._changes.append(Change(kind, graph.name, graph.trial, graph.label))

    def counts(self) -> Counts:
        """The sync's counts so far: its logged changes (an interrupted run's too) and what it found unchanged
        or rejected."""
        kinds = list(self.changed.values())
        return Counts(kinds.count(CREATE), kinds.count(UPDATE), kinds.count(REMOVE) + kinds.count(DELETE),
                      self.unchanged, self.rejected)

    def close(self) -> None:
        """Nothing: each batch is committed by :meth:`load`."""
