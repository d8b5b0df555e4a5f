"""Study types of every registry."""

from __future__ import annotations

import pytest

from exporter.normalize.study_types import parse_study_type
from exporter.record import Concept


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("Interventional", "StudyTypeInterventional", id="CT.gov"),
        pytest.param("INTERVENTIONAL", "StudyTypeInterventional", id="CT.gov-JSON-enum"),
        pytest.param("Observational", "StudyTypeObservational", id="CT.gov-observational"),
        pytest.param("Observational [Patient Registry]", "StudyTypeObservational", id="CT.gov-registry"),
        pytest.param("Expanded Access", "StudyTypeExpandedAccess", id="CT.gov-expanded-access"),
        pytest.param("EXPANDED_ACCESS", "StudyTypeExpandedAccess", id="CT.gov-JSON-expanded-access"),
        pytest.param("Interventional clinical trial of medicinal product", "StudyTypeInterventional", id="EUCTR"),
        pytest.param("Interventional study", "StudyTypeInterventional", id="ChiCTR"),
        pytest.param("Observational study", "StudyTypeObservational", id="ChiCTR-observational"),
        pytest.param("Interventional Study", "StudyTypeInterventional", id="CRIS"),
        pytest.param("interventional", "StudyTypeInterventional", id="DRKS-IRCT-lower-case"),
        pytest.param("observational", "StudyTypeObservational", id="DRKS-lower-case"),
        pytest.param("Observational invasive", "StudyTypeObservational", id="NL-OMON"),
        pytest.param("Intervention", "StudyTypeInterventional", id="ReBec"),
    ],
)
def test_registry_study_types(text: str, code: str) -> None:
    assert parse_study_type(text) == Concept(text, code)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Diagnostic test", id="ChiCTR-diagnostic"),
        pytest.param("Basic Science", id="ChiCTR-basic-science"),
        pytest.param("Epidemilogical research", id="ChiCTR-typo-not-guessed"),
        pytest.param("Health services reaserch", id="ChiCTR-typo-not-guessed-2"),
    ],
)
def test_types_outside_the_scheme_are_kept_as_text(text: str) -> None:
    assert parse_study_type(text) == Concept(text, None)
