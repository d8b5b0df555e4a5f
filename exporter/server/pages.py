"""HTML for people: server-rendered with Jinja2, every value autoescaped, no scripts of ours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from ..mapping.vocab import DCT, MESH, RDF, RDFS, SCHEMA, TG
from .describe import Description
from .negotiation import DOCUMENT_TYPES, EXTENSION_OF, HTML

_ENVIRONMENT = Environment(
    loader=PackageLoader("exporter.server", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_FORMAT_NAMES = {"text/html": "HTML", "text/turtle": "Turtle", "application/ld+json": "JSON-LD",
                 "application/n-triples": "N-Triples", "application/rdf+xml": "RDF/XML"}
_SCHEMA_TYPES = {TG.Organisation: "Organization", TG.Registry: "Organization", TG.Country: "Country",
                 TG.Condition: "MedicalCondition", TG.Intervention: "MedicalEntity"}


def render(template: str, **values: Any) -> str:
    return _ENVIRONMENT.get_template(template).render(**values)


@dataclass(frozen=True)
class Links:
    """Turns IRIs into links: those under the base become paths of this server, so they work on any host name."""

    base: str
    root: str = ""  # the path the app is mounted at behind a proxy

    def href(self, iri: str) -> str | None:
        """A path on this server, a web address as it is, or no link at all for other schemes
        (``javascript:``, ``data:``), which a page must never make clickable."""
        if iri.startswith(self.base):
            return self.root + "/" + iri[len(self.base):]
        return iri if iri.startswith(("http://", "https://")) else None

    def path_of(self, iri: str) -> str:
        return "/" + iri[len(self.base):]


@dataclass(frozen=True)
class Value:
    """One value on a page: a text, or a link with the label it is shown by."""

    text: str
    href: str | None = None
    note: str | None = None  # a literal's language or datatype


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal, labels: dict[str, str], links: Links) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(labels.get(term.value) or _fallback_label(term.value, links), links.href(term.value))
    if isinstance(term, ox.Literal):
        note = term.language or (None if term.datatype.value.endswith("#string") else term.datatype.value.rsplit("#")[-1])
        return Value(term.value, note=note)
    return Value(f"_:{term.value}")


def _fallback_label(iri: str, links: Links) -> str:
    """A readable name for a node the store does not label: a trial of another register that only a
    "same trial as" link names reads as its id (``NCT04044690``), a part of a trial as its path under it
    (``ethics review 1``), a MeSH descriptor as its id."""
    if iri.startswith(MESH.iri):
        return f"MeSH {iri[len(MESH.iri):]}"
    if not iri.startswith(links.base):
        return iri
    path = [unquote(part) for part in iri[len(links.base):].split("/")]
    if path[0] == "trial" and len(path) >= 3:
        return " ".join(path[3:]).replace("-", " ") or path[2]
    return " ".join(path[1:]) or iri


AS_REGISTERED = "AsRegistered"


def _fields(description: Description, labels: dict[str, str], links: Links,
            property_labels: dict[str, str]) -> list[tuple[str, str, list[Value], list[Value]]]:
    """The resource's values by property, in the ontology's order; a value as registered goes beside the
    normalised one it was read into (``tg:phase`` and ``tg:phaseAsRegistered`` make one row)."""
    values = description.outgoing()

    def label(predicate: str) -> str:
        return property_labels.get(predicate, predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])

    fields = []
    for predicate, terms in values.items():
        if predicate in (RDF.type, RDFS.label) or (
                predicate.endswith(AS_REGISTERED) and predicate[:-len(AS_REGISTERED)] in values):
            continue
        registered = [_value(term, labels, links) for term in values.get(predicate + AS_REGISTERED, [])]
        fields.append((label(predicate), predicate, [_value(term, labels, links) for term in terms], registered))
    rank = {predicate: number for number, predicate in enumerate(property_labels)}
    fields.sort(key=lambda field: rank.get(field[1], len(rank)))
    return fields


def resource_page(description: Description, links: Links, property_labels: dict[str, str],
                  linked: list[dict] | None = None) -> str:
    """A resource's page; ``linked`` are the trials linking to it, paged by role, from the search index."""
    labels = description.labels()
    title = labels.get(description.iri) or _fallback_label(description.iri, links)
    fields = _fields(description, labels, links, property_labels)
    names = sorted({t.object.value for t in description.triples if t.subject.value == description.iri
                    and t.predicate.value == RDFS.label and isinstance(t.object, ox.Literal)})
    path = links.path_of(description.iri)
    alternates = [(media_type, _FORMAT_NAMES[media_type], links.root + path + EXTENSION_OF[media_type])
                  for media_type in DOCUMENT_TYPES if media_type != HTML]
    return render(
        "resource.html", title=title, iri=description.iri, types=[labels.get(t, t) for t in description.types()],
        fields=fields, linked=linked or [], roles=ROLE_TITLES, names=names if len(names) > 1 else [],
        alternates=alternates, schema_org=schema_org(description, title), root=links.root,
    )


ROLE_TITLES = {
    "sponsor": "Trials as primary sponsor",
    "secondary sponsor": "Trials as secondary sponsor",
    "funder": "Trials as funder",
    "condition": "Trials of this condition",
    "intervention": "Trials of this intervention",
    "country": "Trials in this country",
    "register": "Trials in this register",
    "phase": "Trials in this phase",
    "status": "Trials with this status",
    "type": "Trials of this type",
    "sponsor_class": "Trials whose primary sponsor is of this class",
    "same trial as": "Trials that say they are this trial, in other registers",
}
"""How a page names the trials linking to it in each role."""


def not_found_page(iri: str, links: Links) -> str:
    """The 404 page: what was not found, and a search for it (by the last part of the path, its likely id)."""
    guess = unquote(iri.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    return render("not_found.html", title="Not found", iri=iri, q=guess, root=links.root)


def schema_org(description: Description, title: str) -> dict[str, Any]:
    """The schema.org summary search engines read: the resource's kind, name, and for a trial its main links."""
    values, labels = description.outgoing(), description.labels()
    types = description.types()
    kind = "MedicalTrial" if TG.Trial in types else next((_SCHEMA_TYPES[t] for t in types if t in _SCHEMA_TYPES), "Thing")
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "@id": description.iri, "name": title}

    def texts(predicate: str) -> list[str]:
        return [term.value for term in values.get(predicate, []) if isinstance(term, ox.Literal)]

    def named(predicate: str, schema_type: str) -> list[dict[str, str]]:
        return [{"@type": schema_type, "@id": t.value, "name": labels.get(t.value, t.value)}
                for t in values.get(predicate, []) if isinstance(t, ox.NamedNode)]

    if description_text := texts(SCHEMA.description):
        data["description"] = description_text[0]
    if kind == "MedicalTrial":
        data["identifier"] = texts(DCT.identifier)
        data["sponsor"] = named(TG.primarySponsor, "Organization") + named(TG.secondarySponsor, "Organization")
        data["funder"] = named(TG.funder, "Organization")
        data["healthCondition"] = named(TG.condition, "MedicalCondition")
        data["studySubject"] = named(TG.intervention, "MedicalEntity")
        data["spatialCoverage"] = named(TG.country, "Country")
        data["alternateName"] = texts(TG.scientificTitle)
    return {key: value for key, value in data.items() if value not in ([], None)}
