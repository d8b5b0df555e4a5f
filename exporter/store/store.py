"""The store on disk: record graphs in, SPARQL out.

Each record keeps its own named graph (what it said: its provenance), and the default graph
is the **merge** of them — every triple once, however many records state it — kept
materialised beside them. Queries run over that default graph, so a plain ``COUNT`` counts
each fact once, and ``GRAPH ?record { … }`` still tells which record said what.

Keeping the merge exact on every write is cheap because the named graphs are themselves the
index of who states what: when a record's graph is replaced or removed, each triple it no
longer states leaves the default graph only if no other graph still holds it (one index
look-up each). The replacement is one SPARQL update, which Oxigraph applies in a single
transaction: a reader sees the old record or the new one, never a mix.

Loading an empty store goes through Oxigraph's bulk loader, which writes sorted files
directly and is several times faster than transactions; the merge then comes for free, since
the store keeps a set per graph.

What the pages and ``/void`` count (triples, entities per class, links per target) is kept
as the store changes, in the metadata graph, so that nothing at start-up scans the data.

A writer that finishes publishes a snapshot of the store, and readers open that (see
:mod:`.snapshots`): so a load may run while a server answers, and the server sees it whole.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from time import perf_counter
from typing import BinaryIO

import pyoxigraph as ox

from ..mapping.iris import DEFAULT_BASE
from ..mapping.terms import IRI, RecordGraph, Triple
from ..mapping.vocab import DCT, PREFIXES, RDF, TG
from ..output.ntriples import lines
from ..output.repeats import Repeats
from ..resources import ontology_file
from . import snapshots
from .results import GRAPH_FORMATS, SOLUTION_FORMATS, Answer, graph_result, solutions_result
from .search import SearchIndex

META_GRAPH = "urn:trialgraph:meta"
"""The graph that says, for each record graph, when it was loaded and from what."""
ONTOLOGY_GRAPH = "https://w3id.org/trialgraph/ontology"
STORE_NODE = "urn:trialgraph:store"
STATISTICS = "urn:trialgraph:statistics"
"""The store node's property holding what ``/void`` counts, as JSON (see :class:`Statistics`)."""
WRITING = "urn:trialgraph:writing"
"""The store node's property while a load or sync writes, until it closes: found by the next writer, it says
that one was stopped before the end, and the search index may lack some of its records."""
VOID_URI_SPACE = "http://rdfs.org/ns/void#uriSpace"
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
_DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}
_DEFAULT = ox.DefaultGraph()
_WEB_HOST = re.compile("^(https?://[^/]*)")
"""What a link to another dataset is counted by: its web host."""
_META = ox.NamedNode(META_GRAPH)
_KEPT_AS_WRITTEN = frozenset(("http://www.w3.org/2001/XMLSchema#string",
                              "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _string(value: str) -> str:
    """A string literal in N-Triples syntax."""
    return str(ox.Literal(value))


class Statistics(Counter):
    """What ``/void`` and the home page count in the default graph: ``triples``, ``class <IRI>`` (entities of a
    class), ``sources <format>`` (records read from it), ``links <scheme://host/>`` (triples pointing at another
    dataset). Additive, so a write adds what it
    added and subtracts what it removed."""

    @classmethod
    def of(cls, triples: Iterable[ox.Triple], base: str) -> Statistics:
        return cls.of_statements(((t.predicate.value, t.object.value, isinstance(t.object, ox.NamedNode))
                                  for t in triples), base)

    @classmethod
    def of_terms(cls, triples: Iterable[Triple], base: str) -> Statistics:
        """The counts of the mapper's statements, as a record graph holds them."""
        return cls.of_statements(((p, o if isinstance(o, IRI) else o.lexical, isinstance(o, IRI))
                                  for _, p, o in triples), base)

    @classmethod
    def of_statements(cls, statements: Iterable[tuple[str, str, bool]], base: str) -> Statistics:
        """The counts of ``(predicate, object's value, whether the object is an IRI)`` statements."""
        counts = cls()
        for predicate, value, is_iri in statements:
            counts["triples"] += 1
            if predicate == RDF.type:
                counts["class " + value] += 1
            elif predicate == TG.sourceFormat:
                counts["sources " + value] += 1
            elif is_iri and not value.startswith((base, TG.iri)):
                if linked := _WEB_HOST.match(value):
                    counts["links " + linked.group(1) + "/"] += 1
        return counts

    def classes(self) -> dict[str, int]:
        return {key[6:]: n for key, n in sorted(self.items()) if key.startswith("class ") and n}

    def sources(self) -> list[str]:
        """The source formats the records were read from."""
        return [key[8:] for key, n in sorted(self.items()) if key.startswith("sources ") and n]

    def links(self) -> dict[str, int]:
        return {key[6:]: n for key, n in sorted(self.items()) if key.startswith("links ") and n}


class TrialStore:
    """An Oxigraph store holding trialgraph's record graphs and their merge."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        path = Path(path)
        if read_only and not (path / "CURRENT").is_file():
            raise FileNotFoundError(2, "no trialgraph store here (run trialgraph load first)", str(path))
        self.path = path
        self.oxigraph = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        self.lease: snapshots.Lease | None = None  # the snapshot this store is, kept from removal while open

    # -- reading ---------------------------------------------------------------------------------

    def query(self, sparql: str, **options: object) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """A query over the default graph — the merge of the records and the ontology, each triple once — with
        every named graph (records, ontology, metadata) reachable through ``GRAPH``."""
        return self.oxigraph.query(sparql, **options)  # type: ignore[arg-type]

    def answer(
        self, sparql: str, solution_format: str | None = "table", graph_format: str | None = "turtle",
        limit: int | None = None, max_bytes: int | None = None,
    ) -> Answer:
        """A query's result serialised in the format given for its form; ``None`` refuses that form.

        Raises :class:`SyntaxError` for a bad query, :class:`ValueError` for a form without a format
        and :class:`~.results.AnswerTooLarge` for an answer past ``max_bytes``.
        """
        result = self.query(sparql)
        if isinstance(result, ox.QueryTriples):
            if graph_format is None:
                raise ValueError(f"a CONSTRUCT or DESCRIBE query gives RDF: use one of {', '.join(GRAPH_FORMATS)}")
            return graph_result(result, graph_format, limit, max_bytes)
        if solution_format is None:
            raise ValueError(f"a SELECT or ASK query gives results: use one of {', '.join(SOLUTION_FORMATS)}")
        return solutions_result(result, solution_format, limit, max_bytes)

    def is_empty(self) -> bool:
        return next(iter(self.oxigraph.quads_for_pattern(None, None, None)), None) is None

    def _stated(self, predicate: str) -> str | None:
        for quad in self.oxigraph.quads_for_pattern(ox.NamedNode(STORE_NODE), ox.NamedNode(predicate), None, _META):
            return quad.object.value
        return None

    @property
    def base(self) -> str:
        """The base IRI the records were minted under, as recorded when they were loaded."""
        return self._stated(VOID_URI_SPACE) or DEFAULT_BASE

    @property
    def modified(self) -> str | None:
        """When the store last changed (``xsd:dateTime``)."""
        return self._stated(DCT.modified)

    @property
    def statistics(self) -> Statistics:
        """The counts kept as the store changed (empty for a store loaded before they were kept)."""
        stated = self._stated(STATISTICS)
        return Statistics(json.loads(stated)) if stated else Statistics()

    def named_quads(self) -> Iterator[ox.Quad]:
        """Every named graph's statements: the records, the ontology, the metadata (not their merge)."""
        return (q for q in self.oxigraph.quads_for_pattern(None, None, None) if q.graph_name != _DEFAULT)

    def dump(self, output: BinaryIO, fmt: str) -> None:
        """The whole store, streamed: N-Quads the named graphs (records, ontology, metadata), each as loaded; the
        triple formats the default graph, which is their merge."""
        if fmt == "nquads":
            ox.serialize(self.named_quads(), output, format=ox.RdfFormat.N_QUADS)
            return
        if fmt == "trig":
            ox.serialize(self.named_quads(), output, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
            return
        triples = (q.triple for q in self.oxigraph.quads_for_pattern(None, None, None, _DEFAULT))
        ox.serialize(triples, output, format=_DUMP_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)

    # -- writing ---------------------------------------------------------------------------------

    def replace_graph(self, name: str, statements: str, meta: str = "", base: str = DEFAULT_BASE) -> Statistics:
        """Put N-Triples ``statements`` in graph ``name`` instead of what it held, and keep the default graph the
        merge, in one transaction. Returns how the counts changed.

        Records have no blank nodes; the ontology's (its ``owl:unionOf`` lists) are the only ones in the store,
        so when a graph that had some is replaced, the default graph's blank-node triples go with it.
        """
        graph = ox.NamedNode(name)
        old = {q.triple for q in self.oxigraph.quads_for_pattern(None, None, None, graph)}
        new = set(_parsed(statements)) if statements else set()
        blank = [t for t in old if _has_blank(t)]
        gone = [t for t in old - new if not _has_blank(t) and not self._held_elsewhere(t, graph)]
        fresh = [t for t in new - old if _has_blank(t) or not self.in_default(t)]
        self.oxigraph.update(
            f"DROP SILENT GRAPH <{name}> ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{name}> ?p ?o }} }} ;\n"
            + ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } ;\n" if blank else "")
            + f"DELETE DATA {{ {''.join(f'{t} . ' for t in gone)} }} ;\n"
            f"INSERT DATA {{ GRAPH <{name}> {{\n{statements}}}\nGRAPH <{META_GRAPH}> {{\n{meta}}}\n"
            f"{''.join(f'{t} .{chr(10)}' for t in fresh)} }}"
        )
        change = Statistics.of(fresh, base)
        change.subtract(Statistics.of(gone + blank, base))
        return change

    def add_graphs(self, graphs: Iterable[tuple[str, str, str]], base: str = DEFAULT_BASE) -> Statistics:
        """Put ``(name, N-Triples statements, N-Triples load metadata)`` graphs that the store does not hold yet
        in their named graphs, their statements in the default graph, all in one transaction; how the counts
        changed.

        Faster than :meth:`replace_graph` for each: nothing to take away, one parse, one commit.
        """
        quads: list[ox.Quad] = []
        fresh: dict[ox.Triple, None] = {}  # in order, each once
        for name, statements, meta in graphs:
            graph = ox.NamedNode(name)
            for triple in _parsed(statements):
                quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
                if triple not in fresh and not self.in_default(triple):
                    fresh[triple] = None
            quads += (ox.Quad(t.subject, t.predicate, t.object, _META)
                      for t in ox.parse(meta.encode(), format=ox.RdfFormat.N_TRIPLES))
        quads += (ox.Quad(t.subject, t.predicate, t.object) for t in fresh)
        self.oxigraph.extend(quads)
        return Statistics.of(fresh, base)

    def remove_graph(self, name: str, base: str = DEFAULT_BASE) -> Statistics:
        """Take graph ``name`` and its metadata out; what only it stated leaves the default graph."""
        return self.replace_graph(name, "", "", base)

    def _held_elsewhere(self, triple: ox.Triple, graph: ox.NamedNode) -> bool:
        """Whether a named graph other than ``graph`` (and the metadata) states ``triple``."""
        return any(
            q.graph_name not in (graph, _DEFAULT, _META)
            for q in self.oxigraph.quads_for_pattern(triple.subject, triple.predicate, triple.object)
        )

    def in_default(self, triple: ox.Triple) -> bool:
        """Whether the default graph, the merge, holds ``triple``."""
        return next(iter(self.oxigraph.quads_for_pattern(triple.subject, triple.predicate, triple.object, _DEFAULT)),
                    None) is not None

    def load_ontology(self) -> Statistics:
        """The ontology in its graph and in the merge, unless this very version is there already."""
        text = ontology_file().read_bytes()
        source = "ontology sha256:" + hashlib.sha256(text).hexdigest()
        held = self.oxigraph.quads_for_pattern(ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(DCT.source), None, _META)
        if any(quad.object.value == source for quad in held):
            return Statistics()
        triples = ox.parse(text, format=ox.RdfFormat.TURTLE)
        return self.replace_graph(ONTOLOGY_GRAPH, "".join(f"{t} .\n" for t in triples), loaded(ONTOLOGY_GRAPH, source))

    def begin_writing(self) -> bool:
        """Mark the store as being written until :meth:`end_writing`; whether an earlier writer left it marked."""
        node = ox.NamedNode(STORE_NODE)
        stopped = next(iter(self.oxigraph.quads_for_pattern(node, ox.NamedNode(WRITING), None, _META)), None) is not None
        self.oxigraph.add(ox.Quad(node, ox.NamedNode(WRITING), ox.Literal(_now(), datatype=ox.NamedNode(_XSD_DATETIME)),
                                  _META))
        return stopped

    def adjust(self, change: Statistics, base: str) -> None:
        """Add ``change`` to the counts kept: what a write besides the record graphs' (the change log's) did to
        the default graph."""
        kept = self.statistics
        kept.update(change)
        self.stamp(base, kept, modified=False)

    def stamp(self, base: str, statistics: Statistics, modified: bool = True) -> None:
        """Say which base the records were minted under, what the store counts and (unless not ``modified``: only
        the change log was written) that it changed now."""
        node = f"<{STORE_NODE}>"
        kept = json.dumps({key: n for key, n in sorted(statistics.items()) if n}, separators=(",", ":"))
        said = {VOID_URI_SPACE: _string(base), STATISTICS: _string(kept)}
        if modified:
            said[DCT.modified] = f'"{_now()}"^^<{_XSD_DATETIME}>'
        self.oxigraph.update(
            "".join(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {node} <{p}> ?o }} }} ;\n" for p in said)
            + f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {node} "
            + " ; ".join(f"<{p}> {value}" for p, value in said.items()) + " . } }")

    def end_writing(self) -> None:
        """Take away the mark of :meth:`begin_writing`: the writer ended."""
        self.oxigraph.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{STORE_NODE}> <{WRITING}> ?o }} }}")

    def count(self, base: str) -> Statistics:
        """The counts read from the default graph itself, by the engine (minutes at a million trials): after a
        bulk load that also replaced graphs, and to check the counts kept."""
        counts = Statistics()
        for (n,) in self.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"):
            counts["triples"] = int(n.value)
        for cls, n in self.query("SELECT ?c (COUNT(*) AS ?n) { ?s a ?c } GROUP BY ?c"):
            counts["class " + cls.value] = int(n.value)
        for source, n in self.query(f"SELECT ?f (COUNT(*) AS ?n) {{ ?r <{TG.sourceFormat}> ?f }} GROUP BY ?f"):
            counts["sources " + source.value] = int(n.value)
        for target, n in self.query(
            f"""SELECT ?t (COUNT(*) AS ?n) {{ ?s ?p ?o FILTER(isIRI(?o) && ?p != <{RDF.type}>
                && !STRSTARTS(STR(?o), "{base}") && !STRSTARTS(STR(?o), "{TG.iri}") && REGEX(STR(?o), "{_WEB_HOST.pattern}"))
                BIND(REPLACE(STR(?o), "{_WEB_HOST.pattern}.*$", "$1/") AS ?t) }} GROUP BY ?t"""):
            counts["links " + target.value] = int(n.value)
        return counts

    def optimize(self) -> None:
        self.oxigraph.optimize()

    def publish(self) -> str:
        """Make what is written now the snapshot readers see; its name."""
        return snapshots.publish(self.oxigraph, self.path)


def open_current(path: str | Path) -> TrialStore:
    """The store at ``path`` as its last finished write left it, read-only: its current snapshot, or the store
    itself when none was published (a store made before snapshots)."""
    lease = snapshots.lease(Path(path))
    if lease is None:
        return TrialStore(path, read_only=True)
    store = TrialStore(lease.path, read_only=True)
    store.lease = lease
    return store


def _parsed(statements: str) -> list[ox.Triple]:
    """N-Triples ``statements`` as the store gives them back: Oxigraph keeps a literal of a type it knows by its
    value, and writes it in canonical form (``"…T22:13:20+00:00"^^xsd:dateTime`` comes back ``"…T22:13:20Z"``),
    so a record compared with what the store holds must be in that form too."""
    triples = [q.triple for q in ox.parse(statements.encode(), format=ox.RdfFormat.N_TRIPLES)]
    typed = [i for i, t in enumerate(triples)
             if isinstance(t.object, ox.Literal) and t.object.datatype.value not in _KEPT_AS_WRITTEN]
    if not typed:
        return triples
    scratch = ox.Store()
    scratch.extend(ox.Quad(triples[i].subject, triples[i].predicate, triples[i].object, ox.NamedNode(f"urn:i:{i}"))
                   for i in typed)
    for quad in scratch:
        triples[int(quad.graph_name.value[6:])] = quad.triple
    return triples


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def loaded(graph: str, source: str) -> str:
    """The metadata of one loaded graph, as N-Triples."""
    return (
        f"<{graph}> <{DCT.modified}> \"{_now()}\"^^<{_XSD_DATETIME}> .\n"
        f"<{graph}> <{DCT.source}> {_string(source)} .\n"
    )


def source_of(graph: RecordGraph) -> str:
    """The file or URL the record was read from, as its provenance says."""
    for subject, predicate, value in graph.triples:
        if subject == graph.name and predicate == TG.source:
            return str(getattr(value, "lexical", value))
    return ""


class StoreWriter:
    """A pipeline :class:`~exporter.output.Writer` that loads each record graph into the store.

    Graphs the store does not hold yet are written in batches: into an empty store through the bulk
    loader, else in one transaction a batch. A graph already present (from an earlier load, or met
    twice in this one) is replaced in one transaction of its own. The counts are kept as they
    change: a bulk-loaded graph's own statements counted as it comes, the statements several records may make
    once each at the end (the merge holds them once).

    With ``compact``, a bulk load compacts the store when the writer closes, before publishing it: the bulk
    loader leaves its data in many files that every lookup must search (a query over 100,000 trials took 4.0 s
    so, and 0.76 s compacted), and a store is never compacted once it is only read. Writers closed once per
    page (a sync) do not compact: a full compaction rewrites the whole store.
    """

    def __init__(self, store: TrialStore, base: str = DEFAULT_BASE, batch: int = 200, compact: bool = False) -> None:
        self.store = store
        self.compact = compact
        self.compacting = 0.0  # seconds
        self.base = base
        self.bulk = store.is_empty()
        self.batch = batch
        self.pending: dict[IRI, RecordGraph] = {}
        self.graphs = 0
        self.triples = 0
        self.storing = 0.0  # seconds spent writing to the store, apart from reading and mapping
        self.statistics = store.statistics
        self.stamped = Statistics(self.statistics)  # as kept at the last stamp: the change since is this writer's
        self.statistics.update(store.load_ontology())
        self.stopped_before = store.begin_writing()
        self.writing = True
        self.search = SearchIndex.of_store(store)
        self.repeats = Repeats()  # bulk loading: what several records may state, counted once at close
        self.repeats_counted = 0
        self.recount = False  # bulk loading: a graph was replaced, the counts are the store's own again at close

    def write(self, graph: RecordGraph) -> None:
        if not self.writing:  # written on after a close (a sync commits each page)
            self.store.begin_writing()
            self.writing = True
        self.search.add(graph)
        self.graphs += 1
        self.triples += len(graph.triples)
        if graph.name not in self.pending and not self.store.oxigraph.contains_named_graph(ox.NamedNode(graph.name)):
            self.pending[graph.name] = graph
            if self.bulk:
                self.bulk_counted(Statistics.of_terms(graph.own(), self.base), graph.repeatable())
            if len(self.pending) >= self.batch:
                self._flush()
            return
        self._flush()
        self.recount = self.recount or self.bulk
        started = perf_counter()
        self.statistics.update(self.store.replace_graph(
            graph.name, lines(graph, with_graph=False), loaded(graph.name, source_of(graph)), self.base))
        self.storing += perf_counter() - started

    def bulk_counted(self, own: Statistics, repeatable: Iterable[Triple]) -> None:
        """Count what bulk-loaded graphs state: ``own``, the counts of the statements only they make, and the
        statements other records may make too, each counted once, at :meth:`close`. The bulk loader tells
        nothing of what it added, and counting the whole store again takes minutes at a million trials."""
        self.statistics.update(own)
        self.repeats.extend(repeatable)

    def _flush(self) -> None:
        if not self.pending:
            return
        started = perf_counter()
        graphs = self.pending.values()
        if self.bulk:
            self.store.oxigraph.bulk_extend(_quads(graphs))
        else:
            self.statistics.update(self.store.add_graphs(
                ((g.name, lines(g, with_graph=False), loaded(g.name, source_of(g))) for g in graphs), self.base))
        self.storing += perf_counter() - started
        self.pending = {}

    def report(self, seconds: float, records: int) -> str:
        how = "bulk loaded" if self.bulk else "loaded"
        compacted = f", {self.compacting:.1f} s of it compacting" if self.compacting else ""
        return (f"{how} {records:,} records into {self.store.path} in {seconds:.1f} s ({records / seconds:,.0f} "
                f"records/s{compacted}); the default graph holds {self.statistics['triples']:,} distinct triples")

    def close(self) -> None:
        self._flush()
        if self.bulk:  # the repeatable statements met since the last close, each once
            fresh = islice(self.repeats.statements, self.repeats_counted, None)
            self.statistics.update(Statistics.of_terms(fresh, self.base))
            self.repeats_counted = len(self.repeats.statements)
        if self.recount:
            self.statistics, self.recount = self.store.count(self.base), False
        else:
            change = Statistics(self.statistics)
            change.subtract(self.stamped)
            self.statistics = self.store.statistics  # with what others wrote meanwhile (the change log)
            self.statistics.update(change)
        self.store.stamp(self.base, self.statistics)
        self.stamped = Statistics(self.statistics)
        self.store.end_writing()
        self.writing = False
        self.store.oxigraph.flush()
        if self.compact and self.bulk:
            started = perf_counter()
            self.store.optimize()
            self.compacting += perf_counter() - started
        if self.stopped_before:  # the records that a stopped writer stored but did not get into the index
            self.search.index_graphs(self.store.oxigraph, only_new=True)
            self.stopped_before = False  # once: a sync closes after every page
        self.search.close()
        self.store.publish()


def stored_lines(graph: RecordGraph) -> str:
    """A record as the store keeps it, in N-Quads: its statements in its graph and in the default graph (which
    keeps one of each), then the graph's load metadata."""
    meta = loaded(graph.name, source_of(graph)).replace(" .\n", f" <{META_GRAPH}> .\n")
    return lines(graph, with_graph=True) + lines(graph, with_graph=False) + meta


def _quads(graphs: Iterable[RecordGraph]) -> Iterator[ox.Quad]:
    """The graphs as the store keeps them (:func:`stored_lines`), parsed in one go."""
    return ox.parse("".join(stored_lines(g) for g in graphs).encode(), format=ox.RdfFormat.N_QUADS)
