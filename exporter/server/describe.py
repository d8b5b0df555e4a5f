"""What the server says about one resource: its outgoing triples, the labels of what they point
to, and the trials that point to it — so a sponsor's, country's, condition's or
intervention's description lists its trials."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..mapping.vocab import RDF, RDFS, SCHEMA, SKOS, TG
from ..store import TrialStore

# What names a node on a page, best first: its label, else the name, value or measure it has.
_LABELS = (RDFS.label, SKOS.prefLabel, SCHEMA.name, SCHEMA.value, TG.measure)
_OUTGOING = f"""{{ ?r ?p ?o OPTIONAL {{
    VALUES ?labelled {{ {" ".join(f"<{p}>" for p in _LABELS)} }} ?o ?labelled ?label }} }}"""
_DESCRIBE = f"""
CONSTRUCT {{ ?r ?p ?o . ?o ?labelled ?label . ?trial ?link ?r . ?trial <{RDFS.label}> ?title }}
WHERE {{
  {_OUTGOING}
  UNION
  {{ ?trial ?link ?r FILTER EXISTS {{ ?trial a <{TG.Trial}> }} OPTIONAL {{ ?trial <{RDFS.label}> ?title }} }}
}}"""
"""The trials are found from the links to the resource and then tested: as a join, Oxigraph started from every
trial (0.5 s a page at 100,000 trials, for a resource that nothing links to as for a hub)."""
_DESCRIBE_OUTGOING = f"""
CONSTRUCT {{ ?r ?p ?o . ?o ?labelled ?label . ?trial ?link ?r }}
WHERE {{ {_OUTGOING} UNION {{ SELECT ?r ?trial ?link WHERE {{ ?trial ?link ?r }} LIMIT 1 }} }}"""
"""Without the trials that link in, but one, so that a node known only by links to it exists: a page lists
them from the search index, paged, however many there are."""


@dataclass
class Description:
    """A resource's triples and, for reading them, labels by IRI and the trials linking to it."""

    iri: str
    triples: list[ox.Triple]

    @property
    def exists(self) -> bool:
        return bool(self.triples)

    def outgoing(self) -> dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]:
        """The resource's own values by predicate, in the order first seen."""
        values: dict[str, list] = {}
        for triple in self.triples:
            if triple.subject.value == self.iri and triple.object not in values.setdefault(triple.predicate.value, []):
                values[triple.predicate.value].append(triple.object)
        return values

    def labels(self) -> dict[str, str]:
        """A label for each labelled node: by the rank of its predicate, then an English or untagged one."""
        best: dict[str, tuple[tuple[int, bool], str]] = {}
        for t in self.triples:
            if t.predicate.value in _LABELS and isinstance(t.object, ox.Literal):
                rank = (_LABELS.index(t.predicate.value), t.object.language not in (None, "en"))
                if t.subject.value not in best or rank < best[t.subject.value][0]:
                    best[t.subject.value] = (rank, t.object.value)
        return {subject: label for subject, (_, label) in best.items()}

    def trials(self) -> list[str]:
        """The trials linking to the resource, by IRI, in label order."""
        labels = self.labels()
        linking = {t.subject.value for t in self.triples if t.object == ox.NamedNode(self.iri) and t.subject.value != self.iri}
        return sorted(linking, key=lambda iri: (labels.get(iri, iri).casefold(), iri))

    def types(self) -> list[str]:
        return [o.value for o in self.outgoing().get(RDF.type, []) if isinstance(o, ox.NamedNode)]


def describe(store: TrialStore, iri: str, incoming: bool = True) -> Description:
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # a request path that makes no IRI (a stray %, a backslash) names nothing we hold
        return Description(iri, [])
    triples = store.query(_DESCRIBE if incoming else _DESCRIBE_OUTGOING, substitutions={ox.Variable("r"): node})
    return Description(iri, list(triples))
