"""The sexes a trial admits, in each registry's words."""

from __future__ import annotations

import pytest

from exporter.normalize.genders import parse_gender
from exporter.record import Concept


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("All", "GenderAll", id="CT.gov"),
        pytest.param("ALL", "GenderAll", id="CT.gov-JSON-enum"),
        pytest.param("FEMALE", "GenderFemale", id="CT.gov-JSON-enum-female"),
        pytest.param("Both", "GenderAll", id="ChiCTR"),
        pytest.param("BOTH", "GenderAll", id="JPRN-upper-case"),
        pytest.param("Male and Female", "GenderAll", id="JPRN"),
        pytest.param("Both, male and female", "GenderAll", id="DRKS"),
        pytest.param("Both males and females", "GenderAll", id="ANZCTR"),
        pytest.param("Males", "GenderMale", id="ANZCTR-males"),
        pytest.param("Females", "GenderFemale", id="ANZCTR-females"),
        pytest.param("Female", "GenderFemale", id="PACTR"),
        pytest.param("Male", "GenderMale", id="ChiCTR-male"),
        pytest.param("Female: yes Male: yes", "GenderAll", id="CTIS"),
        pytest.param("Female: no Male: yes", "GenderMale", id="CTIS-male-only"),
    ],
)
def test_registry_genders(text: str, code: str) -> None:
    assert parse_gender(text) == Concept(text, code)


@pytest.mark.parametrize(
    ("text", "cleaned", "code"),
    [
        pytest.param("<br>Female: yes<br>Male: yes<br>", "Female: yes\nMale: yes", "GenderAll", id="EUCTR"),
        pytest.param("<br> Female: yes<br> Male: yes<br>", "Female: yes\nMale: yes", "GenderAll", id="EUCTR-full-CSV"),
        pytest.param("&lt;br&gt;Female: no&lt;br&gt;Male: yes&lt;br&gt;", "Female: no\nMale: yes", "GenderMale",
                     id="EUCTR-XML-escaped"),
    ],
)
def test_eu_answers(text: str, cleaned: str, code: str) -> None:
    assert parse_gender(text) == Concept(cleaned, code)


@pytest.mark.parametrize("text", [pytest.param("-", id="ReBec"), pytest.param("--", id="REPEC"),
                                  pytest.param("NA", id="CTRI"), pytest.param("", id="NL-OMON-empty")])
def test_null_markers_are_no_gender(text: str) -> None:
    assert parse_gender(text) is None


@pytest.mark.parametrize("text", ["Female: no Male: no", "Diverse"])
def test_unrecognised_gender_is_kept_as_text(text: str) -> None:
    assert parse_gender(text) == Concept(text, None)
