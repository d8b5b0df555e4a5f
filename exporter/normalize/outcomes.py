"""Outcome text with its time frame split out, in each registry's way of writing it.

* CT.gov and its mirrors: ``measure [Time Frame: ...]``; TCTR: ``measure [Timeframe ...]``;
  ANZCTR: ``measure<br>[...]`` or ``measure[...]``, the time point in brackets without a label.
* IRCT, CTRI, LBCTR, EUCTR: a label, ``X. Timepoint: Daily. Method of measurement: ...``,
  ``XTimepoint: At 1 year`` (CTRI runs them together), ``Timepoints: ...``,
  ``Timepoint(s) of evaluation of this end point: ...``.

The measure loses the registry's own labels (EUCTR ``Primary end point(s):``, LBCTR ``Name:``);
``text`` keeps everything as registered.

EUCTR and CTIS label the parts of the field: ``Main Objective: …;Secondary Objective: …;Primary end
point(s): …;Timepoint(s) of evaluation of this end point: …`` (:func:`parse_end_points`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ..record import Objective, Outcome, OutcomeKind
from .text import after_each, clean_value

_BRACKETED = re.compile(r"(?P<measure>.+?)\s*\[\s*(?:time\s*frame\b\s*:?)?\s*(?P<frame>[^\[\]]+)\]", re.I | re.S)
_LABELLED = re.compile(
    r"(?P<measure>.+?)[.;,]?\s*"
    r"time\s*points?\s*(?:\(s\))?(?:\s*of\s+evaluation\s+of\s+this\s+end\s*point)?\s*:\s*"
    r"(?P<frame>.+?)"
    r"(?:[.;,]?\s*(?P<description>method\s+of\s+measurement\s*:.*))?",
    re.I | re.S,
)
# ANZCTR's note on outcomes copied from the protocol: no part of the measure.
_BOILERPLATE = re.compile(r"\(\s*this is verbatim from (?:the )?submitted protocol\s*\)", re.I)
_BRACKETED_ONLY = re.compile(r"\[(?P<frame>[^\[\]]*)\]", re.S)
_MEASURE_LABEL = re.compile(r"(?:(?:primary|secondary)\s+end\s*points?\s*(?:\(s\))?|name)\s*:\s*", re.I)


def parse_outcome(text: str, kind: OutcomeKind) -> Outcome | None:
    """An outcome with its time frame (and IRCT's method of measurement) split out when the text has them.

    ``None`` when the measure itself is a null marker (ANZCTR's ``NIL<br><br>[NIL]``) or boilerplate.
    """
    cleaned = clean_value(_BOILERPLATE.sub("", text) if "(" in text else text)
    if cleaned is None:
        return None
    if "]" in cleaned or ":" in cleaned:  # what each pattern needs: most outcomes are the measure alone
        for pattern in (_BRACKETED, _LABELLED):
            match = pattern.fullmatch(cleaned)
            if match:
                measure = clean_value(_without_label(match["measure"]))
                if measure is None:
                    return None
                description = match.groupdict().get("description")
                return Outcome(kind, cleaned, measure, clean_value(match["frame"]), clean_value(description))
    measure = clean_value(_without_label(cleaned))
    return Outcome(kind, cleaned, measure or cleaned)


def parse_outcomes(items: Iterable[str], kind: OutcomeKind) -> list[Outcome]:
    """The outcomes of a field's items (split at ``;`` and line ends): a bracketed item alone is the time frame of
    the outcome before it (ANZCTR's ``Mortality<br>[At hospital discharge]``), not an outcome of its own; one
    with nothing before it to time, or a null marker (``[NIL]``), is no outcome. A bracket the split cut open is
    joined again."""
    outcomes: list[Outcome] = []
    for item in _bracket_whole(items):
        bracketed = _BRACKETED_ONLY.fullmatch(item.strip())
        if bracketed is None:
            outcome = parse_outcome(item, kind)
            if outcome is not None:
                outcomes.append(outcome)
            continue
        frame = clean_value(bracketed["frame"])
        if frame is not None and outcomes and outcomes[-1].time_frame is None:
            last = outcomes[-1]
            outcomes[-1] = Outcome(kind, f"{last.text}\n{item.strip()}", last.measure, frame, last.description)
    return outcomes


def _bracket_whole(items: Iterable[str]) -> Iterator[str]:
    """The items, those that open a bracket joined (by ``; ``) with the ones up to where it closes; a bracket that
    never closes joins nothing."""
    held: list[str] = []
    for item in items:
        held.append(item)
        joined = "; ".join(held)
        if joined.count("[") <= joined.count("]"):
            yield joined
            held = []
    yield from held


def _without_label(measure: str) -> str:
    """The measure without the registry's label; every label ends in a colon."""
    return _MEASURE_LABEL.sub("", measure, count=1) if ":" in measure else measure


# EUCTR's and CTIS's parts, each opening the field or following a ";" or a line end.
_PART = re.compile(
    r"(?:^|(?<=[;\n]))[ \t]*(?:(?P<objective>main|secondary)\s+objectives?"
    r"|(?P<end_point>primary|secondary)\s+end\s*points?\s*(?:\(s\))?"
    r"|(?P<time_point>time\s*points?\s*(?:\(s\))?\s+of\s+evaluation\s+of\s+this\s+end\s*point))\s*:",
    re.I,
)


class EndPoints(NamedTuple):
    """What a field of labelled parts holds: the trial's objectives and its end points, the outcomes."""

    outcomes: list[Outcome]
    objectives: list[Objective]


def parse_end_points(text: str | None) -> EndPoints | None:
    """EUCTR's and CTIS's labelled parts; ``None`` when the field does not open with one.

    Only end points are outcomes, of the kind their label says; a time point is the time frame of the end
    point before it, or of the next one where it comes first (as some exports order them), and of none where the
    field has no end point to time; objectives are the trial's. Empty parts (CTIS's ``Main Objective: ;``) and
    null markers say nothing.
    """
    if not text or not _PART.match(text):
        return None
    matches = list(_PART.finditer(text))
    outcomes: list[Outcome] = []
    objectives: list[Objective] = []
    pending: str | None = None  # a time point that came before its end point
    for match, raw in zip(matches, after_each(text, matches)):
        value = clean_value(raw.strip().strip(";").strip())
        registered = (match[0] + raw).strip().strip(";").strip()
        if value is None:
            continue
        if match["objective"]:
            objectives.append(Objective("main" if match["objective"].lower() == "main" else "secondary", value))
        elif match["end_point"]:
            kind: OutcomeKind = "primary" if match["end_point"].lower() == "primary" else "secondary"
            outcomes.append(Outcome(kind, registered, value, pending))
            pending = None
        elif outcomes and outcomes[-1].time_frame is None:
            last = outcomes[-1]
            outcomes[-1] = Outcome(last.kind, f"{last.text}\n{registered}", last.measure, value)
        else:
            pending = value
    return EndPoints(outcomes, objectives)
