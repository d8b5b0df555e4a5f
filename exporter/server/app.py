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

from ..mapping.vocab import PREFIXES
from ..resources import context_file, ontology_file, ontology_version, shapes_file
from ..store import TrialStore
from ..store.results import Answer, serialize_graph
from ..store.search import SearchIndex
from . import dataset
from .browse import home_page, linked_trials, search_response
from .connections import Guard, guarded, raise_open_files_limit
from .describe import LINKS_PER_PAGE, describe
from .feed import feed_response
from .hardening import MAX_HEAD, Hardening
from .live import Live
from .negotiation import DOCUMENT_TYPES, EXTENSION_OF, EXTENSIONS, FORMAT_OF, HTML, JSONLD, TURTLE, choose
from .pages import Links, not_found_page, render, resource_page
from .publishing import listen, published_base, start_line
from .sparql import opened_query, sparql_response
from .workers import Limits, QueryPool, Request as QueryRequest

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
    max_memory: int | None = Limits.memory  # bytes a query worker may take beyond the open store
    max_answer: int | None = Limits.answer  # bytes of one SPARQL answer
    fast_limit: float | None = 1.0  # time limit of the fast lane's worker; None: no fast lane
    request_timeout: float = Guard.request_timeout  # seconds a request's head and body may take to arrive
    root_path: str = ""  # the path a proxy publishes the server under, and strips before forwarding
    links_per_page: int = LINKS_PER_PAGE  # trials linking in that one RDF document of a resource lists


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


@dataclass
class Published:
    """What a request reads: one snapshot of the store, what is computed from it once, and the SPARQL workers
    over it. Taken once per request (``live.view``), so that an answer never mixes two snapshots."""

    store: TrialStore
    base: str
    labels: dict[str, str]
    void_triples: list
    service_triples: list
    pool: QueryPool


def publish(store: TrialStore, config: ServerConfig) -> Published:
    """The view of ``store``, its query workers started and ready."""
    pool = QueryPool(str(store.path), config.workers, config.timeout, config.max_wait,  # starting meanwhile
                     Limits(config.max_memory, config.max_answer), config.fast_limit)
    try:
        base = published_base(store, config.base_iri)
        published = Published(store, base, dataset.property_labels(store), dataset.void(store, base),
                              dataset.service_description(base), pool)
        pool.wait_ready()
    except BaseException:
        pool.close()
        raise
    return published


def _links_page(request: Request) -> int:
    """Which page of the trials linking in a resource's document lists (``?page=``, from 1)."""
    asked = request.query_params.get("page", "1")
    if not (asked.isascii() and asked.isdigit()) or len(asked) > 9 or int(asked) < 1:
        raise HTTPException(400, f"page must be a whole number from 1, not {asked[:20]!r}")
    return int(asked)


def _pages_beside(document: str, page: int | None, more: bool) -> list[str]:
    """``Link`` values to the pages before and after ``page`` of a document; the first page has no ``?page``."""
    found = []
    if page is not None and page > 1:
        found.append(f'<{document}{f"?page={page - 1}" if page > 2 else ""}>; rel="prev"')
    if page is not None and more:
        found.append(f'<{document}?page={page + 1}>; rel="next"')
    return found


def create_app(config: ServerConfig) -> Starlette:
    live = Live(config.store, lambda store: publish(store, config), lambda view: view.pool.retire()).open()
    search = SearchIndex.of_store(live.view.store, read_only=True, folder=config.store)  # beside the store, live
    outline = dataset.ontology_outline()

    class CurrentPool:
        """The SPARQL workers of the view current when a query is sent (after its body was read)."""

        async def answer(self, request: QueryRequest, client: str = "") -> Answer:
            return await live.view.pool.answer(request, client)

    def links(request: Request, view: Published) -> Links:
        return Links(view.base, request.scope.get("root_path", "").rstrip("/"))

    def rdf(triples: list, media_type: str, status: int = 200) -> Response:
        return Response(serialize_graph(triples, FORMAT_OF[media_type]), status, media_type=media_type,
                        headers={"Vary": "Accept"})

    def home(request: Request) -> Response:
        view = live.view
        return HTMLResponse(home_page(search, links(request, view)))

    def find(request: Request) -> Response:
        return search_response(request, search, links(request, live.view))

    def resource(request: Request) -> Response:
        view = live.view
        link, store, base = links(request, view), view.store, view.base
        path = request.scope["raw_path"].decode("ascii", "replace")[len(link.root) + 1:].split("?")[0]
        description, media_type = describe(store, base + path, page=None), None  # only whether it exists
        stem, extension = os.path.splitext(path)
        page = None  # of the trials linking in; an HTML page lists them from the search index, each role apart
        if not description.exists and extension in EXTENSIONS:
            media_type = EXTENSIONS[extension]
            page = None if media_type == HTML else _links_page(request)
            description = describe(store, base + stem, page, config.links_per_page)
        if not description.exists:
            raise HTTPException(404, f"Nothing is known about {base + path}")
        if media_type is None:  # the thing itself: 303 to the document that describes it (Cool URIs)
            chosen = choose(request.headers.get("accept"))
            refused = _negotiated(chosen, DOCUMENT_TYPES)
            if refused is not None:
                return refused
            return RedirectResponse(f"{link.root}/{path}{EXTENSION_OF[chosen]}", 303, headers={"Vary": "Accept"})
        if page is not None and page > 1 and not description.links():
            raise HTTPException(404, f"{base + path} has fewer than {page} pages of trials linking to it")
        alternate = HTML if media_type == JSONLD else JSONLD
        if media_type == HTML:
            trials = linked_trials(search, description.iri, link, request)
            response: Response = HTMLResponse(resource_page(description, link, view.labels, trials))
        else:
            response = rdf(description.triples, media_type)
        response.headers["Link"] = ", ".join([
            f'<{link.root}/{stem}{EXTENSION_OF[alternate]}>; rel="alternate"; type="{alternate}"',
            *_pages_beside(f"{link.root}/{path}", page, description.more)])
        return response

    def void(request: Request) -> Response:
        media_type = _document_type(request, RDF_TYPES)
        return _negotiated(media_type, RDF_TYPES) or rdf(live.view.void_triples, media_type)

    def ontology(request: Request) -> Response:
        offered = (HTML, TURTLE)
        media_type = _document_type(request, offered)
        if (refused := _negotiated(media_type, offered)) is not None:
            return refused
        if media_type == HTML:
            root = links(request, live.view).root
            return HTMLResponse(render("ontology.html", root=root, **outline), headers={"Vary": "Accept"})
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
        store = live.view.store  # held, and its snapshot kept, until the last chunk is sent

        def chunks() -> Iterator[bytes]:
            compressor = gzip.GzipFile(fileobj=(sink := _Sink()), mode="wb")
            batch: list[str] = []
            for quad in store.named_quads():
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

    def changes(request: Request) -> Response:
        view = live.view
        return feed_response(view.store, view.base, request.query_params.get("page"))

    async def sparql(request: Request) -> Response:
        opened = opened_query(request)  # a browser following a shared link gets the page, the query in it
        answer = None if opened is not None else await sparql_response(request, CurrentPool(), config.max_results)  # type: ignore[arg-type]
        if answer is not None:
            return answer
        media_type = choose(request.headers.get("accept"))  # no query: the service described, or the query page
        if media_type in RDF_TYPES:
            return rdf(live.view.service_triples, media_type)
        formats = [("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV"),
                   ("turtle", "Turtle (CONSTRUCT)"), ("jsonld", "JSON-LD (CONSTRUCT)"), ("ntriples", "N-Triples (CONSTRUCT)")]
        shown = examples()
        return HTMLResponse(render("sparql.html", title="SPARQL", root=links(request, live.view).root, examples=shown,
                                   query=opened or (shown[0]["text"] if shown else ""), formats=formats,
                                   timeout=f"{config.timeout:g}", limit=config.max_results, base=live.view.base,
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
        view = live.view
        return HTMLResponse(not_found_page(view.base + request.url.path.lstrip("/"), links(request, view)), 404)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await live.start()
        yield
        await live.stop()

    routes = [
        Route("/", home),
        Route("/search", find),
        Route("/sparql", sparql, methods=["GET", "POST"]), Route("/sparql.js", script),
        Route("/void", void), Route("/void.{extension}", void),
        Route("/ontology", ontology), Route("/ontology.{extension}", ontology),
        Route("/shapes", shapes),
        Route("/context", context), Route("/context/{version}", context),
        Route("/dump", dump),
        Route("/changes", changes),
        Route("/{path:path}", resource),
    ]
    middleware = [
        Middleware(Hardening),  # outermost: limits and security headers apply to every answer, CORS's too
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                   allow_headers=["Accept", "Content-Type"], expose_headers=["Link", "Vary"]),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={404: not_found})
    app.state.base = live.view.base
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

    guard = Guard(config.request_timeout)
    raise_open_files_limit(guard.total + 256)  # the connections, plus the store's files and the workers' pipes
    with listen(config.host, config.port, backlog=guard.total) as listener:
        app = create_app(config)
        print(start_line(app.state.base, config.host, config.port), file=sys.stderr, flush=True)
        server = uvicorn.Server(uvicorn.Config(
            app, log_level="info", http=guarded(guard), h11_max_incomplete_event_size=MAX_HEAD,
            root_path=config.root_path.rstrip("/")))
        server.run(sockets=[listener])
