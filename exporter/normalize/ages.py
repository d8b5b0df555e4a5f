"""Age limits: ``18 Years``, ``60(Year)``, ``>= 20age old``, ``18Y``, ``19 Year(s)``, ``65+``."""

from __future__ import annotations

import re

from ..record import Age
from .text import clean_value

_UNITS = {
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year", "year(s)": "year", "age": "year",
    "m": "month", "month": "month", "months": "month", "month(s)": "month",
    "w": "week", "wk": "week", "week": "week", "weeks": "week", "week(s)": "week",
    "d": "day", "day": "day", "days": "day", "day(s)": "day",
    "h": "hour", "hour": "hour", "hours": "hour", "hour(s)": "hour",
    "min": "minute", "minute": "minute", "minutes": "minute", "minute(s)": "minute",
}
_NO_LIMIT = re.compile(r"(no\s*limit|no\s*(maximum|minimum)\s*age|not\s*(applicable|selected|stated)|none|n/?a)\b.*", re.I)
_AGE = re.compile(
    r"(?:[<>]=?|=)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?:\(\s*(?P<unit1>[a-z()]+?)\s*\)|(?P<unit2>[a-z]+(?:\(s\))?))?"
    r"\s*(?:old|-old|\+)?\s*",
    re.I,
)


def parse_age(text: str | None) -> Age | None:
    """An age limit as a number and a unit; ``None`` for ``N/A``, ``No limit`` and the like.

    A bare number is read as years, as the registries that write one (ChiCTR, LBCTR) mean.
    Text we cannot read is kept with no value.
    """
    text = clean_value(text)
    if text is None or _NO_LIMIT.fullmatch(text):
        return None
    match = _AGE.fullmatch(text.replace("years-old", "years old"))
    if not match:
        return Age(text)
    unit_text = (match["unit1"] or match["unit2"] or "year").casefold()
    unit = _UNITS.get(unit_text)
    if unit is None:
        return Age(text)
    value = float(match["value"])
    if value == 0 and unit == "year" and not match["unit1"] and not match["unit2"]:
        return None  # ReBec's bare 0: no limit
    return Age(text, value, unit)
