"""Query results as bytes in the SPARQL result formats and RDF syntaxes, with a cap on their size.

Written here rather than with pyoxigraph's serialisers because those take a whole result
iterator: to cap a result at ``limit`` rows the rows must be counted as they are read,
and the CLI, the server and its query workers all need the very same output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..mapping.terms import IRI, XSD_STRING, Literal, Term
from ..mapping.vocab import PREFIXES
from ..output.jsonld import Compactor
from ..resources import context

Row = list["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]

SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "text/plain",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}


@dataclass(frozen=True)
class Answer:
    """A serialised result: its bytes, media type, and whether rows were cut at the cap."""

    body: bytes
    media_type: str
    truncated: bool = False


class AnswerTooLarge(ValueError):
    """The answer passed its byte cap: it is refused whole, never cut without a word."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the answer passed {max_bytes / 2**20:g} MB and was stopped: "
                         "narrow the query or add a LIMIT")


def _bounded(items: Iterable, max_bytes: int | None) -> Iterator:
    """``items`` as they come, stopped with :class:`AnswerTooLarge` once their terms pass ``max_bytes``.

    Counted while reading, so a few huge rows are refused before they are all held in memory.
    """
    if max_bytes is None:
        yield from items
        return
    total = 0
    for item in items:
        total += sum(len(str(term)) for term in item if term is not None)
        if total > max_bytes:
            raise AnswerTooLarge(max_bytes)
        yield item


def _capped(items: Iterable, limit: int | None, max_bytes: int | None = None) -> tuple[list, bool]:
    items = _bounded(items, max_bytes)
    if limit is None:
        return list(items), False
    taken = list(islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def _sized(answer: Answer, max_bytes: int | None) -> Answer:
    if max_bytes is not None and len(answer.body) > max_bytes:
        raise AnswerTooLarge(max_bytes)
    return answer


# -- SELECT and ASK ----------------------------------------------------------------------------


def solutions_result(result: ox.QuerySolutions | ox.QueryBoolean, fmt: str, limit: int | None = None,
                     max_bytes: int | None = None) -> Answer:
    """A SELECT or ASK result in one of :data:`SOLUTION_FORMATS`, of at most ``max_bytes``."""
    if isinstance(result, ox.QueryBoolean):
        return Answer(_WRITE_BOOLEAN[fmt](bool(result)).encode(), SOLUTION_FORMATS[fmt])
    names = [variable.value for variable in result.variables]
    rows, truncated = _capped(([solution[name] for name in names] for solution in result), limit, max_bytes)
    return _sized(Answer(_WRITE_ROWS[fmt](names, rows).encode(), SOLUTION_FORMATS[fmt], truncated), max_bytes)


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def _json_rows(names: list[str], rows: list[Row]) -> str:
    bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def _xml_rows(names: list[str], rows: list[Row]) -> str:
    out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>\n<results>\n"]
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in zip(names, row) if t)
        out.append(f"<result>{cells}</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as a person reads it: an IRI, a literal's text, ``_:b`` for a blank node."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _delimited(names: list[str], rows: list[Row], tsv: bool) -> str:
    buffer = io.StringIO()
    if tsv:  # SPARQL TSV: N-Triples terms, tabs and line ends escaped inside them
        buffer.write("\t".join(f"?{n}" for n in names) + "\n")
        for row in rows:
            buffer.write("\t".join("" if t is None else str(t).replace("\t", "\\t") for t in row) + "\n")
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([plain(t) for t in row] for row in rows)
    return buffer.getvalue()


def _table(names: list[str], rows: list[Row], width: int = 60) -> str:
    """Aligned columns for a terminal; long values are shortened with an ellipsis."""
    cells = [[(v if len(v) <= width else v[: width - 1] + "…") for v in map(plain, row)] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *map(line, cells)]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


_WRITE_ROWS = {
    "json": _json_rows,
    "xml": _xml_rows,
    "csv": lambda names, rows: _delimited(names, rows, tsv=False),
    "tsv": lambda names, rows: _delimited(names, rows, tsv=True),
    "table": _table,
}
_WRITE_BOOLEAN = {
    "json": lambda value: json.dumps({"head": {}, "boolean": value}) + "\n",
    "xml": lambda value: f"{_XML_HEAD}<head/>\n<boolean>{str(value).lower()}</boolean>\n</sparql>\n",
    "csv": lambda value: f"{str(value).lower()}\r\n",
    "tsv": lambda value: f"{str(value).lower()}\n",
    "table": lambda value: f"{str(value).lower()}\n",
}


# -- CONSTRUCT and DESCRIBE ----------------------------------------------------------------------


def light(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    """An Oxigraph term as the mapper's light term; a blank node keeps its ``_:`` name."""
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return IRI(f"_:{term.value}")
    return Literal(term.value, term.datatype.value, term.language)


def jsonld(triples: Iterable[ox.Triple]) -> dict:
    """Compact JSON-LD under the project's ``@context``, built by the exporter's own compactor."""
    light_triples = [(light(t.subject), light(t.predicate), light(t.object)) for t in triples]
    return {"@context": context(), "@graph": Compactor(context()).nodes(light_triples)}


def serialize_graph(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    if fmt == "jsonld":
        return json.dumps(jsonld(triples), ensure_ascii=False, indent=1).encode()
    grouped = sorted(triples, key=lambda t: str(t.subject))  # each subject written once, with its properties
    return ox.serialize(grouped, format=_RDF_FORMATS[fmt], prefixes=PREFIXES)


def graph_result(triples: Iterator[ox.Triple], fmt: str, limit: int | None = None,
                 max_bytes: int | None = None) -> Answer:
    """A CONSTRUCT or DESCRIBE result in one of :data:`GRAPH_FORMATS`, of at most ``max_bytes``."""
    kept, truncated = _capped(triples, limit, max_bytes)
    return _sized(Answer(serialize_graph(kept, fmt), GRAPH_FORMATS[fmt], truncated), max_bytes)
