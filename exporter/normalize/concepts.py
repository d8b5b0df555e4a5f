"""Table-driven mapping of free text onto the concepts of the ontology's schemes."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..record import Concept
from .text import clean_value

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def key(text: str) -> str:
    """The lookup key of a text: lower case, every run of other characters one space."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def lookup(table: Mapping[str, str], text: str | None) -> Concept | None:
    """The concept ``table`` gives for ``text`` (compared by :func:`key`); unrecognised text is kept."""
    text = clean_value(text)
    if text is None:
        return None
    return Concept(text, table.get(key(text)))


def keyed(table: Mapping[str, str]) -> dict[str, str]:
    """A table whose keys are normalised with :func:`key`, so it can be written readably."""
    return {key(text): code for text, code in table.items()}
