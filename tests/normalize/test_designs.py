"""Study designs: the registered text and the parts the registries label."""

from __future__ import annotations

import pytest

from exporter.normalize.designs import parse_design
from exporter.record import StudyDesign


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        pytest.param(
            "Allocation: Randomized. Intervention model: Parallel Assignment. Primary purpose: Treatment. "
            "Masking: Single (Participant).",
            {"allocation": "Randomized", "intervention_model": "Parallel Assignment", "primary_purpose": "Treatment",
             "masking": "Single (Participant)"},
            id="CT.gov",
        ),
        pytest.param(
            "Primary Purpose : Diagnosis, Intervention Model : Others, Blinding/Masking : Open, "
            "Allocation : Not Applicable",
            {"allocation": "Not Applicable", "intervention_model": "Others", "primary_purpose": "Diagnosis",
             "masking": "Open"},
            id="CRIS",
        ),
        pytest.param(
            "Purpose: Treatment; Allocation: Randomised controlled trial; Masking: Open (masking not used);",
            {"allocation": "Randomised controlled trial", "primary_purpose": "Treatment",
             "masking": "Open (masking not used)"},
            id="ANZCTR",
        ),
        pytest.param(
            "Allocation: ; Masking: ; Control: ; Assignment: ; Study design purpose: health services research",
            {"primary_purpose": "health services research"},
            id="DRKS-empty-parts",
        ),
        pytest.param(
            "Allocation: N/A: Single arm study;Masking: N/A;Control: Uncontrolled;Assignment: Single;"
            "Purpose: Treatment",
            {"allocation": "N/A: Single arm study", "masking": "N/A", "primary_purpose": "Treatment"},
            id="LBCTR",
        ),
        pytest.param("Parallel", {}, id="ChiCTR-unlabelled"),
        pytest.param(
            "single arm study, open(masking not used), uncontrolled control, single assignment, diagnostic purpose",
            {}, id="JPRN-free-text",
        ),
    ],
)
def test_registry_designs(text: str, parts: dict[str, str]) -> None:
    assert parse_design(text) == StudyDesign(text, **parts)


def test_euctr_lines_are_kept_on_one_line_and_not_misread() -> None:
    text = "Controlled: yes<br>Randomised: yes<br>Open: no<br>Number of treatment arms in the trial: 2"
    assert parse_design(text) == StudyDesign(
        "Controlled: yes Randomised: yes Open: no Number of treatment arms in the trial: 2"
    )


def test_no_design() -> None:
    assert parse_design("NULL") is None
