"""Trial identifiers: which register issued an id, recognised from its shape.

Scheme names are the local names of the identifier-scheme concepts in the ontology.
An id of no recognisable scheme is kept with ``scheme=None`` (in practice a sponsor's
protocol number such as ``IgPro20_3007``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..record import Identifier
from .text import clean_value


@dataclass(frozen=True, slots=True)
class Scheme:
    """An identifier scheme: its concept name, the shape of its ids, the register that issues them.

    ``prefix`` is how the register spells the letters its ids start with; ids are matched
    regardless of case (ChiCTR ids also occur as ``chictr...``) and respelled with it.
    """

    name: str
    pattern: re.Pattern[str]
    register: str
    prefix: str

    def spell(self, value: str) -> str:
        """``value`` with its prefix in the register's spelling."""
        head = value[: len(self.prefix)]
        return self.prefix + value[len(self.prefix) :] if head.casefold() == self.prefix.casefold() else value


def _scheme(name: str, pattern: str, register: str, prefix: str | None = None) -> Scheme:
    return Scheme(name, re.compile(pattern, re.I), register, prefix or name)


# Order matters: the first pattern that matches the whole id wins.
SCHEMES: tuple[Scheme, ...] = (
    _scheme("NCT", r"NCT\d{8}", "ClinicalTrials.gov"),
    _scheme("EUCTR", r"EUCTR\d{4}-\d{6}-\d{2}(-[A-Z]{2,3})?", "EU Clinical Trials Register"),
    _scheme("CTIS", r"(CTIS)?\d{4}-5\d{5}-\d{2}-\d{2}", "Clinical Trials Information System"),
    _scheme("EudraCT", r"(EudraCT\s*(No\.?|Number)?:?\s*)?\d{4}-\d{6}-\d{2}", "EU Clinical Trials Register"),
    _scheme("ISRCTN", r"ISRCTN\d{8}", "ISRCTN"),
    _scheme("ACTRN", r"ACTRN\d{14}", "ANZCTR"),
    _scheme("ChiCTR", r"ChiCTR(-[A-Z]{2,5}-)?-?\d{8,10}", "ChiCTR"),
    _scheme("CTRI", r"CTRI/\d{4}/\d{2,3}/\d{6}", "CTRI"),
    _scheme("DRKS", r"DRKS\d{8}", "German Clinical Trials Register"),
    _scheme("JRCT", r"(JPRN-)?jRCT[a-z]?\d{9,10}", "JPRN", "jRCT"),
    _scheme("UMIN", r"(JPRN-)?UMIN\d{9}", "JPRN"),
    _scheme("JAPIC", r"(JPRN-)?JapicCTI-?\d{6}", "JPRN", "JapicCTI"),
    _scheme("JMA", r"(JPRN-)?JMA-IIA\d{5}", "JPRN", "JMA-IIA"),
    _scheme("KCT", r"KCT\d{7}", "CRIS"),
    _scheme("IRCT", r"IRCT\d+N\d+", "IRCT"),
    _scheme("PACTR", r"PACTR\d{15,16}", "PACTR"),
    _scheme("NLOMON", r"NL-OMON\d+", "NL-OMON", "NL-OMON"),
    _scheme("NTR", r"(NTR|NL)\d{1,5}", "Netherlands Trial Register"),
    _scheme("TCTR", r"TCTR\d{11}", "TCTR"),
    _scheme("RBR", r"RBR-\w{6,8}", "REBEC"),
    _scheme("PER", r"PER-\d{3}-\d{2}", "REPEC"),
    _scheme("SLCTR", r"SLCTR/\d{4}/\d{3}", "SLCTR"),
    _scheme("LBCTR", r"LBCTR\d{10}", "LBCTR"),
    _scheme("RPCEC", r"RPCEC\d{8}", "RPCEC"),
    _scheme("ITMCTR", r"ITMCTR\d+", "ITMCTR"),
    _scheme("UTN", r"U\d{4}-\d{4}-\d{4}", "WHO Universal Trial Number", "U"),
)
BY_NAME = {scheme.name: scheme for scheme in SCHEMES}
NETWORKS = frozenset(("JPRN",))
"""Registers that are networks of registries, each issuing ids of its own scheme (JPRN: UMIN-CTR, jRCT, JapicCTI,
JMA-IIA): a registry of theirs is named with its scheme, as one register of many."""
_EUDRACT = re.compile(r"\d{4}-\d{6}-\d{2}")

# Values registries put where there is no secondary id, and ids that are placeholders.
_JUNK = re.compile(
    r"(nil|none|no)(\s+known)?|not\s+(applicable|available|assigned)|pending|n/?a|-+|0+"
    r"|NCT0{8}|NCT12345678|ISRCTN0{8}",
    re.I,
)


def _scheme_of(value: str) -> Scheme | None:
    return next((scheme for scheme in SCHEMES if scheme.pattern.fullmatch(value)), None)


def scheme_of(value: str) -> str | None:
    """The scheme name of an id, or ``None`` when no known scheme matches it whole."""
    scheme = _scheme_of(value)
    return scheme.name if scheme else None


def parse_identifier(text: str | None) -> Identifier | None:
    """An id and its scheme; ``None`` for the registries' "no id" values (``Nil known``)."""
    cleaned = clean_value(text)
    if cleaned is None or _JUNK.fullmatch(cleaned):
        return None
    value = " ".join(cleaned.split())
    scheme = _scheme_of(value)
    if scheme is not None:
        value = _eudract_number(value) if scheme.name == "EudraCT" else scheme.spell(value)
    return Identifier(value, scheme.name if scheme else None, text=cleaned if cleaned != value else "")


def _eudract_number(value: str) -> str:
    """The EudraCT number in an id that has one (``EudraCT No: ...``, ``EUCTR...-GR``)."""
    return _EUDRACT.search(value).group()  # type: ignore[union-attr]


def canonical_trial_id(identifier: Identifier) -> tuple[str, str]:
    """The (scheme, id) a trial is named by, whatever record it came from.

    EUCTR publishes one record per member state (``EUCTR2020-001039-29-GR``): all of
    them are the one trial with EudraCT number ``2020-001039-29``. ICTRP's ``JPRN-``
    and ``CTIS`` prefixes are ICTRP's, not the register's, and are dropped.
    """
    value, scheme = identifier.value, identifier.scheme
    if scheme in {"EUCTR", "EudraCT"}:
        return "EudraCT", _eudract_number(value)
    if scheme == "CTIS":
        return "CTIS", value.removeprefix("CTIS")
    if scheme in {"JRCT", "UMIN", "JAPIC", "JMA"}:
        return scheme, value.removeprefix("JPRN-")
    return scheme or "local", value


def member_state(identifier: Identifier) -> str | None:
    """The member state of an EUCTR per-country record, as its id writes it (``EUCTR2020-001039-29-GR``: ``GR``)."""
    if identifier.scheme != "EUCTR":
        return None
    number = _EUDRACT.search(identifier.value)
    suffix = identifier.value[number.end():].lstrip("-") if number else ""
    return suffix or None


def parse_identifiers(values: Iterable[str | None], exclude: Identifier) -> list[Identifier]:
    """The distinct ids among ``values``, in order, without the record's own id and the "no id" values."""
    found: dict[str, Identifier] = {}
    for value in values:
        identifier = parse_identifier(value)
        if identifier is not None and identifier.value != exclude.value:
            found.setdefault(identifier.value, identifier)
    return list(found.values())
