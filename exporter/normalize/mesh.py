"""MeSH unique identifiers in the form NLM publishes them.

Descriptor UIs are ``D`` and six digits (``D003876``) for the records created before
2016, ``D`` and nine digits starting ``D000`` (``D000086382``) for the newer ones,
which continued the numbering past ``066xxx``; supplementary concept records are ``C``
and digits, kept as given. Some exports pad every descriptor UI to nine digits
(``D000003876``); such a UI whose number is below the first nine-digit one can only be
the padded form of a six-digit UI, and is unpadded. Numbers from 066000 are left as
given: both forms exist there.
"""

from __future__ import annotations

import re

_UI = re.compile(r"([CD])(\d{6}|\d{9})")
_FIRST_NINE_DIGIT = 66000


def mesh_ui(value: str) -> str | None:
    """The UI as NLM publishes it, or ``None`` when ``value`` is not a MeSH UI."""
    match = _UI.fullmatch(value.strip().upper())
    if match is None:
        return None
    letter, digits = match.groups()
    if letter == "D" and len(digits) == 9 and digits.startswith("000") and int(digits) < _FIRST_NINE_DIGIT:
        digits = digits[3:]
    return letter + digits
