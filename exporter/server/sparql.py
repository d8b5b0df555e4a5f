"""The SPARQL 1.1 Protocol, read-only: GET, POST form and POST direct; updates refused.

SERVICE is refused by the query workers' sandbox (:mod:`.sandbox`), not here: no reading
of the query text can be trusted to find every spelling of it.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..store import GRAPH_FORMATS, SOLUTION_FORMATS
from ..store.query_text import UPDATE_REFUSED, readable, refusal
from .hardening import MAX_PARAMETERS
from .negotiation import HTML, choose
from .workers import QueryBusy, QueryError, QueryPool, QueryStopped
from .workers import Request as QueryRequest

_SOLUTION_TYPES = {SOLUTION_FORMATS[name]: name for name in ("json", "xml", "csv", "tsv")} | {
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
}
_GRAPH_TYPES = {GRAPH_FORMATS[name]: name for name in ("turtle", "jsonld", "ntriples", "rdfxml")}
_EXTENSIONS = {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv", "turtle": "ttl", "jsonld": "jsonld",
               "ntriples": "nt", "rdfxml": "rdf"}
_DOWNLOADS = {({**SOLUTION_FORMATS, **GRAPH_FORMATS})[name]: extension for name, extension in _EXTENSIONS.items()}
"""The file extension of each answer's type: what it is named when downloaded from the query page."""
def _parse(text: str) -> dict[str, list[str]]:
    """Form or query-string fields, refusing floods of them (:class:`ValueError`)."""
    return parse_qs(text, max_num_fields=MAX_PARAMETERS)


async def _query_text(request: Request) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """The query (or update) text and the parameters, from whichever of the protocol's three ways was used."""
    parameters = _parse(request.url.query)
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", errors="replace")
        if kind == "application/sparql-query":
            return body, None, parameters
        if kind == "application/sparql-update":
            return None, body, parameters
        if kind == "application/x-www-form-urlencoded":
            parameters = _parse(body) | parameters
    query, update = parameters.get("query"), parameters.get("update")
    return (query[0] if query else None), (update[0] if update else None), parameters


def opened_query(request: Request) -> str | None:
    """The query of a link to the query page (``/sparql?query=…``) that a browser follows, or ``None``.

    A browser names ``text/html`` and prefers it to every result format; a SPARQL client names
    result formats (or ``*/*``) and gets the answer, as the protocol says. A ``format`` asks for the
    answer itself: the page's downloads.
    """
    if request.method != "GET" or "format" in request.query_params or "query" not in request.query_params:
        return None
    accept = request.headers.get("accept")
    named = any(kind.split(";")[0].strip().lower() == HTML for kind in (accept or "").split(","))
    offered = (HTML, *_SOLUTION_TYPES, *_GRAPH_TYPES)
    return request.query_params["query"] if named and choose(accept, offered) == HTML else None


def _formats(request: Request, parameters: dict[str, list[str]]) -> tuple[str, str]:
    """The result formats asked for: ``format`` (the query page's menu) first, then Accept."""
    asked = parameters.get("format", [None])[0]
    accept = request.headers.get("accept")
    solution = asked if asked in ("json", "xml", "csv", "tsv") else _SOLUTION_TYPES.get(
        choose(accept, tuple(_SOLUTION_TYPES)) or "", "json")
    graph = asked if asked in _GRAPH_TYPES.values() else _GRAPH_TYPES.get(choose(accept, tuple(_GRAPH_TYPES)) or "", "turtle")
    return solution, graph


async def sparql_response(request: Request, pool: QueryPool, limit: int) -> Response | None:
    """The protocol's answer, or ``None`` when the request holds no query (the query page is shown instead)."""
    try:
        query, update, parameters = await _query_text(request)
    except ValueError:
        return _error(400, f"too many parameters: at most {MAX_PARAMETERS}")
    if update is not None:
        return _error(403, UPDATE_REFUSED)
    if query is None:
        return None
    reason = refusal(query)
    if reason:
        return _error(403 if reason == UPDATE_REFUSED else 400, reason)
    solution, graph = _formats(request, parameters)
    try:
        client = request.client.host if request.client else ""
        answer = await pool.answer(QueryRequest(query, solution, graph, limit), client)
    except QueryBusy as error:
        return _error(503, str(error), {"Retry-After": "1"})
    except QueryStopped as error:
        return _error(503, str(error))
    except QueryError as error:
        return _error(400, f"bad query: {readable(str(error), query)}")
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["Warning"] = f'199 - "results cut at {limit}"'
        headers["X-Results-Truncated"] = str(limit)
    if "format" in parameters and answer.media_type in _DOWNLOADS:  # the query page's downloads
        headers["Content-Disposition"] = f'attachment; filename="answer.{_DOWNLOADS[answer.media_type]}"'
    media_type = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
    return Response(answer.body, media_type=media_type, headers=headers)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)
