"""A person's first visit, in headless Chromium on a large store: ``python -m benchmarks.journey --records 100000``.

A store of N generated trials is built as :mod:`benchmarks.queries` builds it (or the one an earlier run left in
``--folder`` is reused) and served. Chromium then goes where a person new to the site goes: the home page, a search
for a condition, a facet, the next page, a trial, a search by id and one by sponsor, the sponsor's page and its next
page, the SPARQL page, an example loaded, edited and run, an IRI of its answer followed, and a query with a mistake.
Each step asserts on the DOM, what the person would read, and is timed from the navigation or click until that
content is in the page; it is repeated from its starting page (three times by default) and the median kept. A step
that does not show what it should stops the run with :class:`JourneyError`, naming the step and what the page said.
Results: ``benchmarks/results/journey-N.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from exporter.server.app import examples
from exporter.server.browse import PAGE_SIZE
from exporter.server.running import RunningServer
from exporter.store.search import FACETS
from tests.server.chromium import Browser, BrowserError

from .queries import build_store
from .run import machine, save

TG = "https://w3id.org/trialgraph/ontology#"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
DCT_IDENTIFIER = "<http://purl.org/dc/terms/identifier>"
EXAMPLE = "1-trials-per-country-for-a-condition"
"""The example the person loads, then edits: another condition, and the countries as IRIs rather than names."""
FACET_ORDER = ("country", *(kind for kind in FACETS if kind != "country"))
"""Where the person narrows a search: by country if a country narrows it, else by the first facet that does."""
POLL = 0.01
"""Seconds between two looks at the page while waiting for a step's content: the timing's resolution."""

# What each kind of page shows, read from the DOM as a person reads it; null until it is there.
HOME = """(s => s && {said: s.textContent.split('.')[0].replace(/\\s+/g, ' '),
  trials: Number(s.querySelector('strong').textContent.replace(/,/g, '')),
  search: !!document.querySelector('main form.search input[name=q]'),
  facets: [...document.querySelectorAll('main section.facet')].map(f => f.dataset.facet)})
  (document.getElementById('summary'))"""
RESULTS = """(t => t && {said: t.textContent, total: Number(t.querySelector('strong').textContent.replace(/,/g, '')),
  hits: [...document.querySelectorAll('#results li.hit')].map(li => ({label: li.querySelector('a').textContent,
    href: li.querySelector('a').getAttribute('href'), id: li.querySelector('small').textContent.split(' · ')[0]})),
  chosen: (document.getElementById('chosen') || {textContent: ''}).textContent,
  bold: [...document.querySelectorAll('#facets li strong')].map(b => b.textContent),
  facets: Object.fromEntries([...document.querySelectorAll('#facets section.facet')].map(f => [f.dataset.facet,
    [...f.querySelectorAll('li a')].map(a => ({value: a.textContent,
      count: Number(a.nextElementSibling.textContent.replace(/,/g, ''))}))])),
  address: location.pathname + location.search})(document.getElementById('total'))"""
PAGE = """(h => h && {title: h.textContent, address: location.pathname + location.search,
  identifier: (document.querySelector('th[title$="#primaryIdentifier"] + td') || {textContent: ''}).textContent.trim(),
  roles: (document.getElementById('roles') || {textContent: ''}).textContent.replace(/\\s+/g, ' '),
  lists: Object.fromEntries([...document.querySelectorAll('section.linked')].map(s => [s.id, {
    hits: [...s.querySelectorAll('li > a')].map(a => a.getAttribute('href')),
    pager: (s.querySelector('.pager') || {textContent: ''}).textContent.replace(/\\s+/g, ' ').trim()}]))})
  (document.querySelector('main h1'))"""
ANSWER = """(e => (document.querySelector('#results #summary') || !e.hidden) && {
  said: e.hidden ? document.querySelector('#results #summary').textContent : e.firstChild.textContent,
  error: !e.hidden, where: (e.querySelector('.where') || {textContent: ''}).textContent,
  heads: [...document.querySelectorAll('#answer thead th')].map(th => th.textContent),
  rows: [...document.querySelectorAll('#answer tbody tr')].map(tr => [...tr.cells].map(td => ({
    text: (td.querySelector('.literal, .iri') || {textContent: ''}).textContent,
    href: td.querySelector('a') ? td.querySelector('a').getAttribute('href') : null,
    note: td.querySelector('.datatype') ? td.querySelector('.datatype').textContent.trim() : null}))),
  editor: document.getElementById('query').value, selection: document.getElementById('query').selectionStart})
  (document.getElementById('error'))"""
EDITOR = """document.getElementById('query') && {loads: document.querySelectorAll('a.load').length,
  editor: document.getElementById('query').value, answered: !!document.getElementById('answer')}"""


class JourneyError(AssertionError):
    """A step did not show what a person should have found there."""


def select(server: str, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT run on the server, each variable bound to its plain value."""
    response = requests.post(server + "/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=120)
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


@dataclass(frozen=True)
class Clues:
    """What the person comes with, taken from the store: the word that most trials' conditions are named with, the
    sponsor of the most trials (its page is the longest list) and the id of one of its trials."""

    trials: int
    condition: str
    sponsor: str
    sponsor_names: tuple[str, ...]
    sponsor_path: str
    sponsored: int
    trial_id: str
    trial_path: str

    @classmethod
    def of(cls, server: str) -> Clues:
        trials = int(select(server, f"SELECT (COUNT(?t) AS ?n) {{ ?t a <{TG}Trial> }}")[0]["n"])
        labels = select(server, f"SELECT ?label (COUNT(DISTINCT ?t) AS ?n) {{ ?t <{TG}condition>/{RDFS_LABEL} "
                                "?label } GROUP BY ?label")
        words: Counter[str] = Counter()
        for row in labels:
            words.update({word.lower(): int(row["n"]) for word in re.findall(r"[^\W\d_]{5,}", row["label"])})
        if not words:
            raise JourneyError(f"no condition label with a word to search for among {len(labels)}")
        top = select(server, f"SELECT ?org (COUNT(DISTINCT ?t) AS ?n) {{ ?t <{TG}primarySponsor> ?org }} "
                             "GROUP BY ?org ORDER BY DESC(?n) ?org LIMIT 1")
        if not top:
            raise JourneyError("no trial of the store names a primary sponsor")
        organisation, sponsored = top[0]["org"], int(top[0]["n"])
        names = sorted(row["name"] for row in select(server, f"SELECT ?name {{ <{organisation}> {RDFS_LABEL} ?name }}"))
        trial = select(server, f"SELECT ?t ?id {{ ?t <{TG}primarySponsor> <{organisation}> ; {DCT_IDENTIFIER} ?id }} "
                               f"ORDER BY ?id OFFSET {sponsored // 2} LIMIT 1")[0]
        return cls(trials, min(words, key=lambda word: (-words[word], word)), names[0], tuple(names),
                   urlsplit(organisation).path, sponsored, trial["id"], urlsplit(trial["t"]).path)


@dataclass
class Step:
    """One step of the journey: the seconds of each round, what the page said, and what was read from it."""

    key: str
    name: str
    seconds: list[float] = field(default_factory=list)
    said: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise JourneyError(message)


class Journey:
    """``Journey(browser, server.url, Clues.of(server.url)).run()``: the steps, each asserted and timed."""

    def __init__(self, browser: Browser, server: str, clues: Clues, rounds: int = 3, timeout: float = 120) -> None:
        self.browser = browser
        self.server = server
        self.clues = clues
        self.rounds = rounds
        self.timeout = timeout
        self.steps: list[Step] = []

    # The person's hands: go to an address, follow a link or press a button, type into a field.

    def go(self, address: str) -> None:
        self.browser.evaluate("window.leaving = true")  # gone once the next document is there
        self.browser.send("Page.navigate", {"url": self.server + address})

    def press(self, selector: str, index: int = 0, leaves: bool = True) -> None:
        """Click the ``index``-th element matching ``selector``; ``leaves``: the click opens another page."""
        clicked = self.browser.evaluate(
            f"(e => e ? ({'window.leaving = true, ' if leaves else ''}e.click(), true) : false)"
            f"(document.querySelectorAll({json.dumps(selector)})[{index}])")
        require(clicked, f"no {selector} (#{index + 1}) on {self.here()}")

    def visit(self, address: str, then: tuple[str, str] | None = None) -> Callable[[], None]:
        """A step's start: open ``address`` and wait for it, then maybe type ``then = (field, text)``."""
        def start() -> None:
            self.go(address)
            self.shown("!!document.querySelector('main')")  # every page of the site has one; a blank document not
            if then is not None:
                self.browser.type(*then)
        return start

    def shown(self, expression: str, leaves: bool = True) -> Any:
        guard = "!window.leaving && document.readyState !== 'loading' && " if leaves else ""
        return self.browser.wait_for(f"{guard}({expression})", timeout=self.timeout, interval=POLL)

    def here(self) -> str:
        try:
            return self.browser.evaluate("location.href + ' (' + (document.body ? "
                                         "document.body.innerText.slice(0, 300) : '') + ')'")
        except (BrowserError, TimeoutError, OSError) as error:  # only to describe a failure
            return f"an unreadable page ({error})"

    def step(self, key: str, name: str, act: Callable[[], None], expression: str, check: Callable[[Any], str],
             start: Callable[[], None] | None = None, leaves: bool = True) -> Step:
        """Time ``act`` until ``expression`` is truthy in the page, and ``check`` what it read; once per round,
        each from ``start`` (untimed)."""
        step = Step(key, name)
        for _ in range(self.rounds):
            try:
                seconds, step.facts = self._round(act, expression, start, leaves)
                step.said = check(step.facts)
            except JourneyError as error:
                raise JourneyError(f"{name}: {error}") from None
            step.seconds.append(seconds)
        self.steps.append(step)
        return step

    def _round(self, act: Callable[[], None], expression: str, start: Callable[[], None] | None,
               leaves: bool) -> tuple[float, Any]:
        try:
            if start is not None:
                start()
            began = time.perf_counter()
            act()
            value = self.shown(expression, leaves)
            return time.perf_counter() - began, value
        except TimeoutError:
            raise JourneyError(f"nothing shown after {self.timeout} s; the page: {self.here()}") from None
        except BrowserError as error:
            raise JourneyError(f"{error}; the page: {self.here()}") from None

    # The journey.

    def run(self) -> list[Step]:
        clues, box = self.clues, "header input[name=q]"
        self.step("home", "the home page", lambda: self.go("/"), HOME, self._home)
        found = self.step("search", f"search for “{clues.condition}”",
                          lambda: self.press("main form.search button"), RESULTS,
                          lambda seen: self._results(seen, clues.condition),
                          start=self.visit("/", ("main form.search input[name=q]", clues.condition)))
        kind, index, value, count = self._facet(found.facts)
        narrowed = self.step("facet", f"the facet {kind}: {value}",
                             lambda: self.press(f'#facets section[data-facet="{kind}"] li a', index), RESULTS,
                             lambda seen: self._narrowed(seen, found.facts, value, count),
                             start=self.visit(found.facts["address"]))
        second = self.step("next", "the next page", lambda: self.press("#results a[rel=next]"), RESULTS,
                           lambda seen: self._next(seen, narrowed.facts), start=self.visit(narrowed.facts["address"]))
        self.step("trial", "a trial from the list", lambda: self.press("#results li.hit > a"), PAGE,
                  lambda seen: self._trial(seen, second.facts["hits"][0]), start=self.visit(second.facts["address"]))
        self.step("id", f"search by id {clues.trial_id}", lambda: self.press("header form button"), RESULTS,
                  self._by_id, start=self.visit(second.facts["address"], (box, clues.trial_id)))
        self.step("sponsor", f"search by sponsor “{clues.sponsor}”", lambda: self.press("header form button"),
                  RESULTS, self._by_sponsor, start=self.visit(clues.trial_path, (box, clues.sponsor)))
        organisation = self.step("organisation", "the sponsor, from a trial's page",
                                 lambda: self.press('th[title$="#primarySponsor"] + td a'), PAGE, self._organisation,
                                 start=self.visit(clues.trial_path))
        if clues.sponsored > PAGE_SIZE:
            self.step("organisation-next", "the sponsor's next page of trials",
                      lambda: self.press("#page-sponsor a[rel=next]"), PAGE,
                      lambda seen: self._organisation_next(seen, organisation.facts),
                      start=self.visit(organisation.facts["address"]))
        self.step("sparql", "the SPARQL page", lambda: self.go("/sparql"), EDITOR, self._query_page)
        example = next(e for e in examples() if e["name"] == EXAMPLE)
        index = [e["name"] for e in examples()].index(EXAMPLE)
        self.step("example", "an example loaded and run", lambda: self.press("a.load", index, leaves=False), ANSWER,
                  lambda seen: self._example(seen, example["text"]), start=self.visit("/sparql"), leaves=False)
        edited = self._edited(example["text"])
        answer = self.step("edited", f"the example edited (“{clues.condition}”, countries as IRIs) and run",
                           lambda: self.press("#run", leaves=False), ANSWER, lambda seen: self._answer(seen, edited),
                           start=self.visit("/sparql", ("#query", edited)), leaves=False)
        shared = f"/sparql?{urlencode({'query': edited})}"
        self.step("iri", "an IRI of the answer", lambda: self.press("#answer a.iri"), PAGE,
                  lambda seen: self._followed(seen, answer.facts["rows"][0]),
                  start=lambda: (self.visit(shared)(), self.shown(ANSWER, leaves=False)))
        broken, offset = self._unclosed(edited)
        self.step("mistake", "a query with a parenthesis left open", lambda: self.press("#run", leaves=False),
                  ANSWER, lambda seen: self._mistake(seen, broken, offset),
                  start=self.visit("/sparql", ("#query", broken)), leaves=False)
        return self.steps

    # What each step must show.

    def _home(self, seen: dict) -> str:
        require(seen["trials"] == self.clues.trials, f"says {seen['trials']:,} trials, the store has "
                                                     f"{self.clues.trials:,}")
        require(seen["search"], "no search box in the page's body")
        require({"register", "country", "phase"} <= set(seen["facets"]), f"facets shown: {seen['facets']}")
        return f"{seen['said']}; facets: {', '.join(seen['facets'])}"

    def _results(self, seen: dict, words: str) -> str:
        require(seen["total"] > 0 and seen["hits"], f"no results: {seen['said']}")
        asked = parse_qs(urlsplit(seen["address"]).query).get("q")
        require(asked == [words], f"the address asks for {asked}, not {words!r}: {seen['address']}")
        return seen["said"]

    def _facet(self, results: dict) -> tuple[str, int, str, int]:
        """The facet value that narrows the results least while still narrowing them (so there is a next page)."""
        for kind in FACET_ORDER:
            values = [(count, -i, value) for i, (value, count) in
                      enumerate((v["value"], v["count"]) for v in results["facets"].get(kind, []))
                      if count < results["total"]]
            if values:
                count, index, value = max(values)
                return kind, -index, value, count
        raise JourneyError(f"no facet value narrows the {results['total']} results")

    def _narrowed(self, seen: dict, before: dict, value: str, count: int) -> str:
        require(seen["total"] == count < before["total"],
                f"{seen['said']} after {before['said']}; the facet said {count}")
        require(value in seen["chosen"] and value in seen["bold"], f"{value} not shown as chosen: {seen['chosen']}")
        return f"{seen['said']} {seen['chosen'].strip()}"

    def _next(self, seen: dict, first: dict) -> str:
        require("page 2 of" in seen["said"] and seen["total"] == first["total"], seen["said"])
        again = {hit["href"] for hit in seen["hits"]} & {hit["href"] for hit in first["hits"]}
        require(seen["hits"] and not again, f"page 2 repeats {sorted(again)}")
        return seen["said"]

    def _trial(self, seen: dict, hit: dict) -> str:
        require(seen["title"] == hit["label"], f"opened {seen['title']!r}, not {hit['label']!r}")
        require(seen["address"].startswith(hit["href"]), f"at {seen['address']}, not {hit['href']}")
        require(seen["identifier"] == hit["id"], f"the page's identifier is {seen['identifier']!r}, not {hit['id']!r}")
        return f"{seen['identifier']}: {seen['title']}"

    def _by_id(self, seen: dict) -> str:
        first = seen["hits"][0] if seen["hits"] else {}
        require(first.get("id") == self.clues.trial_id and first.get("href") == self.clues.trial_path,
                f"first: {first}, not {self.clues.trial_id} at {self.clues.trial_path}")
        return f"{seen['said']} first: {first['id']}"

    def _by_sponsor(self, seen: dict) -> str:
        require(seen["total"] >= self.clues.sponsored, f"{seen['said']}, but {self.clues.sponsor} sponsors "
                                                       f"{self.clues.sponsored:,} trials")
        return seen["said"]

    def _organisation(self, seen: dict) -> str:
        clues = self.clues
        require(seen["address"] == clues.sponsor_path + ".html", f"at {seen['address']}, not {clues.sponsor_path}")
        require(seen["title"] in clues.sponsor_names, f"titled {seen['title']!r}, not one of {clues.sponsor_names}")
        require(f"primary sponsor: {clues.sponsored:,}" in seen["roles"], f"roles: {seen['roles']!r}, but it "
                                                                         f"sponsors {clues.sponsored:,} trials")
        shown = len(seen["lists"].get("page-sponsor", {}).get("hits", []))
        require(shown == min(PAGE_SIZE, clues.sponsored), f"{shown} of its trials listed")
        return f"{seen['title']}: {seen['roles']}"

    def _organisation_next(self, seen: dict, first: dict) -> str:
        now, before = seen["lists"]["page-sponsor"], first["lists"]["page-sponsor"]
        require(now["pager"].startswith("← previous page 2 of"), f"its list says {now['pager']!r}")
        again = set(now["hits"]) & set(before["hits"])
        require(now["hits"] and not again, f"page 2 repeats {sorted(again)}")
        return now["pager"]

    def _query_page(self, seen: dict) -> str:
        require(seen["loads"] == len(examples()), f"{seen['loads']} examples to load, not {len(examples())}")
        require(not seen["answered"], "an answer before any query ran")
        return f"the editor and {seen['loads']} examples"

    def _example(self, seen: dict, text: str) -> str:
        require(not seen["error"], seen["said"])
        require(seen["editor"] == text, "the editor does not hold the example")
        require(seen["heads"] == ["?country", "?trials"], f"columns {seen['heads']}")
        return seen["said"]

    def _edited(self, text: str) -> str:
        """The example asked of the person's condition, with the countries as IRIs (links to their pages)."""
        edits = {'"diabetes"': json.dumps(self.clues.condition),
                 "tg:country/rdfs:label ?country": "tg:country ?country"}
        for old, new in edits.items():
            require(old in text, f"example {EXAMPLE} no longer holds {old}")
            text = text.replace(old, new)
        return text

    def _answer(self, seen: dict, query: str) -> str:
        require(not seen["error"], seen["said"])
        require(seen["editor"] == query, "the editor does not hold the edited query")
        require(seen["heads"] == ["?country", "?trials"], f"columns {seen['heads']}")
        expected = [[{"text": row["country"], "href": urlsplit(row["country"]).path, "note": None},
                     {"text": row["trials"], "href": None, "note": "xsd:integer"}]
                    for row in select(self.server, query)]
        require(expected, f"no country has a trial of {self.clues.condition}")
        require(seen["rows"] == expected, f"the table {seen['rows'][:3]}… is not the answer {expected[:3]}…")
        return seen["said"]

    def _followed(self, seen: dict, row: list[dict]) -> str:
        require(seen["address"] == row[0]["href"] + ".html", f"at {seen['address']}, not {row[0]['href']}")
        require(seen["title"] and seen["roles"], f"{seen['title']!r} lists no trials")
        return f"{seen['title']}: {seen['roles']}"

    @staticmethod
    def _unclosed(query: str) -> tuple[str, int]:
        """The query without the last ``)`` before WHERE (the count's), and where the parser must stop: at the
        word after it."""
        head = query.index("WHERE")
        cut = query.rindex(")", 0, head)
        broken = query[:cut] + query[cut + 1:]
        return broken, len(broken) - len(broken[cut:].lstrip())

    def _mistake(self, seen: dict, query: str, offset: int) -> str:
        line = query.count("\n", 0, offset) + 1
        column = offset - query.rfind("\n", 0, offset)
        require(seen["error"] and f"line {line}, column {column}" in seen["said"] and '")"' in seen["said"],
                f"the error says {seen['said']!r}, not that a ) is missing at line {line}, column {column}")
        require(seen["selection"] == offset and seen["where"].endswith("^"), "the mistake is not pointed at")
        require(not seen["rows"], "a table beside the error")
        return seen["said"]


def run(records: int, folder: Path, rounds: int = 3) -> dict[str, object]:
    """Build the store in ``folder`` unless an earlier run left it there, serve it and walk through it."""
    if not (folder / "store" / "CURRENT").is_file():
        store, _ = build_store(records, folder)
        del store  # closed before the server opens it
        gc.collect()
    with RunningServer(folder / "store", "--timeout", "60", startup=1800) as server, \
            tempfile.TemporaryDirectory() as profile, Browser(Path(profile)) as browser:
        clues = Clues.of(server.url)
        browser.open(server.url + "/void.ttl")  # a warm-up: the browser's first page costs it a second or two
        load = os.getloadavg()[0]
        steps = Journey(browser, server.url, clues, rounds).run()
    return {"records": records, "trials": clues.trials, "rounds": rounds, "clues": asdict(clues),
            "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
            "steps": [{"key": s.key, "name": s.name, "seconds": [round(x, 3) for x in s.seconds],
                       "median": round(s.median, 3), "said": s.said} for s in steps]}


def table(result: dict[str, Any], about: dict[str, object]) -> str:
    lines = [f"{result['trials']:,} trials. A first visit in headless Chromium, each step timed from the navigation "
             f"or click until what it asserts is in the page (median of {result['rounds']}; every round in the JSON).",
             "", "| step | seconds | the page said |", "|---|---:|---|"]
    lines += [f"| {s['name']} | {s['median']} | {s['said'].replace('|', '/')} |" for s in result["steps"]]
    slow = [s["name"] for s in result["steps"] if s["median"] > 1]
    start, end = result["load_average"]
    lines += ["", "Over a second: " + ("; ".join(slow) if slow else "none.") + f" Load average {start} before the "
              f"steps, {end} after them.", "",
              "Machine: " + ", ".join(f"{k} {v}" for k, v in about.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="times each step is taken; the median is reported")
    parser.add_argument("--folder", type=Path, help="where to keep the generated export and the store, to be "
                                                    "reused by the next run (default: a temporary folder)")
    args = parser.parse_args()
    if args.folder:
        args.folder.mkdir(parents=True, exist_ok=True)
        result = run(args.records, args.folder, args.rounds)
    else:
        with tempfile.TemporaryDirectory() as work:
            result = run(args.records, Path(work), args.rounds)
    about = machine()
    save(f"journey-{args.records}", {"result": result, "machine": about}, table(result, about))


if __name__ == "__main__":
    main()
