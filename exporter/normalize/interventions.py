"""``Drug: human immunoglobulin G`` to an intervention type and a name; EUCTR's and CTIS's product fields
to one intervention a product."""

from __future__ import annotations

import re

from ..record import Concept, Intervention
from . import remembered
from .concepts import keyed, lookup
from .text import NULL_MARKERS, single_line

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
_OPENING = ("Trade Name", "Product Name")  # the fields a product's entry opens with
# What sponsors write where a product has no name yet.
_NO_NAME = NULL_MARKERS | {"n.a", "not yet available", "not yet assigned", "not assigned"}


def parse_products(text: str) -> list[Intervention] | None:
    """One intervention a product when ``text`` lists EUCTR's or CTIS's product fields; ``None`` when it does not
    start with one.

    Read line by line, the fields would each become an intervention, and ``Concentration type: equal`` a node
    shared by thousands of unrelated trials. A product ends where one of its fields comes again; the placebo's
    fields describe a product of their own. Each is named by its INN, else its product or trade name or code.
    """
    fields = _FIELD.match(text) and list(_product_fields(text))
    if not fields:
        return None
    products: list[dict[str, str]] = []
    placebo: dict[str, str] = {}
    for name, value in fields:
        if _is_placebo(name):
            placebo[name] = value
        elif not products or name in products[-1] or _starts_another(name, products[-1]):
            products.append({name: value})
        else:
            products[-1][name] = value
    merged: dict[str, Intervention] = {}  # one intervention a name: EUCTR repeats a product for each strength or arm
    for product in (_product(fields) for fields in products + ([placebo] if placebo else [])):
        key = product.name.casefold()
        if key in merged:
            product = _merged(merged[key], product)
        merged[key] = product
    return list(merged.values())


def _is_placebo(field: str) -> bool:
    """Whether the field describes the placebo rather than the product before it."""
    return field.endswith("of the placebo")


def _starts_another(name: str, product: dict[str, str]) -> bool:
    """Whether a trade or product name opens the next product: the current one already has a field that
    comes after it on EUCTR's form."""
    if name not in _OPENING:
        return False
    return any(PRODUCT_FIELDS.index(field) > PRODUCT_FIELDS.index(name) for field in product)


def _product_fields(text: str) -> list[tuple[str, str]]:
    """The (field, value) pairs of the text in order, values stripped of their separators; empty values left out."""
    matches = list(_FIELD.finditer(text))
    pairs = []
    for match, following in zip(matches, [*matches[1:], None]):
        value = text[match.end() : following.start() if following else len(text)].strip().rstrip(",;").strip()
        if value:
            pairs.append((_CANONICAL[match[1].casefold()], " ".join(value.split())))
    return pairs


def _product(fields: dict[str, str]) -> Intervention:
    """The product's intervention: its first name, its other names (each once, whatever the case), its fields."""
    names: dict[str, str] = {}
    for field in NAMING_FIELDS:
        if field in fields and fields[field].casefold().rstrip(".") not in _NO_NAME:
            names.setdefault(fields[field].casefold(), fields[field])
    text = "; ".join(f"{field}: {value}" for field, value in fields.items())
    if not names:
        return Intervention(text=text, name=PLACEBO if all(map(_is_placebo, fields)) else text)
    first, *others = names.values()
    return Intervention(text=text, name=first, other_names=tuple(others))


def _merged(first: Intervention, second: Intervention) -> Intervention:
    """Two products of one name as one intervention: both as registered, every other name once."""
    others: dict[str, str] = {}
    for name in (*first.other_names, *second.other_names):
        others.setdefault(name.casefold(), name)
    others.pop(first.name.casefold(), None)
    text = first.text if second.text == first.text else f"{first.text}\n{second.text}"
    return Intervention(text=text, name=first.name, other_names=tuple(others.values()))
