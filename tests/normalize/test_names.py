"""What a shared node's name may be: the rules of the quality gate, and the shapes that say the same."""

from __future__ import annotations

import re

import pytest
import rdflib

from exporter.normalize import names
from exporter.normalize.names import is_name, is_sentence, problems, unnumbered
from exporter.resources import shapes_file

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
TGSH = rdflib.Namespace("https://w3id.org/trialgraph/shapes#")


@pytest.mark.parametrize("name", [
    "valsartan", "Human immunoglobulin G", "COVID-19", "Type 2 diabetes mellitus", "SNUBH-NM-333(18F)",
    "Department of Biotechnology, India, 6th-8th Floor, Block 2CGO Complex, Lodhi Road New Delhi - 110 003.",
    "F. Hoffmann-La Roche Ltd", "Narodowy Instytut Onkologii im. M. Sklodowskiej-Curie", "http://example.org/x",
    "anemia in chronic kidney patients who are in dialysis",  # a relative clause describes the noun
])
def test_names_pass(name: str) -> None:
    assert problems(name) == ()
    assert not is_sentence(name)


@pytest.mark.parametrize(("name", "problem"), [
    ("Drug dosage and duration: 500 mg daily for 10 days", "form field"),
    ("Case series:Treated with conventional treatment", "form field"),
    ("Therapeutic area: Diseases [C] - Virus Diseases [C02]", "form field"),
    ("Secondary Objectives:", "colon"),
    ("10007963", "no letter"),
    ("?????? ??????", "question marks"),
    ("LCRT?6cycles*(CAPOX+PD-1 antibody)?Surgery/NOM", "question marks"),
    ("x" * 151, "longer than 150"),
])
def test_names_that_are_no_names_are_told_why(name: str, problem: str) -> None:
    assert any(problem in found for found in problems(name))
    assert not is_name(name)


@pytest.mark.parametrize("text", [
    "Head of Emergency Department will be questionned.",
    "Patients are allocated by chance to receive either placebo or the drug",
    "Please refer to section E6 of the protocol.",
    "Treated with conventional treatment combined with Chloroquine Phosphate",
    "The dose begins at 60 g. The duration is at most 28 days",
])
def test_sentences_are_no_names(text: str) -> None:
    assert is_sentence(text)
    assert not is_name(text)


def test_a_long_free_text_is_a_description_not_a_name() -> None:
    text = "Oral 500mg chloroquine phosphate tablets prophylactic weekly regimen against COVID-19 over 10 week trial"
    assert problems(text) == () and not is_name(text)


@pytest.mark.parametrize(("text", "entry"), [
    ("1. Xinhua hospital", "Xinhua hospital"), ("(2) Placebo", "Placebo"), ("b) placebo", "placebo"),
    ("2.\tHydroxychloroquine arm", "Hydroxychloroquine arm"), ("5-FU", "5-FU"), ("E. coli infection", "E. coli infection"),
])
def test_list_numbers_come_off(text: str, entry: str) -> None:
    assert unnumbered(text) == entry


def test_the_shapes_check_the_same_patterns_at_severity_warning() -> None:
    """The shapes and the quality gate cannot drift apart: each pattern of names.py is a warning's."""
    shapes = rdflib.Graph().parse(shapes_file())
    patterns = {}
    for shape in (TGSH.NameLength, TGSH.NameWithoutFieldLabel, TGSH.NameWithoutTrailingColon, TGSH.NameWithLetter,
                  TGSH.NameNotBroken):
        assert shapes.value(shape, SH.severity) == SH.Warning
        inner = shapes.value(shape, SH["not"])
        patterns[shape] = str(shapes.value(inner if inner is not None else shape, SH.pattern))
    assert patterns[TGSH.NameWithoutFieldLabel] == names.FIELD_PREFIX.pattern
    assert patterns[TGSH.NameWithoutTrailingColon] == names.TRAILING_COLON.pattern
    assert patterns[TGSH.NameWithLetter] == names.NO_LETTER.pattern
    assert patterns[TGSH.NameNotBroken] == names.QUESTION_MARKS.pattern
    assert re.fullmatch(patterns[TGSH.NameLength], "x" * names.MAX_LENGTH)
    assert not re.fullmatch(patterns[TGSH.NameLength], "x" * (names.MAX_LENGTH + 1))
    for shape in (TGSH.ConditionShape, TGSH.InterventionShape, TGSH.OrganisationShape):
        assert set(patterns) <= set(shapes.objects(shape, SH.property))
