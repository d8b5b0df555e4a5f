"""The curator's view over all the shared records: no shared node named by a form field, an arm, a heading, a
paragraph or broken text, and the registries' arms read as arms."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from exporter.cli import main
from exporter.normalize.names import is_sentence, problems
from exporter.record import Trial

from .conftest import BASE, select

# Condition names of EUCTR's and CTIS's own forms (MedDRA blocks, therapeutic areas) are read by their own rules.
OWN_FORMS = {"EU Clinical Trials Register", "Clinical Trials Information System"}


def test_validate_quality_lists_no_suspect_outside_the_eu_registers_condition_forms(
    fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", str(fixtures), "-q", "--quality", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [q for q in report["quality"] if not (q["registry"] in OWN_FORMS and q["kind"] == "condition")] == []


def test_no_intervention_node_is_named_by_an_arm_a_field_or_a_sentence(store: ox.Store) -> None:
    labels = [label for (label,) in select(store, "SELECT DISTINCT ?l { ?i a tg:Intervention ; rdfs:label ?l }")]
    assert [label for label in labels if problems(label) or is_sentence(label)] == []
    assert not [label for label in labels if label.casefold() in {"none", "no", "or", "drug", "origin"}]


def test_chictr_arms_are_arms_with_their_sizes(store: ox.Store) -> None:
    arms = select(store, f"""SELECT ?label ?size ?description {{
        <{BASE}trial/chictr/ChiCTR2000029868> tg:armGroup ?arm . ?arm rdfs:label ?label ; tg:armSize ?size .
        OPTIONAL {{ ?arm schema:description ?description }} }} ORDER BY ?label""")
    assert arms == [("Control group", "100", "Conventional treatment meet the Guideline"),
                    ("Experimental group", "100", "oral hydroxychloroquine sulfate tablets")]
    [(size,)] = select(store, f"SELECT ?n {{ <{BASE}trial/chictr/ChiCTR2000029868> tg:targetSize ?n }}")
    assert size == "200"
    none = select(store, f"SELECT ?i {{ <{BASE}trial/chictr/ChiCTR2000029953> tg:intervention ?i }}")
    assert none == []  # survival group:none;died:none;


def test_paragraphs_are_kept_as_registered(trials: list[Trial]) -> None:
    by_id = {trial.trial_id.value: trial for trial in trials}
    isrctn = by_id["ISRCTN15668391"]
    assert isrctn.interventions == [] and len(isrctn.unnamed_interventions) == 1
    assert "1. Four oral rifampicin 300-mg capsules" in isrctn.unnamed_interventions[0]
    irct = by_id["IRCT20190122042450N3"]
    assert [i.name for i in irct.interventions][1:] == ["Pioglitazone 15 milligram, Dr. Abidi pharmacy over 6 months",
                                                        "placebo, Dr. Abidi pharmacy over 6 months"]
    assert [c.text for c in irct.conditions][:2] == ["Nonalcoholic fatty liver disease", "Diabetes type 2"]


def test_jrct_arms_written_as_clinicaltrials_gov_writes_them_are_arms(store: ox.Store) -> None:
    arms = select(store, f"""SELECT ?type ?label {{
        <{BASE}trial/jrct/jRCT2071210009> tg:armGroup ?arm . ?arm tg:armType ?type ; rdfs:label ?label }}
        ORDER BY ?label""")
    assert arms == [("Experimental", "ION-682884"), ("Active Comparator", "Inotersen")]
