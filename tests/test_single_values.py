"""One trial, one value per single-valued fact: a trial read from several records gets the values that hold for
it, and each record's own values stay on its registration node.

The records are ours, written in the registries' real forms: two EU Clinical Trials Register records of one trial
(Hungary's and Denmark's) as ICTRP exports them in XML, and one NCT trial both as ICTRP exports it and as the
ClinicalTrials.gov API v2 returns it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from exporter.cli import main
from exporter.resources import ontology_file, shapes_file

BASE = "http://localhost:8000/"
TG = "https://w3id.org/trialgraph/ontology#"
DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"
EUDRACT_TRIAL = BASE + "trial/eudract/2021-000099-11"
NCT_TRIAL = BASE + "trial/nct/NCT09990001"


def ictrp_trial(trial_id: str, refreshed: str, registered: str, enrolled: str, status: str, size: str,
                prospective: str, countries: str, register: str, title: str) -> str:
    """One ``<Trial>`` of an ICTRP XML export, with the fields the registries fill for it."""
    compact = "".join(reversed(registered.split("/")))
    return f"""  <Trial><Export_date>03/04/2025 10:15:00</Export_date>
    <TrialID>{trial_id}
    </TrialID>
    <Last_Refreshed_on>{refreshed}
    </Last_Refreshed_on>
    <Public_title>{title}
    </Public_title>
    <Scientific_title>A randomised, double-blind, placebo-controlled study of velnamir in adults with chronic cough
    </Scientific_title>
    <Primary_sponsor>Fjordline Pharma A/S
    </Primary_sponsor>
    <Retrospective_flag>{prospective}
    </Retrospective_flag>
    <Date_registration3>{compact}
    </Date_registration3>
    <Date_registration>{registered}
    </Date_registration>
    <Source_Register>{register}
    </Source_Register>
    <Recruitment_Status>{status}
    </Recruitment_Status>
    <Date_enrollement>{enrolled}
    </Date_enrollement>
    <Target_size>{size}
    </Target_size>
    <Study_type>Interventional clinical trial of medicinal product
    </Study_type>
    <Phase>Human pharmacology (Phase I): no
Therapeutic exploratory (Phase II): yes
Therapeutic confirmatory - (Phase III): no
Therapeutic use (Phase IV): no
    </Phase>
    <Countries>{countries}
    </Countries>
    <Condition>Chronic cough
    </Condition>
    <Intervention>Product Name: Velnamir&lt;br&gt;Pharmaceutical Form: Tablet
    </Intervention>
    <Primary_outcome>Change in 24-hour cough frequency [Time Frame: Week 12]
    </Primary_outcome>
  </Trial>
"""


def ictrp_export(*trials: str) -> str:
    return "<?xml version='1.0' encoding='UTF-8' ?>\n<Trials_downloaded_from_ICTRP>\n" + "".join(trials) + \
        "</Trials_downloaded_from_ICTRP>\n"


HUNGARY = ictrp_trial("EUCTR2021-000099-11-HU", "3 March 2025", "14/06/2021", "01/09/2021", "Authorised", "40", "No",
                      "Hungary;Denmark", "EU Clinical Trials Register", "Velnamir for chronic cough")
DENMARK = ictrp_trial("EUCTR2021-000099-11-DK", "20 January 2025", "02/06/2021", "15/10/2021", "Prematurely Ended",
                      "25", "Yes", "Hungary;Denmark", "EU Clinical Trials Register", "Velnamir for chronic cough")
NCT_FROM_ICTRP = ictrp_trial("NCT09990001", "2 February 2024", "10/06/2021", "01/07/2021", "Recruiting", "300", "Yes",
                             "Denmark", "ClinicalTrials.gov", "Velnamir in Chronic Cough (an older title)")
NCT_FROM_CTGOV = {"protocolSection": {
    "identificationModule": {"nctId": "NCT09990001", "briefTitle": "Velnamir in Adults With Chronic Cough",
                             "organization": {"fullName": "Fjordline Pharma A/S", "class": "INDUSTRY"}},
    "statusModule": {"overallStatus": "ACTIVE_NOT_RECRUITING", "startDateStruct": {"date": "2021-07-05", "type": "ACTUAL"},
                     "completionDateStruct": {"date": "2026-01", "type": "ESTIMATED"},
                     "studyFirstSubmitDate": "2021-06-14", "lastUpdatePostDateStruct": {"date": "2025-02-20"}},
    "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Fjordline Pharma A/S", "class": "INDUSTRY"}},
    "descriptionModule": {"briefSummary": "This study tests whether velnamir reduces how often adults cough."},
    "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2"],
                     "designInfo": {"allocation": "RANDOMIZED", "maskingInfo": {"masking": "DOUBLE"}},
                     "enrollmentInfo": {"count": 280, "type": "ACTUAL"}},
}}


def exported(tmp_path: Path, files: dict[str, str], *options: str) -> tuple[bytes, set[tuple[str, str, str]]]:
    """The N-Quads an export of ``files`` writes, and the set of triples they hold, whatever their graph."""
    inputs = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        inputs.append(str(tmp_path / name))
    out = tmp_path / f"out{'-'.join(options)}.nq"
    assert main(["export", *inputs, "-f", "nquads", "-o", str(out), "-q", *options]) == 0
    data = out.read_bytes()
    triples = {(q.subject.value, q.predicate.value, q.object.value)
               for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
    return data, triples


def values(triples: set[tuple[str, str, str]], subject: str, predicate: str) -> set[str]:
    """The objects of ``subject``'s ``predicate`` (a full IRI, or a trialgraph term's local name)."""
    iri = str(predicate) if ":" in predicate else TG + predicate
    return {o for s, p, o in triples if s == subject and p == iri}


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741000000")


@pytest.fixture
def euctr(tmp_path: Path) -> set[tuple[str, str, str]]:
    return exported(tmp_path, {"hu.xml": ictrp_export(HUNGARY), "dk.xml": ictrp_export(DENMARK)})[1]


def test_two_member_states_records_are_one_trial_with_one_value_of_each_fact(euctr: set) -> None:
    assert values(euctr, EUDRACT_TRIAL, DCT_IDENTIFIER) == {"2021-000099-11"}
    assert values(euctr, EUDRACT_TRIAL, "registrationDate") == {"2021-06-02"}  # the first registration: Denmark's
    assert values(euctr, EUDRACT_TRIAL, "enrolmentDate") == {"2021-09-01"}  # the first start: Hungary's
    assert values(euctr, EUDRACT_TRIAL, "recruitmentStatusAsRegistered") == {"Authorised"}  # refreshed last: Hungary
    assert values(euctr, EUDRACT_TRIAL, "targetSize") == {"40"}
    assert values(euctr, EUDRACT_TRIAL, "prospectiveRegistration") == {"true"}  # what the first registration says
    primary = values(euctr, EUDRACT_TRIAL, "primaryIdentifier")
    assert [values(euctr, node, "http://schema.org/value") for node in primary] == [{"2021-000099-11"}]


def test_each_member_state_keeps_its_own_registration(euctr: set) -> None:
    registrations = values(euctr, EUDRACT_TRIAL, "registration")
    assert registrations == {EUDRACT_TRIAL + "/registration/HU", EUDRACT_TRIAL + "/registration/DK"}
    hungary, denmark = EUDRACT_TRIAL + "/registration/HU", EUDRACT_TRIAL + "/registration/DK"
    assert values(euctr, hungary, RDF.type) == {TG + "Registration"}
    assert values(euctr, hungary, DCT_IDENTIFIER) == {"EUCTR2021-000099-11-HU"}
    assert values(euctr, hungary, "sourceRecord") == {BASE + "record/ictrp/EUCTR2021-000099-11-HU"}
    assert values(euctr, hungary, "registrationCountry") == {BASE + "country/HU"}
    assert values(euctr, denmark, "registrationCountry") == {BASE + "country/DK"}
    assert values(euctr, hungary, "recordRegistrationDate") == {"2021-06-14"}
    assert values(euctr, denmark, "recordRegistrationDate") == {"2021-06-02"}
    assert values(euctr, denmark, "recordRecruitmentStatusAsRegistered") == {"Prematurely Ended"}
    assert values(euctr, denmark, "recordTargetSize") == {"25"}
    assert values(euctr, hungary, "recordProspectiveRegistration") == {"false"}
    # the record ids remain ids of the trial, so it is found by either
    ids = {v for node in values(euctr, EUDRACT_TRIAL, "secondaryIdentifier")
           for v in values(euctr, node, "http://schema.org/value")}
    assert {"EUCTR2021-000099-11-HU", "EUCTR2021-000099-11-DK"} <= ids


def test_one_member_state_alone_still_has_its_registration(tmp_path: Path) -> None:
    _, triples = exported(tmp_path, {"hu.xml": ictrp_export(HUNGARY)})
    assert values(triples, EUDRACT_TRIAL, DCT_IDENTIFIER) == {"2021-000099-11"}
    assert values(triples, EUDRACT_TRIAL, "registrationDate") == {"2021-06-14"}
    assert values(triples, EUDRACT_TRIAL + "/registration/HU", "recordRegistrationDate") == {"2021-06-14"}


def test_a_trial_from_ictrp_and_clinicaltrials_gov_says_which_source_said_what(tmp_path: Path) -> None:
    _, triples = exported(tmp_path, {"ictrp.xml": ictrp_export(NCT_FROM_ICTRP),
                                     "ctgov.json": json.dumps(NCT_FROM_CTGOV)})
    assert values(triples, NCT_TRIAL, DCT_IDENTIFIER) == {"NCT09990001"}
    assert values(triples, NCT_TRIAL, "registrationDate") == {"2021-06-10"}  # ICTRP's, the earlier
    assert values(triples, NCT_TRIAL, "enrolmentDate") == {"2021-07-01"}
    # ClinicalTrials.gov's record was refreshed last: its status, size, phase and titles hold
    assert values(triples, NCT_TRIAL, "recruitmentStatus") == {TG + "StatusActiveNotRecruiting"}
    assert values(triples, NCT_TRIAL, "targetSize") == {"280"}
    assert values(triples, NCT_TRIAL, "phase") == {TG + "Phase2"}
    assert values(triples, NCT_TRIAL, "publicTitle") == values(triples, NCT_TRIAL, RDFS.label) == {
        "Velnamir in Adults With Chronic Cough"}
    # a fact only one record states is the trial's from that record
    assert values(triples, NCT_TRIAL, "completionDate") == {"2026-01"}
    summary = "This study tests whether velnamir reduces how often adults cough."
    assert values(triples, NCT_TRIAL, "http://schema.org/description") == {summary}
    assert len(values(triples, NCT_TRIAL, "allocation")) == 1
    ictrp, ctgov = NCT_TRIAL + "/registration/ictrp", NCT_TRIAL + "/registration/ctgov"
    assert values(triples, NCT_TRIAL, "registration") == {ictrp, ctgov}
    assert values(triples, ictrp, "recordRecruitmentStatus") == {TG + "StatusRecruiting"}
    assert values(triples, ctgov, "recordRecruitmentStatus") == {TG + "StatusActiveNotRecruiting"}
    assert values(triples, ictrp, "recordPublicTitle") == {"Velnamir in Chronic Cough (an older title)"}
    assert values(triples, ctgov, "recordRegistrationDate") == {"2021-06-14"}
    assert values(triples, ctgov, "sourceRecord") == {BASE + "record/ctgov/NCT09990001"}
    assert values(triples, ctgov, "recordDescription") == {summary}
    assert values(triples, ictrp, "recordDescription") == set()
    assert values(triples, ictrp, "registrationCountry") == set()


def test_a_trial_read_from_one_record_has_no_registration_node(tmp_path: Path) -> None:
    _, triples = exported(tmp_path, {"ctgov.json": json.dumps(NCT_FROM_CTGOV)})
    assert values(triples, NCT_TRIAL, "registrationDate") == {"2021-06-14"}
    assert values(triples, NCT_TRIAL, "registration") == set()


def test_the_output_is_the_same_for_any_number_of_workers(tmp_path: Path) -> None:
    files = {"hu.xml": ictrp_export(HUNGARY), "ictrp.xml": ictrp_export(NCT_FROM_ICTRP),
             "dk.xml": ictrp_export(DENMARK), "ctgov.json": json.dumps(NCT_FROM_CTGOV)}
    one, _ = exported(tmp_path, files, "-j", "1")
    two, triples = exported(tmp_path, files, "-j", "2")
    assert one == two
    assert values(triples, EUDRACT_TRIAL, "registrationDate") == {"2021-06-02"}


def single_valued_trial_properties() -> set[str]:
    ontology = rdflib.Graph().parse(data=ontology_file().read_text(encoding="utf-8"), format="turtle")
    return {str(p) for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)
            if (p, RDFS.domain, rdflib.URIRef(TG + "Registration")) not in ontology}


def test_the_shapes_allow_one_value_of_each_single_valued_fact_of_a_trial() -> None:
    shapes = rdflib.Graph().parse(data=shapes_file().read_text(encoding="utf-8"), format="turtle")
    trial_shapes = set(shapes.subjects(SH.targetClass, rdflib.URIRef(TG + "Trial")))
    at_most_one = {str(shapes.value(prop, SH.path)) for shape in trial_shapes
                   for prop in shapes.objects(shape, SH.property) if shapes.value(prop, SH.maxCount) == rdflib.Literal(1)}
    assert single_valued_trial_properties() - at_most_one == set()
    assert {TG + "registrationDate", TG + "recruitmentStatus", DCT_IDENTIFIER} <= single_valued_trial_properties()


def test_a_date_that_cannot_be_read_yields_to_one_that_can_and_stays_on_its_registration(tmp_path: Path) -> None:
    sweden = ictrp_trial("EUCTR2021-000099-11-SE", "9 March 2025", "01/06/2021", "Not yet known", "Authorised", "12",
                         "Yes", "Sweden", "EU Clinical Trials Register", "Velnamir for chronic cough")
    _, triples = exported(tmp_path, {"export.xml": ictrp_export(sweden, DENMARK)})
    assert values(triples, EUDRACT_TRIAL, "enrolmentDate") == {"2021-10-15"}  # Denmark's, the one date read
    assert values(triples, EUDRACT_TRIAL, "enrolmentDateAsRegistered") == set()
    assert values(triples, EUDRACT_TRIAL, "registrationDate") == {"2021-06-01"}
    assert values(triples, EUDRACT_TRIAL + "/registration/SE", "recordEnrolmentDateAsRegistered") == {"Not yet known"}
