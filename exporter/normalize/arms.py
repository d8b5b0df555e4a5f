"""Interventions registered arm by arm: ChiCTR's ``Group name:treatment;`` entries, IRCT's and DRKS's numbered
``Intervention 1: …`` and ``Group 1: …`` entries, ClinicalTrials.gov's typed arms as its mirrors write them, and
ChiCTR's sample sizes per group.

An arm is an arm: its name, its description and, where the description names one, its intervention. Read as a
list of interventions, ``Conventional treatment group:The conventional treatment group will be treated
according to…`` became a node of its own in each trial, and ``survival group:none`` an intervention called
none. Here the arm's name labels the arm; its treatment becomes a shared intervention only when it is a name
(:func:`~exporter.normalize.names.is_name`), never when it says there is none; a diagnostic study's
``Index test:`` and ``Gold Standard:`` are tests, not drugs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..record import ArmGroup, Concept, Intervention
from .names import is_name
from .text import NULL_MARKERS, after_each, single_line

# What a ChiCTR group says when it receives nothing (observational cohorts, untreated controls).
NO_INTERVENTION = NULL_MARKERS | {"no", "no intervention", "no interventions", "nothing", "no treatment", "无"}
# A diagnostic study's entries: what they name is the test.
DIAGNOSTIC_LABELS = frozenset({"index test", "gold standard", "reference standard", "reference test"})
DIAGNOSTIC_TEST = "InterventionDiagnosticTest"

# ChiCTR: "label:text" with the label free of colons; the label is a group's name, not a sentence.
_GROUP_ENTRY = re.compile(r"(?P<label>[^:]{1,120}?)\s*:\s*(?P<body>.*)", re.S)
# IRCT "Intervention 1: …", DRKS "Intervention 1: …" and "Group 1: …", each opening an arm, inline or a line each.
_NUMBERED_ENTRY = re.compile(r"(?:^|(?<=\s))(?P<label>(?:Intervention|Group|Arm) \d{1,2})\s*:\s*", re.I)
# IRCT names the arm's role first: "Intervention 1: Control group: …".
_ROLE = re.compile(r"(?P<role>(?:intervention|control|experimental|treatment|placebo|comparison) group)\s*:\s*", re.I)
_SIZE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
# ClinicalTrials.gov's arm types, as its mirrors (jRCT) write an arm: "Experimental: ION-682884" and its lines.
# Not "Other", which is also an intervention type ("Other: standard of care").
_TYPED_ARM = re.compile(r"^[ \t]*(?P<role>Experimental|Active Comparator|Placebo Comparator|Sham Comparator"
                        r"|No Intervention)[ \t]*:[ \t]*", re.M)


@dataclass
class Arms:
    """The arms read from a field, and the interventions their descriptions name."""

    arms: list[ArmGroup] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)


def parse_group_entries(entries: Sequence[str], observational: bool = False) -> Arms | None:
    """ChiCTR's ``Group name:treatment`` entries (the items of its ``;``-list) as arms; ``None`` when an entry
    has no group name, so the field is no such list."""
    matches = [_GROUP_ENTRY.fullmatch(entry) for entry in entries]
    if not matches or not all(matches):
        return None
    arms = Arms()
    for entry, match in zip(entries, matches):
        assert match is not None
        label, body = match["label"].strip(), single_line(match["body"])
        _add(arms, entry, label, None, body, observational)
    return arms


def parse_numbered_entries(text: str, observational: bool = False) -> Arms | None:
    """IRCT's and DRKS's numbered entries (``Intervention 1: …``, ``Group 1: …``) as arms; ``None`` when the
    text does not open with one."""
    if not _NUMBERED_ENTRY.match(text):
        return None
    matches = list(_NUMBERED_ENTRY.finditer(text))
    arms = Arms()
    for match, body in zip(matches, after_each(text, matches)):
        role = _ROLE.match(body.strip())
        description = body.strip()[role.end():] if role else body
        while role and (again := _ROLE.match(description)):  # IRCT sometimes writes the role twice
            description = description[again.end():]
        _add(arms, (match[0] + body).strip(), match["label"], role["role"] if role else None,
             single_line(description), observational)
    return arms


def parse_typed_arms(text: str) -> Arms | None:
    """Arms written as ClinicalTrials.gov writes them (``Experimental: label`` and the lines that describe it);
    ``None`` when the text does not open with one. The label names the arm, not necessarily a product: no
    intervention is read from it."""
    if not _TYPED_ARM.match(text):
        return None
    matches = list(_TYPED_ARM.finditer(text))
    arms = Arms()
    for match, body in zip(matches, after_each(text, matches)):
        label, _, description = body.strip().partition("\n")
        arms.arms.append(ArmGroup(label=single_line(label) or match["role"], type=match["role"],
                                  description=single_line(description)))
    return arms


def group_sizes(text: str | None) -> dict[str, int] | None:
    """ChiCTR's sample size per group (``Group A:30;Group B:30;``, ``Case series:40;``), by group name;
    ``None`` when the text is no such list."""
    entries = [entry.strip() for entry in (text or "").split(";") if entry.strip()]
    sizes: dict[str, int] = {}
    for entry in entries:
        match = _GROUP_ENTRY.fullmatch(entry)
        if match is None or not _SIZE.fullmatch(match["body"].strip()):
            return None
        sizes[match["label"].strip()] = int(match["body"].strip().replace(",", ""))
    return sizes or None


def _add(arms: Arms, entry: str, label: str, role: str | None, description: str | None, observational: bool) -> None:
    """One arm, and the intervention its description names when it names one."""
    nothing = description is None or description.casefold().rstrip(".") in NO_INTERVENTION
    named = not nothing and not observational and description is not None and is_name(description)
    name = description.rstrip(". ") if named and description else None
    arms.arms.append(ArmGroup(label=label, type=role, description=None if nothing else description,
                              intervention_names=(name,) if name else ()))
    # arms that receive one treatment share its intervention; each arm keeps its own entry
    if name and all(known.name.casefold() != name.casefold() for known in arms.interventions):
        kind = Concept(label, DIAGNOSTIC_TEST) if label.casefold() in DIAGNOSTIC_LABELS else None
        arms.interventions.append(Intervention(text=entry, name=name, type=kind))


def with_sizes(arms: list[ArmGroup], sizes: dict[str, int]) -> list[ArmGroup]:
    """The arms with their sample sizes, matched by group name; a group sized but never described is an arm too."""
    by_label = {arm.label.casefold(): arm for arm in arms}
    sized = [ArmGroup(arm.label, arm.type, arm.description, arm.intervention_names,
                      _size_of(arm.label, sizes)) for arm in arms]
    sized += [ArmGroup(label, size=size) for label, size in sizes.items() if label.casefold() not in by_label]
    return sized


def _size_of(label: str, sizes: dict[str, int]) -> int | None:
    """A group's size, its name compared regardless of case and spacing."""
    wanted = " ".join(label.casefold().split())
    return next((size for name, size in sizes.items() if " ".join(name.casefold().split()) == wanted), None)
