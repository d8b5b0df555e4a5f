"""The change log: what each sync changed, kept in the store's graph ``urn:trialgraph:changes``.

Everything a sync needs to be repeated safely lives here, beside the record graphs it
changes: each record's content digest (to tell a changed record from an unchanged one
without rewriting it), the sync in progress (so that an interrupted one resumes as the
same activity), each change as an Activity Streams 2.0 activity, and each completed sync
as a PROV activity with its watermark. Only this graph is written here; record graphs go
through the store's own write methods.

A change is named by its sync and its record (``{sync}/ctgov/NCT…``), so writing it again
after an interruption is the same statement, never a second change.

The log's public statements (syncs, changes, trials' last changes) are also written into the
default graph, the merge that queries and pages read, as every data graph's statements are;
digests and checkpoints stay in the log's graph only. No record states any of them, so the
merge of the records is not touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from ..mapping.vocab import AS, PROV, RDFS, TG, XSD
from ..store import TrialStore
from ..store.store import Statistics

CHANGES_GRAPH = "urn:trialgraph:changes"
DIGEST = "urn:trialgraph:contentDigest"
"""A record graph's digest of content (:func:`exporter.sync.compare.content_digest`), store-internal."""
CHECKPOINT = "urn:trialgraph:checkpoint"
"""The sync in progress of one source and query, as JSON, on a state node of its own; store-internal."""

CREATE, UPDATE, REMOVE, DELETE = "Create", "Update", "Remove", "Delete"
"""The Activity Streams 2.0 activities a record's change is (docs/sync.md says why these)."""
_VERBS = {CREATE: "created", UPDATE: "updated", REMOVE: "withdrawn from the source", DELETE: "deleted"}
SOURCE_NAMES = {"ctgov": "ClinicalTrials.gov", "ictrp": "WHO ICTRP"}


def _in_log_and_merge(statements: str) -> str:
    """``INSERT DATA`` content putting ``statements`` in the log's graph and in the default graph."""
    return f"GRAPH <{CHANGES_GRAPH}> {{\n{statements}}}\n{statements}"


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def _string(value: str) -> str:
    return str(ox.Literal(value))


def utc(when: datetime) -> str:
    """A time as the feed and the labels write it: UTC, to the second, with ``Z``."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(value: datetime | str) -> str:
    return f'"{value if isinstance(value, str) else utc(value)}"^^<{XSD.dateTime}>'


@dataclass(frozen=True)
class Change:
    """One record's change in one sync."""

    kind: str  # CREATE, UPDATE, REMOVE or DELETE
    record: str  # the record's named graph
    trial: str
    trial_id: str


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    rejected: int = 0

    @property
    def line(self) -> str:
        return (f"{self.new} new, {self.changed} changed, {self.withdrawn} withdrawn, {self.unchanged} unchanged, "
                f"{self.rejected} rejected")


@dataclass
class Checkpoint:
    """A sync under way: what it is, and for a paged source how far it got. Saved after each committed batch."""

    sync: str  # the sync activity's IRI
    source: str  # "ctgov" or "ictrp"
    key: str  # what this source's syncs are kept apart by: the query for ClinicalTrials.gov
    started: str
    since: str | None = None  # ClinicalTrials.gov: the LastUpdatePostDate asked from (None: everything)
    watermark: str | None = None  # ClinicalTrials.gov: where the next sync starts once this one completes
    page_token: str | None = None  # the next page to ask for
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # unchanged and rejected in the committed pages

    @property
    def node(self) -> str:
        return state_node(self.source, self.key)


def state_node(source: str, key: str) -> str:
    return f"urn:trialgraph:sync-state:{source}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


class ChangeLog:
    """Reads and writes the change log of one store whose records were minted under ``base``."""

    def __init__(self, store: TrialStore, base: str) -> None:
        self.store = store
        self.base = base

    def _select(self, sparql: str) -> list[list]:
        return [list(row) for row in self.store.oxigraph.query(sparql)]  # type: ignore[union-attr]

    def _update(self, sparql: str, merged: str = "", change: Statistics | None = None) -> None:
        """Run ``sparql``, which puts the ``merged`` statements (Turtle) in the default graph too, and count
        those of them it adds there (and ``change``, what else it did there), as loads count theirs."""
        triples = dict.fromkeys(q.triple for q in ox.parse(merged.encode(), format=ox.RdfFormat.TURTLE))
        counts = Statistics.of([t for t in triples if not self.store.in_default(t)], self.base)
        self.store.oxigraph.update(sparql)
        counts.update(change or {})
        if any(counts.values()):
            self.store.adjust(counts, self.base)

    # -- what the log knows --------------------------------------------------------------------

    def digests(self) -> dict[str, str]:
        rows = self._select(f"SELECT ?r ?d {{ GRAPH <{CHANGES_GRAPH}> {{ ?r <{DIGEST}> ?d }} }}")
        return {r.value: d.value for r, d in rows}

    def has_digests(self) -> bool:
        return bool(self._select(f"SELECT ?r {{ GRAPH <{CHANGES_GRAPH}> {{ ?r <{DIGEST}> ?d }} }} LIMIT 1"))

    def checkpoint(self, source: str, key: str) -> Checkpoint | None:
        rows = self._select(f"SELECT ?j {{ GRAPH <{CHANGES_GRAPH}> {{ <{state_node(source, key)}> <{CHECKPOINT}> ?j }} }}")
        return Checkpoint(**json.loads(rows[0][0].value)) if rows else None

    def in_progress(self) -> bool:
        return bool(self._select(f"SELECT ?s {{ GRAPH <{CHANGES_GRAPH}> {{ ?s <{CHECKPOINT}> ?j }} }} LIMIT 1"))

    def watermark(self, key: str) -> str | None:
        """Where the last completed ClinicalTrials.gov sync of this query says the next one starts."""
        rows = self._select(
            f"SELECT ?w {{ GRAPH <{CHANGES_GRAPH}> {{ ?s a <{TG.Sync}> ; <{TG.syncQuery}> {_string(key)} ; "
            f"<{TG.watermark}> ?w ; <{PROV.endedAtTime}> ?end }} }} ORDER BY DESC(?end) DESC(?w) LIMIT 1")
        return rows[0][0].value if rows else None

    def changed_in(self, sync: str) -> dict[str, str]:
        """The records this sync has already logged a change of, and which."""
        rows = self._select(f"SELECT ?r ?kind {{ GRAPH <{CHANGES_GRAPH}> {{ ?c <{AS.context}> <{sync}> ; "
                            f"<{AS.result}> ?r ; a ?kind }} }}")
        return {r.value: kind.value.removeprefix(AS.iri) for r, kind in rows}

    # -- writing the log ---------------------------------------------------------------------

    def begin(self, source: str, key: str, started: datetime, **state: object) -> Checkpoint:
        """A new sync: its activity named and started, its checkpoint saved."""
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        sync, number = f"{self.base}sync/{source}/{stamp}", 1
        while self._select(f"SELECT ?p {{ GRAPH <{CHANGES_GRAPH}> {{ <{sync}> ?p ?o }} }} LIMIT 1"):
            number += 1
            sync = f"{self.base}sync/{source}/{stamp}-{number}"
        checkpoint = Checkpoint(sync, source, key, utc(started), **state)  # type: ignore[arg-type]
        label = f"sync from {SOURCE_NAMES[source]}, started {checkpoint.started}"
        query = f"<{sync}> <{TG.syncQuery}> {_string(key)} .\n" if source == "ctgov" else ""
        activity = (f"<{sync}> a <{PROV.Activity}>, <{TG.Sync}> ; <{RDFS.label}> {_string(label)} ; "
                    f"<{PROV.startedAtTime}> {_time(checkpoint.started)} .\n{query}")
        self._update(f"INSERT DATA {{ {_in_log_and_merge(activity)} }}", activity)
        self.save(checkpoint)
        return checkpoint

    def save(self, checkpoint: Checkpoint) -> None:
        node = f"<{checkpoint.node}>"
        self._update(
            f"DELETE WHERE {{ GRAPH <{CHANGES_GRAPH}> {{ {node} <{CHECKPOINT}> ?j }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{CHANGES_GRAPH}> {{ {node} <{CHECKPOINT}> {_string(json.dumps(asdict(checkpoint)))} }} }}")

    def record(self, sync: str, changes: Iterable[Change], digests: Mapping[str, str | None],
               when: datetime | None = None) -> None:
        """Log changes and set (or, for ``None``, forget) records' digests, in one transaction."""
        changes, when = list(changes), when or now()
        if not changes and not digests:
            return
        statements = []
        for change in changes:
            entry = self.change_iri(sync, change.record)
            label = f"{change.trial_id} {_VERBS[change.kind]} {utc(when)}"
            statements.append(
                f"<{entry}> a <{AS[change.kind]}> ; <{AS.object}> {_iri(change.trial)} ; "
                f"<{AS.result}> {_iri(change.record)} ; <{AS.published}> {_time(when)} ; <{AS.context}> <{sync}> ; "
                f"<{RDFS.label}> {_string(label)} .\n"
                f"<{sync}> <{PROV.invalidated if change.kind in (REMOVE, DELETE) else PROV.generated}> "
                f"{_iri(change.record)} .\n")
        kept = "".join(f"{_iri(record)} <{DIGEST}> {_string(digest)} .\n"
                       for record, digest in digests.items() if digest is not None)
        forgotten = " ".join(_iri(record) for record in digests)
        self._update(
            (f"DELETE {{ GRAPH <{CHANGES_GRAPH}> {{ ?r <{DIGEST}> ?d }} }} WHERE {{ VALUES ?r {{ {forgotten} }} "
             f"GRAPH <{CHANGES_GRAPH}> {{ ?r <{DIGEST}> ?d }} }} ;\n" if digests else "")
            + f"INSERT DATA {{ {_in_log_and_merge(''.join(statements))}\nGRAPH <{CHANGES_GRAPH}> {{\n{kept}}} }}",
            "".join(statements))

    def change_iri(self, sync: str, record: str) -> str:
        """A change named by its sync and its record: the record's path after ``record/``."""
        prefix = self.base + "record/"
        return sync + "/" + (record[len(prefix):] if record.startswith(prefix) else hashlib.sha256(record.encode()).hexdigest())

    def complete(self, checkpoint: Checkpoint, counts: Counts, used: Iterable[str], ended: datetime | None = None) -> None:
        """The sync ended: its account and watermark written, its trials' last change moved, its checkpoint gone,
        in one transaction, so the watermark moves only with a completed sync; then published to readers."""
        sync = f"<{checkpoint.sync}>"
        finished = ended or datetime.now(timezone.utc)  # to the millisecond: what orders two syncs of one second
        facts = [f'{sync} <{PROV.endedAtTime}> "{finished.isoformat(timespec="milliseconds")}"^^<{XSD.dateTime}> ; '
                 f"<{RDFS.comment}> {_string(counts.line)} .\n"]
        facts += [f"{sync} <{PROV.used}> {_iri(source)} .\n" for source in used]
        if checkpoint.watermark:
            facts.append(f'{sync} <{TG.watermark}> "{checkpoint.watermark}"^^<{XSD.date}> .\n')
        graph, old, new = f"GRAPH <{CHANGES_GRAPH}>", f"?t <{TG.lastChange}> ?old", f"?t <{TG.lastChange}> ?c"
        (moved, replaced), = self._select(  # the trials' last changes that this sync's take the place of
            f"SELECT ?n ?o {{ {{ SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?t ?c {{ {graph} {{ ?c <{AS.context}> "
            f"{sync} ; <{AS.object}> ?t }} }} }} }} {{ SELECT (COUNT(*) AS ?o) {{ SELECT DISTINCT ?t ?old {{ {graph} "
            f"{{ ?c <{AS.context}> {sync} ; <{AS.object}> ?t . {old} }} }} }} }} }}")
        self._update(
            f"DELETE WHERE {{ {graph} {{ <{checkpoint.node}> <{CHECKPOINT}> ?j }} }} ;\n"
            f"INSERT DATA {{ {_in_log_and_merge(''.join(facts))} }} ;\n"
            f"DELETE {{ {graph} {{ {old} }} {old} }} WHERE {{ {graph} {{ ?c <{AS.context}> {sync} ; "
            f"<{AS.object}> ?t . {old} }} }} ;\n"
            f"INSERT {{ {graph} {{ {new} }} {new} }} WHERE {{ {graph} {{ ?c <{AS.context}> {sync} ; <{AS.object}> ?t }} }}",
            "".join(facts), Statistics(triples=int(moved.value) - int(replaced.value)))
        self.store.oxigraph.flush()
        self.store.publish()  # a server answering from the store swaps the completed sync in

    # -- the feed ---------------------------------------------------------------------------

    _CHANGES = f"""
      GRAPH <{CHANGES_GRAPH}> {{
        ?change <{AS.context}> ?sync ; a ?kind ; <{AS.object}> ?trial ; <{AS.result}> ?record ;
                <{AS.published}> ?published ; <{RDFS.label}> ?label .
        ?sync <{PROV.endedAtTime}> ?ended .
      }}"""

    def count(self) -> int:
        """How many changes the completed syncs made."""
        return int(self._select(f"SELECT (COUNT(?change) AS ?n) {{ {self._CHANGES} }}")[0][0].value)

    def changes(self, offset: int, limit: int) -> list[dict[str, str]]:
        """Changes of completed syncs, newest first, as plain values."""
        rows = self.store.oxigraph.query(
            f"SELECT ?change ?kind ?trial ?record ?published ?sync ?label ?ended {{ {self._CHANGES} }} "
            f"ORDER BY DESC(?ended) DESC(?published) DESC(STR(?change)) LIMIT {int(limit)} OFFSET {int(offset)}")
        return [{name.value: term.value for name, term in zip(rows.variables, row)} for row in rows]  # type: ignore[union-attr]

    def record_facts(self, record: str) -> dict[str, str]:
        """A logged record's trial and id, for changing a record no longer read."""
        rows = self._select(f"SELECT ?t ?id {{ GRAPH <{record}> {{ <{record}> <{TG.describes}> ?t ; <{TG.recordId}> ?id }} }}")
        return {"trial": rows[0][0].value, "id": rows[0][1].value} if rows else {}

