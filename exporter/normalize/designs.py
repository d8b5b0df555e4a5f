"""Study designs: the text as registered and the parts a registry labels."""

from __future__ import annotations

import re

from ..record import StudyDesign
from .text import single_line

_PARTS = {
    "allocation": "allocation",
    "intervention model": "intervention_model",
    "primary purpose": "primary_purpose",
    "purpose": "primary_purpose",
    "masking": "masking",
    "blinding/masking": "masking",
}
_LABELLED = re.compile(r"(?P<label>[A-Za-z/ ]+?)\s*:\s*(?P<value>(?:[^.;,:(]|\([^)]*\))*)")


def parse_design(text: str | None) -> StudyDesign | None:
    """``Allocation: Randomized. Masking: Quadruple (...)`` keeps the text and reads the labelled parts."""
    text = single_line(text)
    if text is None:
        return None
    parts: dict[str, str] = {}
    for match in _LABELLED.finditer(text):
        attribute = _PARTS.get(match["label"].strip().casefold())
        value = match["value"].strip()
        if attribute and value and attribute not in parts:
            parts[attribute] = value
    return StudyDesign(text, **parts)
