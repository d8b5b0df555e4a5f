"""Search and browse for people and scripts: the home page, ``/search`` as a page or as JSON.

Every number on these pages is read from the search index (``exporter.store.search``), never
by a scan of the store, so they answer alike at a hundred trials or a million.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from ..store.search import FACETS, Count, Results, SearchIndex
from .negotiation import HTML, choose
from .pages import Links, render

JSON = "application/json"
PAGE_SIZE = 20
SHOWN_VALUES = 10
"""Values shown per facet before "all N"; the full list is one click away."""
ORGANISATION_KINDS = ("sponsor", "secondary sponsor", "funder")


@dataclass(frozen=True)
class Query:
    """What a search asks: words, chosen facet values, a page, and a facet to show in full."""

    q: str
    chosen: dict[str, list[str]]
    page: int
    more: str = ""

    @classmethod
    def of(cls, request: Request) -> Query:
        params = request.query_params
        chosen = {kind: values for kind in FACETS if (values := list(dict.fromkeys(params.getlist(kind))))}
        return cls(params.get("q", "").strip()[:500], chosen, _page_number(params.get("page")), params.get("more", ""))

    def pairs(self) -> list[tuple[str, str]]:
        return ([("q", self.q)] if self.q else []) + [(k, v) for k, values in self.chosen.items() for v in values]

    def href(self, root: str, *, add: tuple[str, str] | None = None, drop: tuple[str, str] | None = None,
             page: int = 1, more: str = "", fmt: str = "") -> str:
        """The search page for this query changed: a value added or dropped, another page, a facet in full."""
        pairs = [pair for pair in self.pairs() if pair != drop] + ([add] if add and add not in self.pairs() else [])
        pairs += [("page", str(page))] if page > 1 else []
        pairs += [("more", more)] if more else []
        pairs += [("format", fmt)] if fmt else []
        return f"{root}/search" + (f"?{urlencode(pairs)}" if pairs else "")


def _page_number(value: str | None) -> int:
    """A page asked for; anything else is the first. Deep pages cost their offset, so they stop at 10,000."""
    try:
        return max(1, min(int(value or "1"), 10_000))
    except ValueError:
        return 1


def _wants_json(request: Request) -> bool:
    if (fmt := request.query_params.get("format")) is not None:
        return fmt == "json"
    return choose(request.headers.get("accept"), (HTML, JSON)) == JSON


def search_response(request: Request, index: SearchIndex, links: Links) -> Response:
    query = Query.of(request)
    results = index.search(query.q, query.chosen, query.page, PAGE_SIZE)
    counts = index.facets(query.q, query.chosen)
    if _wants_json(request):
        body = {"q": query.q, "facets_chosen": query.chosen, **results.as_json(),
                "facets": {kind: [{"value": c.value, "count": c.count} for c in values]
                           for kind, values in counts.items()}}
        for hit in body["results"]:
            hit["href"] = links.href(hit["iri"])
        return JSONResponse(body, headers={"Vary": "Accept"})
    title = f"“{query.q}”" if query.q else "All trials"
    return HTMLResponse(render(
        "search.html", title=title, root=links.root, q=query.q, query=query, results=results,
        hits=[(hit, links.href(hit.iri)) for hit in results.hits], facets=_facets(query, counts, links.root),
        chosen=[(FACETS[k], v, query.href(links.root, drop=(k, v))) for k, vs in query.chosen.items() for v in vs],
        pager=_pager(results, lambda page: query.href(links.root, page=page)),
        json_href=query.href(links.root, page=query.page, fmt="json"),
    ), headers={"Vary": "Accept"})


def _facets(query: Query, counts: dict[str, list[Count]], root: str) -> list[dict]:
    """Each facet's values as links that add them to the query, the first few unless asked for all."""
    shown = []
    for kind, values in counts.items():
        if not values:
            continue
        full = query.more == kind or len(values) <= SHOWN_VALUES + 2
        items = [(c.value, c.count, query.href(root, add=(kind, c.value)), c.value in query.chosen.get(kind, ()))
                 for c in (values if full else values[:SHOWN_VALUES])]
        shown.append({"kind": kind, "name": FACETS[kind], "values": items, "total": len(values),
                      "more": None if full else query.href(root, more=kind)})
    return shown


def _pager(results: Results, href: Callable[[int], str]) -> dict:
    return {"page": results.page, "pages": results.pages,
            "previous": href(results.page - 1) if results.page > 1 else None,
            "next": href(results.page + 1) if results.page < results.pages else None}


def home_page(index: SearchIndex, links: Links) -> str:
    counts = index.counts()
    facets = index.facets()
    top = [{"kind": kind, "name": FACETS[kind], "total": len(values),
            "values": [(c.value, c.count, f"{links.root}/search?{urlencode({kind: c.value})}") for c in values[:8]]}
           for kind, values in facets.items() if values]
    return render("home.html", title="Clinical trials", root=links.root, counts=counts, facets=top,
                  organisations=sum(counts.get(kind, 0) for kind in ORGANISATION_KINDS))


def _page_of(path: str, others: list[tuple[str, str]], parameter: str, number: int) -> str:
    """The same page with one of its lists at page ``number``, scrolled to that list."""
    pairs = others + ([(parameter, str(number))] if number > 1 else [])
    return path + (f"?{urlencode(pairs)}" if pairs else "") + f"#{parameter}"


def linked_trials(index: SearchIndex, node: str, links: Links, request: Request) -> list[dict]:
    """The trials linking to a shared node, one paged list per role (sponsor, funder, condition...)."""
    sections = []
    for role in index.roles(node):
        parameter = "page-" + role.value.replace(" ", "-")
        results = index.linked(node, role.value, _page_number(request.query_params.get(parameter)), PAGE_SIZE)
        others = [(k, v) for k, v in request.query_params.multi_items() if k != parameter]
        sections.append({"role": role.value, "anchor": parameter, "count": role.count, "results": results,
                         "hits": [(hit, links.href(hit.iri)) for hit in results.hits],
                         "pager": _pager(results, partial(_page_of, request.url.path, others, parameter))})
    return sections
