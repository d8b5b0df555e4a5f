"""Outcome text with its time frame split out, in each registry's way of writing it.

* CT.gov and its mirrors: ``measure [Time Frame: ...]``; TCTR: ``measure [Timeframe ...]``;
  ANZCTR: ``measure<br>[...]`` or ``measure[...]``, the time point in brackets without a label.
* IRCT, CTRI, LBCTR, EUCTR: a label, ``X. Timepoint: Daily. Method of measurement: ...``,
  ``XTimepoint: At 1 year`` (CTRI runs them together), ``Timepoints: ...``,
  ``Timepoint(s) of evaluation of this end point: ...``.

The measure loses the registry's own labels (EUCTR ``Primary end point(s):``, LBCTR ``Name:``);
``text`` keeps everything as registered.
"""

from __future__ import annotations

import re

from ..record import Outcome, OutcomeKind
from .text import clean_value

_BRACKETED = re.compile(r"(?P<measure>.+?)\s*\[\s*(?:time\s*frame\b\s*:?)?\s*(?P<frame>[^\[\]]+)\]", re.I | re.S)
_LABELLED = re.compile(
    r"(?P<measure>.+?)[.;,]?\s*"
    r"time\s*points?\s*(?:\(s\))?(?:\s*of\s+evaluation\s+of\s+this\s+end\s*point)?\s*:\s*"
    r"(?P<frame>.+?)"
    r"(?:[.;,]?\s*(?P<description>method\s+of\s+measurement\s*:.*))?",
    re.I | re.S,
)
_MEASURE_LABEL = re.compile(r"(?:(?:primary|secondary)\s+end\s*points?\s*(?:\(s\))?|name)\s*:\s*", re.I)


def parse_outcome(text: str, kind: OutcomeKind) -> Outcome | None:
    """An outcome with its time frame (and IRCT's method of measurement) split out when the text has them.

    ``None`` when the measure itself is a null marker (ANZCTR's ``NIL<br><br>[NIL]``).
    """
    cleaned = clean_value(text)
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


def _without_label(measure: str) -> str:
    """The measure without the registry's label; every label ends in a colon."""
    return _MEASURE_LABEL.sub("", measure, count=1) if ":" in measure else measure
