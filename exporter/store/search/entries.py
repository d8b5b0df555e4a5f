"""What one record tells the search index about its trial (an :class:`Entry`), and a trial as the union of
its records' entries.

The entries come from each record's graph as the store receives it, so the index follows the store with no
second reading of the sources. A trial that several records describe (its ICTRP and ClinicalTrials.gov
records, EUCTR's per-country records) is one trial: each record's entry is kept, and the trial is their
union (:func:`merged`), made again when one of them changes.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

import pyoxigraph as ox

from ...mapping.terms import IRI, Literal, RecordGraph
from ...mapping.vocab import DCT, MESH, RDFS, SCHEMA, SKOS, TG
from ...resources import ontology_file

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
"""Boosts of the columns' bm25 scores: a trial's own id names it, before the trials that cite it among their
other ids; a title says more than a sponsor's name."""
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


def packed(entry: Entry) -> bytes:
    """An entry as the index keeps it, to make its trial again when another of the trial's records changes."""
    fields = [entry.record, entry.trial, entry.label, entry.identifier, entry.registered, entry.text, entry.terms]
    return zlib.compress(json.dumps(fields, ensure_ascii=False).encode(), 1)


def unpacked(body: bytes) -> Entry:
    *fields, terms = json.loads(zlib.decompress(body))
    return Entry(*fields, [tuple(term) for term in terms])


def merged(entries: Sequence[Entry]) -> Entry:
    """One trial from the records that describe it: the first record's name, every record's words and terms."""
    if len(entries) == 1:
        return entries[0]
    first = entries[0]
    union = Entry("", first.trial, first.label, first.identifier,
                  min((e.registered for e in entries if e.registered), default=""))
    for column in COLUMNS:
        union.text[column] = list(dict.fromkeys(text for e in entries for text in e.text.get(column, ())))
    union.terms = list(dict.fromkeys((kind, key, label) for e in entries for kind, key, label in e.terms))
    return union
