"""Outcome text with its time frame: ``measure [Time Frame: ...]``."""

from __future__ import annotations

import re

from ..record import Outcome, OutcomeKind
from .text import clean_value

# CT.gov and mirrors: "[Time Frame: ...]"; TCTR: "[Timeframe ...]"; others: "Timepoint(s): ..."
_BRACKETED = re.compile(r"(?P<measure>.*?)\s*\[\s*time\s*frame\s*:?\s*(?P<frame>[^\]]*)\]\s*", re.I | re.S)
_TIMEPOINT = re.compile(r"(?P<measure>.*?)[.;,]?\s*time\s*points?\s*(?:\(s\))?\s*:\s*(?P<frame>.+)", re.I | re.S)


def parse_outcome(text: str, kind: OutcomeKind) -> Outcome | None:
    """An outcome with its time frame split out when the text carries one."""
    cleaned = clean_value(text)
    if cleaned is None:
        return None
    for pattern in (_BRACKETED, _TIMEPOINT):
        match = pattern.fullmatch(cleaned)
        if match and match["measure"].strip() and match["frame"].strip():
            return Outcome(kind, cleaned, match["measure"].strip(), match["frame"].strip())
    return Outcome(kind, cleaned, cleaned)
