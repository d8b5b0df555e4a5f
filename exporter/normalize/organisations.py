"""The reconciliation key of an organisation's name: two names with one key are one organisation.

The key forgets only what registries spell inconsistently without meaning another
organisation: case, accents (``Léon`` / ``Leon``), compatibility forms, punctuation and
spacing, a leading "The", ``&`` for "and", and trailing legal-form suffixes (``Inc.``,
``Co., Ltd.``, ``GmbH``). It never guesses: no abbreviation is expanded, no typo
forgiven, no word dropped from the middle, so ``UMCG`` and ``Universitair Medisch
Centrum Groningen`` stay two nodes, as do ``Merck & Co., Inc.`` and ``Merck KGaA``.
"""

from __future__ import annotations

import re

from .text import folded

# Legal forms as word sequences after punctuation became spaces ("S.A." is "s a", "A/S" is "a s").
LEGAL_FORMS: frozenset[tuple[str, ...]] = frozenset(
    tuple(form.split())
    for form in (
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp",
        "plc", "pty", "pvt", "gmbh", "ag", "kg", "kgaa", "se", "sa", "s a", "spa", "s p a", "srl", "s r l",
        "sas", "sarl", "bv", "b v", "nv", "n v", "ab", "as", "a s", "asa", "oy", "oyj", "kk", "k k",
    )
)
_LONGEST_FORM = max(map(len, LEGAL_FORMS))
_CONNECTORS = frozenset({"and"})
_NOT_WORD = re.compile(r"[\W_]+")


def organisation_key(name: str) -> str:
    """The key of an organisation name: words joined by single spaces; the name folded if nothing is left."""
    words = _words(name)
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    while (length := _legal_form_at_end(words)) and len(words) > length and words[-length - 1] not in _CONNECTORS:
        words = words[:-length]
    return " ".join(words) or folded(name)


def _words(name: str) -> list[str]:
    """Casefolded words, accents off, ``&`` read as "and"."""
    return _NOT_WORD.sub(" ", folded(name).replace("&", " and ")).split()


def _legal_form_at_end(words: list[str]) -> int:
    """How many words at the end of ``words`` form a legal-form suffix (the longest), 0 if none."""
    for length in range(min(_LONGEST_FORM, len(words)), 0, -1):
        if tuple(words[-length:]) in LEGAL_FORMS:
            return length
    return 0
