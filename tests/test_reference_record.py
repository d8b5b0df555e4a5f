"""The reference record (ICTRP's page for NCT04044690, saved as text) end to end.

Every fact is asserted through SPARQL over what ``trialgraph export`` wrote, so the
tests read the graph as a user would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

TG = "https://w3id.org/trialgraph/ontology#"
PREFIXES = f"""
PREFIX tg: <{TG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}


def export(inputs: list[str], fmt: str, output: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "exporter.cli", "export", *inputs, "-f", fmt, "-o", str(output), "-q", *extra]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # one export time for every format
    return subprocess.run(command, capture_output=True, text=True, check=False, env=environment)


@pytest.fixture(scope="module")
def exports(reference_text: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reference")
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = folder / f"reference.{fmt}"
        result = export([str(reference_text)], fmt, paths[fmt])
        assert result.returncode == 0, result.stderr
    return paths


@pytest.fixture(scope="module")
def graph(exports: dict[str, Path]) -> rdflib.Graph:
    return rdflib.Graph().parse(exports["turtle"], format="turtle")


def select(graph: rdflib.Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PREFIXES + query)]


def one(graph: rdflib.Graph, query: str) -> tuple:
    rows = select(graph, query)
    assert len(rows) == 1, rows
    return rows[0]


def test_the_three_formats_carry_the_same_graph(exports: dict[str, Path]) -> None:
    graphs = {fmt: rdflib.Graph().parse(path, format=FORMATS[fmt]) for fmt, path in exports.items()}
    assert len(graphs["turtle"]) > 300
    assert isomorphic(graphs["turtle"], graphs["jsonld"])
    assert isomorphic(graphs["turtle"], graphs["ntriples"])


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_an_independent_parser_reads_the_export(exports: dict[str, Path], graph: rdflib.Graph, fmt: str) -> None:
    kind = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES}[fmt]
    triples = list(pyoxigraph.parse(path=str(exports[fmt]), format=kind))
    assert len(set(triples)) == len(graph)


def test_the_json_ld_has_a_real_context(exports: dict[str, Path]) -> None:
    import json

    document = json.loads(exports["jsonld"].read_text())
    assert document["@context"]["@vocab"] == TG
    trial = next(node for node in document["@graph"] if "Trial" in node.get("@type", []))
    assert trial["targetSize"] == "126"
    assert trial["phase"] == "Phase3"


def test_id_titles_and_register(graph: rdflib.Graph) -> None:
    trial, title, scientific, register, url = one(graph, """
        SELECT ?trial ?title ?scientific ?register ?url WHERE {
          ?trial a tg:Trial ; dct:identifier "NCT04044690" ; tg:publicTitle ?title ; tg:scientificTitle ?scientific ;
                 tg:register/rdfs:label ?register ; tg:registryPage ?url .
        }""")
    assert str(trial).endswith("/trial/nct/NCT04044690")
    assert str(title).endswith("Adults With Dermatomyositis (DM) RECLAIIM")
    assert "Hizentra®" in str(scientific) and str(scientific).endswith("The RECLAIIM Study")
    assert str(register) == "ClinicalTrials.gov"
    assert str(url) == "https://clinicaltrials.gov/ct2/show/NCT04044690"


def test_dates_are_typed(graph: rdflib.Graph) -> None:
    registered, enrolled, refreshed = one(graph, """
        SELECT ?registered ?enrolled ?refreshed WHERE {
          ?trial tg:registrationDate ?registered ; tg:enrolmentDate ?enrolled .
          ?record tg:describes ?trial ; tg:lastRefreshed ?refreshed .
        }""")
    assert (str(registered), registered.datatype) == ("2019-08-01", rdflib.XSD.date)
    assert (str(enrolled), enrolled.datatype) == ("2019-10-21", rdflib.XSD.date)
    assert (str(refreshed), refreshed.datatype) == ("2024-04-08", rdflib.XSD.date)


def test_target_size_is_an_integer_and_registration_prospective(graph: rdflib.Graph) -> None:
    size, prospective = one(graph, "SELECT ?size ?p WHERE { ?t tg:targetSize ?size ; tg:prospectiveRegistration ?p }")
    assert size.datatype == rdflib.XSD.integer and size.toPython() == 126
    assert prospective.toPython() is True


def test_the_sponsor_is_a_node(graph: rdflib.Graph) -> None:
    sponsor, name = one(graph, """
        SELECT ?sponsor ?name WHERE { ?t tg:primarySponsor ?sponsor . ?sponsor a tg:Organisation ; rdfs:label ?name }""")
    assert isinstance(sponsor, rdflib.URIRef)
    assert str(name) == "CSL Behring"
    (statement,) = one(graph, "SELECT ?s WHERE { ?t tg:fundingStatement ?s }")
    assert str(statement) == "Please refer to primary and secondary sponsors"


def test_eighteen_countries_with_iso_codes(graph: rdflib.Graph) -> None:
    rows = select(graph, "SELECT ?code WHERE { ?t tg:country ?c . ?c a tg:Country ; tg:alpha2 ?code }")
    codes = sorted(str(code) for (code,) in rows)
    assert codes == sorted(["AR", "AU", "BE", "CZ", "FR", "DE", "HU", "IT", "JP", "MX", "NL", "PL", "RU", "ES", "CH",
                            "UA", "GB", "US"])
    assert not select(graph, "SELECT ?x WHERE { ?t tg:countryAsRegistered ?x }")


def test_both_interventions_with_their_type(graph: rdflib.Graph) -> None:
    rows = select(graph, """
        SELECT ?name ?type WHERE { ?t tg:intervention ?i . ?i rdfs:label ?name ; tg:interventionType ?type }""")
    assert sorted((str(n), str(t)) for n, t in rows) == [
        ("Placebo", TG + "InterventionDrug"),
        ("human immunoglobulin G", TG + "InterventionDrug"),
    ]


def test_outcomes_are_nodes_with_time_frames(graph: rdflib.Graph) -> None:
    primary = select(graph, "SELECT ?m ?f WHERE { ?t tg:primaryOutcome ?o . ?o a tg:PrimaryOutcome ; tg:measure ?m ; tg:timeFrame ?f }")
    assert [(str(m), str(f)) for m, f in primary] == [("Responder Rate", "Weeks 17, 21, and 25")]
    secondary = select(graph, """
        SELECT ?o ?m ?f WHERE { ?t tg:secondaryOutcome ?o . ?o a tg:SecondaryOutcome ; tg:measure ?m ; tg:timeFrame ?f }""")
    assert len(secondary) == 39
    assert all(isinstance(o, rdflib.URIRef) for o, _, _ in secondary)
    assert ("Mean TIS", "Week 5 up to Week 53") in {(str(m), str(f)) for _, m, f in secondary}
    assert not select(graph, "SELECT ?o WHERE { ?t tg:primaryOutcome ?o . ?o a tg:SecondaryOutcome }")


def test_condition_and_secondary_ids(graph: rdflib.Graph) -> None:
    (condition,) = one(graph, "SELECT ?l WHERE { ?t tg:condition/rdfs:label ?l }")
    assert str(condition) == "Dermatomyositis"
    ids = select(graph, """
        SELECT ?v ?scheme WHERE { ?t tg:secondaryIdentifier ?i . ?i schema:value ?v OPTIONAL { ?i tg:identifierScheme ?scheme } }""")
    assert sorted((str(v), str(s) if s else None) for v, s in ids) == [
        ("2018-003171-35", TG + "EudraCT"),
        ("IgPro20_3007", None),
    ]


def test_criteria_ages_gender(graph: rdflib.Graph) -> None:
    inclusion, exclusion, age, unit, gender = one(graph, """
        SELECT ?in ?ex ?age ?unit ?gender WHERE {
          ?t tg:eligibility ?e . ?e tg:inclusionCriteria ?in ; tg:exclusionCriteria ?ex ;
             tg:minimumAge ?age ; tg:minimumAgeUnit ?unit ; tg:gender ?gender .
        }""")
    assert str(inclusion).startswith("Inclusion Criteria:") and "Male or female subjects = 18 years of age" in inclusion
    assert str(exclusion).startswith("Exclusion Criteria:") and "Cancer-associated myositis" in exclusion
    assert age.toPython() == 18 and str(unit) == "year"
    assert str(gender) == TG + "GenderAll"
    assert not select(graph, "SELECT ?a WHERE { ?e tg:maximumAge ?a }")  # "N/A" is no limit: nothing invented


def test_phase_status_study_type_and_design(graph: rdflib.Graph) -> None:
    phase, status, study_type, design, allocation, masking, status_text = one(graph, """
        SELECT ?phase ?status ?type ?design ?allocation ?masking ?statusText WHERE {
          ?t tg:phase ?phase ; tg:recruitmentStatus ?status ; tg:studyType ?type ; tg:studyDesign ?design ;
             tg:allocation ?allocation ; tg:masking ?masking ; tg:recruitmentStatusAsRegistered ?statusText .
        }""")
    assert (str(phase), str(status), str(study_type)) == (
        TG + "Phase3", TG + "StatusActiveNotRecruiting", TG + "StudyTypeInterventional")
    assert str(design).startswith("Allocation: Randomized. Intervention model: Parallel Assignment.")
    assert (str(allocation), str(masking)) == (
        "Randomized", "Quadruple (Participant, Care Provider, Investigator, Outcomes Assessor)")
    assert str(status_text) == "Active, not recruiting"


def test_contact_with_blank_address(graph: rdflib.Graph) -> None:
    name, affiliation = one(graph, "SELECT ?n ?a WHERE { ?t tg:contact ?c . ?c schema:name ?n ; tg:affiliation ?a }")
    assert (str(name), str(affiliation)) == ("Study Director", "CSL Behring")
    assert not select(graph, "SELECT ?a WHERE { ?c a tg:Contact ; schema:address ?a }")


def test_provenance_names_source_and_version(graph: rdflib.Graph, reference_text: Path) -> None:
    source, fmt, version, generated = one(graph, """
        SELECT ?source ?format ?version ?generated WHERE {
          ?record a tg:SourceRecord ; tg:source ?source ; tg:sourceFormat ?format ; tg:exporterVersion ?version ;
                  <http://www.w3.org/ns/prov#generatedAtTime> ?generated .
        }""")
    assert str(source) == str(reference_text) and str(fmt) == "ictrp-text"
    assert str(version) and generated.datatype == rdflib.XSD.dateTime


def test_nothing_is_invented(graph: rdflib.Graph) -> None:
    """Empty sections of the page (secondary sponsors, ethics review, results) give no triples."""
    for prop in ("secondarySponsor", "ethicsReview", "results", "acronym", "funder"):
        assert not select(graph, f"SELECT ?x WHERE {{ ?t tg:{prop} ?x }}"), prop


@pytest.mark.parametrize("fmt, syntax", [("turtle", "turtle"), ("ntriples", "ntriples")])
def test_raptor_reads_the_export(exports: dict[str, Path], graph: rdflib.Graph, fmt: str, syntax: str) -> None:
    """Raptor (C, from Debian's raptor2-utils) is a parser that shares no code with rdflib or Oxigraph."""
    import shutil

    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian package raptor2-utils) is not installed")
    result = subprocess.run(["rapper", "-i", syntax, "-c", str(exports[fmt])], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert f"returned {len(graph)} triples" in result.stderr
