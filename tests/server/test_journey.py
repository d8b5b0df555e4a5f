"""A person's first visit, as ``benchmarks/journey.py`` takes it at scale, on a few hundred generated trials:
each step asserts on the DOM itself, and these tests check what it read against the search's JSON and the
SPARQL endpoint. No timings here: those are the benchmark's."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from benchmarks import generate
from benchmarks.journey import Clues, Journey, JourneyError, select
from exporter.cli import main
from exporter.server.running import RunningServer
from tests.server.chromium import CHROMIUM, Browser  # as the journey imports it, so that it knows its errors

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")

TRIALS = 400
TG = "https://w3id.org/trialgraph/ontology#"


@dataclasses.dataclass(frozen=True)
class Walked:
    server: str
    clues: Clues
    facts: dict[str, dict]
    said: dict[str, str]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(tmp_path_factory.mktemp("chromium")) as opened:
        yield opened


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("journey")
    export = generate.write(TRIALS, folder / "trials.xml")
    assert main(["load", str(export), "--store", str(folder / "store"), "-q"]) in (0, 1)  # 1: a copy without an id
    with RunningServer(folder / "store") as running:
        yield running.url


@pytest.fixture(scope="module")
def walked(browser: Browser, server: str) -> Walked:
    clues = Clues.of(server)
    steps = Journey(browser, server, clues, rounds=1).run()
    return Walked(server, clues, {s.key: s.facts for s in steps}, {s.key: s.said for s in steps})


def searched(server: str, address: str) -> dict:
    """The search the page at ``address`` shows, asked of the same server as JSON."""
    return requests.get(server + address, params={"format": "json"}, timeout=30).json()


def test_the_clues_come_from_the_store(walked: Walked) -> None:
    clues = walked.clues
    assert TRIALS * 0.9 < clues.trials == searched(walked.server, "/search")["total"] <= TRIALS
    assert clues.sponsored > 20  # the sponsor's list has a next page
    rows = select(walked.server, f"SELECT ?id {{ ?t <{TG}primarySponsor> ?o ; <http://purl.org/dc/terms/identifier> "
                                 f"?id FILTER(STRENDS(STR(?o), '{clues.sponsor_path}')) }}")
    assert clues.trial_id in {row["id"] for row in rows} and len(rows) == clues.sponsored


def test_the_home_page_says_how_many_trials_and_leads_into_search_and_facets(walked: Walked) -> None:
    home = walked.facts["home"]
    assert home["trials"] == walked.clues.trials and home["search"]
    assert walked.said["home"].startswith(f"{walked.clues.trials} trials from ")
    assert {"register", "country", "phase", "status"} <= set(home["facets"])


def test_a_search_for_a_condition_lists_what_the_search_finds(walked: Walked) -> None:
    seen = walked.facts["search"]
    assert parse_qs(urlsplit(seen["address"]).query) == {"q": [walked.clues.condition]}
    expected = searched(walked.server, seen["address"])
    assert 20 < seen["total"] == expected["total"] < TRIALS
    assert [hit["href"] for hit in seen["hits"]] == [hit["href"] for hit in expected["results"]]
    assert seen["said"].startswith(f"{expected['total']} trials, page 1 of {expected['pages']}")


def test_a_facet_narrows_the_list_and_shows_as_chosen(walked: Walked) -> None:
    before, seen = walked.facts["search"], walked.facts["facet"]
    query = parse_qs(urlsplit(seen["address"]).query)
    (kind, values), = ((k, v) for k, v in query.items() if k != "q")
    assert query["q"] == [walked.clues.condition] and len(values) == 1
    assert seen["total"] < before["total"]
    assert seen["total"] == searched(walked.server, seen["address"])["total"]
    assert values[0] in seen["chosen"] and seen["bold"] == values  # named in "Narrowed to" and bold in its facet
    shown = {value["value"]: value["count"] for value in before["facets"][kind]}
    assert shown[values[0]] == seen["total"]  # the count beside the value was the number it narrows to


def test_the_next_page_shows_other_trials(walked: Walked) -> None:
    first, second = walked.facts["facet"], walked.facts["next"]
    assert parse_qs(urlsplit(second["address"]).query)["page"] == ["2"]
    assert len(first["hits"]) == 20 and second["hits"]
    assert not {hit["href"] for hit in first["hits"]} & {hit["href"] for hit in second["hits"]}
    expected = searched(walked.server, second["address"])
    assert [hit["href"] for hit in second["hits"]] == [hit["href"] for hit in expected["results"]]


def test_a_trial_opens_from_the_list(walked: Walked) -> None:
    hit, page = walked.facts["next"]["hits"][0], walked.facts["trial"]
    assert page["address"] == hit["href"] + ".html"
    assert (page["title"], page["identifier"]) == (hit["label"], hit["id"])


def test_a_search_by_id_finds_that_trial_first(walked: Walked) -> None:
    seen = walked.facts["id"]
    assert (seen["hits"][0]["id"], seen["hits"][0]["href"]) == (walked.clues.trial_id, walked.clues.trial_path)


def test_a_search_by_sponsor_finds_its_trials(walked: Walked) -> None:
    seen = walked.facts["sponsor"]
    assert seen["total"] >= walked.clues.sponsored
    assert seen["total"] == searched(walked.server, seen["address"])["total"]


def test_the_sponsor_page_lists_its_trials_by_role_and_pages_them(walked: Walked) -> None:
    clues, first, second = walked.clues, walked.facts["organisation"], walked.facts["organisation-next"]
    assert first["address"] == clues.sponsor_path + ".html" and first["title"] in clues.sponsor_names
    assert f"Trials as primary sponsor: {clues.sponsored}" in first["roles"]
    pages = -(-clues.sponsored // 20)
    assert first["lists"]["page-sponsor"]["pager"] == f"page 1 of {pages} next →"
    assert second["lists"]["page-sponsor"]["pager"].startswith(f"← previous page 2 of {pages}")
    assert len(first["lists"]["page-sponsor"]["hits"]) == 20
    assert not set(first["lists"]["page-sponsor"]["hits"]) & set(second["lists"]["page-sponsor"]["hits"])


def test_an_example_loads_and_its_edit_shows_the_answer_with_links(walked: Walked) -> None:
    loaded, edited = walked.facts["example"], walked.facts["edited"]
    assert '"diabetes"' in loaded["editor"] and loaded["heads"] == ["?country", "?trials"]
    assert f'"{walked.clues.condition}"' in edited["editor"] and edited["heads"] == ["?country", "?trials"]
    assert edited["rows"] and walked.said["edited"].startswith(f"{len(edited['rows'])} rows in ")
    for country, trials in edited["rows"]:
        assert country["href"] == urlsplit(country["text"]).path and country["href"].startswith("/country/")
        assert trials["note"] == "xsd:integer" and int(trials["text"]) > 0
    assert walked.facts["iri"]["address"] == edited["rows"][0][0]["href"] + ".html"


def test_a_mistake_is_shown_at_its_line_and_column(walked: Walked) -> None:
    seen = walked.facts["mistake"]
    assert seen["error"] and not seen["rows"]
    assert seen["said"].startswith("bad query: line ") and seen["said"].endswith('; expected ")"')
    assert "AS ?trials\nWHERE" in seen["editor"]  # the parenthesis closing the count was deleted
    assert seen["editor"][seen["selection"]:].startswith("WHERE")  # selected where the parser stopped


def test_a_page_that_says_otherwise_stops_the_journey_with_what_it_said(browser: Browser, walked: Walked) -> None:
    trials = walked.clues.trials
    wrong = dataclasses.replace(walked.clues, trials=trials + 1)
    with pytest.raises(JourneyError, match=f"the home page: says {trials} trials, the store has {trials + 1}"):
        Journey(browser, walked.server, wrong, rounds=1).run()
