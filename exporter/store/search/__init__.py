"""The search index kept beside the store: every trial's words, ranked, and its facet values, counted.

:mod:`.entries` reads what each record tells the index; :mod:`.text` matches, ranks and counts with
tantivy; :mod:`.index` keeps the rest in SQLite and answers the server's questions.
"""

from .entries import COLUMNS, FACETS, ROLES, WEIGHTS, Entry, concept_labels, entry_of
from .index import INDEX_FILE, Count, Hit, Results, SearchIndex
from .text import Word, words

__all__ = ["COLUMNS", "FACETS", "INDEX_FILE", "ROLES", "WEIGHTS", "Count", "Entry", "Hit", "Results", "SearchIndex",
           "Word", "concept_labels", "entry_of", "words"]
