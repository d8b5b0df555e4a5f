"""Cleaning of the registries' free text: entities, ``<br>``, padding and null markers."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

# A line end right before <br> is the same break (XML's "&#x0D;&lt;br&gt;", the Trial2 page's "\n<br>").
# Spaces before a break without a line end are left to the line stripping: matching them here
# would rescan ICTRP's 2,000-space padding from every space in it. Both branches start with a
# literal, so the matcher skips to the next "\n" or "<" instead of trying every position.
_TAG = r"<\s*(?:br\s*/?|/?\s*p\s*/?)\s*>"
_BREAK = re.compile(r"\n[ \t]*" + _TAG + "|" + _TAG, re.IGNORECASE)
_ENTITY_WITHOUT_AMP = re.compile(r"(?<!&)#(gt|lt|amp|quot|39|\d{2,5});")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"  +")
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_ACCENTS = re.compile("[\u0300-\u036f]")  # combining diacritics of Latin, Greek and Cyrillic letters only

NULL_MARKERS = frozenset({
    "null", "n/a", "na", "none", "-", "--", "nil", "not applicable", "not available", "not selected",
})


def unescape(value: str) -> str:
    """Undo HTML escaping as often as the registry applied it (``&amp;lt;``), and the ``#gt;`` forms.

    Unescaping until nothing changes makes :func:`clean` idempotent.
    """
    while "&" in value or "#" in value:  # most values hold neither: skip the work
        unescaped = _ENTITY_WITHOUT_AMP.sub(r"&\1;", html.unescape(value))
        if unescaped == value:
            return value
        value = unescaped
    return value


def clean(value: str | None) -> str | None:
    """Normalise one text value; ``None`` when nothing is left.

    Entities are unescaped, ``<br>``/``<p>`` and CR become newlines (CR + ``<br>`` one), runs of spaces
    (ICTRP pads titles to 2,000 characters) collapse, and each line is stripped.
    ``=`` standing for ``≥``/``≤`` is kept as it came: which one was meant cannot be known.
    """
    if not value:
        return None
    value = unescape(value)
    stripped = value.strip()
    if stripped.isprintable() and "<" not in stripped:  # most values: one line once stripped, nothing to remove
        return collapse_spaces(stripped) or None
    value = _INVALID_XML_CHARS.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in value:
        value = _BREAK.sub("\n", value)
    value = "\n".join(line.strip() for line in collapse_spaces(value).split("\n"))
    if "\n\n\n" in value:
        value = _BLANK_LINES.sub("\n\n", value)
    return value.strip() or None


def folded(value: str) -> str:
    """The text as a key compares it: compatibility forms, case and the accents of Latin, Greek and Cyrillic
    letters (``VALSARTÁN`` and ``valsartan``) do not matter; the letters of other scripts are kept whole."""
    if value.isascii():  # most labels: nothing to decompose
        return value.casefold()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", value).casefold())
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))


def collapse_spaces(value: str) -> str:
    """Each run of spaces, tabs and no-break spaces as one space.

    The regular expression runs only where there is a run to collapse: most values have none,
    and replacing ``"  "`` until none is left rescans long texts once per halving of a run.
    """
    if "\t" in value or "\xa0" in value:
        value = value.replace("\t", " ").replace("\xa0", " ")
    return _SPACES.sub(" ", value) if "  " in value else value


def clean_value(value: str | None) -> str | None:
    """Like :func:`clean`, and also ``None`` for the null markers (``NULL``, ``N/A``, ``-``, ...)."""
    value = clean(value)
    if value is None or value.casefold() in NULL_MARKERS:
        return None
    return value


def single_line(value: str | None) -> str | None:
    """A cleaned value folded onto one line (titles, names)."""
    value = clean_value(value)
    return " ".join(value.split()) if value else None


def after_each(text: str, matches: Sequence[re.Match[str]]) -> list[str]:
    """The text after each of a pattern's matches, up to the next one or the end: the values of labelled fields."""
    return [text[match.end() : following.start() if following else len(text)]
            for match, following in zip(matches, [*matches[1:], None])]


def split_list(value: str | None, separators: str = ";") -> list[str]:
    """Split a ``;``-list, dropping empty items (stray separators) and repeats, keeping order."""
    value = clean(value)
    if not value:
        return []
    pattern = "[" + re.escape(separators) + "\n]"
    seen: dict[str, None] = {}
    for item in re.split(pattern, value):
        item = " ".join(item.split())
        if item and item.casefold() not in NULL_MARKERS and item not in seen:
            seen[item] = None
    return list(seen)


def parse_yes_no(value: str | None) -> bool | None:
    """``Yes``/``No`` (and ``true``/``false``, ``1``/``0``) to a boolean; anything else to ``None``."""
    value = clean_value(value)
    if value is None:
        return None
    folded = value.casefold()
    if folded in {"yes", "true", "y", "1"}:
        return True
    if folded in {"no", "false", "n", "0"}:
        return False
    return None
