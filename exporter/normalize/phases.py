"""Trial phases, from every registry's spelling onto the one phase scheme.

Numbered phases are read by a small grammar rather than listed: a phase is an arabic or
roman numeral (``2``, ``III``, ``Phase4``), perhaps with a sub-phase letter (``IIIb`` is a
phase 3 trial), and a combined phase is two of them (``Phase 2/ Phase 3``, ``II-III``, ``2-3``).
"""

from __future__ import annotations

import re

from ..record import Concept
from . import remembered
from .concepts import key, keyed, recognise

# Phases that are words rather than numbers.
_WORDS = keyed({
    "N/A": "PhaseNotApplicable", "NA": "PhaseNotApplicable", "Not applicable": "PhaseNotApplicable",
    "Early phase 1": "EarlyPhase1", "EARLY_PHASE1": "EarlyPhase1",
    "Post-market": "Phase4",  # ChiCTR: post-marketing studies are phase 4
})
_NUMERAL = r"(?:phase ?)?(?P<{}>[0-4]|iv|i{{1,3}})[ab]?"
_NUMBERED = re.compile(_NUMERAL.format("first") + f"(?: {_NUMERAL.format('second')})?")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Phase 0 (ChiCTR) is what CT.gov calls early phase 1.
_BY_NUMBERS = {
    (0,): "EarlyPhase1", (1,): "Phase1", (1, 2): "Phase1_2", (2,): "Phase2",
    (2, 3): "Phase2_3", (3,): "Phase3", (4,): "Phase4",
}
# EUCTR and CTIS answer yes or no for each of the four phases.
_EU_ANSWER = re.compile(r"\(phase\s*(?P<numeral>iv|i{1,3})\)\s*:\s*(?P<answer>yes|no)", re.I)


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else _ROMAN[numeral]


def _code(text: str) -> str | None:
    """The phase code of a cleaned text, or ``None`` when the text names no phase we know."""
    answers = list(_EU_ANSWER.finditer(text))
    if answers:
        numbers = [_number(a["numeral"].casefold()) for a in answers if a["answer"].casefold() == "yes"]
    elif match := _NUMBERED.fullmatch(key(text)):
        numbers = [_number(numeral) for numeral in (match["first"], match["second"]) if numeral]
    else:
        return _WORDS.get(key(text))
    return _BY_NUMBERS.get(tuple(sorted(set(numbers))))


@remembered
def parse_phase(text: str | None) -> Concept | None:
    """The phase concept for a registry's text (``Phase 2/Phase 3`` is ``Phase2_3``).

    ``N/A`` is a real answer here (the phase does not apply), not an absent value; the
    other null markers (``NULL``, JPRN's ``Not selected``) are.
    """
    return recognise(text, _code)


def phase_from_codes(codes: list[str]) -> Concept | None:
    """CT.gov's ``phases`` list (``["PHASE2", "PHASE3"]``) as one concept."""
    return parse_phase(" ".join(codes)) if codes else None
