"""Dates in every form the registries write them, to ISO 8601 at the precision given."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date

from ..record import DateValue, FieldError
from . import remembered
from .text import clean_value

_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AP]M)?(?:Z|[+-]\d{2}:?\d{2})?)?"

# Days and months the registries use as "no date" rather than as a date.
_PLACEHOLDERS = {date(1900, 1, 1), date(1990, 1, 1)}

Parser = Callable[[re.Match[str]], tuple[int, int | None, int | None]]


def _ymd(m: re.Match[str]) -> tuple[int, int | None, int | None]:
    return int(m["y"]), int(m["m"]), int(m["d"])


def _named_month(m: re.Match[str]) -> tuple[int, int | None, int | None]:
    day = m.groupdict().get("d")
    return int(m["y"]), _MONTHS[m["mon"].casefold()], int(day) if day else None


# (pattern, how to read it): tried in order, each anchored at both ends.
_FORMATS: list[tuple[re.Pattern[str], Parser]] = [
    # ISO 2019-10-21, 2019/10/21 (UMIN), with an optional time
    (re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME), _ymd),
    # Date_registration3: 20190801
    (re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"), _ymd),
    # ICTRP pages and most registries: 01/08/2019 (day first); CTRI 12-02-2019
    (re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})" + _TIME), _ymd),
    # CT.gov: October 21, 2019 / Oct 21 2019; SQL Server: Feb  7 2019 12:00AM
    (re.compile(_MONTH + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})" + _TIME, re.I), _named_month),
    # 8 April 2024 / 8-Apr-2024
    (re.compile(r"(?P<d>\d{1,2})[\s-]+" + _MONTH + r",?[\s-]+(?P<y>\d{4})" + _TIME, re.I), _named_month),
    # April 2020 (month precision)
    (re.compile(_MONTH + r",?\s+(?P<y>\d{4})", re.I), _named_month),
    # CT.gov partial dates: 2023-06, 2023
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})"), lambda m: (int(m["y"]), int(m["m"]), None)),
    (re.compile(r"(?P<y>\d{4})"), lambda m: (int(m["y"]), None, None)),
]


@remembered
def parse_date(text: str | None, field: str) -> DateValue | None:
    """Read a registry date; ``None`` when absent or a placeholder such as ``Jan  1 1900 12:00AM``.

    Text in no known format is kept with ``iso=None``. A date in a known format that
    cannot exist (``31/02/2019``) raises :class:`FieldError` naming ``field``.
    """
    text = clean_value(text)
    if text is None:
        return None
    compact = " ".join(text.split())
    for pattern, read in _FORMATS:
        match = pattern.fullmatch(compact)
        if match:
            return _to_value(text, read(match), field)
    return DateValue(text=text)


def _to_value(text: str, parts: tuple[int, int | None, int | None], field: str) -> DateValue | None:
    year, month, day = parts
    if month is None:
        return DateValue(text, f"{year:04d}", "year")
    if not 1 <= month <= 12:
        raise FieldError(field, text, "no such month")
    if day is None:
        return DateValue(text, f"{year:04d}-{month:02d}", "month")
    try:
        value = date(year, month, day)
    except ValueError as error:
        raise FieldError(field, text, f"no such date ({error})") from None
    if value in _PLACEHOLDERS:
        return None
    return DateValue(text, value.isoformat(), "day")
