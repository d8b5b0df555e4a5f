"""HTML for people: server-rendered with Jinja2, every value autoescaped, no scripts of ours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from ..mapping.vocab import DCT, RDF, RDFS, SCHEMA, TG
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
        return Value(labels.get(term.value, term.value), links.href(term.value))
    if isinstance(term, ox.Literal):
        note = term.language or (None if term.datatype.value.endswith("#string") else term.datatype.value.rsplit("#")[-1])
        return Value(term.value, note=note)
    return Value(f"_:{term.value}")


def resource_page(description: Description, links: Links, property_labels: dict[str, str]) -> str:
    labels = description.labels()
    title = labels.get(description.iri, description.iri.rsplit("/", 1)[-1])
    fields = [
        (property_labels.get(predicate, predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]), predicate,
         [_value(term, labels, links) for term in values])
        for predicate, values in description.outgoing().items()
        if predicate not in (RDF.type, RDFS.label)
    ]
    rank = {predicate: number for number, predicate in enumerate(property_labels)}
    fields.sort(key=lambda field: rank.get(field[1], len(rank)))
    trials = [Value(labels.get(iri, iri), links.href(iri)) for iri in description.trials()]
    path = links.path_of(description.iri)
    alternates = [(media_type, _FORMAT_NAMES[media_type], links.root + path + EXTENSION_OF[media_type])
                  for media_type in DOCUMENT_TYPES if media_type != HTML]
    return render(
        "resource.html", title=title, iri=description.iri, types=[labels.get(t, t) for t in description.types()],
        fields=fields, trials=trials, alternates=alternates, schema_org=schema_org(description, title),
        root=links.root,
    )


def not_found_page(iri: str, links: Links) -> str:
    """The 404 page: what was not found, and a search for it (by the last part of the path, its likely id)."""
    guess = unquote(iri.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    return render("not_found.html", title="Not found", iri=iri, guess=guess, root=links.root)


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
