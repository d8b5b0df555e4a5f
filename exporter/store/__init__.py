"""The embedded store: record graphs in Oxigraph on disk, queried with SPARQL.

One named graph per source record, the ontology in a graph of its own so that concept
labels resolve, and a ``meta`` graph saying when and from what each graph was loaded.
"""

from .results import GRAPH_FORMATS, SOLUTION_FORMATS, Answer, graph_result, solutions_result
from .store import META_GRAPH, ONTOLOGY_GRAPH, StoreWriter, TrialStore, open_current

__all__ = [
    "GRAPH_FORMATS", "META_GRAPH", "ONTOLOGY_GRAPH", "SOLUTION_FORMATS", "Answer", "StoreWriter", "TrialStore",
    "graph_result", "open_current", "solutions_result",
]
