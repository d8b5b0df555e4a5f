"""The plain count a user writes first is right: over the store of every fixture, from the command line and
from ``/sparql``, counting trials per sponsor, country, condition, intervention, phase and register gives the
same numbers with and without DISTINCT."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.cli import main

from .conftest import select

PREFIXES = """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
PATTERNS = {
    "sponsor": "?trial tg:primarySponsor/rdfs:label ?key",
    "country": "?trial tg:country/rdfs:label ?key",
    "condition": "?trial tg:condition/rdfs:label ?key",
    "intervention": "?trial tg:intervention/rdfs:label ?key",
    "phase": "?trial tg:phase ?key",
    "register": "?trial tg:register/rdfs:label ?key",
}


def counting(pattern: str) -> str:
    return (PREFIXES + f"SELECT ?key (COUNT(?trial) AS ?n) (COUNT(DISTINCT ?trial) AS ?distinct) "
            f"WHERE {{ {pattern} }} GROUP BY ?key")


@pytest.mark.parametrize("what", PATTERNS)
def test_counts_over_sparql_count_each_trial_once(server: str, what: str) -> None:
    rows = select(server, counting(PATTERNS[what]))
    assert rows, f"no {what} at all"
    assert [r for r in rows if r["n"] != r["distinct"]] == []


@pytest.mark.parametrize("what", PATTERNS)
def test_counts_over_the_cli_count_each_trial_once(store: Path, what: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--store", str(store), counting(PATTERNS[what]), "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows
    assert [r for r in rows if r.rsplit(",", 2)[1] != r.rsplit(",", 2)[2]] == []


def test_a_trial_read_from_several_records_has_one_identifier(server: str) -> None:
    several = select(server, "SELECT ?t (COUNT(DISTINCT ?g) AS ?records) { GRAPH ?g { ?t a <https://w3id.org/trialgraph/"
                             "ontology#Trial> } } GROUP BY ?t HAVING (COUNT(DISTINCT ?g) > 1)")
    assert several, "the fixtures hold trials read from several records (ICTRP and ClinicalTrials.gov, EUCTR's countries)"
    twice = select(server, "SELECT ?t (COUNT(?id) AS ?n) { ?t <http://purl.org/dc/terms/identifier> ?id } "
                           "GROUP BY ?t HAVING (COUNT(?id) > 1)")
    assert twice == []


def test_counting_every_triple_counts_distinct_triples(server: str) -> None:
    (everything,) = select(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    (distinct,) = select(server, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert everything["n"] == distinct["n"]


def test_no_trial_has_two_values_of_a_single_valued_fact(server: str) -> None:
    """Whatever the number of records a trial is read from (EUCTR's member states, ICTRP and ClinicalTrials.gov),
    each property the ontology marks functional has one value, on trials and on their registrations alike."""
    functional = select(server, "SELECT ?p { ?p a <http://www.w3.org/2002/07/owl#FunctionalProperty> }")
    assert {"https://w3id.org/trialgraph/ontology#registrationDate", "http://purl.org/dc/terms/identifier",
            "https://w3id.org/trialgraph/ontology#recruitmentStatus"} <= {row["p"] for row in functional}
    twice = select(server, "SELECT ?s ?p (COUNT(DISTINCT ?o) AS ?n) { ?p a <http://www.w3.org/2002/07/owl#"
                           "FunctionalProperty> . ?s ?p ?o } GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?o) > 1)")
    assert twice == []
    registrations = select(server, "SELECT ?r { <http://localhost:8000/trial/eudract/2021-000037-14> "
                                   "<https://w3id.org/trialgraph/ontology#registration> ?r }")
    assert len(registrations) == 3  # the fixtures' Spanish, Polish and Portuguese records of that trial
