"""Trial phases, from every registry's spelling onto the one phase scheme."""

from __future__ import annotations

import re

from ..record import Concept
from .concepts import key, keyed, lookup
from .text import clean_value

_PHASES = keyed({
    "0": "EarlyPhase1", "phase 0": "EarlyPhase1", "early phase 1": "EarlyPhase1", "EARLY_PHASE1": "EarlyPhase1",
    "1": "Phase1", "i": "Phase1", "phase 1": "Phase1", "phase i": "Phase1", "PHASE1": "Phase1",
    "1-2": "Phase1_2", "phase 1/phase 2": "Phase1_2", "phase 1/2": "Phase1_2", "phase i/ii": "Phase1_2",
    "phase1/phase2": "Phase1_2", "phase i-ii": "Phase1_2", "PHASE1 PHASE2": "Phase1_2",
    "2": "Phase2", "ii": "Phase2", "phase 2": "Phase2", "phase ii": "Phase2", "PHASE2": "Phase2",
    "2-3": "Phase2_3", "phase 2/phase 3": "Phase2_3", "phase 2/ phase 3": "Phase2_3", "phase 2/3": "Phase2_3",
    "phase ii/iii": "Phase2_3", "phase ii-iii": "Phase2_3", "phase2/phase3": "Phase2_3", "PHASE2 PHASE3": "Phase2_3",
    "3": "Phase3", "iii": "Phase3", "phase 3": "Phase3", "phase iii": "Phase3", "PHASE3": "Phase3",
    "4": "Phase4", "iv": "Phase4", "phase 4": "Phase4", "phase iv": "Phase4", "PHASE4": "Phase4",
    "post-market": "Phase4",
    "n/a": "PhaseNotApplicable", "na": "PhaseNotApplicable", "not applicable": "PhaseNotApplicable",
    "NA": "PhaseNotApplicable",
})

# EUCTR and CTIS list the four phases with yes/no answers.
_EU_PHASE = re.compile(r"\(phase\s*(i{1,3}|iv)\)\s*:\s*(yes|no)", re.I)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_FROM_NUMBERS = {(1,): "Phase1", (1, 2): "Phase1_2", (2,): "Phase2", (2, 3): "Phase2_3", (3,): "Phase3", (4,): "Phase4"}


def parse_phase(text: str | None) -> Concept | None:
    """The phase concept for a registry's text (``Phase 2/Phase 3`` is ``Phase2_3``).

    ``N/A`` is a real answer here (the phase does not apply), not an absent value.
    """
    raw = text.strip() if text else ""
    if raw.casefold() in {"n/a", "na", "not applicable"}:
        return Concept(raw, "PhaseNotApplicable")
    cleaned = clean_value(text)
    if cleaned is None:
        return None
    answers = _EU_PHASE.findall(cleaned)
    if answers:
        phases = tuple(sorted(_ROMAN[p.casefold()] for p, answer in answers if answer.casefold() == "yes"))
        return Concept(cleaned, _FROM_NUMBERS.get(phases))
    return lookup(_PHASES, cleaned)


def phase_from_codes(codes: list[str]) -> Concept | None:
    """CT.gov's ``phases`` list (``["PHASE2", "PHASE3"]``) as one concept."""
    if not codes:
        return None
    text = " ".join(codes)
    return Concept(text, _PHASES.get(key(text)))
