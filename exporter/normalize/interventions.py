"""``Drug: human immunoglobulin G`` to an intervention type and a name."""

from __future__ import annotations

import re

from ..record import Concept, Intervention
from . import remembered
from .concepts import keyed, lookup
from .text import single_line

# The written types ("Dietary Supplement") share their lookup keys with CT.gov's codes (DIETARY_SUPPLEMENT).
TYPES = keyed({
    "behavioral": "InterventionBehavioral", "behavioural": "InterventionBehavioral",
    "biological": "InterventionBiological", "combination product": "InterventionCombinationProduct",
    "device": "InterventionDevice", "diagnostic test": "InterventionDiagnosticTest",
    "dietary supplement": "InterventionDietarySupplement", "drug": "InterventionDrug",
    "genetic": "InterventionGenetic",
    "procedure": "InterventionProcedure", "procedure/surgery": "InterventionProcedure",
    "radiation": "InterventionRadiation", "other": "InterventionOther",
})
# "Drug: x" (CT.gov and its mirrors), "Drug : x" (CRIS).
_TYPED = re.compile(r"(?P<type>[A-Za-z][A-Za-z /]{1,30}?)\s*:\s*(?P<name>\S.*)", re.S)


@remembered
def intervention_type(text: str | None) -> Concept | None:
    """CT.gov's intervention type (``DRUG`` or ``Drug``) as a concept."""
    return lookup(TYPES, single_line(text))


@remembered
def parse_intervention(text: str) -> Intervention:
    """Split a ``Type: name`` entry when the type is one we know; otherwise the whole text is the name.

    An unknown label is not a type: ChiCTR's ``control group:No`` stays whole.
    """
    text = single_line(text) or text
    match = _TYPED.fullmatch(text)
    if match:
        concept = intervention_type(match["type"])
        if concept and concept.code:
            return Intervention(text=text, name=match["name"].strip(), type=concept)
    return Intervention(text=text, name=text)
