"""The trials' words, facet values and links in a tantivy index: matching, ranking and counting.

One tantivy document per trial, keyed by the trial's id in the SQLite side of the index (``trial``, an
indexed fast field, by which a trial's document is deleted and added again when it changes). Its words
are six text fields, one per kind of words (:data:`~.entries.COLUMNS`); its facet values are raw strings
in fast fields named as the facets, so that one ``aggregate`` call counts them all for any query; the
shared nodes it links to, by role, are raw strings too (``linked_sponsor``, ``linked_country``…), and
``newest`` orders trials by registration date for a list without words.

A person's words never reach tantivy's query parser: each is analysed as the index analyses text and
made into a term, phrase or prefix query, so no character typed is an operator and no text is an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import tantivy

from .entries import COLUMNS, FACETS, ROLES, WEIGHTS, Entry

ANALYZER = "words"
WRITER_HEAP = 512_000_000
"""Bytes the writer may fill before it writes a segment: more than a commit's worth of trials. One indexing
thread, beside the thread that makes the documents: two would write two segments a commit, to be merged
again (30% more CPU to build 100,000 trials)."""
LARGEST_FACET = 65_536
"""More values than any facet has (years, registers, countries, phases...): every value is counted."""
_SHOWN_IN_A_HIT = ("register", "phase", "status")
_WORD = re.compile(r'"[^"]*"?|\S+')


def analyzer() -> tantivy.TextAnalyzer:
    """Words as FTS5's ``porter unicode61 remove_diacritics`` made them: split at anything not a letter or
    digit, lower case, accents folded, English stems (``cancers`` finds ``cancer``)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(100))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


_ANALYZER = analyzer()


def role_field(role: str) -> str:
    """The field of the nodes (or keys) a trial links to in ``role`` (``secondary sponsor``:
    ``linked_secondary_sponsor``, ``country``: ``linked_country``)."""
    return "linked_" + role.replace(" ", "_")


_LINKED = {kind: role_field(kind) for kind in (*FACETS, *ROLES.values())}


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("trial", indexed=True, fast=True)
    builder.add_integer_field("newest", fast=True)
    for column in COLUMNS:
        builder.add_text_field(column, tokenizer_name=ANALYZER)
    for kind in FACETS:
        builder.add_text_field(kind, tokenizer_name="raw", fast=True, index_option="basic")
    for field in _LINKED.values():
        builder.add_text_field(field, tokenizer_name="raw", index_option="basic")
    return builder.build()


SCHEMA = schema()


def newest(registered: str, trial: int) -> int:
    """The order of "newest registration first": the date's digits (``2021-06-14``: 20210614, ``2021``:
    20210000, none: 0), then the trial's id, as one number."""
    digits = "".join(ch for ch in registered[:10] if ch.isdigit())
    date = int(digits.ljust(8, "0")) if len(digits) >= 4 else 0
    return (date << 32) | trial


def document(trial: int, entry: Entry) -> tantivy.Document:
    """A trial's document, from its records' entries merged."""
    fields: dict[str, object] = {"trial": trial, "newest": newest(entry.registered, trial)}
    for column in COLUMNS:
        if words := entry.text.get(column):
            fields[column] = "\n".join(words)
    values: dict[str, dict[str, None]] = {}  # each value once, in order, however many nodes are named alike
    for kind, key, label in entry.terms:
        if kind in FACETS:
            values.setdefault(kind, {})[label] = None
        values.setdefault(_LINKED[kind], {})[key] = None
    return tantivy.Document(**fields, **{name: list(found) for name, found in values.items()})


def shown(entry: Entry) -> dict[str, list[str]]:
    """The facet values a list of hits shows beside each trial."""
    found: dict[str, set[str]] = {}
    for kind, _, label in entry.terms:
        if kind in _SHOWN_IN_A_HIT:
            found.setdefault(kind, set()).add(label)
    return {kind: sorted(labels) for kind, labels in found.items()}


@dataclass(frozen=True)
class Word:
    """One thing a person typed that a trial must match: a word, an id of several parts, or a quoted phrase
    (``tokens`` as the index holds them), or the start of one (``prefix``)."""

    tokens: tuple[str, ...]
    prefix: bool = False


def words(text: str) -> list[Word]:
    """A person's query as the words that must all match: ``"quoted phrases"`` and ``word*`` prefixes;
    any other character is a separator, so ``CTRI/2021/08/036074`` is the phrase of its four parts."""
    found = []
    for part in _WORD.findall(text):
        prefix = part.endswith("*") and not part.startswith('"')
        tokens = tuple(_ANALYZER.analyze(part.strip('"').rstrip("*")))
        if tokens:
            found.append(Word(tokens, prefix))
    return found


def _in_field(word: Word, field: str) -> tantivy.Query:
    tokens = list(word.tokens)
    if word.prefix:  # every word of the index that starts so (a phrase prefix would stop at the first 50)
        pattern = [re.escape(token) for token in tokens[:-1]] + [re.escape(tokens[-1]) + ".*"]
        if len(tokens) == 1:
            return tantivy.Query.regex_query(SCHEMA, field, pattern[0])
        return tantivy.Query.regex_phrase_query(SCHEMA, field, pattern)
    if len(tokens) == 1:
        return tantivy.Query.term_query(SCHEMA, field, tokens[0])
    return tantivy.Query.phrase_query(SCHEMA, field, tokens)


def _all(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])


def query(found: Iterable[Word], chosen: Mapping[str, Iterable[str]]) -> tantivy.Query:
    """Trials with every word (in any column, each column's bm25 boosted by its weight) and every chosen
    facet value; every trial when there is neither."""
    musts = [tantivy.Query.boolean_query([
        (tantivy.Occur.Should, tantivy.Query.boost_query(_in_field(word, column), weight))
        for column, weight in zip(COLUMNS, WEIGHTS)]) for word in found]
    musts += [tantivy.Query.term_query(SCHEMA, kind, label) for kind, labels in chosen.items() for label in labels]
    return _all(musts) if musts else tantivy.Query.all_query()


def linked(node: str, role: str) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, role_field(role), node)


class TextIndex:
    """The tantivy index in a folder; a reader sees each commit at its next question."""

    def __init__(self, path: Path, read_only: bool) -> None:
        self.path = path
        if read_only:
            self.index = tantivy.Index.open(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
        self.index.register_tokenizer(ANALYZER, _ANALYZER)
        self.index.config_reader("manual")
        self._seen: tuple[int, int, int] | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._held_up_to = 0  # the largest trial id the index held when its writer opened

    @staticmethod
    def exists(path: Path) -> bool:
        return (path / "meta.json").is_file()

    @property
    def writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(WRITER_HEAP, num_threads=1)
            largest = self.searcher().aggregate(tantivy.Query.all_query(), {"largest": {"max": {"field": "trial"}}})
            self._held_up_to = int(largest["largest"]["value"] or 0)
        return self._writer

    def replace(self, trial: int, entry: Entry | None, new: bool = False) -> None:
        """The trial's document made again from its merged ``entry``, or taken out (``None``). A ``new`` trial
        whose id is above any the index held when the writer opened has no document to delete: a load into
        an empty index deletes nothing (a tenth of its time)."""
        writer = self.writer
        if not (new and trial > self._held_up_to):
            writer.delete_documents_by_term("trial", trial)
        if entry is not None:
            writer.add_document(document(trial, entry))

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()

    def close(self) -> None:
        """Commit, let the segments' merges end and free the writer's lock."""
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    def searcher(self) -> tantivy.Searcher:
        """A searcher of the last commit: the index's ``meta.json`` is rewritten by each commit, anyone's."""
        meta = os.stat(self.path / "meta.json")
        seen = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
        if seen != self._seen:
            try:
                self.index.reload()
                self._seen = seen
            except ValueError:  # a load's merge removed a segment as it was opened: the last one read, till next time
                pass
        return self.index.searcher()

    def page(self, query: tantivy.Query, limit: int, offset: int, ranked: bool) -> tuple[int, list[int]]:
        """How many trials match, and the ids of one page of them: best first, or newest registration first."""
        searcher = self.searcher()
        found = searcher.search(query, limit, count=True, offset=offset,
                                **({} if ranked else {"order_by_field": "newest", "order": tantivy.Order.Desc}))
        ids = searcher.fast_field_values("trial", [address for _, address in found.hits])
        return found.count or 0, [int(value) for value in ids]

    def counts(self, query: tantivy.Query, kinds: Iterable[str]) -> Iterator[tuple[str, str, int]]:
        """(facet, value, trials) for the values of the ``kinds`` of facets that the matching trials carry."""
        asked = {kind: {"terms": {"field": kind, "size": LARGEST_FACET, "segment_size": LARGEST_FACET}}
                 for kind in kinds}
        if not asked:
            return
        answer = self.searcher().aggregate(query, asked)
        for kind in asked:
            for bucket in answer.get(kind, {}).get("buckets", ()):
                yield kind, bucket["key"], int(bucket["doc_count"])

    @property
    def trials(self) -> int:
        return self.searcher().num_docs
