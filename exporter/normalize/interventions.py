"""``Drug: human immunoglobulin G`` to an intervention type and a name."""

from __future__ import annotations

import re

from ..record import Concept, Intervention
from .concepts import keyed
from .text import single_line

TYPES = keyed({
    "behavioral": "InterventionBehavioral", "behavioural": "InterventionBehavioral",
    "biological": "InterventionBiological", "combination product": "InterventionCombinationProduct",
    "device": "InterventionDevice", "diagnostic test": "InterventionDiagnosticTest",
    "dietary supplement": "InterventionDietarySupplement", "drug": "InterventionDrug",
    "genetic": "InterventionGenetic", "procedure": "InterventionProcedure", "procedure/surgery": "InterventionProcedure",
    "radiation": "InterventionRadiation", "other": "InterventionOther",
})
_TYPED = re.compile(r"(?P<type>[A-Za-z][A-Za-z /]{1,30}?)\s*:\s*(?P<name>\S.*)", re.S)


def intervention_type(text: str | None) -> Concept | None:
    """CT.gov's intervention type (``DRUG`` or ``Drug``) as a concept."""
    text = single_line(text)
    if text is None:
        return None
    return Concept(text, TYPES.get(re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()))


def parse_intervention(text: str) -> Intervention:
    """Split a ``Type: name`` entry when the type is one we know; otherwise the whole text is the name."""
    text = single_line(text) or text
    match = _TYPED.fullmatch(text)
    if match:
        concept = intervention_type(match["type"])
        if concept and concept.code:
            return Intervention(text=text, name=match["name"].strip(), type=concept)
    return Intervention(text=text, name=text)
