"""The store on disk: record graphs in, SPARQL out.

Loading an empty store goes through Oxigraph's bulk loader, which writes sorted files
directly and is several times faster than transactions. Every other write — a record
loaded again, the ontology, the store's own metadata — is one SPARQL update, which
Oxigraph applies in a single transaction: a reader sees the old graph or the new one,
never a mix.
"""

from __future__ import annotations

from collections.abc import Iterable
from time import perf_counter
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ..mapping.iris import DEFAULT_BASE
from ..mapping.terms import IRI, RecordGraph
from ..mapping.vocab import DCT, PREFIXES, TG
from ..output.ntriples import lines
from ..resources import ontology_file
from .results import GRAPH_FORMATS, SOLUTION_FORMATS, Answer, graph_result, solutions_result

META_GRAPH = "urn:trialgraph:meta"
"""The graph that says, for each record graph, when it was loaded and from what."""
ONTOLOGY_GRAPH = "https://w3id.org/trialgraph/ontology"
STORE_NODE = "urn:trialgraph:store"
VOID_URI_SPACE = "http://rdfs.org/ns/void#uriSpace"
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
_DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _string(value: str) -> str:
    """A string literal in N-Triples syntax."""
    return str(ox.Literal(value))


class TrialStore:
    """An Oxigraph store holding trialgraph's record graphs."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        path = Path(path)
        if read_only and not (path / "CURRENT").is_file():
            raise FileNotFoundError(2, "no trialgraph store here (run trialgraph load first)", str(path))
        self.path = path
        self.oxigraph = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))

    # -- reading ---------------------------------------------------------------------------------

    def query(self, sparql: str, **options: object) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """A query over the union of every graph, so record data, ontology labels and metadata meet."""
        return self.oxigraph.query(sparql, use_default_graph_as_union=True, **options)  # type: ignore[arg-type]

    def answer(
        self, sparql: str, solution_format: str | None = "table", graph_format: str | None = "turtle",
        limit: int | None = None,
    ) -> Answer:
        """A query's result serialised in the format given for its form; ``None`` refuses that form.

        Raises :class:`SyntaxError` for a bad query and :class:`ValueError` for a form without a format.
        """
        result = self.query(sparql)
        if isinstance(result, ox.QueryTriples):
            if graph_format is None:
                raise ValueError(f"a CONSTRUCT or DESCRIBE query gives RDF: use one of {', '.join(GRAPH_FORMATS)}")
            return graph_result(result, graph_format, limit)
        if solution_format is None:
            raise ValueError(f"a SELECT or ASK query gives results: use one of {', '.join(SOLUTION_FORMATS)}")
        return solutions_result(result, solution_format, limit)

    def is_empty(self) -> bool:
        return next(iter(self.oxigraph.quads_for_pattern(None, None, None)), None) is None

    @property
    def base(self) -> str:
        """The base IRI the records were minted under, as recorded when they were loaded."""
        for quad in self.oxigraph.quads_for_pattern(
            ox.NamedNode(STORE_NODE), ox.NamedNode(VOID_URI_SPACE), None, ox.NamedNode(META_GRAPH)
        ):
            return quad.object.value
        return DEFAULT_BASE

    def dump(self, output: BinaryIO, fmt: str) -> None:
        """The whole store, streamed; the triple formats merge the graphs, each triple once."""
        if fmt == "nquads":
            self.oxigraph.dump(output, format=ox.RdfFormat.N_QUADS)
            return
        if fmt == "trig":
            self.oxigraph.dump(output, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
            return
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
        ox.serialize(triples, output, format=_DUMP_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)

    # -- writing ---------------------------------------------------------------------------------

    def replace_graph(self, name: str, statements: str, meta: str = "") -> None:
        """Put N-Triples ``statements`` in graph ``name`` instead of what it held, in one transaction."""
        self.oxigraph.update(
            f"DROP SILENT GRAPH <{name}> ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{name}> ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{name}> {{\n{statements}}}\nGRAPH <{META_GRAPH}> {{\n{meta}}} }}"
        )

    def load_ontology(self) -> None:
        triples = ox.parse(ontology_file().read_bytes(), format=ox.RdfFormat.TURTLE)
        self.replace_graph(ONTOLOGY_GRAPH, "".join(f"{t} .\n" for t in triples), _loaded(ONTOLOGY_GRAPH, "ontology"))

    def stamp(self, base: str) -> None:
        """Say which base the records were minted under and when the store last changed."""
        node = f"<{STORE_NODE}>"
        self.oxigraph.update(
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {node} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {node} <{VOID_URI_SPACE}> {_string(base)} ; "
            f"<{DCT.modified}> \"{_now()}\"^^<{_XSD_DATETIME}> . }} }}"
        )

    def optimize(self) -> None:
        self.oxigraph.optimize()


def _loaded(graph: str, source: str) -> str:
    """The metadata of one loaded graph, as N-Triples."""
    return (
        f"<{graph}> <{DCT.modified}> \"{_now()}\"^^<{_XSD_DATETIME}> .\n"
        f"<{graph}> <{DCT.source}> {_string(source)} .\n"
    )


def _source_of(graph: RecordGraph) -> str:
    """The file or URL the record was read from, as its provenance says."""
    for subject, predicate, value in graph.triples:
        if subject == graph.name and predicate == TG.source:
            return str(getattr(value, "lexical", value))
    return ""


class StoreWriter:
    """A pipeline :class:`~exporter.output.Writer` that loads each record graph into the store.

    In an empty store, graphs are bulk loaded in batches; a graph already present (from an
    earlier load, or met twice in this one) is replaced in one transaction instead.
    """

    def __init__(self, store: TrialStore, base: str = DEFAULT_BASE, batch: int = 200) -> None:
        self.store = store
        self.base = base
        self.bulk = store.is_empty()
        self.batch = batch
        self.pending: list[RecordGraph] = []
        self.bulk_loaded: set[IRI] = set()
        self.graphs = 0
        self.triples = 0
        self.storing = 0.0  # seconds spent writing to the store, apart from reading and mapping
        store.load_ontology()

    def write(self, graph: RecordGraph) -> None:
        self.graphs += 1
        self.triples += len(graph.triples)
        if self.bulk and graph.name not in self.bulk_loaded:
            self.bulk_loaded.add(graph.name)
            self.pending.append(graph)
            if len(self.pending) >= self.batch:
                self._flush()
            return
        self._flush()
        started = perf_counter()
        self.store.replace_graph(graph.name, lines(graph, with_graph=False), _loaded(graph.name, _source_of(graph)))
        self.storing += perf_counter() - started

    def _flush(self) -> None:
        if self.pending:
            started = perf_counter()
            self.store.oxigraph.bulk_extend(_quads(self.pending))
            self.storing += perf_counter() - started
            self.pending = []

    def report(self, seconds: float) -> str:
        how = "bulk loaded" if self.bulk else "loaded"
        return (f"{how} {self.graphs} graphs, {self.triples} triples into {self.store.path} in {seconds:.1f} s: "
                f"{self.triples / seconds:,.0f} triples/s in all, "
                f"{self.triples / max(self.storing, 1e-9):,.0f} triples/s writing the store")

    def close(self) -> None:
        self._flush()
        self.store.stamp(self.base)
        self.store.oxigraph.flush()


def _quads(graphs: Iterable[RecordGraph]) -> Iterable[ox.Quad]:
    """The graphs' statements and their load metadata, parsed in one go from N-Quads text."""
    text = "".join(lines(g, with_graph=True) for g in graphs)
    meta = "".join(
        line.replace(" .\n", f" <{META_GRAPH}> .\n")
        for g in graphs
        for line in _loaded(g.name, _source_of(g)).splitlines(keepends=True)
    )
    return ox.parse((text + meta).encode(), format=ox.RdfFormat.N_QUADS)
