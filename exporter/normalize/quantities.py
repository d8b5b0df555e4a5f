"""Target sample sizes: an integer when the registry gives one."""

from __future__ import annotations

import re

from ..record import Quantity
from .text import clean_value

_INTEGER = re.compile(r"\d{1,3}(,\d{3})+|\d+")


def parse_target_size(text: str | None, kind: str | None = None) -> Quantity | None:
    """``126`` is 126; ChiCTR's ``Experimental group:30;Control group:30;`` stays text."""
    text = clean_value(text)
    if text is None:
        return None
    if _INTEGER.fullmatch(text):
        return Quantity(text, int(text.replace(",", "")), kind)
    return Quantity(text, None, kind)
