"""Interventions registered arm by arm: ChiCTR's groups, IRCT's and DRKS's numbered entries, ChiCTR's sizes."""

from __future__ import annotations

from exporter.normalize.arms import (
    group_sizes,
    parse_group_entries,
    parse_numbered_entries,
    parse_typed_arms,
    with_sizes,
)
from exporter.record import ArmGroup


def test_chictr_groups_are_arms_and_named_treatments_their_interventions() -> None:
    arms = parse_group_entries([
        "Experimental group:oral hydroxychloroquine sulfate tablets",
        "Conventional treatment group:The conventional treatment group will be treated according to the guideline",
        "control group:No",
    ])
    assert arms is not None
    assert [(a.label, a.description, a.intervention_names) for a in arms.arms] == [
        ("Experimental group", "oral hydroxychloroquine sulfate tablets", ("oral hydroxychloroquine sulfate tablets",)),
        ("Conventional treatment group",
         "The conventional treatment group will be treated according to the guideline", ()),
        ("control group", None, ()),
    ]
    assert [(i.name, i.text) for i in arms.interventions] == [
        ("oral hydroxychloroquine sulfate tablets", "Experimental group:oral hydroxychloroquine sulfate tablets")]


def test_observational_groups_are_cohorts_without_interventions() -> None:
    arms = parse_group_entries(["survival group:none", "died:none"], observational=True)
    assert arms is not None
    assert [(a.label, a.description) for a in arms.arms] == [("survival group", None), ("died", None)]
    assert arms.interventions == []
    cohorts = parse_group_entries(["smokers:cigarette smoking"], observational=True)
    assert cohorts is not None and cohorts.interventions == [] and cohorts.arms[0].description == "cigarette smoking"


def test_a_diagnostic_study_index_test_is_a_test_not_a_drug() -> None:
    arms = parse_group_entries(["Gold Standard:pathological biopsy", "Index test:contrast-enhanced ultrasound"])
    assert arms is not None
    assert [(i.name, i.type and i.type.code) for i in arms.interventions] == [
        ("pathological biopsy", "InterventionDiagnosticTest"),
        ("contrast-enhanced ultrasound", "InterventionDiagnosticTest"),
    ]


def test_a_list_with_an_entry_without_group_is_no_list_of_groups() -> None:
    assert parse_group_entries(["Placebo", "Group B:aspirin"]) is None
    assert parse_group_entries([]) is None


def test_irct_numbered_entries_are_arms_with_their_role() -> None:
    arms = parse_numbered_entries(
        "Intervention 1: Intervention group: Empagliflozin 10 milligram. Intervention 2: Control group: "
        "Control group: placebo")
    assert arms is not None
    assert [(a.label, a.type, a.description) for a in arms.arms] == [
        ("Intervention 1", "Intervention group", "Empagliflozin 10 milligram."),
        ("Intervention 2", "Control group", "placebo"),
    ]
    assert [i.name for i in arms.interventions] == ["Empagliflozin 10 milligram", "placebo"]


def test_drks_numbered_groups_on_lines_keep_their_lines_as_description() -> None:
    arms = parse_numbered_entries("Group 1: Adults with suspected FMF\nUnderlying disease\nOrigin\nGroup 2: Adults "
                                  "with diagnosed FMF", observational=True)
    assert arms is not None
    assert [(a.label, a.description) for a in arms.arms] == [
        ("Group 1", "Adults with suspected FMF Underlying disease Origin"), ("Group 2", "Adults with diagnosed FMF")]
    assert arms.interventions == []
    assert parse_numbered_entries("The intervention group 1: receives albumin") is None


def test_chictr_sizes_per_group_and_their_arms() -> None:
    assert group_sizes("Group A:30;Group B:30;") == {"Group A": 30, "Group B": 30}
    assert group_sizes("Case series:40;") == {"Case series": 40}
    assert group_sizes("126") is None
    assert group_sizes("Group A:30;Group B:about thirty;") is None
    arms = with_sizes([ArmGroup("group a", description="aspirin")], {"Group A": 30, "Group B": 25})
    assert [(a.label, a.description, a.size) for a in arms] == [("group a", "aspirin", 30), ("Group B", None, 25)]


def test_typed_arms_of_ctgov_mirrors_are_arms_without_guessed_interventions() -> None:
    arms = parse_typed_arms("Experimental: ION-682884\nION-682884 by subcutaneous injection once every 4 weeks\n\n"
                            "Active Comparator: Inotersen\nInotersen by subcutaneous injection once weekly")
    assert arms is not None
    assert [(a.label, a.type, a.description) for a in arms.arms] == [
        ("ION-682884", "Experimental", "ION-682884 by subcutaneous injection once every 4 weeks"),
        ("Inotersen", "Active Comparator", "Inotersen by subcutaneous injection once weekly"),
    ]
    assert arms.interventions == []
    assert parse_typed_arms("Drug: aspirin") is None
    assert parse_typed_arms("Other: standard of care\nDrug: aspirin") is None  # intervention types, not arms


def test_arms_that_receive_one_treatment_share_its_intervention() -> None:
    arms = parse_group_entries(["Dyskinesia patient group:Fecal microbiota transplantation",
                                "Healthy control group:fecal microbiota transplantation"])
    assert arms is not None
    assert [a.intervention_names for a in arms.arms] == [("Fecal microbiota transplantation",),
                                                         ("fecal microbiota transplantation",)]
    assert [i.name for i in arms.interventions] == ["Fecal microbiota transplantation"]
