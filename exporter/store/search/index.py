"""The search index of a store: SQLite for what it keeps and shows, tantivy for what it matches and counts.

``DIR/search.sqlite`` keeps each record's entry (to make its trial again when one of the trial's records
changes), the trials' rows a page of hits shows, and the terms — facet values and shared nodes — with how
many trials carry each, so the home page, a node's roles and the facets of everything are read without a
scan. ``DIR/search.tantivy`` holds one document per trial (:mod:`.text`): words ranked with bm25 in
compiled code, facet values counted by one aggregation for any query, newest-first order, a node's
trials by role. Both are written together and committed together, tantivy first: a reader sees whole
trials, and a hit whose row it cannot find yet is left out of a page rather than shown half.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ...mapping.terms import IRI, Literal, RecordGraph
from ...mapping.vocab import RDF, TG
from . import text
from .entries import FACETS, Entry, entry_of, merged, packed, unpacked
from .text import TextIndex

if TYPE_CHECKING:
    from ..store import TrialStore

INDEX_FILE = "search.sqlite"
VERSION = 2
"""The index's layout (SQLite's ``user_version``): an index of another is made again from the store."""
_SCHEMA = f"""
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS trial (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, label TEXT, identifier TEXT, registered TEXT, shown TEXT);
CREATE TABLE IF NOT EXISTS record (iri TEXT PRIMARY KEY, trial INTEGER NOT NULL, entry BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS record_trial ON record (trial);
CREATE TABLE IF NOT EXISTS term (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,
    trials INTEGER NOT NULL DEFAULT 0, UNIQUE (kind, key));
CREATE INDEX IF NOT EXISTS term_label ON term (kind, label);
CREATE INDEX IF NOT EXISTS term_key ON term (key);
CREATE INDEX IF NOT EXISTS term_trials ON term (kind, trials);
PRAGMA user_version = {VERSION};
"""


def text_folder(path: Path) -> Path:
    """The tantivy index beside ``search.sqlite``: ``search.tantivy``."""
    return path.with_suffix(".tantivy")


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    identifier: str
    registered: str
    facets: dict[str, list[str]]


@dataclass(frozen=True)
class Count:
    value: str
    count: int
    key: str = ""


@dataclass(frozen=True)
class Results:
    total: int
    page: int
    size: int
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def as_json(self) -> dict:
        return {"total": self.total, "page": self.page, "pages": self.pages, "size": self.size,
                "results": [asdict(hit) for hit in self.hits]}


def _term(term: ox.NamedNode | ox.Literal) -> IRI | Literal:
    """A term read back from the store as the mapper's own, so a read graph indexes as a written one."""
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    return Literal(term.value, term.datatype.value, term.language)


class SearchIndex:
    """The index of one store, in ``DIR/search.sqlite`` and ``DIR/search.tantivy``; read-only for a server,
    written by loads (one writer at a time)."""

    def __init__(self, path: str | Path, read_only: bool = False, commit_every: int = 2000) -> None:
        self.path = Path(path).absolute()  # SQLite opens read-only by URI, which a relative path cannot be
        self.read_only = read_only
        self.commit_every = commit_every
        self._local = threading.local()
        self._pending = 0
        self._deltas: Counter[int] = Counter()  # each term's change in trials, written at the next commit
        self._terms: dict[tuple[str, str], int] = {}
        if read_only:
            if not self.current(self.path):
                raise FileNotFoundError(2, "no search index here (load the store again)", str(self.path))
        else:
            if not self.current(self.path):
                self.remove_files(self.path)  # none, or of another layout: made again
            self._db.executescript(_SCHEMA)
            self._db.commit()
        self.text = TextIndex(text_folder(self.path), read_only)

    @staticmethod
    def current(path: Path) -> bool:
        """Whether ``path`` holds an index of this layout, both halves."""
        if not path.is_file() or not TextIndex.exists(text_folder(path)):
            return False
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
            return db.execute("PRAGMA user_version").fetchone()[0] == VERSION

    @staticmethod
    def remove_files(path: Path) -> None:
        """Remove both halves of the index at ``path``."""
        for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            name.unlink(missing_ok=True)
        shutil.rmtree(text_folder(path), ignore_errors=True)

    @classmethod
    def of_store(cls, store: TrialStore, read_only: bool = False, folder: str | Path | None = None) -> SearchIndex:
        """The index in the store's folder (or ``folder``: the store a snapshot was taken of); a store loaded
        before it had one, or one of another layout, is indexed first, once."""
        path = Path(folder or store.path) / INDEX_FILE
        if not cls.current(path):
            index = cls(path)
            index.index_graphs(store.oxigraph)
            index.close()
        return cls(path, read_only)

    def index_graphs(self, oxigraph: ox.Store, only_new: bool = False) -> int:
        """Index the record graphs the store holds, read back from it: the graph a load wrote, term for term.

        ``only_new`` skips the records indexed already: after a load whose graphs reached the store without
        passing through :meth:`add` (a bulk load on every core), or one that was killed before the index
        had committed all it was given.
        """
        known = {iri for (iri,) in self._db.execute("SELECT iri FROM record")} if only_new else set()
        indexed = 0
        for name in oxigraph.named_graphs():
            if not isinstance(name, ox.NamedNode) or name.value in known:
                continue
            triples = [(IRI(q.subject.value), IRI(q.predicate.value), _term(q.object))
                       for q in oxigraph.quads_for_pattern(None, None, None, name)
                       if isinstance(q.subject, ox.NamedNode) and not isinstance(q.object, ox.BlankNode)]
            trial = next((s for s, p, o in triples if p == RDF.type and o == TG.Trial), None)
            if trial is not None:
                self.add(RecordGraph(IRI(name.value), trial, triples, trial.rsplit("/", 1)[-1]))
                indexed += 1
        return indexed

    @property
    def _db(self) -> sqlite3.Connection:
        """A connection per thread: the server answers pages from a pool of threads."""
        db = getattr(self._local, "db", None)
        if db is None:
            if self.read_only:
                db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            else:
                db = sqlite3.connect(self.path, check_same_thread=False)
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("PRAGMA cache_size = -262144")  # 256 MiB: a large load touches pages all over
            self._local.db = db
        return db

    # -- writing ---------------------------------------------------------------------------------

    def add(self, graph: RecordGraph) -> None:
        """Index a record's graph; a record indexed before is replaced."""
        self.add_entry(entry_of(graph))

    def add_entry(self, entry: Entry) -> None:
        db = self._db
        created = db.execute("INSERT OR IGNORE INTO trial (iri) VALUES (?)", (entry.trial,)).rowcount == 1
        trial = db.execute("SELECT id FROM trial WHERE iri = ?", (entry.trial,)).fetchone()[0]
        before = db.execute("SELECT trial FROM record WHERE iri = ?", (entry.record,)).fetchone()
        if created and before is None:  # a trial met for the first time: nothing to merge or take back
            db.execute("INSERT INTO record (iri, trial, entry) VALUES (?, ?, ?)", (entry.record, trial, packed(entry)))
            self._write(trial, [], [entry], created=True)
        else:
            moved = before[0] if before is not None and before[0] != trial else None
            old, old_moved = self._entries(trial), self._entries(moved) if moved else []
            db.execute("INSERT OR REPLACE INTO record (iri, trial, entry) VALUES (?, ?, ?)",
                       (entry.record, trial, packed(entry)))
            self._write(trial, old, self._entries(trial))
            if moved:
                self._write(moved, old_moved, self._entries(moved))
        self._written()

    def remove(self, record: str) -> None:
        """Forget a record; its trial keeps what its other records say, or leaves the index."""
        row = self._db.execute("SELECT trial FROM record WHERE iri = ?", (record,)).fetchone()
        if row is not None:
            old = self._entries(row[0])
            self._db.execute("DELETE FROM record WHERE iri = ?", (record,))
            self._write(row[0], old, self._entries(row[0]))
            self._written()

    def _entries(self, trial: int) -> list[Entry]:
        rows = self._db.execute("SELECT entry FROM record WHERE trial = ? ORDER BY iri", (trial,))
        return [unpacked(body) for (body,) in rows]

    def _write(self, trial: int, old: list[Entry], new: list[Entry], created: bool = False) -> None:
        """Replace the trial's document and its terms' counts, made from the ``old`` entries of its records,
        by the ``new`` (of a trial just ``created``: no ``old``)."""
        db = self._db
        if old:
            self._deltas.subtract({self._term(kind, key, label) for kind, key, label in merged(old).terms})
        if not new:
            db.execute("DELETE FROM trial WHERE id = ?", (trial,))
            self.text.replace(trial, None)
            return
        union = merged(new)
        db.execute("UPDATE trial SET label = ?, identifier = ?, registered = ?, shown = ? WHERE id = ?",
                   (union.label, union.identifier, union.registered, json.dumps(text.shown(union)), trial))
        self._deltas.update({self._term(kind, key, label) for kind, key, label in union.terms})
        self.text.replace(trial, union, new=created)

    def _term(self, kind: str, key: str, label: str) -> int:
        found = self._terms.get((kind, key))
        if found is None:
            if len(self._terms) > 200_000:
                self._terms.clear()
            self._db.execute("INSERT OR IGNORE INTO term (kind, key, label) VALUES (?, ?, ?)", (kind, key, label))
            found = self._db.execute("SELECT id FROM term WHERE kind = ? AND key = ?", (kind, key)).fetchone()[0]
            self._terms[(kind, key)] = found
        return found

    def _written(self) -> None:
        self._pending += 1
        if self._pending >= self.commit_every:
            self.commit()

    def commit(self) -> None:
        """Commit the trials' documents, then the terms' counts as they now are with the trials' rows: a
        reader sees whole trials and true counts."""
        self.text.commit()
        self._db.executemany("UPDATE term SET trials = trials + ? WHERE id = ?",
                             [(delta, term) for term, delta in self._deltas.items() if delta])
        self._deltas.clear()
        self._db.commit()
        self._pending = 0

    def close(self) -> None:
        if not self.read_only:
            self.commit()
            self.text.close()
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reading ---------------------------------------------------------------------------------

    def search(self, q: str = "", facets: Mapping[str, Iterable[str]] | None = None, page: int = 1,
               size: int = 20) -> Results:
        """The trials matching ``q`` (best first) or, with no words, every trial (newest registration first),
        narrowed to those with every chosen facet value, one page of ``size``."""
        found = text.words(q)
        if q.strip() and not found:
            return Results(0, page, size, [])  # words with no letter or digit match nothing
        total, ids = self.text.page(text.query(found, facets or {}), size, (max(page, 1) - 1) * size,
                                    ranked=bool(found))
        return Results(total, page, size, self._hits(ids))

    def _hits(self, ids: list[int]) -> list[Hit]:
        """The trials of a page, in the order given, with the facet values a list shows."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = {row[0]: row[1:] for row in self._db.execute(
            f"SELECT id, iri, label, identifier, registered, shown FROM trial WHERE id IN ({marks})", ids)}
        return [Hit(iri, label or iri, identifier or "", registered or "", json.loads(shown or "{}"))
                for id_ in ids if id_ in rows for iri, label, identifier, registered, shown in [rows[id_]]]

    def facets(self, q: str = "", facets: Mapping[str, Iterable[str]] | None = None,
               kinds: Iterable[str] = FACETS) -> dict[str, list[Count]]:
        """Each facet's values with how many of the matching trials carry them, most first.

        With no words and no facet chosen, the counts kept with the terms are read as they are; otherwise
        tantivy counts the matching trials' values, in one aggregation.
        """
        kinds = list(kinds)
        marks = ", ".join("?" * len(kinds))
        counted: dict[str, list[Count]] = {kind: [] for kind in kinds}
        db = self._db
        if not q.strip() and not (facets and any(facets.values())):
            rows = db.execute(f"SELECT kind, label, trials, key FROM term WHERE kind IN ({marks}) AND trials > 0 "
                              f"ORDER BY trials DESC, label", kinds).fetchall()
        else:
            found = text.words(q)
            if q.strip() and not found:
                return counted
            faceted = [kind for kind in kinds if kind in FACETS]  # the others are no fields of tantivy's
            keys = {(kind, label): key for kind, label, key in db.execute(  # a value's key: its node with most trials
                f"SELECT kind, label, key FROM term WHERE kind IN ({', '.join('?' * len(faceted))}) ORDER BY trials",
                faceted)}
            rows = [(kind, label, n, keys.get((kind, label), ""))
                    for kind, label, n in self.text.counts(text.query(found, facets or {}), faceted)]
        merged_rows: dict[tuple[str, str], list] = {}
        for kind, label, n, key in rows:  # values named alike are one value to a person
            merged_rows.setdefault((kind, label), [0, key])[0] += n
        for (kind, label), (n, key) in sorted(merged_rows.items(), key=lambda item: (-item[1][0], item[0][1])):
            counted[kind].append(Count(label, n, key))
        return counted

    def counts(self) -> dict[str, int]:
        """How many trials, and how many distinct values of each kind of term, the index holds."""
        found = {"trials": self.text.trials}
        for kind, n in self._db.execute("SELECT kind, count(*) FROM term WHERE trials > 0 GROUP BY kind"):
            found[kind] = n
        return found

    def roles(self, node: str) -> list[Count]:
        """How the trials link to a shared node (sponsor, funder, condition, country...), with how many each."""
        rows = self._db.execute("SELECT kind, trials, label FROM term WHERE key = ? AND trials > 0 "
                                "ORDER BY trials DESC",
                                (node,))
        return [Count(kind, n, label) for kind, n, label in rows]

    def linked(self, node: str, role: str, page: int = 1, size: int = 20) -> Results:
        """The trials linking to a node in one role, newest registration first, one page."""
        total, ids = self.text.page(text.linked(node, role), size, (max(page, 1) - 1) * size, ranked=False)
        return Results(total, page, size, self._hits(ids))
