"""``Drug: human immunoglobulin G`` to an intervention type and a name; EUCTR's and CTIS's product fields,
CTRI's entries, JPRN's materials and CRIS's typed entries to one intervention each."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from ..record import Concept, Intervention
from . import remembered
from .concepts import keyed, lookup
from .text import NULL_MARKERS, after_each, single_line

# The written types ("Dietary Supplement") share their lookup keys with CT.gov's codes (DIETARY_SUPPLEMENT).
TYPES = keyed({
    "behavioral": "InterventionBehavioral", "behavioural": "InterventionBehavioral",
    "biological": "InterventionBiological", "combination product": "InterventionCombinationProduct",
    "device": "InterventionDevice", "diagnostic test": "InterventionDiagnosticTest",
    "dietary supplement": "InterventionDietarySupplement", "drug": "InterventionDrug",
    "genetic": "InterventionGenetic",
    "procedure": "InterventionProcedure", "procedure/surgery": "InterventionProcedure",
    "radiation": "InterventionRadiation", "other": "InterventionOther",
})
# "Drug: x" (CT.gov and its mirrors), "Drug : x" (CRIS).
_TYPED = re.compile(r"(?P<type>[A-Za-z][A-Za-z /]{1,30}?)\s*:\s*(?P<name>\S.*)", re.S)


@remembered
def intervention_type(text: str | None) -> Concept | None:
    """CT.gov's intervention type (``DRUG`` or ``Drug``) as a concept."""
    return lookup(TYPES, single_line(text))


@remembered
def parse_intervention(text: str) -> Intervention:
    """Split a ``Type: name`` entry when the type is one we know; otherwise the whole text is the name.

    An unknown label is not a type: ChiCTR's ``control group:No`` stays whole.
    """
    text = single_line(text) or text
    match = _TYPED.fullmatch(text)
    if match:
        concept = intervention_type(match["type"])
        if concept and concept.code:
            return Intervention(text=text, name=match["name"].strip(), type=concept)
    return Intervention(text=text, name=text)


# The fields EUCTR (one a line) and CTIS (comma-separated) give for each investigational medicinal product,
# in the order of EUCTR's form.
PRODUCT_FIELDS = (
    "Trade Name", "Product Name", "Product Code", "Pharmaceutical Form", "INN or Proposed INN", "CAS Number",
    "Current Sponsor code", "Other descriptive name", "Concentration unit", "Concentration type",
    "Concentration number", "Strength", "Pharmaceutical form of the placebo", "Route of administration of the placebo",
)
# The fields that name the product, the most widely shared name first: the INN links trials of one substance.
NAMING_FIELDS = ("INN or Proposed INN", "Product Name", "Trade Name", "Product Code", "Current Sponsor code",
                 "Other descriptive name")
_FIELD = re.compile(r"(?:^|(?<=[\n,;]))\s*(" + "|".join(map(re.escape, PRODUCT_FIELDS)) + r")\s*:", re.I)
_CANONICAL = {name.casefold(): name for name in PRODUCT_FIELDS}
PLACEBO = "Placebo"
_ENDS_IN_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*$")  # EUCTR ends each product with "<br><br>"
_OPENING = ("Trade Name", "Product Name")  # the fields a product's entry opens with
# What sponsors write where a product or intervention has no name (yet).
_NO_NAME = NULL_MARKERS | {"n.a", "not yet available", "not yet assigned", "not assigned"}


class Products(NamedTuple):
    """What a field of EUCTR's or CTIS's product fields holds."""

    interventions: list[Intervention]  # each a shared node
    unnamed: list[str]  # products whose fields give them no name, kept as registered


def parse_products(text: str) -> Products | None:
    """One intervention a product when ``text`` lists EUCTR's or CTIS's product fields; ``None`` when it does not
    start with one.

    Read line by line, the fields would each become an intervention, and ``Concentration type: equal`` a node
    shared by thousands of unrelated trials. A product ends at a blank line (EUCTR's ``<br><br>``), where its trade
    or product name comes again, or where another of its names does with another value (a second substance); its
    other fields may repeat (several concentrations). The placebo's fields describe a product of their own. Each
    is named by its INN, else its product or trade name or code; a product without any (``Pharmaceutical Form:
    Film-coated tablet`` alone) is kept as registered, with no node.
    """
    fields = _FIELD.match(text) and _product_fields(text)
    if not fields:
        return None
    products: list[dict[str, str]] = []
    placebo: dict[str, str] = {}
    for name, value, after_blank_line in fields:
        if _is_placebo(name):
            placebo[name] = _added(placebo.get(name), value)
        elif not products or after_blank_line or _starts_another(name, value, products[-1]):
            products.append({name: value})
        else:
            products[-1][name] = _added(products[-1].get(name), value)
    read = [_product(fields) for fields in products + ([placebo] if placebo else [])]
    # EUCTR repeats a product for each strength or arm
    return Products(_by_name(item for item in read if isinstance(item, Intervention)),
                    list(dict.fromkeys(item for item in read if isinstance(item, str))))


def _is_placebo(field: str) -> bool:
    """Whether the field describes the placebo rather than the product before it."""
    return field.endswith("of the placebo")


def _starts_another(name: str, value: str, product: dict[str, str]) -> bool:
    """Whether the field opens the next product: a trade or product name where the current product has it or a
    field that comes after it on EUCTR's form; another name of the product with another value."""
    if name in _OPENING:
        return any(PRODUCT_FIELDS.index(field) >= PRODUCT_FIELDS.index(name) for field in product)
    return name in NAMING_FIELDS and name in product and _is_name(value) and value.casefold() not in (
        known.casefold() for known in product[name].split("; "))


def _added(values: str | None, value: str) -> str:
    """A repeated field's values, each once (``mg milligram(s); g gram(s)``)."""
    if not values:
        return value
    return values if value.casefold() in (known.casefold() for known in values.split("; ")) else f"{values}; {value}"


def _is_name(value: str) -> bool:
    """Whether a naming field's value is a name, not ``NA`` or ``not yet available``."""
    return value.casefold().rstrip(".") not in _NO_NAME


def _product_fields(text: str) -> list[tuple[str, str, bool]]:
    """The (field, value, after a blank line) triples of the text in order, values stripped of their separators;
    empty values left out, and a last field that the export cut short (``…<br>Ph``)."""
    matches = list(_FIELD.finditer(text))
    values = after_each(text, matches)
    lines = values[-1].rstrip().split("\n")
    if len(lines) > 1 and _is_cut_field(lines[-1]):
        values[-1] = "\n".join(lines[:-1])
    triples = []
    after_blank_line = False
    for index, (match, value) in enumerate(zip(matches, values)):
        before = text[matches[index - 1].end() if index else 0 : match.start(1)]
        after_blank_line = after_blank_line or _ENDS_IN_BLANK_LINE.search(before) is not None
        stripped = value.strip().rstrip(",;").strip()
        if stripped:
            triples.append((_CANONICAL[match[1].casefold()], " ".join(stripped.split()), after_blank_line))
            after_blank_line = False
    return triples


def _is_cut_field(line: str) -> bool:
    """Whether the line is the start of a field's name, all an export kept of it."""
    line = line.strip().casefold()
    return bool(line) and any(field.casefold().startswith(line) for field in PRODUCT_FIELDS)


def _product(fields: dict[str, str]) -> Intervention | str:
    """The product's intervention (its first name, its other names, its fields), the placebo's, or the product's
    fields as registered when none names it."""
    text = "; ".join(f"{field}: {value}" for field, value in fields.items())
    named = _named(text, [fields[field] for field in NAMING_FIELDS if field in fields])
    if named is None and all(map(_is_placebo, fields)):
        return Intervention(text=text, name=PLACEBO)
    return named or text


def _named(text: str, names: Sequence[str | None], description: str | None = None) -> Intervention | None:
    """The intervention named by the first of ``names`` that is a name, the others each once (whatever the case)
    as its other names; ``None`` when none is (``NA``, ``not yet available``)."""
    unique: dict[str, str] = {}
    for name in names:
        if name and _is_name(name):
            unique.setdefault(name.casefold(), name)
    if not unique:
        return None
    first, *others = unique.values()
    return Intervention(text=text, name=first, description=description, other_names=tuple(others))


def _by_name(interventions: Iterable[Intervention]) -> list[Intervention]:
    """One intervention a name, in the order first given: a record may list one substance for each dose or arm."""
    merged: dict[str, Intervention] = {}
    for intervention in interventions:
        key = intervention.name.casefold()
        merged[key] = _merged(merged[key], intervention) if key in merged else intervention
    return list(merged.values())


def _merged(first: Intervention, second: Intervention) -> Intervention:
    """Two interventions of one name as one: both as registered and described, every other name once."""
    others: dict[str, str] = {}
    for name in (*first.other_names, *second.other_names):
        others.setdefault(name.casefold(), name)
    others.pop(first.name.casefold(), None)
    return Intervention(text=_both(first.text, second.text), name=first.name, type=first.type or second.type,
                        description=_both(first.description, second.description), other_names=tuple(others.values()))


def _both(first: str | None, second: str | None) -> str | None:
    """Both texts a line each; one when they are the same or the other is missing."""
    if not first or not second or first == second:
        return first or second
    return f"{first}\n{second}"


def _lines(text: str) -> list[str]:
    """The text's lines that say something (not empty, not ``NA``), their spaces collapsed."""
    return [line for line in map(single_line, text.split("\n")) if line]


def _joined(lines: Sequence[str]) -> str | None:
    """A description's lines as one: after a line that ends in punctuation a space, after any other ``; ``."""
    joined = ""
    for line in lines:
        joined += ("" if not joined else " " if joined[-1] in ".,;:" else "; ") + line
    return joined or None


# CTRI: "Intervention1: ZYH1: Dose-4mg", "Control Intervention1: Placebo: ..."; the description may go on for lines.
_CTRI_ENTRY = re.compile(r"^(?:Control )?Intervention\d+[ \t]*:[ \t]*", re.I | re.M)
_NAME_END = re.compile(r"\s*:(?:\s+|$)")


def parse_ctri(text: str) -> list[Intervention] | None:
    """One intervention a CTRI entry (``Intervention1: name: description``), its description's lines joined;
    ``None`` when the text does not open with one.

    Read a line each, a description's later lines (``Route-Oral``) would become interventions shared by
    unrelated trials. A control named ``NA`` or ``NIL`` is none.
    """
    if not _CTRI_ENTRY.match(text):
        return None
    matches = list(_CTRI_ENTRY.finditer(text))
    entries = []
    for match, body in zip(matches, after_each(text, matches)):
        first, *more = _lines(body) or [""]
        name, *description = _NAME_END.split(first, maxsplit=1)
        entries.append(_named((match[0] + body).strip(), [name], _joined([*filter(None, description), *more])))
    return _by_name(entry for entry in entries if entry)


# JPRN's fields a line each: a jRCT material's ("Generic name etc : ALN-TTRSC02", "INN of investigational material :
# vutrisiran") under a heading, or an intervention's ("Intervention name : RO7021610", "INN of the intervention : -"),
# which JapicCTI's records write too.
_JRCT_FIELD = re.compile(
    r"^[ \t]*(?:(?P<heading>(?:investigational|control) material\(s\))[ \t]*$"
    r"|(?:(?P<name>generic name etc|(?:control )?intervention name)|(?P<inn>INN of [^:\n]*?)"
    r"|(?P<dosage>dosage and administration [^:\n]*?)|(?P<category>therapeutic category code))[ \t]*:)",
    re.I | re.M,
)


def parse_jprn(text: str) -> list[Intervention] | None:
    """One intervention a JPRN material or intervention, named by its INN when given, else by its name;
    ``None`` when the text does not open with one of their fields.

    Read a line each, ``Therapeutic category code : 129 ...`` would link every trial of the category. A material
    opens at a heading (``control material(s)``) or where one of its fields comes again; one without a name is none.
    """
    if not _JRCT_FIELD.match(text):
        return None
    matches = list(_JRCT_FIELD.finditer(text))
    materials: list[dict[str | None, tuple[str, str | None]]] = []  # field kind: (field as registered, value)
    for match, value in zip(matches, after_each(text, matches)):
        kind = match.lastgroup
        if kind == "heading" or not materials or kind in materials[-1]:
            materials.append({})
        materials[-1][kind] = ((match[0] + value).strip(), single_line(value))
    return _by_name(material for material in map(_material, materials) if material)


def _material(fields: dict[str | None, tuple[str, str | None]]) -> Intervention | None:
    """A JPRN material's intervention: the INN links trials of one substance, the sponsor's name is another name."""
    return _named("\n".join(registered for registered, _ in fields.values()),
                  [fields[kind][1] for kind in ("inn", "name") if kind in fields], fields.get("dosage", ("", None))[1])


# CRIS names a category before some names: "Radiation : radiopharmaceutical: SNUBH-NM-333(18F)".
_CATEGORY = re.compile(r"([a-z][a-z -]{2,40}?)\s*:\s+(?=\S)")


def parse_typed_entries(text: str) -> list[Intervention]:
    """CRIS's interventions: each opens with ``Type : name``, and the lines after it that open no other are its
    details (``volume: 5~10CC``), its description; a category named before the name (``radiopharmaceutical:``)
    is the first of them.

    For CRIS only: on CT.gov's mirrors an untyped line after a typed one is an intervention of its own
    (``Drug: A`` then ``Placebo``). Lines before the first typed one are interventions of their own.
    """
    entries: list[tuple[Intervention, list[str]]] = []
    for line in _lines(text):
        entry = parse_intervention(line)
        if entry.type is None and entries and entries[-1][0].type is not None:
            entries[-1][1].append(line)
        else:
            entries.append((entry, []))
    return _by_name(_typed_entry(entry, details) for entry, details in entries)


def _typed_entry(entry: Intervention, details: list[str]) -> Intervention:
    """A CRIS entry with its detail lines as registered and as its description, its category taken off its name."""
    text = "\n".join([entry.text, *details])
    category = _CATEGORY.match(entry.name) if entry.type else None
    if category:
        return replace(entry, text=text, name=entry.name[category.end():], description=_joined([category[1], *details]))
    return replace(entry, text=text, description=_joined(details))
