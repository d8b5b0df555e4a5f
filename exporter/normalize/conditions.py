"""ICTRP's condition items to conditions named by their term, with the code the registry gives them.

A condition node is shared by every record that names it: read as names, a MedDRA block's lines
(``MedDRA version: 20.0``), CTRI's glued ``Health Condition N:`` entries and bare ICD-10 codes would
link unrelated trials, and EUCTR's ``Therapeutic area: Diseases [C] - Virus Diseases [C02]`` is a category
of the MeSH tree, not a condition. Text that names nothing another record could share (sentences that
describe the population, a heading, a MedDRA code without its term) is kept as registered, with no node.
Any other item stays the condition it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import takewhile
from typing import NamedTuple

from ..record import Condition, TherapeuticArea
from . import remembered
from .text import after_each

MEDDRA = "MedDRA"
ICD10 = "ICD-10"
# The registers (trial id schemes) that write ICD-10 codes among their conditions.
ICD10_REGISTERS = frozenset({"CTRI", "DRKS", "IRCT", "PER"})

# EUCTR's and CTIS's block on one line, or a line a field: "MedDRA version: 20.0Level: PTClassification code:
# 10007509Term: Cardiac amyloidosisSystem Organ Class: 100000004849". The code's colon is optional; the organ
# class is sometimes written "Class:".
_MEDDRA_FIELD = re.compile(
    r"(MedDRA version|Level|Term|(?:System Organ )?Class|Classification code)(?:\s*:|(?<=code)(?=\s*\d))\s*"
)
_OPENING = re.compile(r"MedDRA version\s*:")
_CODE = "Classification code"
_TERM = "Term"
# EUCTR: "Chronic Renal Insufficiency [MedDRA classification code:  10050441]"
_MEDDRA_BRACKET = re.compile(r"(?P<name>.*?)\s*\[MedDRA classification code\s*:?\s*(?P<code>\d{8})\s*\]", re.I)
_MEDDRA_CODE = re.compile(r"\d{8}(?!\d)")  # a MedDRA term's code has eight digits
# CTRI: "Health Condition 1: Q214- Aortopulmonary septal defectHealth Condition 2: Q211- Atrial septal defect"
_CTRI_ENTRY = re.compile(r"Health Condition\s*\d+\s*:\s*")
# A conservative ICD-10 code; CTRI and PER leave out the dot (Q214 for Q21.4).
_ICD10_CODE = r"[A-Z]\d{2}(?:\.\d{1,2}|\d)?"
_ICD10_BARE = re.compile(_ICD10_CODE)
# "J12.8 - Other viral pneumonia" (DRKS), "Q214- Aortopulmonary septal defect" (CTRI),
# "J159 Bacterial pneumonia, unspecified" (PER, once its leading dash is gone).
_ICD10_CODED = re.compile(rf"(?P<code>{_ICD10_CODE})(?P<separator>\s*-\s*|\s+)(?P<name>\S.*)")
_LEADING_DASH = re.compile(r"^-+\s*")
# EUCTR: "Therapeutic area: Diseases [C] - Virus Diseases [C02]", a MeSH tree category and one of its branches.
_THERAPEUTIC_AREA = re.compile(r"Therapeutic area\s*:\s*(?P<body>.*)", re.I | re.S)
_TREE_BRANCH = re.compile(
    r"(?P<category_label>[^\[\]]+?)\s*\[(?P<category>[A-Z])\]\s*-\s*"
    r"(?P<label>[^\[\]]+?)\s*\[(?P<code>[A-Z]\d{2}(?:\.\d{3})*)\]"
)
# Past this length, or written as sentences, a condition's text describes the trial's population: no other
# record names it alike, and as a node it would only stand for this record's wording.
MAX_NAME_LENGTH = 150
_SENTENCE_WORDS = 8
_SENTENCE_BREAK = re.compile(r"\w{3}[.!?]\s+[A-Z]")  # "… light chains. Overproduction …", not "St. Louis"


class ConditionField(NamedTuple):
    """What a record's condition field holds."""

    conditions: list[Condition]  # each a shared node
    therapeutic_areas: list[TherapeuticArea]
    unnamed: list[str]  # text kept as registered that names no node


def parse_conditions(items: Sequence[str], scheme: str | None = None) -> ConditionField:
    """The conditions of a record's condition items (the field split at ``;`` and line ends), one a name, its
    therapeutic areas, and the text that names no condition.

    ``scheme`` is the record's trial id scheme: only the registers of :data:`ICD10_REGISTERS` have their codes
    read, elsewhere ``C01.610`` (a DeCS code) or ``B12 deficiency`` would pass for ICD-10. A bare code is the
    code of the term DRKS pairs it with; one given with a term elsewhere in the field adds nothing; any other is
    a condition named by its code.
    """
    read = list(_read(items, scheme in ICD10_REGISTERS))
    conditions = [item for item in read if isinstance(item, Condition)]
    if scheme == "DRKS":
        conditions = _paired(conditions)
    named = {condition.code for condition in conditions if condition.code and not _code_only(condition)}
    conditions = [condition for condition in conditions if not (_code_only(condition) and condition.code in named)]
    unnamed = [item for item in read if isinstance(item, str)]
    unnamed += [condition.as_registered or condition.text for condition in conditions if not _is_name(condition.text)]
    return ConditionField(
        _by_name(condition for condition in conditions if _is_name(condition.text)),
        list(dict.fromkeys(item for item in read if isinstance(item, TherapeuticArea))),
        list(dict.fromkeys(unnamed)),
    )


def _is_name(text: str) -> bool:
    """Whether the text can name a condition node: not a heading (``Secondary Objectives:``), not a description
    (too long, or sentences)."""
    if text.endswith(":") or len(text) > MAX_NAME_LENGTH:
        return False
    sentence = text.endswith((".", "!", "?")) or _SENTENCE_BREAK.search(text) is not None
    return not (sentence and len(text.split()) >= _SENTENCE_WORDS)


def _read(items: Iterable[str], icd10: bool) -> Iterator[Condition | TherapeuticArea | str]:
    """The items' conditions in order. A MedDRA block opens at ``MedDRA version:`` and goes on over the items
    that start with one of its fields; text before the opening is a condition of its own."""
    fields: list[tuple[str, str]] = []  # the fields of the MedDRA blocks being read
    for item in items:
        opening = _OPENING.search(item)
        start = 0 if fields and _MEDDRA_FIELD.match(item) else opening.start() if opening else None
        if start != 0:
            yield from filter(None, map(_meddra, _blocks(fields)))
            fields = []
            yield from _parse_item(item[:start].rstrip(), icd10)  # the whole item when it opens no block
        if start is not None:
            fields += _fields(item[start:])
    yield from filter(None, map(_meddra, _blocks(fields)))


def _fields(text: str) -> list[tuple[str, str]]:
    """The MedDRA (field, value) pairs of text that starts with a field; ``Class`` is the system organ class."""
    matches = list(_MEDDRA_FIELD.finditer(text))
    return [("System Organ Class" if match[1] == "Class" else match[1], value.strip())
            for match, value in zip(matches, after_each(text, matches))]


def _blocks(fields: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """The fields a block each: a block ends where ``MedDRA version`` or one of its fields comes again."""
    blocks: list[dict[str, str]] = []
    for field, value in fields:
        if not blocks or field == "MedDRA version" or field in blocks[-1]:
            blocks.append({})
        blocks[-1][field] = value
    return blocks


def _meddra(block: dict[str, str]) -> Condition | str | None:
    """A MedDRA block's condition, named by its term; ``None`` without term or code (version, level, organ class
    say nothing of the condition).

    A code without a term is kept as registered, naming no node: the number says nothing to a reader, and the
    free text the block classifies may describe more than the code, so the code is not given to it.
    """
    code_match = _MEDDRA_CODE.match(block.get(_CODE, ""))
    code = code_match[0] if code_match else None
    registered = "; ".join(f"{field}: {value}" for field, value in block.items())
    if block.get(_TERM):
        return Condition(block[_TERM], code=code, code_system=MEDDRA if code else None, as_registered=registered)
    return registered if code else None


@remembered
def _parse_item(item: str, icd10: bool) -> tuple[Condition | TherapeuticArea | str, ...]:
    """An item's conditions: CTRI's entries each with their ICD-10 code, else the item, its leading dash
    (PER's, CTIS's ``-Hereditary Transthyretin Amyloidosis``) no part of the name; or the therapeutic area it
    names (its text kept as registered when it names none)."""
    area = _THERAPEUTIC_AREA.fullmatch(item)
    if area:
        branch = _TREE_BRANCH.fullmatch(area["body"].strip())
        if branch is None:
            return (item,)
        return (TherapeuticArea(item, branch["code"], branch["label"], branch["category"], branch["category_label"]),)
    entries = _CTRI_ENTRY.split(_LEADING_DASH.sub("", item))
    return tuple(_condition(entry, icd10 or len(entries) > 1) for entry in map(str.strip, entries) if entry)


def _condition(text: str, icd10: bool) -> Condition | str:
    """One entry's condition: named by the text after its code when it starts with one, by the code when it is
    an ICD-10 code, else by the whole text; a MedDRA code alone is kept as registered (see :func:`_meddra`)."""
    bracket = _MEDDRA_BRACKET.fullmatch(text)
    if bracket:
        if not bracket["name"]:
            return text
        return Condition(bracket["name"], code=bracket["code"], code_system=MEDDRA, as_registered=text)
    if not icd10:
        return Condition(text)
    if _ICD10_BARE.fullmatch(text):
        code = _dotted(text)
        return Condition(code, code=code, code_system=ICD10, as_registered=text if text != code else None)
    coded = _ICD10_CODED.fullmatch(text)
    # Without a dash, only a full code (J159, J12.8) is one: "B12 deficiency" is a name.
    if coded and ("-" in coded["separator"] or len(coded["code"]) > 3):
        return Condition(coded["name"], code=_dotted(coded["code"]), code_system=ICD10, as_registered=text)
    return Condition(text)


def _dotted(code: str) -> str:
    """An ICD-10 code with its dot: ``Q214`` is Q21.4."""
    return code if "." in code or len(code) == 3 else f"{code[:3]}.{code[3:]}"


def _code_only(condition: Condition) -> bool:
    """Whether the condition is known by its ICD-10 code alone."""
    return condition.code is not None and condition.text == condition.code


def _paired(conditions: list[Condition]) -> list[Condition]:
    """DRKS lists its ICD-10 codes, then their terms in the same order (``E85.0``, ``M35.2``, ``Non-neuropathic
    heredofamilial amyloidosis``, ``Behçet disease``): a run of codes followed by as many terms without a code
    gives each term its code. Runs of other lengths are left as they are: which code is whose would be a guess."""
    paired: list[Condition] = []
    rest = list(conditions)
    while rest:
        codes = list(takewhile(_code_only, rest))
        terms = list(takewhile(lambda condition: condition.code is None, rest[len(codes) :]))
        if codes and len(terms) == len(codes):
            paired += [replace(term, code=code.code, code_system=code.code_system) for code, term in zip(codes, terms)]
            rest = rest[2 * len(codes) :]
        else:
            paired.append(rest.pop(0))
    return paired


def _by_name(conditions: Iterable[Condition]) -> list[Condition]:
    """One condition a name, in the order first given, with the first code given for it: EUCTR repeats its
    blocks, PER gives a term with and without its code."""
    merged: dict[str, Condition] = {}
    for condition in conditions:
        first = merged.setdefault(condition.text, condition)
        if first.code is None and condition.code:
            merged[condition.text] = replace(first, code=condition.code, code_system=condition.code_system)
    return list(merged.values())
