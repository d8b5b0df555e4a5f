"""HTTP content negotiation: Accept headers with q-values, and the file extensions that stand for them."""

from __future__ import annotations

from dataclasses import dataclass

HTML, TURTLE, JSONLD, NTRIPLES, RDFXML = (
    "text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
)
DOCUMENT_TYPES = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
"""What every resource is offered as; on a tie the first wins, so a bare ``*/*`` gets the page."""
EXTENSIONS = {".html": HTML, ".ttl": TURTLE, ".jsonld": JSONLD, ".nt": NTRIPLES, ".rdf": RDFXML}
EXTENSION_OF = {media_type: extension for extension, media_type in EXTENSIONS.items()}
FORMAT_OF = {TURTLE: "turtle", JSONLD: "jsonld", NTRIPLES: "ntriples", RDFXML: "rdfxml"}
ALSO_NAMED = {JSONLD: ("application/json",), NTRIPLES: ("text/plain",)}
"""Other names clients ask for a type by, counted when named exactly: JSON-LD is JSON, and N-Triples was
``text/plain`` before it had a type of its own (rdflib still asks ``format="nt"`` that way)."""


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int | None:
        """How closely this range names ``media_type`` (2 exactly, 1 ``type/*``, 0 ``*/*``), or ``None``."""
        kind, _, sub = media_type.partition("/")
        if self.type == kind and self.subtype == sub:
            return 2
        if self.type == kind and self.subtype == "*":
            return 1
        return 0 if self.type == "*" else None


def parse_accept(header: str | None) -> list[MediaRange]:
    """The ranges of an Accept header; none means anything, as RFC 9110 says."""
    ranges = []
    for item in (header or "*/*").split(","):
        kind, *parameters = (part.strip() for part in item.split(";"))
        if "/" not in kind:
            continue
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        main, _, sub = kind.lower().partition("/")
        ranges.append(MediaRange(main, sub, q))
    return ranges


def choose(header: str | None, offered: tuple[str, ...] = DOCUMENT_TYPES) -> str | None:
    """The offered type the client prefers most, the most specific matching range deciding its q; ``None`` if none."""
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media_type in offered:
        matches = [(r.specificity(media_type), r.q) for r in ranges if r.specificity(media_type) is not None]
        matches += [(2, r.q) for r in ranges for name in ALSO_NAMED.get(media_type, ()) if r.specificity(name) == 2]
        q = max(matches)[1] if matches else 0.0
        if q > best_q:
            best, best_q = media_type, q
    return best
