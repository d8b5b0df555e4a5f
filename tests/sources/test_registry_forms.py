"""Registries' own forms inside ICTRP's fields, on records written here in the XML export's form: arms, numbered
entries, paragraphs and broken text make no shared node; what is a name does, and nothing is lost."""

from __future__ import annotations

import io

from exporter.mapping.iris import Iris
from exporter.pipeline import Pipeline
from exporter.record import Condition, Trial
from exporter.sources import ictrp_xml
from exporter.summary import Summary

TG = "https://w3id.org/trialgraph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def record(trial_id: str, **fields: str) -> Trial:
    """One record of an ICTRP XML export with the given elements, read as the source reads it."""
    elements = "".join(f"<{name}>{value}\n    </{name}>" for name, value in fields.items())
    data = f"<Trials_downloaded_from_ICTRP><Trial><TrialID>{trial_id}</TrialID>{elements}</Trial></Trials_downloaded_from_ICTRP>"
    [trial] = list(ictrp_xml.read(io.BytesIO(data.encode()), "test.xml"))
    assert isinstance(trial, Trial)
    return trial


def objects(trial: Trial, predicate: str) -> list[str]:
    """The values of ``predicate`` in the trial's graph, in order."""
    graph = Pipeline().mapper.map(trial)
    return [getattr(o, "lexical", str(o)) for _, p, o in graph.triples if str(p) == predicate]


def test_chictr_groups_become_arms_sized_per_group_and_in_total() -> None:
    trial = record(
        "ChiCTR2000099991", Study_type="Interventional study",
        Intervention="Puerarin group:Puerarin capsule (50mg/time), 3 times a day + Statins;"
                     "Control group:The control group will be treated with statins according to the guideline;",
        Target_size="Puerarin group:30;Control group:30;")
    assert [(a.label, a.size, a.intervention_names) for a in trial.arm_groups] == [
        ("Puerarin group", 30, ("Puerarin capsule (50mg/time), 3 times a day + Statins",)),
        ("Control group", 30, ()),
    ]
    assert trial.arm_groups[1].description == "The control group will be treated with statins according to the guideline"
    assert [i.name for i in trial.interventions] == ["Puerarin capsule (50mg/time), 3 times a day + Statins"]
    assert trial.target_size is not None and trial.target_size.value == 60
    assert trial.target_size.text == "Puerarin group:30;Control group:30;"
    assert objects(trial, TG + "armSize") == ["30", "30"]
    assert objects(trial, TG + "targetSize") == ["60"]


def test_chictr_case_series_and_cohorts_without_treatment() -> None:
    series = record("ChiCTR2000099992", Study_type="Interventional study",
                    Intervention="Case series:Extracorporeal Membrane Oxygenation;", Target_size="Case series:40;")
    assert [i.name for i in series.interventions] == ["Extracorporeal Membrane Oxygenation"]
    assert series.target_size is not None and series.target_size.value == 40
    cohorts = record("ChiCTR2000099993", Study_type="Observational study",
                     Intervention="survival group:none;died:none;", Target_size="survival group:200;died:200;")
    assert cohorts.interventions == []
    assert [(a.label, a.size) for a in cohorts.arm_groups] == [("survival group", 200), ("died", 200)]
    assert cohorts.unnamed_interventions == ["survival group:none;died:none;"]  # the registry's text, kept as it came
    assert objects(cohorts, TG + "intervention") == []
    assert objects(cohorts, TG + "interventionAsRegistered") == ["survival group:none;died:none;"]


def test_irct_numbered_interventions_and_conditions_are_entries_of_their_own() -> None:
    trial = record(
        "IRCT20190122099999N3", Study_type="Interventional clinical trial of Medicine",
        Intervention="Intervention 1: Intervention group: Empagliflozin 10 milligram. Intervention 2: Control group: "
                     "placebo.",
        Condition="Condition 1: Nonalcoholic fatty liver disease. Condition 2: Diabetes type 2.")
    assert [(a.label, a.type) for a in trial.arm_groups] == [("Intervention 1", "Intervention group"),
                                                          ("Intervention 2", "Control group")]
    assert [i.name for i in trial.interventions] == ["Empagliflozin 10 milligram", "placebo"]
    assert [c.text for c in trial.conditions] == ["Nonalcoholic fatty liver disease", "Diabetes type 2"]


def test_drks_numbered_groups_of_an_observational_study_are_no_interventions() -> None:
    trial = record("DRKS00099999", Study_type="Observational",
                   Intervention="Intervention 1: no or mild symptoms of common cold, SARS-CoV-2 negative Intervention "
                                "2: mild COVID-19 Intervention 3: severe COVID-19")
    assert [(a.label, a.description) for a in trial.arm_groups] == [
        ("Intervention 1", "no or mild symptoms of common cold, SARS-CoV-2 negative"),
        ("Intervention 2", "mild COVID-19"), ("Intervention 3", "severe COVID-19")]
    assert trial.interventions == []


def test_isrctn_paragraphs_with_headings_are_kept_as_registered_and_make_no_node() -> None:
    text = ("Drug dosage and duration:&lt;br&gt;Participants receive 500 mg of the study drug twice daily for 10 days."
            "&lt;br&gt;Follow up:&lt;br&gt;Participants are followed up for 12 months.")
    trial = record("ISRCTN99999999", Study_type="Interventional", Intervention=text)
    assert trial.interventions == []
    [registered] = trial.unnamed_interventions
    assert registered.startswith("Drug dosage and duration:\n")
    assert objects(trial, TG + "intervention") == []


def test_a_list_of_names_stays_a_list_of_interventions_and_typed_entries_survive_prose() -> None:
    names = record("ISRCTN99999998", Intervention="(1) Mirabegron&lt;br&gt;(2) Placebo")
    assert [i.name for i in names.interventions] == ["Mirabegron", "Placebo"] and names.unnamed_interventions == []
    mixed = record("NCT09999999", Intervention="Drug: Pembrolizumab;Participants will receive the drug every three "
                                               "weeks until progression")
    assert [i.name for i in mixed.interventions] == ["Pembrolizumab"]
    assert len(mixed.unnamed_interventions) == 1


def test_numbered_sponsor_lists_are_one_organisation_each_without_their_numbers() -> None:
    trial = record("ChiCTR2000099994",
                   Primary_sponsor="1. Xinhua hospital affiliated to Shanghai Jiaotong University; 2. Hubei Provincial "
                                   "Hospital of Traditional Chinese Medicine",
                   Source_Support="1. National Natural Science Foundation of China 2. Shanghai Municipal Health "
                                  "Commission")
    assert [o.name for o in trial.primary_sponsors] == [
        "Xinhua hospital affiliated to Shanghai Jiaotong University",
        "Hubei Provincial Hospital of Traditional Chinese Medicine"]
    assert [o.name for o in trial.funders] == ["National Natural Science Foundation of China",
                                               "Shanghai Municipal Health Commission"]


def test_broken_text_bare_codes_and_sentences_make_no_condition_node() -> None:
    trial = record("NL-OMON99999", Condition="?????? ??????;Familial amyloid polyneuropathy;10034606;"
                                              "Head of Emergency Department will be questioned.")
    assert [c.text for c in trial.conditions] == ["Familial amyloid polyneuropathy"]
    assert set(trial.unnamed_conditions) == {"?????? ??????", "10034606", "Head of Emergency Department will be questioned."}
    assert set(objects(trial, TG + "conditionAsRegistered")) == set(trial.unnamed_conditions)


def test_one_slug_for_every_shared_node() -> None:
    iris = Iris()
    assert iris.intervention("VALSARTÁN") == iris.intervention("valsartan")
    assert iris.condition("Maladie de Ménétrier") == iris.condition("maladie de menetrier")
    assert iris.organisation("Hôpital Européen") == iris.base + "organisation/" + "hopital-europeen"
    assert iris.condition("Hôpital Européen").endswith("/hopital-europeen")
    assert iris.condition("糖尿病") != iris.condition("高血压")  # other scripts are kept whole


def test_the_quality_section_lists_what_no_reader_should_make() -> None:
    """A reader that still misreads a heading as a condition (here made by hand) shows in the curator's view."""
    summary = Summary(quality=True)
    misread = record("NCT09999998", Condition="Asthma", Primary_sponsor="Sponsor GmbH")
    misread.conditions.append(Condition("Secondary Objectives:"))
    summary.record_read(misread)
    summary.record_read(record("NCT09999997", Condition="Asthma"))
    report = summary.report()
    assert "quality: 1 suspicious shared nodes" in report
    assert "condition 'Secondary Objectives:' (1 record): starts with a form field's label; ends in a colon" in report
    assert [q["name"] for q in summary.to_json()["quality"]] == ["Secondary Objectives:"]
    assert "quality: no suspicious shared node" in Summary(quality=True).report()


def test_a_contact_listed_several_times_keeps_every_phone_number_and_email() -> None:
    trial = record("NCT09999996", Contact_Firstname="Jun;Jun;Jun", Contact_Lastname="Huang;Huang;Huang",
                   Contact_Tel="+86 1111;+86 2222;", Contact_Email="jun@example.org;;huang@example.org",
                   Contact_Affiliation="Wuhan University;Wuhan University;Wuhan University")
    schema = "http://schema.org/"
    assert sorted(objects(trial, schema + "telephone")) == ["+86 1111", "+86 2222"]
    assert sorted(objects(trial, schema + "email")) == ["huang@example.org", "jun@example.org"]
    assert {c.name for c in trial.contacts} == {"Jun Huang"}


def test_a_typed_entry_keeps_a_long_name_that_an_untyped_line_could_not() -> None:
    name = ("Cervical Transforaminal Epidural Injection with dexamethasone sodium phosphate under fluoroscopic "
            "guidance in the outpatient clinic")
    typed = record("NCT09999995", Intervention=f"Procedure: {name};Drug: Placebo")
    assert [i.name for i in typed.interventions] == [name, "Placebo"] and typed.unnamed_interventions == []
    untyped = record("NCT09999994", Intervention=f"{name};Placebo")
    assert untyped.interventions == [] and untyped.unnamed_interventions == [f"{name};Placebo"]
