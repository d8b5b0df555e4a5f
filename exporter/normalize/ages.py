"""Age limits: ``18 Years``, ``60(Year)``, ``>= 20age old``, ``18Y``, ``19 Year(s)``, ``65+``."""

from __future__ import annotations

import re

from ..record import Age
from . import remembered
from .text import clean_value

_UNITS = {
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year", "year(s)": "year", "age": "year",
    "m": "month", "month": "month", "months": "month", "month(s)": "month",
    "w": "week", "wk": "week", "week": "week", "weeks": "week", "week(s)": "week",
    "d": "day", "day": "day", "days": "day", "day(s)": "day",
    "h": "hour", "hour": "hour", "hours": "hour", "hour(s)": "hour",
    "min": "minute", "minute": "minute", "minutes": "minute", "minute(s)": "minute",
}
# "No limit" in its registry spellings; TCTR writes "0 N/A (No limit)".
_NO_LIMIT = re.compile(
    r"(?:0\s+)?(?:no\s*limit|no\s*(?:maximum|minimum)\s*age|not\s*stated|none|n/?a)(?:\s*\(\s*no\s*limit\s*\))?",
    re.I,
)
# An optional comparison (JPRN ">= 20age old"; ICTRP turns "≥" into "="), a number and a unit:
# "18 Years", "60(Year)", "18Y", "19 Year(s)", "20years-old", "65+".
_AGE = re.compile(
    r"(?:[<>]=?|=)?\s*(?P<value>\d+(?:\.\d+)?)\s*"
    r"(?:\(\s*(?P<bracketed>[a-z]+)\s*\)|(?P<unit>[a-z]+(?:\(s\))?))?"
    r"\s*-?\s*(?:old|\+)?",
    re.I,
)


@remembered
def parse_age(text: str | None) -> Age | None:
    """An age limit as a number and a unit; ``None`` for ``N/A``, ``No limit`` and the like.

    A bare number is read as years, as the registries that write one (ChiCTR, LBCTR) mean,
    except ReBec's bare ``0``, which means no limit. Text we cannot read is kept with no value.
    """
    text = clean_value(text)
    if text is None or _NO_LIMIT.fullmatch(text):
        return None
    match = _AGE.fullmatch(text)
    if not match:
        return Age(text)
    written_unit = match["bracketed"] or match["unit"]
    unit = _UNITS.get(written_unit.casefold()) if written_unit else "year"
    if unit is None:
        return Age(text)
    value = float(match["value"])
    if value == 0 and written_unit is None:
        return None
    return Age(text, value, unit)
