"""Study designs: the text as registered and the parts a registry labels."""

from __future__ import annotations

import re

from ..record import StudyDesign
from . import remembered
from .text import clean_value

_PARTS = {
    "allocation": "allocation",
    "intervention model": "intervention_model",
    "primary purpose": "primary_purpose",
    "purpose": "primary_purpose",  # ANZCTR, LBCTR
    "study design purpose": "primary_purpose",  # DRKS
    "masking": "masking",
    "blinding/masking": "masking",  # CRIS
}
# "Label: value" up to the next separator: ". " (CT.gov), ";" (ANZCTR, DRKS, LBCTR), "," (CRIS) or a line end;
# a value may hold a colon (LBCTR "Allocation: N/A: Single arm study") and a bracketed aside with commas.
_LABELLED = re.compile(r"(?P<label>[A-Za-z/ ]+?)\s*:[ \t]*(?P<value>(?:[^.;,(\n]|\([^)\n]*\))*)")


@remembered
def parse_design(text: str | None) -> StudyDesign | None:
    """``Allocation: Randomized. Masking: Quadruple (...)`` keeps the text and reads the labelled parts."""
    text = clean_value(text)
    if text is None:
        return None
    parts: dict[str, str] = {}
    for match in _LABELLED.finditer(text):
        attribute = _PARTS.get(match["label"].strip().casefold())
        value = match["value"].strip()
        if attribute and value and attribute not in parts:
            parts[attribute] = value
    return StudyDesign(" ".join(text.split()), **parts)
