"""The ASGI application: every IRI under the base dereferences, plus /sparql, /void, /ontology, /shapes and /dump.

Request path → IRI: the IRI is the base followed by the request's path (as sent, still
percent-encoded), whatever host name the request used. So a store minted under the
default ``http://localhost:8000/`` answers on ``127.0.0.1:8000`` or any other address,
and behind a proxy only the base must be told (``--base-iri``).
"""

from __future__ import annotations

import gzip
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from ..mapping.vocab import PREFIXES, RDFS, TG
from ..resources import context_file, ontology_file, ontology_version, shapes_file
from ..store import TrialStore
from ..store.results import serialize_graph
from . import dataset
from .describe import describe
from .hardening import MAX_CONNECTIONS, MAX_HEAD, Hardening
from .negotiation import DOCUMENT_TYPES, EXTENSION_OF, EXTENSIONS, FORMAT_OF, HTML, JSONLD, TURTLE, choose
from .pages import Links, Value, not_found_page, render, resource_page
from .publishing import listen, published_base, start_line
from .sparql import opened_query, sparql_response
from .workers import QueryPool

QUERIES = Path(__file__).parent / "queries"
SCRIPT = Path(__file__).parent / "static" / "sparql.js"
RDF_TYPES = tuple(t for t in DOCUMENT_TYPES if t != HTML)


@dataclass(frozen=True)
class ServerConfig:
    store: str
    host: str = "127.0.0.1"
    port: int = 8000
    base_iri: str | None = None  # None: the base the store was loaded with
    timeout: float = 10.0
    max_results: int = 10_000
    workers: int = 2
    max_wait: float = 30.0  # seconds a query may wait for a free worker before it is refused
    root_path: str = ""  # the path a proxy publishes the server under, and strips before forwarding


def examples() -> list[dict[str, str]]:
    """The example queries shipped in ``queries/``: their first comment line is the title."""
    found = []
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        found.append({"name": path.stem, "title": text.splitlines()[0].lstrip("# "), "text": text})
    return found


def _document_type(request: Request, offered: tuple[str, ...]) -> str | None:
    """The type a document is asked for in: by its extension URL (404 if not offered), else by Accept."""
    extension = request.path_params.get("extension")
    if extension is None:
        return choose(request.headers.get("accept"), offered)
    if (media_type := EXTENSIONS.get("." + extension)) not in offered:
        raise HTTPException(404, f"no such document: {request.url.path}")
    return media_type


def _negotiated(media_type: str | None, offered: tuple[str, ...]) -> Response | None:
    """A 406 naming what is offered, when the client accepts none of it."""
    if media_type is not None:
        return None
    return PlainTextResponse("Not Acceptable. Offered: " + ", ".join(offered) + "\n", 406, headers={"Vary": "Accept"})


def create_app(config: ServerConfig) -> Starlette:
    store = TrialStore(config.store, read_only=True)
    base = published_base(store, config.base_iri)
    labels = dataset.property_labels(store)
    trials = [(row[0].value, row[1].value) for row in store.query(
        f"SELECT ?t (SAMPLE(?l) AS ?label) {{ ?t a <{TG.Trial}> ; <{RDFS.label}> ?l }} GROUP BY ?t ORDER BY ?label")]
    triple_count = len(store.oxigraph)
    void_triples = dataset.void(store, base)
    service_triples = dataset.service_description(base)
    outline = dataset.ontology_outline()
    state: dict[str, QueryPool] = {}

    def links(request: Request) -> Links:
        return Links(base, request.scope.get("root_path", "").rstrip("/"))

    def rdf(triples: list, media_type: str, status: int = 200) -> Response:
        return Response(serialize_graph(triples, FORMAT_OF[media_type]), status, media_type=media_type,
                        headers={"Vary": "Accept"})

    def home(request: Request) -> Response:
        link = links(request)
        items = [Value(label, link.href(iri)) for iri, label in trials]
        return HTMLResponse(render("home.html", title="Clinical trials", trials=items, triples=triple_count,
                                   root=link.root))

    def resource(request: Request) -> Response:
        link = links(request)
        path = request.scope["raw_path"].decode("ascii", "replace")[len(link.root) + 1:].split("?")[0]
        description, media_type = describe(store, base + path), None
        stem, extension = os.path.splitext(path)
        if not description.exists and extension in EXTENSIONS:
            description, media_type = describe(store, base + stem), EXTENSIONS[extension]
        if not description.exists:
            raise HTTPException(404, f"Nothing is known about {base + path}")
        if media_type is None:  # the thing itself: 303 to the document that describes it (Cool URIs)
            chosen = choose(request.headers.get("accept"))
            refused = _negotiated(chosen, DOCUMENT_TYPES)
            if refused is not None:
                return refused
            return RedirectResponse(f"{link.root}/{path}{EXTENSION_OF[chosen]}", 303, headers={"Vary": "Accept"})
        alternate = HTML if media_type == JSONLD else JSONLD
        if media_type == HTML:
            response: Response = HTMLResponse(resource_page(description, link, labels))
        else:
            response = rdf(description.triples, media_type)
        response.headers["Link"] = f'<{link.root}/{stem}{EXTENSION_OF[alternate]}>; rel="alternate"; type="{alternate}"'
        return response

    def void(request: Request) -> Response:
        media_type = _document_type(request, RDF_TYPES)
        return _negotiated(media_type, RDF_TYPES) or rdf(void_triples, media_type)

    def ontology(request: Request) -> Response:
        offered = (HTML, TURTLE)
        media_type = _document_type(request, offered)
        if (refused := _negotiated(media_type, offered)) is not None:
            return refused
        if media_type == HTML:
            return HTMLResponse(render("ontology.html", root=links(request).root, **outline), headers={"Vary": "Accept"})
        return Response(ontology_file().read_bytes(), media_type=TURTLE, headers={"Vary": "Accept"})

    def shapes(request: Request) -> Response:
        return Response(shapes_file().read_bytes(), media_type=TURTLE)

    def context(request: Request) -> Response:
        """The JSON-LD context: the current one, also under its version (the ontology names it so)."""
        version = request.path_params.get("version")
        if version is not None and version != ontology_version():
            return PlainTextResponse(f"This server has the context of version {ontology_version()} only\n", 404)
        return Response(context_file().read_bytes(), media_type="application/ld+json",
                        headers={"Access-Control-Allow-Origin": "*"})

    def dump(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            compressor = gzip.GzipFile(fileobj=(sink := _Sink()), mode="wb")
            batch: list[str] = []
            for quad in store.oxigraph:
                batch.append(f"{quad} .\n")
                if len(batch) == 5000:
                    compressor.write("".join(batch).encode())
                    batch = []
                    yield sink.take()
            compressor.write("".join(batch).encode())
            compressor.close()
            yield sink.take()

        return StreamingResponse(chunks(), media_type="application/n-quads", headers={
            "Content-Encoding": "gzip", "Content-Disposition": 'attachment; filename="trialgraph.nq.gz"'})

    async def sparql(request: Request) -> Response:
        opened = opened_query(request)  # a browser following a shared link gets the page, the query in it
        answer = None if opened is not None else await sparql_response(request, state["pool"], config.max_results)
        if answer is not None:
            return answer
        media_type = choose(request.headers.get("accept"))  # no query: the service described, or the query page
        if media_type in RDF_TYPES:
            return rdf(service_triples, media_type)
        formats = [("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV"),
                   ("turtle", "Turtle (CONSTRUCT)"), ("jsonld", "JSON-LD (CONSTRUCT)"), ("ntriples", "N-Triples (CONSTRUCT)")]
        shown = examples()
        return HTMLResponse(render("sparql.html", title="SPARQL", root=links(request).root, examples=shown,
                                   query=opened or (shown[0]["text"] if shown else ""), formats=formats,
                                   timeout=f"{config.timeout:g}", limit=config.max_results, base=base,
                                   prefixes=PREFIXES))

    def script(request: Request) -> Response:
        """The query page's script, the one script of the site (see the Content-Security-Policy)."""
        return Response(SCRIPT.read_bytes(), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    def not_found(request: Request, error: Exception) -> Response:
        """A page with the site's header and a search box for people; one line of text for programs."""
        detail = getattr(error, "detail", "Not Found")
        if choose(request.headers.get("accept"), (HTML, "text/plain")) != HTML:
            return PlainTextResponse(detail + "\n", 404)
        return HTMLResponse(not_found_page(base + request.url.path.lstrip("/"), links(request)), 404)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["pool"] = QueryPool(config.store, config.workers, config.timeout, config.max_wait)
        yield
        state["pool"].close()

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]), Route("/sparql.js", script),
        Route("/void", void), Route("/void.{extension}", void),
        Route("/ontology", ontology), Route("/ontology.{extension}", ontology),
        Route("/shapes", shapes),
        Route("/context", context), Route("/context/{version}", context),
        Route("/dump", dump),
        Route("/{path:path}", resource),
    ]
    middleware = [
        Middleware(Hardening),  # outermost: limits and security headers apply to every answer, CORS's too
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                   allow_headers=["Accept", "Content-Type"], expose_headers=["Link", "Vary"]),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={404: not_found})
    app.state.base = base
    return app


class _Sink:
    """A file-like that keeps what gzip wrote until it is taken, so the dump streams in pieces."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def serve(config: ServerConfig) -> None:
    """Serve until interrupted. The port is taken and the base checked first, so either problem is an
    :class:`OSError` or :class:`~.publishing.NotMintedHere` before anything is logged."""
    import sys

    import uvicorn

    with listen(config.host, config.port) as listener:
        app = create_app(config)
        print(start_line(app.state.base, config.host, config.port), file=sys.stderr, flush=True)
        server = uvicorn.Server(uvicorn.Config(
            app, log_level="info", http="h11", h11_max_incomplete_event_size=MAX_HEAD,
            limit_concurrency=MAX_CONNECTIONS, root_path=config.root_path.rstrip("/")))
        server.run(sockets=[listener])
