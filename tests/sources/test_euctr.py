"""EUCTR records as ICTRP's XML export carries them, written here: what each field becomes in the graph.

The export joins the parts of a field with ``;`` and breaks lines with an escaped ``<br>``; these records
use the layouts the real exports use, with invented trials.
"""

from __future__ import annotations

import io

import pytest

from exporter.mapping.terms import Literal, RecordGraph
from exporter.mapping.vocab import RDF, RDFS, SKOS, TG
from exporter.pipeline import Pipeline
from exporter.record import Trial
from exporter.sources import ictrp_xml
from exporter.summary import Summary

BR = "&lt;br&gt;"
RECORD = f"""<Trial>
    <TrialID>EUCTR2099-000001-11-DE</TrialID>
    <Public_title>Not available</Public_title>
    <Scientific_title>A randomised, placebo-controlled trial of examplumab in adults with seasonal influenza</Scientific_title>
    <Primary_sponsor>NA</Primary_sponsor>
    <Date_registration>01/02/2099</Date_registration>
    <Source_Register>EU Clinical Trials Register</Source_Register>
    <Condition>Seasonal influenza in adults {BR}MedDRA version: 21.0
Level: PT
Classification code 10022000
Term: Influenza
System Organ Class: 10021881 - Infections and infestations
;Therapeutic area: Diseases [C] - Virus Diseases [C02];Secondary Objectives:</Condition>
    <Intervention>{BR}Product Name: Examplumab{BR}Pharmaceutical Form: Solution for injection{BR}INN or Proposed INN: examplumab{BR}Concentration unit: mg/ml milligram(s)/millilitre{BR}Concentration type: equal{BR}Concentration number: 10-{BR}Concentration unit: mg/ml milligram(s)/millilitre{BR}Concentration type: equal{BR}Concentration number: 20-{BR}{BR}Pharmaceutical Form: Film-coated tablet{BR}{BR}</Intervention>
    <Primary_outcome>Main Objective: To compare examplumab with placebo on the duration of symptoms.;Secondary Objective: To evaluate the safety of examplumab.{BR}- To assess viral shedding.;Primary end point(s): Time to resolution of symptoms;Timepoint(s) of evaluation of this end point: Day 14</Primary_outcome>
    <Secondary_outcome>Secondary end point(s): Viral load in nasal swabs;Timepoint(s) of evaluation of this end point: Day 3 and Day 7</Secondary_outcome>
  </Trial>"""


@pytest.fixture(scope="module")
def trial() -> Trial:
    data = f"<?xml version='1.0' encoding='UTF-8'?><Trials_downloaded_from_ICTRP>{RECORD}</Trials_downloaded_from_ICTRP>"
    [record] = ictrp_xml.read(io.BytesIO(data.encode()), "euctr.xml")
    assert isinstance(record, Trial)
    return record


@pytest.fixture(scope="module")
def published(trial: Trial) -> tuple[RecordGraph, Summary]:
    summary = Summary()
    graph = Pipeline().process(trial, summary)
    assert graph is not None, summary.rejections
    return graph, summary


def objects(graph: RecordGraph, predicate: str, subject: str | None = None) -> list[str]:
    return [str(o[0] if isinstance(o, tuple) else o) for s, p, o in graph.triples
            if p == predicate and (subject is None or s == subject)]


def test_a_trial_without_public_title_or_sponsor_is_published_with_warnings(published: tuple[RecordGraph, Summary]) -> None:
    graph, summary = published
    assert objects(graph, RDFS.label, graph.trial) == [
        "A randomised, placebo-controlled trial of examplumab in adults with seasonal influenza"]
    assert objects(graph, TG.publicTitle) == [] and objects(graph, TG.primarySponsor) == []
    assert summary.warned == {"public title": 1, "primary sponsor": 1}
    assert summary.rejected == 0


def test_only_end_points_are_outcomes_with_their_time_points_as_time_frames(
    published: tuple[RecordGraph, Summary],
) -> None:
    graph, _ = published
    outcomes = {kind: objects(graph, predicate, graph.trial)
                for kind, predicate in (("primary", TG.primaryOutcome), ("secondary", TG.secondaryOutcome))}
    assert [len(nodes) for nodes in outcomes.values()] == [1, 1]
    [primary], [secondary] = outcomes.values()
    assert (objects(graph, TG.measure, primary), objects(graph, TG.timeFrame, primary)) == (
        ["Time to resolution of symptoms"], ["Day 14"])
    assert (objects(graph, TG.measure, secondary), objects(graph, TG.timeFrame, secondary)) == (
        ["Viral load in nasal swabs"], ["Day 3 and Day 7"])


def test_objectives_are_the_trials_own_main_and_secondary_apart(published: tuple[RecordGraph, Summary]) -> None:
    graph, _ = published
    assert objects(graph, TG.mainObjective) == ["To compare examplumab with placebo on the duration of symptoms."]
    assert objects(graph, TG.secondaryObjective) == ["To evaluate the safety of examplumab.\n- To assess viral shedding."]


def test_conditions_therapeutic_areas_and_headings(published: tuple[RecordGraph, Summary]) -> None:
    graph, _ = published
    conditions = objects(graph, TG.condition)
    assert sorted(objects(graph, RDFS.label, c)[0] for c in conditions) == ["Influenza", "Seasonal influenza in adults"]
    [area] = objects(graph, TG.therapeuticArea)
    assert area.endswith("/therapeutic-area/C02") and TG.TherapeuticArea in objects(graph, RDF.type, area)
    assert (objects(graph, RDFS.label, area), objects(graph, SKOS.notation, area)) == (["Virus Diseases"], ["C02"])
    [category] = objects(graph, SKOS.broader, area)
    assert (objects(graph, RDFS.label, category), objects(graph, SKOS.notation, category)) == (["Diseases"], ["C"])
    assert "Secondary Objectives:" in objects(graph, TG.conditionAsRegistered)


def test_products_are_one_intervention_each_and_a_nameless_one_is_text(published: tuple[RecordGraph, Summary]) -> None:
    graph, _ = published
    [intervention] = objects(graph, TG.intervention)
    assert objects(graph, RDFS.label, intervention) == ["examplumab"]
    registered = objects(graph, TG.interventionAsRegistered)
    assert "Pharmaceutical Form: Film-coated tablet" in registered
    assert any("Concentration number: 10-; 20-" in text for text in registered)


def test_the_shapes_hold_a_therapeutic_area_to_a_tree_number(published: tuple[RecordGraph, Summary]) -> None:
    graph, _ = published
    broken = RecordGraph(graph.name, graph.trial, [
        (s, p, Literal("Virus Diseases") if p == SKOS.notation and str(s).endswith("/C02") else o)
        for s, p, o in graph.triples])
    validator = Pipeline().validator
    assert validator is not None
    violations = [f for f in validator.validate(broken) if f.is_violation]
    assert [(f.focus.rsplit("/", 1)[-1], f.message) for f in violations] == [
        ("C02", "therapeutic area: exactly one MeSH tree number (C02, or C for a top category)")]
