"""The search index: every trial's words, ranked with bm25, and its facet values, counted with SQL.

SQLite's FTS5, from Python's standard library, rather than tantivy or a search server:
nothing to install or run, one file beside the store (``search.sqlite``), transactions, and
WAL so that a running server reads while a load writes. FTS5 ranks with bm25 and answers
a word or phrase from its inverted index, and the facets are a plain table of (trial, term)
pairs that ``GROUP BY`` counts over whatever the search and the chosen facets leave.

The rows come from each record's graph as the store receives it, so the index follows the
store with no second reading of the sources. A trial that several records describe (its
ICTRP and ClinicalTrials.gov records, EUCTR's per-country records) is one row: each
record's share is kept, and the trial's row is their union, rebuilt when one of them
changes. Terms count their trials as rows are written, so the home page reads its numbers
from the index and never scans the store.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pyoxigraph as ox

from ..mapping.terms import IRI, Literal, RecordGraph
from ..mapping.vocab import DCT, MESH, RDF, RDFS, SCHEMA, SKOS, TG
from ..resources import ontology_file

if TYPE_CHECKING:
    from .store import TrialStore

INDEX_FILE = "search.sqlite"
FACETS = {
    "register": "Register",
    "country": "Country",
    "phase": "Phase",
    "status": "Recruitment status",
    "type": "Study type",
    "year": "Year of registration",
    "sponsor_class": "Sponsor class",
}
"""The facets, by the name used in URLs, with the name people read."""
ROLES = {
    TG.primarySponsor: "sponsor", TG.secondarySponsor: "secondary sponsor", TG.funder: "funder",
    TG.condition: "condition", TG.intervention: "intervention", TG.sameTrialAs: "same trial as",
}
"""How a trial links to the shared nodes whose pages list it, by the name of the link."""
COLUMNS = ("id", "titles", "conditions", "interventions", "sponsors", "identifiers")
WEIGHTS = (20.0, 4.0, 3.0, 3.0, 2.0, 5.0)
"""bm25 weights of the columns: a trial's own id names it, before the trials that cite it among their other
ids; a title says more than a sponsor's name."""
_READ = frozenset((
    RDFS.label, DCT.identifier, TG.nctId, TG.relatedRecord, TG.primaryIdentifier, TG.secondaryIdentifier, SCHEMA.value,
    TG.publicTitle, TG.scientificTitle, TG.acronym, TG.registrationDate, TG.register, TG.country, TG.phase,
    TG.recruitmentStatus, TG.studyType, TG.primarySponsor, TG.secondarySponsor, TG.funder, TG.organisationClass,
    TG.condition, TG.conditionAsRegistered, TG.classificationCode, TG.meshDescriptor, TG.intervention,
    TG.interventionAsRegistered, SCHEMA.alternateName, TG.sameTrialAs,
))
"""The properties an index entry is made from."""
_LETTERS_DIGITS = re.compile(r"(?<=[A-Za-z])(?=\d)")
"""Where a register's prefix meets the number (``EUCTR2022-…``, ``ChiCTR2100045397``): split there, the
number is a word too."""
_CONCEPT_FACETS = {TG.phase: "phase", TG.recruitmentStatus: "status", TG.studyType: "type"}
_SCHEMA = f"""
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS trial (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, label TEXT, identifier TEXT, registered TEXT);
CREATE INDEX IF NOT EXISTS trial_registered ON trial (registered);
CREATE TABLE IF NOT EXISTS record (iri TEXT PRIMARY KEY, trial INTEGER NOT NULL, entry BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS record_trial ON record (trial);
CREATE TABLE IF NOT EXISTS term (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,
    trials INTEGER NOT NULL DEFAULT 0, UNIQUE (kind, key));
CREATE INDEX IF NOT EXISTS term_label ON term (kind, label);
CREATE INDEX IF NOT EXISTS term_key ON term (key);
CREATE INDEX IF NOT EXISTS term_trials ON term (kind, trials);
CREATE TABLE IF NOT EXISTS trial_term (
    trial INTEGER NOT NULL, facet INTEGER NOT NULL, term INTEGER NOT NULL, PRIMARY KEY (trial, facet, term))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS term_trial ON trial_term (term, trial);
CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5 (
    {", ".join(COLUMNS)}, content = '',
    tokenize = 'porter unicode61 remove_diacritics 2');
"""


@lru_cache(maxsize=1)
def concept_labels() -> dict[str, str]:
    """The English preferred label of each concept of the ontology (phases, statuses, study types, classes)."""
    labels = {}
    for triple in ox.parse(ontology_file().read_bytes(), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == SKOS.prefLabel and getattr(triple.object, "language", None) in ("en", None):
            labels[triple.subject.value] = triple.object.value
    return labels


@dataclass
class Entry:
    """What one record tells the index about its trial: words per column, terms as (kind, key, label)."""

    record: str
    trial: str
    label: str = ""
    identifier: str = ""
    registered: str = ""
    text: dict[str, list[str]] = field(default_factory=dict)
    terms: list[tuple[str, str, str]] = field(default_factory=list)


def entry_of(graph: RecordGraph) -> Entry:
    """The record's share of its trial's row, read from the triples the store receives."""
    values: dict[str, dict[str, list]] = defaultdict(dict)
    read = _READ
    for subject, predicate, value in graph.triples:
        if predicate in read:  # most of a record (outcomes, contacts, criteria, provenance) says nothing here
            values[subject].setdefault(predicate, []).append(value)
    trial = values[graph.trial]
    concepts = concept_labels()

    def texts(node: dict[str, list], *predicates: str) -> list[str]:
        return [v.lexical for p in predicates for v in node.get(p, ()) if isinstance(v, Literal)]

    def label(node: str) -> str:
        names = sorted(values[node].get(RDFS.label, ()), key=lambda v: v.language not in (None, "en"))
        return names[0].lexical if names else node.rsplit("/", 1)[-1]

    def nodes(predicate: str) -> list[str]:
        return [v for v in trial.get(predicate, ()) if isinstance(v, IRI)]

    def mesh(node: str) -> list[str]:
        return [v[len(MESH.iri):] for v in values[node].get(TG.meshDescriptor, ())]

    own = texts(trial, DCT.identifier) + [text for part in nodes(TG.primaryIdentifier)
                                          for text in texts(values[part], SCHEMA.value)]
    own += [unquote(graph.trial.rsplit("/", 1)[-1]), *(_LETTERS_DIGITS.sub(" ", text) for text in own)]
    identifiers = texts(trial, TG.nctId, TG.relatedRecord) + [
        text for part in nodes(TG.secondaryIdentifier) for text in texts(values[part], SCHEMA.value)]
    conditions = [text for node in nodes(TG.condition)
                  for text in [label(node), *texts(values[node], TG.classificationCode), *mesh(node)]]
    interventions = [text for node in nodes(TG.intervention)
                     for text in [label(node), *texts(values[node], SCHEMA.alternateName), *mesh(node)]]
    entry = Entry(graph.name, graph.trial, (texts(trial, RDFS.label) or [graph.label])[0],
                  (texts(trial, DCT.identifier) or [graph.label])[0],
                  (texts(trial, TG.registrationDate) or [""])[0])
    entry.text = {
        "id": list(dict.fromkeys(own)),
        "titles": texts(trial, RDFS.label, TG.publicTitle, TG.scientificTitle, TG.acronym),
        "conditions": conditions + texts(trial, TG.conditionAsRegistered),
        "interventions": interventions + texts(trial, TG.interventionAsRegistered),
        "sponsors": [label(node) for predicate in (TG.primarySponsor, TG.secondarySponsor, TG.funder)
                     for node in nodes(predicate)],
        "identifiers": identifiers,
    }
    terms = entry.terms
    terms += [("register", node, label(node)) for node in nodes(TG.register)]
    terms += [("country", node, label(node)) for node in nodes(TG.country)]
    for predicate, kind in _CONCEPT_FACETS.items():
        terms += [(kind, node, concepts.get(node, node.rsplit("#", 1)[-1])) for node in nodes(predicate)]
    if entry.registered[:4].isdigit():
        terms.append(("year", entry.registered[:4], entry.registered[:4]))
    terms += [("sponsor_class", kind, concepts.get(kind, kind.rsplit("#", 1)[-1]))
              for node in nodes(TG.primarySponsor) for kind in values[node].get(TG.organisationClass, ())]
    terms += [(role, node, label(node)) for predicate, role in ROLES.items() for node in nodes(predicate)]
    return entry


def _term(term: ox.NamedNode | ox.Literal) -> IRI | Literal:
    """A term read back from the store as the mapper's own, so a read graph indexes as a written one."""
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    return Literal(term.value, term.datatype.value, term.language)


def _packed(entry: Entry) -> bytes:
    fields = [entry.record, entry.trial, entry.label, entry.identifier, entry.registered, entry.text, entry.terms]
    return zlib.compress(json.dumps(fields, ensure_ascii=False).encode(), 1)


def _unpacked(body: bytes) -> Entry:
    *fields, terms = json.loads(zlib.decompress(body))
    return Entry(*fields, [tuple(term) for term in terms])


def _words(entry: Entry) -> list[str]:
    """The text of each column of the full-text index, in :data:`COLUMNS` order."""
    return ["\n".join(entry.text.get(column, ())) for column in COLUMNS]


def _merged(entries: Sequence[Entry]) -> Entry:
    """One trial from the records that describe it: the first record's name, every record's words and terms."""
    if len(entries) == 1:
        return entries[0]
    first = entries[0]
    merged = Entry("", first.trial, first.label, first.identifier,
                   min((e.registered for e in entries if e.registered), default=""))
    for column in COLUMNS:
        merged.text[column] = list(dict.fromkeys(text for e in entries for text in e.text.get(column, ())))
    merged.terms = list(dict.fromkeys((kind, key, label) for e in entries for kind, key, label in e.terms))
    return merged


_WORD = re.compile(r'"[^"]*"?|\S+')


def fts_query(text: str) -> str:
    """A person's query as FTS5 syntax: every word or "quoted phrase" must match; ``word*`` is a prefix.

    Each is quoted as an FTS5 string, so ids with punctuation (``CTRI/2021/08/036074``,
    ``2018-003171-35``) search as phrases of their parts and no character is an operator.
    """
    parts = []
    for word in _WORD.findall(text):
        prefix = word.endswith("*") and not word.startswith('"')
        word = word.strip('"').rstrip("*")
        if any(ch.isalnum() for ch in word):
            parts.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts)


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


@dataclass(frozen=True)
class _Filter:
    """A search as SQL: FTS5 words (``match``) and facet values (``terms``), each optional.

    The trials of the facet values are their posting lists intersected. Words and facets together read
    the words' matches once, as a materialised CTE: left to itself, SQLite may run the full-text query
    again for each trial of a facet. Counting never asks for the bm25 score: only a page is ranked.
    """

    match: str
    chosen: list[tuple[str, str]]  # (kind, label): one value may be several terms (two registry nodes named alike)

    @property
    def terms(self) -> list[str]:
        return [part for pair in self.chosen for part in pair]

    def _facets(self) -> str:
        return " INTERSECT ".join("SELECT trial AS id FROM trial_term WHERE term IN "
                                  "(SELECT id FROM term WHERE kind = ? AND label = ?)" for _ in self.chosen)

    def ids(self) -> tuple[str, list]:
        """SQL for the trials' ids, as ``id``, with its parameters."""
        if self.match and self.terms:
            return (f"WITH hit AS MATERIALIZED (SELECT rowid AS id FROM text WHERE text MATCH ?) "
                    f"SELECT id FROM hit WHERE id IN ({self._facets()})", [self.match, *self.terms])
        if self.match:
            return "SELECT rowid AS id FROM text WHERE text MATCH ?", [self.match]
        if self.terms:
            return self._facets(), list(self.terms)
        return "SELECT id FROM trial", []

    def page(self, limit: int, offset: int) -> tuple[str, list]:
        """SQL for one page of ids: best match first, else newest registration first."""
        if self.match and self.terms:
            return (f"WITH hit AS MATERIALIZED (SELECT rowid AS id, rank AS score FROM text WHERE text MATCH ?) "
                    f"SELECT id FROM hit WHERE id IN ({self._facets()}) ORDER BY score LIMIT ? OFFSET ?",
                    [self.match, *self.terms, limit, offset])
        if self.match:
            return ("SELECT rowid FROM text WHERE text MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                    [self.match, limit, offset])
        where = f"WHERE id IN ({self._facets()}) " if self.terms else ""
        return (f"SELECT id FROM trial {where}ORDER BY registered DESC, id DESC LIMIT ? OFFSET ?",
                [*self.terms, limit, offset])


class SearchIndex:
    """The index of one store, in ``DIR/search.sqlite``; read-only for a server, written by loads."""

    def __init__(self, path: str | Path, read_only: bool = False, commit_every: int = 2000) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.commit_every = commit_every
        self._local = threading.local()
        self._pending = 0
        self._deltas: Counter[int] = Counter()  # each term's change in trials, written at the next commit
        self._terms: dict[tuple[str, str], int] = {}
        if not read_only:
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT INTO text (text, rank) VALUES ('rank', ?)",
                             (f"bm25({', '.join(map(str, WEIGHTS))})",))
            self._db.commit()

    @classmethod
    def of_store(cls, store: TrialStore, read_only: bool = False, folder: str | Path | None = None) -> SearchIndex:
        """The index in the store's folder (or ``folder``: the store a snapshot was taken of); a store loaded
        before it had one is indexed first, once."""
        path = Path(folder or store.path) / INDEX_FILE
        if not path.is_file():
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
                if not self.path.is_file():
                    raise FileNotFoundError(2, "no search index here (load the store again)", str(self.path))
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
            db.execute("INSERT INTO record (iri, trial, entry) VALUES (?, ?, ?)", (entry.record, trial, _packed(entry)))
            self._write(trial, [], [entry])
        else:
            moved = before[0] if before is not None and before[0] != trial else None
            old, old_moved = self._entries(trial), self._entries(moved) if moved else []
            db.execute("INSERT OR REPLACE INTO record (iri, trial, entry) VALUES (?, ?, ?)",
                       (entry.record, trial, _packed(entry)))
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
        return [_unpacked(body) for (body,) in rows]

    def _write(self, trial: int, old: list[Entry], new: list[Entry]) -> None:
        """Replace the trial's words and terms, made from the ``old`` entries of its records, by the ``new``."""
        db = self._db
        if old:
            words = _words(_merged(old))
            db.execute(f"INSERT INTO text (text, rowid, {', '.join(COLUMNS)}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)",
                       (trial, *words))
            held = db.execute("SELECT term FROM trial_term WHERE trial = ?", (trial,))
            self._deltas.subtract(term for (term,) in held)
            db.execute("DELETE FROM trial_term WHERE trial = ?", (trial,))
        if not new:
            db.execute("DELETE FROM trial WHERE id = ?", (trial,))
            return
        merged = _merged(new)
        db.execute("UPDATE trial SET label = ?, identifier = ?, registered = ? WHERE id = ?",
                   (merged.label, merged.identifier, merged.registered, trial))
        db.execute(f"INSERT INTO text (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (trial, *_words(merged)))
        terms = {(self._term(kind, key, label), kind in FACETS) for kind, key, label in merged.terms}
        db.executemany("INSERT INTO trial_term (trial, facet, term) VALUES (?, ?, ?)",
                       [(trial, facet, term) for term, facet in terms])
        self._deltas.update(term for term, _ in terms)

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
        """Write the terms' counts as they now are, and commit: a reader sees whole trials and true counts."""
        self._db.executemany("UPDATE term SET trials = trials + ? WHERE id = ?",
                             [(delta, term) for term, delta in self._deltas.items() if delta])
        self._deltas.clear()
        self._db.commit()
        self._pending = 0

    def close(self) -> None:
        if not self.read_only:
            self.commit()
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reading ---------------------------------------------------------------------------------

    def _filter(self, q: str, facets: Mapping[str, Iterable[str]]) -> _Filter | None:
        """The trials that match ``q`` and carry every chosen facet value; ``None`` when nothing can."""
        chosen = [(kind, label) for kind, labels in facets.items() for label in labels]
        for kind, label in chosen:
            if self._db.execute("SELECT 1 FROM term WHERE kind = ? AND label = ?", (kind, label)).fetchone() is None:
                return None
        match = fts_query(q)
        if q.strip() and not match:
            return None  # words with no letter or digit match nothing
        return _Filter(match, chosen)

    def search(self, q: str = "", facets: Mapping[str, Iterable[str]] | None = None, page: int = 1,
               size: int = 20) -> Results:
        """The trials matching ``q`` (best first) or, with no words, every trial (newest registration first),
        narrowed to those with every chosen facet value, one page of ``size``."""
        found = self._filter(q, facets or {})
        if found is None:
            return Results(0, page, size, [])
        sql, parameters = found.ids()
        total = self._db.execute(f"SELECT count(*) FROM ({sql})", parameters).fetchone()[0]
        sql, parameters = found.page(size, (max(page, 1) - 1) * size)
        return Results(total, page, size, self._hits([row[0] for row in self._db.execute(sql, parameters)]))

    def _hits(self, ids: list[int]) -> list[Hit]:
        """The trials of a page, in the order given, with the facet values a list shows."""
        if not ids:
            return []
        db, marks = self._db, ", ".join("?" * len(ids))
        shown: dict[int, dict[str, list[str]]] = {id_: defaultdict(list) for id_ in ids}
        for trial, kind, label in db.execute(
                f"SELECT trial, kind, label FROM trial_term JOIN term ON term.id = trial_term.term "
                f"WHERE trial IN ({marks}) AND facet = 1 AND kind IN ('register', 'phase', 'status') ORDER BY label",
                ids):
            shown[trial][kind].append(label)
        rows = {row[0]: row[1:] for row in db.execute(
            f"SELECT id, iri, label, identifier, registered FROM trial WHERE id IN ({marks})", ids)}
        return [Hit(iri, label or iri, identifier or "", registered or "", dict(shown[id_]))
                for id_ in ids for iri, label, identifier, registered in [rows[id_]]]

    def facets(self, q: str = "", facets: Mapping[str, Iterable[str]] | None = None,
               kinds: Iterable[str] = FACETS) -> dict[str, list[Count]]:
        """Each facet's values with how many of the matching trials carry them, most first.

        With no words and no facet chosen, the counts kept with the terms are read as they are;
        otherwise the matching trials' facet values are counted (``GROUP BY``), then named.
        """
        kinds = list(kinds)
        marks = ", ".join("?" * len(kinds))
        counted: dict[str, list[Count]] = {kind: [] for kind in kinds}
        db = self._db
        if not q.strip() and not (facets and any(facets.values())):
            rows = db.execute(f"SELECT kind, label, trials, key FROM term WHERE kind IN ({marks}) AND trials > 0 "
                              f"ORDER BY trials DESC, label", kinds).fetchall()
        else:
            found = self._filter(q, facets or {})
            if found is None:
                return counted
            sql, parameters = found.ids()
            numbers = dict(db.execute(
                f"SELECT term, count(*) FROM trial_term WHERE facet = 1 AND trial IN (SELECT id FROM ({sql})) "
                f"GROUP BY term", parameters).fetchall())
            names = db.execute(f"SELECT id, kind, label, key FROM term WHERE id IN ({', '.join('?' * len(numbers))}) "
                               f"AND kind IN ({marks})", [*numbers, *kinds]).fetchall()
            rows = sorted(((kind, label, numbers[id_], key) for id_, kind, label, key in names),
                          key=lambda row: (-row[2], row[1]))
        merged: dict[tuple[str, str], list] = {}
        for kind, label, n, key in rows:  # values named alike are one value to a person
            merged.setdefault((kind, label), [0, key])[0] += n
        for (kind, label), (n, key) in sorted(merged.items(), key=lambda item: (-item[1][0], item[0][1])):
            counted[kind].append(Count(label, n, key))
        return counted

    def counts(self) -> dict[str, int]:
        """How many trials, and how many distinct values of each kind of term, the index holds."""
        found = {"trials": self._db.execute("SELECT count(*) FROM trial").fetchone()[0]}
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
        term = self._db.execute("SELECT id, trials FROM term WHERE kind = ? AND key = ?", (role, node)).fetchone()
        if term is None:
            return Results(0, page, size, [])
        rows = self._db.execute(
            "SELECT iri, label, identifier, registered FROM trial_term JOIN trial ON trial.id = trial_term.trial "
            "WHERE term = ? ORDER BY registered DESC, trial.id LIMIT ? OFFSET ?",
            (term[0], size, (max(page, 1) - 1) * size)).fetchall()
        return Results(term[1], page, size, [Hit(iri, label or iri, identifier or "", registered or "", {})
                                             for iri, label, identifier, registered in rows])
