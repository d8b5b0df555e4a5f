"""Trial phases in every registry's spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter.normalize.phases import parse_phase, phase_from_codes
from exporter.record import Concept

_EUCTR_PHASE_II = (
    "Human pharmacology (Phase I): no\nTherapeutic exploratory (Phase II): yes\n"
    "Therapeutic confirmatory - (Phase III): no\nTherapeutic use (Phase IV): no"
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("Phase 2", "Phase2", id="CT.gov"),
        pytest.param("Phase 2/Phase 3", "Phase2_3", id="CT.gov-combined"),
        pytest.param("Phase 1/Phase 2", "Phase1_2", id="TCTR-combined"),
        pytest.param("Phase II-III", "Phase2_3", id="roman-combined"),
        pytest.param("Phase 2/ Phase 3", "Phase2_3", id="CTRI"),
        pytest.param("Phase1/Phase2", "Phase1_2", id="CRIS-combined"),
        pytest.param("Phase4", "Phase4", id="CRIS"),
        pytest.param("0", "EarlyPhase1", id="ChiCTR-phase-0"),
        pytest.param("1", "Phase1", id="ChiCTR-1"),
        pytest.param("4", "Phase4", id="ChiCTR-4"),
        pytest.param("3", "Phase3", id="JPRN-3"),
        pytest.param("Phase III", "Phase3", id="JPRN-roman"),
        pytest.param("IIIb", "Phase3", id="DRKS-sub-phase"),
        pytest.param("III", "Phase3", id="REPEC-roman"),
        pytest.param("2-3", "Phase2_3", id="IRCT-combined"),
        pytest.param("Phase I/II", "Phase1_2", id="ISRCTN-combined"),
        pytest.param("Phase IV", "Phase4", id="ISRCTN-IV"),
        pytest.param("Post-market", "Phase4", id="ChiCTR-post-market"),
        pytest.param("N/A", "PhaseNotApplicable", id="CT.gov-N/A"),
        pytest.param("Not Applicable", "PhaseNotApplicable", id="ANZCTR"),
        pytest.param("Not applicable", "PhaseNotApplicable", id="CRIS-not-applicable"),
        pytest.param(_EUCTR_PHASE_II, "Phase2", id="EUCTR-newlines"),
        pytest.param(
            "Human pharmacology (Phase I): noTherapeutic exploratory (Phase II): yes"
            "Therapeutic confirmatory - (Phase III): noTherapeutic use (Phase IV): no",
            "Phase2", id="EUCTR-concatenated",
        ),
        pytest.param(
            "Human pharmacology (Phase I): no\nTherapeutic exploratory (Phase II): no\n"
            "Therapeutic confirmatory - (Phase III): yes\nTherapeutic use (Phase IV): no",
            "Phase3", id="EUCTR-phase-III",
        ),
        pytest.param(
            "Human pharmacology (Phase I): yes\nTherapeutic exploratory (Phase II): yes\n"
            "Therapeutic confirmatory - (Phase III): no\nTherapeutic use (Phase IV): no",
            "Phase1_2", id="EUCTR-phases-I-and-II",
        ),
        pytest.param(
            "Human pharmacology (Phase I): Yes Therapeutic exploratory (Phase II): No "
            "Therapeutic confirmatory - (Phase III): No Therapeutic use - (Phase IV): No",
            "Phase1", id="CTIS-capitalised-answers",
        ),
        pytest.param(
            "Human pharmacology (Phase I): no Therapeutic exploratory (Phase II): yes "
            "Therapeutic confirmatory - (Phase III): yes Therapeutic use - (Phase IV): no",
            "Phase2_3", id="CTIS-phases-II-and-III",
        ),
    ],
)
def test_registry_phases(text: str, code: str) -> None:
    assert parse_phase(text) == Concept(text, code)


def test_padded_euctr_answers_are_read_and_cleaned() -> None:
    padded = "\n                " + _EUCTR_PHASE_II.replace("\n", "\n                ") + "\n"
    assert parse_phase(padded) == Concept(_EUCTR_PHASE_II, "Phase2")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Retrospective study", id="ChiCTR-retrospective"),
        pytest.param("Other", id="ChiCTR-other"),
        pytest.param("Bioequivalence", id="IRCT-bioequivalence"),
        pytest.param("Yes", id="CTIS-bare-answer"),
        pytest.param(
            "Human pharmacology (Phase I): no\nTherapeutic exploratory (Phase II): no\n"
            "Therapeutic confirmatory - (Phase III): no\nTherapeutic use (Phase IV): no",
            id="EUCTR-no-phase-ticked",
        ),
        pytest.param("Phase 1/Phase 3", id="not-adjacent-phases"),
    ],
)
def test_unrecognised_phase_is_kept_as_text(text: str) -> None:
    assert parse_phase(text) == Concept(text, None)


@pytest.mark.parametrize("text", [pytest.param("Not selected", id="JPRN"), pytest.param("NULL", id="full-CSV"),
                                  pytest.param("", id="DRKS-empty"), pytest.param(None, id="CT.gov-observational")])
def test_no_phase(text: str | None) -> None:
    assert parse_phase(text) is None


@pytest.mark.parametrize(
    ("codes", "code"),
    [
        pytest.param(["PHASE2"], "Phase2", id="CT.gov-JSON-one"),
        pytest.param(["PHASE1", "PHASE2"], "Phase1_2", id="CT.gov-JSON-two"),
        pytest.param(["PHASE2", "PHASE3"], "Phase2_3", id="CT.gov-JSON-two-later"),
        pytest.param(["EARLY_PHASE1"], "EarlyPhase1", id="CT.gov-JSON-early"),
        pytest.param(["NA"], "PhaseNotApplicable", id="CT.gov-JSON-NA"),
    ],
)
def test_phase_from_codes(codes: list[str], code: str) -> None:
    assert phase_from_codes(codes) == Concept(" ".join(codes), code)


def test_no_codes_no_phase() -> None:
    assert phase_from_codes([]) is None


_NUMERALS = {1: ["1", "I", "Phase 1", "Phase I", "Phase1"], 2: ["2", "II", "Phase 2", "Phase II", "Phase2"],
             3: ["3", "III", "Phase 3", "Phase III", "Phase3"]}


@given(st.sampled_from([1, 2]), st.data(), st.sampled_from(["/", "-", "/ ", " / ", "+"]))
def test_any_spelling_of_two_adjacent_phases(first: int, data: st.DataObject, separator: str) -> None:
    text = data.draw(st.sampled_from(_NUMERALS[first])) + separator + data.draw(st.sampled_from(_NUMERALS[first + 1]))
    assert parse_phase(text) == Concept(text, f"Phase{first}_{first + 1}")
