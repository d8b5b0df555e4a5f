"""Table-driven mapping of free text onto the concepts of the ontology's schemes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..record import Concept
from .text import NULL_MARKERS, clean

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def key(text: str) -> str:
    """The lookup key of a text: lower case, every run of other characters one space.

    So ``Not Recruiting``, ``not recruiting`` and CT.gov's ``NOT_RECRUITING`` share a key.
    """
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def recognise(text: str | None, code_of: Callable[[str], str | None]) -> Concept | None:
    """The concept ``code_of`` finds in the cleaned ``text``; unrecognised text is kept with no code.

    ``code_of`` is asked before the null markers are, so a scheme can give one of them a
    meaning (``N/A`` is a phase: "not applicable"); otherwise a null marker is no value.
    """
    text = clean(text)
    if text is None:
        return None
    code = code_of(text)
    if code is None and text.casefold() in NULL_MARKERS:
        return None
    return Concept(text, code)


def lookup(table: Mapping[str, str], text: str | None) -> Concept | None:
    """The concept ``table`` gives for ``text``, compared by :func:`key`."""
    return recognise(text, lambda cleaned: table.get(key(cleaned)))


def keyed(table: Mapping[str, str]) -> dict[str, str]:
    """A table whose keys are normalised with :func:`key`, so it can be written readably.

    Two entries with the same key are a mistake in the table, and are refused.
    """
    result: dict[str, str] = {}
    for text, code in table.items():
        if key(text) in result:
            raise ValueError(f"{text!r} repeats the key of an earlier entry")
        result[key(text)] = code
    return result
