"""The sexes a trial admits, onto one scheme."""

from __future__ import annotations

import re

from ..record import Concept
from .concepts import keyed, lookup
from .text import clean_value

_GENDERS = keyed({
    "all": "GenderAll", "both": "GenderAll", "male and female": "GenderAll", "both, male and female": "GenderAll",
    "both males and females": "GenderAll", "ALL": "GenderAll",
    "female": "GenderFemale", "females": "GenderFemale", "FEMALE": "GenderFemale",
    "male": "GenderMale", "males": "GenderMale", "MALE": "GenderMale",
})
_EU_ANSWER = re.compile(r"(female|male)\s*:\s*(yes|no)", re.I)


def parse_gender(text: str | None) -> Concept | None:
    """The gender concept; EUCTR's ``Female: yes Male: yes`` is read as its answers say."""
    cleaned = clean_value(text)
    if cleaned is None:
        return None
    answers = {sex.casefold(): answer.casefold() == "yes" for sex, answer in _EU_ANSWER.findall(cleaned)}
    if answers:
        admitted = [sex for sex in ("female", "male") if answers.get(sex)]
        code = {("female", "male"): "GenderAll", ("female",): "GenderFemale", ("male",): "GenderMale"}
        return Concept(cleaned, code.get(tuple(admitted)))
    return lookup(_GENDERS, cleaned)
