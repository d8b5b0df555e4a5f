"""What a shared node's name may be: the rules the quality gate checks, and the test a reader uses before it
makes a node of a piece of free text.

A condition, an intervention or an organisation is one node for every trial that names it, so its name is the
graph's link: a form field (``Drug dosage and duration: …``), a heading (``Secondary Objectives:``), a sentence
or text already broken in the source (``?????? ??????``) would link trials that have nothing in common, or
nothing at all. The shapes say the same at severity warning (``shapes/trialgraph.shacl.ttl``).
"""

from __future__ import annotations

import re

from . import remembered

MAX_LENGTH = 150
"""The longest a shared node's name may be; past it, it is a description."""

MAX_NAME_WORDS = 12
"""The most words a reader takes for a name when free text gives no other sign; more make a description."""

# The same four patterns are the shapes' (sh:pattern is a regular expression of XPath's flavour: no lookaround).
# A label of up to five words and a colon, not a URL's: ``Drug dosage and duration: …``, ``Case series:40``.
FIELD_PREFIX = re.compile(r"^[^\W\d_]+( [^\W\d_]+){0,4} ?:([^/]|$)")
TRAILING_COLON = re.compile(r":$")
NO_LETTER = re.compile(r"^[\W\d_]+$")
# Letters the source could not encode became question marks: "?????? ??????", "LCRT?6cycles".
QUESTION_MARKS = re.compile(r"\?\?|\w\?\w")
# A sentence: a full stop and a capital inside, a finite verb of the registries' prose (not one of a relative clause,
# which describes a noun: "patients who are in dialysis"), or a reference elsewhere.
SENTENCE = re.compile(
    r"[a-z]{3}\. [A-Z]|(?i:(?<!\bwho )(?<!\bthat )(?<!\bwhich )"
    r"\b(will|shall|is|are|was|were|be|been|receive[sd]?|treated|given|administered)\b|^(please|see|refer)\b)",
)
_NUMBERED = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-z]\))\s+")


@remembered
def problems(name: str) -> tuple[str, ...]:
    """Why ``name`` cannot be a shared node's name, in the curator's words; empty when it can."""
    found = []
    if len(name) > MAX_LENGTH:
        found.append(f"longer than {MAX_LENGTH} characters")
    if FIELD_PREFIX.search(name):
        found.append("starts with a form field's label")
    if TRAILING_COLON.search(name):
        found.append("ends in a colon, like a heading")
    if NO_LETTER.search(name):
        found.append("has no letter")
    if QUESTION_MARKS.search(name):
        found.append("has question marks for letters (text broken before it was registered)")
    return tuple(found)


@remembered
def is_sentence(name: str) -> bool:
    """Whether the text reads as a sentence of prose rather than a name."""
    return bool(SENTENCE.search(name)) and len(name.split()) > 3


def is_broken(text: str) -> bool:
    """Whether the source broke the text before it reached us: its letters became question marks."""
    return bool(QUESTION_MARKS.search(text))


@remembered
def is_name(text: str) -> bool:
    """Whether a piece of free text can name a shared node: no problem above, not a sentence, a few words."""
    return not problems(text) and not is_sentence(text) and len(text.split()) <= MAX_NAME_WORDS


def unnumbered(text: str) -> str:
    """An entry without its list number: ``2. Hubei Provincial Hospital`` and ``(2) Placebo`` name what follows."""
    return _NUMBERED.sub("", text, count=1)
