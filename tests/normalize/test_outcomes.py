"""Outcomes with their time frames, in each registry's way of writing them."""

from __future__ import annotations

import pytest

from exporter.normalize.outcomes import parse_end_points, parse_outcome, parse_outcomes
from exporter.normalize.text import split_list
from exporter.record import Objective, Outcome


@pytest.mark.parametrize(
    ("text", "measure", "time_frame", "description"),
    [
        pytest.param(
            "Change from Baseline in the Modified Neurologic Impairment Score +7 (mNIS+7) at Month 9 "
            "[Time Frame: Baseline, Month 9]",
            "Change from Baseline in the Modified Neurologic Impairment Score +7 (mNIS+7) at Month 9",
            "Baseline, Month 9", None, id="JPRN-mirroring-CT.gov",
        ),
        pytest.param(
            "Cmax, AUC0-t and AUC0-inf [Timeframe 0,.17,0.33,0.5 Hrs Pharmacokinetic parameters]",
            "Cmax, AUC0-t and AUC0-inf", "0,.17,0.33,0.5 Hrs Pharmacokinetic parameters", None, id="TCTR",
        ),
        pytest.param(
            "Initial claudication distance as assessed by graded treadmill"
            "[Data will be compared between baseline and 12 weeks visit (end of treatment)]",
            "Initial claudication distance as assessed by graded treadmill",
            "Data will be compared between baseline and 12 weeks visit (end of treatment)", None,
            id="ANZCTR-full-CSV",
        ),
        pytest.param(
            "Walking Impairment Questionnaire [At baseline visit and 12 Weeks(end of treatment) follow up visit.]",
            "Walking Impairment Questionnaire", "At baseline visit and 12 Weeks(end of treatment) follow up visit.",
            None, id="ANZCTR-spaced",
        ),
        pytest.param(
            "Change of CAP (Controlled attenuation parameter). Timepoint: at start and 24 weeks. "
            "Method of measurement: with fibroscan.",
            "Change of CAP (Controlled attenuation parameter)", "at start and 24 weeks",
            "Method of measurement: with fibroscan.", id="IRCT",
        ),
        pytest.param("1-year relapse free survivalTimepoint: At 1 year", "1-year relapse free survival", "At 1 year",
                     None, id="CTRI-run-together"),
        pytest.param("Mortality Timepoint: Time frame 12 and 24 weeks", "Mortality", "Time frame 12 and 24 weeks",
                     None, id="CTRI"),
        pytest.param("Name: Pathological complete response;Timepoints: At surgery", "Pathological complete response",
                     "At surgery", None, id="LBCTR"),
        pytest.param(
            "Primary end point(s): Overall Response Rate (ORR)\n"
            "Timepoint(s) of evaluation of this end point: 6 months",
            "Overall Response Rate (ORR)", "6 months", None, id="EUCTR",
        ),
    ],
)
def test_time_frames(text: str, measure: str, time_frame: str, description: str | None) -> None:
    assert parse_outcome(text, "primary") == Outcome("primary", text, measure, time_frame, description)


def test_anzctr_time_frame_after_a_line_break() -> None:
    text = "Mortality<br>[At hospital discharge or 28 days post intensive care unit admission, whichever comes later. ]"
    assert parse_outcome(text, "primary") == Outcome(
        "primary",
        "Mortality\n[At hospital discharge or 28 days post intensive care unit admission, whichever comes later. ]",
        "Mortality",
        "At hospital discharge or 28 days post intensive care unit admission, whichever comes later.",
    )


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        pytest.param("Overall Survival", "Overall Survival", id="CT.gov-measure-only"),
        pytest.param("Primary end point(s): Time to all-cause mortality", "Time to all-cause mortality",
                     id="EUCTR-end-point-label"),
        pytest.param("Timepoint(s) of evaluation of this end point: 90 Days from the date of enrolment.",
                     "Timepoint(s) of evaluation of this end point: 90 Days from the date of enrolment.",
                     id="EUCTR-time-point-alone-kept"),
        pytest.param("Main Objective: To shorten the period of virus carrying",
                     "Main Objective: To shorten the period of virus carrying", id="EUCTR-objective-kept"),
        pytest.param("Lu AF99722 14C spiked dosage ([14C]-radiolabelled Lu AF88434)",
                     "Lu AF99722 14C spiked dosage ([14C]-radiolabelled Lu AF88434)", id="brackets-inside-measure"),
    ],
)
def test_outcomes_without_a_time_frame(text: str, measure: str) -> None:
    assert parse_outcome(text, "secondary") == Outcome("secondary", text, measure)


@pytest.mark.parametrize("text", [pytest.param("NIL<br><br>[NIL]", id="ANZCTR-nil"),
                                  pytest.param("NULL", id="full-CSV")])
def test_no_outcome(text: str) -> None:
    assert parse_outcome(text, "secondary") is None


# EUCTR's and CTIS's outcome fields as the exports write them (our own records), once "<br>" is a line end.
EUCTR_PRIMARY = (
    "Main Objective: To compare the effect of drug A with placebo on symptom duration.;"
    "Secondary Objective: To evaluate safety and tolerability of drug A.\n- To assess viral load.;"
    "Primary end point(s): Time to symptom resolution;"
    "Timepoint(s) of evaluation of this end point: Day 1, Day 7 and Day 14"
)


def test_euctr_only_end_points_are_outcomes_and_time_points_are_their_time_frames() -> None:
    parts = parse_end_points(EUCTR_PRIMARY)
    assert parts is not None
    assert [(o.kind, o.measure, o.time_frame) for o in parts.outcomes] == [
        ("primary", "Time to symptom resolution", "Day 1, Day 7 and Day 14")]
    assert parts.outcomes[0].text == ("Primary end point(s): Time to symptom resolution\n"
                                      "Timepoint(s) of evaluation of this end point: Day 1, Day 7 and Day 14")


def test_euctr_objectives_are_the_trials_main_and_secondary_apart() -> None:
    parts = parse_end_points(EUCTR_PRIMARY)
    assert parts is not None
    assert parts.objectives == [
        Objective("main", "To compare the effect of drug A with placebo on symptom duration."),
        Objective("secondary", "To evaluate safety and tolerability of drug A.\n- To assess viral load."),
    ]


def test_euctr_secondary_end_points_keep_their_semicolons() -> None:
    parts = parse_end_points("Secondary end point(s): Viral load; fever; cough;"
                             "Timepoint(s) of evaluation of this end point: Day 7; Day 14")
    assert parts is not None
    assert [(o.kind, o.measure, o.time_frame) for o in parts.outcomes] == [
        ("secondary", "Viral load; fever; cough", "Day 7; Day 14")]


def test_a_time_point_before_its_end_point_is_its_time_frame() -> None:
    """Some exports put the time point first."""
    parts = parse_end_points("Timepoint(s) of evaluation of this end point: 90 days after enrolment.;"
                             "Primary end point(s): All-cause mortality;\nMain Objective: To reduce mortality.")
    assert parts is not None
    assert [(o.measure, o.time_frame) for o in parts.outcomes] == [("All-cause mortality", "90 days after enrolment.")]
    assert parts.objectives == [Objective("main", "To reduce mortality.")]


@pytest.mark.parametrize(
    "text",
    [pytest.param("Main Objective: ;Secondary Objective: ;Primary end point(s): ", id="CTIS-empty-parts"),
     pytest.param("Main Objective: To reduce mortality.;Primary end point(s): N/A", id="null-marker")],
)
def test_empty_end_points_are_no_outcomes(text: str) -> None:
    parts = parse_end_points(text)
    assert parts is not None and parts.outcomes == []


@pytest.mark.parametrize("text", [None, "Overall Survival", "Mortality [Time Frame: 28 days]",
                                  "Quality of life. Main Objective: none"])
def test_fields_without_euctr_parts_are_left_to_parse_outcome(text: str | None) -> None:
    assert parse_end_points(text) is None


# ANZCTR's outcome fields as ICTRP exports them (our own records), split as the ICTRP sources split them.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Time to clinical recovery (This is verbatim from submitted protocol)<br>"
                     "[Day 28 after randomisation];Adverse events<br>"
                     "[Due to the nature of the evolving pandemic, assessed at each study visit]",
                     [("Time to clinical recovery", "Day 28 after randomisation"),
                      ("Adverse events", "Due to the nature of the evolving pandemic, assessed at each study visit")],
                     id="boilerplate-and-time-frames-on-their-own-lines"),
        pytest.param("Hospital admission<br>[Day 7; Day 14 and Day 28 after enrolment]",
                     [("Hospital admission", "Day 7; Day 14 and Day 28 after enrolment")],
                     id="semicolon-inside-the-time-frame"),
        pytest.param("NIL<br><br>[NIL]", [], id="nil"),
        pytest.param("(This is verbatim from submitted protocol)", [], id="boilerplate-alone"),
        pytest.param("[Day 28 after randomisation]", [], id="time-frame-of-nothing"),
        pytest.param("Mortality [Day 28;Hospital stay;Adverse events", [("Mortality [Day 28", None),
                     ("Hospital stay", None), ("Adverse events", None)], id="bracket-never-closed"),
    ],
)
def test_anzctr_boilerplate_and_bracketed_time_frames_are_no_outcomes(
    value: str, expected: list[tuple[str, str | None]]
) -> None:
    assert [(o.measure, o.time_frame) for o in parse_outcomes(split_list(value), "primary")] == expected
